"""The one shape a note may have. The store checks every note it reads against it, `backup import` checks every
note it would merge, and the tests use it: a note of another shape never gets in, so nothing downstream (lists,
exports, search) meets a note without text or with a number for a tag.
"""

from __future__ import annotations

from typing import Any

SCHEMA_VERSION = 1

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
    "created": ((str,), True),
    "updated": ((str,), True),
    "revision": ((int,), False),
}


def note_problem(note: Any) -> str | None:
    """What is wrong with a note, in a few words, or None when it has the one shape notes have."""
    if not isinstance(note, dict):
        return f"is a {type(note).__name__}, not a note"
    for name, (types, required) in FIELDS.items():
        if name not in note:
            if required:
                return f"has no {name!r}"
            continue
        value = note[name]
        # bool is an int to isinstance: a position or revision of True is as wrong as a string.
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            return f"has {name!r} of the wrong kind ({type(value).__name__})"
    if not note["id"].strip():
        return "has an empty 'id'"
    if not all(isinstance(tag, str) and tag.strip() for tag in note["tags"]):
        return "has a tag that is not a word"
    span = note.get("span")
    if span is not None and (len(span) != 2 or not all(isinstance(n, int) and not isinstance(n, bool) for n in span)):
        return "has a 'span' that is not two numbers"
    if not note.get("orphan") and not note.get("paragraph_id"):
        return "is neither attached to a paragraph nor an orphan"
    return None


def store_problem(data: Any) -> str | None:
    """What is wrong with a whole notes file's contents (TinyDB's {table: {doc id: document}}), or None."""
    if not isinstance(data, dict):
        return f"holds a {type(data).__name__}, not a notes database"
    for table, documents in data.items():
        if not isinstance(documents, dict):
            return f"its table {table!r} is a {type(documents).__name__}, not a table"
    for doc_id, note in (data.get("notes") or {}).items():
        problem = note_problem(note)
        if problem:
            ident = note.get("id") if isinstance(note, dict) and isinstance(note.get("id"), str) else f"#{doc_id}"
            return f"note {ident} {problem}"
    return None
