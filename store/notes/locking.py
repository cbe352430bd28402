"""One writer at a time on the notes, across processes: an exclusive lock on `<notes file>.lock`.

On POSIX it is fcntl.flock, which the kernel releases when the process dies (a killed writer never leaves the
notes locked). Elsewhere it is the filelock package's. flock is used directly because importing filelock costs
25-50 ms (it brings asyncio), which was a fifth of `ofsted-reader note add`.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

POLL = 0.05  # seconds between tries while another process holds the lock


class NotesLock:
    """Re-entrant within one object, exclusive across processes; raises TimeoutError after `timeout` seconds."""

    def __init__(self, path: Path, timeout: float):
        self.path = path
        self.timeout = timeout
        self._depth = 0
        self._fd: int | None = None
        self._fallback: Any = None  # filelock.FileLock, where there is no fcntl

    def __enter__(self) -> NotesLock:
        if self._depth == 0:
            self._acquire()
        self._depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._release()

    def _acquire(self) -> None:
        try:
            import fcntl
        except ImportError:  # Windows
            from filelock import FileLock

            self._fallback = self._fallback or FileLock(str(self.path), timeout=self.timeout)
            self._fallback.acquire()
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._fd = fd
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise TimeoutError(f"{self.path} is held by another process") from None
                time.sleep(POLL)
            except BaseException:
                os.close(fd)
                raise

    def _release(self) -> None:
        if self._fallback is not None:
            self._fallback.release()
            return
        if self._fd is not None:
            import fcntl

            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
