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
    "digest": ((str, type(None)), False),  # a whole-paragraph note's paragraph hash (its quote is an excerpt)
    "created": ((str,), True),
    "updated": ((str,), True),
    "revision": ((int,), False),
}


_MISSING = object()
# Exact types: type(True) is bool, so a revision of True is refused without a special case. Checked for every
# note on every read of a changed file, so kept to one dict lookup and one set test per field (10k notes: ~15 ms).
_ALLOWED = [(name, frozenset(types), required) for name, (types, required) in FIELDS.items()]


def note_problem(note: Any) -> str | None:
    """What is wrong with a note, in a few words, or None when it has the one shape notes have."""
    if type(note) is not dict:
        return f"is a {type(note).__name__}, not a note"
    get = note.get
    for name, allowed, required in _ALLOWED:
        value = get(name, _MISSING)
        if value is _MISSING:
            if required:
                return f"has no {name!r}"
        elif type(value) not in allowed:
            return f"has {name!r} of the wrong kind ({type(value).__name__})"
    if not note["id"].strip():
        return "has an empty 'id'"
    for tag in note["tags"]:
        if type(tag) is not str or not tag.strip():
            return "has a tag that is not a word"
    span = get("span")
    if span is not None and (len(span) != 2 or type(span[0]) is not int or type(span[1]) is not int):
        return "has a 'span' that is not two numbers"
    if not get("paragraph_id") and not get("orphan"):
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
