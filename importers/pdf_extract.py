"""Stage 1: a PDF's pages as text lines, with pypdfium2, each line knowing where and how the page prints it.

pdfium's text gives lines but not the space between them, their indent or their type: those come from its characters
(the text and the characters share indices). A line's place is read from its first and last visible characters: five
calls per line, about 5 ms per report (bench/corpus.py), against the ~40 ms the text itself costs.
"""

from __future__ import annotations

import ctypes
import itertools
import re
import statistics
from collections import Counter
from typing import TYPE_CHECKING

from .errors import ReportError

if TYPE_CHECKING:  # imported where used: only a PDF's import needs pdfium
    from pypdfium2 import PdfTextPage


class Line(str):
    """A line of a page as text, with its geometry in PDF points (y grows up the page): `top` and `bottom` of its
    first and last characters' full-height boxes, its `baseline`, `left` and `right` edges, its font `size` and
    whether it is `bold`. `advance` is the drop from the previous line's last baseline to this line's first on the
    page (None for the first
    line, and for a line printed level with or above the one before: a table's next cell, a side box); `pitch` is the
    page's usual advance. Functions that only read text treat it as the str it is."""

    top: float
    bottom: float
    baseline: float  # of its last character
    first_baseline: float  # of its first: pdfium sometimes gives two printed lines as one
    left: float
    right: float
    size: float
    bold: bool
    advance: float | None = None
    above: float | None = None  # the baseline of the line before on the page: whether a reader's lines were adjacent
    pitch: float = 0.0
    cells: tuple[str, ...] = ()  # a table row pdfium gave as one line: its cells, split where the text jumps across
    notes: tuple[str, ...] = ()  # the footnotes whose markers this line held (taken out of its text)

    def with_text(self, text: str) -> Line:
        """The same place on the page, other words (a footnote marker taken out)."""
        line = Line(text)
        line.__dict__.update(self.__dict__)
        return line

    @property
    def spaced(self) -> bool:
        """A paragraph's space above it: a drop from the line before wider than 1.5 of the page's line pitches (lines
        of a paragraph drop one pitch, 14.5 pt in 12 pt Tahoma; paragraphs are set two pitches apart)."""
        return self.advance is not None and self.pitch > 0 and self.advance > PARAGRAPH_SPACE * self.pitch


PARAGRAPH_SPACE = 1.5


def layout_of(line: str) -> Line | None:
    return line if isinstance(line, Line) else None  # every Line is made with its geometry (or copies it)


