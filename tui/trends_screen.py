"""Grades over time: for England or one region, how many inspections gave each grade, year by year, as a table of
counts with a stacked bar per year (a letter per grade, on the grade's colour); under it, how many authorities had
a focused or monitoring visit on each theme since their latest inspection.

Plain Rich text rather than a plotting widget: textual-plotext draws stacked bars in its own colours with no
letters (unreadable without colour) and textual-plot brings numpy (150-190 ms to import) for line plots only.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from ofsted_reader.core import trends
from ofsted_reader.core.national_map import JUDGEMENT_NAMES, JUDGEMENTS

from .key_bar import KeyBar
from .map_screen import LETTER_STYLES, judgement_bindings


class TrendsScreen(Screen[None]):
    HELP_TITLE = "Grades by year"
    BINDINGS = [
        Binding("escape", "back", "Back", id="trends.back"),
        Binding("r", "area(1)", "Region", id="trends.next_area"),
        Binding("R", "area(-1)", "Prev region", show=False, id="trends.previous_area"),
        *judgement_bindings("trends"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="trends.down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="trends.up"),
    ]

    def __init__(self, entries: list):
        super().__init__()
        self.entries = entries
        self.judgement = "overall"
        self.area = trends.ENGLAND

    def compose(self) -> ComposeResult:
        yield Static(id="trends-title")
        with VerticalScroll(id="trends"):
            yield Static(id="trends-table")
            yield Static(id="trends-visits")
        yield KeyBar()

    def on_mount(self) -> None:
        self.fill()

    def _areas(self) -> list[str]:
        return trends.areas(trends.by_year(self.entries, self.judgement))

    def fill(self) -> None:
        rows = [r for r in trends.by_year(self.entries, self.judgement) if r.area == self.area]
        title = Text(f" Grades by year of inspection · {JUDGEMENT_NAMES[self.judgement]} · {self.area} ", "bold")
        self.query_one("#trends-title", Static).update(title)
        self.query_one("#trends-table", Static).update(self._table(rows))
        self.query_one("#trends-visits", Static).update(self._visits())

    def _table(self, rows: list[trends.YearCounts]) -> Text:
        if not rows:
            return Text("No inspections in the library for this area.", style="dim")
        keys = [k for k in trends.GRADE_KEYS if any(r.counts[k] for r in rows)]
        width = max(10, min(60, self.app.size.width - 6 - 7 * (len(keys) + 1) - 4 - 4))
        text = Text(
            "Year  " + "".join(f"{trends.HEADERS[k]:>7}" for k in keys) + f"{'All':>7}    Share\n", style="bold"
        )
        for row in rows:
            text.append(f"{row.year}  " + "".join(f"{row.counts[k]:>7}" for k in keys) + f"{row.inspections:>7}    ")
            for letter, cells in trends.bar(row, width):
                text.append(letter * cells, style=LETTER_STYLES[letter])
            text.append("\n")
        text.append(
            "\nEach full inspection counted in the year it ended. O outstanding · G good · R requires improvement · "
            "A adequate (2009-2012) · I inadequate; None: no grade for this judgement (no overall grade is given "
            "after April 2026; before 2023 one judgement covered children in care and care leavers).",
            style="dim",
        )
        return text

    def _visits(self) -> Text:
        text = Text(f"\n{self.area}: focused and monitoring visits since each authority's latest inspection\n", "bold")
        themes = trends.visits_since_latest(self.entries, None if self.area == trends.ENGLAND else self.area)
        if not themes:
            return text.append("None in the library.", style="dim")
        for theme in themes:
            names = ", ".join(theme.authorities)
            count = len(theme.authorities)
            text.append(f"{theme.theme:<18} {count:>3} {'authority' if count == 1 else 'authorities'}  ")
            text.append(names, style="dim")
            text.append("\n")
        return text

    def action_area(self, step: int) -> None:
        areas = self._areas() or [trends.ENGLAND]
        index = areas.index(self.area) if self.area in areas else 0
        self.area = areas[(index + step) % len(areas)]
        self.fill()

    def action_judgement(self, step: int) -> None:
        self.judgement = JUDGEMENTS[(JUDGEMENTS.index(self.judgement) + step) % len(JUDGEMENTS)]
        self.fill()

    def action_choose_judgement(self, index: int) -> None:
        self.judgement = JUDGEMENTS[index]
        self.fill()

    def action_scroll(self, step: int) -> None:
        scroll = self.query_one("#trends", VerticalScroll)
        scroll.scroll_relative(y=step, animate=False)

    def action_back(self) -> None:
        self.app.pop_screen()
