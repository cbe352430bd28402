"""The user's own library manifest: a summary row per imported report (library.json), and their section trees in a
file of their own (library-outlines.json), read when the tree first shows sections. Only an index: the imported
files rebuild it."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import orjson

from ofsted_reader.host import locations
from ofsted_reader.store.atomic import write_atomic

from .entry import Entry, OutlineRow, entry_from_row
from .parse_cache import PARSER_VERSION

VERSION = 8  # 8: the shipped record is described by reports/manifest.json; entries know their original file


def read() -> list[Entry] | None:
    """The imported reports' entries; None when the manifest is missing, damaged or of another version."""
    try:
        body = orjson.loads(locations.manifest_file().read_bytes())
        if body.get("version") != [PARSER_VERSION, VERSION]:
            return None
        return [entry_from_row(row) for row in body["reports"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write(entries: list[Entry], outline: dict[str, list[OutlineRow]]) -> None:
    """The entries and their outlines (by Entry.outline_key)."""
    global _OUTLINES, _OUTLINES_HOME
    rows = [{k: v for k, v in asdict(entry).items() if k != "sections"} for entry in entries]
    write_atomic(locations.outlines_file(), orjson.dumps(outline))
    _OUTLINES, _OUTLINES_HOME = outline, locations.data_dir()
    body = {"version": [PARSER_VERSION, VERSION], "reports": rows}
    write_atomic(locations.manifest_file(), orjson.dumps(body, option=orjson.OPT_INDENT_2))


_OUTLINES: dict[str, list] | None = None  # read once per data dir
_OUTLINES_HOME: Path | None = None


def stored_outline(outline_key: str) -> list | None:
    global _OUTLINES, _OUTLINES_HOME
    if _OUTLINES is None or locations.data_dir() != _OUTLINES_HOME:
        _OUTLINES_HOME = locations.data_dir()
        try:
            loaded = orjson.loads(locations.outlines_file().read_bytes())
            _OUTLINES = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            _OUTLINES = {}  # rebuilt from the cached parses when the manifest is next written
    return _OUTLINES.get(outline_key)
