"""The shipped reports' manifest: what the library knows of each bundled file without parsing it.

A fresh install must paint the national library at once, not after parsing ~200 PDFs. `reports/manifest.json`
holds each shipped file's size, hash, library entry and section outline, with its Ofsted source (URN, publication
date, URL) from `reports/national/sources.csv`. It is made by `python -m ofsted_reader.store.bundled` and checked
by a test that parses every shipped file again: a parser change that alters any entry fails that test until the
manifest is made anew. At run time a file the manifest does not describe (or describes for another parser
version, or another size) is parsed as any imported file is, so a stale manifest costs time, never correctness.

Which shipped reports the library holds is a setting, OFSTED_READER_BUNDLED: `all` (the default), `historic` (the
four 2009-2012 reports only) or `none`.
"""

from __future__ import annotations

import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from ofsted_reader.reports import MANIFEST, Source, bundled_files, historic_files, relative, sources

if TYPE_CHECKING:
    from .library import Entry

SETTING = "OFSTED_READER_BUNDLED"
CHOICES = ("all", "historic", "none")
FORMAT = 1
# Entry fields that depend on where the package is installed, not on the file: filled in at run time.
LOCAL_FIELDS = ("source", "mtime_ns", "bundled", "sections", "shipped")


class SettingError(ValueError):
    pass


def choice() -> str:
    value = os.environ.get(SETTING, "all").strip().lower() or "all"
    if value not in CHOICES:
        raise SettingError(f"{SETTING}={value!r} is not one of {', '.join(CHOICES)}; unset it for the whole library")
    return value


def chosen_files() -> list[Path]:
    which = choice()
    return bundled_files() if which == "all" else historic_files() if which == "historic" else []


_READ: tuple[float, dict[str, Any]] | None = None


def _manifest() -> dict[str, Any]:
    """The manifest as shipped ({} when missing or damaged: every file is then parsed, as before manifests)."""
    global _READ
    try:
        stamp = MANIFEST.stat().st_mtime
        if _READ is None or _READ[0] != stamp:
            body = orjson.loads(MANIFEST.read_bytes())
            _READ = (stamp, body if isinstance(body, dict) else {})
        return _READ[1]
    except (OSError, ValueError):
        return {}


def outline(file: str) -> list | None:
    return _manifest().get("outlines", {}).get(file)


def shipped_entries(parser_version: int) -> tuple[list[Entry], list[Path]]:
    """The chosen shipped files the manifest describes, as library entries, and those it does not (to be parsed)."""
    from .library import Entry, named

    files = chosen_files()
    body = _manifest()
    rows = body.get("reports", {}) if body.get("format") == FORMAT and body.get("parser") == parser_version else {}
    entries: list[Entry] = []
    unknown: list[Path] = []
    for path in files:
        row = rows.get(relative(path))
        try:
            size = path.stat().st_size
        except OSError:
            continue
        if row is None or row.get("size") != size:
            unknown.append(path)
            continue
        try:
            fields = named({k: v for k, v in row.items() if k not in ("file",)})
        except (KeyError, ValueError):  # a damaged row: its file is parsed, as one the manifest does not describe
            unknown.append(path)
            continue
        fields["overall"] = [tuple(o) for o in fields.get("overall", [])]
        entries.append(Entry(**fields, source=str(path), mtime_ns=0, bundled=True, sections=None, shipped=True))
    return entries, unknown


def describe(entry: Entry, source: Source | None) -> dict[str, Any]:
    """A manifest row: the entry without its local fields, with the file's Ofsted source."""
    row = {k: v for k, v in asdict(entry).items() if k not in LOCAL_FIELDS}
    if source is not None:
        row["urn"] = source.urn
        row["source_url"] = source.url
        row["published"] = entry.published or source.published
    return row


def build(parser_version: int) -> dict[str, Any]:
    """Parse every shipped file (on every core) and describe it: the manifest's content."""
    from ofsted_reader.core import locations

    from .library import _entry, _read_cache
    from .parsing import parse_all

    known = sources()
    files = bundled_files()
    by_path = {str(path): path for path in files}
    reports: dict[str, dict[str, Any]] = {}
    outlines: dict[str, list] = {}
    for parsed in parse_all(list(by_path), locations.data_dir()):
        if parsed.sha256 is None:
            raise SystemExit(f"ofsted-reader: {parsed.error}")
        path = by_path[parsed.path]
        entry = _entry(path, parsed.sha256, _read_cache(parsed.sha256), bundled=True)
        reports[relative(path)] = describe(entry, known.get(relative(path)))
        outlines[relative(path)] = entry.outline()
    ordered = [relative(path) for path in files]
    return {
        "format": FORMAT,
        "parser": parser_version,
        "reports": {name: reports[name] for name in ordered},
        "outlines": {name: outlines[name] for name in ordered},
    }


def write(body: dict[str, Any]) -> None:
    from .atomic import write_atomic

    write_atomic(MANIFEST, orjson.dumps(body, option=orjson.OPT_INDENT_2) + b"\n")
    MANIFEST.chmod(0o644)  # package data: readable by every user of an installed copy


def main() -> int:
    import tempfile

    from .library import PARSER_VERSION

    # Parsed in a scratch data dir: making the manifest must not fill the developer's own cache.
    with tempfile.TemporaryDirectory() as home:
        os.environ["OFSTED_READER_HOME"] = home
        body = build(PARSER_VERSION)
    write(body)
    print(f"wrote {MANIFEST}: {len(body['reports'])} reports, parser version {PARSER_VERSION}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
