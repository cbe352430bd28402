"""Small rules of wording shared by the app and the command line: counts with their noun, and text cut to a width
at a word, never mid-word."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 note', '2 notes', '1,200 reports' (numbers over a thousand with a comma)."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def elide(text: str, width: int) -> str:
    """Text cut to `width` cells at a word boundary, with an ellipsis: 'The experiences and progress…'. A single word
    longer than the width is cut (with the ellipsis), as nothing shorter says more."""
    if width <= 0:
        return ""
    if len(text) <= width:
        return text
    if width == 1:
        return "…"
    cut = text[: width - 1]
    if text[width - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:·-–") + "…"
