"""Codes by authority, region, grade, framework or year (T in the codebook): each code's notes counted by where
they are, children included. `b` changes what the columns are; `s` saves the table as CSV."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from rich.markup import escape
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ofsted_reader.core.coding import DIMENSION_NOTES, DIMENSIONS, CodeTable, ReportFacts, code_table
from ofsted_reader.core.notes import Note
from ofsted_reader.core.safe_text import visible
from ofsted_reader.host import locations
from ofsted_reader.store.atomic import write_atomic
from ofsted_reader.tui.dialogs.prompt import Prompt
from ofsted_reader.tui.key_hints import key_of
from ofsted_reader.tui.widgets.key_bar import KeyBar


class CodeTableScreen(Screen[None]):
    CSS_PATH = "code_table.tcss"
    HELP_TITLE = "Codes table"
    BINDINGS = [
        Binding("escape", "back", "Back", id="codetable.back"),
        Binding("b", "by", "Columns by", id="codetable.by"),
        Binding("s", "save", "Save CSV", id="codetable.save"),
    ]

    def __init__(self, notes: list[Note], facts: Callable[[str], ReportFacts], codes: list[str]):
        super().__init__()
        self.notes, self.facts, self.codes = notes, facts, codes
        self.dimension = "authority"
        self.table: CodeTable | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="codetable-title")
        # The code names stay as the counts scroll right beneath a long list of authorities.
        yield DataTable(id="codetable", zebra_stripes=True, fixed_columns=1)
        yield Static(id="codetable-legend", classes="dialog-help")
        yield KeyBar()

    def on_mount(self) -> None:
        self.fill()
        self.query_one(DataTable).focus()

    def fill(self) -> None:
        self.table = code_table(self.notes, self.facts, self.dimension, self.codes)
        widget = self.query_one(DataTable)
        widget.clear(columns=True)
        widget.add_column("code", key="code")
        for column in self.table.columns:
            widget.add_column(visible(column))
        widget.add_column("total", key="total")
        for code, counts, total in self.table.rows:
            widget.add_row(visible(code), *[n or "·" for n in counts], total)
        self.query_one("#codetable-title", Static).update(
            f" [b]Codes by {self.dimension}[/b] [dim]· {len(self.table.rows)} codes · {len(self.table.columns)} "
            f"columns · notes counted, the codes under each included · {escape(key_of(self, 'codetable.by'))} columns "
            f"by · {escape(key_of(self, 'codetable.save'))} save CSV[/dim]"
        )

        legend = "· no note  ·  each count: notes of the code and of the codes under it"
        if self.dimension in DIMENSION_NOTES:
            legend = f"{DIMENSION_NOTES[self.dimension]}  ·  {legend}"
        self.query_one("#codetable-legend", Static).update(Text(legend, style="dim"))

    def action_by(self) -> None:
        self.dimension = DIMENSIONS[(DIMENSIONS.index(self.dimension) + 1) % len(DIMENSIONS)]
        self.fill()

    def action_save(self) -> None:
        default = locations.exports_dir() / f"codes-by-{self.dimension}-{dt.date.today().isoformat()}.csv"

        def answered(path: str | None) -> None:
            if not path or self.table is None:
                return
            target = Path(path.strip()).expanduser()
            try:
                write_atomic(target, self.table.to_csv().encode("utf-8"))
            except OSError as error:
                self.notify(f"Cannot write {target}: {error.strerror or error}", severity="error", timeout=10)
                return
            self.notify(f"Saved the table to {target}", timeout=6)

        self.app.push_screen(Prompt("Save the table as CSV", str(default)), answered)

    def action_back(self) -> None:
        self.app.pop_screen()
