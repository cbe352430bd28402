"""Notes backups: `backup export` writes every note to one JSON file; `backup import` checks a backup whole, then
merges it by note id in one write.

A backup holds the codebook (each tag's description and colour) and the memos too; one made before they existed
has neither, and imports as it always did.

A backup is input from anywhere (another machine, a colleague, a hand edit), so it is checked by one validator
before anything is merged: a size limit, JSON read by orjson (nesting past 1024 levels and lone surrogates are
refused as invalid JSON rather than blowing the stack or failing later), each note's shape (store/notes/schema.py), then
ranges: string lengths, numbers, the count of tags, and times that parse, carry a zone and are not in the future.
Tags are brought to the app's form (store/notes/tags.py). Every problem is listed in one refusal and nothing is merged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ofsted_reader.core.bounded import InputError, read_json
from ofsted_reader.core.codebook import CODE_FIELDS, DESCRIPTION_LIMIT, Code, colour_form
from ofsted_reader.core.notes import FIELDS, MEMO_FIELDS, Memo, Note
from ofsted_reader.store.errors import StoreError

from .notefile import next_doc_id
from .schema import SCHEMA_VERSION, code_problem, memo_problem, note_problem
from .tags import TAG_LIMIT, tag_form

FORMAT = "ofsted-reader-notes"
MAX_BYTES = 64 * 1024 * 1024  # about 100,000 notes as `backup export` writes them
MAX_NOTES = 100_000
MAX_TAGS = 100  # on one note
LONG_TEXT = 1_000_000  # characters of a note's text or quote
# The most characters each text field may hold.
LENGTHS = {
    "id": 64,
    "report_id": 300,
    "paragraph_id": 400,
    "digest": 128,
    "created": 64,
    "updated": 64,
    "text": LONG_TEXT,
    "quote": LONG_TEXT,
    "prefix": 10_000,
    "suffix": 10_000,
}
RANGES = {"position": (0, 10_000_000), "revision": (1, 2**31 - 1)}
SPAN_LIMIT = 10_000_000
CLOCK_SKEW = dt.timedelta(days=1)  # how far ahead of this machine's clock another machine's may be


def parse_time(value: Any) -> dt.datetime | None:
    """An ISO 8601 time with its zone, in UTC; None for anything else ('z', a date alone, a time without zone)."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    text = value.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        return None
    return parsed.astimezone(dt.timezone.utc)


def export_body(notes: list[Note], exported: str, codes: Iterable[Code] = (), memos: Iterable[Memo] = ()) -> bytes:
    body = {
        "format": FORMAT,
        "schema": SCHEMA_VERSION,
        "exported": exported,
        "notes": [note.to_dict() for note in sorted(notes, key=lambda n: n.id)],
        "codebook": [code.to_dict() for code in sorted(codes, key=lambda c: c.tag)],
        "memos": [memo.to_dict() for memo in sorted(memos, key=lambda m: m.id)],
    }
    return orjson.dumps(body, option=orjson.OPT_INDENT_2)


@dataclass
class BackupContents:
    """A backup's notes, codebook entries and memos, every one checked; `retagged`: the tags changed to the app's
    form on the way ({as in the backup: as imported})."""

    notes: list[dict]
    retagged: dict[str, str]
    codes: list[dict] = field(default_factory=list)
    memos: list[dict] = field(default_factory=list)


def _range_problem(note: dict, now: dt.datetime) -> str | None:
    """What is out of range in a note of the right shape, or None."""
    for name, limit in LENGTHS.items():
        value = note.get(name)
        if value is not None and len(value) > limit:  # the shape is checked: a str, or None
            return f"has {name!r} of {len(value):,} characters (at most {limit:,})"
    for name, (low, high) in RANGES.items():
        value = note.get(name)
        if isinstance(value, int) and not low <= value <= high:
            return f"has {name!r} {value} out of range ({low} to {high:,})"
    span = note.get("span")
    if span is not None and not 0 <= span[0] <= span[1] <= SPAN_LIMIT:
        return f"has a 'span' out of range ({span[0]} to {span[1]})"
    if len(note["tags"]) > MAX_TAGS:
        return f"has {len(note['tags']):,} tags (at most {MAX_TAGS})"
    return _times_problem(note, now)


