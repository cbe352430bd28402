"""Grades overview (M): each authority's latest inspection, overall first, like the ADCS summary.

The authority column stays put while the grades scroll; counts per overall grade head the table. The filter takes
words of authority names and `region:london`, `neighbours:barnsley`. Enter opens the authority's overview, `h` the
full history of every report (one framework at a time), `e` saves the rows shown as CSV.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from ofsted_reader.core import authorities
from ofsted_reader.core.grades import NAMES
from ofsted_reader.core.latest import COLUMNS, LatestRow, grade_counts, latest_csv, latest_rows
from ofsted_reader.core.safe_text import visible

from .key_bar import KeyBar
from .library_tree import BADGE_STYLES

WORDS = {1: "Outstanding", 2: "Good", 3: "Req. improv.", 4: "Inadequate"}


class GradesScreen(Screen[str | None]):
    """Dismisses with an authority's name (to open its overview), or None."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="grades.close"),
        Binding("slash,f", "filter", "Filter", id="grades.filter"),
        Binding("e", "csv", "Save CSV", id="grades.csv"),
        Binding("h", "history", "All reports", id="grades.history"),
        Binding("s", "sort", "Next sort column", id="grades.sort"),
    ]

    def __init__(self, entries: list, filter_text: str = ""):
        super().__init__()
        self.entries = entries
        self.filter_text = filter_text
        self.rows: list[LatestRow] = []
        self.sort_key: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="grades-title")
            yield Input(
                self.filter_text,
                placeholder="filter: names, region:london, neighbours:barnsley (enter)",
                id="grades-filter",
            )
            yield DataTable(id="grades-table", cursor_type="row", zebra_stripes=True, fixed_columns=1)
        yield KeyBar()

    def on_mount(self) -> None:
        self.fill()
        self.query_one(DataTable).focus()

    def _filtered(self) -> list[LatestRow]:
        text = self.filter_text
        region = re.search(r"region:(\"[^\"]+\"|\S+)", text)
        neighbours = re.search(r"neighbours?:(\"[^\"]+\"|\S+)", text)
        words = re.sub(r"(region|neighbours?):(\"[^\"]+\"|\S+)", " ", text).lower().split()
        rows = latest_rows(
            self.entries, region=region.group(1).strip('"').replace("-", " ") if region else None, neighbours_of=None
        )
        if neighbours:
            centre = authorities.identify(neighbours.group(1).strip('"').replace("-", " "))
            if centre is None:
                self.notify(f"No authority called {neighbours.group(1)!r}", severity="warning")
            else:
                wanted = {centre.code, *centre.neighbours}
                rows = [r for r in rows if r.code in wanted]
        return [r for r in rows if all(w in r.authority.lower() for w in words)]

    def fill(self) -> None:
        self.rows = self._filtered()
        if self.sort_key:
            self.rows.sort(key=lambda r: (r.grade(self.sort_key) or 9, r.authority.lower()))  # type: ignore[arg-type]
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column("Authority", key="authority")
        table.add_column("Region", key="region")
        table.add_column("Inspected", key="date")
        for key, header in COLUMNS:
            table.add_column(header, key=key)
        for row in self.rows:
            cells = [Text(visible(row.authority), style="bold"), Text(row.region, style="dim"), Text(row.date[:7])]
            for key, _ in COLUMNS:
                grade = row.grade(key)
                star = "*" if row.combined_care and key in {"in_care", "care_leavers"} else ""
                word = "Adequate" if grade == 3 and row.framework == "slac" else WORDS.get(grade or 0, "")
                cells.append(Text(f" {word}{star} ", style=BADGE_STYLES[grade]) if grade else Text(" - ", style="dim"))
            table.add_row(*cells, key=row.report_id)
        counts = grade_counts(self.rows)
        title = Text(" Latest grades ", style="bold")
        title.append(f" {len(self.rows)} authorities · overall: ")
        for grade in (1, 2, 3, 4):
            title.append(f" {counts[grade]} {NAMES[grade].lower()} ", style=BADGE_STYLES[grade])
            title.append(" ")
        title.append(
            "\n * children in care and care leavers judged together (before 2023) · enter overview · "
            "h all reports · e CSV",
            style="dim",
        )
        self.query_one("#grades-title", Static).update(title)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.filter_text = event.value
        self.fill()
        self.query_one(DataTable).focus()

    def action_filter(self) -> None:
        self.query_one("#grades-filter", Input).focus()

    def action_sort(self) -> None:
        keys = [key for key, _ in COLUMNS]
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)] if self.sort_key in keys else keys[0]
        self.fill()
        self.notify(f"Sorted by {dict(COLUMNS)[self.sort_key]}, best first", timeout=2)

    def action_csv(self) -> None:
        from ofsted_reader.core import locations
        from ofsted_reader.store.atomic import write_atomic

        path = locations.exports_dir() / "latest-grades.csv"
        try:
            write_atomic(path, latest_csv(self.rows).encode("utf-8"))
        except OSError as error:
            self.notify(f"Cannot write {path}: {error.strerror}", severity="error")
            return
        self.notify(f"Saved {len(self.rows)} rows to {path}", timeout=6)

    def action_history(self) -> None:
        self.dismiss("history:")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        row = self.rows[event.cursor_row]
        self.dismiss(row.authority)

    def action_close(self) -> None:
        if self.focused is self.query_one("#grades-filter"):
            self.query_one(DataTable).focus()
            return
        self.dismiss(None)
