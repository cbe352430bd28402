"""The notes panel: every note, filtered by tag, report or words; enter jumps to its paragraph.

Orphans (notes whose paragraph could not be found after a report changed) are listed first, for re-attaching to
the paragraph under the reader's cursor (a) or deleting (d).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ofsted_reader.core.filters import FilterError
from ofsted_reader.core.note_filter import note_filter
from ofsted_reader.core.notes import Note
from ofsted_reader.core.safe_text import visible
from ofsted_reader.tui.key_hints import hint_line, key_of
from ofsted_reader.tui.notes_changed import NotesChange, notes_signal


@dataclass(frozen=True)
class NoteChoice:
    """What the panel was closed with: a note and what to do with it."""

    action: Literal["go", "attach", "delete"]
    note_id: str


class NotesPanel(ModalScreen[NoteChoice | None]):
    CSS_PATH = "notes_panel.tcss"
    TYPED_INTO = "#notes-filter"  # keys typed while it opens are held for it (app.on_event)
    BINDINGS = [
        Binding("escape", "close", "Close", id="notes.close"),
        Binding("a", "attach", "Attach orphan here", id="notes.attach"),
        Binding("d", "delete", "Delete", id="notes.delete"),
        Binding("down", "focus_list", show=False, id="notes.to_list"),
    ]

    def __init__(
        self,
        notes: list[Note],
        query: str = "",
        describe: Callable[[Note], str] | None = None,
        entries: list | None = None,
    ):
        super().__init__()
        self.notes = notes
        self.query_text = query
        self.describe = describe or (lambda note: note.paragraph_id or note.report_id)  # a note's place, readable
        self.entries = entries or []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="notes-panel"):
            yield Label(f"Notes ({len(self.notes)})", id="dialog-title")
            yield Input(
                self.query_text,
                placeholder="filter: words, #tag, report:derby, authority:hull, is:orphan, -tag:x",
                id="notes-filter",
            )
            yield OptionList(id="notes-list")
            yield Static(
                hint_line(
                    self,
                    ("notes.to_list", "the list"),
                    ("=enter", "go to"),
                    ("notes.attach", "attach orphan to the current paragraph"),
                    ("notes.delete", "delete"),
                    ("notes.close", "close"),
                ),
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        self.refill()
        # Typing filters at once (down or enter moves to the list): the list itself would take no letters.
        self.query_one("#notes-filter").focus()
        notes_signal(self).subscribe(self, self._notes_changed)

    def on_unmount(self) -> None:
        notes_signal(self).unsubscribe(self)

    def _notes_changed(self, change: NotesChange) -> None:
        """Notes changed (added in the app, or on disk by the command line or another window): shown as they are
        now, under the filter typed."""
        self.notes = change.notes
        self.query_one("#dialog-title", Label).update(f"Notes ({len(change.notes)})")
        self.refill()

    def refill(self) -> None:
        query = self.query_one("#notes-filter", Input).value
        try:
            keeps = note_filter(query, self.entries)
            problem = None
        except FilterError as error:
            keeps, problem = (lambda note: False), str(error)
        shown = [n for n in self.notes if keeps(n)]
        shown.sort(key=lambda n: (not n.orphan, n.report_id, n.position or 0))
        options = []
        for note in shown:
            label = Text()
            if note.orphan:
                label.append(" ORPHAN ", style="bold white on red")
                label.append(" ")
            label.append(visible(f"{self.describe(note)}  "), style="dim")
            label.append(note.summary(70))
            if note.tags:
                label.append(visible("  " + " ".join("#" + t for t in note.tags)), style="bold cyan")
            options.append(Option(label, id=note.id))
        widget = self.query_one("#notes-list", OptionList)
        widget.clear_options()
        widget.add_options(options)
        if options:
            widget.highlighted = 0
        else:
            message = problem or f"No notes match. Press {key_of(self, 'app.add_note')} on a paragraph to add one."
            widget.add_option(Option(Text(visible(message), style="bold" if problem else "dim"), disabled=True))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter goes to the note highlighted (the first that matches), as search does."""
        note_id = self._highlighted()
        if note_id:
            self.dismiss(NoteChoice("go", note_id))

    def action_focus_list(self) -> None:
        self.query_one("#notes-list").focus()

    def _highlighted(self) -> str | None:
        widget = self.query_one("#notes-list", OptionList)
        if widget.highlighted is None:
            return None
        return widget.get_option_at_index(widget.highlighted).id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(NoteChoice("go", event.option.id))

    def action_attach(self) -> None:
        note_id = self._highlighted()
        if note_id:
            self.dismiss(NoteChoice("attach", note_id))

    def action_delete(self) -> None:
        note_id = self._highlighted()
        if note_id:
            self.dismiss(NoteChoice("delete", note_id))

    def action_close(self) -> None:
        self.dismiss(None)
