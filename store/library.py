"""The library: bundled reports plus the ones the user imported, parsed once and cached as JSON.

Start-up reads one manifest (a summary line per report) and never re-parses: a source file is parsed only
when its size or modification time differs from what the manifest recorded, and even then the content hash
finds the cached parse if the bytes are unchanged. Whole reports are loaded from the cache on demand.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from ofsted_reader.core import locations
from ofsted_reader.core.model import Paragraph, Report
from ofsted_reader.core.vocabulary import Framework, ReportType, framework_of, report_type_of
from ofsted_reader.importers import ReportError, parse_bytes, read_report_bytes

from . import bundled as shipped_manifest
from .atomic import remove_stale_temps, write_atomic

if TYPE_CHECKING:
    from collections.abc import Callable

    from ofsted_reader.core.search import SearchIndex

    from .search_index import IndexStore
    from .warmup import Progress

# Bump when the importers change what they produce, so cached parses are redone once.
PARSER_VERSION = 3
MANIFEST_VERSION = 7  # 7: the shipped reports are described by reports/manifest.json, not here


@dataclass
class Entry:
    """What the library knows of a report without loading it."""

    id: str
    authority: str
    published: str | None
    framework: Framework
    source: str
    sha256: str
    size: int
    mtime_ns: int
    bundled: bool
    overall: list[tuple[str, int, str]] = field(default_factory=list)  # (service, grade, label)
    paragraphs: int = 0
    # The section tree, so the app can draw the library without loading any report: (id, title, parent, grade).
    # Kept in a file of its own and read on first use (`outline()`): at 500 reports it was most of the manifest.
    sections: list[tuple[str, str, str | None, int | None]] | None = None
    inspected: str | None = None  # inspection end date: ILACS PDFs print no publication date
    inspection_start: str | None = None
    authority_code: str | None = None
    report_type: ReportType = "inspection"
    # Each judgement's grade by its key (ofsted_reader.core.judgements): the grades tables and the tree's badges.
    grades: dict[str, int] = field(default_factory=dict)
    theme: str | None = None  # a visit letter's theme, in its words
    # Where the report was published: Ofsted's download URL and the provider's URN (shipped reports know both from
    # reports/national/sources.csv; fetched ones from store/sources.py).
    source_url: str | None = None
    urn: str | None = None
    # Described by the shipped manifest (reports/manifest.json): never written to the user's own manifest.
    shipped: bool = False

    def outline(self) -> list[tuple[str, str, str | None, int | None]]:
        if self.sections is None:
            stored = shipped_manifest.outline(_relative(self.source)) if self.shipped else None
            if stored is None:
                stored = _stored_outlines().get(self.outline_key)
            if stored is None:  # the outlines file is missing or older than the manifest: the cached parse has it
                try:
                    stored = [(s.id, s.title, s.parent, s.grade) for s in _cached_report(self.sha256, self.id).sections]
                except CACHE_FAULTS:
                    stored = []
            self.sections = [tuple(x) for x in stored]
        return self.sections

    @property
    def outline_key(self) -> str:
        # Id and content: a bundled report and an imported copy that shadows it share the id, not the content.
        return f"{self.id} {self.sha256}"

    def identity(self) -> tuple[str, str, str | None, str | None]:
        """As Report.identity: the same report whatever file it came from."""
        return (
            self.authority_code or self.authority,
            self.report_type,
            self.inspection_start or self.published,
            self.inspected or self.published,
        )

    @property
    def date(self) -> str:
        """For sorting: publication date, else inspection date."""
        return self.published or self.inspected or ""


def _relative(source: str) -> str:
    from ofsted_reader.reports import relative

    return relative(Path(source))


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Library:
    def __init__(self, entries: dict[str, Entry], home: Path):
        self._entries = entries
        self._home = home
        self._loaded: dict[str, Report] = {}
        self.problems: list[str] = []
        self._shadowed: list[Entry] = []  # bundled reports an imported copy replaces: kept in the manifest
        self._source_urls: dict[str, str] | None = None  # fetched reports' URLs, read on the first load
        self._index: IndexStore | None = None
        self._to_index: list[tuple[Report, str]] = []  # imported, indexed at the next save()
        self._previous: dict[str, Entry] = {}  # what an import replaced, for its notes' sake
        self._old_parses: dict[str, Path] | None = None  # parses by an earlier importer, by hash: see settle_upgrades

    # --- opening ---

    @classmethod
    def open(cls, include_bundled: bool = True) -> Library:
        home = locations.data_dir()
        manifest = _read_manifest()
        remove_stale_temps(locations.cache_dir())
        library = cls({}, home)
        sources: list[tuple[Path, bool]] = []
        if include_bundled:
            # The shipped manifest describes the bundled files: none is parsed here (a fresh install paints at once).
            shipped, unknown = shipped_manifest.shipped_entries(PARSER_VERSION)
            for entry in shipped:
                library._add(entry)
            sources += [(p, True) for p in unknown]
        folder = locations.imported_dir()
        # Names sorted as strings, kinds from the directory listing: sorting 1,000 Paths and a stat each was 20 ms.
        names = sorted(e.name for e in os.scandir(folder) if not e.name.startswith(".") and e.is_file())
        sources += [(folder / name, False) for name in names]
        by_source = {e.source: e for e in manifest or []}
        cached = set(os.listdir(locations.cache_dir()))  # one listing, not a stat (and a mkdir) per report
        changed = False
        known_entries: list[Entry] = []  # every source's entry, shadowed bundled ones too: the manifest keeps them
        for path, bundled in sources:
            try:
                stat = path.stat()
            except OSError:
                changed = True
                continue
            known = by_source.get(str(path))
            if (
                known
                and known.size == stat.st_size
                and known.mtime_ns == stat.st_mtime_ns
                and _cache_name(known.sha256) in cached
            ):
                library._add(known)
                known_entries.append(known)
                continue
            try:
                entry, _ = _ingest(path, bundled)
            except ReportError as error:
                library.problems.append(str(error))
                continue
            library._add(entry)
            known_entries.append(entry)
            changed = True
        # Rewritten only when a source changed: a bundled report shadowed by an imported copy used to be re-read,
        # and the manifest rewritten (0.6 s at 500 reports), on every start.
        if changed or manifest is None or len(known_entries) != len(manifest):
            _write_manifest(known_entries)
        library._shadowed = [e for e in known_entries if library._entries.get(e.id) is not e]
        library._hide_bundled_duplicates()
        library.settle_upgrades()
        return library

    def _hide_bundled_duplicates(self) -> None:
        """A bundled report the user also has under another id (fetched or imported before it was bundled) shows
        once: as the user's copy, which their notes are attached to."""
        own = {e.identity() for e in self._entries.values() if not e.bundled}
        for entry in [e for e in self._entries.values() if e.bundled and e.identity() in own]:
            del self._entries[entry.id]

    def _add(self, entry: Entry) -> None:
        previous = self._entries.get(entry.id)
        # An imported report replaces a bundled one with the same id.
        if previous is None or previous.bundled or not entry.bundled:
            self._entries[entry.id] = entry

    # --- reading ---

    def entries(self) -> list[Entry]:
        return sorted(self._entries.values(), key=lambda e: (e.authority.lower(), e.date))

    def ids(self) -> list[str]:
        return [e.id for e in self.entries()]

    def entry(self, report_id: str) -> Entry | None:
        return self._entries.get(report_id)

    def load(self, report_id: str, keep: bool = True) -> Report:
        """The report, parsed from the cache; kept in memory unless keep=False (indexing reads them all once)."""
        if report_id in self._loaded:
            return self._loaded[report_id]
        entry = self._entries[report_id]
        try:
            report = _cached_report(entry.sha256, report_id)
        except CACHE_FAULTS:
            # A cached parse that is gone, damaged or of another shape heals: parse the source again.
            _cache_path(entry.sha256).unlink(missing_ok=True)
            report, _ = _parse_cached(read_report_bytes(entry.source), entry.source)
            report = report.with_id(report_id) if report.id != report_id else report
        report.source_url = entry.source_url or self._source_url(report_id)
        report.urn = entry.urn
        # ILACS PDFs print no publication date; Ofsted's listing gives it (shipped reports know it from there).
        report.published = report.published or entry.published
        self.settle_upgrades()
        if keep:
            self._loaded[report_id] = report
        return report

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

    # --- upgrading ---

    def settle_upgrades(self) -> None:
        """Notes follow a new importer. A parser upgrade re-parses each report (its cache name carries the parser
        version), and paragraph boundaries and ids may move: each report parsed anew whose parse by the earlier
        importer is still cached has its notes re-anchored from the old paragraphs to the new (as a re-import
        does), then the old parse is deleted. Reports not parsed yet wait for their turn (opening one, or the
        background warm-up, parses it); a notes file that cannot be written now leaves the old parse for later."""
        if self._old_parses is None:
            self._old_parses = _old_parses()
        if not self._old_parses:
            return
        ready = [
            e for e in self._entries.values() if e.sha256[:32] in self._old_parses and _cache_path(e.sha256).exists()
        ]
        if not ready:
            return
        from .annotations import AnnotationStore
        from .errors import StoreError

        store = AnnotationStore() if locations.has_notes_files() else None
        for entry in ready:
            old_path = self._old_parses[entry.sha256[:32]]
            if store is not None:
                try:
                    new = _cached_report(entry.sha256, entry.id)
                    old = Report.from_dict(json.loads(old_path.read_text(encoding="utf-8")))
                    store.reanchor_report(new, old.with_id(entry.id) if old.id != entry.id else old)
                except CACHE_FAULTS:
                    pass  # an old parse that cannot be read has nothing to give: the notes re-anchor on their quotes
                except StoreError:
                    continue
            old_path.unlink(missing_ok=True)
            del self._old_parses[entry.sha256[:32]]

    # --- importing ---

    def import_file(self, path: Path, save: bool = True) -> tuple[Report, bool]:
        """Parse first, then copy: a file that fails to parse leaves the library as it was.

        Returns the report and whether it replaced the same report imported before (same authority, kind and
        inspection dates): that one keeps its id, so notes stay attached. A different report never replaces
        another: when its id is taken (two authorities inspected the same week and not told apart, say) it gets
        the next free id ("-2", "-3"). A batch passes save=False and calls save() once: rewriting the manifest after
        each of 1,000 files was quadratic."""
        data = read_report_bytes(path)
        report, digest = _parse_cached(data, str(path))
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
        entry = _entry(target, digest, report, bundled=False)
        if same is not None:  # a shipped report's Ofsted source stays with the user's copy of it
            entry.source_url, entry.urn = entry.source_url or same.source_url, entry.urn or same.urn
            entry.published = entry.published or same.published
        shadowed = self._entries.get(entry.id)
        if shadowed is not None and shadowed.bundled:
            # Kept in the manifest: left out, the next start re-parsed the bundled report and rewrote it all.
            self._shadowed.append(shadowed)
        self._entries[entry.id] = entry
        self._loaded[entry.id] = report
        self._to_index.append((report, digest))
        if save:
            self.save()
        return report, replaced

    def previous_version(self, report_id: str) -> Report | None:
        """The report as it was before an import in this session replaced it, if its parse is still cached."""
        entry = self._previous.get(report_id)
        if entry is None:
            return None
        try:
            return _cached_report(entry.sha256, report_id)
        except CACHE_FAULTS:
            return None

    def _free_id(self, report_id: str) -> str:
        n = 2
        while f"{report_id}-{n}" in self._entries:
            n += 1
        return f"{report_id}-{n}"

    def save(self) -> None:
        kept = list(self._entries.values()) + [e for e in self._shadowed if e.id in self._entries]
        _write_manifest([e for e in kept if not e.shipped])
        self._index_imported()

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
            from .search_index import IndexStore  # with the ranking and rapidfuzz: only searching pays for them

            for old in locations.cache_dir().glob("search-*.pickle"):  # the whole-index pickles of before 0.2
                old.unlink(missing_ok=True)
            self._index = IndexStore(locations.cache_dir() / "search.sqlite", version=str(PARSER_VERSION))
        return self._index


