"""Each authority's latest full inspection and its grades, today or as at any date: the table analysts rebuild by
hand from the ADCS summary, filtered by region or to an authority's statistical neighbours.

As at a date, an inspection counts from the day Ofsted published it, and the authorities are those that existed
then: Northamptonshire until its children's services passed to North and West Northamptonshire (1 April 2021),
Cumbria until Cumberland and Westmorland and Furness (1 April 2023), Bournemouth, Poole and Dorset County Council until
Bournemouth, Christchurch and Poole and Dorset Council (1 April 2019).

Works on anything with the library manifest's fields (id, authority, authority_code, framework, report_type, grades,
published, inspected), so it needs no report loaded.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from . import authorities
from .authorities import Authority
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
# What a view ranking authorities by their overall grade says of a report graded after April 2026, which gives none.
NO_OVERALL = "no overall grade (2026 framework)"

# The day each reorganised authority's children's services ended, or its successor's began (SUCCESSORS in
# authorities.py says which took over from which).
ENDED = {"928": "2021-04-01", "909": "2023-04-01", "836": "2019-04-01", "837": "2019-04-01", "835": "2019-04-01"}
BEGAN = {"940": "2021-04-01", "941": "2021-04-01", "942": "2023-04-01", "943": "2023-04-01", "839": "2019-04-01"}
BEGAN["838"] = "2019-04-01"  # Dorset Council, successor to Dorset County Council (835)
# Two authorities of 2013-2019 that the LA table does not hold (it lists today's, and three defunct ones).
FORMER = [
    Authority("837", "Bournemouth", "", "E06000028", "South West", "Unitary Authority", None),
    Authority("835", "Dorset County Council", "", "E10000009", "South West", "County", None),
]
FORMER_SUCCESSORS = {"837": ["839"], "835": ["838"]}


# The judgements of an authority's own services (what `grade:` and "inadequate on any judgement" look at): the
# SIF's LSCB grade judged a separate board.
AUTHORITY_JUDGEMENTS = (
    "overall",
    "leaders",
    "help_protection",
    "in_care_and_care_leavers",
    "in_care",
    "care_leavers",
    "adoption",
)


class BadDate(ValueError):
    """A date for --as-at (or the date control) that is not a day of the calendar."""


def current_day() -> dt.date:
    """Today: what "as at today" means everywhere (one place, so a test can hold it still)."""
    return dt.date.today()


def as_at_date(text: str, today: dt.date | None = None) -> dt.date:
    """A typed YYYY-MM-DD, up to today, as a date; BadDate saying what to give otherwise."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise BadDate(f"{text.strip()!r} is not a date; give YYYY-MM-DD, e.g. 2019-08-31") from None
    now = today or current_day()
    if day > now:
        raise BadDate(f"{day.isoformat()} is after today; give a day up to {now.isoformat()}")
    return day


def day_iso(day: dt.date | str | None) -> str:
    if day is None:
        return current_day().isoformat()
    return day if isinstance(day, str) else day.isoformat()


def existed(code: str | None, day: dt.date | str | None = None) -> bool:
    """Whether the authority of this DfE code ran children's services on that day (today by default)."""
    iso = day_iso(day)
    return not (code in ENDED and iso >= ENDED[code]) and not (code in BEGAN and iso < BEGAN[code])


def authorities_at(day: dt.date | str | None = None) -> list[Authority]:
    """The authorities that existed on that day, by name."""
    every = authorities.all_authorities() + FORMER
    return sorted((a for a in every if existed(a.code, day)), key=lambda a: a.name.lower())


def _authority(code: str | None) -> Authority | None:
    return authorities.by_code(code) or next((a for a in FORMER if a.code == code), None)


def predecessor(code: str, day: dt.date | str | None = None) -> Authority | None:
    """The authority that served an area on a day before `code` existed there (Poole for Bournemouth,
    Christchurch and Poole before April 2019: the first of those the successor tables name)."""
    successors = {**authorities.SUCCESSORS, **FORMER_SUCCESSORS}
    before = [old for old, new in successors.items() if code in new and existed(old, day)]
    return _authority(before[0]) if before else None


# When an inspection starts to count as at a day: from its publication (what a reader could know that day, the
# default), or from its last day on site, as Ofsted's "as at 31 March" statistics count (inspections carried out by
# then and published by the release, months later).
Counting = Literal["publication", "inspection"]
COUNTINGS: tuple[Counting, ...] = get_args(Counting)


def counts_from(entry: Any, counting: Counting = "publication") -> str:
    """The day a report counts from: its publication (its inspection's end where no publication date is known), or
    with `counting="inspection"` its inspection's end."""
    if counting == "inspection":
        return entry.inspected or entry.published or ""
    return entry.published or entry.inspected or ""


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
    note: str | None = None  # as at a date: what became of an authority reorganised since

    def grade(self, key: str) -> int | None:
        return self.grades.get(key)

    @property
    def no_overall(self) -> bool:
        """Graded after April 2026: judgements, but no overall one."""
        return bool(self.grades) and "overall" not in self.grades

    def worst(self) -> int | None:
        """Its worst grade on any judgement: where an "inadequate now" list looks, the overall grade or not."""
        return max((g for k, g in self.grades.items() if k in AUTHORITY_JUDGEMENTS), default=None)

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
            "no_overall_grade": self.no_overall,
            **{
                key: grade_name(self.grades.get(key), self.framework) if self.grades.get(key) else None
                for key, _ in COLUMNS
            },
            "note": self.note,
        }


