"""Small modal screens: note editor, tag editor, confirmation, go to, bookmarks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.segment import Segment
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.strip import Strip
from textual.suggester import Suggester
from textual.timer import Timer
from textual.widgets import Button, Input, Label, OptionList, SelectionList, Static, TextArea
from textual.widgets.option_list import Option, OptionDoesNotExist

from ofsted_reader.core.safe_text import visible
from ofsted_reader.store.notes.annotations import StaleEditError, StoreError
from ofsted_reader.store.notes.drafts import Draft, DraftText
from ofsted_reader.tui.key_hints import hint_line, key_of


class TagSuggester(Suggester):
    """Completes the last tag being typed from the tags already in use."""

    def __init__(self, tags: list[str]):
        super().__init__(use_cache=False, case_sensitive=False)
        self.tags = tags

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(" ")
        last = last.lstrip("#")
        if not last:
            return None
        for tag in self.tags:
            if tag.startswith(last.lower()) and tag != last.lower():
                return f"{head} {tag}".lstrip() if head else tag
        return None


class TagInput(Input):
    """The tag line: tab takes the completion shown (as → does at the end of the line); with none, tab moves on."""

    BINDINGS = [Binding("tab", "complete", "Complete tag", id="note.complete_tag", show=False)]

    def action_complete(self) -> None:
        if self._suggestion and len(self._suggestion) > len(self.value):
            self.value = self._suggestion + " "  # the next tag starts after a space
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()


@dataclass
class NoteResult:
    text: str
    tags: list[str]
    revision: int | None = None  # the revision of the note this text was started from (None for a new note)


def literal(text: str) -> Text:
    """Text from a note, a tag, a report or a file name, shown as it is: never read as markup."""
    return Text(visible(text))


# Saves a note; raises StoreError (or StaleEditError) to keep the editor open with the reason shown.
SaveNote = Callable[[NoteResult, bool], object]


class NoteEditor(ModalScreen[NoteResult | None]):
    """A Markdown text area for the note and a tag line that completes from existing tags.

    The editor never loses what was typed: it is kept as a draft while typing (restored if the app dies before
    saving), escape on a changed note asks first, and a save that fails keeps the editor open with the reason. An
    edit of a note changed elsewhere meanwhile is refused once: ctrl+s again saves over it. A restored draft keeps
    the revision it was started from, so a note changed since the draft was typed is such a stale edit too."""

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


class Confirm(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="confirm"):
            yield Label(literal(self.question), id="dialog-title")
            with Horizontal(classes="buttons"):
                yield Button("Yes (y)", id="yes", variant="error")
                yield Button("No (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


def unless_it_replaces(screen: Screen, path: Path, write: Callable[[], None]) -> None:
    """Run `write` at once for a new file; for one that exists, only once the user says to replace it."""
    if not path.exists():
        write()
        return

    def answered(replace: bool | None) -> None:
        if replace:
            write()

    screen.app.push_screen(Confirm(f"{path.name} exists already. Replace it? (y/n)"), answered)


class GoTo(ModalScreen[str | None]):
    """Go to a paragraph id (warwickshire-2011-12-16/p71), or a number in the current report (71)."""

    TYPED_INTO = "#goto-input"  # keys typed while it opens are held for it (app.on_event)

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="goto.cancel")]

    def __init__(self, hint: str):
        super().__init__()
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="goto"):
            yield Label("Go to paragraph", id="dialog-title")
            yield Input(placeholder=self.hint, id="goto-input")
            yield Static(
                f"a paragraph id, or a number in this report; enter to go, {key_of(self, 'goto.cancel')} to cancel",
                classes="dialog-help",
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Chooser(ModalScreen[str | None]):
    """Pick one of a list (bookmarks, notes of a paragraph): enter chooses, esc backs out; with `on_delete`, d removes
    the one highlighted (and the list stays open)."""

    BINDINGS = [
        Binding("escape", "cancel", "Close", id="chooser.cancel"),
        Binding("j", "down", show=False, id="chooser.down"),
        Binding("k", "up", show=False, id="chooser.up"),
        Binding("d,delete", "delete", "Remove", id="chooser.delete", show=False),
    ]

    def __init__(
        self,
        title: str,
        options: list[tuple[str, str]],
        empty: str = "Nothing here yet.",
        choose: str = "choose",
        on_delete: Callable[[str], None] | None = None,
        delete: str = "remove",
    ):
        super().__init__()
        self.title_text = title
        self.options = list(options)
        self.empty = empty
        self.choose = choose
        self.on_delete = on_delete
        self.delete = delete

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="chooser"):
            yield Label(literal(self.title_text), id="dialog-title")
            if self.options:
                options = OptionList(
                    *[Option(literal(label), id=value) for value, label in self.options], id="chooser-list"
                )
                options.highlighted = 0
                yield options
            yield Static(self.empty, classes="dialog-help", id="chooser-empty")
            keys = [("=enter", self.choose)]
            if self.on_delete is not None:
                keys.append(("chooser.delete", self.delete))
            keys += [("chooser.down chooser.up", "move"), ("chooser.cancel", "close")]
            yield Static(hint_line(self, *keys, between=" · "), classes="dialog-help dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#chooser-empty").display = not self.options

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_down(self) -> None:
        for widget in self.query(OptionList):
            widget.action_cursor_down()

    def action_up(self) -> None:
        for widget in self.query(OptionList):
            widget.action_cursor_up()

    def action_delete(self) -> None:
        lists = self.query(OptionList)
        if self.on_delete is None or not lists or lists.first().highlighted is None:
            return
        widget = lists.first()
        index = widget.highlighted or 0
        value = widget.get_option_at_index(index).id
        if value is None:
            return
        self.on_delete(value)
        widget.remove_option_at_index(index)
        self.options = [(v, label) for v, label in self.options if v != value]
        if self.options:
            widget.highlighted = min(index, len(self.options) - 1)
        else:
            widget.display = False
            self.query_one("#chooser-empty").display = True

    def action_cancel(self) -> None:
        self.dismiss(None)


class PickList(SelectionList[str]):
    """A SelectionList whose picked rows say so in a character, ✓, not in colour alone (Textual's draws "X" on every
    row, picked or not)."""

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        segments = list(line)
        try:
            option = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return line
        if len(segments) < 2 or segments[1].text != "X":
            return line
        mark = "✓" if option.value in self._selected else " "
        segments[1] = Segment(mark, segments[1].style)
        return Strip(segments, line.cell_length)


class MultiChooser(ModalScreen[list[str] | None]):
    """Pick several (space toggles, enter confirms). With `filterable`, typing narrows the list (picks are kept)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="multichooser.cancel"),
        Binding("enter", "confirm", "Confirm", id="multichooser.confirm", priority=True),
        Binding("down", "to_list", "To the list", id="multichooser.to_list", show=False),
    ]

    def __init__(self, title: str, options: list[tuple[str, str]], filterable: bool = False, limit: int | None = None):
        super().__init__()
        self.title_text = title
        self.options = options
        self.filterable = filterable
        self.limit = limit
        self.picked: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="chooser"):
            yield Label(literal(self.title_text), id="dialog-title")
            if self.filterable:
                yield Input(placeholder="type to filter: authority, date, region…", id="multi-filter")
            if self.options:
                yield PickList(*[(literal(label), value) for value, label in self.options], id="multi-list")
            else:
                yield Static("No other report has a matching section.", classes="dialog-help")
            yield Static(
                Text("type to filter · ").append_text(
                    hint_line(
                        self,
                        ("multichooser.to_list", "the list"),
                        ("=space", "picks (✓)"),
                        ("multichooser.confirm", ""),
                        ("multichooser.cancel", "cancels"),
                        between=" · ",
                    )
                ),
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        if self.filterable and self.options:
            self.query_one("#multi-filter", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        words = event.value.lower().split()
        lists = self.query(SelectionList)
        if not lists:
            return
        selection = lists.first()
        self.picked = list(dict.fromkeys(self.picked + list(selection.selected)))
        selection.clear_options()
        shown = [(value, label) for value, label in self.options if all(w in label.lower() for w in words)]
        selection.add_options([(literal(label), value, value in self.picked) for value, label in shown])
        selection.highlighted = 0 if shown else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_to_list()

    def action_to_list(self) -> None:
        """↓ from the filter: to the list, where space picks."""
        lists = self.query(SelectionList)
        if lists and lists.first().option_count:
            lists.first().focus()

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        visible_values = {
            event.selection_list.get_option_at_index(i).value for i in range(event.selection_list.option_count)
        }
        self.picked = [v for v in self.picked if v not in visible_values] + list(event.selection_list.selected)

    def action_confirm(self) -> None:
        lists = self.query(SelectionList)
        if not lists:
            self.dismiss(None)
            return
        picked = list(dict.fromkeys(self.picked + list(lists.first().selected)))
        if self.limit and len(picked) > self.limit:
            self.notify(f"Pick at most {self.limit}", severity="warning")
            return
        self.dismiss(picked)

    def action_cancel(self) -> None:
        self.dismiss(None)
