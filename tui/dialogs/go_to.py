"""Go to a paragraph (:) by its id or by its number in the report open."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ofsted_reader.tui.key_hints import key_of


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
