"""Checks that a stored note has the one shape notes have (ofsted_reader.core.notes.FIELDS). The store checks every
note it reads, `backup import` every note it would merge: a note of another shape never gets in, so nothing
downstream (lists, exports, search) meets a note without text or with a number for a tag.
"""

from __future__ import annotations

from typing import Any

from ofsted_reader.core.codebook import CODE_FIELDS
from ofsted_reader.core.notes import FIELDS, MEMO_FIELDS

SCHEMA_VERSION = 1

_MISSING = object()
# Exact types: type(True) is bool, so a revision of True is refused without a special case. Checked for every
# note on every read of a changed file, so kept to one dict lookup and one set test per field (10k notes: ~15 ms).
Fields = list[tuple[str, frozenset, bool]]


def _allowed(fields: dict[str, tuple[tuple[type, ...], bool]]) -> Fields:
    return [(name, frozenset(types), required) for name, (types, required) in fields.items()]


_ALLOWED = _allowed(FIELDS)
_MEMO_ALLOWED = _allowed(MEMO_FIELDS)
_CODE_ALLOWED = _allowed(CODE_FIELDS)


def _shape_problem(document: Any, allowed_fields: Fields, what: str) -> str | None:
    """What is wrong with a document's fields and their types, or None."""
    if type(document) is not dict:
        return f"is a {type(document).__name__}, not {what}"
    get = document.get
    for name, allowed, required in allowed_fields:
        value = get(name, _MISSING)
        if value is _MISSING:
            if required:
                return f"has no {name!r}"
        elif type(value) not in allowed:
            return f"has {name!r} of the wrong kind ({type(value).__name__})"
    return None


def note_problem(note: Any) -> str | None:
    """What is wrong with a note, in a few words, or None when it has the one shape notes have."""
    problem = _shape_problem(note, _ALLOWED, "a note")
    if problem:
        return problem
    get = note.get
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


def memo_problem(memo: Any) -> str | None:
    """What is wrong with a memo (a note on a report or an authority), or None."""
    problem = _shape_problem(memo, _MEMO_ALLOWED, "a memo")
    if problem:
        return problem
    if not memo["id"].strip():
        return "has an empty 'id'"
    if bool(memo.get("report_id")) == bool(memo.get("authority")):
        return "is not on one report or one authority"
    return None


def code_problem(code: Any) -> str | None:
    """What is wrong with a codebook entry, or None."""
    problem = _shape_problem(code, _CODE_ALLOWED, "a codebook entry")
    if problem:
        return problem
    if not code["tag"].strip():
        return "has an empty 'tag'"
    return None


# The tables a notes file holds besides TinyDB's own, and how each document is checked. A file written before the
# codebook and memos existed has neither table, and reads as it always did.
TABLES = {
    "notes": (note_problem, "note", "id"),
    "memos": (memo_problem, "memo", "id"),
    "codebook": (code_problem, "code", "tag"),
}


def store_problem(data: Any) -> str | None:
    """What is wrong with a whole notes file's contents (TinyDB's {table: {doc id: document}}), or None."""
    if not isinstance(data, dict):
        return f"holds a {type(data).__name__}, not a notes database"
    for table, documents in data.items():
        if not isinstance(documents, dict):
            return f"its table {table!r} is a {type(documents).__name__}, not a table"
    for table, (check, what, key) in TABLES.items():
        for doc_id, document in (data.get(table) or {}).items():
            problem = check(document)
            if problem:
                named = document.get(key) if isinstance(document, dict) else None
                return f"{what} {named if isinstance(named, str) else f'#{doc_id}'} {problem}"
    return None