def _cache_name(sha256: str) -> str:
    return f"{sha256[:32]}-v{PARSER_VERSION}.json"


def _cache_path(sha256: str) -> Path:
    return locations.cache_dir() / _cache_name(sha256)


# What reading a cached parse can raise when the file is gone, damaged or of another shape.
CACHE_FAULTS = (OSError, ValueError, TypeError, KeyError, AttributeError)


def _old_parses() -> dict[str, Path]:
    """Cached parses made by an earlier parser version, by the hash prefix they are named after."""
    current = f"-v{PARSER_VERSION}.json"
    found: dict[str, Path] = {}
    folder = locations.cache_dir()
    for name in os.listdir(folder):
        stem, _, version = name.partition("-v")
        if len(stem) == 32 and version.endswith(".json") and version[:-5].isdigit() and not name.endswith(current):
            found[stem] = folder / name
    return found


def _read_cache(sha256: str) -> Report:
    """The cached parse of the bytes with this hash (raises one of CACHE_FAULTS)."""
    return Report.from_dict(json.loads(_cache_path(sha256).read_text(encoding="utf-8")))


def _cached_report(sha256: str, report_id: str) -> Report:
    """The cached parse of these bytes under the id the library gave it (raises one of CACHE_FAULTS)."""
    report = _read_cache(sha256)
    return report.with_id(report_id) if report.id != report_id else report


