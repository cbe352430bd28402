"""The national library the app ships: the complete record of every English authority's inspections and visit
letters since 2012, known at start-up from reports/manifest.json, indexed in the background, with each report's
Ofsted source."""

from __future__ import annotations

import json
import shutil

import pytest
from textual.widgets import Input

from ofsted_reader.core.dates import long_date
from ofsted_reader.store.library.library import Library
from ofsted_reader.store.library.warmup import search_index

from .conftest import INSPECTIONS, REPORTS, D, eventually, make_app, recorded, settle, viewer_recording_to
from .conftest import run_cli as run

# The whole shipped library: parsed and indexed once per test process, several seconds.
pytestmark = [pytest.mark.usefixtures("whole_library"), pytest.mark.slow]


@pytest.fixture
def whole_library(monkeypatch):
    monkeypatch.setenv("OFSTED_READER_BUNDLED", "all")


def test_search_finds_text_of_every_shipped_report_once_indexing_is_done(isolated_home, national_home):
    shutil.copytree(
        national_home / "cache", isolated_home / "cache", ignore=shutil.ignore_patterns("*-wal", "*-shm")
    )  # indexed already: this test asks the index
    library = Library.open()
    index = search_index(library)
    missed = []
    for entry in library.entries():
        report = library.load(entry.id)
        longest = max(report.paragraphs, key=lambda p: len(p.text))
        phrase = " ".join(longest.text.split()[3:19])  # 16 words: some are boilerplate many reports print
        hits = index.search(f'"{phrase}"', limit=2000).hits
        if not any(hit.doc.report_id == entry.id for hit in hits):
            missed.append(entry.id)
    assert missed == []
    # The CLI brings the index up to the library before it answers.
    result = run("search", "Barnsley", "--limit", "3", "--json")
    assert result.returncode == 0 and json.loads(result.stdout)


def test_the_cli_search_on_a_fresh_data_dir_indexes_the_whole_library_first(isolated_home):
    result = run("search", "private fostering arrangements", "--limit", "5000", "--json")
    assert result.returncode == 0, result.stderr
    reports = {hit["report_id"] for hit in json.loads(result.stdout)}
    assert any(r.startswith("warwickshire-2011") for r in reports)  # the 2009-2012 record
    assert any(r.startswith("birmingham-2014") for r in reports)  # the 2014-2018 record
    assert len({r for r in reports if r[-10:] >= "2022"}) > 50  # and the latest


async def test_the_first_screen_shows_every_authority_with_its_latest_grades_and_a_welcome(isolated_home):
    from ofsted_reader.tui.dialogs.welcome import Welcome
    from ofsted_reader.tui.widgets.library_tree import LibraryTree

    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, Welcome)
        welcome = app.screen.body().plain
        assert "authorities: every inspection of their children's services since 2013" in welcome
        assert "Published up to" in welcome
        await pilot.press("enter")
        tree = app.main.query_one(LibraryTree)
        rows = [node.label.plain for node in tree.root.children]
        assert len(rows) >= 153
        barnsley = next(row for row in rows if "Barnsley" in row)
        assert barnsley.split()[0] == "Good"  # its latest inspection (2023), shown first
        assert sum(1 for row in rows if row.split()[0] in {"Outstanding", "Good", "RI", "Inadequate"}) >= 140
        await settle(pilot)


async def test_search_during_the_background_indexing_says_how_much_is_searched(isolated_home):
    from ofsted_reader.store.library.warmup import Progress
    from ofsted_reader.tui.screens.search import SearchScreen

    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("escape")
        await settle(pilot)
        assert app.indexing.progress is None and app.indexing.index is not None
        # As the screen is while the background worker is halfway: a partial index and its progress.
        screen = SearchScreen(app.indexing.index, "", Progress(100, 868))
        await app.push_screen(screen)
        await pilot.pause()
        screen.query_one("#search-input", Input).value = "fostering"
        await eventually(pilot, lambda: screen.hits)
        await settle(pilot)
        status = str(screen.query_one("#search-status").render())
        assert "Searched 100 of 868 reports so far (indexing continues)" in status


