"""Reports of the April 2026 framework give no overall grade: grade filters, the grades table, its sorting and the
lists of inadequate authorities keep them (Trafford, June 2026: leaders and help and protection inadequate); the
grades table's date control shows the country as at any day."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import Input

from ofsted_reader.core import filters
from ofsted_reader.host import locations
from ofsted_reader.tui.screens.grades import GradesScreen
from ofsted_reader.tui.widgets.library_tree import TreeFilter

from .conftest import make_app, screen_after, type_in
from .conftest import run_cli as run

TRAFFORD = {"leaders": 4, "help_protection": 4, "in_care": 2, "care_leavers": 3}


def test_grade_matches_any_judgement_and_overall_only_the_overall_one():
    def holds(typed: str, grades: dict[str, int]) -> bool:
        return filters.grades_hold(filters.grade_checks(filters.parse(typed)), grades)

    assert holds("grade:4", TRAFFORD) and holds("grade:inadequate", TRAFFORD) and holds("grade:ri", TRAFFORD)
    assert not holds("overall:4", TRAFFORD) and holds("-overall:4", TRAFFORD) and not holds("-grade:4", TRAFFORD)
    assert holds("overall:good", {"overall": 2, "leaders": 1}) and not holds("grade:4", {"overall": 2, "lscb": 4})
    with pytest.raises(filters.FilterError, match="overall:9 is not a grade"):
        filters.grade_checks(filters.parse("overall:9"))
    assert "any judgement" in filters.describe(["grade"]) and "after April 2026" in filters.describe(["grade"])


def test_the_tree_filter_keeps_an_authority_inadequate_on_any_judgement():
    class Latest:
        grades = TRAFFORD

    assert TreeFilter("grade:4").keeps_authority(Latest())  # type: ignore[arg-type]
    assert not TreeFilter("overall:4").keeps_authority(Latest())  # type: ignore[arg-type]


def test_cli_lists_trafford_among_the_inadequate(library):
    text = run("grades", "--latest").stdout
    assert "inadequate on any judgement: 13" in text
    line = next(line for line in text.splitlines() if line.startswith(" Trafford"))
    assert "none†" in line and line.count("Inad.") == 2


async def test_grades_table_keeps_2026_reports_in_filters_sorting_and_counts(library):
    app = make_app(library)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await screen_after(pilot, GradesScreen, "escape", "M")
        title = str(screen.query_one("#grades-title").render())
        assert "today" in title and "inadequate on any judgement 13" in title and "no overall grade (2026" in title

        async def filtered(text: str) -> list[str]:
            await pilot.press("f")
            screen.query_one("#grades-filter", Input).value = ""
            await type_in(pilot, text)
            await pilot.press("enter")
            return [row.authority for row in screen.rows]

        inadequate = await filtered("grade:4")
        assert "Trafford" in inadequate and len(inadequate) == 13
        overall = await filtered("overall:4")
        assert "Trafford" not in overall and set(overall) < set(inadequate)
        await filtered("")
        await pilot.press("s")  # by overall, worst first: Trafford ranked by its inadequate leaders
        assert screen.sort_key == "overall"
        worst = [row.authority for row in screen.rows[:13]]
        assert "Trafford" in worst
        assert "ranked here by leaders" in str(screen.query_one("#grades-title").render())


async def test_grades_table_as_at_a_date_by_year_and_typed(library):
    app = make_app(library)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await screen_after(pilot, GradesScreen, "escape", "M")
        assert len(screen.rows) == 153
        await pilot.press("comma")
        today = dt.date.today()
        assert screen.as_at == today.replace(year=today.year - 1)
        assert f"as at {screen.as_at.day} " in str(screen.query_one("#grades-title").render())
        assert all((row.published or "") <= screen.as_at.isoformat() for row in screen.rows)
        await pilot.press("d")
        await type_in(pilot, "2019-08-31")
        await pilot.press("enter")
        assert screen.as_at == dt.date(2019, 8, 31)
        names = {row.authority: row for row in screen.rows}
        assert len(names) == 147 and "Northamptonshire" not in names  # no report of it in the record
        assert names["Birmingham"].report_id.startswith("birmingham-2018") and names["York"].framework == "sif"
        assert "as at 31 Aug 2019" in str(screen.query_one("#grades-title").render())
        await pilot.press("e")
        saved = (locations.exports_dir() / "latest-grades-2019-08-31.csv").read_text(encoding="utf-8")
        assert "birmingham-2018" in saved and "birmingham-2022" not in saved
        await pilot.press("d")
        await type_in(pilot, "2019-02-30")
        await pilot.press("enter")
        assert screen.as_at == dt.date(2019, 8, 31)  # not a date: said, and nothing changed
        await pilot.press("escape", "full_stop")
        assert screen.as_at == dt.date(2020, 8, 31)
        await pilot.press("d")
        await type_in(pilot, "")
        screen.query_one("#as-at-input", Input).value = ""
        await pilot.press("enter")
        assert screen.as_at is None and len(screen.rows) == 153
