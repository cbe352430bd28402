"""Coding in one key: a note of tags alone, the last code applied with `.`, a chosen one with `T`, and the notes
list finding notes by their authority's name as the tree's filter does."""

from __future__ import annotations

from textual.widgets import OptionList

from ofsted_reader.tui.dialogs.note_editor import NoteEditor
from ofsted_reader.tui.widgets.notes_panel import NotesPanel
from ofsted_reader.tui.widgets.reader import Reader

from .conftest import W, opened_at, settle, type_in


async def test_a_note_of_tags_alone_is_saved_and_named_by_its_tags():
    async with opened_at(f"{W}/p71", size=(80, 24)) as (app, pilot):
        await pilot.press("a")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("tab")
        await type_in(pilot, "evidence")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, NoteEditor)
        notes = app.store.for_paragraph(f"{W}/p71")
        assert [(n.text, n.tags) for n in notes] == [("", ["evidence"])]
        assert notes[0].summary() == "#evidence"


async def test_the_last_code_is_applied_in_one_key_and_a_chosen_one_with_T():
    async with opened_at(f"{W}/p71", size=(80, 24)) as (app, pilot):
        await pilot.press("T")
        assert isinstance(app.screen, NoteEditor)
        await type_in(pilot, "practice/supervision")
        await pilot.press("enter")
        await settle(pilot)
        assert [n.tags for n in app.store.for_paragraph(f"{W}/p71")] == [["practice/supervision"]]
        await pilot.press("j", "full_stop")  # the next paragraph, coded with the same code in one key
        await settle(pilot)
        here = app.query_one(Reader).current.id
        assert here == f"{W}/p72"
        assert [(n.text, n.tags) for n in app.store.for_paragraph(here)] == [("", ["practice/supervision"])]
        await pilot.press("full_stop")  # again: said, not a second note
        await settle(pilot)
        assert len(app.store.for_paragraph(here)) == 1


async def test_the_notes_list_finds_notes_by_their_authoritys_name():
    async with opened_at(f"{W}/p71", size=(80, 24)) as (app, pilot):
        app.store.add(app.main.report, f"{W}/p120", "IRO independence", ["iro"])
        app.main.notes_changed()
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, NotesPanel)
        await type_in(pilot, "warwickshire")
        await settle(pilot)
        listed = app.screen.query_one("#notes-list", OptionList)
        assert listed.option_count == 1 and listed.get_option_at_index(0).id is not None
        await type_in(pilot, " -iro")
        await settle(pilot)
        assert listed.get_option_at_index(0).id is None  # "No notes match"


def test_a_note_of_tags_alone_from_the_command_line(cli):
    added = cli("note", "add", f"{W}/p71", "--tag", "evidence")
    assert added.returncode == 0, added.stderr
    listed = cli("note", "list")
    assert "#evidence" in listed.stdout
    refused = cli("note", "add", f"{W}/p71")
    assert refused.returncode == 2 and "needs --text or a --tag" in refused.stderr
