"""A TinyDB storage that never leaves a half-written file and never overwrites a damaged one.

TinyDB's JSONStorage rewrites in place (not atomic; tinydb#301) and is not safe across processes. This one
writes a temp file, fsyncs and os.replace()s it, keeps the previous version as `<file>.bak`, and refuses to
write over a file it could not read. Locking lives in the store (one lock around read-modify-write).
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson
from tinydb.storages import Storage

from ofsted_reader.store.atomic import write_atomic

from .schema import store_problem


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """What tells a file that another process rewrote (inode, size, mtime), or None when there is no file."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


class DamagedStoreError(Exception):
    """The annotations file (or its journal, `path`) cannot be read; it has been left exactly as it was."""

    def __init__(self, message: str, path: Path | None = None):
        super().__init__(message)
        self.path = path


class AtomicJSONStorage(Storage):
    def __init__(self, path: str | os.PathLike, **_: object):
        self.path = Path(path)
        self._cache: dict | None = None
        self._stamp: tuple[int, int, int] | None = None

    def _current_stamp(self) -> tuple[int, int, int] | None:
        return file_stamp(self.path)

    def read(self) -> dict | None:
        stamp = self._current_stamp()
        if stamp is None:
            self._cache, self._stamp = None, None
            self._check_nothing_lost()
            return None
        # Unchanged since we last read or wrote it: skip parsing a file that may hold thousands of notes.
        if self._cache is not None and stamp == self._stamp:
            return self._cache
        try:
            raw = self.path.read_bytes()
        except OSError as error:
            raise DamagedStoreError(f"{self.path} cannot be read ({error.strerror})") from None
        if not raw.strip():
            # Nothing this app writes is empty: an empty file is a write that went wrong, and taking it for an empty
            # store would let the next note replace the .bak, the last good copy.
            raise DamagedStoreError(f"{self.path} is empty")
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            raise DamagedStoreError(f"{self.path} is not valid JSON ({error.__class__.__name__}: {error})") from None
        problem = store_problem(data)
        if problem:
            raise DamagedStoreError(f"{self.path} is not a notes file this app wrote: {problem}")
        self._cache, self._stamp = data, stamp
        return data

    def _check_nothing_lost(self) -> None:
        """No file is an empty store, unless its previous version holds notes: then the file was lost (deleted,
        or moved by a sync tool), and taking it for an empty store would let the next change replace the .bak."""
        backup = self.path.with_name(self.path.name + ".bak")
        if not backup.exists():
            return
        try:
            notes = (AtomicJSONStorage(backup).read() or {}).get("notes") or {}
        except DamagedStoreError:
            raise DamagedStoreError(
                f"{self.path} is missing, and its previous version {backup} cannot be read either"
            ) from None
        if notes:
            raise DamagedStoreError(
                f"{self.path} is missing, but its previous version {backup} holds {len(notes)} notes"
            )

    def write(self, data: dict) -> None:
        if self._current_stamp() is not None and self._stamp is None:
            # Never read successfully, so never overwrite: it may be a damaged file we refused.
            self.read()
        # orjson: the whole file is rewritten on every change, and the stdlib encoder took 65 ms for 10k notes.
        payload = orjson.dumps(data)
        try:
            write_atomic(self.path, payload, keep_previous=True)
        except BaseException:
            self._cache, self._stamp = None, None
            raise
        self._cache, self._stamp = data, self._current_stamp()

    def stale(self) -> bool:
        """The file is not what we last read or wrote: another process changed it (or it appeared or went)."""
        return self._current_stamp() != self._stamp

    def invalidate(self) -> None:
        self._cache, self._stamp = None, None

    def close(self) -> None:
        pass
