"""Notes changed in one place show everywhere notes are shown: the notes panel, the codebook, an authority's memos
and the reader follow a change made on another screen or by another process (the command line), without any
screen reaching into another."""

from __future__ import annotations

from textual.widgets import Label, OptionList

from ofsted_reader.store.library.library import Library
from ofsted_reader.store.notes.annotations import AnnotationStore
from ofsted_reader.tui.dialogs.note_editor import NoteEditor
from ofsted_reader.tui.screens.authority import AuthorityScreen
from ofsted_reader.tui.screens.codebook import CodebookScreen
from ofsted_reader.tui.widgets.notes_panel import NotesPanel
from ofsted_reader.tui.widgets.reader import Reader

from .conftest import WATCH_OFTEN, W, eventually, make_app, opened_at, screen_after, type_in


def listed(screen, list_id: str) -> list[str]:
    listing = screen.query_one(list_id, OptionList)
    return [listing.get_option_at_index(i).prompt.plain for i in range(listing.option_count)]


def code_row(codebook, tag: str) -> str:
    return codebook.query_one("#codebook-codes", OptionList).get_option(tag).prompt.plain


async def test_an_open_notes_panel_shows_notes_added_in_the_app_and_added_or_removed_by_the_cli(cli):
    async with opened_at(f"{W}/p71", size=(120, 40), notes_watch_seconds=WATCH_OFTEN) as (app, pilot):
        await pilot.press("ctrl+n")
        await pilot.pause()
        panel = app.screen
        assert isinstance(panel, NotesPanel) and "No notes match" in listed(panel, "#notes-list")[0]
        # A note added over the panel, the way compare's a adds one: the panel under the editor lists it.
        library = Library.open()
        report = library.load(W)
        app.main.add_note_to(report, report.paragraph(f"{W}/p71"))
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await type_in(pilot, "added in the app")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert panel.is_current
        assert [line for line in listed(panel, "#notes-list") if "added in the app" in line]
        assert str(panel.query_one("#dialog-title", Label).render()) == "Notes (1)"
        # One added, then one removed, by another process.
        added = cli("note", "add", f"{W}/p72", "--text", "from the command line")
        assert added.returncode == 0
        await eventually(pilot, lambda: str(panel.query_one("#dialog-title", Label).render()) == "Notes (2)")
        assert len([line for line in listed(panel, "#notes-list") if "from the command line" in line]) == 1
        mine = next(n for n in AnnotationStore().all() if n.text == "added in the app")
        assert cli("note", "rm", mine.id).returncode == 0
        await eventually(pilot, lambda: len(listed(panel, "#notes-list")) == 1)
        lines = listed(panel, "#notes-list")
        assert len(lines) == 1 and "from the command line" in lines[0]
        assert panel.is_current  # still open, still the user's


async def test_the_codebook_follows_the_cli_and_the_reader_follows_a_code_renamed_in_the_codebook(cli):
    report = Library.open().load(W)
    AnnotationStore().add(report, f"{W}/p71", "Thresholds unclear", ["practice"])
    async with opened_at(f"{W}/p71", size=(160, 48), notes_watch_seconds=WATCH_OFTEN) as (app, pilot):
        codebook = await screen_after(pilot, CodebookScreen, "C")
        assert code_row(codebook, "practice").split()[-3:] == ["1", "1", "1"]  # notes, reports, authorities
        assert cli("note", "add", f"{W}/p72", "--text", "Again", "--tag", "practice").returncode == 0
        await eventually(pilot, lambda: code_row(codebook, "practice").split()[-3:] == ["2", "1", "1"])
        # Renamed here, the reader on the main screen marks the paragraph's note with the new name.
        listing = codebook.query_one("#codebook-codes", OptionList)
        listing.highlighted = listing.get_option_index("practice")
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = "social-work"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main
        reader = app.main.query_one(Reader)
        assert [n.tags for n in reader.blocks[reader.cursor].notes] == [["social-work"]]


async def test_an_authority_overview_shows_a_memo_added_by_the_cli(cli):
    app = make_app(notes_watch_seconds=WATCH_OFTEN)
    async with app.run_test(size=(120, 40)) as pilot:
        app.main.show_authority("Derby")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AuthorityScreen) and listed(screen, "#authority-memos") == []
        assert cli("memo", "add", "--authority", "derby", "--text", "Leadership churn").returncode == 0
        await eventually(pilot, lambda: listed(screen, "#authority-memos") == ["The authority: Leadership churn"])


async def test_the_reader_shows_a_cli_note_even_when_another_screen_read_the_notes_first(cli):
    """The codebook opened within the second after the command line added a note reads the notes before the main
    screen's watcher does; the reader's mark and the title's count follow all the same."""
    # The watcher looks when the test says.
    async with opened_at(f"{W}/p71", size=(160, 48), notes_watch_seconds=3600) as (app, pilot):
        assert cli("note", "add", f"{W}/p71", "--text", "from the command line", "--tag", "cli").returncode == 0
        await pilot.press("C")  # the codebook reads every note at once
        await pilot.pause()
        assert isinstance(app.screen, CodebookScreen)
        assert code_row(app.screen, "cli").split()[-3:] == ["1", "1", "1"]
        await pilot.press("escape")
        await pilot.pause()
        reader = app.main.query_one(Reader)
        assert not reader.blocks[reader.cursor].notes  # not shown yet: the watcher has not looked
        app.main.check_notes_on_disk()  # its next look, a second later in the app
        await pilot.pause()
        assert reader.blocks[reader.cursor].notes
        assert "1 note" in str(app.main.query_one("#titlebar").render())