def extract_lines(data: bytes, source: str) -> list[list[str]]:
    """Each page's lines: a Line for every line with visible text, "" for an empty one."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        if "password" in str(error).lower():
            raise ReportError(
                source, "this PDF is password-protected; save a copy without the password and import that"
            ) from None
        raise ReportError(source, f"a damaged PDF, it cannot be opened ({error}); download it again") from None
    pages = []
    try:
        for index in range(len(document)):
            try:
                pages.append(_page_lines(document[index].get_textpage()))
            except pypdfium2.PdfiumError:
                raise ReportError(
                    source, f"a damaged PDF: page {index + 1} cannot be read; download it again"
                ) from None
    finally:
        document.close()
    if sum(len(line) for page in pages for line in page) < 200:
        raise ReportError(source, "this PDF has no text layer (a scan?); this app needs a PDF with text")
    return pages


def _page_lines(textpage: PdfTextPage) -> list[str]:
    import pypdfium2.raw as pdfium

    text = textpage.get_text_range()
    count = textpage.count_chars()
    handle = textpage.raw
    box = pdfium.FS_RECTF()
    x, y = ctypes.c_double(), ctypes.c_double()
    out: list[str] = []
    start = 0
    pieces: list[tuple[int, int]] = []  # each line's [start, end) in the text
    while start <= len(text):
        end = text.find("\r\n", start)
        end = len(text) if end == -1 else end
        pieces += _printed_lines(handle, text, start, end, count)
        start = end + 2
    for start, end in pieces:
        raw_line = text[start:end]
        kept = raw_line.strip()
        first = start + len(raw_line) - len(raw_line.lstrip())
        last = start + len(raw_line.rstrip()) - 1
        if not kept or last >= count:
            out.append(normalise_line(raw_line) if kept else "")
            continue
        line = Line(normalise_line(raw_line))
        pdfium.FPDFText_GetLooseCharBox(handle, first, box)
        line.top, line.left = box.top, box.left
        pdfium.FPDFText_GetLooseCharBox(handle, last, box)
        line.bottom, line.right = box.bottom, box.right
        pdfium.FPDFText_GetCharOrigin(handle, last, ctypes.byref(x), ctypes.byref(y))
        line.baseline = y.value
        pdfium.FPDFText_GetCharOrigin(handle, first, ctypes.byref(x), ctypes.byref(y))
        line.first_baseline = y.value
        # The first character's size: the last can be a footnote marker set small ("Board1").
        line.size = round(max(pdfium.FPDFText_GetFontSize(handle, first), pdfium.FPDFText_GetFontSize(handle, last)), 1)
        line.bold = pdfium.FPDFText_GetFontWeight(handle, last) >= 600 and (
            pdfium.FPDFText_GetFontWeight(handle, first) >= 600 or not text[first].isalnum()
        )
        if line.right - line.left > WIDE_LINE * line.size * len(line.strip()):
            line.cells = _cells(textpage, raw_line, first, last, line.size)
        out.append(line)
    _measure_advances(out)
    return out


def _printed_lines(handle: object, text: str, start: int, end: int, count: int) -> list[tuple[int, int]]:
    """A line of pdfium's text as the lines the page prints: pdfium sometimes runs a page's last line on into the
    footnote under it ("oversight at all decision-1 The areas for improvement…"), the second part a line's height
    or more lower. Split where a character's baseline drops that far; a superscript marker rises less."""
    import pypdfium2.raw as pdfium

    stripped = text[start:end].rstrip()
    last = start + len(stripped) - 1
    first = start + len(stripped) - len(stripped.lstrip())
    if not stripped.strip() or last >= count:
        return [(start, end)]
    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium.FPDFText_GetCharOrigin(handle, first, ctypes.byref(x), ctypes.byref(y))
    top = y.value
    pdfium.FPDFText_GetCharOrigin(handle, last, ctypes.byref(x), ctypes.byref(y))
    size = pdfium.FPDFText_GetFontSize(handle, first)
    if top - y.value < LINE_DROP * size:
        return [(start, end)]
    for index in range(first + 1, last + 1):
        if text[index].isspace():
            continue
        pdfium.FPDFText_GetCharOrigin(handle, index, ctypes.byref(x), ctypes.byref(y))
        if top - y.value >= LINE_DROP * size:
            return [(start, index)] + _printed_lines(handle, text, index, end, count)
    return [(start, end)]


LINE_DROP = 0.8  # of the font size: a baseline this much lower is the next printed line


# A line wider than this many ems per character holds a jump across the page: cells of a table row set on one line
# (text runs at about 0.45 em per character).
WIDE_LINE = 0.7
CELL_SPACE = 1.5  # ems of empty space between two words of one line: a column's edge


def _cells(textpage: PdfTextPage, raw_line: str, first: int, last: int, size: float) -> tuple[str, ...]:
    offset = first - next(k for k, char in enumerate(raw_line) if not char.isspace())
    cells, begin, previous_right = [], first, None
    for index in range(first, last + 1):
        if raw_line[index - offset].isspace():
            continue
        left, _, right, _ = textpage.get_charbox(index, loose=True)
        if previous_right is not None and left - previous_right > CELL_SPACE * size:
            cells.append(raw_line[begin - offset : index - offset].strip())
            begin = index
        previous_right = right
    cells.append(raw_line[begin - offset : last + 1 - offset].strip())
    return tuple(normalise_line(cell) for cell in cells) if len(cells) > 1 else ()


