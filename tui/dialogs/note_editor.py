"""The note editor (a, e, t): a note's Markdown text and its tags, kept as a draft while typed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, Static, TextArea

from ofsted_reader.store.notes.annotations import StaleEditError, StoreError
from ofsted_reader.store.notes.drafts import Draft, DraftText
from ofsted_reader.tui.key_hints import hint_line, key_of
from ofsted_reader.tui.widgets.tag_input import TagInput, TagSuggester

from .confirm import Confirm
from .literal import literal


@dataclass
class NoteResult:
    text: str
    tags: list[str]
    revision: int | None = None  # the revision of the note this text was started from (None for a new note)


# Saves a note; raises StoreError (or StaleEditError) to keep the editor open with the reason shown.
SaveNote = Callable[[NoteResult, bool], object]


class NoteEditor(ModalScreen[NoteResult | None]):
    """A Markdown text area for the note and a tag line that completes from existing tags.

    The editor never loses what was typed: it is kept as a draft while typing (restored if the app dies before
    saving), escape on a changed note asks first, and a save that fails keeps the editor open with the reason. An
    edit of a note changed elsewhere meanwhile is refused once: ctrl+s again saves over it. A restored draft keeps
    the revision it was started from, so a note changed since the draft was typed is such a stale edit too."""

    CSS_PATH = "note_editor.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]
    TYPED_INTO = "#note-text, #note-tags"  # keys typed while it opens are held for it (app.on_event)

    def __init__(
        self,
        heading: str,
        text: str = "",
        tags: list[str] | None = None,
        known_tags: list[str] | None = None,
        tags_only: bool = False,
        save: SaveNote | None = None,
        draft_key: str | None = None,
        revision: int | None = None,
    ):
        super().__init__()
        self.heading = heading
        self.initial_text = text
        self.initial_tags = tags or []
        self.known_tags = known_tags or []
        self.tags_only = tags_only
        self.save_note = save
        self.draft = Draft(draft_key) if draft_key else None
        self.revision = revision  # of the note as the editor opened it; a restored draft's own may be older
        self.overwrite = False  # after a refused stale edit, the next ctrl+s saves over the other change
        self._draft_timer: Timer | None = None
        self._finished = False  # saved or discarded: a change event still queued must not write the draft again

    def compose(self) -> ComposeResult:
        restored = self.draft.load() if self.draft else None
        text, tags = (restored.text, restored.tags) if restored else (self.initial_text, self.initial_tags)
        with Vertical(id="dialog", classes="note-editor tags-only" if self.tags_only else "note-editor"):
            yield Label(literal(self.heading), id="dialog-title")
            # What the editor has to say (a restored draft, a stale edit, a failed save) comes first: on a short
            # terminal the bottom of the dialog is cut off.
            yield Static("", id="note-problem", classes="dialog-problem")
            if not self.tags_only:
                yield TextArea(text, id="note-text", soft_wrap=True, show_line_numbers=False)
            # The tags already there are kept as typed, the cursor after them: typing adds a tag, never replaces them.
            yield TagInput(
                " ".join(tags) + (" " if tags else ""),
                placeholder="tags, separated by spaces (tab completes)",
                id="note-tags",
                suggester=TagSuggester(self.known_tags),
                select_on_focus=False,
            )
            # Docked to the dialog's foot: the actions show however short the terminal is.
            yield Static(
                hint_line(
                    self,
                    ("note.save", "save"),
                    ("note.cancel", "cancel"),
                    ("note.complete_tag", "next field / complete a tag"),
                    between="   ",
                ),
                classes="dialog-help dialog-actions",
            )
        self._restored = restored is not None and (restored.text, restored.tags) != (
            self.initial_text,
            self.initial_tags,
        )
        self._stale_draft = False
        if restored is not None and self._restored and self.revision is not None:
            self._stale_draft = restored.revision != self.revision
            self.revision = restored.revision  # the save is based on what the draft was typed over

    def on_mount(self) -> None:
        if self.tags_only:
            tags = self.query_one("#note-tags", Input)
            tags.focus()
            tags.cursor_position = len(tags.value)
        else:
            area = self.query_one("#note-text", TextArea)
            area.focus()
            area.move_cursor(area.document.end)  # editing goes on from the end of what is there
        if self._stale_draft:
            self._problem(
                "Restored the draft you had not saved; the note has changed elsewhere since you began it. "
                f"{key_of(self, 'note.save')} shows what changed before anything is saved over it; "
                f"{key_of(self, 'note.cancel')} discards the draft."
            )
        elif self._restored:
            save, cancel = key_of(self, "note.save"), key_of(self, "note.cancel")
            self._problem(f"Restored the draft you had not saved. {save} saves it, {cancel} discards it.")

    def _current(self) -> NoteResult:
        text = self.initial_text if self.tags_only else self.query_one("#note-text", TextArea).text
        tags = self.query_one("#note-tags", Input).value.replace(",", " ").split()
        return NoteResult(text=text, tags=tags, revision=self.revision)

    def _changed(self) -> bool:
        current = self._current()
        return (current.text, current.tags) != (self.initial_text, self.initial_tags)

    def _problem(self, message: str) -> None:
        self.query_one("#note-problem", Static).update(literal(message))

    def unsaved(self) -> bool:
        """Whether something typed here would be lost by closing it now."""
        return not self._finished and self._changed()

    def keep_draft_now(self) -> None:
        """Write the draft at once (the app is quitting): the timer that would have written it will not run."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._keep_draft()

    def _keep_draft(self) -> None:
        if self._finished:
            return
        current = self._current()
        if not self.draft or not self._changed():
            return
        if not self.draft.save(DraftText(current.text, current.tags, current.revision)):
            self._problem("Your draft cannot be kept on disk (is the disk full?): save or copy it soon.")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._schedule_draft()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._schedule_draft()

    def _schedule_draft(self) -> None:
        if self._finished:  # a change queued before the save or the discard: the draft is gone, and stays gone
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(0.4, self._keep_draft)

    def action_save(self) -> None:
        result = self._current()
        if not self.tags_only and not result.text.strip() and not result.tags:  # tags alone code a passage
            self._problem(f"A note needs some text or a tag ({key_of(self, 'note.cancel')} to cancel).")
            return
        if self.save_note is not None:
            try:
                self.save_note(result, self.overwrite)
            except StaleEditError as error:
                self.overwrite = True
                self._keep_draft()
                self._problem(
                    f"{error}. Its text now begins “{error.current.summary(50)}”. "
                    f"{key_of(self, 'note.save')} saves yours over it; {key_of(self, 'note.cancel')} keeps theirs "
                    "(your draft is kept)."
                )
                return
            except StoreError as error:
                self._keep_draft()
                self._problem(f"Not saved: {error}. Your text is still here and kept as a draft.")
                return
        self._finished = True
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if self.draft:
            self.draft.discard()
        self.dismiss(result)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_cancel(self) -> None:
        if not self._changed():
            self._finished = True
            if self.draft:
                self.draft.discard()
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self._finished = True
                if self._draft_timer is not None:
                    self._draft_timer.stop()
                if self.draft:
                    self.draft.discard()
                self.dismiss(None)

        self.app.push_screen(Confirm("Discard the changes you typed in this note?"), answered)
