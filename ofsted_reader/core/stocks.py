"""Grades as stocks: how many of the authorities of a day held each grade at their latest inspection published by
then (what Ofsted's "inspection outcomes as at 31 March" tables count), every 31 March since 2013 and today, for
England and each region; and how many authorities improved, kept or declined between their first and latest ILACS
inspection.

A count of inspections by the year they ended says how the inspected fared that year, not how the country stood: a
year with one report was a whole bar. A stock counts each authority once, with the grade it held that day, across
frameworks (an authority last inspected under the SIF holds that grade until its ILACS inspection is published).

Works on the library manifest's entries (no report loaded), through core.latest.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from . import latest
from .latest import (
    Counting,
    authorities_at,
    counts_from,
    day_iso,
    existed,
    latest_rows,
    not_inspected,
    with_combined_care,
)
from .vocabulary import Framework

ENGLAND = "England"
FIRST_YEAR = 2013  # the first 31 March counted: the single inspection framework began that November
# A stock's columns: the grades (2009-2012's "adequate" apart from "requires improvement", the same step of the scale
# under another name), the inspected with no grade for this judgement (no overall grade after April 2026), and the
# authorities of the day with no inspection published by then in the library.
GRADE_KEYS = ["outstanding", "good", "requires_improvement", "adequate", "inadequate"]
KEYS = [*GRADE_KEYS, "not_graded", "not_inspected"]
HEADERS = {
    "outstanding": "Outst.",
    "good": "Good",
    "requires_improvement": "RI",
    "adequate": "Adeq.",
    "inadequate": "Inad.",
    "not_graded": "None",
    "not_inspected": "Not in.",
}
LETTERS = {"outstanding": "O", "good": "G", "requires_improvement": "R", "adequate": "A", "inadequate": "I"}
GAP = "·"  # a bar's cell for authorities without a grade: no inspection yet, or none for this judgement


def grade_key(grade: int | None, framework: Framework) -> str:
    if not grade:
        return "not_graded"
    if grade == 3:
        return "adequate" if framework == "slac" else "requires_improvement"
    return {1: "outstanding", 2: "good", 4: "inadequate"}[grade]


@dataclass
class Stock:
    """The authorities of one area on one day, by the grade they held for one judgement."""

    date: str  # ISO
    area: str  # "England" or a region
    judgement: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KEYS, 0))

    @property
    def authorities(self) -> int:
        return sum(self.counts.values())

    @property
    def graded(self) -> int:
        return sum(self.counts[k] for k in GRADE_KEYS)

    def share(self, key: str) -> float | None:
        """The share of the graded authorities at this grade (None when none is graded)."""
        return self.counts[key] / self.graded if self.graded else None

    @property
    def good_or_better(self) -> float | None:
        """What Ofsted's releases lead with: the share judged good or outstanding."""
        return (self.counts["outstanding"] + self.counts["good"]) / self.graded if self.graded else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "year": int(self.date[:4]),
            "area": self.area,
            "judgement": self.judgement,
            **self.counts,
            "authorities": self.authorities,
            "graded": self.graded,
            "shares": {k: round(self.counts[k] / self.graded, 4) if self.graded else None for k in GRADE_KEYS},
            "good_or_outstanding": round(self.good_or_better, 4) if self.good_or_better is not None else None,
        }


def stock_days(today: dt.date | None = None) -> list[str]:
    """Every 31 March from 2013 to today's year (those passed), then today."""
    day = today or latest.current_day()
    days = [f"{year}-03-31" for year in range(FIRST_YEAR, day.year + 1) if f"{year}-03-31" < day.isoformat()]
    return [*days, day.isoformat()]


def stock_on(
    entries: list[Any], day: str, judgement: str = "overall", counting: Counting = "publication"
) -> list[Stock]:
    """England's stock on one day, then each region's (in the order of names)."""
    rows = latest_rows(entries, as_at=day, counting=counting)
    table: dict[str, Stock] = {}

    def add(area: str, key: str) -> None:
        table.setdefault(area, Stock(day, area, judgement)).counts[key] += 1

    known = {a.code: a for a in authorities_at(day)}
    for row in rows:
        if row.code not in known:
            continue  # an authority the LA table does not know: no region, and not one of the day's
        key = grade_key(row.grade(judgement), row.framework)
        add(ENGLAND, key)
        add(row.region, key)
    for authority in not_inspected(rows, as_at=day):
        add(ENGLAND, "not_inspected")
        add(authority.region, "not_inspected")
    return sorted(table.values(), key=lambda s: (s.area != ENGLAND, s.area))


