"""Copies of what the store could not use (a damaged file, the cut end of the journal), kept beside the notes once.

A copy is named by its content's hash as well as the time: every command that meets the same damaged file finds the
copy made the first time instead of writing another (one a second, before).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from ofsted_reader.store.atomic import write_atomic


def aside_path(folder: Path, stem: str, kind: str, data: bytes, suffix: str) -> Path:
    """Where the copy of `data` is, or would go: '<stem>.<kind>-<time>-<hash><suffix>'."""
    digest = hashlib.sha256(data).hexdigest()[:12]
    for existing in sorted(folder.glob(f"{stem}.{kind}-*-{digest}{suffix}")):
        return existing
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    return folder / f"{stem}.{kind}-{stamp}-{digest}{suffix}"


def keep_aside(folder: Path, stem: str, kind: str, data: bytes, suffix: str) -> Path:
    """A copy of data beside the notes, made once (raises OSError when it cannot be written)."""
    path = aside_path(folder, stem, kind, data, suffix)
    if not path.exists():
        write_atomic(path, data)
    return path