def test_importing_a_shipped_report_replaces_it_and_a_newer_one_becomes_the_latest(isolated_home, tmp_path):
    shipped = INSPECTIONS / "barnsley-2023-10-27.pdf"
    before = Library.open()
    bundled_entry = next(e for e in before.entries() if e.original == str(shipped))
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
    library = Library.open()
    report = library.load(
        next(e.id for e in library.entries() if (e.original or "").endswith("barnsley-2023-10-27.pdf"))
    )
    paragraph = next(p for p in report.paragraphs if p.page and p.page > 3)
    result = run("open", paragraph.id, env={"OFSTED_READER_PDF_VIEWER": viewer_recording_to(record)})
    assert result.returncode == 0, result.stderr
    assert f"at page {paragraph.page}" in result.stdout
    assert recorded(record) == [str(paragraph.page), str(INSPECTIONS / "barnsley-2023-10-27.pdf")]


def test_open_says_in_one_line_when_no_viewer_exists(isolated_home):
    result = run("open", "barnsley", env={"OFSTED_READER_PDF_VIEWER": "no-such-viewer-here {file}", "PATH": "/nowhere"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "OFSTED_READER_PDF_VIEWER" in result.stderr


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
    from ofsted_reader.store.notes.annotations import AnnotationStore

    library = Library.open()
    entry = next(e for e in library.entries() if (e.original or "").endswith("barnsley-2023-10-27.pdf"))
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
        assert latest.bundled and latest.framework == "ilacs" and len(derby) >= 5
        app.main.open_place(latest.id)
        await pilot.pause()
        walked = [latest.id]
        for _ in derby[1:]:
            await pilot.press("less_than_sign")
            await pilot.pause()
            walked.append(app.main.report.id)
        # Every report of Derby, newest to oldest: ILACS, its visits, the 2014-2018 inspections, the 2011 report.
        assert walked == [e.id for e in sorted(derby, key=lambda e: e.date, reverse=True)]
        assert walked[-1] == D
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert app.main.report.id == walked[-2]
        await settle(pilot)


def test_a_comparison_in_markdown_ends_with_the_sources_it_quotes(isolated_home):
    library = Library.open()
    ids = [
        next(e.id for e in library.entries() if (e.original or "").endswith(name))
        for name in ("barnsley-2023-10-27.pdf", "wakefield-2025-07-18.pdf")
    ]
    result = run("compare", *ids, "--section", "help and protection", "--markdown")
    assert result.returncode == 0, result.stderr
    sources = result.stdout.split("## Sources", 1)[1]
    for entry in map(library.entry, ids):
        assert f"published {long_date(entry.published)}, Ofsted URN {entry.urn}, {entry.source_url}" in sources
    assert "Crown copyright" in sources


async def test_birminghams_overview_lists_every_inspection_since_2014_and_lt_walks_them(isolated_home):
    """Birmingham had one inspection in the library before the complete record: now its overview lists the 2014 and
    2016 single inspection framework reports, the 2018 and 2023 ILACS ones and the visits between, each with its
    grades, and `<` from the latest walks back through every one."""
    from textual.widgets import OptionList

    from ofsted_reader.tui.screens.authority import AuthorityScreen

    app = make_app(first_run=False)
    async with app.run_test(size=(160, 48)) as pilot:
        app.main.show_authority("Birmingham")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AuthorityScreen)
        rows = screen.query_one("#authority-inspections", OptionList)
        listed = [rows.get_option_at_index(i) for i in range(1, rows.option_count)]
        ids = [str(option.id) for option in listed]
        inspections = [i for i in ids if "focused" not in i]
        assert inspections == [
            "birmingham-2023-03-03",
            "birmingham-2018-12-14",
            "birmingham-2016-11-25",
            "birmingham-2014-05-23",
        ]
        assert len(ids) > len(inspections)  # the focused visits between them, in their place
        texts = {option.id: option.prompt.plain for option in listed}
        assert "SIF" in texts["birmingham-2014-05-23"] and "Inad." in texts["birmingham-2014-05-23"]
        assert "ILACS" in texts["birmingham-2023-03-03"] and "Good" in texts["birmingham-2023-03-03"]
        assert "Last full inspection: 3 March 2023" in str(screen.query_one("#authority-heading").render())
        await pilot.press("enter")  # the highlighted row: the latest report (a visit in 2024)
        await pilot.pause()
        assert app.main.report.id == ids[0] == "birmingham-focused-visit-2024-10-24"
        walked = [app.main.report.id]
        for _ in ids[1:]:
            await pilot.press("less_than_sign")
            await pilot.pause()
            walked.append(app.main.report.id)
        assert walked == ids  # newest to oldest, visits included
        await settle(pilot)
