"""The user's notes and tags on paragraphs, in TinyDB, written atomically under one lock.

Every change is a read-modify-write under a file lock, re-reading the file if another process changed it, so
two running copies of the app never overwrite each other's notes. A file that cannot be read is never
written over: the store opens read-only and says so.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
from tinydb import Query, TinyDB

from ofsted_reader.core import locations
from ofsted_reader.core.model import Report
from ofsted_reader.core.notes import Note

from .anchoring import Anchor, make_anchor, paragraph_text, reanchor
from .atomic import remove_stale_temps, write_atomic
from .errors import StoreError
from .locking import NotesLock
from .schema import SCHEMA_VERSION, note_problem
from .tinystorage import AtomicJSONStorage, DamagedStoreError, file_stamp

LOCK_TIMEOUT = 10  # seconds to wait for another process's change to the notes


class StaleEditError(StoreError):
    """An edit based on a revision of the note that is no longer the latest: saving it would overwrite a change made
    meanwhile (in another window, or from the command line). `current` is the note as it is now."""

    def __init__(self, message: str, current: Note):
        super().__init__(message)
        self.current = current


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


JOURNAL_LIMIT = 1000  # notes added by appending before an add folds them into the main file


class AnnotationStore:
    """The notes: `annotations.json` (TinyDB) holds them; a new note is first appended to a journal beside it,
    `annotations.added.jsonl`, which the next other change (or the JOURNAL_LIMIT-th add) folds into the main file.

    Why the journal: TinyDB rewrites its whole file on every change. At 10k notes that is reading, checking and
    writing 5-7 MB, 200+ ms for `ofsted-reader note add`; an append and an fsync is a few milliseconds. The main
    file is only read by an add when it is not as this app last left it (its inode, size and mtime are recorded
    in `annotations.json.checked` after each write or check), so a damaged file still refuses the add.
    """

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else locations.annotations_file()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(self.path.parent)
        self.journal_path = self.path.with_name(f"{self.path.stem}.added.jsonl")
        self._checked_path = self.path.with_name(self.path.name + ".checked")
        self._lock = NotesLock(self.path.with_name(self.path.name + ".lock"), timeout=LOCK_TIMEOUT)
        self._db = TinyDB(self.path, storage=AtomicJSONStorage)
        self._storage: AtomicJSONStorage = self._db.storage  # type: ignore[assignment]
        self._journal_cache: tuple[tuple[int, int, int] | None, list[dict]] = (None, [])
        self._damaged: str | None = None
        self._opened = False
        self._made: dict[int, tuple[dict, Note]] = {}  # id(stored note) -> (it, its Note)

    @property
    def damaged(self) -> str | None:
        """Why the notes are read-only (a file that cannot be read), or None. The file is read when first asked:
        an add that appends never needs to parse it."""
        if not self._opened:
            self._opened = True
            try:
                self._storage.read()
                self._journal()
            except DamagedStoreError as error:
                self._damaged = self._keep_aside(str(error), error.path)
        return self._damaged

    @damaged.setter
    def damaged(self, value: str | None) -> None:
        self._opened = True
        self._damaged = value

    def _keep_aside(self, reason: str, path: Path | None = None) -> str:
        path = path or self.path
        stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
        aside = path.with_name(f"{self.path.stem}.damaged-{stamp}{''.join(path.suffixes)}")
        try:
            shutil.copy2(path, aside)
            where = f"a copy is kept at {aside}"
        except OSError:
            where = "it could not be copied aside"
        backup = self.path.with_name(self.path.name + ".bak")
        hint = f"; the previous version is {backup}" if backup.exists() else ""
        return f"{reason}; it was left unchanged and {where}{hint}. Notes are read-only until it is repaired or removed"

    # --- locking ---

    @contextmanager
    def _refusals(self, target: Path) -> Iterator[None]:
        """A write's failures said as one StoreError each (what, which file, what to do); nothing was changed."""
        try:
            yield
        except TimeoutError:  # filelock's Timeout is one too (and an OSError: this clause must come first)
            raise StoreError(f"another ofsted-reader is holding {self.path}.lock; close it or try again") from None
        except DamagedStoreError as error:
            self.damaged = self._keep_aside(str(error), error.path)
            raise StoreError(f"annotations file {self.damaged}") from None
        except OSError as error:
            # Disk full, a read-only folder, a lock file that cannot be made: nothing was changed.
            raise StoreError(
                f"cannot save notes to {target} ({error.strerror or error}); nothing was changed. "
                "Free some space or check the folder's permissions, then try again"
            ) from None

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """The lock, the main file read and checked, the journal folded in: for any change but an add."""
        if self.damaged:
            raise StoreError(f"annotations file {self.damaged}")
        with self._refusals(self.path), self._lock:
            table = self._db.table("notes")
            table.clear_cache()
            table._next_id = None  # another process may have added documents since
            self._ensure_schema()
            self._fold_journal()
            try:
                yield
            finally:
                self._made = {}  # stored notes may have been changed in place
            self._record_checked()

    # --- the journal of added notes ---

    def _journal(self) -> list[dict]:
        """The notes appended since the last fold, checked like the main file's (raises DamagedStoreError)."""
        stamp = file_stamp(self.journal_path)
        if stamp is None:
            self._journal_cache = (None, [])
            return []
        if stamp == self._journal_cache[0]:
            return self._journal_cache[1]
        try:
            raw = self.journal_path.read_bytes()
        except OSError as error:
            raise DamagedStoreError(
                f"{self.journal_path} cannot be read ({error.strerror})", self.journal_path
            ) from None
        lines = raw.split(b"\n")
        notes = []
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                note = orjson.loads(line)
            except orjson.JSONDecodeError:
                if number == len(lines):  # an append cut short: that add never reported success
                    continue
                raise DamagedStoreError(
                    f"{self.journal_path} line {number} is not valid JSON", self.journal_path
                ) from None
            problem = note_problem(note)
            if problem:
                raise DamagedStoreError(f"{self.journal_path} line {number}: the note {problem}", self.journal_path)
            notes.append(note)
        self._journal_cache = (stamp, notes)
        return notes

    def _append(self, note: dict) -> None:
        """Add one note to the journal: one write with O_APPEND, then fsync. Under the lock."""
        line = orjson.dumps(note) + b"\n"
        fd = os.open(self.journal_path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            size = os.fstat(fd).st_size
            if size:
                os.lseek(fd, size - 1, os.SEEK_SET)
                if os.read(fd, 1) != b"\n":
                    # An append cut short (the process died mid-write; that add never said it had saved): dropped,
                    # or this note would be glued to it and both lost.
                    os.lseek(fd, 0, os.SEEK_SET)
                    os.ftruncate(fd, os.read(fd, size).rfind(b"\n") + 1)
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
        self._journal_cache = (file_stamp(self.journal_path), [*self._journal_cache[1], note])

    def _fold_journal(self) -> None:
        """Move the journal's notes into the main file (one atomic write), then drop the journal. Under the lock.
        If the process dies between the two, the notes are in both: reading takes the main file's copy."""
        added = self._journal()
        if not added:
            self.journal_path.unlink(missing_ok=True)
            return

        def change(notes: dict) -> None:
            known = {note.get("id") for note in notes.values()}
            next_id = _next_doc_id(notes)
            for note in added:
                if note["id"] not in known:
                    notes[next_id] = dict(note)
                    next_id += 1

        self._mutate(change)
        self.journal_path.unlink()
        self._journal_cache = (None, [])

    def _record_checked(self) -> None:
        """The main file is as this app left it (or checked it): an add may trust it without reading it."""
        stamp = file_stamp(self.path)
        if stamp is not None:
            write_atomic(self._checked_path, orjson.dumps(stamp))

    def _trusted(self) -> bool:
        try:
            return tuple(orjson.loads(self._checked_path.read_bytes())) == file_stamp(self.path)
        except (OSError, ValueError, TypeError):
            return False

    def _mutate(self, change) -> None:
        """Apply change({doc id: note}) to the notes table in one atomic write: a bulk change is all or nothing."""
        try:
            self._db.table("notes")._update_table(change)
        except BaseException:
            self._storage.invalidate()  # the change ran on the cached copy: drop it, the file is as it was
            raise

    def _ensure_schema(self) -> None:
        meta = self._db.table("meta")
        rows = meta.all()
        if not rows:
            meta.insert({"schema": SCHEMA_VERSION})
        elif rows[0].get("schema", 0) > SCHEMA_VERSION:
            raise StoreError(f"{self.path} was written by a newer ofsted-reader (schema {rows[0]['schema']}); upgrade")

    # --- reading ---

    def changed_on_disk(self) -> bool:
        """Whether the files changed since this store last read or wrote them (another process wrote to them)."""
        return self._storage.stale() or file_stamp(self.journal_path) != self._journal_cache[0]

    def all(self) -> list[Note]:
        """Every note, the main file's and the journal's (a note in both: the main file's, see _fold_journal)."""
        if self.damaged:
            return []
        # Straight from the storage's parsed cache: TinyDB's Document wrapping cost 70 ms at 10k notes.
        try:
            raw = self._storage.read() or {}
            added = self._journal()
        except DamagedStoreError as error:  # damaged since it was opened, by another process or by hand
            self.damaged = self._keep_aside(str(error), error.path)
            return []
        # A Note is made once per stored note and kept while the stored note is the same object: after an add only
        # the new note is made (10k Notes took 50 ms). Any other change clears this (see _writing).
        docs = list(raw.get("notes", {}).values())
        if added:  # a note in both files (a fold cut short): the main file's copy
            known = {doc["id"] for doc in docs}
            docs += [doc for doc in added if doc["id"] not in known]
        memo, kept = self._made, {}
        notes: list[Note] = []
        for doc in docs:
            hit = memo.get(id(doc))
            note = hit[1] if hit is not None and hit[0] is doc else Note.from_dict(doc)
            kept[id(doc)] = (doc, note)
            notes.append(note)
        self._made = kept
        return notes

    def get(self, note_id: str) -> Note | None:
        if self.damaged:
            return None
        return next((note for note in self.all() if note.id == note_id), None)

    def resolve_id(self, prefix: str) -> Note:
        """A note by id or unambiguous id prefix (ids are long; people type the first few characters)."""
        if self.damaged:
            raise StoreError(f"annotations file {self.damaged}")
        notes = self.all()
        matches = [n for n in notes if n.id == prefix] or [n for n in notes if n.id.startswith(prefix)]
        if not matches:
            raise StoreError(f"no note with id {prefix!r}; see `ofsted-reader note list`")
        if len(matches) > 1:
            raise StoreError(f"note id {prefix!r} is ambiguous ({len(matches)} notes); type more of it")
        return matches[0]

    def matching(self, tag: str | None = None, report: str | None = None, orphans: bool = False) -> list[Note]:
        """The notes with this tag, on this report, or orphaned (each filter when given), in reading order."""
        notes = self.all()
        if tag:
            wanted = clean_tags([tag])
            notes = [n for n in notes if wanted and wanted[0] in n.tags]
        if report:
            notes = [n for n in notes if n.report_id == report]
        if orphans:
            notes = [n for n in notes if n.orphan]
        return sorted(notes, key=lambda n: (n.report_id, n.position or 0, n.created))

    def for_paragraph(self, paragraph_id: str) -> list[Note]:
        return [n for n in self.all() if n.paragraph_id == paragraph_id and not n.orphan]

    def tags(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for note in self.all():
            for tag in note.tags:
                counts[tag] = counts.get(tag, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    # --- writing ---

    def add(
        self, report: Report, paragraph_id: str, text: str, tags: list[str] | None = None, quote: str | None = None
    ) -> Note:
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
            "revision": 1,
            **_anchor_fields(anchor),
        }
        with self._adding():
            if len(self._journal()) >= JOURNAL_LIMIT:
                with self._writing():  # folds the journal, then the note goes straight into the main file
                    self._db.table("notes").insert(note)
            else:
                self._append(note)
        return Note.from_dict(note)

    @contextmanager
    def _adding(self) -> Iterator[None]:
        """The lock, for an append; the main file is read and checked only if it is not as this app left it."""
        if self._opened and self._damaged:
            raise StoreError(f"annotations file {self._damaged}")
        with self._refusals(self.journal_path), self._lock:
            if not self._trusted():
                if self.damaged:  # reads and checks it
                    raise StoreError(f"annotations file {self.damaged}")
                self._storage.read()
                self._record_checked()
            self._journal()  # a damaged journal is never appended to
            yield

    def consolidate(self) -> None:
        """Fold the journal of added notes into the main file now (any other change does it too)."""
        with self._writing():
            pass

    def edit(
        self, note_id: str, text: str | None = None, tags: list[str] | None = None, revision: int | None = None
    ) -> Note:
        """Change a note's text and/or tags. With `revision` (the one the editor started from) the edit is refused
        with StaleEditError when the note changed meanwhile, instead of overwriting that change."""
        with self._writing():
            note = self.resolve_id(note_id)
            current = note.revision
            if revision is not None and revision != current:
                raise StaleEditError(
                    f"note {note.id[:8]} was changed elsewhere since you began editing it "
                    f"(revision {current}, yours {revision})",
                    note,
                )
            changes: dict = {"updated": now(), "revision": current + 1}
            if text is not None:
                changes["text"] = text
            if tags is not None:
                changes["tags"] = clean_tags(tags)
            self._db.table("notes").update(changes, Query().id == note.id)
            return Note.from_dict({**note.to_dict(), **changes})

    def remove(self, note_id: str) -> Note:
        with self._writing():
            note = self.resolve_id(note_id)
            self._db.table("notes").remove(Query().id == note.id)
            return note

    def restore(self, note: Note) -> None:
        """Put back a note exactly as it was (undo of a delete)."""
        with self._writing():
            table = self._db.table("notes")
            if not table.search(Query().id == note.id):
                table.insert(note.to_dict())

    def attach(self, note_id: str, report: Report, paragraph_id: str) -> Note:
        """Re-attach an orphan (or move any note) to a paragraph the user chose."""
        if report.paragraph(paragraph_id) is None:
            raise StoreError(f"no paragraph {paragraph_id!r} in {report.id}")
        with self._writing():
            note = self.resolve_id(note_id)
            changes = {"report_id": report.id, "updated": now(), **_anchor_fields(make_anchor(report, paragraph_id))}
            self._db.table("notes").update(changes, Query().id == note.id)
            return Note.from_dict({**note.to_dict(), **changes})

    # --- tags ---

    def _retag(self, transform) -> int:
        changed = 0

        def change(notes: dict) -> None:
            nonlocal changed
            stamp = now()
            for note in notes.values():
                new = clean_tags(transform(list(note.get("tags", []))))
                if new != note.get("tags", []):
                    note.update(tags=new, updated=stamp, revision=(note.get("revision") or 1) + 1)
                    changed += 1

        with self._writing():
            self._mutate(change)
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

    def reanchor_report(self, report: Report, previous: Report | None = None) -> tuple[int, int, int]:
        """After a report changed: (kept in place, moved, orphaned). A whole-paragraph note that becomes an orphan
        takes the paragraph's full text from the previous version, when given, so the evidence stays readable."""
        counts = [0, 0, 0]

        def change(notes: dict) -> None:
            for note in notes.values():
                if note.get("report_id") != report.id or note.get("orphan"):
                    continue
                anchor = reanchor(dict(note), report)
                if anchor is None:
                    old = previous.paragraph(note["paragraph_id"]) if previous and note.get("paragraph_id") else None
                    if old is not None and note.get("span") is None:
                        note.update(quote=paragraph_text(old))
                    note.update(orphan=True, paragraph_id=None, span=None)
                    counts[2] += 1
                    continue
                fields = _anchor_fields(anchor)
                counts[0 if fields["paragraph_id"] == note.get("paragraph_id") else 1] += 1
                note.update(fields)

        with self._writing():
            self._mutate(change)
        return counts[0], counts[1], counts[2]

    # --- backup ---

    def export_backup(self, path: Path) -> int:
        if self.damaged:
            raise StoreError(f"annotations file {self.damaged}")
        notes = [note.to_dict() for note in sorted(self.all(), key=lambda n: n.id)]
        body = {"format": "ofsted-reader-notes", "schema": SCHEMA_VERSION, "exported": now(), "notes": notes}
        try:
            write_atomic(path, json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"))
        except OSError as error:
            raise StoreError(
                f"{path}: cannot write the backup ({error.strerror or error}); nothing was written"
            ) from None
        return len(notes)

    def import_backup(self, path: Path) -> dict:
        """Merge by note id: the newer `updated` wins; same id with different content on both sides is a
        conflict, reported, resolved the same way. Every note is checked first, and the merge is one write: a
        backup with a bad note changes nothing, and a kill midway leaves the store as it was."""
        incoming = read_backup(path)
        result: dict = {"added": 0, "updated": 0, "unchanged": 0, "kept_local": 0, "conflicts": []}

        def change(notes: dict) -> None:
            by_id = {note.get("id"): doc_id for doc_id, note in notes.items()}
            next_id = _next_doc_id(notes)
            for note in incoming:
                doc_id = by_id.get(note["id"])
                if doc_id is None:
                    notes[next_id] = note
                    by_id[note["id"]] = next_id
                    next_id += 1
                    result["added"] += 1
                    continue
                local = notes[doc_id]
                if _content(local) == _content(note):
                    result["unchanged"] += 1
                    continue
                result["conflicts"].append(note["id"])
                if note["updated"] > local.get("updated", ""):
                    notes[doc_id] = {**note, "revision": max(local.get("revision") or 1, note.get("revision") or 1) + 1}
                    result["updated"] += 1
                else:
                    result["kept_local"] += 1

        with self._writing():
            self._mutate(change)
        return result

    # --- repair ---

    def backup_path(self) -> Path:
        return self.path.with_name(self.path.name + ".bak")

    def previous_version(self) -> list[Note]:
        """The notes in the previous version of the file (`<file>.bak`), checked like the file itself."""
        storage = AtomicJSONStorage(self.backup_path())
        if not self.backup_path().exists():
            raise StoreError(f"there is no previous version ({self.backup_path()} does not exist)")
        try:
            data = storage.read() or {}
        except DamagedStoreError as error:
            raise StoreError(f"the previous version cannot be used either: {error}") from None
        return [Note.from_dict(n) for n in data.get("notes", {}).values()]

    def restore_previous(self) -> int:
        """Put the previous version back in place of the notes file (which is kept aside first)."""
        notes = self.previous_version()
        with self._lock:
            if self.path.exists():
                stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
                shutil.copy2(self.path, self.path.with_name(f"{self.path.stem}.replaced-{stamp}{self.path.suffix}"))
            write_atomic(self.path, self.backup_path().read_bytes())
        self._storage.invalidate()
        self.damaged = None
        return len(notes)


def _next_doc_id(notes: dict) -> int:
    """The TinyDB document id after the highest in this table ({doc id: note}), for notes added in one write."""
    return max((int(doc_id) for doc_id in notes), default=0) + 1


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
        "digest": anchor.digest,
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
    if (
        not isinstance(body, dict)
        or body.get("format") != "ofsted-reader-notes"
        or not isinstance(body.get("notes"), list)
    ):
        raise StoreError(
            f"{path}: not an ofsted-reader notes backup (use `backup export` to make one); nothing was imported"
        )
    notes, rejected = [], []
    for index, note in enumerate(body["notes"]):
        if isinstance(note, dict):
            note = {k: v for k, v in note.items() if k != "doc_id"}
        problem = note_problem(note)
        if problem:
            ident = note.get("id") if isinstance(note, dict) and isinstance(note.get("id"), str) else "(no id)"
            rejected.append(f"note {index + 1} {ident}: {problem}")
            continue
        notes.append(note)
    if rejected:
        listing = "; ".join(rejected[:5]) + (f"; and {len(rejected) - 5} more" if len(rejected) > 5 else "")
        raise StoreError(
            f"{path}: {len(rejected)} of {len(body['notes'])} notes are malformed ({listing}); nothing was imported"
        )
    return notes