def _parse_cached(data: bytes, source: str) -> tuple[Report, str]:
    """The report in these bytes, from the cache when they were parsed before; and their hash."""
    digest = _hash(data)
    try:
        report = _read_cache(digest)
        report.source = source
        return report, digest
    except CACHE_FAULTS:
        pass  # not parsed before, or a damaged cache file: parsed now, and written anew below
    report = parse_bytes(data, source)
    write_atomic(_cache_path(digest), json.dumps(report.to_dict(), ensure_ascii=False).encode("utf-8"))
    return report, digest


def _ingest(path: Path, bundled: bool) -> tuple[Entry, Report]:
    report, digest = _parse_cached(read_report_bytes(path), str(path))
    if not bundled and path.stem != report.id:
        # The copy's name is the id the report was given when imported (a free one, if its own was taken): notes
        # are attached to it, so it outlives changes to how ids are made.
        report = report.with_id(path.stem)
    return _entry(path, digest, report, bundled), report


def _entry(path: Path, digest: str, report: Report, bundled: bool) -> Entry:
    stat = path.stat()
    return Entry(
        id=report.id,
        authority=report.authority,
        published=report.published,
        framework=report.framework,
        source=str(path),
        sha256=digest,
        size=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
        bundled=bundled,
        overall=[(j.service, j.grade, j.label) for j in report.overall_judgements()],
        paragraphs=len(report.paragraphs),
        sections=[(sec.id, sec.title, sec.parent, sec.grade) for sec in report.sections],
        inspected=report.inspection_end,
        inspection_start=report.inspection_start,
        authority_code=report.authority_code,
        report_type=report.report_type,
        grades=report.grades_by_key(),
        theme=report.theme,
    )


