"""Stage 1: a PDF's pages as text lines, with pypdfium2."""

from __future__ import annotations

import itertools

from .errors import ReportError


def extract_pages(data: bytes, source: str, gaps: bool = False) -> list[list[str]]:
    """Each page's text lines. With gaps, an empty line also marks each wider-than-usual vertical space between two
    lines: letters separate their unnumbered paragraphs only by space, which pdfium's text does not show."""
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
                textpage = document[index].get_textpage()
                text = textpage.get_text_range()
                lines = (
                    _spaced_lines(textpage, text)
                    if gaps
                    else text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
                )
            except pypdfium2.PdfiumError:
                raise ReportError(
                    source, f"a damaged PDF: page {index + 1} cannot be read; download it again"
                ) from None
            pages.append([normalise_line(line) for line in lines])
    finally:
        document.close()
    if sum(len(line) for page in pages for line in page) < 200:
        raise ReportError(source, "this PDF has no text layer (a scan?); this app needs a PDF with text")
    return pages


# A vertical step this many times the page's usual line pitch is a paragraph space (measured on the 62 letters: lines
# step 14.5 pt within a paragraph, 17-30 pt between paragraphs and bullets).
GAP_FACTOR = 1.35


def _spaced_lines(textpage, text: str) -> list[str]:
    """The page's lines with "" where the layout leaves a gap. pdfium's text and its characters share indices, so a
    line's vertical place is that of its first and last visible characters ('loose' boxes: the font's full height,
    the same for every glyph of a line)."""
    count = textpage.count_chars()
    spans: list[tuple[str, float | None, float | None]] = []
    start = 0
    while start <= len(text):
        end = text.find("\r\n", start)
        end = len(text) if end == -1 else end
        line = text[start:end]
        visible = [start + k for k, char in enumerate(line) if not char.isspace() and start + k < count]
        if visible:
            spans.append(
                (
                    line,
                    textpage.get_charbox(visible[0], loose=True)[1],
                    textpage.get_charbox(visible[-1], loose=True)[1],
                )
            )
        else:
            spans.append((line, None, None))
        start = end + 2
    steps = [
        previous[2] - current[1]
        for previous, current in itertools.pairwise(spans)
        if previous[2] is not None and current[1] is not None and previous[2] > current[1]
    ]
    if not steps:
        return [line for line, _, _ in spans]
    pitch = sorted(steps)[len(steps) // 2]
    out: list[str] = []
    last_bottom: float | None = None
    for line, top, bottom in spans:
        if top is not None and last_bottom is not None:
            step = last_bottom - top
            if step > pitch * GAP_FACTOR or step < 0:  # a wide space, or a jump back up the page (a side block)
                out.append("")
        out.append(line)
        if bottom is not None:
            last_bottom = bottom
    return out


def normalise_line(line: str) -> str:
    # U+FFFE is pdfium's mark for a line-end hyphen it joined: every one in Ofsted's PDFs is a real hyphen.
    line = line.replace("\ufffe", "-").replace("\u2011", "-").replace("\u2212", "-")
    return line.replace("\u202f", " ").replace("\u00a0", " ").rstrip()
