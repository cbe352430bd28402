"""The user's notes and tags on paragraphs, in TinyDB, written atomically under one lock.

Every change is a read-modify-write under a file lock, re-reading the file if another process changed it, so
two running copies of the app never overwrite each other's notes. A file that cannot be read is never
written over: the store opens read-only and says so.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout
from tinydb import Query, TinyDB

from ofsted_reader import locations
from ofsted_reader.model import Report

from .anchoring import Anchor, make_anchor, reanchor
from .atomic import remove_stale_temps
from .tinystorage import AtomicJSONStorage, DamagedStoreError

SCHEMA_VERSION = 1
NOTE_FIELDS = ("id", "paragraph_id", "report_id", "orphan", "text", "tags", "quote", "span", "created", "updated")


class StoreError(Exception):
    """A request the store refuses; the message says what and what to do."""


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def clean_tags(tags: list[str] | None) -> list[str]:
    """Tags are single words, lower case, without '#'; order kept, duplicates dropped."""
    seen: list[str] = []
    for tag in tags or []:
        for part in str(tag).replace(",", " ").split():
            part = part.lstrip("#").strip().lower()
            if part and part not in seen:
                seen.append(part)
    return seen


def public(note: dict) -> dict:
    """A note as the CLI and the JSON contract show it."""
    out = {key: note.get(key) for key in NOTE_FIELDS}
    out["tags"] = list(out["tags"] or [])
    out["orphan"] = bool(out["orphan"])
    if out["span"] is not None:
        out["span"] = list(out["span"])
    return out


class AnnotationStore:
    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else locations.annotations_file()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(self.path.parent)
        self._lock = FileLock(str(self.path) + ".lock", timeout=10)
        self._db = TinyDB(self.path, storage=AtomicJSONStorage)
        self._storage: AtomicJSONStorage = self._db.storage  # type: ignore[assignment]
        self.damaged: str | None = None
        try:
            self._storage.read()
        except DamagedStoreError as error:
            self.damaged = self._keep_aside(str(error))

    def _keep_aside(self, reason: str) -> str:
        stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.stem}.damaged-{stamp}{self.path.suffix}")
        try:
            shutil.copy2(self.path, aside)
            where = f"a copy is kept at {aside}"
        except OSError:
            where = "it could not be copied aside"
        backup = self.path.with_name(self.path.name + ".bak")
        hint = f"; the previous version is {backup}" if backup.exists() else ""
        return f"{reason}; it was left unchanged and {where}{hint}. Notes are read-only until it is repaired or removed"

    # --- locking ---

    @contextmanager
    def _writing(self) -> Iterator[None]:
        if self.damaged:
            raise StoreError(f"annotations file {self.damaged}")
        try:
            with self._lock:
                table = self._db.table("notes")
                table.clear_cache()
                table._next_id = None  # another process may have added documents since
                self._ensure_schema()
                yield
        except Timeout:
            raise StoreError(f"another ofsted-reader is holding {self.path}.lock; try again") from None

    def _ensure_schema(self) -> None:
        meta = self._db.table("meta")
        rows = meta.all()
        if not rows:
            meta.insert({"schema": SCHEMA_VERSION})
        elif rows[0].get("schema", 0) > SCHEMA_VERSION:
            raise StoreError(f"{self.path} was written by a newer ofsted-reader (schema {rows[0]['schema']}); upgrade")

    def _notes(self):
        table = self._db.table("notes")
        table.clear_cache()
        return table

    # --- reading ---

    def all(self) -> list[dict]:
        if self.damaged:
            return []
        # Straight from the storage's parsed cache: TinyDB's Document wrapping cost 70 ms at 10k notes.
        raw = self._storage.read() or {}
        return [dict(note) for note in raw.get("notes", {}).values()]

    def get(self, note_id: str) -> dict | None:
        if self.damaged:
            return None
        found = self._notes().search(Query().id == note_id)
        return dict(found[0]) if found else None

    def resolve_id(self, prefix: str) -> dict:
        """A note by id or unambiguous id prefix (ids are long; people type the first few characters)."""
        if self.damaged:
            raise StoreError(f"annotations file {self.damaged}")
        matches = [n for n in self.all() if n["id"] == prefix] or [n for n in self.all() if n["id"].startswith(prefix)]
        if not matches:
            raise StoreError(f"no note with id {prefix!r}; see `ofsted-reader note list`")
        if len(matches) > 1:
            raise StoreError(f"note id {prefix!r} is ambiguous ({len(matches)} notes); type more of it")
        return matches[0]

    def list(self, tag: str | None = None, report: str | None = None, orphans: bool = False) -> list[dict]:
        notes = self.all()
        if tag:
            wanted = clean_tags([tag])
            notes = [n for n in notes if wanted and wanted[0] in n.get("tags", [])]
        if report:
            notes = [n for n in notes if n.get("report_id") == report]
        if orphans:
            notes = [n for n in notes if n.get("orphan")]
        return sorted(notes, key=lambda n: (n.get("report_id") or "", n.get("position") or 0, n.get("created") or ""))

    def for_paragraph(self, paragraph_id: str) -> list[dict]:
        return [n for n in self.all() if n.get("paragraph_id") == paragraph_id and not n.get("orphan")]

    def tags(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for note in self.all():
            for tag in note.get("tags", []):
                counts[tag] = counts.get(tag, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    # --- writing ---

    def add(self, report: Report, paragraph_id: str, text: str, tags: list[str] | None = None,
            quote: str | None = None) -> dict:
        if report.paragraph(paragraph_id) is None:
            raise StoreError(f"no paragraph {paragraph_id!r} in {report.id}")
        try:
            anchor = make_anchor(report, paragraph_id, quote)
        except ValueError as error:
            raise StoreError(f"{error}: {paragraph_id}") from None
        stamp = now()
        note = {
            "id": uuid.uuid4().hex,
            "report_id": report.id,
            "text": text,
            "tags": clean_tags(tags),
            "created": stamp,
            "updated": stamp,
            **_anchor_fields(anchor),
        }
        with self._writing():
            self._db.table("notes").insert(note)
        return note

    def edit(self, note_id: str, text: str | None = None, tags: list[str] | None = None) -> dict:
        with self._writing():
            note = self.resolve_id(note_id)
            changes: dict = {"updated": now()}
            if text is not None:
                changes["text"] = text
            if tags is not None:
                changes["tags"] = clean_tags(tags)
            self._db.table("notes").update(changes, Query().id == note["id"])
            return {**note, **changes}

    def remove(self, note_id: str) -> dict:
        with self._writing():
            note = self.resolve_id(note_id)
            self._db.table("notes").remove(Query().id == note["id"])
            return note

    def restore(self, note: dict) -> None:
        """Put back a note exactly as it was (undo of a delete)."""
        with self._writing():
            table = self._db.table("notes")
            if not table.search(Query().id == note["id"]):
                table.insert(dict(note))

    def attach(self, note_id: str, report: Report, paragraph_id: str) -> dict:
        """Re-attach an orphan (or move any note) to a paragraph the user chose."""
        if report.paragraph(paragraph_id) is None:
            raise StoreError(f"no paragraph {paragraph_id!r} in {report.id}")
        with self._writing():
            note = self.resolve_id(note_id)
            changes = {"report_id": report.id, "updated": now(), **_anchor_fields(make_anchor(report, paragraph_id))}
            self._db.table("notes").update(changes, Query().id == note["id"])
            return {**note, **changes}

    # --- tags ---

    def _retag(self, transform) -> int:
        with self._writing():
            table = self._db.table("notes")
            changed = 0
            for note in table.all():
                new = clean_tags(transform(list(note.get("tags", []))))
                if new != note.get("tags", []):
                    table.update({"tags": new, "updated": now()}, doc_ids=[note.doc_id])
                    changed += 1
            return changed

    def _existing_tag(self, name: str) -> str:
        """The tag as stored, or a refusal that says how to find the right name."""
        tag = clean_tags([name])
        if not tag:
            raise StoreError("tag names must not be empty")
        if tag[0] not in dict(self.tags()):
            raise StoreError(f"no tag {tag[0]!r}; see `ofsted-reader tag list`")
        return tag[0]

    def _replace_tag(self, old: str, new: str) -> int:
        return self._retag(lambda tags: [new if t == old else t for t in tags])

    def rename_tag(self, old: str, new: str) -> int:
        old_tag, new_tag = self._existing_tag(old), clean_tags([new])
        if not new_tag:
            raise StoreError("tag names must not be empty")
        if new_tag[0] in dict(self.tags()):
            raise StoreError(f"tag {new_tag[0]!r} exists already; use `tag merge {old_tag} {new_tag[0]}`")
        return self._replace_tag(old_tag, new_tag[0])

    def merge_tag(self, source: str, into: str) -> int:
        src, dst = self._existing_tag(source), clean_tags([into])
        if not dst:
            raise StoreError("tag names must not be empty")
        return self._replace_tag(src, dst[0])

    def delete_tag(self, name: str) -> int:
        tag = self._existing_tag(name)
        return self._retag(lambda tags: [t for t in tags if t != tag])

    # --- re-anchoring ---

    def reanchor_report(self, report: Report) -> tuple[int, int, int]:
        """After a report changed: (kept in place, moved, orphaned)."""
        kept = moved = orphaned = 0
        with self._writing():
            table = self._db.table("notes")
            for note in table.search(Query().report_id == report.id):
                if note.get("orphan"):
                    continue
                anchor = reanchor(dict(note), report)
                if anchor is None:
                    table.update({"orphan": True, "paragraph_id": None, "span": None}, doc_ids=[note.doc_id])
                    orphaned += 1
                    continue
                fields = _anchor_fields(anchor)
                if fields["paragraph_id"] == note.get("paragraph_id"):
                    kept += 1
                else:
                    moved += 1
                table.update(fields, doc_ids=[note.doc_id])
        return kept, moved, orphaned

    # --- backup ---

    def export_backup(self, path: Path) -> int:
        from .atomic import write_atomic

        notes = sorted(self.all(), key=lambda n: n["id"])
        body = {"format": "ofsted-reader-notes", "schema": SCHEMA_VERSION, "exported": now(), "notes": notes}
        write_atomic(path, json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"))
        return len(notes)

    def import_backup(self, path: Path) -> dict:
        """Merge by note id: the newer `updated` wins; same id with different content on both sides is a
        conflict, reported, resolved the same way."""
        incoming = read_backup(path)
        result = {"added": 0, "updated": 0, "unchanged": 0, "kept_local": 0, "conflicts": []}
        with self._writing():
            table = self._db.table("notes")
            for note in incoming:
                found = table.search(Query().id == note["id"])
                if not found:
                    table.insert(note)
                    result["added"] += 1
                    continue
                local = dict(found[0])
                if _content(local) == _content(note):
                    result["unchanged"] += 1
                    continue
                result["conflicts"].append(note["id"])
                if note["updated"] > local.get("updated", ""):
                    table.update(note, doc_ids=[found[0].doc_id])
                    result["updated"] += 1
                else:
                    result["kept_local"] += 1
        return result


def _content(note: dict) -> tuple:
    return tuple(json.dumps(note.get(k), sort_keys=True) for k in ("text", "tags", "paragraph_id", "quote", "orphan"))


def _anchor_fields(anchor: Anchor) -> dict:
    return {
        "paragraph_id": anchor.paragraph_id,
        "span": list(anchor.span) if anchor.span else None,
        "quote": anchor.quote,
        "prefix": anchor.prefix,
        "suffix": anchor.suffix,
        "position": anchor.position,
        "orphan": False,
    }


def read_backup(path: Path) -> list[dict]:
    """A backup file's notes, checked before anything is merged."""
    try:
        body = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(f"{path}: no such file; check the path") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise StoreError(f"{path}: not a notes backup (not valid JSON: {error}); nothing was imported") from None
    if not isinstance(body, dict) or body.get("format") != "ofsted-reader-notes" or not isinstance(body.get("notes"), list):
        raise StoreError(f"{path}: not an ofsted-reader notes backup (use `backup export` to make one); nothing was imported")
    notes = []
    for index, note in enumerate(body["notes"]):
        if not isinstance(note, dict) or not isinstance(note.get("id"), str) or not isinstance(note.get("updated"), str) \
                or not isinstance(note.get("text", ""), str) or not isinstance(note.get("tags", []), list):
            raise StoreError(f"{path}: note {index + 1} is malformed (needs id, text, tags, updated); nothing was imported")
        notes.append({k: v for k, v in note.items() if k != "doc_id"})
    return notes