def _normal_tags(note: dict, changed: dict[str, str]) -> str | None:
    """The note's tags in the app's form (recording each change in `changed`), or what is wrong with one."""
    tags: list[str] = []
    for tag in note["tags"]:
        form = tag_form(tag)
        if form is None:
            what = f"{len(tag):,} characters long" if len(tag) > TAG_LIMIT else "not a word"
            return f"has a tag {tag[:30]!r} that is {what} (a tag is one word of at most {TAG_LIMIT} characters)"
        if form != tag:
            changed[tag] = form
        if form not in tags:
            tags.append(form)
    note["tags"] = tags
    return None


def _times_problem(document: dict, now: dt.datetime) -> str | None:
    for name in ("created", "updated"):
        when = parse_time(document[name])
        if when is None:
            return f"has {name!r} {document[name][:40]!r}, not a time with its zone (such as 2024-05-01T09:30:00+00:00)"
        if when > now + CLOCK_SKEW:
            return f"has {name!r} {document[name][:40]!r}, in the future"
    return None


def _code_problem(code: dict, now: dt.datetime, changed: dict[str, str]) -> str | None:
    """What is wrong with a codebook entry of a backup (its tag brought to the app's form), or None."""
    problem = code_problem(code) or _times_problem(code, now)
    if problem:
        return problem
    form = tag_form(code["tag"])
    if form is None:
        return f"has a tag {code['tag'][:30]!r} that cannot be a tag"
    if form != code["tag"]:
        changed[code["tag"]] = form
        code["tag"] = form
    if len(code.get("description") or "") > DESCRIPTION_LIMIT:
        return f"has a description of {len(code['description']):,} characters (at most {DESCRIPTION_LIMIT:,})"
    colour = code.get("colour")
    if colour is not None and colour_form(colour) is None:
        return f"has 'colour' {colour[:20]!r}, not a colour (#RRGGBB)"
    code["colour"] = colour_form(colour) if colour else None
    return None


def _memo_problem(memo: dict, now: dt.datetime) -> str | None:
    problem = memo_problem(memo) or _times_problem(memo, now)
    if problem:
        return problem
    for name in ("id", "report_id", "authority", "text"):
        value = memo.get(name)
        if value is not None and len(value) > LENGTHS.get(name, LENGTHS["report_id"]):
            return f"has {name!r} of {len(value):,} characters"
    return None


def _extras(body: dict, now: dt.datetime, changed: dict[str, str], rejected: list[str]) -> tuple[list, list]:
    """The backup's codebook and memos, checked (a backup made before they existed has none)."""
    codes: list[dict] = []
    memos: list[dict] = []
    for name, fields, check, into, key in (
        ("codebook", CODE_FIELDS, lambda d: _code_problem(d, now, changed), codes, "tag"),
        ("memos", MEMO_FIELDS, lambda d: _memo_problem(d, now), memos, "id"),
    ):
        given = body.get(name, [])
        if not isinstance(given, list) or len(given) > MAX_NOTES:
            rejected.append(f"its {name} is not a list of at most {MAX_NOTES:,}")
            continue
        seen: set[str] = set()
        for index, document in enumerate(given):
            document = {k: v for k, v in document.items() if k in fields} if isinstance(document, dict) else document
            problem = check(document)
            if problem is None and document[key] in seen:
                problem = f"has the same {key} as an earlier one"
            if problem:
                ident = document.get(key) if isinstance(document, dict) else None
                what = "code" if name == "codebook" else "memo"
                rejected.append(f"{what} {index + 1} {ident[:40] if isinstance(ident, str) else ''}: {problem}")
                continue
            seen.add(document[key])
            into.append(document)
    return codes, memos


