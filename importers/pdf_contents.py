"""The contents page a report prints (page two or so of the SIF and 2013 reports): its entries and their depth, the
section tree the report's authors meant. pdf_body nests the headings it names as the page does, rather than by their
font size (a judgement's heading is set as large as its part's in some reports, smaller in others)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .ids import normalise_title
from .pdf_extract import layout_of

ENTRY_END = re.compile(r"^(?P<title>.*?\S)(?:[\s.…]*\s|(?<=\?))(?P<page>\d{1,3})$")  # "improve?4" too
DEEPER = 5.0  # points an entry is set in from the page's first entries to sit under them
CONTENTS_PAGES = 6  # the contents page is among a report's first pages
SMALLER = 1.5  # points: type this much smaller than the list's first entry is no entry (a footnote)


@dataclass(frozen=True)
class Entry:
    title: str
    depth: int  # 0 a part, 1 a section under the last part (or at the top before any part)
    key: str  # the title normalised, to match a heading's

    def names(self, title: str) -> bool:
        """Whether a heading of this title is this entry: the same words, or more (an entry drops the heading's
        grade)."""
        key = contents_key(title)
        return bool(key) and key.startswith(self.key)


def contents_key(title: str) -> str:
    """A title's words, without what it adds in brackets: "The Local Safeguarding Children Board (LSCB)" is the
    heading "The Local Safeguarding Children Board"."""
    title = re.sub(r"\([^)]*\)", " ", title)
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", normalise_title(title).replace("judgment", "judgement")).split())


def contents_entries(pages: list[list[str]]) -> list[Entry]:
    """The entries of the first page headed "Contents" (none where no page is)."""
    for page in pages[:CONTENTS_PAGES]:
        if not any(line.strip() == "Contents" for line in page):
            continue
        start = next(i for i, line in enumerate(page) if line.strip() == "Contents")
        raw: list[tuple[str, float, float]] = []  # title, left, size
        pending: list[str] = []
        began: tuple[float, float] | None = None
        placed_lines = _listed(page[start + 1 :])
        for position, line in enumerate(placed_lines):
            placed = layout_of(line)
            assert placed is not None
            text = line.strip()
            following = placed_lines[position + 1].strip() if position + 1 < len(placed_lines) else ""
            match = ENTRY_END.match(text)
            left, size = began if began is not None else (placed.left, placed.size)
            if text.isdigit():  # a page number printed on a line of its own closes the entry above
                if pending:
                    raw.append((" ".join(pending), left, size))
                pending, began = [], None
                continue
            if match is None and following[:1].islower() and len(pending) < 2:
                pending.append(text)  # wrapped: "The experiences … achieving" / "permanence 17"
                began = left, size
                continue
            title = match.group("title") if match else text  # (an entry printed without its page number)
            raw.append((" ".join([*pending, title]), left, size))
            pending, began = [], None
        if len(raw) < 3:
            return []
        # Parts are set larger than their sections where the page sets sizes apart (16 and 14 pt), else further
        # left (the first character's box is no sure measure of that where sizes differ: "Executive summary" can
        # start left of its part).
        largest = max(size for _, _, size in raw)
        by_size = largest - min(size for _, _, size in raw) >= 1
        first = min(left for _, left, _ in raw)
        entries = [
            Entry(
                title,
                (0 if size > largest - 1 else 1) if by_size else (0 if left - first < DEEPER else 1),
                contents_key(title),
            )
            for title, left, size in raw
            if contents_key(title) not in ("", "contents")  # (a page listing itself)
        ]
        # A list set all alike prints no tree: the headings' sizes are then all there is to go by.
        return entries if any(entry.depth for entry in entries) else []
    return []


def _listed(lines: list[str]) -> list[str]:
    """The lines of the list: placed ones, up to where smaller type begins (a footnote under it)."""
    out: list[str] = []
    for line in lines:
        placed = layout_of(line)
        if placed is None or not line.strip():
            continue
        first = layout_of(out[0]) if out else None
        if first is not None and placed.size <= first.size - SMALLER:
            break
        out.append(line)
    return out
