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
    for title, parent in headings:
        base = f"{ids[parent]}/{slug(title)}" if parent is not None and parent < len(ids) else f"{rid}/{slug(title)}"
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        used.add(candidate)
        ids.append(candidate)
    return ids


def paragraph_ids(rid: str, numbers: list[int | None]) -> list[str]:
    """'<report>/p71' for paragraph 71; unnumbered text is '<report>/u1', '<report>/u2' in order."""
    ids: list[str] = []
    used: set[str] = set()
    unnumbered = 0
    for number in numbers:
        if number is None:
            unnumbered += 1
            base = f"{rid}/u{unnumbered}"
        else:
            base = f"{rid}/p{number}"
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        used.add(candidate)
        ids.append(candidate)
    return ids
