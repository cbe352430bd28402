"""The journal of added notes, `annotations.added.jsonl`: one note per line, appended with one write and an fsync.

What a line can be, and what happens to it:
- a note followed by its newline: the normal case;
- the last line, a whole note without its newline (the newline was lost, or the file was edited by hand): kept, and
  the next append writes the missing newline first;
- the last line, not a whole note (an append cut short by a crash or a full disk, or the file was cut): left out of
  the notes and said (`notices`), its bytes kept aside once before anything may drop them;
- any other line that is not a note: the journal is damaged, and the notes are read-only until it is repaired.
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson

from ofsted_reader.store.atomic import write_all

from .aside import keep_aside
from .schema import note_problem
from .tinystorage import DamagedStoreError, file_stamp


def _as_note(line: bytes) -> dict | None:
    """The note a line holds, or None when it is not one."""
    try:
        note = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    return note if note_problem(note) is None else None


class Journal:
    """The journal file; every change is made under the store's lock."""

    def __init__(self, path: Path, main_stem: str):
        self.path = path
        self._main_stem = main_stem
        self._stamp: tuple[int, int, int] | None = None
        self._notes: list[dict] = []
        self._tail = b""  # the cut end of the file, left out of the notes
        self._kept: Path | None = None  # where the cut end was copied
        self.notices: list[str] = []  # what the user must be told (the store passes them on)

    def changed(self) -> bool:
        """The file is not as this object last read or wrote it (another process appended to it)."""
        return file_stamp(self.path) != self._stamp

    def read(self) -> list[dict]:
        """The notes appended since the last fold (raises DamagedStoreError for a damaged line)."""
        stamp = file_stamp(self.path)
        if stamp is None:
            self._stamp, self._notes, self._tail, self._kept = None, [], b"", None
            return []
        if stamp == self._stamp:
            return self._notes
        try:
            raw = self.path.read_bytes()
        except OSError as error:
            raise DamagedStoreError(f"{self.path} cannot be read ({error.strerror})", self.path) from None
        lines = raw.split(b"\n")
        last = lines.pop()  # b"" when the file ends with its newline
        notes = []
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                note = orjson.loads(line)
            except orjson.JSONDecodeError:
                raise DamagedStoreError(f"{self.path} line {number} is not valid JSON", self.path) from None
            problem = note_problem(note)
            if problem:
                raise DamagedStoreError(f"{self.path} line {number}: the note {problem}", self.path)
            notes.append(note)
        tail = b""
        if last.strip():
            whole = _as_note(last)
            if whole is not None:
                notes.append(whole)  # a complete note that only lost its newline
            else:
                tail = last
        self._stamp, self._notes, self._tail = stamp, notes, tail
        self._kept = None
        if tail:
            self._say_cut(tail)
        return notes

    def _say_cut(self, tail: bytes) -> None:
        try:
            self._kept = keep_aside(self.path.parent, self._main_stem, "cut", tail, ".added.jsonl")
            where = f"they are kept at {self._kept}"
        except OSError as error:
            where = f"they could not be copied aside ({error.strerror or error}), so the journal is left as it is"
        self.notices.append(
            f"{self.path} ends with {len(tail)} bytes that are not a whole note (an add cut short by a crash or a "
            f"full disk, or the file was cut); they are left out of your notes and {where}"
        )

    def ensure_kept(self) -> None:
        """Before the journal's cut end may be dropped (by an append or a fold): it is copied aside, or OSError."""
        if self._tail and self._kept is None:
            self._kept = keep_aside(self.path.parent, self._main_stem, "cut", self._tail, ".added.jsonl")

    def append(self, note: dict) -> None:
        """Add one note: one write with O_APPEND, then fsync. A write or fsync that fails takes back what it wrote
        and raises OSError: the note is not saved, and the journal ends as it did."""
        self.read()
        self.ensure_kept()
        line = orjson.dumps(note) + b"\n"
        # Notes are private from the first one: the journal is made 0600 like annotations.json (an older 0644 one
        # is put right).
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            if os.fstat(fd).st_mode & 0o077:
                os.fchmod(fd, 0o600)
            size = os.fstat(fd).st_size
            if size:
                os.lseek(fd, size - 1, os.SEEK_SET)
                if os.read(fd, 1) != b"\n":
                    os.lseek(fd, 0, os.SEEK_SET)
                    content = os.read(fd, size)
                    start = content.rfind(b"\n") + 1
                    if _as_note(content[start:]) is not None or not content[start:].strip():
                        line = b"\n" + line  # keep the last note; only its newline was missing
                    else:
                        os.ftruncate(fd, start)  # the cut end, copied aside by ensure_kept
                        size = start
            try:
                write_all(fd, line)
                os.fsync(fd)
            except OSError:
                _take_back(fd, size)
                raise
        finally:
            os.close(fd)
        self._stamp, self._notes, self._tail = file_stamp(self.path), [*self._notes, note], b""

    def remove(self) -> None:
        """After a fold: the notes are in the main file, and a cut end was kept aside (see ensure_kept)."""
        self.ensure_kept()
        self.path.unlink(missing_ok=True)
        self._stamp, self._notes, self._tail, self._kept = None, [], b"", None


def _take_back(fd: int, size: int) -> None:
    """Cut the file back to `size` after a failed append, so no half line stays; best effort (a half line that
    stays is found by the next read, said and kept aside)."""
    try:
        os.ftruncate(fd, size)
        os.fsync(fd)
    except OSError:
        pass
