"""Small modal screens: note editor, tag editor, confirmation, go to, bookmarks."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, OptionList, SelectionList, Static, TextArea
from textual.widgets.option_list import Option


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


@dataclass
class NoteResult:
    text: str
    tags: list[str]


class NoteEditor(ModalScreen[NoteResult | None]):
    """A Markdown text area for the note and a tag line that completes from existing tags."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    def __init__(self, heading: str, text: str = "", tags: list[str] | None = None, known_tags: list[str] | None = None,
                 tags_only: bool = False):
        super().__init__()
        self.heading = heading
        self.initial_text = text
        self.initial_tags = tags or []
        self.known_tags = known_tags or []
        self.tags_only = tags_only

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="note-editor"):
            yield Label(self.heading, id="dialog-title")
            if not self.tags_only:
                yield TextArea(self.initial_text, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Input(" ".join(self.initial_tags), placeholder="tags, separated by spaces (tab completes)",
                        id="note-tags", suggester=TagSuggester(self.known_tags))
            yield Static("[b]ctrl+s[/] save   [b]esc[/] cancel   Markdown is kept as typed", classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one("#note-tags" if self.tags_only else "#note-text").focus()

    def action_save(self) -> None:
        text = self.initial_text if self.tags_only else self.query_one("#note-text", TextArea).text
        tags = self.query_one("#note-tags", Input).value.replace(",", " ").split()
        if not self.tags_only and not text.strip():
            self.notify("A note needs some text (esc to cancel)", severity="warning")
            return
        self.dismiss(NoteResult(text=text, tags=tags))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)


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
            yield Label(self.question, id="dialog-title")
            with Horizontal(classes="buttons"):
                yield Button("Yes (y)", id="yes", variant="error")
                yield Button("No (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class GoTo(ModalScreen[str | None]):
    """Go to a paragraph id (warwickshire-2011-12-16/p71), or a number in the current report (71)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="goto.cancel")]

    def __init__(self, hint: str):
        super().__init__()
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="goto"):
            yield Label("Go to paragraph", id="dialog-title")
            yield Input(placeholder=self.hint, id="goto-input")
            yield Static("a paragraph id, or a number in this report; enter to go, esc to cancel", classes="dialog-help")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Chooser(ModalScreen[str | None]):
    """Pick one of a list (bookmarks, notes of a paragraph): enter chooses, esc backs out."""

    BINDINGS = [
        Binding("escape", "cancel", "Close", id="chooser.cancel"),
        Binding("j", "down", show=False),
        Binding("k", "up", show=False),
    ]

    def __init__(self, title: str, options: list[tuple[str, str]], empty: str = "Nothing here yet."):
        super().__init__()
        self.title_text = title
        self.options = options
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="chooser"):
            yield Label(self.title_text, id="dialog-title")
            if self.options:
                options = OptionList(*[Option(label, id=value) for value, label in self.options], id="chooser-list")
                options.highlighted = 0
                yield options
            else:
                yield Static(self.empty, classes="dialog-help")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_down(self) -> None:
        for widget in self.query(OptionList):
            widget.action_cursor_down()

    def action_up(self) -> None:
        for widget in self.query(OptionList):
            widget.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)


class MultiChooser(ModalScreen[list[str] | None]):
    """Pick several (space toggles, enter confirms)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="multichooser.cancel"),
                Binding("enter", "confirm", "Confirm", id="multichooser.confirm", priority=True)]

    def __init__(self, title: str, options: list[tuple[str, str]]):
        super().__init__()
        self.title_text = title
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="chooser"):
            yield Label(self.title_text, id="dialog-title")
            if self.options:
                yield SelectionList[str](*[(label, value) for value, label in self.options], id="multi-list")
            else:
                yield Static("No other report has a matching section.", classes="dialog-help")

    def action_confirm(self) -> None:
        lists = self.query(SelectionList)
        self.dismiss(list(lists.first().selected) if lists else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
