"""Help (F1 or ?): the keys of the pane you were in first, then the app's."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

KEY_NAMES = {
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "space": "space",
    "question_mark": "?",
    "slash": "/",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "apostrophe": "'",
    "colon": ":",
    "escape": "esc",
    "enter": "enter",
    "less_than_sign": "<",
    "greater_than_sign": ">",
    "full_stop": ".",
    "comma": ",",
}


def describe_keys(keys: str) -> str:
    names = []
    for key in keys.split(","):
        parts = key.strip().split("+")
        names.append("+".join(KEY_NAMES.get(p, p) for p in parts))
    return " / ".join(names)


def bindings_table(title: str, bindings: list[Binding]) -> Table:
    table = Table(
        title=title, title_justify="left", show_header=False, box=None, padding=(0, 2, 0, 0), title_style="bold"
    )
    table.add_column("keys", style="bold cyan", no_wrap=True)
    table.add_column("action")
    seen = set()
    for binding in bindings:
        if not binding.description or binding.description in seen:
            continue
        seen.add(binding.description)
        table.add_row(describe_keys(binding.key), binding.description)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,f1,question_mark", "close", "Close", id="help.close")]

    def __init__(self, sections: list[tuple[str, list[Binding]]]):
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog", classes="help"):
            yield Label("Keys", id="dialog-title")
            for title, bindings in self.sections:
                yield Static(bindings_table(title, bindings))
            yield Static(
                Text(
                    "ctrl+p opens the command palette: every action by name. "
                    "Keys can be remapped in keymap.json in your data folder (binding id → keys).",
                    style="dim",
                )
            )

    def action_close(self) -> None:
        self.dismiss(None)
