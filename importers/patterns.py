"""Text patterns the importers share: apostrophes as printed, the bullet glyphs Ofsted's PDFs use, and a
recommendation's timescale line."""

from __future__ import annotations

import re

from ofsted_reader.core.vocabulary import Timescale

APOSTROPHE = "['’]"
# pdfium gives Wingdings and Symbol bullets as private-use characters (U+F06E, U+F0A7, U+F02D, U+F0BE ...), the
# rest as themselves.
BULLET = re.compile(r"^\s*[\uf000-\uf0ff◼■▪•●◦]\s*(.*)$")
# "Immediately", "Within three months:" — a line of its own above the recommendations it applies to.
TIMESCALE = re.compile(r"^(immediately|within\s+(\w+)\s+months?)\b[\s:.]*$", re.I)
_MONTHS: dict[str, Timescale] = {
    "three": "within_three_months",
    "3": "within_three_months",
    "six": "within_six_months",
    "6": "within_six_months",
}


def read_timescale(match: re.Match[str]) -> Timescale | None:
    """The timescale a TIMESCALE line gives; None for one of a length no report uses ("within two months")."""
    if match.group(1).lower() == "immediately":
        return "immediately"
    return _MONTHS.get((match.group(2) or "").lower())
