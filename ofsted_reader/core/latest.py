"""Each authority's latest full inspection and its grades: the table analysts rebuild by hand from the ADCS summary,
filtered by region or to an authority's statistical neighbours.

Works on anything with the library manifest's fields (id, authority, authority_code, framework, report_type, grades,
published, inspected), so it needs no report loaded.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from . import authorities
from .grades import grade_name
from .vocabulary import Framework, ReportType

# The columns of the latest-grades table, overall first, with their short headers.
COLUMNS = [
    ("overall", "Overall"),
    ("leaders", "Leaders"),
    ("help_protection", "Help & protection"),
    ("in_care", "In care"),
    ("care_leavers", "Care leavers"),
]
# Compact words for a table that must fit 80 columns (RI is the sector's own short form); CSV and JSON carry the full
# words, and the table prints this legend under it.
COMPACT = {1: "Outst.", 2: "Good", 3: "RI", 4: "Inad."}
LEGEND = "Outst. outstanding · RI requires improvement (to be good) · Adeq. adequate (2009-2012) · Inad. inadequate"


def compact_word(grade: int, framework: Framework) -> str:
    """The short word for a grade: 3 was "adequate" before 2013 and "requires improvement" since."""
    return "Adeq." if grade == 3 and framework == "slac" else COMPACT[grade]


@dataclass
class LatestRow:
    authority: str
    code: str | None
    region: str
    report_id: str
    framework: Framework
    date: str  # the inspection's end date, or the publication date where no dates are printed
    grades: dict[str, int] = field(default_factory=dict)
    combined_care: bool = False  # before 2023 children in care and care leavers had one judgement
    published: str | None = None
    source_url: str | None = None  # Ofsted's download URL, where known

    def grade(self, key: str) -> int | None:
        return self.grades.get(key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "authority": self.authority,
            "authority_code": self.code,
            "region": self.region,
            "report_id": self.report_id,
            "framework": self.framework,
            "inspected": self.date,
            "published": self.published,
            "source_url": self.source_url,
            "combined_care_judgement": self.combined_care,
            **{
                key: grade_name(self.grades.get(key), self.framework) if self.grades.get(key) else None
                for key, _ in COLUMNS
            },
        }


def with_combined_care(grades: dict[str, int]) -> dict[str, int]:
    """Grades by key, where one judgement covered children in care and care leavers (before 2023) standing for
    both, so the In care and Care leavers columns are never empty for those reports."""
    out = dict(grades)
    if "in_care_and_care_leavers" in out:
        out.setdefault("in_care", out["in_care_and_care_leavers"])
        out.setdefault("care_leavers", out["in_care_and_care_leavers"])
    return out


def _date(entry: Any) -> str:
    return entry.inspected or entry.published or ""


def latest_rows(entries: Iterable[Any], region: str | None = None, neighbours_of: str | None = None) -> list[LatestRow]:
    """One row per authority: its latest graded inspection (standalone LSCB reviews and focused visits are not
    inspections of the whole service). `region` matches region names by their start ('london', 'north w');
    `neighbours_of` (a name or DfE code) keeps that authority and its ten statistical neighbours."""
    latest: dict[str, Any] = {}
    for entry in entries:
        if entry.report_type != "inspection" or not entry.grades:
            continue
        key = entry.authority_code or entry.authority
        if key not in latest or _date(entry) > _date(latest[key]):
            latest[key] = entry
    wanted: set[str] | None = None
    if neighbours_of:
        centre = authorities.by_code(neighbours_of) or authorities.identify(neighbours_of)
        if centre is None:
            raise ValueError(f"no authority called {neighbours_of!r}")
        wanted = {centre.code, *centre.neighbours}
    rows = []
    for entry in latest.values():
        found = authorities.by_code(entry.authority_code)
        row_region = found.region if found else ""
        if region and not row_region.lower().startswith(region.lower().strip()):
            continue
        if wanted is not None and entry.authority_code not in wanted:
            continue
        rows.append(
            LatestRow(
                entry.authority,
                entry.authority_code,
                row_region,
                entry.id,
                entry.framework,
                _date(entry),
                with_combined_care(entry.grades),
                "in_care_and_care_leavers" in entry.grades,
                entry.published,
                getattr(entry, "source_url", None),
            )
        )
    return sorted(rows, key=lambda r: r.authority.lower())


def grade_counts(rows: list[LatestRow], key: str = "overall") -> dict[int, int]:
    counts = {grade: 0 for grade in (1, 2, 3, 4)}
    for row in rows:
        if row.grade(key):
            counts[row.grade(key)] += 1  # type: ignore[index]
    return counts


def latest_csv(rows: list[LatestRow]) -> str:
    from .export import spreadsheet_safe

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        ["authority", "authority_code", "region", "inspected", "framework", "report_id"]
        + [key for key, _ in COLUMNS]
        + ["combined_care_judgement", "published", "source_url"]
    )
    for row in rows:
        data = row.to_dict()
        writer.writerow(
            [
                spreadsheet_safe(v)
                for v in [row.authority, row.code or "", row.region, row.date, row.framework, row.report_id]
            ]
            + [data[key] or "" for key, _ in COLUMNS]
            + ["yes" if row.combined_care else "no", row.published or "", spreadsheet_safe(row.source_url or "")]
        )
    return buffer.getvalue()


# The judgement columns of an authority's inspection history: the latest table's, then what SIF also graded.
HISTORY_COLUMNS = COLUMNS + [("adoption", "Adoption"), ("lscb", "LSCB")]


@dataclass
class Inspection:
    report_id: str
    date: str
    framework: Framework
    report_type: ReportType
    grades: dict[str, int]
    theme: str | None = None  # a visit letter's theme, in its words


def history(entries: Iterable[Any], authority: str) -> list[Inspection]:
    """Every report of one authority (its name or DfE code), newest first."""
    found = authorities.by_code(authority) or authorities.identify(authority)
    rows = []
    for entry in entries:
        same = (found is not None and entry.authority_code == found.code) or entry.authority == authority
        if same:
            rows.append(
                Inspection(
                    entry.id,
                    _date(entry),
                    entry.framework,
                    entry.report_type,
                    with_combined_care(entry.grades),
                    getattr(entry, "theme", None),
                )
            )
    return sorted(rows, key=lambda r: r.date, reverse=True)


def neighbours(entries: list[Any], authority: str) -> list[tuple[authorities.Authority, LatestRow | None]]:
    """An authority's statistical neighbours (the DfE's ten, in the table's order) with their latest grades, where
    the library holds an inspection of theirs."""
    found = authorities.by_code(authority) or authorities.identify(authority)
    if found is None:
        return []
    latest = {row.code: row for row in latest_rows(entries)}
    codes = found.neighbours or found.previous_neighbours
    return [(neighbour, latest.get(neighbour.code)) for neighbour in map(authorities.by_code, codes) if neighbour]


def days_since(iso_date: str, today: dt.date | None = None) -> int | None:
    try:
        return ((today or dt.date.today()) - dt.date.fromisoformat(iso_date[:10])).days
    except ValueError:
        return None
