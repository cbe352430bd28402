"""The codebook screen (C), as a user drives it: counts per code, every coded passage across reports with its
citation (enter opens it), a filter, two codes' co-occurrence, renaming with children, and the table as CSV."""

from __future__ import annotations

from contextlib import asynccontextmanager

import pytest
from textual.widgets import DataTable, OptionList, Static

from ofsted_reader.store.library.library import Library
from ofsted_reader.store.notes.annotations import AnnotationStore

from .conftest import D, S, make_app, type_in


def coded_library() -> dict[str, str]:
    """Notes on two of the bundled reports (Derby, East Midlands; Wiltshire, South West) with nested tags."""
    library = Library.open()
    derby, wiltshire = library.load(D), library.load(S)
    store = AnnotationStore()
    d1, d2, w1 = derby.paragraphs[12], derby.paragraphs[20], wiltshire.paragraphs[8]
    store.add(derby, d1.id, "Thresholds unclear", ["practice/thresholds", "front-door"], d1.text[:50])
    store.add(derby, d2.id, "Supervision patchy", ["practice/supervision"])
    store.add(wiltshire, w1.id, "Strong supervision", ["practice/supervision"])
    store.add(wiltshire, w1.id, "Contacts dealt with", ["front-door"])
    store.set_code("practice", "How social work is done", "#4363D8")
    return {"d1": d1.id, "d2": d2.id, "w1": w1.id}


def row(screen, tag: str) -> str:
    listing = screen.query_one("#codebook-codes", OptionList)
    return listing.get_option(tag).prompt.plain


def passage_texts(screen) -> list[str]:
    listing = screen.query_one("#codebook-passages", OptionList)
    return [listing.get_option_at_index(i).prompt.plain for i in range(listing.option_count)]


async def open_codebook(pilot, tag: str | None = None):
    await pilot.press("C")
    await pilot.pause()
    screen = pilot.app.screen
    if tag is not None:
        listing = screen.query_one("#codebook-codes", OptionList)
        listing.highlighted = listing.get_option_index(tag)
        await pilot.pause()
    return screen


@asynccontextmanager
async def codebook_at(tag: str):
    """`(app, pilot, screen)`: the app at 160x48 with its codebook open at `tag`."""
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        yield app, pilot, await open_codebook(pilot, tag)


async def test_counts_and_passages_across_reports_then_open_one():
    places = coded_library()
    async with codebook_at("practice") as (app, pilot, screen):
        assert row(screen, "practice").split()[-3:] == ["3", "2", "2"]  # notes, reports, authorities
        assert row(screen, "practice/supervision").split()[-3:] == ["2", "2", "2"]
        assert row(screen, "front-door").split()[-3:] == ["2", "2", "2"]
        heading = screen.query_one("#codebook-heading", Static).render().plain
        assert "3 passages · 2 reports · 2 authorities" in heading and "How social work is done" in heading
        shown = passage_texts(screen)
        assert [text.split(",")[0] for text in shown] == ["Derby", "Derby", "Wiltshire"]
        assert shown[0].startswith("Derby, 27 June 2011, paragraph") and "Thresholds unclear" in shown[0]
        # Enter on the code goes to its passages; down, enter opens the second on the main screen.
        await pilot.press("enter", "j", "enter")
        await pilot.pause()
        assert app.screen is app.main
        assert app.main.report.id == D and app.main.current().id == places["d2"]


async def test_filter_by_region_and_grade():
    coded_library()
    async with codebook_at("practice") as (_, pilot, screen):
        await pilot.press("f")
        await type_in(pilot, "region:south-west")
        assert [text.split(",")[0] for text in passage_texts(screen)] == ["Wiltshire"]
        assert row(screen, "practice").split()[-3:] == ["1", "1", "1"]
        assert "4 notes · 2 kept by the filter" in screen.query_one("#codebook-title", Static).render().plain
        screen.query_one("#codebook-filter").value = "grade:adequate"  # Derby's overall grade in 2011
        await pilot.pause()
        assert {text.split(",")[0] for text in passage_texts(screen)} == {"Derby"}
        screen.query_one("#codebook-filter").value = "grade:9"
        await pilot.pause()
        assert "a grade is 1-4" in screen.query_one("#codebook-heading", Static).render().plain


async def test_co_occurrence_of_two_codes():
    coded_library()
    async with codebook_at("practice/supervision") as (app, pilot, screen):
        await pilot.press("w")
        await pilot.pause()
        chooser = app.screen.query_one(OptionList)
        labels = [chooser.get_option_at_index(i).prompt for i in range(chooser.option_count)]
        assert any("front-door" in str(label) and "1 passages with both" in str(label) for label in labels)
        chooser.highlighted = next(i for i, label in enumerate(labels) if "front-door" in str(label))
        await pilot.press("enter")
        await pilot.pause()
        heading = screen.query_one("#codebook-heading", Static).render().plain
        # Wiltshire's paragraph carries both codes (on two notes); Derby has both, in different paragraphs.
        assert "practice/supervision with front-door" in heading and "1 passages coded with both" in heading
        assert "2 authorities with both: Derby, Wiltshire" in heading and "0 with front-door only" in heading
        assert [text.split(",")[0] for text in passage_texts(screen)] == ["Wiltshire"]
        await pilot.press("escape")  # back to the code's own passages
        await pilot.pause()
        assert len(passage_texts(screen)) == 2


async def test_rename_moves_children_and_table_saves_csv(tmp_path):
    coded_library()
    async with codebook_at("practice") as (app, pilot, screen):
        await pilot.press("r")
        await pilot.pause()
        prompt = app.screen.query_one("#prompt-input")
        prompt.value = "social-work"
        await pilot.press("enter")
        await pilot.pause()
        assert row(screen, "social-work/supervision").split()[-3:] == ["2", "2", "2"]
        assert sorted({t for n in AnnotationStore().all() for t in n.tags}) == [
            "front-door",
            "social-work/supervision",
            "social-work/thresholds",
        ]
        assert AnnotationStore().codes()["social-work"].description == "How social work is done"
        await pilot.press("T")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()][1:3] == ["Derby", "Wiltshire"]
        await pilot.press("b")  # by region
        await pilot.pause()
        assert [str(c.label) for c in table.columns.values()] == ["code", "East Midlands", "South West", "total"]
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = str(tmp_path / "table.csv")
        await pilot.press("enter")
        await pilot.pause()
        assert (tmp_path / "table.csv").read_text().splitlines()[:3] == [
            "code,East Midlands,South West,total",
            "front-door,1,1,2",
            "social-work,2,1,3",
        ]


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_snapshot_codebook(snap_compare, size):
    coded_library()

    async def run_before(pilot):
        await open_codebook(pilot, "practice")

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
