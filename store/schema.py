"""Checks that a stored note has the one shape notes have (ofsted_reader.core.notes.FIELDS). The store checks every
note it reads, `backup import` every note it would merge: a note of another shape never gets in, so nothing
downstream (lists, exports, search) meets a note without text or with a number for a tag.
"""

from __future__ import annotations

from typing import Any

from ofsted_reader.core.notes import FIELDS

SCHEMA_VERSION = 1

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
