"""Text patterns the importers share: apostrophes as printed, the bullet glyphs Ofsted's PDFs use, and a
recommendation's timescale line."""

from __future__ import annotations

import re

APOSTROPHE = "['’]"
# pdfium gives Wingdings and Symbol bullets as private-use characters (U+F06E, U+F0A7, U+F02D, U+F0BE ...), the
# rest as themselves.
BULLET = re.compile(r"^\s*[\uf000-\uf0ff◼■▪•●◦]\s*(.*)$")
# "Immediately", "Within three months:" — a line of its own above the recommendations it applies to.
TIMESCALE = re.compile(r"^(immediately|within\s+(\w+)\s+months?)\b[\s:.]*$", re.I)