def stocks(
    entries: Iterable[Any],
    judgement: str = "overall",
    region: str | None = None,
    days: list[str] | None = None,
    counting: Counting = "publication",
) -> list[Stock]:
    """The stock on each day (every 31 March and today by default): England's rows then each region's, each area's
    days in order; only `region`'s (a resolved region name) when given."""
    listed = list(entries)
    out: list[Stock] = []
    for day in days or stock_days():
        out += stock_on(listed, day, judgement, counting)
    if region:
        out = [s for s in out if s.area == region]
    return sorted(out, key=lambda s: (s.area != ENGLAND, s.area, s.date))


def areas(rows: list[Stock]) -> list[str]:
    """The areas the rows cover, England first."""
    return sorted({r.area for r in rows}, key=lambda a: (a != ENGLAND, a))


def bar(stock: Stock, width: int) -> list[tuple[str, int]]:
    """A day's bar across every authority of the area: (letter, cells) per grade, best first, then GAP for those
    with no grade (not yet inspected, or no grade for this judgement). Rounded where each part ends, so the parts
    add up to `width` exactly."""
    if not stock.authorities:
        return []
    out = []
    done = drawn = 0
    for key in [*GRADE_KEYS, "gap"]:
        done += stock.counts["not_graded"] + stock.counts["not_inspected"] if key == "gap" else stock.counts[key]
        end = round(width * done / stock.authorities)
        if end > drawn:
            out.append((GAP if key == "gap" else LETTERS[key], end - drawn))
            drawn = end
    return out


def stocks_csv(rows: list[Stock]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["date", "area", "judgement", *KEYS, "authorities", "good_or_outstanding"])
    for row in rows:
        share = row.good_or_better
        writer.writerow(
            [row.date, row.area, row.judgement, *(row.counts[k] for k in KEYS), row.authorities]
            + ["" if share is None else f"{share:.4f}"]
        )
    return buffer.getvalue()


# --- first and latest ILACS inspection -------------------------------------------------------------------------


@dataclass
class Movement:
    """The authorities with two ILACS inspections or more published by a day, by how their grade for one judgement
    moved from the first to the latest: Ofsted's "improved", "retained good or outstanding", "declined", and the rest
    that kept requires improvement or inadequate. An authority whose latest inspection gave this judgement no grade
    (no overall grade after April 2026) is counted apart."""

    judgement: str
    as_at: str
    improved: list[str] = field(default_factory=list)
    kept_good: list[str] = field(default_factory=list)  # good or outstanding both times (not necessarily the same)
    kept_below: list[str] = field(default_factory=list)  # requires improvement or inadequate, unchanged
    declined: list[str] = field(default_factory=list)
    not_graded: list[str] = field(default_factory=list)

    @property
    def compared(self) -> int:
        return len(self.improved) + len(self.kept_good) + len(self.kept_below) + len(self.declined)

    def to_dict(self) -> dict[str, Any]:
        return {
            "judgement": self.judgement,
            "as_at": self.as_at,
            "authorities_compared": self.compared,
            **{
                name: {"count": len(names), "authorities": names}
                for name, names in (
                    ("improved", self.improved),
                    ("kept_good_or_outstanding", self.kept_good),
                    ("kept_requires_improvement_or_inadequate", self.kept_below),
                    ("declined", self.declined),
                    ("latest_not_graded", self.not_graded),
                )
            },
        }


def movement(
    entries: Iterable[Any],
    judgement: str = "overall",
    as_at: str | None = None,
    region: str | None = None,
    counting: Counting = "publication",
) -> Movement:
    """Each authority's first ILACS grade for `judgement` against its latest, among those inspected under ILACS
    twice or more by `as_at` (today by default), of `region` if given. A grade is better when its number is lower."""
    day = day_iso(as_at)
    by_code: dict[str, list[Any]] = {}
    names: dict[str, str] = {}
    for entry in entries:
        if entry.report_type != "inspection" or entry.framework != "ilacs" or not entry.grades:
            continue
        if counts_from(entry, counting) > day or not entry.authority_code or not existed(entry.authority_code, day):
            continue
        by_code.setdefault(entry.authority_code, []).append(entry)
        names[entry.authority_code] = entry.authority
    regions = {a.code: a.region for a in authorities_at(day)}
    out = Movement(judgement, day)
    for code, inspections in sorted(by_code.items(), key=lambda item: names[item[0]].lower()):
        if len(inspections) < 2 or (region and regions.get(code) != region):
            continue
        inspections.sort(key=lambda entry: counts_from(entry, counting))
        first = _grade(inspections[0], judgement)
        last = _grade(inspections[-1], judgement)
        name = names[code]
        if first is None or last is None:
            out.not_graded.append(name)
        elif last < first:
            out.improved.append(name)
        elif last > first:
            out.declined.append(name)
        elif last <= 2:
            out.kept_good.append(name)
        else:
            out.kept_below.append(name)
    return out


def _grade(entry: Any, judgement: str) -> int | None:
    grade: int | None = with_combined_care(entry.grades).get(judgement)
    return grade
