"""The shipped record: every inspection and visit letter of reports/record.csv, parsed at build time
(scripts/build_record.py) and read by the library as it is. The staleness test parses every PDF again where the
record's folder (../shared) is at hand, and fails when a shipped report differs from what the importers read now."""

from __future__ import annotations

import csv
import gzip
import importlib.util
import json
import sys

import orjson
import pytest

from ofsted_reader.reports import MANIFEST, OUTLINES, RECORD_DIR, original_files, relative
from ofsted_reader.store.library import shipped
from ofsted_reader.store.library.library import Library

from .conftest import REPORTS, ROOT, viewer_recording_to
from .conftest import run_cli as run

SHARED = ROOT.parent / "shared"
CHUNKS = 8  # the staleness test in parts, so every test process takes some of the ~870 parses


def _build_script():
    spec = importlib.util.spec_from_file_location("build_record", ROOT / "scripts" / "build_record.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _rows() -> list[dict[str, str]]:
    with (REPORTS / "record.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _shipped_by_file() -> dict[str, str]:
    return {row["file"]: report_id for report_id, row in orjson.loads(MANIFEST.read_bytes())["reports"].items()}


@pytest.mark.corpus
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_every_shipped_report_is_what_the_importers_read_from_its_pdf_now(chunk):
    if not SHARED.is_dir():
        pytest.skip("the record's PDFs (../shared) are not at hand")
    script = _build_script()
    rows = [r for i, r in enumerate(script.record_rows() + script.historic_rows()) if i % CHUNKS == chunk]
    by_file = _shipped_by_file()
    manifest = orjson.loads(MANIFEST.read_bytes())["reports"]
    stale = []
    for row in rows:
        path = (REPORTS if row in script.historic_rows() else SHARED) / row.file
        parsed = script.parse_one(row, str(path))
        if parsed.body is None:
            assert row.file not in by_file, f"{row.file} is shipped but is not a report now: {parsed.error}"
            continue
        report_id = by_file.get(row.file)
        if report_id is None or gzip.decompress(shipped.record_file(report_id).read_bytes()) != parsed.body:
            stale.append(row.file)
            continue
        # The manifest's row (what the tree, grades and map read) says what the parse says.
        listed = manifest[report_id]
        assert listed["grades"] == parsed.summary["grades"] and listed["overall"] == [
            list(o) for o in parsed.summary["overall"]
        ], report_id
    assert stale == [], f"{len(stale)} shipped reports are stale ({stale[:3]}): run `python scripts/build_record.py`"


def test_the_record_lists_every_inspection_and_visit_once_and_ships_each_one():
    rows = _rows()
    assert len(rows) == 865 and len({r["file"] for r in rows}) == 865
    by_file = _shipped_by_file()
    not_reports = [r["file"] for r in rows if r["file"] not in by_file]
    assert not_reports == ["pdf-samples/birmingham-2012-not-a-pdf.pdf"]  # an HTML error page: no report in it
    assert len(list(RECORD_DIR.glob("*.json.gz"))) == len(by_file) == 864 + 4


def test_each_shipped_report_knows_its_ofsted_source_and_its_original_if_shipped():
    rows = {r["file"]: r for r in _rows()}
    manifest = orjson.loads(MANIFEST.read_bytes())["reports"]
    originals = {relative(p) for p in original_files()}
    for report_id, row in manifest.items():
        listed = rows.get(row["file"])
        if listed is None:  # the four 2009-2012 text reports, shipped as their own originals
            assert row["original"] == row["file"] and row["framework"] == "slac"
            continue
        assert row["urn"] == listed["urn"] and row["source_url"] == (listed["source_url"] or None)
        assert row["published"] in (listed["published"], None) or report_id.endswith(row["published"])
        assert row["original"] is None or row["original"] in originals
    assert {row["original"] for row in manifest.values() if row["original"]} == originals  # each original used once


def test_a_regeneration_changes_only_the_reports_whose_parse_changed(tmp_path, monkeypatch):
    """The build writes a record file only when its parse differs, and byte for byte the same otherwise."""
    script = _build_script()
    row = script.historic_rows()[0]
    parsed = script.parse_one(row, str(REPORTS / row.file))
    report_id = parsed.summary["id"]
    before = shipped.record_file(report_id).read_bytes()
    assert shipped.compress(parsed.body) == before  # what a rebuild writes is what is shipped
    monkeypatch.setattr("ofsted_reader.reports.RECORD_DIR", tmp_path)
    monkeypatch.setattr(shipped, "RECORD_DIR", tmp_path)
    shipped.record_file(report_id).write_bytes(before)
    changed, _ = script.build([parsed], check=True)
    assert changed == []
    parsed.body = parsed.body.replace(b"Derby", b"Derbie", 1)
    changed, _ = script.build([parsed], check=True)
    assert changed == [report_id]


def test_the_shipped_files_are_package_data():
    """Every shipped file is one setuptools installs: the wheel must carry what the library reads."""
    from fnmatch import fnmatch

    import tomllib

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"][
        "ofsted_reader.reports"
    ]
    shipped_files = [*original_files(), *RECORD_DIR.glob("*.json.gz"), MANIFEST, OUTLINES, REPORTS / "record.csv"]
    for path in [*shipped_files, REPORTS / "NOTICE.md"]:
        assert any(fnmatch(relative(path), pattern) for pattern in patterns), relative(path)


def test_a_fresh_data_dir_holds_the_whole_record_without_parsing_anything(isolated_home, monkeypatch):
    from ofsted_reader.store.library import parse_cache

    def refuse(*_):
        raise AssertionError("a shipped report was parsed")

    monkeypatch.setenv("OFSTED_READER_BUNDLED", "all")
    monkeypatch.setattr(parse_cache, "parse_bytes", refuse)
    listed = json.loads(run("list", "--json").stdout)
    assert len(listed) >= 860
    birmingham = [r for r in listed if r["report_id"].startswith("birmingham-") and "focused" not in r["report_id"]]
    assert [r["report_id"][:15] for r in sorted(birmingham, key=lambda r: r["report_id"])][:3] == [
        "birmingham-2014",
        "birmingham-2016",
        "birmingham-2018",
    ]
    library = Library.open()
    report = library.load("birmingham-2014-05-23")
    assert report.framework == "sif" and report.source_url and report.urn and len(report.paragraphs) > 50
    assert not list((isolated_home / "cache").glob("*.json"))  # nothing parsed into the cache


@pytest.mark.slow
def test_indexing_stops_between_two_reports_when_asked_and_the_next_start_goes_on(isolated_home, monkeypatch):
    """A quit during the first start's indexing: the segment being written is given up, what was written stays, and
    the next start indexes the rest."""
    from ofsted_reader.store.library.warmup import warm

    monkeypatch.setenv("OFSTED_READER_BUNDLED", "all")
    library = Library.open()
    asked = []

    def stopping() -> bool:
        asked.append(1)
        return len(asked) > 60  # asked twice a report: past the first segment (24 reports), inside the second

    progress = warm(library, stopping=stopping)
    assert not progress.done and progress.indexed == 24
    assert len(library.index_store().report_ids()) == 24
    finished = warm(Library.open())
    assert finished.done and finished.indexed == len(library.entries()) >= 860


@pytest.fixture
def pdf_server():
    """A local server standing for Ofsted's file store: any path answers with one real report's PDF."""
    from .local_site import LocalSite, QuietHandler, serving

    body = (ROOT / "tests" / "data" / "pdf" / "bury-2021.pdf").read_bytes()

    class Handler(QuietHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with serving(LocalSite(Handler)) as site:
        yield f"{site.url}/v1/file/50000001"


def test_open_a_report_shipped_as_text_says_where_its_pdf_is_and_downloads_it_once_when_asked(
    isolated_home, monkeypatch, tmp_path, pdf_server
):
    monkeypatch.setenv("OFSTED_READER_BUNDLED", "all")
    report_id = "birmingham-2014-05-23"  # a 2014 report: its text ships, its PDF does not
    refused = run("open", f"{report_id}/p12")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert "--download" in refused.stderr and "https://files.ofsted.gov.uk/v1/file/" in refused.stderr
    assert "#page=" in refused.stderr

    real_entries = shipped.entries

    def local_source(*args):  # Ofsted's URL of this report stands at the local server
        found = real_entries(*args)
        for entry in found:
            if entry.id == report_id:
                entry.source_url = pdf_server
        return found

    monkeypatch.setattr(shipped, "entries", local_source)
    record = tmp_path / "viewer.txt"
    monkeypatch.setenv("OFSTED_READER_PDF_VIEWER", viewer_recording_to(record))
    opened = run("open", f"{report_id}/p12", "--download")
    assert opened.returncode == 0, opened.stderr
    copy = isolated_home / "originals" / f"{report_id}.pdf"
    assert copy.read_bytes()[:5] == b"%PDF-" and f"downloaded {pdf_server}" in opened.stdout
    page = Library.open().load(report_id).paragraph(f"{report_id}/p12").page
    assert f"opened {copy} at page {page}" in opened.stdout
    monkeypatch.setattr(shipped, "entries", real_entries)  # offline again: the copy is the library's now
    again = run("open", report_id)
    assert again.returncode == 0 and f"opened {copy}" in again.stdout and "downloaded" not in again.stdout
