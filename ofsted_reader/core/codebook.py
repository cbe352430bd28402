"""The codebook: the tags of the notes as a tree of codes, each with a description and a colour.

A tag nests with '/' (`practice/supervision` sits under `practice`). A code exists when a note carries it, when
it has an entry (a description or a colour, given in the app or read from a `.qdc` codebook), or when a code under
it does: `practice` is in the tree as soon as `practice/supervision` is. Entries are stored with the notes
(store/notes/codebook.py); this module is what they are, without files.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SEPARATOR = "/"
DESCRIPTION_LIMIT = 10_000  # characters

# field: (accepted types, required), as ofsted_reader.core.notes.FIELDS: what a stored codebook entry may hold.
CODE_FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "tag": ((str,), True),
    "description": ((str,), False),
    "colour": ((str, type(None)), False),
    "created": ((str,), True),
    "updated": ((str,), True),
}

# Colours for codes that were given none, by their top-level code, so a theme keeps one hue across its children
# in the app and in the QDA tool it is exported to. Chosen to read on dark and light terminals alike.
PALETTE = (
    "#E6194B",
    "#3CB44B",
    "#4363D8",
    "#F58231",
    "#911EB4",
    "#42D4F4",
    "#F032E6",
    "#9A6324",
    "#469990",
    "#808000",
    "#DCBEFF",
    "#FFE119",
)
NAMED = {
    "red": "#E6194B",
    "green": "#3CB44B",
    "blue": "#4363D8",
    "orange": "#F58231",
    "purple": "#911EB4",
    "cyan": "#42D4F4",
    "magenta": "#F032E6",
    "brown": "#9A6324",
    "teal": "#469990",
    "olive": "#808000",
    "lavender": "#DCBEFF",
    "yellow": "#FFE119",
    "grey": "#A9A9A9",
    "gray": "#A9A9A9",
}
_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


@dataclass(slots=True)
class Code:
    """A codebook entry: what a tag means and its colour (None: the palette's)."""

    tag: str
    description: str = ""
    colour: str | None = None
    created: str = ""
    updated: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Code:
        return cls(
            tag=data["tag"],
            description=data.get("description") or "",
            colour=data.get("colour"),
            created=data["created"],
            updated=data["updated"],
        )

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in CODE_FIELDS}


def colour_form(text: str) -> str | None:
    """A colour as typed ('#3cb44b', '3CB44B', '#abc', 'teal') in one form, '#RRGGBB', or None when it is none."""
    text = text.strip().lower()
    if text in NAMED:
        return NAMED[text]
    match = _HEX.fullmatch(text)
    if not match:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return "#" + digits.upper()


def default_colour(tag: str) -> str:
    """The palette's colour for a tag: its top-level code's, the same on every run (crc32, not hash())."""
    top = tag.split(SEPARATOR, 1)[0]
    return PALETTE[zlib.crc32(top.encode("utf-8")) % len(PALETTE)]


def colour_of(tag: str, codes: dict[str, Code]) -> str:
    """The colour a tag is shown in: its own, else the nearest code above it that has one, else the palette's."""
    path = tag
    while True:
        code = codes.get(path)
        if code is not None and code.colour:
            return code.colour
        head, sep, _ = path.rpartition(SEPARATOR)
        if not sep:
            return default_colour(tag)
        path = head


def leaf(tag: str) -> str:
    """A code's own name, without the codes above it: 'supervision' for 'practice/supervision'."""
    return tag.rpartition(SEPARATOR)[2]


def depth(tag: str) -> int:
    return tag.count(SEPARATOR)


def under(tag: str, root: str) -> bool:
    """The tag is root or nested below it (a tag's children follow it when it is renamed or moved)."""
    return tag == root or tag.startswith(root + SEPARATOR)


def moved(tag: str, old: str, new: str) -> str:
    """The tag after `old` (and everything under it) became `new`: 'practice/supervision' under a rename of
    'practice' to 'social-work' is 'social-work/supervision'; a tag not under `old` stays."""
    return new + tag[len(old) :] if under(tag, old) else tag


def with_ancestors(tags: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for tag in tags:
        parts = tag.split(SEPARATOR)
        out.update(SEPARATOR.join(parts[:i]) for i in range(1, len(parts) + 1))
    return out


def tree_order(tags: Iterable[str]) -> list[str]:
    """Every tag and every code above one, each parent just before its children, siblings alphabetically."""
    return sorted(with_ancestors(tags), key=lambda t: t.split(SEPARATOR))
