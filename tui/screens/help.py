"""Help (F1 or ?): the keys of the pane you were in first, then the app's."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ofsted_reader.tui.key_hints import hint_line
from ofsted_reader.tui.key_names import describe_keys


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
    """Every key, in two columns where the terminal is wide enough; j/k, arrows, page keys, g/G scroll it."""

    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape,q,f1,question_mark", "close", "Close", id="help.close"),
        Binding("j,down", "scroll(1)", "Scroll down", id="help.down", show=False),
        Binding("k,up", "scroll(-1)", "Scroll up", id="help.up", show=False),
        Binding("pagedown,space", "page(1)", "Page down", id="help.page_down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="help.page_up", show=False),
        Binding("g,home", "ends(0)", "Top", id="help.top", show=False),
        Binding("G,end", "ends(1)", "Bottom", id="help.bottom", show=False),
    ]
    TWO_COLUMNS = 96  # terminal columns from which the keys are laid out in two columns

    def __init__(self, sections: list[tuple[str, list[Binding]]]):
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog", classes="help"):
            scroll = hint_line(self, ("help.down help.up", "scroll"), ("help.close", "closes"), between=", ")
            yield Label(Text("Keys  (").append_text(scroll).append(")"), id="dialog-title")
            if self.app.size.width >= self.TWO_COLUMNS and len(self.sections) > 1:
                left, right = _balanced(self.sections)
                with Horizontal(classes="help-columns"):
                    with Vertical(classes="help-column"):
                        for title, bindings in left:
                            yield Static(bindings_table(title, bindings))
                    with Vertical(classes="help-column"):
                        for title, bindings in right:
                            yield Static(bindings_table(title, bindings))
            else:
                for title, bindings in self.sections:
                    yield Static(bindings_table(title, bindings))
            yield Static(
                Text(
                    f"{describe_keys(self.app.COMMAND_PALETTE_BINDING)} opens the command palette: every action by "
                    "name. "
                    "Keys can be remapped in keymap.json in your data folder (binding id → keys).\n"
                    "Filters (the tree's f, the grades table): grade:4 matches any judgement graded 4, so an authority "
                    "inspected after April 2026 (no overall grade) is kept; overall:4 matches the overall judgement.",
                    style="dim",
                )
            )

    def on_mount(self) -> None:
        self.query_one("#dialog").focus()

    def _scroller(self) -> VerticalScroll:
        return self.query_one("#dialog", VerticalScroll)

    def action_scroll(self, step: int) -> None:
        self._scroller().scroll_relative(y=step, animate=False)

    def action_page(self, step: int) -> None:
        scroller = self._scroller()
        scroller.scroll_relative(y=step * max(scroller.size.height - 2, 1), animate=False)

    def action_ends(self, end: int) -> None:
        scroller = self._scroller()
        (scroller.scroll_end if end else scroller.scroll_home)(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)


def _balanced(sections: list[tuple[str, list[Binding]]]) -> tuple[list, list]:
    """Sections in order, split where the two columns come out nearest in length."""
    sizes = [len(bindings) + 2 for _, bindings in sections]
    total = sum(sizes)
    best = min(range(1, len(sections)), key=lambda cut: abs(total - 2 * sum(sizes[:cut])))
    return sections[:best], sections[best:]
