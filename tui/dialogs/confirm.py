"""A yes-or-no question (y or n), and the question before a file is written over."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Label

from .literal import literal


class Confirm(ModalScreen[bool]):
    CSS_PATH = "confirm.tcss"
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
