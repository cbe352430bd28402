"""The shipped record: every report the app ships, already parsed, so a fresh install opens every authority's
history at once and parses nothing.

`reports/record/<id>.json.gz` holds each report as the importers read it from the published PDF (made by
`scripts/build_record.py`, checked by a test that parses the PDFs again where they are at hand);
`reports/manifest.json` holds each one's library row and Ofsted source (URN, publication date, download URL), and
`reports/outlines.json` its section tree, read on first use. Nothing here is written at run time.

Which shipped reports the library holds is a setting, OFSTED_READER_BUNDLED: `all` (the default), `historic` (the
four 2009-2012 reports only) or `none`.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path
from typing import Any

import orjson

from ofsted_reader.core.model import Report
from ofsted_reader.reports import BUNDLED_DIR, MANIFEST, OUTLINES, RECORD_DIR
from ofsted_reader.store.errors import StoreError

from .entry import Entry, OutlineRow, entry_from_row

SETTING = "OFSTED_READER_BUNDLED"
CHOICES = ("all", "historic", "none")
FORMAT = 2  # 2: the record as parsed JSON, one file per report (1: the PDFs, parsed at first start)

# What reading a shipped record file can raise when it is gone or damaged (an install broken by hand).
FAULTS = (OSError, ValueError, TypeError, KeyError, AttributeError, EOFError)


class SettingError(StoreError):
    """OFSTED_READER_BUNDLED names no choice: said in one line, as any store refusal."""


def choice() -> str:
    value = os.environ.get(SETTING, "all").strip().lower() or "all"
    if value not in CHOICES:
        raise SettingError(f"{SETTING}={value!r} is not one of {', '.join(CHOICES)}; unset it for the whole library")
    return value


def record_file(report_id: str) -> Path:
    return RECORD_DIR / f"{report_id}.json.gz"


def encode(report: Report) -> bytes:
    """A report as the record stores it (before compression): the parse, byte for byte what JSON gives back."""
    return orjson.dumps(report.to_dict())


def compress(body: bytes) -> bytes:
    # No name and no time in the header: the same parse gives the same file, so a rebuild changes only what changed.
    return gzip.compress(body, compresslevel=9, mtime=0)


def digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


_READ: tuple[float, dict[str, Any]] | None = None


def manifest() -> dict[str, Any]:
    """The manifest as shipped ({} when missing or damaged: the library then holds only what the user imported)."""
    global _READ
    try:
        stamp = MANIFEST.stat().st_mtime
        if _READ is None or _READ[0] != stamp:
            body = orjson.loads(MANIFEST.read_bytes())
            _READ = (stamp, body if isinstance(body, dict) and body.get("format") == FORMAT else {})
        return _READ[1]
    except (OSError, ValueError):
        return {}


def entries() -> list[Entry]:
    """The chosen shipped reports as library entries: from the manifest alone, no file opened."""
    which = choice()
    if which == "none":
        return []
    found: list[Entry] = []
    # Paths joined as strings: 868 Path joins were a third of the library's opening.
    record, originals = f"{RECORD_DIR}{os.sep}", f"{BUNDLED_DIR}{os.sep}"
    for report_id, row in manifest().get("reports", {}).items():
        if which == "historic" and row.get("framework") != "slac":
            continue
        try:
            original = row.get("original")
            found.append(
                entry_from_row(
                    row,
                    id=report_id,
                    source=f"{record}{report_id}.json.gz",
                    mtime_ns=0,
                    bundled=True,
                    shipped=True,
                    original=originals + original if original else None,
                )
            )
        except (KeyError, ValueError, TypeError):
            continue  # a damaged row: that report is missing, the rest open
    return found


def load(entry: Entry) -> Report:
    """A shipped report (raises one of FAULTS when its file is gone or damaged)."""
    body = gzip.decompress(Path(entry.source).read_bytes())
    report = Report.from_dict(orjson.loads(body))
    return report.with_id(entry.id) if report.id != entry.id else report


_OUTLINES: dict[str, list] | None = None


def outline(report_id: str) -> list[OutlineRow] | None:
    global _OUTLINES
    if _OUTLINES is None:
        try:
            loaded = orjson.loads(OUTLINES.read_bytes())
            _OUTLINES = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            _OUTLINES = {}
    stored = _OUTLINES.get(report_id)
    return [tuple(row) for row in stored] if stored is not None else None
