"""Comparing sections across reports and frameworks, and the grades matrix."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ofsted_reader.core.compare import align_two, compare, find_section, grades_csv, grades_rows, topic
from ofsted_reader.store.library.library import Library

from .conftest import D, O, S, W, make_app, open_at, opened_at, run_cli, type_in


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:  # never the user's real data dir
        patch.setenv("OFSTED_READER_HOME", str(tmp_path_factory.mktemp("home")))
        library = Library.open()
        return {r.id: r for r in library.reports()}


def test_section_matching_across_the_bundled_reports(reports):
    safe = {rid: find_section(r, "Children and young people are safe and feel safe") for rid, r in reports.items()}
    assert safe[W].title == safe[D].title == safe[S].title == "Children and young people are safe and feel safe"
    # Worcestershire 2010 splits it: "The effectiveness of services in taking reasonable steps to ensure that
    # children and young people are safe" (and "... feel safe", a topic of its own).
    assert safe[O].title.startswith("The effectiveness of services") and safe[O].title.endswith("are safe")
    assert safe[O].grade == 4
    quality = find_section(reports[W], "Quality of provision", "looked_after")
    assert quality.id.startswith(f"{W}/services-for-looked-after-children")
    assert find_section(reports[O], "Quality of provision").title == "The quality of provision"
    assert find_section(reports[O], "Being healthy") is None  # 2010 has no such heading
    # Equivalents across frameworks.
    assert topic("The experiences and progress of children who need help and protection") == topic(
        "Children and young people are safe and feel safe"
    )
    assert (
        topic("Leadership, management and governance")
        == topic("Leadership and management")
        == topic("The impact of leaders on social work practice with children and families")
    )
    assert topic("Capacity to improve") == topic("Capacity for improvement")


def test_alignment_on_a_known_pair(reports):
    comparison = compare([reports[D], reports[W]], "Being healthy")
    rows = [[c.split("/")[-1] if c else None for c in row] for row in comparison.to_dict()["rows"]]
    # Both sections open with their health outcomes judgement, and each report's paragraphs keep their order.
    assert rows[0] == ["p75", "p127"]
    derby = [r[0] for r in rows if r[0]]
    warwick = [r[1] for r in rows if r[1]]
    assert derby == [f"p{n}" for n in range(75, 80)] and warwick == [f"p{n}" for n in range(127, 136)]
    # A paragraph pair about the same thing shares a row: care leavers' health and their health history (Derby's
    # p79, Warwickshire's p133), and not one of its neighbours about databases or assessment rates.
    assert next(r[1] for r in rows if r[0] == "p79") == "p133"


def test_align_two_keeps_order_and_leaves_gaps(reports):
    derby = [p for p in reports[D].paragraphs if p.number in (75, 76, 77)]
    pairs = align_two(derby, list(reversed(derby)))
    matched = [(a, b) for a, b in pairs if a is not None and b is not None]
    assert matched == sorted(matched) and len(matched) >= 1  # never crosses


def test_matrix_matches_each_record_of_main_findings(reports):
    rows = {row["report_id"]: row for row in grades_rows(list(reports.values()))}
    for rid, report in reports.items():
        assert rows[rid]["judgements"] == [
            {"service": j.service, "name": j.name, "grade": j.grade} for j in report.judgements
        ]
    table = list(csv.reader(io.StringIO(grades_csv(grades_rows(list(reports.values()), "slac")))))
    header, body = table[0], table[1:]
    column = header.index("safeguarding: Overall effectiveness")
    assert {row[0]: row[column] for row in body} == {D: "3", W: "2", S: "4", O: "4"}
    capacity = header.index("looked_after: Capacity for improvement")
    assert {row[0]: row[capacity] for row in body} == {D: "3", W: "2", S: "2", O: "3"}


def test_cli_compare_and_grades():
    run = run_cli
    result = run("compare", D, W, "--section", "being healthy", "--json")
    data = json.loads(result.stdout)
    assert [c["grade"] for c in data["columns"]] == [3, 2] and data["rows"][0] == [f"{D}/p75", f"{W}/p127"]
    markdown = run("compare", D, W, S, "--section", "Being healthy", "--markdown").stdout
    assert "| Derby (27 June 2011) | Being healthy | Adequate |" in markdown
    assert (
        "> — Ofsted, Warwickshire: Inspection of safeguarding and looked after children services, 16 December 2011, paragraph 127, Being healthy (Good)"
        in markdown
    )
    bad = run("compare", D, "nope-2000-01-01", "--section", "x")
    assert bad.returncode == 2 and "nope-2000-01-01" in bad.stderr and "Traceback" not in bad.stderr
    grades = json.loads(run("grades", "--framework", "slac", "--json").stdout)
    assert [g["report_id"] for g in grades] == [D, W, S, O]
    assert set(grades[0]) == {"report_id", "authority", "published", "inspected", "framework", "judgements"}


async def test_compare_screen_and_note_from_it():
    from ofsted_reader.tui.screens.compare import CompareScreen, CompareView

    async with opened_at(f"{W}/p127", size=(140, 40)) as (app, pilot):
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"derby", "tab", "space", "enter")  # filter, to the list, pick, compare
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        view = app.screen.query_one(CompareView)
        assert [r.id for r in view.comparison.reports] == [W, D]
        await pilot.press("l", "a")
        await type_in(pilot, "Derby lower")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [n.text for n in app.store.for_paragraph(f"{D}/p75")] == ["Derby lower"]
        await pilot.press("escape")
        assert app.screen is app.screen_stack[0]


async def test_grades_matrix_screen_sorts_and_opens():
    from textual.widgets import DataTable

    from ofsted_reader.tui.screens.matrix import MatrixScreen
    from ofsted_reader.tui.widgets.reader import Reader

    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("M", "h")  # the latest grades, then every report's
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 4
        await pilot.press("right", "right", "s")  # past the date: sort by safeguarding overall effectiveness
        await pilot.pause()
        assert [r["report_id"] for r in app.screen.rows][-2:] in ([S, O], [O, S])
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]
        assert app.query_one(Reader).current is not None and "overall-effectiveness" in app.main.section_id


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_snapshot_compare_screen(snap_compare, size):
    async def run_before(pilot):
        await open_at(pilot, f"{W}/p127")
        await pilot.press("c", "tab", "space", "down", "space", "enter")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_snapshot_grades_matrix(snap_compare, size):
    async def run_before(pilot):
        await pilot.press("M", "h")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
