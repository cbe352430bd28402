"""An authority at a glance: who it is, every inspection as a row of coloured grades, how long since the last, what
the latest report says must improve, and its statistical neighbours' latest grades.

Built from the library manifest and the LA table; only the latest report is loaded (for its recommendations).
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ofsted_reader import authorities
from ofsted_reader.citation import long_date
from ofsted_reader.latest import COMPACT, HISTORY_COLUMNS, days_since, history, neighbours
from ofsted_reader.safe_text import first_line, visible

from .library_tree import BADGE_STYLES

WHAT_NEEDS_TO_IMPROVE_SHOWN = 8  # recommendations listed before "and N more"


def grade_cells(grades: dict[str, int], keys: list[str]) -> list[Text]:
    return [Text(f"{COMPACT[grades[k]]:^7}", style=BADGE_STYLES[grades[k]]) if grades.get(k) else Text("   -   ", style="dim")
            for k in keys]


class AuthorityScreen(Screen[None]):
    """Enter on an inspection opens it; enter on a neighbour opens the neighbour's overview; escape goes back."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="authority.back"),
        Binding("j", "down", "Down", show=False, id="authority.down"),
        Binding("k", "up", "Up", show=False, id="authority.up"),
    ]

    class OpenReport(Message):
        def __init__(self, report_id: str):
            super().__init__()
            self.report_id = report_id

    class OpenAuthority(Message):
        def __init__(self, authority: str):
            super().__init__()
            self.authority = authority

    def __init__(self, authority: str, entries: list, load_report):
        super().__init__()
        self.authority_name = authority
        self.entries = entries
        self.load_report = load_report
        self.found = authorities.identify(authority)
        self.inspections = history(entries, self.found.code if self.found else authority)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="authority"):
            yield Static(self._heading(), id="authority-heading")
            yield Static(Text("Inspections (enter opens)", style="bold"), classes="authority-label")
            yield OptionList(*self._inspection_options(), id="authority-inspections")
            yield Static(self._improve(), id="authority-improve")
            if self.found is not None:
                yield Static(Text("Statistical neighbours: latest grades (enter opens)", style="bold"),
                             classes="authority-label")
                yield OptionList(*self._neighbour_options(), id="authority-neighbours")
        yield Footer()

    def on_mount(self) -> None:
        inspections = self.query_one("#authority-inspections", OptionList)
        inspections.highlighted = 1 if inspections.option_count > 1 else None  # row 0 is the column header
        inspections.focus()

    def _heading(self) -> Text:
        text = Text(visible(self.found.name if self.found else self.authority_name), style="bold")
        if self.found is not None:
            parts = [self.found.region, self.found.la_type]
            if self.found.population_0_25:
                parts.append(f"population 0-25: {self.found.population_0_25:,}")
            text.append("  " + " · ".join(p for p in parts if p), style="dim")
            if self.found.defunct:
                text.append("\nNo longer an authority: its services passed to "
                            + ", ".join(a.name for a in self.found.successors), style="italic")
        full = [i for i in self.inspections if i.report_type == "inspection" and i.framework != "slac"]
        if full:
            days = days_since(full[0].date)
            if days is not None:
                text.append(f"\nLast full inspection: {long_date(full[0].date)} ({days:,} days ago)")
        return text

    def _keys(self) -> list[str]:
        return [k for k, _ in HISTORY_COLUMNS if any(i.grades.get(k) for i in self.inspections)]

    def _inspection_options(self) -> list[Option]:
        keys = self._keys()
        header = Text(f"{'':<11}{'':<6}")
        for key, short in HISTORY_COLUMNS:
            if key in keys:
                header.append(f"{short[:7]:^7} ")
        options = [Option(header, disabled=True)]
        for inspection in self.inspections:
            row = Text(f"{inspection.date[:10]:<11}{inspection.framework.upper():<6}")
            for cell in grade_cells(inspection.grades, keys):
                row.append_text(cell)
                row.append(" ")
            if inspection.report_type != "inspection":
                row.append(inspection.report_type.replace("_", " "), style="dim")
            options.append(Option(row, id=inspection.report_id))
        return options

    def _improve(self) -> Text:
        text = Text("What needs to improve (latest report)\n", style="bold")
        latest = next((i for i in self.inspections if i.report_type == "inspection"), None)
        if latest is None:
            return text.append("no inspection in the library", style="dim")
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
        options = []
        for neighbour, row in neighbours(self.entries, self.found.code):  # type: ignore[union-attr]
            line = Text(f"{visible(neighbour.name)[:24]:<25}")
            if row is None:
                line.append("not in the library", style="dim")
            else:
                line.append(f"{row.date[:7]:<8}")
                for cell in grade_cells(row.grades, ["overall", "leaders", "help_protection", "in_care", "care_leavers"]):
                    line.append_text(cell)
                    line.append(" ")
            options.append(Option(line, id=neighbour.name, disabled=row is None))
        return options

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "authority-inspections" and event.option.id:
            self.post_message(self.OpenReport(event.option.id))
        elif event.option_list.id == "authority-neighbours" and event.option.id:
            self.post_message(self.OpenAuthority(event.option.id))

    def action_down(self) -> None:
        if isinstance(self.focused, OptionList):
            self.focused.action_cursor_down()

    def action_up(self) -> None:
        if isinstance(self.focused, OptionList):
            self.focused.action_cursor_up()
