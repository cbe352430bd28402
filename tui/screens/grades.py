"""Grades overview (M): each authority's latest inspection, overall first, like the ADCS summary.

The authority column stays put while the grades scroll; counts per overall grade head the table. The filter is the
one grammar (core.filters): words of authority names (near spellings forgiven), `region:london`,
`neighbours:barnsley`, `authority:`, `framework:`, `year:`, `grade:` (any judgement: `grade:4` is every authority
inadequate on any judgement, after April 2026 too), `overall:` (the overall one), `-` to exclude. `,` `.` `d` set
the date the grades are as at (tui/widgets/date_control.py). Enter opens the
authority's overview above this screen (escape comes back to it, filter and all), `h` the history of every report,
`s` sorts by the next judgement (worst first, then best first), `e` saves the rows shown as CSV. Narrower than
NARROW columns the grades are letters under two-letter headers, with their legend.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from ofsted_reader.core import filters
from ofsted_reader.core.dates import short_date
from ofsted_reader.core.grades import LETTER_LEGEND, NAMES, grade_letter
from ofsted_reader.core.judgements import ABBREVIATIONS, SEND_HEADER, SEND_KEY, SEND_LETTERS, SEND_WORDS
from ofsted_reader.core.latest import COLUMNS, NO_OVERALL, LatestRow, grade_counts, latest_csv, latest_rows
from ofsted_reader.core.safe_text import visible
from ofsted_reader.core.visits import latest_send
from ofsted_reader.core.wording import elide, plural
from ofsted_reader.tui.widgets import date_control
from ofsted_reader.tui.widgets.key_bar import KeyBar
from ofsted_reader.tui.widgets.library_tree import BADGE_STYLES, SEND_STYLES

LEGEND = "Ov overall · Le leaders · HP help and protection · IC in care · CL care leavers"

WORDS = {1: "Outstanding", 2: "Good", 3: "RI", 4: "Inadequate"}
NARROW = 100  # terminal columns below which the grades are letters, the region short and a long name elided
NARROW_NAME = 24  # cells of an authority's name below NARROW: Region, the date and every grade fit 80 columns
# Regions as a narrow table names them (the legend is the region's own name in the wide table and the filter).
REGION_SHORT = {
    "North West": "NW",
    "North East": "NE",
    "Yorkshire and the Humber": "Yorks",
    "East Midlands": "E Mids",
    "West Midlands": "W Mids",
    "East of England": "East",
    "London": "London",
    "South East": "SE",
    "South West": "SW",
}
FIELDS = ("region", "neighbours", "authority", "framework", "year", "grade", "overall")


class GradesScreen(date_control.DateControl, Screen[None]):
    """Overviews and the history of every report open above it (the app pushes them on its messages)."""

    HELP_TITLE = "Latest grades"

    class OpenAuthority(Message):
        def __init__(self, authority: str) -> None:
            super().__init__()
            self.authority = authority

    class OpenHistory(Message):
        """h: every report's grades, one framework at a time."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="grades.close"),
        Binding("slash,f", "filter", "Filter", id="grades.filter"),
        Binding("e", "csv", "Save CSV", id="grades.csv"),
        Binding("h", "history", "All reports", id="grades.history"),
        Binding("s", "sort", "Sort", id="grades.sort"),
        *date_control.date_bindings("grades"),
    ]
    KEY_PRIORITY = ("close", "filter", "sort", "history", "csv")

    def __init__(self, entries: list, filter_text: str = ""):
        super().__init__()
        self.entries = entries
        self.filter_text = filter_text
        self.rows: list[LatestRow] = []
        self.sort_key: str | None = None
        self.best_first = False  # each judgement sorts worst first (where attention is needed), then best first
        self.problem: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="grades-title")
            yield Input(
                self.filter_text,
                placeholder="filter: names, region:london, neighbours:barnsley, grade:4 (any judgement), overall:4",
                id="grades-filter",
            )
            yield DataTable(id="grades-table", cursor_type="row", zebra_stripes=True, fixed_columns=1)
        yield KeyBar()

    def on_mount(self) -> None:
        self.fill()
        self.query_one(DataTable).focus()

    def _filtered(self) -> list[LatestRow]:
        self.problem = None
        try:
            terms = filters.parse(self.filter_text, FIELDS)
            scope = filters.Scope.of([t for t in terms if t.field in filters.Scope.FIELDS], self.entries)
            grades = filters.grade_checks(terms)
        except filters.FilterError as error:
            self.problem = str(error)
            return []
        words = [t for t in terms if t.field is None]
        rows = latest_rows(self.entries, as_at=self.as_at)
        return [
            r
            for r in rows
            if scope.keeps(code=r.code, report_id=r.report_id, framework=r.framework, date=r.date)
            and filters.grades_hold(grades, r.grades)
            and all(filters.word_matches(t.value, r.authority) != t.negated for t in words)
        ]

    def fill(self) -> None:
        self.rows = self._filtered()
        if self.sort_key:
            key: str = self.sort_key
            worst_first = not self.best_first

            def rank(row: LatestRow) -> int | None:
                # A report of the 2026 framework has no overall grade: ranked by overall, its leaders grade stands in.
                return row.grade("leaders") if key == "overall" and row.no_overall else row.grade(key)

            self.rows.sort(key=lambda r: (-(rank(r) or 0) if worst_first else (rank(r) or 9), r.authority.lower()))
        narrow = self.app.size.width < NARROW
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column("Authority", key="authority")
        table.add_column("Region", key="region")
        table.add_column("Inspected", key="date")
        for key, header in COLUMNS:
            label = ABBREVIATIONS[key] if narrow else header
            if key == self.sort_key:
                label += " ▼" if not self.best_first else " ▲"  # which column orders the rows, and which way
            table.add_column(label, key=key)
        send = latest_send(self.entries)  # the area SEND outcome: a column of its own, never a grade
        if send:  # only where the library holds an area SEND inspection
            table.add_column(SEND_HEADER, key=SEND_KEY)
        for row in self.rows:
            name = elide(visible(row.authority), NARROW_NAME) if narrow else visible(row.authority)
            cells = [Text(name, style="bold")]
            cells.append(Text(REGION_SHORT.get(row.region, row.region) if narrow else row.region, style="dim"))
            cells.append(Text(short_date(row.date)[-8:] if narrow else short_date(row.date)))  # "Jul 2023"
            for key, _ in COLUMNS:
                grade = row.grade(key)
                star = "*" if row.combined_care and key in {"in_care", "care_leavers"} else ""
                if narrow:
                    word = grade_letter(grade, row.framework) if grade else ""
                else:
                    word = "Adequate" if grade == 3 and row.framework == "slac" else WORDS.get(grade or 0, "")
                if not grade and key == "overall" and row.no_overall:
                    cells.append(Text(" none† ", style="dim"))
                else:
                    cells.append(
                        Text(f" {word}{star} ", style=BADGE_STYLES[grade]) if grade else Text(" - ", style="dim")
                    )
            outcome = send[row.code].grades[SEND_KEY] if row.code in send else None
            said = (SEND_LETTERS if narrow else SEND_WORDS).get(outcome or 0)
            if send:
                cells.append(Text(f" {said} ", style=SEND_STYLES[outcome or 0]) if said else Text(" - ", style="dim"))
            table.add_row(*cells, key=row.report_id)
        counts = grade_counts(self.rows)
        title = Text(" Latest grades ", style="bold")
        title.append_text(date_control.label(self, "grades", self.as_at))
        title.append(f" · {plural(len(self.rows), 'authority', 'authorities')} · overall: ")
        for grade in (1, 2, 3, 4):
            title.append(f" {counts[grade]} {NAMES[grade].lower()} ", style=BADGE_STYLES[grade])
            title.append(" ")
        no_overall = sum(1 for r in self.rows if r.no_overall)
        if no_overall:
            title.append(f"· {no_overall} none† ")
        inadequate = sum(1 for r in self.rows if r.worst() == 4)
        if inadequate != counts[4]:  # those of the 2026 framework, listed by grade:4
            title.append(f"· inadequate on any judgement {inadequate} (grade:4)")
        if self.problem:
            title.append("\n " + self.problem, style="bold")
        else:
            legend = f"{LEGEND} · {LETTER_LEGEND} · " if narrow else ""
            sort = ""
            if self.sort_key:
                sort = f"sorted by {dict(COLUMNS)[self.sort_key]}, {'best' if self.best_first else 'worst'} first · "
            ranked = "ranked here" if self.sort_key == "overall" else "s (overall) ranks them"
            ranked = f", {ranked} by leaders"
            footnote = f" · † {NO_OVERALL}{ranked}" if no_overall else ""
            title.append(
                f"\n {sort}{legend}* children in care and care leavers judged together (before 2023){footnote}",
                style="dim",
            )
        self.query_one("#grades-title", Static).update(title)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == date_control.INPUT_ID:
            if self.as_at_typed(event.value):
                self.query_one(DataTable).focus()
            return
        self.filter_text = event.value
        self.fill()
        self.query_one(DataTable).focus()

    def as_at_changed(self) -> None:
        self.fill()

    def action_filter(self) -> None:
        self.query_one("#grades-filter", Input).focus()

    def action_sort(self) -> None:
        """Each judgement worst first, then best first, then the next judgement."""
        keys = [key for key, _ in COLUMNS]
        if self.sort_key in keys and not self.best_first:
            self.best_first = True
        else:
            self.best_first = False
            self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)] if self.sort_key in keys else keys[0]
        self.fill()

    def on_resize(self) -> None:
        if self.is_mounted:
            self.fill()

    def action_csv(self) -> None:
        from ofsted_reader.host import locations
        from ofsted_reader.store.atomic import write_atomic

        when = f"-{self.as_at.isoformat()}" if self.as_at else ""  # a table as at a day says which day
        path = locations.exports_dir() / f"latest-grades{when}.csv"
        try:
            write_atomic(path, latest_csv(self.rows).encode("utf-8"))
        except OSError as error:
            self.notify(f"Cannot write {path}: {error.strerror}", severity="error")
            return
        self.notify(f"Saved {len(self.rows)} rows to {path}", timeout=6)

    def action_history(self) -> None:
        self.post_message(self.OpenHistory())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        row = self.rows[event.cursor_row]
        self.post_message(self.OpenAuthority(row.authority))

    def action_close(self) -> None:
        if self.focused is self.query_one("#grades-filter"):
            self.query_one(DataTable).focus()
            return
        if isinstance(self.focused, Input) and self.focused.id == date_control.INPUT_ID:
            self.focused.display = False
            self.query_one(DataTable).focus()
            return
        self.dismiss(None)
