"""The grades matrix (M): authorities as rows, judgements as columns, grade words with colour.

s sorts by the column under the cursor, f cycles the framework, enter opens that judgement's section, e saves CSV.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ofsted_reader.core.compare import grades_csv, grades_rows, matrix_columns, row_grades
from ofsted_reader.core.dates import short_date
from ofsted_reader.core.grades import LETTER_LEGEND, grade_letter, grade_name
from ofsted_reader.core.judgements import MEDIUM, SERVICE_ABBREVIATIONS, judgement_key
from ofsted_reader.core.model import Report
from ofsted_reader.core.safe_text import visible
from ofsted_reader.core.vocabulary import FRAMEWORKS_NEWEST_FIRST
from ofsted_reader.core.wording import elide, plural
from ofsted_reader.tui.widgets.key_bar import KeyBar
from ofsted_reader.tui.widgets.library_tree import BADGE_STYLES

LONGEST_LABEL = 22  # a judgement with no short name keeps its first words, up to this many cells
FIRST_GRADE = 2  # the table's column of the first judgement (after the authority and the date)
WORDS_FROM = 120  # terminal columns from which a cell shows the grade in words; narrower, its letters (legend below)


def column_label(service: str, name: str) -> str:
    """A column's header: the judgement's short name ('Help/prot', 'Leavers'), else its first words, never cut
    inside one; a 2009-2012 judgement with its service ('SG: Capacity to improve'). The legend gives each in full."""
    key = judgement_key(name)
    label = MEDIUM[key] if key in MEDIUM else elide(name, LONGEST_LABEL)
    short = SERVICE_ABBREVIATIONS.get(service, "")  # "" for "children": one service, no prefix
    if short and not label.startswith(short):
        return f"{short}: {label}"
    return label


@dataclass(frozen=True)
class CellChoice:
    """A cell chosen in the matrix: the report of its row and the judgement (section) of its column."""

    report_id: str
    section_title: str


class MatrixScreen(Screen[CellChoice | None]):
    CSS_PATH = "matrix.tcss"
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="matrix.close"),
        Binding("s", "sort", "Sort by column", id="matrix.sort"),
        Binding("f", "framework", "Framework", id="matrix.framework"),
        Binding("e", "csv", "Save CSV", id="matrix.csv"),
    ]

    def __init__(self, reports: list[Report]) -> None:
        super().__init__()
        self.reports = reports
        self.framework_index = 0
        self.sort_reverse = True  # the first s sorts best grade first
        self.sorted_column: int | None = None
        self.rows: list[dict] = []
        self.columns: list[tuple[str, str, str]] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="matrix-title")
            yield DataTable(id="matrix", cursor_type="cell", zebra_stripes=True, fixed_columns=1)
            yield Static(id="matrix-legend")
        yield KeyBar()

    def on_mount(self) -> None:
        present = {report.framework for report in self.reports}
        # One framework at a time: each has its own judgements, and all of them side by side made some fifty columns.
        self.framework_index = next((i for i, f in enumerate(FRAMEWORKS_NEWEST_FIRST) if f in present), 0)
        self.fill()
        self.query_one(DataTable).focus()

    def fill(self, sort_column: int | None = None) -> None:
        framework = FRAMEWORKS_NEWEST_FIRST[self.framework_index]
        self.rows = grades_rows(self.reports, framework)
        self.columns = matrix_columns(self.rows)
        self.sorted_column = sort_column if sort_column and sort_column >= FIRST_GRADE else None
        if sort_column is not None and sort_column > FIRST_GRADE - 1:
            service, topic, _ = self.columns[sort_column - FIRST_GRADE]
            self.rows.sort(key=lambda r: row_grades(r).get((service, topic), 9), reverse=self.sort_reverse)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        # The authority alone in the fixed first column (scrolling right keeps it); the date apart, so neither cuts
        # the other. The column of the sort is a judgement's: its number counts from the first judgement.
        table.add_column("Authority", key="authority")
        table.add_column("Inspected", key="date")
        letters = self.app.size.width < WORDS_FROM  # "Requires improvement" whole, or "RI": never "Requires im"
        legend: list[str] = []
        for number, (service, topic, name) in enumerate(self.columns, 1):
            label = column_label(service, name)
            if label != name:
                legend.append(f"{label}: {name}")
            if number + FIRST_GRADE - 1 == self.sorted_column:
                label += " ▲" if self.sort_reverse else " ▼"
            table.add_column(Text(visible(label)), key=f"{service}|{topic}")
        for row in self.rows:
            grades = row_grades(row)
            cells = [Text(visible(row["authority"]), style="bold"), Text(short_date(row["inspected"]))]
            for service, topic, _ in self.columns:
                grade = grades.get((service, topic))
                word = (grade_letter if letters else grade_name)(grade, row["framework"]) if grade else ""
                cells.append(Text(f" {word} ", style=BADGE_STYLES[grade]) if grade else Text(""))
            table.add_row(*cells, key=row["report_id"])
        if letters:
            legend.insert(0, LETTER_LEGEND)
        if sort_column is not None:
            table.move_cursor(row=0, column=sort_column)  # stay on the column just sorted
        title = Text(" Grades matrix ", style="bold")
        sort = ""
        if self.sorted_column:
            way = "best first" if self.sort_reverse else "worst first"
            sort = f" · sorted by {column_label(*self.columns[self.sorted_column - FIRST_GRADE][::2])}, {way}"
        title.append(f" {framework.upper()} · {plural(len(self.rows), 'report')}{sort}", style="dim")
        self.query_one("#matrix-title", Static).update(title)
        self.query_one("#matrix-legend", Static).update(Text(visible(" · ".join(legend)), style="dim"))

    def action_sort(self) -> None:
        column = self.query_one(DataTable).cursor_column
        self.sort_reverse = not self.sort_reverse
        self.fill(column)

    def action_framework(self) -> None:
        self.framework_index = (self.framework_index + 1) % len(FRAMEWORKS_NEWEST_FIRST)
        self.fill()

    def action_csv(self) -> None:
        from ofsted_reader.host import locations
        from ofsted_reader.store.atomic import write_atomic

        path = locations.exports_dir() / f"grades-{FRAMEWORKS_NEWEST_FIRST[self.framework_index]}.csv"
        write_atomic(path, grades_csv(self.rows).encode("utf-8"))
        self.notify(f"Saved {path}", timeout=6)

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        row = self.rows[event.coordinate.row]
        column = event.coordinate.column
        name = self.columns[column - FIRST_GRADE][2] if column >= FIRST_GRADE else ""
        self.dismiss(CellChoice(row["report_id"], name))

    def action_close(self) -> None:
        self.dismiss(None)
