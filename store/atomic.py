"""Atomic file writes: a reader sees the old file or the new one, never half of either.

Every byte goes through `write_all`, which checks what `os.write` wrote: on a full disk a write can take part of
what it was given and return the count, and code that does not look goes on as if it had all been written.
"""

from __future__ import annotations

import errno
import os
import tempfile
import time
from pathlib import Path

TEMP_PREFIX = ".tmp-"


def write_all(fd: int, data: bytes) -> None:
    """Write every byte of data to fd, or raise OSError (a write that makes no progress is a full disk)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]


def disk_full(error: OSError) -> bool:
    return error.errno in (errno.ENOSPC, errno.EDQUOT)


def write_atomic(path: Path, data: bytes, keep_previous: bool = False) -> None:
    """Write to a temp file in the same directory, fsync, then os.replace over the target.

    With keep_previous the old content is first hard-linked to '<name>.bak' so one earlier copy survives. An error
    (a short write, ENOSPC, EIO from fsync) leaves the target as it was and is raised naming the target.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX + path.name + ".", dir=path.parent)
    except OSError as error:  # named after the file asked for, not the temp file nobody knows of
        raise OSError(error.errno, error.strerror, str(path)) from None
    try:
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if keep_previous and path.exists():
            backup = path.with_name(path.name + ".bak")
            backup_temp = path.with_name(TEMP_PREFIX + path.name + ".bak")
            if backup_temp.exists():
                backup_temp.unlink()
            os.link(path, backup_temp)
            os.replace(backup_temp, backup)
        os.replace(temp, path)
    except BaseException as error:
        if os.path.exists(temp):
            os.unlink(temp)
        if isinstance(error, OSError):
            raise OSError(error.errno, error.strerror, str(path)) from None
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    # Best effort: the rename has happened, and some filesystems cannot fsync a directory at all.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale_temps(directory: Path, older_than: float = 60.0) -> int:
    """Temp files left by a process killed mid-write; the real files are intact.

    Only old ones: a fresh temp file may belong to another running copy of the app, mid-write.
    """
    removed = 0
    if not directory.is_dir():
        return 0
    limit = time.time() - older_than
    for leftover in directory.glob(TEMP_PREFIX + "*"):
        try:
            if leftover.stat().st_mtime < limit:
                leftover.unlink()
                removed += 1
        except OSError:
            pass
    return removed