def _measure_advances(lines: list[str]) -> None:
    placed = [line for line in lines if isinstance(line, Line)]
    previous: Line | None = None
    drops = []
    for line in placed:
        if previous is not None:
            line.above = previous.baseline
            drop = previous.baseline - line.first_baseline
            if drop > 0.5:
                line.advance = drop
                drops.append(drop)
        previous = line
    pitch = statistics.median(drops) if drops else 0.0
    for line in placed:
        line.pitch = pitch


# A Symbol-font character inside a line is its ASCII twin moved to the private-use area (U+F02D is '-').
SYMBOL_ASCII = {code: code - 0xF000 for code in range(0xF021, 0xF07F)}
PRIVATE_GLYPH = re.compile("[\uf000-\uf0ff]")


def normalise_line(line: str) -> str:
    # U+FFFE is pdfium's mark for a line-end hyphen it joined: every one in Ofsted's PDFs is a real hyphen.
    line = line.replace("\ufffe", "-").replace("\u2011", "-").replace("\u2212", "-")
    line = line.replace("\u202f", " ").replace("\u00a0", " ").rstrip()
    if PRIVATE_GLYPH.search(line):
        # A glyph leading the line is a bullet (patterns.BULLET); one inside it a dash or another ASCII character.
        head = len(line) - len(line.lstrip())
        line = line[: head + 1] + line[head + 1 :].translate(SYMBOL_ASCII)
    return line


# A white space this many times the page's usual space between lines is a paragraph space (measured on the 62
# letters: lines step 14.5 pt within a paragraph, 17-30 pt between paragraphs and bullets).
GAP_FACTOR = 1.35


def leading_of(pages: list[list[str]]) -> float | None:
    """The document's usual drop from one line to the next, in its commonest type size: a page of bullets set
    apart has a median drop of a paragraph space, which would hide its paragraphs' spaces."""
    placed = [line for page in pages for line in page if isinstance(line, Line)]
    sizes = Counter(line.size for line in placed)
    if not sizes:
        return None
    body = sizes.most_common(1)[0][0]
    drops = Counter(round(line.advance * 2) / 2 for line in placed if line.size == body and line.advance)
    return drops.most_common(1)[0][0] if drops else None


def with_gaps(page: list[str], leading: float | None = None) -> list[str]:
    """The page's lines with "" where the layout leaves a gap: the white space between one line's bottom and the
    next one's top wider than usual, a drop of more than 1.5 line pitches (a line pdfium gave with a taller
    character), or a jump back up the page (a side block). The letters' paragraph spaces."""
    placed = [line for line in page if isinstance(line, Line)]
    steps = [a.bottom - b.top for a, b in itertools.pairwise(placed) if a.bottom > b.top]
    if not steps:
        return list(page)
    pitch = sorted(steps)[len(steps) // 2]
    out: list[str] = []
    last_bottom: float | None = None
    for line in page:
        if isinstance(line, Line):
            if last_bottom is not None:
                step = last_bottom - line.top
                spaced = line.spaced or (
                    leading is not None and line.advance is not None and line.advance > PARAGRAPH_SPACE * leading
                )
                if step > pitch * GAP_FACTOR or step < 0 or spaced:
                    out.append("")
            last_bottom = line.bottom
        out.append(line)
    return out


def extract_pages(data: bytes, source: str, gaps: bool = False) -> list[list[str]]:
    """Each page's text lines (Lines, with their layout). With gaps, an empty line also marks each wider-than-usual
    vertical space between two lines: letters separate their unnumbered paragraphs only by space, which pdfium's text
    does not show."""
    pages = extract_lines(data, source)
    return [with_gaps(page) for page in pages] if gaps else pages
