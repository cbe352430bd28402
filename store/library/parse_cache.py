"""Parsed reports kept as JSON in the data dir's cache, named by the content hash of the file they were read from
and the parser version, so a file is parsed once and a new importer parses it again once."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ofsted_reader.core.model import Report
from ofsted_reader.host import locations
from ofsted_reader.importers import parse_bytes
from ofsted_reader.store.atomic import write_atomic

# Bump when the importers change what they produce, so cached parses are redone once (and the shipped record is
# made anew: scripts/build_record.py).
PARSER_VERSION = 4

# What reading a cached parse can raise when the file is gone, damaged or of another shape.
FAULTS = (OSError, ValueError, TypeError, KeyError, AttributeError)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def name(sha256: str) -> str:
    return f"{sha256[:32]}-v{PARSER_VERSION}.json"


def path(sha256: str) -> Path:
    return locations.cache_dir() / name(sha256)


def read(sha256: str, report_id: str | None = None) -> Report:
    """The cached parse of the bytes with this hash, under `report_id` when given (raises one of FAULTS)."""
    report = Report.from_dict(json.loads(path(sha256).read_text(encoding="utf-8")))
    return report.with_id(report_id) if report_id is not None and report.id != report_id else report


def parse(data: bytes, source: str) -> tuple[Report, str]:
    """The report in these bytes, from the cache when they were parsed before; and their hash."""
    digest = content_hash(data)
    try:
        report = read(digest)
        report.source = source
        return report, digest
    except FAULTS:
        pass  # not parsed before, or a damaged cache file: parsed now, and written anew below
    report = parse_bytes(data, source)
    write_atomic(path(digest), json.dumps(report.to_dict(), ensure_ascii=False).encode("utf-8"))
    return report, digest


def older_parses() -> dict[str, Path]:
    """Cached parses made by an earlier parser version, by the hash prefix they are named after."""
    current = f"-v{PARSER_VERSION}.json"
    found: dict[str, Path] = {}
    folder = locations.cache_dir()
    for entry_name in os.listdir(folder):
        stem, _, version = entry_name.partition("-v")
        if (
            len(stem) == 32
            and version.endswith(".json")
            and version[:-5].isdigit()
            and not entry_name.endswith(current)
        ):
            found[stem] = folder / entry_name
    return found