def named(row: dict) -> dict:
    """A manifest row (JSON) with its framework and report type narrowed to their types; a ValueError for a damaged
    one."""
    return {
        **row,
        "framework": framework_of(row["framework"]),
        "report_type": report_type_of(row.get("report_type", "inspection")),
    }


def _read_manifest() -> list[Entry] | None:
    """The imported reports' entries; None when the manifest is missing, damaged or of another version (it is
    only an index: the sources rebuild it)."""
    path = locations.manifest_file()
    try:
        body = orjson.loads(path.read_bytes())
        if body.get("version") != [PARSER_VERSION, MANIFEST_VERSION]:
            return None
        return [
            Entry(**{**named(row), "overall": [tuple(o) for o in row.get("overall", [])], "sections": None})
            for row in body["reports"]
        ]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


_OUTLINES: dict[str, list] | None = None  # section outlines by Entry.outline_key, read once per data dir
_OUTLINES_HOME: Path | None = None


def _stored_outlines() -> dict[str, list]:
    global _OUTLINES, _OUTLINES_HOME
    if _OUTLINES is None or locations.data_dir() != _OUTLINES_HOME:
        _OUTLINES_HOME = locations.data_dir()
        try:
            _OUTLINES = orjson.loads(locations.outlines_file().read_bytes())
            if not isinstance(_OUTLINES, dict):
                _OUTLINES = {}
        except (OSError, ValueError):
            _OUTLINES = {}  # rebuilt below, from the cached parses, when the manifest is next written
    return _OUTLINES


def _write_manifest(entries: list[Entry]) -> None:
    global _OUTLINES, _OUTLINES_HOME
    outlines = {e.outline_key: e.outline() for e in entries}
    rows = [{k: v for k, v in asdict(entry).items() if k != "sections"} for entry in entries]
    write_atomic(locations.outlines_file(), orjson.dumps(outlines))
    _OUTLINES, _OUTLINES_HOME = outlines, locations.data_dir()
    body = {"version": [PARSER_VERSION, MANIFEST_VERSION], "reports": rows}
    write_atomic(locations.manifest_file(), orjson.dumps(body, option=orjson.OPT_INDENT_2))


def search_index(library: Library, on_progress: Callable[[Progress], None] | None = None) -> SearchIndex:
    """The library's search index, brought in step with it: reports not parsed or not indexed yet are, first (at a
    fresh install, the ~200 shipped reports, on every core; otherwise a no-op unless reports changed outside an
    import). on_progress gets a warmup.Progress after each batch."""
    from ofsted_reader.core.search import SearchIndex

    from .warmup import warm

    warm(library, on_progress)
    index = SearchIndex(library.index_store())
    index.entries = library.entries()
    return index
