"""Grades over time as stocks: for England or one region, how many of the authorities of each day held each grade at
their latest inspection published by then, every 31 March since 2013 and today (core.stocks), as a table of counts
with a bar per day (a letter per grade, on the grade's colour; `·` for the authorities with no grade then); under
it, how many authorities improved, kept or declined from their first to their latest ILACS inspection, and how many
had a focused or monitoring visit on each theme since their latest inspection.

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

from ofsted_reader.core import stocks, trends
from ofsted_reader.core.dates import long_date, short_date
from ofsted_reader.core.latest import NO_OVERALL
from ofsted_reader.core.national_map import JUDGEMENT_NAMES, JUDGEMENTS
from ofsted_reader.tui.screens.map import LETTER_STYLES, judgement_bindings
from ofsted_reader.tui.widgets.key_bar import KeyBar

GAP_STYLE = "#9e9e9e on #303030"
NARROW = 120  # terminal columns below which the counts are under letters, 6 cells each, with their legend
LETTER_HEADERS = {
    "outstanding": "O",
    "good": "G",
    "requires_improvement": "RI",
    "adequate": "A",
    "inadequate": "I",
    "not_graded": "None",
    "not_inspected": "NotIn",
}


class TrendsScreen(Screen[None]):
    CSS_PATH = "trends.tcss"
    HELP_TITLE = "Grades over time"
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
        self.area = stocks.ENGLAND
        self._stocks: dict[str, list[stocks.Stock]] = {}  # by judgement: each takes a pass over the library

    def compose(self) -> ComposeResult:
        yield Static(id="trends-title")
        with VerticalScroll(id="trends"):
            yield Static(id="trends-table")
            yield Static(id="trends-movement")
            yield Static(id="trends-visits")
        yield KeyBar()

    def on_mount(self) -> None:
        self.fill()

    def stock_rows(self) -> list[stocks.Stock]:
        if self.judgement not in self._stocks:
            self._stocks[self.judgement] = stocks.stocks(self.entries, self.judgement)
        return self._stocks[self.judgement]

    def fill(self) -> None:
        rows = [r for r in self.stock_rows() if r.area == self.area]
        narrow = self.app.size.width < NARROW
        title = Text(" Grades held · " if narrow else " Authorities by grade held, each 31 March and today · ", "bold")
        title.append(f"{JUDGEMENT_NAMES[self.judgement]} · {self.area} ", "bold")
        self.query_one("#trends-title", Static).update(title)
        self.query_one("#trends-table", Static).update(self._table(rows))
        self.query_one("#trends-movement", Static).update(self._movement())
        self.query_one("#trends-visits", Static).update(self._visits())

    def _table(self, rows: list[stocks.Stock]) -> Text:
        if not rows:
            return Text("No authorities in the library for this area.", style="dim")
        keys = [k for k in stocks.KEYS if any(r.counts[k] for r in rows)]
        narrow = self.app.size.width < NARROW
        cell, headers = (6, LETTER_HEADERS) if narrow else (8, stocks.HEADERS)
        width = max(10, min(60, self.app.size.width - 4 - 11 - cell * len(keys) - 8))
        text = Text("As at      " + "".join(f"{headers[k]:>{cell}}" for k in keys) + "   G+O  Share\n", style="bold")
        for row in rows:
            share = row.good_or_better
            text.append(f"{short_date(row.date):<11}" + "".join(f"{row.counts[k]:>{cell}}" for k in keys))
            text.append(f"{'-' if share is None else f'{share:.0%}':>6}  ")
            for letter, cells in stocks.bar(row, width):
                text.append(letter * cells, style=LETTER_STYLES.get(letter, GAP_STYLE))
            text.append("\n")
        text.append(
            "\nEach authority of the day once, with the grade of its latest inspection published by then (SIF or "
            "ILACS). O outstanding · G good · R requires improvement · A adequate (2009-2012) · I inadequate · "
            "· no grade; None: inspected, no grade for this judgement"
            + (f" ({NO_OVERALL}: press 2 for leaders)" if self.judgement == "overall" else "")
            + " · Not in. (NotIn): no inspection published by then in the library · G+O: good or outstanding, of those "
            "graded.",
            style="dim",
        )
        return text

    def _movement(self) -> Text:
        region = None if self.area == stocks.ENGLAND else self.area
        moved = stocks.movement(self.entries, self.judgement, region=region)
        text = Text(f"\nFirst to latest ILACS inspection, {self.area}\n", "bold")
        if not moved.compared and not moved.not_graded:
            return text.append("No authority inspected under ILACS twice in the library.", style="dim")
        text.append(f"{moved.compared} authorities inspected twice or more by {long_date(moved.as_at)}: ")
        for label, names, style in (
            ("improved", moved.improved, LETTER_STYLES["O"]),
            ("kept good or outstanding", moved.kept_good, LETTER_STYLES["G"]),
            ("kept requires improvement or inadequate", moved.kept_below, LETTER_STYLES["R"]),
            ("declined", moved.declined, LETTER_STYLES["I"]),
        ):
            text.append(f" {len(names)} ", style=style).append(f" {label}  ")
        if moved.not_graded:
            text.append(f"\n{len(moved.not_graded)} with no grade for this judgement at the latest ({NO_OVERALL})")
            text.append(": " + ", ".join(moved.not_graded), style="dim")
        return text

    def _visits(self) -> Text:
        text = Text(f"\n{self.area}: focused and monitoring visits since each authority's latest inspection\n", "bold")
        themes = trends.visits_since_latest(self.entries, None if self.area == stocks.ENGLAND else self.area)
        if not themes:
            return text.append("None in the library.", style="dim")
        for theme in themes:
            names = ", ".join(theme.authorities)
            count = len(theme.authorities)
            text.append(f"{theme.theme:<18} {count:>3} {'authority' if count == 1 else 'authorities'}  ")
            text.append(names, style="dim")
            text.append("\n")
        return text

    def on_resize(self) -> None:
        if self.is_mounted:
            self.fill()

    def action_area(self, step: int) -> None:
        areas = stocks.areas(self.stock_rows()) or [stocks.ENGLAND]
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
