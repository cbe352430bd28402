"""Authorities first: grades at a glance in the tree, each authority's overview, the latest-grades table and its
filters, in the app and on the command line, over a library of real reports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from ofsted_reader.host import locations
from ofsted_reader.tui.screens.authority import AuthorityScreen
from ofsted_reader.tui.screens.grades import GradesScreen
from ofsted_reader.tui.widgets.library_tree import LibraryTree

from .conftest import CORPUS, INSPECTIONS, imported_home, library_in, make_app, open_at, screen_after, type_in
from .conftest import run_cli as run

# Barnsley and some of its statistical neighbours, a report of each framework, and two after April 2026.
FILES: list[str | Path] = [
    "barnsley-2014-aug-08.pdf",
    "barnsley-2018-nov-19.pdf",
    "durham-2016-may-16.pdf",
    "gateshead-2016-mar-11.pdf",
    INSPECTIONS / "sunderland-2025-03-11.pdf",
    "wakefield-2022-jan-05.pdf",
    INSPECTIONS / "lancashire-2026-08-20.pdf",
    "haringey-2014-jul-18.pdf",
    INSPECTIONS / "haringey-2026-02-24.pdf",
]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    paths = [name if isinstance(name, Path) else CORPUS / name for name in FILES]
    return imported_home(tmp_path_factory, "authorities-home", [*paths, INSPECTIONS / "blackpool-2026-07-28.pdf"])


@pytest.fixture
def library(isolated_home, template):
    return library_in(isolated_home, template)


def test_grades_latest_gives_one_row_per_authority_with_its_latest_inspection(library):
    rows = json.loads(run("grades", "--latest", "--json").stdout)
    barnsley = next(r for r in rows if r["authority"] == "Barnsley")
    assert barnsley["report_id"] == "barnsley-2018-10-19" and barnsley["overall"] == "Good"
    assert barnsley["combined_care_judgement"] is True  # one judgement for children in care and care leavers
    blackpool = next(r for r in rows if r["authority"] == "Blackpool")
    assert blackpool["overall"] is None and blackpool["leaders"] == "Outstanding"
    assert len({r["authority"] for r in rows}) == len(rows)


def test_grades_latest_filters_by_region_and_neighbours(library):
    north_east = json.loads(run("grades", "--latest", "--region", "north east", "--json").stdout)
    assert {r["authority"] for r in north_east} == {"Durham", "Gateshead", "Sunderland"}
    neighbours = json.loads(run("grades", "--latest", "--neighbours-of", "Barnsley", "--json").stdout)
    # Barnsley's ten statistical neighbours include Durham, Gateshead, Sunderland and Wakefield; not Haringey.
    assert {r["authority"] for r in neighbours} == {"Barnsley", "Durham", "Gateshead", "Sunderland", "Wakefield"}
    unknown = run("grades", "--latest", "--neighbours-of", "Atlantis")
    assert unknown.returncode == 2 and "no authority called 'Atlantis'" in unknown.stderr


def test_grades_latest_table_fits_80_columns_and_csv_has_full_words(library):
    table = run("grades", "--latest")
    assert table.returncode == 0
    assert max(len(line) for line in table.stdout.splitlines()) <= 80
    assert "Help &" in table.stdout and "Overall" in table.stdout and "RI requires improvement" in table.stdout
    rows = list(csv.DictReader(io.StringIO(run("grades", "--latest", "--csv").stdout)))
    assert next(r for r in rows if r["authority"] == "Durham")["overall"] == "Requires improvement"


async def test_tree_rows_lead_with_grades(library):
    app = make_app(library)
    async with app.run_test(size=(100, 40)) as pilot:
        tree = app.query_one(LibraryTree)
        rows = {node.data.authority: str(node.label) for node in tree.root.children}
        assert rows["Barnsley"].startswith(" Good  Barnsley  19 Oct 2018")  # the latest of its two inspections
        assert rows["Durham"].startswith(" RI  Durham")
        # After April 2026 there is no overall grade: the four judgements, each a letter with its judgement's name.
        assert rows["Blackpool"].startswith(" Le O   HP G   IC O   CL O  Blackpool")
        barnsley = next(n for n in tree.root.children if n.data.authority == "Barnsley")
        barnsley.expand()  # its reports' rows are added when it opens
        await pilot.pause()
        assert [str(n.label).split("  ")[0] for n in barnsley.children] == [" Good", " RI"]


async def test_authority_overview_shows_history_and_neighbours_and_opens_them(library):
    app = make_app(library)
    async with app.run_test(size=(120, 48)) as pilot:
        app.main.show_authority("Barnsley")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AuthorityScreen)
        heading = str(screen.query_one("#authority-heading").render())
        assert "Yorkshire and the Humber" in heading and "Metropolitan District" in heading
        assert "Last full inspection: 19 October 2018" in heading and "years ago" in heading  # not "2,966 days ago"
        inspections = screen.query_one("#authority-inspections", OptionList)
        assert [inspections.get_option_at_index(i).id for i in range(1, inspections.option_count)] == [
            "barnsley-2018-10-19",
            "barnsley-2014-08-08",
        ]
        assert "What needs to improve" in str(screen.query_one("#authority-improve").render())
        neighbours = screen.query_one("#authority-neighbours", OptionList)
        names = [neighbours.get_option_at_index(i).id for i in range(neighbours.option_count)]
        assert "Durham" in names and "Wakefield" in names
        await pilot.press("tab")  # to the neighbours; Durham is open to choose
        neighbours.highlighted = names.index("Durham")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AuthorityScreen) and app.screen.found.name == "Durham"
        await pilot.press("escape")  # back to Barnsley, on its inspections
        await pilot.press("enter")  # Barnsley's latest inspection
        await pilot.pause()
        assert app.main.report.id == "barnsley-2018-10-19"
        await pilot.press("less_than_sign")  # the same authority's earlier report, on the matching section
        await pilot.pause()
        assert app.main.report.id == "barnsley-2014-08-08"


async def test_grades_overview_filters_and_counts(library):
    app = make_app(library)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("M")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GradesScreen) and len(screen.rows) == 12  # 8 imported + 4 bundled
        await pilot.press("slash")
        await type_in(pilot, "region:north-east")
        await pilot.press("enter")
        await pilot.pause()
        assert sorted(r.authority for r in screen.rows) == ["Durham", "Gateshead", "Sunderland"]
        title = str(screen.query_one("#grades-title").render())
        assert "3 authorities" in title and "1 outstanding" in title
        await pilot.press("slash", "ctrl+u")
        await type_in(pilot, "neighbours:barnsley")
        await pilot.press("enter")
        await pilot.pause()
        assert "Haringey" not in [r.authority for r in screen.rows] and len(screen.rows) == 5
        await pilot.press("e")
        await pilot.pause()
        saved = (locations.data_dir() / "exports" / "latest-grades.csv").read_text()
        assert saved.count("\n") == 6
        await pilot.press("enter")  # the highlighted row's overview
        await pilot.pause()
        assert isinstance(app.screen, AuthorityScreen)


@pytest.mark.parametrize(
    ("size", "row"),
    [((80, 24), "▶ OGOO Blackpool"), ((160, 48), "▶  Le O   HP G   IC O   CL O  Blackpool  19 Jun 2026")],
)
async def test_a_badge_of_four_grades_gives_way_to_the_name_in_a_narrow_tree(library, size, row):
    """After April 2026 a row has four labelled grades: where they and the name do not fit, the letters alone."""
    from rich.style import Style

    app = make_app(library)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        tree = app.query_one(LibraryTree)
        [node] = [n for n in tree.root.children if n.data.authority == "Blackpool"]
        assert str(node.label).startswith(" Le O   HP G   IC O   CL O  Blackpool")  # the label itself stays whole
        assert tree.render_label(node, Style(), Style()).plain.startswith(row)
        barnsley = next(n for n in tree.root.children if n.data.authority == "Barnsley")
        assert tree.render_label(barnsley, Style(), Style()).plain.startswith("▶  Good  Barnsley")  # one grade: as ever


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_snapshot_first_screen_with_badges(snap_compare, library, size):
    assert snap_compare(make_app(library), terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_snapshot_authority_overview(snap_compare, library, size, monkeypatch):
    monkeypatch.setattr(AuthorityScreen, "today", dt.date(2026, 12, 1))

    async def run_before(pilot):
        pilot.app.main.show_authority("Barnsley")
        await pilot.pause()

    assert snap_compare(make_app(library), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_snapshot_grades_overview_filtered(snap_compare, library, size):
    async def run_before(pilot):
        await pilot.press("M", "slash")
        await type_in(pilot, "neighbours:barnsley")
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(make_app(library), terminal_size=size, run_before=run_before)


async def test_compare_chooser_offers_the_same_authority_then_neighbours_and_filters_as_you_type(library):
    from textual.widgets import SelectionList

    from ofsted_reader.tui.dialogs.multi_chooser import MultiChooser
    from ofsted_reader.tui.screens.compare import CompareScreen

    app = make_app(library)
    async with app.run_test(size=(160, 48)) as pilot:
        report = app.library.load("barnsley-2018-10-19")
        help_protection = next(
            s for s in report.sections if s.title.startswith("The experiences and progress of children who need help")
        )
        app.main.open_place(report.id, help_protection.id)
        await pilot.pause()
        chooser = await screen_after(pilot, MultiChooser, "c")
        values = [value for value, _ in chooser.options]
        assert values[0] == "barnsley-2014-08-08"  # the same authority's other inspection first
        neighbours = [v for v in values[1:5]]
        # then its statistical neighbours, in the DfE's order: Wakefield, Durham, Gateshead, Sunderland
        assert neighbours == [
            "wakefield-2021-11-19",
            "durham-2016-05-16",
            "gateshead-2016-03-11",
            "sunderland-2025-01-31",
        ]
        await pilot.press(*"gates")
        await pilot.pause()
        shown = chooser.query_one(SelectionList)
        assert [shown.get_option_at_index(i).value for i in range(shown.option_count)] == ["gateshead-2016-03-11"]
        await pilot.press("tab", "space", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        await pilot.press("l", "y")  # the Gateshead column's paragraph, with Gateshead's citation
        assert app.main.last_copied.split("\n\n")[-1].startswith(
            "(Ofsted, Gateshead: Inspection of services for children in need of help and protection, "
        )
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("x")  # the file exists now: asks before replacing it
        await pilot.pause()
        from ofsted_reader.tui.dialogs.confirm import Confirm

        assert isinstance(app.screen, Confirm)
        await pilot.press("n")


def test_snapshot_compare_chooser_filtering(snap_compare, library):
    async def run_before(pilot):
        await open_at(pilot, "barnsley-2018-10-19/p1")
        await pilot.press("c", *"north")
        await pilot.pause()

    assert snap_compare(make_app(library), terminal_size=(160, 48), run_before=run_before)


async def test_tree_filter_by_region_grade_framework_and_year_and_sort(library):
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        tree = app.query_one(LibraryTree)

        async def shown(typed):
            await pilot.press("f", "ctrl+u")
            app.query_one("#filter", Input).insert_text_at_cursor(typed)  # as typed, without a key press per letter
            await pilot.pause()
            return [n.data.authority for n in tree.root.children]

        assert await shown("region:north-east") == ["Durham", "Gateshead", "Sunderland"]
        assert await shown("region:north-east overall:2") == ["Gateshead"]
        # grade: is any judgement: Durham and Sunderland, not good overall, were judged good on another one.
        assert await shown("region:north-east grade:2") == ["Durham", "Gateshead", "Sunderland"]
        assert await shown("framework:sif 2014") == ["Barnsley", "Haringey"]
        assert await shown("grade:4 region:london") == []  # and the app says so
        assert "No matches" in str(app.query_one("#tree-status").render())  # said under the filter
        await pilot.press("ctrl+u", "escape")
        await pilot.press("S", "S")  # name -> region -> latest grade (worst first)
        await pilot.pause()
        order = [n.data.authority for n in tree.root.children]
        assert order.index("Durham") < order.index("Barnsley")  # RI before Good
        assert "by latest grade, worst first" in str(app.query_one("#tree-status").render())  # the order, said


def test_grades_table_is_one_readable_table_per_framework(library):
    result = run("grades")
    assert result.returncode == 0
    assert "ILACS: " in result.stdout and "SIF: " in result.stdout and "SLAC: 4 reports" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 160
    assert "more SLAC judgements: `grades --framework slac --csv` has every one" in result.stdout
