"""Text patterns every PDF layout shares: apostrophes as printed and the bullet glyphs Ofsted's PDFs use."""

from __future__ import annotations

import re

APOSTROPHE = "['’]"
# pdfium gives Wingdings bullets as private-use characters (U+F06E, U+F0A7 ...), the rest as themselves.
BULLET = re.compile(r"^\s*[\uf06e\uf0a7\uf02d\uf0b7◼■▪•●◦]\s*(.*)$")
