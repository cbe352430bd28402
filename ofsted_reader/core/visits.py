"""Visit letters (focused and monitoring visits): the short name of what a visit looked at, for badges and tables.

The importer keeps the letter's own words (`Report.theme`, e.g. "children in need and those subject to a child
protection plan, with a focus on children at risk of neglect"); people scanning a list want "CIN & CP".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .dates import list_date
from .judgements import SEND_KEY
from .vocabulary import ReportType

# The reports that grade nothing on the ILACS scale: the visit letters, and the joint inspections of an area (an area
# SEND inspection's outcome is no grade of that scale).
KINDS: dict[ReportType, str] = {
    "focused_visit": "focused visit",
    "monitoring_visit": "monitoring visit",
    "jtai": "joint targeted area inspection",
    "area_send": "area SEND inspection",
}
VISITS: tuple[ReportType, ...] = ("focused_visit", "monitoring_visit")

# (short name, pattern on the letter's words), in the order they are tried; a theme can have two.
THEMES: list[tuple[str, str]] = [
    ("COVID-19", r"covid"),
    ("front door", r"front[ -]door|first point of contact|contacts and referrals|receiving referrals"),
    ("pre-proceedings", r"pre-proceedings|letter before proceedings|public law outline"),
    ("permanence", r"permanen"),
    ("care leavers", r"care leavers?|care-experienced"),
    ("children in care", r"children in care|looked after|placement"),
    ("CIN & CP", r"children in need|child protection|help and protection|protection plan"),
    ("adolescents", r"adolescen|exploitation|extra-familial"),
    ("disabled children", r"disabled children|disabilit"),
]


def theme_names(theme: str | None) -> list[str]:
    """Every short name that fits a letter's theme, in the order its words name them."""
    if not theme:
        return []
    text = theme.lower()
    found = [(match.start(), name) for name, pattern in THEMES if (match := re.search(pattern, text))]
    return [name for _, name in sorted(found)]


def theme_label(theme: str | None, limit: int = 2) -> str:
    """'care leavers', 'front door', 'children in care & care leavers'; '' when no short name fits."""
    return " & ".join(theme_names(theme)[:limit])


def latest_send(entries: Iterable[Any]) -> dict[str, Any]:
    """Each authority's latest area SEND inspection with an outcome (library entries, by DfE code): what the map's SEND
    layer and the grades matrix's SEND column show."""
    out: dict[str, Any] = {}
    for entry in sorted((e for e in entries if e.report_type == "area_send"), key=list_date):
        if entry.authority_code and entry.grades.get(SEND_KEY):
            out[entry.authority_code] = entry  # sorted by date: a later one replaces it
    return out
