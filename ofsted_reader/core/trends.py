"""An authority's grades over time (each grade held from one inspection to the next), and how many authorities had a
focused visit on each theme since their last inspection. The national shares of each grade over time are stocks
(core.stocks).

Works on the library manifest's entries (id, authority_code, report_type, grades, framework, inspected, published,
theme), so no report is loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .latest import latest_rows
from .visits import VISITS, theme_names
from .vocabulary import Framework


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
