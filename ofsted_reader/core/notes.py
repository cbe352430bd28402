"""A note: the user's words on a paragraph (or on a quoted part of one), with its tags and what anchors it.

The one schema of a note. `FIELDS` says what a stored note may hold (the store checks every note it reads against
it, in store/notes/schema.py); `Note` is what the rest of the program handles. A note whose paragraph could not be found
again after its report changed is an orphan: it keeps its text and quote, and no paragraph id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .safe_text import first_line

# field: (accepted types, required). A note written before a field existed may lack an optional one.
FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "id": ((str,), True),
    "report_id": ((str,), True),
    "paragraph_id": ((str, type(None)), False),
    "orphan": ((bool,), False),
    "text": ((str,), True),
    "tags": ((list,), True),
    "quote": ((str, type(None)), False),
    "prefix": ((str, type(None)), False),
    "suffix": ((str, type(None)), False),
    "span": ((list, type(None)), False),
    "position": ((int, type(None)), False),
    "digest": ((str, type(None)), False),  # a whole-paragraph note's paragraph hash (its quote is an excerpt)
    "created": ((str,), True),
    "updated": ((str,), True),
    "revision": ((int,), False),
}
# What `note list --json` and backups show of a note, in this order.
PUBLIC_FIELDS = (
    "id",
    "paragraph_id",
    "report_id",
    "orphan",
    "text",
    "tags",
    "quote",
    "span",
    "created",
    "updated",
    "revision",
)


@dataclass(slots=True)
class Note:
    """Read-only by agreement: the store hands the same objects to every reader, and a change goes through the store
    (dataclasses.replace makes a changed copy). Not frozen: a frozen dataclass took twice as long to make, 80 ms more
    to read 10k notes."""

    id: str
    report_id: str
    text: str
    created: str
    updated: str
    tags: list[str] = field(default_factory=list)
    paragraph_id: str | None = None
    orphan: bool = False
    quote: str | None = None  # the quoted words; for a whole paragraph an excerpt of it
    prefix: str | None = None  # context before the quote (or the paragraph), for re-anchoring
    suffix: str | None = None
    span: tuple[int, int] | None = None  # where the quote sits in its paragraph's text
    position: int | None = None  # the paragraph's index in its report, for nearness
    digest: str | None = None
    revision: int = 1

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Note:
        """A note as stored (checked against FIELDS first: see store/notes/schema.py)."""
        span = data.get("span")
        return cls(
            id=data["id"], report_id=data["report_id"], text=data["text"], created=data["created"],
            updated=data["updated"], tags=list(data.get("tags") or []), paragraph_id=data.get("paragraph_id"),
            orphan=bool(data.get("orphan")), quote=data.get("quote"), prefix=data.get("prefix"),
            suffix=data.get("suffix"), span=(span[0], span[1]) if span else None, position=data.get("position"),
            digest=data.get("digest"), revision=data.get("revision") or 1,
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """The note as stored: every field, a span as a list (JSON has no tuples)."""
        data = {name: getattr(self, name) for name in FIELDS}
        data["tags"] = list(self.tags)
        data["span"] = list(self.span) if self.span else None
        return data

    def public(self) -> dict[str, Any]:
        """The note as the CLI's JSON and backups show it."""
        data = self.to_dict()
        return {key: data[key] for key in PUBLIC_FIELDS}

    @property
    def attached(self) -> bool:
        """On a paragraph (not an orphan)."""
        return not self.orphan and self.paragraph_id is not None

    def summary(self, width: int = 60) -> str:
        """The note's first line, cut to width: how lists, menus and the reader's gutter name a note. A note of
        tags alone (a coded passage) is named by its tags."""
        if not self.text.strip() and self.tags:
            return first_line(" ".join("#" + tag for tag in self.tags), width)
        return first_line(self.text, width)


# A memo: the user's words on a whole report or on an authority, tied to no paragraph. Stored beside the notes (the
# same file, lock and backups) in a table of its own, so a notes file written before memos existed reads as it did.
MEMO_FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "id": ((str,), True),
    "report_id": ((str, type(None)), False),  # a memo on a report ...
    "authority": ((str, type(None)), False),  # ... or on an authority: its DfE code, else its name as printed
    "text": ((str,), True),
    "created": ((str,), True),
    "updated": ((str,), True),
    "revision": ((int,), False),
}


@dataclass(slots=True)
class Memo:
    id: str
    text: str
    created: str
    updated: str
    report_id: str | None = None
    authority: str | None = None
    revision: int = 1

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Memo:
        return cls(
            id=data["id"], text=data["text"], created=data["created"], updated=data["updated"],
            report_id=data.get("report_id"), authority=data.get("authority"), revision=data.get("revision") or 1,
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in MEMO_FIELDS}

    def summary(self, width: int = 60) -> str:
        return first_line(self.text, width)
