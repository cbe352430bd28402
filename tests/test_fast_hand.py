"""A fast hand loses nothing: keys typed while a dialog opens reach it (no letter runs as a command of the screen
below), tab from a note's text to its tags is never swallowed, quitting over an unsaved note asks, a draft kept is
said at the next start, and a saved note leaves no draft behind."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea

from ofsted_reader.store.notes.drafts import Draft, DraftText, kept_drafts
from ofsted_reader.tui.dialogs.confirm import Confirm
from ofsted_reader.tui.dialogs.note_editor import NoteEditor
from ofsted_reader.tui.screens.search import SearchScreen
from ofsted_reader.tui.widgets.notes_panel import NotesPanel
from ofsted_reader.tui.widgets.reader import Reader

from .conftest import W, make_app, opened_at, settle, told


def burst(app, *keys: str) -> None:
    """Keys as a fast hand types them: all sent before the app has handled the first (Pilot's press waits between
    keys, which no person does)."""
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)


async def test_letters_typed_as_search_opens_are_searched_not_run_as_commands():
    async with opened_at(f"{W}/p71", size=(80, 24)) as (app, pilot):
        await settle(pilot)
        app.store.add(app.main.report, f"{W}/p71", "keep me", ["x"])
        app.main.notes_changed()
        burst(app, "slash", *"derby")  # d would delete the note, e edit it, r ..., y copy
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#search-input", Input).value == "derby"
        assert [n.text for n in app.store.for_paragraph(f"{W}/p71")] == ["keep me"]


async def test_f_after_escape_filters_the_tree_with_the_letters_that_follow():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        burst(app, "escape", "f", *"wilt")
        await settle(pilot)
        assert app.screen is app.main
        assert app.main.query_one("#filter", Input).value == "wilt"


async def test_letters_typed_as_the_notes_list_and_a_note_open_reach_them():
    async with opened_at(f"{W}/p71", size=(80, 24)) as (app, pilot):
        await settle(pilot)
        burst(app, "ctrl+n", *"warw")
        await settle(pilot)
        assert isinstance(app.screen, NotesPanel)
        assert app.screen.query_one("#notes-filter", Input).value == "warw"
        await pilot.press("escape")
        await settle(pilot)
        burst(app, "a", *"drift", "tab", *"evidence", "ctrl+s")
        await settle(pilot)
        assert [(n.text, n.tags) for n in app.store.for_paragraph(f"{W}/p71")] == [("drift", ["evidence"])]
        assert app.query_one(Reader).current.id == f"{W}/p71"


async def test_quitting_over_an_unsaved_note_asks_and_keeps_its_draft():
    async with opened_at(f"{W}/p71", size=(80, 24)) as (app, pilot):
        await settle(pilot)
        await pilot.press("a")
        app.screen.query_one("#note-text", TextArea).insert("half a thought")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, Confirm) and app.is_running
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert not app.is_running
    assert Draft(f"new {W}/p71").load() == DraftText("half a thought", [], None)


async def test_a_draft_kept_is_said_at_the_next_start():
    Draft(f"new {W}/p71").save(DraftText("half a thought", [], None))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        said = " ".join(told(app))
        assert "not saved" in said and f"{W}/p71" in said


async def test_a_saved_note_leaves_no_draft_even_with_a_change_still_queued():
    async with opened_at(f"{W}/p71", size=(80, 24)) as (app, pilot):
        await settle(pilot)
        await pilot.press("a")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        editor.query_one("#note-text", TextArea).insert("done")
        await pilot.press("tab")
        burst(app, *"tag", "enter")  # the last Changed events are still queued when enter saves
        await settle(pilot)
        await pilot.pause(0.6)  # past the draft timer
        assert [n.text for n in app.store.for_paragraph(f"{W}/p71")] == ["done"]
        assert kept_drafts() == []
        await pilot.press("a")
        await settle(pilot)
        assert "Restored" not in str(app.screen.query_one("#note-problem").render())
