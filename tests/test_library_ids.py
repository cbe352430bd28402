"""A report id is unique per authority and inspection: importing never replaces a different report, and re-importing
the same report replaces it and keeps its notes."""

from __future__ import annotations

import json
import shutil

from ofsted_reader.importers.pdf import extract_pages, parse_pages
from ofsted_reader.store.library import parse_cache
from ofsted_reader.store.library.library import Library

from .conftest import CORPUS, INSPECTIONS, PDFS, D
from .conftest import run_cli as run


def test_reports_once_filed_under_unknown_authority_get_their_own_ids(tmp_path):
    # Halton and Portsmouth (and Slough) were all "Unknown authority"; Halton and Rutland once shared an id.
    library = Library.open(include_bundled=False)
    ids = []
    for name in ("halton-2020-apr-15.pdf", "portsmouth-2018-oct-15.pdf", "slough-2019-mar-04.pdf"):
        report, replaced = library.import_file(CORPUS / name)
        assert not replaced
        ids.append(report.id)
    assert ids == ["halton-2020-03-13", "portsmouth-2018-09-14", "slough-2019-02-01"]
    assert len(Library.open(include_bundled=False).ids()) == 3


def test_a_different_report_with_a_taken_id_gets_the_next_free_one(tmp_path, monkeypatch):
    """Two Halton reports both ending 13 March 2020 but begun on different days are two inspections."""
    library = Library.open(include_bundled=False)
    first, _ = library.import_file(CORPUS / "halton-2020-apr-15.pdf")
    pages = extract_pages((CORPUS / "halton-2020-apr-15.pdf").read_bytes(), "x")
    pages[0] = [line.replace("02 March 2020 to 13 March 2020", "09 March 2020 to 13 March 2020") for line in pages[0]]
    other = parse_pages(pages, "other.pdf")
    assert other.id == first.id and other.identity() != first.identity()
    copy = tmp_path / "other.pdf"
    shutil.copy(CORPUS / "halton-2020-apr-15.pdf", copy)
    with copy.open("ab") as handle:
        handle.write(b"\n%")  # other bytes, so the cache does not hand back the first parse
    real_parse = parse_cache.parse
    with monkeypatch.context() as patched:
        patched.setattr(parse_cache, "parse", lambda data, source: (other, real_parse(data, source)[1]))
        second, replaced = library.import_file(copy)
    assert not replaced and second.id == f"{first.id}-2"
    assert second.paragraphs[0].id.startswith(f"{first.id}-2/")
    reopened = Library.open(include_bundled=False)
    assert sorted(reopened.ids()) == [first.id, f"{first.id}-2"]
    assert reopened.entry(first.id).inspection_start == "2020-03-02"
    assert reopened.entry(f"{first.id}-2").inspection_start == "2020-03-09"
    assert reopened.load(f"{first.id}-2").paragraphs[0].id.startswith(f"{first.id}-2/")


def test_the_same_report_imported_again_replaces_itself_and_keeps_its_notes():
    library = Library.open(include_bundled=False)
    report, _ = library.import_file(PDFS / "bury-2021.pdf")
    paragraph = report.paragraphs[5]
    assert run("note", "add", paragraph.id, "--text", "keep me").returncode == 0
    result = run("import", str(PDFS / "bury-2021.pdf"))
    assert result.returncode == 0, result.stderr
    assert f"replaced {report.id}" in result.stdout and "1 in place" in result.stdout
    notes = json.loads(run("note", "list", "--json").stdout)
    assert [n["paragraph_id"] for n in notes] == [paragraph.id]


def test_import_ends_with_a_summary_and_json_lists_each_files_warnings(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for source in (INSPECTIONS / "lancashire-2026-08-20.pdf", CORPUS / "halton-2020-apr-15.pdf"):
        shutil.copy(source, folder / source.name)
    shutil.copy(PDFS / "birmingham-2012-not-a-pdf.pdf", folder / "broken.pdf")
    result = run("import", str(folder))
    assert result.returncode == 2  # one file refused
    assert result.stdout.strip().splitlines()[-1] == (
        "2 imported, 0 replaced, 1 refused; 1 with warnings; 1 no overall effectiveness judgement in this report"
    )
    assert "broken.pdf: this is an HTML page" in result.stderr
    again = run("import", "--json", str(folder))
    body = json.loads(again.stdout)
    assert body["summary"]["replaced"] == 2 and body["summary"]["refused"] == 1
    lancashire = next(f for f in body["files"] if f["file"].endswith("lancashire-2026-08-20.pdf"))
    assert lancashire["authority_code"] == "888" and any("April 2026" in w for w in lancashire["warnings"])


def test_an_imported_copy_that_shadows_a_bundled_report_keeps_its_own_outline(tmp_path):
    from .conftest import REPORTS

    copy = tmp_path / "derby-edited.txt"
    copy.write_text(
        (REPORTS / "derby-2011.txt").read_text(encoding="utf-8").replace("Being healthy", "Being well"),
        encoding="utf-8",
    )
    report, replaced = Library.open().import_file(copy)
    assert replaced  # the same inspection as the bundled Derby report: it takes its place
    library = Library.open()  # now knows the bundled report it shadows
    library.import_file(PDFS / "bury-2021.pdf")  # any later save writes the outlines again
    reopened = Library.open()
    entry = reopened.entry(report.id)
    assert entry is not None
    titles = [title for _, title, _, _ in reopened.outline(entry)]
    assert "Being well" in titles and "Being healthy" not in titles


def test_importing_a_copy_of_a_bundled_report_does_not_make_the_next_start_rewrite_the_library(tmp_path):
    from ofsted_reader.host import locations

    from .conftest import REPORTS

    copy = tmp_path / "derby.txt"
    copy.write_text(
        (REPORTS / "derby-2011.txt").read_text(encoding="utf-8").replace("inspection", "inspections", 1),
        encoding="utf-8",
    )
    _, replaced = Library.open().import_file(copy)
    assert replaced
    manifest = locations.manifest_file()
    before = manifest.stat().st_mtime_ns
    library = Library.open()
    assert manifest.stat().st_mtime_ns == before and not library.problems
    assert library.entry(D).source.startswith(str(locations.imported_dir()))


def test_a_start_and_opening_reports_parse_nothing_again(monkeypatch):
    """Parses are cached by content: once the library has read its files, starting again and opening every report
    must not call the importer (with the cache switched off this fails)."""
    library = Library.open()
    library.reports()  # the shipped reports are read from the record as parsed; an import is parsed once
    report, _ = library.import_file(PDFS / "bury-2021.pdf")

    def refuse(*_):
        raise AssertionError("a report was parsed again")

    monkeypatch.setattr(parse_cache, "parse_bytes", refuse)
    again = Library.open()
    loaded = again.reports()
    assert not again.problems and len(loaded) == 5 and report.id in {r.id for r in loaded}
