"""An authority's judgements over time as a strip chart: a row per judgement, time across, each grade drawn (its
letter on its colour) from the inspection that gave it until the next, visits marked on a row of their own.

Drawn as Rich text: a line chart of four grade levels over a handful of inspections said less and needed a
plotting widget (see tui/screens/trends.py for the ones tried).
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from ofsted_reader.core.latest import Inspection
from ofsted_reader.core.trends import held_grades
from ofsted_reader.core.visits import KINDS
from ofsted_reader.core.wording import elide
from ofsted_reader.tui.screens.map import LETTER_STYLES

LETTERS = {1: "O", 2: "G", 3: "R", 4: "I"}
LABEL = 14  # columns of the row names


def _day(iso: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso[:10])
    except ValueError:
        return None


def grade_chart(inspections: list[Inspection], keys: list[tuple[str, str]], width: int, today: dt.date) -> Text:
    """The chart, `width` columns wide in all, for the judgements `keys` ((key, name) pairs) that any inspection
    graded."""
    days = [d for d in (_day(i.date) for i in inspections) if d]
    text = Text("Judgements over time\n", style="bold")
    if not days:
        return text.append("no dated reports", style="dim")
    start = dt.date(min(days).year, 1, 1)
    end = max(today, max(days))
    span = max((end - start).days, 1)
    cells = max(width - LABEL, 10)

    def column(day: dt.date) -> int:
        return min(cells - 1, (day - start).days * cells // span)

    axis = [" "] * cells
    years = end.year - start.year + 1
    # Every year where there is room for "2019 " between the marks, else every second, fifth or tenth.
    step = next((n for n in (1, 2, 5, 10) if cells * n / years >= 6), 20)
    for year in range(start.year, end.year + 1):
        position = column(dt.date(year, 1, 1))
        if year % step == 0 or step == 1:
            label = str(year)
            if all(c == " " for c in axis[max(position - 1, 0) : position + len(label) + 1]):
                axis[position : position + len(label)] = label
    text.append(" " * LABEL + "".join(axis)[:cells] + "\n", style="dim")
    until = end.isoformat()
    for key, name in keys:
        row: list[tuple[str, str]] = [(" ", "")] * cells
        for held in held_grades(inspections, key, until):
            first, last = _day(held.start), _day(held.end)
            if first is None or last is None:
                continue
            letter = "A" if held.grade == 3 and held.framework == "slac" else LETTERS[held.grade]
            for c in range(column(first), max(column(last), column(first) + 1)):
                row[c] = (letter, LETTER_STYLES[letter])
        text.append(f"{elide(name, LABEL - 1):<{LABEL}}")
        for char, style in row:
            text.append(char, style=style)
        text.append("\n")
    marks = [" "] * cells
    for inspection in inspections:
        day = _day(inspection.date)
        if day is not None and inspection.report_type in KINDS:
            marks[column(day)] = "▼"
    if "▼" in marks:
        text.append(f"{'Visits':<{LABEL}}" + "".join(marks) + "\n", style="bold")
    text.append("O outstanding · G good · R req. improvement · A adequate (2009-12) · I inadequate", style="dim")
    return text
