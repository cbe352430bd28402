"""The path to import (I): a file or a folder, completing the folders and report files that exist."""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, Static

from ofsted_reader.tui.key_hints import hint_line


class PathSuggester(Suggester):
    """Completes the last part of a path from the folders and report files (.pdf, .txt) that exist there."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        expanded = os.path.expanduser(value)
        folder, _, start = expanded.rpartition(os.sep)
        base = Path(folder or (os.sep if expanded.startswith(os.sep) else "."))
        try:
            names = sorted(os.scandir(base), key=lambda e: e.name)
        except OSError:
            return None
        for entry in names:
            if not entry.name.startswith(start) or entry.name == start or entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir or entry.name.lower().endswith((".pdf", ".txt")):
                return value[: len(value) - len(start)] + entry.name + (os.sep if is_dir else "")
        return None


class PathPrompt(ModalScreen[str | None]):
    """A file or folder to import; tab or → takes the completion shown."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="import.cancel"),
        Binding("tab", "complete", "Complete", id="import.complete", priority=True),
    ]
    TYPED_INTO = "#path-input"  # keys typed while it opens are held for it (app.on_event)

    def __init__(self, title: str, hint: str):
        super().__init__()
        self.title_text = title
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="import"):
            yield Label(self.title_text, id="dialog-title")
            yield Input(placeholder=self.hint, suggester=PathSuggester(), id="path-input")
            yield Static(
                hint_line(
                    self,
                    ("import.complete", "completes"),
                    ("=enter", "imports"),
                    ("import.cancel", "cancels"),
                    between=" · ",
                ),
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_complete(self) -> None:
        field = self.query_one(Input)
        field.cursor_position = len(field.value)
        field.action_cursor_right()  # at the end of the text, → takes the suggestion shown

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