def read_backup(path: Path) -> BackupContents:
    """A backup file's notes, codebook and memos, every one checked, with its tags in the app's form, and the tags
    that were changed to get there. A StoreError lists every problem; then nothing may be merged."""
    path = Path(path)
    try:
        # Every value a note holds is in a list or an object of its own: a few per note, and text's brackets.
        body = read_json(path, MAX_BYTES, "a notes backup", max_depth=16, max_items=MAX_NOTES * 40)
    except FileNotFoundError:
        raise StoreError(f"{path}: no such file; check the path") from None
    except InputError as error:
        raise StoreError(f"{path}: {error}; nothing was imported") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT or not isinstance(body.get("notes"), list):
        raise StoreError(
            f"{path}: not an ofsted-reader notes backup (use `backup export` to make one); nothing was imported"
        )
    if len(body["notes"]) > MAX_NOTES:
        raise StoreError(f"{path}: {len(body['notes']):,} notes, more than a backup may hold ({MAX_NOTES:,})")
    now = dt.datetime.now(dt.timezone.utc)
    notes, rejected, seen = [], [], set()
    changed: dict[str, str] = {}
    for index, given in enumerate(body["notes"]):
        # Only the fields a note has: anything else (a TinyDB doc_id, a field of a newer version) is left behind.
        note = {k: v for k, v in given.items() if k in FIELDS} if isinstance(given, dict) else given
        problem = note_problem(note) or _range_problem(note, now) or _normal_tags(note, changed)
        if problem is None and note["id"] in seen:
            problem = "has the same id as an earlier note in the backup"
        if problem:
            ident = note.get("id") if isinstance(note, dict) else None
            rejected.append(f"note {index + 1} {ident[:40] if isinstance(ident, str) else '(no id)'}: {problem}")
            continue
        seen.add(note["id"])
        notes.append(note)
    refused_notes = len(rejected)
    codes, memos = _extras(body, now, changed, rejected)
    if rejected:
        listing = "; ".join(rejected[:5]) + (f"; and {len(rejected) - 5} more" if len(rejected) > 5 else "")
        raise StoreError(
            f"{path}: {refused_notes} of {len(body['notes'])} notes"
            + (f" and {len(rejected) - refused_notes} codes or memos" if len(rejected) > refused_notes else "")
            + f" cannot be imported ({listing}); nothing was imported"
        )
    return BackupContents(notes, changed, codes, memos)


_COMPARED = ("text", "tags", "paragraph_id", "quote", "orphan")
CODE_COMPARED = ("description", "colour")
MEMO_COMPARED = ("text", "report_id", "authority")


def _content(note: dict, compared: tuple[str, ...]) -> tuple:
    return tuple(orjson.dumps(note.get(k), option=orjson.OPT_SORT_KEYS) for k in compared)


def merge(notes: dict, incoming: list[dict], key: str = "id", compared: tuple[str, ...] = _COMPARED) -> dict:
    """Merge checked notes into the table ({doc id: note}) in place: a new id is added; the same id with other
    content is a conflict, resolved for the later `updated` (as UTC times: a local time that does not parse is
    kept). Returns the counts and the conflicting ids. Memos merge the same way, and codebook entries by tag."""
    result: dict = {"added": 0, "updated": 0, "unchanged": 0, "kept_local": 0, "conflicts": []}
    by_id = {note.get(key): doc_id for doc_id, note in notes.items()}
    next_id = next_doc_id(notes)
    for note in incoming:
        doc_id = by_id.get(note[key])
        if doc_id is None:
            notes[str(next_id)] = note
            by_id[note[key]] = str(next_id)
            next_id += 1
            result["added"] += 1
            continue
        local = notes[doc_id]
        if _content(local, compared) == _content(note, compared):
            result["unchanged"] += 1
            continue
        result["conflicts"].append(note[key])
        theirs, ours = parse_time(note["updated"]), parse_time(local.get("updated"))
        if theirs is not None and ours is not None and theirs > ours:
            notes[doc_id] = {**note, "revision": max(local.get("revision") or 1, note.get("revision") or 1) + 1}
            result["updated"] += 1
        else:
            result["kept_local"] += 1
    return result
