"""The library: the shipped record plus the reports the user imported.

Start-up reads two manifests (the shipped record's and the user's, a summary row per report) and parses nothing:
a shipped report is read from its record file when opened; an imported file is parsed only when its size or
modification time differs from what the user's manifest recorded, and even then the parse cache finds the parse if
the bytes are unchanged.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ofsted_reader.core.model import Paragraph, Report
from ofsted_reader.host import locations
from ofsted_reader.importers import ReportError, read_report_bytes
from ofsted_reader.store.atomic import remove_stale_temps, write_atomic

from . import manifest, parse_cache, shipped
from .entry import Entry, OutlineRow, entry_of
from .parse_cache import PARSER_VERSION
from .upgrades import Upgrades, follow_shipped

if TYPE_CHECKING:
    from .search_index import IndexStore

__all__ = ["LOAD_FAULTS", "PARSER_VERSION", "Entry", "Library"]

# What opening a report can raise when its stored parse is gone or damaged.
LOAD_FAULTS = parse_cache.FAULTS + shipped.FAULTS


class Library:
    def __init__(self, entries: dict[str, Entry]):
        self._entries = entries
        self._loaded: dict[str, Report] = {}
        self.problems: list[str] = []
        self._source_urls: dict[str, str] | None = None  # fetched reports' URLs, read on the first load
        self._index: IndexStore | None = None
        self._to_index: list[tuple[Report, str]] = []  # imported, indexed at the next save()
        self._previous: dict[str, Entry] = {}  # what an import replaced, for its notes' sake
        self.upgrades = Upgrades()

    # --- opening ---

    @classmethod
    def open(cls, include_bundled: bool = True) -> Library:
        known = manifest.read()
        remove_stale_temps(locations.cache_dir())
        library = cls({})
        if include_bundled:
            for shipped_entry in shipped.entries():
                library._add(shipped_entry)
        folder = locations.imported_dir()
        # Names sorted as strings, kinds from the directory listing: sorting 1,000 Paths and a stat each was 20 ms.
        names = sorted(e.name for e in os.scandir(folder) if not e.name.startswith(".") and e.is_file())
        by_source = {e.source: e for e in known or []}
        cached = set(os.listdir(locations.cache_dir()))  # one listing, not a stat (and a mkdir) per report
        changed = False
        imported: list[Entry] = []
        for path in (folder / name for name in names):
            try:
                stat = path.stat()
            except OSError:
                changed = True
                continue
            entry = by_source.get(str(path))
            if (
                entry is None
                or entry.size != stat.st_size
                or entry.mtime_ns != stat.st_mtime_ns
                or parse_cache.name(entry.sha256) not in cached
            ):
                try:
                    entry = _ingest(path)
                except ReportError as error:
                    library.problems.append(str(error))
                    continue
                changed = True
            library._add(entry)
            imported.append(entry)
        # Rewritten only when a source changed: rewriting at every start cost 0.6 s at 500 reports.
        if changed or known is None or len(imported) != len(known):
            library._write_manifest(imported)
        library._hide_shipped_duplicates()
        if include_bundled:
            follow_shipped(library)
        library.upgrades.settle(library)
        return library

    def _hide_shipped_duplicates(self) -> None:
        """A shipped report the user also has (fetched or imported, under its id or another) shows once: as the
        user's copy, which their notes are attached to."""
        own = {e.identity() for e in self._entries.values() if not e.bundled}
        for entry in [e for e in self._entries.values() if e.bundled and e.identity() in own]:
            del self._entries[entry.id]

    def _add(self, entry: Entry) -> None:
        previous = self._entries.get(entry.id)
        # An imported report replaces a shipped one with the same id.
        if previous is None or previous.bundled or not entry.bundled:
            self._entries[entry.id] = entry

    # --- reading ---

    def entries(self) -> list[Entry]:
        return sorted(self._entries.values(), key=lambda e: (e.authority.lower(), e.date))

    def ids(self) -> list[str]:
        return [e.id for e in self.entries()]

    def entry(self, report_id: str) -> Entry | None:
        return self._entries.get(report_id)

    def outline(self, entry: Entry) -> list[OutlineRow]:
        """A report's section tree, from the manifests (read on first use), else from its parse."""
        if entry.sections is None:
            stored = shipped.outline(entry.id) if entry.shipped else manifest.stored_outline(entry.outline_key)
            if stored is None:  # an outlines file missing or older than the manifest: the parse has it
                try:
                    stored = [(s.id, s.title, s.parent, s.grade) for s in self._read(entry).sections]
                except LOAD_FAULTS:
                    stored = []
            entry.sections = [tuple(x) for x in stored]
        return entry.sections

    def load(self, report_id: str, keep: bool = True) -> Report:
        """The report, from the shipped record or the parse cache; kept in memory unless keep=False (indexing reads
        them all once)."""
        if report_id in self._loaded:
            return self._loaded[report_id]
        entry = self._entries[report_id]
        report = self._read(entry)
        report.source_url = entry.source_url or self._source_url(report_id)
        report.urn = entry.urn
        # ILACS PDFs print no publication date; Ofsted's listing gives it (the shipped record knows it from there).
        report.published = report.published or entry.published
        if keep:
            self._loaded[report_id] = report
        return report

    def _read(self, entry: Entry) -> Report:
        if entry.shipped:
            return shipped.load(entry)
        try:
            return parse_cache.read(entry.sha256, entry.id)
        except parse_cache.FAULTS:
            # A cached parse that is gone, damaged or of another shape (a new importer) heals: parse the source again,
            # and let notes made on an earlier parse follow.
            parse_cache.path(entry.sha256).unlink(missing_ok=True)
            report, _ = parse_cache.parse(read_report_bytes(entry.source), entry.source)
            self.upgrades.settle(self)
            return report.with_id(entry.id) if report.id != entry.id else report

    def resolve(self, given: str) -> Entry:
        """A report named as a user would: its id, the unique start of an id, or an authority (its latest
        inspection, else its latest report). Raises LookupError with a message saying what to give instead."""
        text = given.strip().lower()
        if text in self._entries:
            return self._entries[text]
        started = [e for e in self._entries.values() if e.id.startswith(text)]
        if len(started) == 1:
            return started[0]
        from ofsted_reader.core import authorities

        found = authorities.identify(given)
        mine = [e for e in self._entries.values() if found is not None and e.authority_code == found.code]
        if mine:
            inspections = [e for e in mine if e.report_type == "inspection"]
            return max(inspections or mine, key=lambda e: e.date)
        if started:
            shown = ", ".join(sorted(e.id for e in started)[:4])
            raise LookupError(f"{given!r} starts {len(started)} report ids ({shown}, ...); give more of the id")
        raise LookupError(
            f"no report {given!r} in the library; give an id or an authority as `ofsted-reader list` shows"
        )

    def find(self, report_id: str) -> Report | None:
        """The report, or None when the library has no report of that id (a note's report since removed)."""
        return self.load(report_id) if report_id in self._entries else None

    def _source_url(self, report_id: str) -> str | None:
        if self._source_urls is None:
            from .sources import source_urls

            self._source_urls = source_urls()
        return self._source_urls.get(report_id)

    def reports(self) -> list[Report]:
        return [self.load(report_id) for report_id in self.ids()]

    def find_paragraph(self, paragraph_id: str) -> tuple[Report | None, Paragraph | None]:
        report_id = paragraph_id.split("/", 1)[0]
        if report_id not in self._entries:
            return None, None
        report = self.load(report_id)
        return report, report.paragraph(paragraph_id)

    # --- importing ---

    def import_file(self, path: Path, save: bool = True) -> tuple[Report, bool]:
        """Parse first, then copy: a file that fails to parse leaves the library as it was.

        Returns the report and whether it replaced the same report imported or shipped before (same authority, kind
        and inspection dates): that one keeps its id, so notes stay attached. A different report never replaces
        another: when its id is taken (two authorities inspected the same week and not told apart, say) it gets
        the next free id ("-2", "-3"). A batch passes save=False and calls save() once: rewriting the manifest after
        each of 1,000 files was quadratic."""
        data = read_report_bytes(path)
        report, digest = parse_cache.parse(data, str(path))
        same = next((e for e in self._entries.values() if e.identity() == report.identity()), None)
        if same is not None:
            report = report.with_id(same.id) if same.id != report.id else report
        else:
            report = report.with_id(self._free_id(report.id)) if report.id in self._entries else report
        replaced = same is not None
        if same is not None:
            self._previous[report.id] = same
        target = locations.imported_dir() / f"{report.id}{path.suffix.lower() or '.txt'}"
        write_atomic(target, data)
        for old in locations.imported_dir().glob(f"{report.id}.*"):
            if old != target:
                old.unlink()
        entry = entry_of(report, source=target, sha256=digest, bundled=False)
        if same is not None:  # a shipped report's Ofsted source stays with the user's copy of it
            entry.source_url, entry.urn = entry.source_url or same.source_url, entry.urn or same.urn
            entry.published = entry.published or same.published
        self._entries[entry.id] = entry
        self._loaded[entry.id] = report
        self._to_index.append((report, digest))
        if save:
            self.save()
        return report, replaced

    def previous_version(self, report_id: str) -> Report | None:
        """The report as it was before an import in this session replaced it, if it can still be read."""
        entry = self._previous.get(report_id)
        if entry is None:
            return None
        try:
            return self._read(entry)
        except LOAD_FAULTS:
            return None

    def _free_id(self, report_id: str) -> str:
        n = 2
        while f"{report_id}-{n}" in self._entries:
            n += 1
        return f"{report_id}-{n}"

    def save(self) -> None:
        self._write_manifest([e for e in self._entries.values() if not e.shipped])
        self._index_imported()

    def _write_manifest(self, imported: list[Entry]) -> None:
        manifest.write(imported, {e.outline_key: self.outline(e) for e in imported})

    def _index_imported(self) -> None:
        """The reports imported since the last save go into the search index as one segment, so the first search
        after an import reads them at once. The index is a cache: if it cannot be written now, the next search's
        sync adds them."""
        reports, self._to_index = self._to_index, []
        if not reports:
            return
        import sqlite3

        try:
            self.index_store().add(reports)
        except sqlite3.Error:
            pass

    def index_store(self) -> IndexStore:
        if self._index is None:
            from .search_index import IndexStore  # with the ranking: only searching pays for it

            for old in locations.cache_dir().glob("search-*.pickle"):  # the whole-index pickles of before 0.2
                old.unlink(missing_ok=True)
            self._index = IndexStore(locations.search_index_file(), version=str(PARSER_VERSION))
        return self._index

    def close(self) -> None:
        """Close the search index, if it was opened: its WAL is checkpointed and its -wal and -shm files removed, so
        the data dir can be copied whole (a backup of it, a test's template)."""
        if self._index is not None:
            self._index.close()
            self._index = None


def _ingest(path: Path) -> Entry:
    report, digest = parse_cache.parse(read_report_bytes(path), str(path))
    if path.stem != report.id:
        # The copy's name is the id the report was given when imported (a free one, if its own was taken): notes
        # are attached to it, so it outlives changes to how ids are made.
        report = report.with_id(path.stem)
    return entry_of(report, source=path, sha256=digest, bundled=False)
