"""Tags in the app's one form: a word, lower case, without a leading '#', nothing invisible in it, at most TAG_LIMIT
characters. What the user types is split into such words; a backup's tags are brought to this form (or refused), so
every tag shown can be typed back to `tag rm` or `tag rename` and names the same tag.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from .errors import StoreError

TAG_LIMIT = 64  # characters
_SEPARATORS = re.compile(r"[\s,]+")


def _form(word: str) -> str:
    # Format characters (zero-width spaces and joiners, bidi overrides) make two tags that look the same.
    if not word.isascii():
        word = "".join(ch for ch in word if unicodedata.category(ch) != "Cf")
    return word.strip().lstrip("#").strip().lower()


def clean_tags(tags: list[str] | None) -> list[str]:
    """Tags as typed (spaces or commas between them) in the app's form; order kept, duplicates dropped."""
    seen: list[str] = []
    for tag in tags or []:
        for part in _SEPARATORS.split(str(tag)):
            part = _form(part)
            if part and part not in seen:
                seen.append(part)
    return seen


def checked_tags(tags: list[str] | None) -> list[str]:
    """Tags the user gave for a note, cleaned, or a StoreError naming the first that cannot be a tag."""
    cleaned = clean_tags(tags)
    for tag in cleaned:
        if len(tag) > TAG_LIMIT:
            raise StoreError(f"the tag {tag[:20]!r}… is {len(tag)} characters long; a tag is at most {TAG_LIMIT}")
    return cleaned


@functools.lru_cache(maxsize=4096)  # a backup repeats its few tags on thousands of notes
def tag_form(tag: str) -> str | None:
    """One tag from elsewhere (a backup) in the app's form, kept as one tag ('Has Space' -> 'has-space'), or None
    when nothing of it is left or it is too long."""
    form = "-".join(filter(None, (_form(part) for part in _SEPARATORS.split(tag))))
    return form if form and len(form) <= TAG_LIMIT else None
