"""Tags in the app's one form: a word, lower case, without a leading '#', nothing invisible in it. A tag may nest
with '/' (`practice/supervision`): each part is such a word of at most TAG_LIMIT characters, empty parts and the
spaces around a '/' are dropped (`Practice / Supervision/` is `practice/supervision`), and the whole path is at most
PATH_LIMIT characters. What the user types is split into such tags; a backup's or a codebook's tags are brought to
this form (or refused), so every tag shown can be typed back to `tag rm` or `tag rename` and names the same tag.

This module is the one normaliser: the note editor, the CLI, backups and the codebook all go through it.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from ofsted_reader.core.codebook import SEPARATOR
from ofsted_reader.store.errors import StoreError

TAG_LIMIT = 64  # characters of one part of a tag
PATH_LIMIT = 200  # characters of a whole nested tag
_SEPARATORS = re.compile(r"[\s,]+")
# Spaces around a '/' belong to the path, not between two tags: 'practice / supervision' is one tag.
_SPACED_SLASH = re.compile(r"\s*/\s*")


def _form(word: str) -> str:
    # Format characters (zero-width spaces and joiners, bidi overrides) make two tags that look the same.
    if not word.isascii():
        word = "".join(ch for ch in word if unicodedata.category(ch) != "Cf")
    word = word.strip().lstrip("#").strip().lower()
    if SEPARATOR in word:
        parts = (part.strip().lstrip("#").strip() for part in word.split(SEPARATOR))
        word = SEPARATOR.join(part for part in parts if part)
    return word


def _too_long(tag: str) -> str | None:
    """Why a tag in the app's form is too long, or None."""
    if len(tag) > PATH_LIMIT:
        return f"the tag {tag[:20]!r}… is {len(tag)} characters long; a tag is at most {PATH_LIMIT}"
    for part in tag.split(SEPARATOR):
        if len(part) > TAG_LIMIT:
            return f"the tag {part[:20]!r}… is {len(part)} characters long; a tag is at most {TAG_LIMIT}"
    return None


def clean_tags(tags: list[str] | None) -> list[str]:
    """Tags as typed (spaces or commas between them) in the app's form; order kept, duplicates dropped."""
    seen: list[str] = []
    # Joined first: an editor that split 'practice / supervision' on its spaces hands over three words.
    typed = " ".join(str(tag) for tag in tags or [])
    for part in _SEPARATORS.split(_SPACED_SLASH.sub(SEPARATOR, typed)):
        part = _form(part)
        if part and part not in seen:
            seen.append(part)
    return seen


def checked_tags(tags: list[str] | None) -> list[str]:
    """Tags the user gave for a note, cleaned, or a StoreError naming the first that cannot be a tag."""
    cleaned = clean_tags(tags)
    for tag in cleaned:
        problem = _too_long(tag)
        if problem:
            raise StoreError(problem)
    return cleaned


@functools.lru_cache(maxsize=4096)  # a backup repeats its few tags on thousands of notes
def tag_form(tag: str) -> str | None:
    """One tag from elsewhere (a backup, a codebook) in the app's form, kept as one tag ('Has Space' -> 'has-space',
    'Front Door / Triage' -> 'front-door/triage'), or None when nothing of it is left or it is too long."""
    parts = []
    for part in _SPACED_SLASH.sub(SEPARATOR, tag).split(SEPARATOR):
        form = "-".join(filter(None, (_form(word) for word in _SEPARATORS.split(part))))
        if form:
            parts.append(form)
    path = SEPARATOR.join(parts)
    return path if path and _too_long(path) is None else None
