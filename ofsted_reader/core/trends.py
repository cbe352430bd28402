"""Grades over time: how many inspections gave each grade, year by year, in England and in each region (what the
DfE's and Ofsted's yearly tables show), and how many authorities had a focused visit on each theme since their last
inspection.

Works on the library manifest's entries (id, authority_code, report_type, grades, framework, inspected, published,
theme), so no report is loaded.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from . import authorities
from .latest import latest_rows, with_combined_care
from .visits import VISITS, theme_names
from .vocabulary import Framework

ENGLAND = "England"
# The columns of a year's counts: the four grades, 2009-2012's "adequate" apart from "requires improvement" (the same
# step of the scale under another name), and inspections that gave this judgement no grade.
GRADE_KEYS = ["outstanding", "good", "requires_improvement", "adequate", "inadequate", "not_graded"]
# Short column headers for the counts (a table of six counts and a bar must fit 80 columns).
HEADERS = {
    "outstanding": "Outst.",
    "good": "Good",
    "requires_improvement": "RI",
    "adequate": "Adeq.",
    "inadequate": "Inad.",
    "not_graded": "None",
}


def grade_key(grade: int | None, framework: Framework) -> str:
    if not grade:
        return "not_graded"
    if grade == 3:
        return "adequate" if framework == "slac" else "requires_improvement"
    return {1: "outstanding", 2: "good", 4: "inadequate"}[grade]


def inspection_year(entry: Any) -> int | None:
    """The year an inspection ended (the publication year where a report prints no dates)."""
    date = entry.inspected or entry.published or ""
    return int(date[:4]) if date[:4].isdigit() else None


@dataclass
class YearCounts:
    year: int
    area: str  # "England" or a region
    judgement: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GRADE_KEYS, 0))

    @property
    def inspections(self) -> int:
        return sum(self.counts.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "area": self.area,
            "judgement": self.judgement,
            **self.counts,
            "inspections": self.inspections,
        }


def by_year(entries: Iterable[Any], judgement: str = "overall", region: str | None = None) -> list[YearCounts]:
    """Every full inspection in the library counted by the year it ended and its grade for `judgement`: England's
    rows, then each region's (only `region`'s, matched by the start of its name, when given), years in order."""
    table: dict[tuple[str, int], YearCounts] = {}
    for entry in entries:
        year = inspection_year(entry)
        if entry.report_type != "inspection" or year is None:
            continue
        found = authorities.by_code(entry.authority_code)
        key = grade_key(with_combined_care(entry.grades).get(judgement), entry.framework)
        areas = [ENGLAND] + ([found.region] if found is not None and found.region else [])
        for area in areas:
            row = table.setdefault((area, year), YearCounts(year, area, judgement))
            row.counts[key] += 1
    rows = sorted(table.values(), key=lambda r: (r.area != ENGLAND, r.area, r.year))
    if region:
        start = region.lower().replace("-", " ").strip()
        rows = [r for r in rows if r.area != ENGLAND and r.area.lower().startswith(start)]
    return rows


LETTERS = {"outstanding": "O", "good": "G", "requires_improvement": "R", "adequate": "A", "inadequate": "I"}


def bar(row: YearCounts, width: int) -> list[tuple[str, int]]:
    """A year's stacked bar: (letter, cells) per grade, best first, the cells in proportion to the year's
    inspections (those with no grade for the judgement leave the bar short)."""
    if not row.inspections:
        return []
    out = []
    done = drawn = 0
    for key, letter in LETTERS.items():
        done += row.counts[key]
        # Rounded where each grade ends, not each grade's own share: the parts never add up to more than width.
        end = round(width * done / row.inspections)
        if end > drawn:
            out.append((letter, end - drawn))
            drawn = end
    return out


def history_csv(rows: list[YearCounts]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["year", "area", "judgement", *GRADE_KEYS, "inspections"])
    for row in rows:
        writer.writerow([row.year, row.area, row.judgement, *(row.counts[k] for k in GRADE_KEYS), row.inspections])
    return buffer.getvalue()


def areas(rows: list[YearCounts]) -> list[str]:
    """The areas the rows cover, England first."""
    return sorted({r.area for r in rows}, key=lambda a: (a != ENGLAND, a))


@dataclass
class ThemeCount:
    theme: str
    authorities: list[str]  # names, sorted
    visits: int


def visits_since_latest(entries: list[Any], region: str | None = None) -> list[ThemeCount]:
    """For each visit theme, the authorities (of `region`, if given) that had a focused or monitoring visit on it
    after their latest full inspection: what Ofsted went back to look at. Most authorities first."""
    latest = {row.code: row.date for row in latest_rows(entries, region=region) if row.code}
    found: dict[str, set[str]] = {}
    visits: dict[str, int] = {}
    for entry in entries:
        if entry.report_type not in VISITS or entry.authority_code not in latest:
            continue
        date = entry.inspected or entry.published or ""
        if date <= latest[entry.authority_code]:
            continue
        for theme in theme_names(entry.theme) or ["other"]:
            found.setdefault(theme, set()).add(entry.authority)
            visits[theme] = visits.get(theme, 0) + 1
    return sorted(
        (ThemeCount(theme, sorted(names), visits[theme]) for theme, names in found.items()),
        key=lambda t: (-len(t.authorities), t.theme),
    )


@dataclass
class Held:
    """A grade an authority held on one judgement, from one inspection until the next (or until `until`)."""

    start: str
    end: str
    grade: int
    framework: Framework


def held_grades(inspections: Iterable[Any], key: str, until: str) -> list[Held]:
    """An authority's grade on one judgement over time, from its inspections (latest.Inspection rows, any order):
    each grade held from the inspection that gave it to the next full inspection (which may not grade that
    judgement at all: SIF's adoption grade ends with the first ILACS inspection), the last one until `until`."""
    full = sorted((i for i in inspections if i.report_type == "inspection"), key=lambda i: i.date)
    out = []
    for index, inspection in enumerate(full):
        grade = inspection.grades.get(key)
        if grade:
            end = full[index + 1].date if index + 1 < len(full) else until
            out.append(Held(inspection.date[:10], end[:10], grade, inspection.framework))
    return out
