"""One date style everywhere: "8 Aug 2014" in lists and tables, "8 August 2014" in headers and citations, a span
"11-15 September 2023" for an inspection's days, and how long ago ("3 months ago", "8 years ago").

A report has two dates people mean different things by: when it was inspected (what the grades describe) and when
Ofsted published it. Lists show one date per report, always the same one (`list_date`: the inspection's last day,
else the publication date); headers name both, each labelled.
"""

from __future__ import annotations

import datetime as dt

from .wording import plural


def _parse(iso: str | None) -> dt.date | None:
    if not iso:
        return None
    try:
        return dt.date.fromisoformat(iso[:10])
    except ValueError:
        return None


def short_date(iso: str | None) -> str:
    """'8 Aug 2014' ('undated' when there is none)."""
    date = _parse(iso)
    return f"{date.day} {date.strftime('%b %Y')}" if date else "undated"


def long_date(iso: str | None) -> str:
    """'8 August 2014' ('undated' when there is none)."""
    date = _parse(iso)
    return f"{date.day} {date.strftime('%B %Y')}" if date else "undated"


def date_span(start: str | None, end: str | None, short: bool = False) -> str:
    """An inspection's days: '11-15 September 2023', '28 February - 4 March 2023', or one day."""
    first, last = _parse(start), _parse(end)
    one = short_date if short else long_date
    if last is None:
        return one(start)
    if first is None or first == last:
        return one(end)
    month = "%b" if short else "%B"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{one(end)}"
    if first.year == last.year:
        return f"{first.day} {first.strftime(month)} – {one(end)}"
    return f"{one(start)} – {one(end)}"


def list_date(entry: object) -> str:
    """The one date a report carries in lists (tree, overview, tables): when it was inspected, else published. Works
    on a library entry (inspected) or a report (inspection_end)."""
    inspected = getattr(entry, "inspected", None) or getattr(entry, "inspection_end", None)
    return inspected or getattr(entry, "published", None) or ""


def ago(iso: str | None, today: dt.date | None = None) -> str:
    """How long ago: 'today', '12 days ago', '5 months ago', '8 years ago' (days past a year read as noise)."""
    date = _parse(iso)
    if date is None:
        return ""
    today = today or dt.date.today()
    days = (today - date).days
    if days < 0:
        return "in the future"
    if days == 0:
        return "today"
    if days < 60:
        return plural(days, "day") + " ago"
    months = (today.year - date.year) * 12 + today.month - date.month - (today.day < date.day)
    if months < 12:
        return plural(max(months, 1), "month") + " ago"
    return plural(months // 12, "year") + " ago"
