"""Bringing the search index up to the library: at first start, the whole shipped record (~870 reports).

The library is drawn from manifests alone, so nothing here stands before the first paint: the app runs this in a
background worker and the CLI's `search` before it answers. Shipped reports are read from the record as they are;
imported files without a cached parse are parsed on every core (store/library/parsing.py). This thread adds them to the
search index a batch at a time, so a search made meanwhile answers over what is indexed so far (and says so), and
stops between two reports when asked (a quit): the next start goes on where it stopped.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from ofsted_reader.host import locations
from ofsted_reader.reports import MANIFEST

if TYPE_CHECKING:
    from ofsted_reader.core.search.engine import SearchIndex

    from .library import Library

# Reports per index segment: the first small, so a search soon answers over part of the library; then each twice
# the last, up to LARGEST, so the whole record is a handful of segments (at 24 a segment it was 37, and the merges
# they forced were a fifth of the first start's indexing).
BATCH = 24
LARGEST = 200


class Progress(NamedTuple):  # not a dataclass: `search` would import dataclasses (and inspect) for it, 7 ms
    indexed: int  # reports the search index holds
    total: int  # reports in the library
    failed: tuple[str, ...] = ()  # one line per report that could not be parsed

    @property
    def done(self) -> bool:
        return self.indexed + len(self.failed) >= self.total

    def describe(self) -> str:
        return f"indexing for search: {self.indexed} of {self.total} reports"


def _never() -> bool:
    return False


def warm(
    library: Library,
    on_progress: Callable[[Progress], None] | None = None,
    stopping: Callable[[], bool] = _never,
) -> Progress:
    """Parse and index every report of the library that is not yet; calls on_progress after each batch, and returns
    early (the work left for the next start) once `stopping()` is true."""
    from . import parse_cache
    from .parsing import parse_all

    store = library.index_store()
    wanted = {e.id: e.sha256 for e in library.entries()}
    indexed = store.report_ids()
    gone = [report_id for report_id in indexed if report_id not in wanted]
    if gone:
        store.remove(gone)
    missing = [report_id for report_id, sha in wanted.items() if indexed.get(report_id) != sha]
    done = len(wanted) - len(missing)
    failed: list[str] = []

    def report(progress_done: int) -> Progress:
        progress = Progress(progress_done, len(wanted), tuple(failed))
        if on_progress is not None:
            on_progress(progress)
        return progress

    batch: list[str] = []
    size = BATCH

    def flush() -> None:
        nonlocal done, size
        if not batch:
            return
        # Read as the index takes them, so a stop asked meanwhile is seen between two reports.
        reports = ((library.load(report_id, keep=False), wanted[report_id]) for report_id in batch)
        if not store.add(reports, stopping):
            batch.clear()
            return
        size = min(size * 2, LARGEST)
        done += len(batch)
        batch.clear()
        report(done)

    def ready(report_id: str) -> bool:
        entry = library.entry(report_id)
        return entry is not None and (entry.shipped or parse_cache.path(entry.sha256).exists())

    readable = [rid for rid in missing if ready(rid)]
    for report_id in readable:  # shipped, or parsed before: straight into the index
        if stopping():
            return report(done)
        batch.append(report_id)
        if len(batch) >= size:
            flush()
    flush()
    to_parse = {library.entry(rid).source: rid for rid in missing if rid not in readable}  # type: ignore[union-attr]
    parsed_files = parse_all(list(to_parse), locations.data_dir())
    try:
        for parsed in parsed_files:
            if stopping():
                return report(done)
            report_id = to_parse[parsed.path]
            if parsed.sha256 is None:
                failed.append(parsed.error or f"{parsed.path}: could not be read")
                continue
            batch.append(report_id)
            if len(batch) >= size:
                flush()
    finally:
        parsed_files.close()  # a stop: the files not started are not parsed now
    flush()
    if not stopping():
        library.upgrades.settle(library)
    return report(done)


def search_index(
    library: Library,
    on_progress: Callable[[Progress], None] | None = None,
    stopping: Callable[[], bool] | None = None,
    stamp: str | None = None,
) -> SearchIndex:
    """The library's search index, brought in step with it: reports not parsed or not indexed yet are, first (at a
    fresh install, the whole shipped record; otherwise a no-op unless reports changed outside an import).
    on_progress gets a warmup.Progress after each batch; once `stopping()` is true the work is left for later.
    `stamp`, library_stamp() taken before the library was opened, is kept with the index once it holds the whole
    library as it still is, so that the next search can skip all this (current_index)."""
    from ofsted_reader.core.search.engine import (
        SearchIndex,  # with the ranking: only searching pays for it
    )

    progress = warm(library, on_progress, stopping or (lambda: False))
    store = library.index_store()
    if stamp is not None and progress.done and not progress.failed:
        store.keep_stamp(stamp, library_stamp)
    index = SearchIndex(store)
    index.entries = library.entries()
    return index


def library_stamp() -> str:
    """What the library is made of, as the file system says it, in one string: the shipped manifest, the
    user's manifest, each imported file (name, size, modification time, inode: every write is a rename) and the
    choice of shipped reports. Two equal stamps are the same library, so the same reports in the index; a stamp
    taken on a changed library differs. Costs a few stats, where opening the library read ~870 manifest rows."""
    bundled = os.environ.get("OFSTED_READER_BUNDLED", "(unset)")  # shipped.SETTING, raw: shipped.choice() judges it
    parts = [bundled, _stat(str(MANIFEST)), _stat(str(locations.manifest_file()))]
    with os.scandir(locations.imported_dir()) as found:
        parts += sorted(f"{e.name}={_stat(e.path)}" for e in found if not e.name.startswith("."))
    return "\n".join(parts)


def _stat(path: str) -> str:
    try:
        stat = os.stat(path)
    except OSError:
        return "-"
    return f"{stat.st_size} {stat.st_mtime_ns} {stat.st_ino}"


def current_index(stamp: str) -> SearchIndex | None:
    """The search index, opened without the library, when it was last brought in step with a library of this
    stamp (search_index); else None, and the caller opens the library and calls search_index. Its `entries` are
    None: a search with report-side filters (authority:, region:, year:) needs the library's."""
    from ofsted_reader.core.search.engine import SearchIndex

    from .search_index import IndexStore

    store = IndexStore.if_current(locations.search_index_file(), stamp)
    return None if store is None else SearchIndex(store)
