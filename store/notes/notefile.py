"""The notes' files and their mechanics: the TinyDB main file, the journal of added notes, the lock, damage.

Every change is a read-modify-write under a file lock, re-reading the file if another process changed it, so two
running copies of the app never overwrite each other's notes. A file that cannot be read is never written over:
the store opens read-only, says so, and keeps a copy aside. What the notes are and what is done to them is
`annotations.py`; this module is how they get to the disk and back.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
from tinydb import TinyDB

from ofsted_reader.core.notes import Note
from ofsted_reader.host import locations
from ofsted_reader.store.atomic import disk_full, remove_stale_temps, write_atomic
from ofsted_reader.store.errors import StoreError

from .aside import keep_aside
from .journal import Journal
from .locking import NotesLock
from .schema import SCHEMA_VERSION
from .tinystorage import AtomicJSONStorage, DamagedStoreError, file_stamp

LOCK_TIMEOUT = 10  # seconds to wait for another process's change to the notes


def save_failure(target: Path, error: OSError) -> str:
    """A write that did not reach the disk, in one line: what, which file, what to do."""
    if disk_full(error):
        return f"cannot save notes to {target}: the disk is full; nothing was saved. Free some space, then try again"
    return (
        f"cannot save notes to {target} ({error.strerror or error}); nothing was saved. "
        "Check the disk and the folder's permissions, then try again"
    )


class NoteFiles:
    """`annotations.json` (TinyDB) holds the notes; a new note is first appended to a journal beside it,
    `annotations.added.jsonl`, which the next other change folds into the main file.

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
        self._journal = Journal(self.journal_path, self.path.stem)
        self._checked_path = self.path.with_name(self.path.name + ".checked")
        self._lock = NotesLock(self.path.with_name(self.path.name + ".lock"), timeout=LOCK_TIMEOUT)
        self._db = TinyDB(self.path, storage=AtomicJSONStorage)
        self._storage: AtomicJSONStorage = self._db.storage  # type: ignore[assignment]
        self._damaged: str | None = None
        self._opened = False
        self._said: set[str] = set()

    @property
    def damaged(self) -> str | None:
        """Why the notes are read-only (a file that cannot be read), or None. The file is read when first asked:
        an add that appends never needs to parse it."""
        if not self._opened:
            self._opened = True
            try:
                self._storage.read()
                self._journal.read()
            except DamagedStoreError as error:
                self._damaged = self._keep_aside(str(error), error.path)
        return self._damaged

    @damaged.setter
    def damaged(self, value: str | None) -> None:
        self._opened = True
        self._damaged = value

    def notices(self) -> list[str]:
        """What the user should be told and has not been yet (the journal's cut end, kept aside): each once."""
        fresh = [notice for notice in self._journal.notices if notice not in self._said]
        self._journal.notices.clear()
        self._said.update(fresh)
        return fresh

    def _keep_aside(self, reason: str, path: Path | None = None) -> str:
        """The message for a damaged file, after copying it aside (once: see aside.py)."""
        path = path or self.path
        backup = self.backup_path()
        if not path.exists():  # the main file is gone and its .bak holds notes
            return (
                f"{reason}. Notes are read-only until the previous version is put back, or {backup.name} is removed "
                "to start again"
            )
        try:
            suffix = "".join(path.suffixes)
            aside = keep_aside(path.parent, self.path.stem, "damaged", path.read_bytes(), suffix)
            where = f"a copy is kept at {aside}"
        except OSError:
            where = "it could not be copied aside"
        hint = f"; the previous version is {backup}" if backup.exists() else ""
        return f"{reason}; it was left unchanged and {where}{hint}. Notes are read-only until it is repaired or removed"

    def _refused(self) -> StoreError:
        return StoreError(f"annotations file {self.damaged}")

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
            raise self._refused() from None
        except OSError as error:
            # Disk full, a failed fsync, a read-only folder, a lock file that cannot be made: nothing was changed.
            raise StoreError(save_failure(Path(error.filename or target), error)) from None

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """The lock, the main file read and checked, the journal folded in: for any change but an add."""
        if self.damaged:
            raise self._refused()
        with self._refusals(self.path), self._lock:
            table = self._db.table("notes")
            table.clear_cache()
            table._next_id = None  # another process may have added documents since
            self._ensure_schema()
            self._fold_journal()
            try:
                yield
            finally:
                self._changed()
            self._record_checked()

    def _changed(self) -> None:
        """Hook: the stored notes may have been changed in place."""

    @contextmanager
    def _adding(self) -> Iterator[Journal]:
        """The lock, for an append; the main file is read and checked only if it is not as this app left it."""
        if self._opened and self._damaged:
            raise self._refused()
        with self._refusals(self.journal_path), self._lock:
            if not self._trusted():
                if self.damaged:  # reads and checks it
                    raise self._refused()
                self._storage.read()
                self._record_checked()
            self._journal.read()  # a damaged journal is never appended to
            yield self._journal

    # --- the journal of added notes ---

    def _fold_journal(self) -> None:
        """Move the journal's notes into the main file (one atomic write), then drop the journal. Under the lock.
        If the process dies between the two, the notes are in both: reading takes the main file's copy."""
        added = self._journal.read()
        if not added:
            self._journal.remove()
            return

        def change(notes: dict) -> None:
            known = {note.get("id") for note in notes.values()}
            next_id = next_doc_id(notes)
            for note in added:
                if note["id"] not in known:
                    notes[next_id] = dict(note)
                    next_id += 1

        self._journal.ensure_kept()
        self._mutate(change)
        self._journal.remove()

    def _record_checked(self) -> None:
        """The main file is as this app left it (or checked it): an add may trust it without reading it. Best
        effort: when the record cannot be written (a full disk), it goes, and the next add reads the file."""
        stamp = file_stamp(self.path)
        if stamp is None:
            return
        try:
            write_atomic(self._checked_path, orjson.dumps(stamp))
        except OSError:
            self._checked_path.unlink(missing_ok=True)

    def _trusted(self) -> bool:
        try:
            return tuple(orjson.loads(self._checked_path.read_bytes())) == file_stamp(self.path)
        except (OSError, ValueError, TypeError):
            return False

    def _mutate(self, change: Callable[[dict], None]) -> None:
        """Apply change({doc id: note}) to the notes table in one atomic write: a bulk change is all or nothing."""
        try:
            self._db.table("notes")._update_table(change)
        except BaseException:
            self._storage.invalidate()  # the change ran on the cached copy: drop it, the file is as it was
            raise

    def _mutate_tables(self, change: Callable[[dict[str, dict]], None], tables: tuple[str, ...]) -> None:
        """Apply change({table: {doc id: document}}) to several tables in one atomic write (a tag renamed on its
        notes and in the codebook together): all or nothing, as _mutate. Under _writing."""
        try:
            data = self._storage.read() or {}
            for name in tables:
                data.setdefault(name, {})
            change(data)
            self._storage.write(data)
        except BaseException:
            self._storage.invalidate()
            raise
        finally:
            for name in tables:  # TinyDB's per-table caches know nothing of a change made under them
                table = self._db.table(name)
                table.clear_cache()
                table._next_id = None

    def _table_docs(self, name: str) -> list[dict]:
        """Every document of a table other than the notes (the codebook, memos); none when the file cannot be read
        (then `damaged` says why)."""
        if self.damaged:
            return []
        try:
            raw = self._storage.read() or {}
        except DamagedStoreError as error:
            self.damaged = self._keep_aside(str(error), error.path)
            return []
        return list((raw.get(name) or {}).values())

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
        return self._storage.stale() or self._journal.changed()

    def disk_stamp(self) -> tuple[object, ...]:
        """What the notes' files are now (inode, size, time of each): a view that keeps the stamp it last showed
        knows the files changed since, whichever reader of this store read them first."""
        return (file_stamp(self.path), file_stamp(self._journal.path))

    def _stored(self) -> list[dict] | None:
        """Every stored note as a dict, the main file's and the journal's (a note in both: the main file's, see
        _fold_journal); None when the files cannot be read (then `damaged` says why)."""
        if self.damaged:
            return None
        try:
            raw = self._storage.read() or {}
            added = self._journal.read()
        except DamagedStoreError as error:  # damaged since it was opened, by another process or by hand
            self.damaged = self._keep_aside(str(error), error.path)
            return None
        docs = list(raw.get("notes", {}).values())
        if added:
            known = {doc["id"] for doc in docs}
            docs += [doc for doc in added if doc["id"] not in known]
        return docs

    # --- repair ---

    def backup_path(self) -> Path:
        return self.path.with_name(self.path.name + ".bak")

    def previous_version(self) -> list[Note]:
        """The notes in the previous version of the file (`<file>.bak`), checked like the file itself."""
        if not self.backup_path().exists():
            raise StoreError(f"there is no previous version ({self.backup_path()} does not exist)")
        try:
            data = AtomicJSONStorage(self.backup_path()).read() or {}
        except DamagedStoreError as error:
            raise StoreError(f"the previous version cannot be used either: {error}") from None
        return [Note.from_dict(n) for n in data.get("notes", {}).values()]

    def restore_previous(self) -> int:
        """Put the previous version back in place of the notes file (which is kept aside first)."""
        notes = self.previous_version()
        with self._refusals(self.path), self._lock:
            if self.path.exists():
                stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
                shutil.copy2(self.path, self.path.with_name(f"{self.path.stem}.replaced-{stamp}{self.path.suffix}"))
            write_atomic(self.path, self.backup_path().read_bytes())
        self._storage.invalidate()
        self.damaged = None
        self._opened = False  # read again: the journal beside it may still be damaged
        return len(notes)


def next_doc_id(notes: dict) -> int:
    """The TinyDB document id after the highest in this table ({doc id: note}), for notes added in one write."""
    return max((int(doc_id) for doc_id in notes), default=0) + 1
