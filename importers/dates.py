"""Dates as printed in reports ('31 October – 11 November', '9 – 20 May 2011') to ISO."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?(?:\s+(\d{4}))?")
_NUMERIC = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2,4})")


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    """One date: '16 December 2011', '16/12/2011'. None when there is no whole date."""
    match = _DAY_MONTH_YEAR.search(text)
    if match and match.group(3) and match.group(2).lower() in MONTHS:
        return _make(int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1)))
    match = _NUMERIC.search(text)
    if match:
        year = int(match.group(3))
        year += 2000 if year < 100 else 0
        return _make(year, int(match.group(2)), int(match.group(1)))
    return None


_RANGE_SPLIT = re.compile(r"\s*(?:–|—|-|\bto\b|\band\b)\s*")


def parse_date_range(text: str, published: dt.date | None = None) -> tuple[dt.date | None, dt.date | None]:
    """A range such as '4 – 15 October 2010' or '31 October – 11 November'.

    Parts may leave out the month or the year; they are taken from the other end, and a
    missing year from the publication date (inspections end shortly before publication).
    """
    parts = [p for p in _RANGE_SPLIT.split(text.strip()) if p]
    if not parts:
        return None, None
    parsed: list[tuple[int, int | None, int | None]] = []
    for part in (parts[0], parts[-1]):
        match = re.match(r"(\d{1,2})(?:st|nd|rd|th)?(?:\s+([A-Za-z]+))?(?:\s+(\d{4}))?", part)
        if not match:
            return None, None
        month = MONTHS.get((match.group(2) or "").lower().rstrip("."))
        if match.group(2) and month is None:
            return None, None
        parsed.append((int(match.group(1)), month, int(match.group(3)) if match.group(3) else None))
    (start_day, start_month, start_year), (end_day, end_month, end_year) = parsed
    if end_month is None:
        return None, None
    if end_year is None:
        if published is None:
            return None, None
        end_year = published.year
        end = _make(end_year, end_month, end_day)
        if end and end > published:
            end_year -= 1
    start_month = start_month or end_month
    if start_year is None:
        start_year = end_year if start_month <= end_month else end_year - 1
    return _make(start_year, start_month, start_day), _make(end_year, end_month, end_day)


def iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


_BOTH_NUMERIC = re.compile(r"^\s*(\d{1,2}/\d{1,2}/\d{2,4})\s*(?:–|—|-|\bto\b)\s*(\d{1,2}/\d{1,2}/\d{2,4})\s*$")
# 'and' between two ranges, each ending in a year: '5 to 9 December 2022 and 14 to 15 February 2023'.
_VISIT_SPLIT = re.compile(r"(?<=\d{4})\s*(?:,?\s*\band\b|;|,)\s*(?=\d)")


def parse_visits(text: str, published: dt.date | None = None) -> list[tuple[dt.date | None, dt.date | None]]:
    """Every inspection window in a dates field: one for most inspections, two for those done in two visits.

    '12/09/2016 to 06/10/2016' and '1/06/2015 – 25/06/2015' are read as numeric day/month/year ranges."""
    visits = []
    for part in _VISIT_SPLIT.split(text.strip()):
        numeric = _BOTH_NUMERIC.match(part)
        if numeric:
            visits.append((parse_date(numeric.group(1)), parse_date(numeric.group(2))))
        else:
            visits.append(parse_date_range(part, published))
    return [v for v in visits if v[1] is not None] or [(None, None)]
