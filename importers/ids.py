"""Stable identifiers: the same report imported again gets the same ids, so notes stay attached."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata


def normalise_title(title: str | None) -> str:
    """Compare headings as words: no numbering ('1.', 'a.'), case, punctuation or markdown."""
    if not title:
        return ""
    text = unicodedata.normalize("NFKD", title).lower()
    text = re.sub(r"^\s*(\d{1,2}|[a-z])\.\s+", "", text)
    text = text.replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def slug(text: str, limit: int = 100) -> str:
    words = normalise_title(text).split()
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out or "untitled"


def report_id(authority: str, published: dt.date | None, fallback: dt.date | None = None) -> str:
    date = published or fallback
    return f"{slug(authority)}-{date.isoformat() if date else 'undated'}"


def section_ids(rid: str, headings: list[tuple[str, int | None]]) -> list[str]:
    """Each section's id is the path of slugs from its root, made unique in document order."""
    ids: list[str] = []
    used: set[str] = set()
    next_suffix: dict[str, int] = {}
    for title, parent in headings:
        base = f"{ids[parent]}/{slug(title)}" if parent is not None and parent < len(ids) else f"{rid}/{slug(title)}"
        ids.append(_next_unique(base, used, next_suffix))
    return ids


def paragraph_ids(rid: str, numbers: list[int | None]) -> list[str]:
    """'<report>/p71' for paragraph 71; unnumbered text is '<report>/u1', '<report>/u2' in order."""
    ids: list[str] = []
    used: set[str] = set()
    next_suffix: dict[str, int] = {}
    unnumbered = 0
    for number in numbers:
        if number is None:
            unnumbered += 1
            base = f"{rid}/u{unnumbered}"
        else:
            base = f"{rid}/p{number}"
        ids.append(_next_unique(base, used, next_suffix))
    return ids


def _next_unique(base: str, used: set[str], next_suffix: dict[str, int]) -> str:
    """The base itself the first time, then '<base>-2', '<base>-3'... skipping ids already taken, and marked taken.
    Linear: each base remembers its next suffix, where counting up from 2 every time made 10,000 paragraphs
    numbered 12 (a table of figures read as paragraphs) take 12 s, 30,000 three minutes and a million forever."""
    candidate = base
    if candidate in used:
        n = next_suffix.get(base, 2)
        candidate = f"{base}-{n}"
        while candidate in used:  # a literal '<base>-3' taken earlier (a heading that ends in a number)
            n += 1
            candidate = f"{base}-{n}"
        next_suffix[base] = n + 1
    used.add(candidate)
    return candidate
