"""The national library the app ships: every English authority's latest inspection and the visit letters since,
known at start-up from reports/manifest.json, parsed and indexed in the background, with each report's Ofsted
source."""

from __future__ import annotations

import json
import shutil
import sys
import time

import orjson
import pytest
from textual.widgets import Input

from ofsted_reader.core.dates import long_date
from ofsted_reader.reports import MANIFEST, bundled_files, relative, sources
from ofsted_reader.store import bundled
from ofsted_reader.store.library import PARSER_VERSION, Library, search_index

from .conftest import INSPECTIONS, REPORTS, ROOT, make_app, settle
from .conftest import run_cli as run

# The whole shipped library: parsed and indexed once per test process, several seconds.
pytestmark = [pytest.mark.usefixtures("whole_library"), pytest.mark.slow]


@pytest.fixture
def whole_library(monkeypatch):
    monkeypatch.setenv("OFSTED_READER_BUNDLED", "all")


@pytest.fixture(scope="module")
def parsed(national_home):
    """Every shipped file parsed by the importer as it is now (in the shared national data dir, whose cache holds
    this parser version's parses: the manifest's content made from them)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OFSTED_READER_HOME", str(national_home))
        patch.setenv("OFSTED_READER_BUNDLED", "all")
        body = orjson.loads(orjson.dumps(bundled.build(PARSER_VERSION)))  # as it reads back from the file
    return national_home, body


@pytest.mark.corpus
def test_the_shipped_manifest_describes_every_bundled_file_as_the_importer_reads_it_now(parsed):
    _, fresh = parsed
    shipped = orjson.loads(MANIFEST.read_bytes())
    stale = sorted(
        name
        for name in set(fresh["reports"]) | set(shipped.get("reports", {}))
        if fresh["reports"].get(name) != shipped.get("reports", {}).get(name)
        or fresh["outlines"].get(name) != shipped.get("outlines", {}).get(name)
    )
    assert stale == [], f"reports/manifest.json is stale for {stale[:5]}: run `python -m ofsted_reader.store.bundled`"
    assert shipped["parser"] == PARSER_VERSION
    assert len(shipped["reports"]) == len(bundled_files()) == 4 + 153 + 46


def test_each_shipped_national_report_knows_its_ofsted_source(parsed):
    _, fresh = parsed
    listed = sources()
    for name, row in fresh["reports"].items():
        if not name.startswith("national/"):
            continue
        assert row["urn"] == listed[name].urn and row["published"] == listed[name].published
        if listed[name].kind == "inspection":
            assert row["source_url"].startswith("https://files.ofsted.gov.uk/v1/file/")


def test_a_fresh_data_dir_lists_every_authoritys_latest_grades_without_parsing(isolated_home, parsed, monkeypatch):
    from ofsted_reader.store import library as library_module

    def refuse(*_):
        raise AssertionError("a shipped report was parsed at start-up")

    monkeypatch.setattr(library_module, "parse_bytes", refuse)
    library = Library.open()
    assert len(library.entries()) == 203 and not library.problems

    result = run("grades", "--latest", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    _, fresh = parsed
    inspections = {row["id"]: row for name, row in fresh["reports"].items() if name.startswith("national/inspections/")}
    # The latest of each authority is its shipped inspection: the one the 2009-2012 reports predate.
    assert len(rows) == len({r["authority_code"] for r in inspections.values()}) >= 152
    for row in rows:
        parsed_row = inspections[row["report_id"]]
        assert row["inspected"] == parsed_row["inspected"]
        assert row["published"] == parsed_row["published"] and row["source_url"] == parsed_row["source_url"]
        grades = {key: value for key, value in parsed_row["grades"].items() if key in row}
        assert grades and all(row[key] is not None for key in grades)


def test_search_finds_text_of_every_shipped_report_once_indexing_is_done(isolated_home, parsed):
    home, _ = parsed
    shutil.copytree(home / "cache", isolated_home / "cache")  # parsed already: this test is about the index
    library = Library.open()
    index = search_index(library)
    missed = []
    for entry in library.entries():
        report = library.load(entry.id)
        longest = max(report.paragraphs, key=lambda p: len(p.text))
        phrase = " ".join(longest.text.split()[3:19])  # 16 words: a sentence no other report prints
        hits = index.search(f'"{phrase}"', limit=20).hits
        if not any(hit.doc.report_id == entry.id for hit in hits):
            missed.append(entry.id)
    assert missed == []
    # The CLI brings the index up to the library before it answers.
    result = run("search", "Barnsley", "--limit", "3", "--json")
    assert result.returncode == 0 and json.loads(result.stdout)


def test_the_cli_search_on_a_fresh_data_dir_indexes_the_whole_library_first(isolated_home):
    result = run("search", "private fostering arrangements", "--limit", "50", "--json")
    assert result.returncode == 0, result.stderr
    reports = {hit["report_id"] for hit in json.loads(result.stdout)}
    assert any(r.startswith("warwickshire-2011") for r in reports)  # the historic record
    assert len({r for r in reports if r >= "a" and not r.startswith(("derby-2011", "warwickshire-2011"))}) > 5


async def test_the_first_screen_shows_every_authority_with_its_latest_grades_and_a_welcome(isolated_home):
    from ofsted_reader.tui.library_dialogs import Welcome
    from ofsted_reader.tui.library_tree import LibraryTree

    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, Welcome)
        welcome = app.screen.body().plain
        assert "authorities: each one's latest inspection" in welcome and "Published up to" in welcome
        await pilot.press("enter")
        tree = app.main.query_one(LibraryTree)
        rows = [node.label.plain for node in tree.root.children]
        assert len(rows) >= 153
        barnsley = next(row for row in rows if "Barnsley" in row)
        assert barnsley.split()[0] == "Good"  # its latest inspection (2023), shown first
        assert sum(1 for row in rows if row.split()[0] in {"Outstanding", "Good", "RI", "Inadequate"}) >= 140
        await settle(pilot)


async def test_search_during_the_background_indexing_says_how_much_is_searched(isolated_home):
    from ofsted_reader.store.warmup import Progress
    from ofsted_reader.tui.search_screen import SearchScreen

    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("escape")
        await settle(pilot)
        assert app.main.indexing is None and app.main.search_index is not None
        # As the screen is while the background worker is halfway: a partial index and its progress.
        screen = SearchScreen(app.main.search_index, "", Progress(100, 203))
        await app.push_screen(screen)
        await pilot.pause()
        screen.query_one("#search-input", Input).value = "fostering"
        await pilot.pause(0.5)
        await settle(pilot)
        status = str(screen.query_one("#search-status").render())
        assert "Searched 100 of 203 reports so far (indexing continues)" in status


def test_importing_a_shipped_report_replaces_it_and_a_newer_one_becomes_the_latest(isolated_home, tmp_path):
    shipped = INSPECTIONS / "barnsley-2023-10-27.pdf"
    before = Library.open()
    bundled_entry = next(e for e in before.entries() if e.source == str(shipped))
    result = run("import", str(shipped))
    assert result.returncode == 0 and f"replaced {bundled_entry.id}" in result.stdout
    library = Library.open()
    barnsley = [e for e in library.entries() if e.authority_code == "370"]
    assert len(barnsley) == len([e for e in before.entries() if e.authority_code == "370"])  # no duplicate
    mine = library.entry(bundled_entry.id)
    assert not mine.bundled and mine.source_url == bundled_entry.source_url and mine.published == "2023-10-27"

    # A report of Barnsley inspected later than the shipped one (made from a 2009-2012 text report).
    text = (REPORTS / "derby-2011.txt").read_text(encoding="utf-8").replace("Derby", "Barnsley")
    text = text.replace("2011", "2027").replace("2010", "2027")
    newer = tmp_path / "barnsley-2027.txt"
    newer.write_text(text, encoding="utf-8")
    assert run("import", str(newer)).returncode == 0
    rows = json.loads(run("grades", "--latest", "--json").stdout)
    latest = next(r for r in rows if r["authority_code"] == "370")
    assert latest["report_id"].startswith("barnsley-2027") and latest["framework"] == "slac"
    assert len([e for e in Library.open().entries() if e.authority_code == "370"]) == len(barnsley) + 1


def test_open_starts_the_viewer_on_the_paragraphs_page(isolated_home, tmp_path):
    record = tmp_path / "viewer.txt"
    viewer = f"{sys.executable} -c \"import sys; open({str(record)!r}, 'w').write(' '.join(sys.argv[1:]))\" {{page}} {{file}}"
    library = Library.open()
    report = library.load(next(e.id for e in library.entries() if e.source.endswith("barnsley-2023-10-27.pdf")))
    paragraph = next(p for p in report.paragraphs if p.page and p.page > 3)
    result = run("open", paragraph.id, env={"OFSTED_READER_PDF_VIEWER": viewer})
    assert result.returncode == 0, result.stderr
    assert f"at page {paragraph.page}" in result.stdout
    deadline = time.monotonic() + 30  # the viewer is another process: a loaded machine starts it late
    while not (record.exists() and record.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert record.read_text() == f"{paragraph.page} {INSPECTIONS / 'barnsley-2023-10-27.pdf'}"


def test_open_says_in_one_line_when_no_viewer_exists(isolated_home):
    result = run("open", "barnsley", env={"OFSTED_READER_PDF_VIEWER": "no-such-viewer-here {file}", "PATH": "/nowhere"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "OFSTED_READER_PDF_VIEWER" in result.stderr


def test_the_shipped_files_are_package_data():
    """Every shipped file is one setuptools installs: the wheel must carry what the manifest names."""
    import tomllib

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"][
        "ofsted_reader.reports"
    ]
    from fnmatch import fnmatch

    for path in [*bundled_files(), MANIFEST, REPORTS / "national" / "sources.csv", REPORTS / "NOTICE.md"]:
        assert any(fnmatch(relative(path), pattern) for pattern in patterns), relative(path)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_snapshot_first_screen_of_the_national_library(snap_compare, size, isolated_home):
    async def run_before(pilot):
        await pilot.press("enter")  # past the welcome
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_snapshot_welcome_of_the_national_library(snap_compare, size, isolated_home):
    async def run_before(pilot):
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


def test_exports_cite_a_shipped_report_with_its_source_and_page(isolated_home):
    from ofsted_reader.core.export import export_notes
    from ofsted_reader.store.annotations import AnnotationStore

    library = Library.open()
    entry = next(e for e in library.entries() if e.source.endswith("barnsley-2023-10-27.pdf"))
    report = library.load(entry.id)
    paragraph = next(p for p in report.paragraphs if p.page and p.page > 2)
    AnnotationStore().add(report, paragraph.id, "front door delays", ["front-door"])
    markdown, _ = export_notes(AnnotationStore().all(), library.find)
    link = f"{entry.source_url}#page={paragraph.page}"
    assert (
        link in markdown
        and "Ofsted, Inspection of Barnsley local authority children’s services, 27 October 2023" in markdown
    )
    sources = markdown.split("## Sources", 1)[1]
    assert "published 27 October 2023, Ofsted URN 80426, https://files.ofsted.gov.uk/v1/file/50231520" in sources
    assert "Crown copyright" in sources
    as_csv, _ = export_notes(AnnotationStore().all(), library.find, as_csv=True)
    assert entry.source_url and entry.source_url in as_csv.splitlines()[1]


async def test_earlier_and_later_reports_of_an_authority_span_the_shipped_and_historic_reports(isolated_home):
    app = make_app(first_run=False)
    async with app.run_test(size=(160, 48)) as pilot:
        derby = [e for e in app.library.entries() if e.authority_code == "831"]
        latest = max(derby, key=lambda e: e.date)
        assert latest.bundled and latest.framework == "ilacs" and len(derby) >= 2
        app.main.open_place(latest.id)
        await pilot.pause()
        await pilot.press("less_than_sign")
        await pilot.pause()
        assert app.main.report.id == "derby-2011-06-27"  # the 2011 report, the historic record
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert app.main.report.id == latest.id
        await settle(pilot)


def test_a_comparison_in_markdown_ends_with_the_sources_it_quotes(isolated_home):
    library = Library.open()
    ids = [
        next(e.id for e in library.entries() if e.source.endswith(name))
        for name in ("barnsley-2023-10-27.pdf", "wakefield-2025-07-18.pdf")
    ]
    result = run("compare", *ids, "--section", "help and protection", "--markdown")
    assert result.returncode == 0, result.stderr
    sources = result.stdout.split("## Sources", 1)[1]
    for entry in map(library.entry, ids):
        assert f"published {long_date(entry.published)}, Ofsted URN {entry.urn}, {entry.source_url}" in sources
    assert "Crown copyright" in sources
