"""A one-line question (a code's new name, its description, its colour): enter answers, esc backs out."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ofsted_reader.tui.key_hints import key_of

from .literal import literal


class Prompt(ModalScreen[str | None]):
    TYPED_INTO = "#prompt-input"  # keys typed while it opens are held for it (app.on_event)
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, title: str, value: str = "", hint: str = "", placeholder: str = ""):
        super().__init__()
        self.title_text, self.value, self.hint, self.placeholder = title, value, hint, placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="prompt"):
            yield Label(literal(self.title_text), id="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static(
                literal(
                    self.hint
                    + ("; " if self.hint else "")
                    + f"enter to save, {key_of(self, 'prompt.cancel')} to cancel"
                ),
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