def uninspected_dict(authority: Authority, as_at: dt.date | str | None = None) -> dict[str, Any]:
    """A row of the as-at table for an authority of that day with no inspection published by then in the library:
    a new authority not yet inspected, or one whose report the library lacks."""
    began = BEGAN.get(authority.code)
    note = "no inspection published by then in the library"
    if began:
        note += f" (the authority began {dt.date.fromisoformat(began):%-d %B %Y})"
    gone = gone_by(authority.code, as_at)
    return {
        "authority": authority.name,
        "authority_code": authority.code,
        "region": authority.region,
        "report_id": None,
        "framework": None,
        "inspected": None,
        "published": None,
        "source_url": None,
        "combined_care_judgement": False,
        "no_overall_grade": False,
        **{key: None for key, _ in COLUMNS},
        "note": f"{note}; {gone}" if gone else note,
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


def latest_rows(
    entries: Iterable[Any],
    region: str | None = None,
    neighbours_of: str | None = None,
    as_at: dt.date | str | None = None,
    counting: Counting = "publication",
) -> list[LatestRow]:
    """One row per authority: its latest graded inspection published by `as_at` (today by default; standalone LSCB
    reviews and focused visits are not inspections of the whole service), for the authorities that existed then.
    `region` matches region names by their start ('london', 'north w'); `neighbours_of` (a name or DfE code) keeps
    that authority and its ten statistical neighbours."""
    day = day_iso(as_at)
    latest: dict[str, Any] = {}
    for entry in entries:
        if entry.report_type != "inspection" or not entry.grades:
            continue
        if as_at is not None and counts_from(entry, counting) > day:
            continue  # today means the library's latest, whatever date a report prints
        if entry.authority_code and not existed(entry.authority_code, day):
            continue  # Poole's last inspection is not Poole's grade after 2019: Poole is gone
        key = entry.authority_code or entry.authority
        if key not in latest or _date(entry) > _date(latest[key]):
            latest[key] = entry
    wanted = _wanted(neighbours_of)
    rows = []
    for entry in latest.values():
        found = _authority(entry.authority_code)
        row_region = found.region if found else ""
        if not _in_region(row_region, region):
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
                gone_by(entry.authority_code, day),
            )
        )
    return sorted(rows, key=lambda r: r.authority.lower())


def _wanted(neighbours_of: str | None) -> set[str] | None:
    if not neighbours_of:
        return None
    centre = authorities.by_code(neighbours_of) or authorities.identify(neighbours_of)
    if centre is None:
        raise ValueError(f"no authority called {neighbours_of!r}")
    return {centre.code, *(centre.neighbours or centre.previous_neighbours)}


def _in_region(name: str, region: str | None) -> bool:
    return not region or name.lower().startswith(region.lower().replace("-", " ").strip())


def not_inspected(
    rows: list[LatestRow],
    region: str | None = None,
    neighbours_of: str | None = None,
    as_at: dt.date | str | None = None,
) -> list[Authority]:
    """The authorities of that day (and of the region or neighbours) with no inspection in `rows`: no report of
    theirs published by then is in the library."""
    have = {row.code for row in rows}
    wanted = _wanted(neighbours_of)
    return [
        a
        for a in authorities_at(as_at)
        if a.code not in have and _in_region(a.region, region) and (wanted is None or a.code in wanted)
    ]


def gone_by(code: str | None, day: dt.date | str | None = None) -> str | None:
    """'abolished 1 April 2021 (now North Northamptonshire, West Northamptonshire)' for an authority reorganised
    after that day (None for one that still exists)."""
    if code not in ENDED or day_iso(day) >= ENDED[code]:
        return None
    found = _authority(code)
    after = (found.successors if found else []) or [
        a for a in map(authorities.by_code, FORMER_SUCCESSORS.get(code or "", [])) if a
    ]
    ended = dt.date.fromisoformat(ENDED[code])
    return f"abolished {ended.day} {ended:%B %Y}" + (f" (now {', '.join(a.name for a in after)})" if after else "")


def grade_counts(rows: list[LatestRow], key: str = "overall") -> dict[int, int]:
    counts = {grade: 0 for grade in (1, 2, 3, 4)}
    for row in rows:
        if row.grade(key):
            counts[row.grade(key)] += 1  # type: ignore[index]
    return counts


def latest_csv(rows: list[LatestRow], uninspected: list[dict[str, Any]] | None = None) -> str:
    """The rows as CSV, full grade words; as at a date, with the authorities of the day not inspected by then
    (`uninspected_dict` rows) among them and a note column saying so."""
    from .export import spreadsheet_safe

    listed = [row.to_dict() for row in rows] + list(uninspected or [])
    if uninspected:
        listed.sort(key=lambda r: r["authority"].lower())
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        ["authority", "authority_code", "region", "inspected", "framework", "report_id"]
        + [key for key, _ in COLUMNS]
        + ["combined_care_judgement", "published", "source_url", "note"]
    )
    for data in listed:
        writer.writerow(
            [
                spreadsheet_safe(data[k] or "")
                for k in ("authority", "authority_code", "region", "inspected", "framework", "report_id")
            ]
            + [data[key] or "" for key, _ in COLUMNS]
            + ["yes" if data["combined_care_judgement"] else "no", data["published"] or ""]
            + [spreadsheet_safe(data["source_url"] or ""), spreadsheet_safe(data["note"] or "")]
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
