"""An authority at a glance: who it is, every inspection as a row of coloured grades, how long since the last, what
the latest report says must improve, and its statistical neighbours' latest grades.

Built from the library manifest and the LA table; only the latest report is loaded (for its recommendations). One
screen, installed once and refilled: filling it takes under 10 ms; the rest is Textual switching screens (95-150 ms
measured for an empty screen). Shown as a pane beside the tree instead, it was slower (about 230 ms): the whole main
screen is restyled.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ofsted_reader.core import authorities
from ofsted_reader.core.dates import ago, long_date, short_date
from ofsted_reader.core.grades import LETTER_LEGEND, grade_letter
from ofsted_reader.core.judgements import ABBREVIATIONS, MEDIUM
from ofsted_reader.core.latest import HISTORY_COLUMNS, compact_word, history, neighbours
from ofsted_reader.core.model import Report
from ofsted_reader.core.safe_text import first_line, visible
from ofsted_reader.core.visits import KINDS, theme_label
from ofsted_reader.core.vocabulary import Framework
from ofsted_reader.core.wording import elide, plural
from ofsted_reader.store.library.library import Entry
from ofsted_reader.tui.key_hints import hint_line, key_of
from ofsted_reader.tui.notes_changed import notes_signal
from ofsted_reader.tui.widgets.library_tree import BADGE_STYLES, send_badge, visit_badge
from ofsted_reader.tui.widgets.list_moves import ListMoves
from ofsted_reader.tui.widgets.memos_pane import MemosPane

WHAT_NEEDS_TO_IMPROVE_SHOWN = 8  # recommendations listed before "and N more"


NARROW = 90  # terminal columns below which grades are letters in 3-column cells
DATE_WIDTH = 12  # "28 Sep 2016 ": the one date style of lists
WIDE_CHART = 60  # columns the chart of judgements over time needs to stand beside the inspection rows


def grade_cells(
    grades: dict[str, int], keys: list[str], narrow: bool = False, framework: Framework = "ilacs"
) -> list[Text]:
    width = 3 if narrow else 7

    def word(grade: int) -> str:
        return grade_letter(grade, framework) if narrow else compact_word(grade, framework)

    return [
        Text(f"{word(grades[k]):^{width}}", style=BADGE_STYLES[grades[k]])
        if grades.get(k)
        else Text(f"{'-':^{width}}", style="dim")
        for k in keys
    ]


def grade_header(keys: list[str], narrow: bool) -> Text:
    """Column headers that fit their cells whole: two letters when narrow, else a short word ('Leavers'), with
    the legend under the table saying what each is."""
    header = Text()
    for key in keys:
        header.append(f"{ABBREVIATIONS[key]:^3} " if narrow else f"{MEDIUM[key]:^7} ")
    return header


def header_legend(keys: list[str], narrow: bool) -> str:
    if narrow:
        return " · ".join(f"{ABBREVIATIONS[k]} {dict(HISTORY_COLUMNS)[k].lower()}" for k in keys)
    names = dict(HISTORY_COLUMNS)
    return " · ".join(f"{MEDIUM[k]} {names[k].lower()}" for k in keys if MEDIUM[k] != names[k])


class AuthorityScreen(ListMoves, MemosPane):
    """Enter on an inspection opens it; enter on a neighbour opens the neighbour's overview; escape goes back. Memos
    on the authority and its reports are listed under the inspections (memos.py: m, M, enter, d)."""

    CSS_PATH = "authority.tcss"
    HELP_TITLE = "Authority overview"
    BINDINGS = [
        Binding("escape", "back", "Back", id="authority.back"),
        Binding("j", "down", "Down", show=False, id="authority.down"),
        Binding("k", "up", "Up", show=False, id="authority.up"),
        Binding("i", "trail", "Improvement trail", id="authority.trail"),
        Binding("m", "memo_authority", "Memo on the authority", id="authority.memo"),
        Binding("M", "memo_report", "Memo on the report", id="authority.memo_report"),
        Binding("d", "delete_memo", "Delete memo", id="authority.delete_memo", show=False),
    ]

    class OpenReport(Message):
        def __init__(self, report_id: str):
            super().__init__()
            self.report_id = report_id

    class OpenTrail(Message):
        """The improvement trail of the authority shown."""

        def __init__(self, authority: str):
            super().__init__()
            self.authority = authority

    # "Days since the last full inspection" counts to this day; None is today. Snapshot tests fix it, or the
    # picture would change at every midnight.
    today = None

    def __init__(self, authority: str, entries: list[Entry], load_report: Callable[[str], Report | None]) -> None:
        super().__init__()
        self.load_report = load_report
        self.trail: list[str] = []  # neighbours opened from here: escape walks back through them
        self._set(authority, entries)

    def _set(self, authority: str, entries: list) -> None:
        self.authority_name = authority
        self.entries = entries
        self.found = authorities.identify(authority)
        self.inspections = history(entries, self.found.code if self.found else authority)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="authority"):
            yield Static(id="authority-heading")
            yield Static(Text("Inspections (enter opens)", style="bold"), classes="authority-label")
            with Horizontal(id="authority-rows"):
                yield OptionList(id="authority-inspections")
                yield Static(id="authority-chart")
            yield Static(
                Text(f"Memos (enter edits, {key_of(self, 'authority.delete_memo')} deletes)", style="bold"),
                classes="authority-label",
                id="authority-memos-label",
            )
            yield OptionList(id="authority-memos")
            yield Static(id="authority-improve")
            yield Static(
                Text("Statistical neighbours: latest grades (enter opens)", style="bold"),
                classes="authority-label",
                id="authority-neighbours-label",
            )
            yield OptionList(id="authority-neighbours")
        # One line of keys rather than a Footer: the footer's widgets took two thirds of the time to open the screen.
        yield Static(
            hint_line(
                self,
                ("=enter", "open"),
                ("=tab", "inspections / neighbours"),
                ("authority.down authority.up", "move"),
                ("authority.trail", "trail"),
                ("authority.memo authority.memo_report", "memo"),
                ("authority.back", "back"),
                ("app.help", "keys"),
            ),
            id="authority-keys",
        )

    def on_mount(self) -> None:
        self.fill()
        notes_signal(self).subscribe(self, lambda _change: self.fill_memos())  # memos changed on disk

    def on_unmount(self) -> None:
        notes_signal(self).unsubscribe(self)

    def show(self, authority: str, entries: list) -> None:
        """The same screen for another authority: built once, refilled each time (a new screen took 3x longer). Not
        yet mounted, it fills when it is."""
        self.trail.clear()
        self._set(authority, entries)
        if self.is_mounted:
            self.fill()

    def fill(self) -> None:
        self.query_one("#authority-heading", Static).update(self._heading())
        inspections = self.query_one("#authority-inspections", OptionList)
        inspections.clear_options()
        inspections.add_options(self._inspection_options())
        inspections.highlighted = 1 if inspections.option_count > 1 else None  # row 0 is the column header
        self._chart()
        self.fill_memos()
        self.query_one("#authority-improve", Static).update(self._improve())
        neighbours = self.query_one("#authority-neighbours", OptionList)
        neighbours.clear_options()
        neighbours.add_options(self._neighbour_options() if self.found is not None else [])
        neighbours.display = self.query_one("#authority-neighbours-label").display = self.found is not None
        self.query_one("#authority", VerticalScroll).scroll_home(animate=False)
        inspections.focus()

    def _chart(self) -> None:
        """Beside the inspection rows where the screen is wide enough, under them where it is not."""
        import datetime as dt

        from ofsted_reader.tui.widgets.grade_chart import grade_chart

        names = dict(HISTORY_COLUMNS)
        # The chart's row names fit their column whole ("Help & protection" is "Help" there, as in the table).
        keys = [(k, names[k] if len(names[k]) < 14 else MEDIUM[k]) for k in self._keys()]
        rows = DATE_WIDTH + 6 + 8 * len(keys) + 2  # what the inspection rows need: date, framework, a cell each
        wide = self.app.size.width - rows >= WIDE_CHART
        self.query_one("#authority-rows").set_class(not wide, "-stacked")
        self.query_one("#authority-inspections").styles.width = rows if wide else "1fr"
        width = self.app.size.width - (rows + 6 if wide else 6)
        chart = self.query_one("#authority-chart", Static)
        chart.display = bool(keys)
        chart.update(grade_chart(self.inspections, keys, width, self.today or dt.date.today()))

    def action_back(self) -> None:
        if self.trail:
            self._set(self.trail.pop(), self.entries)
            self.fill()
        else:
            self.app.pop_screen()

    def _heading(self) -> Text:
        text = Text(visible(self.found.name if self.found else self.authority_name), style="bold")
        if self.found is not None:
            parts = [self.found.region, self.found.la_type]
            if self.found.population_0_25:
                parts.append(f"population 0-25: {self.found.population_0_25:,}")
            text.append("  " + " · ".join(p for p in parts if p), style="dim")
            if self.found.defunct:
                text.append(
                    "\nNo longer an authority: its services passed to "
                    + ", ".join(a.name for a in self.found.successors),
                    style="italic",
                )
        full = [i for i in self.inspections if i.report_type == "inspection" and i.framework != "slac"]
        if full:
            text.append(f"\nLast full inspection: {long_date(full[0].date)} ({ago(full[0].date, self.today)})")
        elif self.inspections:
            text.append("\nNo full inspection in the library: ", style="italic")
            text.append(plural(len(self.inspections), "report"))
            keys = key_of(self, "app.import"), key_of(self, "app.fetch")
            text.append(f" ({keys[0]} imports one; {keys[1]} fetches them from Ofsted)", style="dim")
        return text

    def _keys(self) -> list[str]:
        return [k for k, _ in HISTORY_COLUMNS if any(i.grades.get(k) for i in self.inspections)]

    def _inspection_options(self) -> list[Option]:
        keys = self._keys()
        narrow = self.app.size.width < NARROW
        width = DATE_WIDTH
        header = Text(f"{'Inspected':<{width}}{'':<6}")
        header.append_text(grade_header(keys, narrow))
        options = [Option(header, disabled=True)]
        for inspection in self.inspections:
            date = short_date(inspection.date)
            if inspection.report_type in KINDS:  # a visit has no grades: its kind and theme stand in the row
                row = Text(f"{date:<{width}}").append_text(visit_badge(inspection.report_type))
                outcome = send_badge(inspection.grades)  # an area SEND outcome: its own words, never a grade
                row.append_text(outcome)
                # A JTAI's theme in its own words: the visits' short names ("front door") do not fit its themes.
                own = inspection.report_type == "jtai" and inspection.theme
                about = elide(inspection.theme or "", 40) if own else theme_label(inspection.theme)
                row.append(f" {about or KINDS[inspection.report_type]}", style="dim")
                options.append(Option(row, id=inspection.report_id))
                continue
            row = Text(f"{date:<{width}}{inspection.framework.upper():<6}")
            for cell in grade_cells(inspection.grades, keys, narrow, inspection.framework):
                row.append_text(cell)
                row.append(" ")
            if inspection.report_type != "inspection":
                row.append(inspection.report_type.replace("_", " "), style="dim")
            options.append(Option(row, id=inspection.report_id))
        return options

    def _improve(self) -> Text:
        narrow = self.app.size.width < NARROW
        legend = header_legend(self._keys(), narrow)
        text = Text()
        if legend or narrow:
            text.append(legend + (f" · {LETTER_LEGEND}" if narrow else "") + "\n\n", style="dim")
        # The latest full inspection's recommendations; with none in the library, what the latest visit asked.
        latest = next((i for i in self.inspections if i.report_type == "inspection"), None)
        latest = latest or next(iter(self.inspections), None)
        if latest is None:
            return text.append("What needs to improve\n", style="bold").append("no report in the library", style="dim")
        kind = KINDS.get(latest.report_type, "inspection")
        text.append(f"What needs to improve (latest {kind}, {short_date(latest.date)})\n", style="bold")
        report = self.load_report(latest.report_id)
        items = [r.text for r in report.recommendations] if report else []
        if not items:
            return text.append("no recommendations read from this report", style="dim")
        for item in items[:WHAT_NEEDS_TO_IMPROVE_SHOWN]:
            text.append(f"• {first_line(item, 150)}\n")
        if len(items) > WHAT_NEEDS_TO_IMPROVE_SHOWN:
            text.append(f"… and {len(items) - WHAT_NEEDS_TO_IMPROVE_SHOWN} more", style="dim")
        return text

    def _neighbour_options(self) -> list[Option]:
        narrow = self.app.size.width < NARROW
        keys = ["overall", "leaders", "help_protection", "in_care", "care_leavers"]
        name_width = 16 if narrow else 25
        header = Text(f"{'Neighbour':<{name_width}}{'Inspected':<{DATE_WIDTH}}")
        header.append_text(grade_header(keys, narrow))
        options = [Option(header, disabled=True)]
        reports_of: dict[str, int] = {}
        for entry in self.entries:
            reports_of[entry.authority_code or ""] = reports_of.get(entry.authority_code or "", 0) + 1
        for neighbour, row in neighbours(self.entries, self.found.code):  # type: ignore[union-attr]
            line = Text(f"{elide(visible(neighbour.name), name_width - 1):<{name_width}}")
            if row is None:
                others = reports_of.get(neighbour.code, 0)
                # Visits grade nothing: a neighbour with only visits has no latest grade, but is in the library.
                line.append(
                    f"no inspection in the library ({plural(others, 'visit')})" if others else "not in the library",
                    style="dim",
                )
            else:
                line.append(f"{short_date(row.date):<{DATE_WIDTH}}")
                for cell in grade_cells(row.grades, keys, narrow, row.framework):
                    line.append_text(cell)
                    line.append(" ")
            options.append(Option(line, id=neighbour.name, disabled=row is None and not reports_of.get(neighbour.code)))
        return options

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "authority-memos" and event.option.id:
            self.edit_memo(event.option.id)
        elif event.option_list.id == "authority-inspections" and event.option.id:
            self.post_message(self.OpenReport(event.option.id))
        elif event.option_list.id == "authority-neighbours" and event.option.id:
            self.trail.append(self.authority_name)
            self._set(event.option.id, self.entries)
            self.fill()

    def action_trail(self) -> None:
        self.post_message(self.OpenTrail(self.found.name if self.found else self.authority_name))
