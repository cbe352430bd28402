"""Text patterns the importers share: apostrophes as printed, the bullet glyphs Ofsted's PDFs use, and a
recommendation's timescale line."""

from __future__ import annotations

import re

APOSTROPHE = "['’]"
# pdfium gives Wingdings bullets as private-use characters (U+F06E, U+F0A7 ...), the rest as themselves.
BULLET = re.compile(r"^\s*[\uf06e\uf0a7\uf02d\uf0b7◼■▪•●◦]\s*(.*)$")
# "Immediately", "Within three months:" — a line of its own above the recommendations it applies to.
TIMESCALE = re.compile(r"^(immediately|within\s+(\w+)\s+months?)\b[\s:.]*$", re.I)
