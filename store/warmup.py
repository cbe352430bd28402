"""Bringing the parse cache and the search index up to the library: at first start, ~200 shipped reports.

The library is drawn from manifests alone, so nothing here stands before the first paint: the app runs this in a
background worker and the CLI's `search` before it answers. Reports without a cached parse are parsed on every core
(store/parsing.py) while this thread adds the parsed ones to the search index a batch at a time, so a search made
meanwhile answers over what is indexed so far (and says so).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ofsted_reader.core import locations

from .library import Library, _cache_path
from .parsing import parse_all

BATCH = 24  # reports per index segment: small enough that a search waits little for a batch being written


@dataclass(frozen=True)
class Progress:
    indexed: int  # reports the search index holds
    total: int  # reports in the library
    failed: tuple[str, ...] = ()  # one line per report that could not be parsed

    @property
    def done(self) -> bool:
        return self.indexed + len(self.failed) >= self.total

    def describe(self) -> str:
        return f"indexing for search: {self.indexed} of {self.total} reports"


def warm(library: Library, on_progress: Callable[[Progress], None] | None = None) -> Progress:
    """Parse and index every report of the library that is not yet; calls on_progress after each batch."""
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

    def flush() -> None:
        nonlocal done
        if not batch:
            return
        store.add([(library.load(report_id, keep=False), wanted[report_id]) for report_id in batch])
        done += len(batch)
        batch.clear()
        report(done)

    cached = [rid for rid in missing if _cache_path(wanted[rid]).exists()]
    for report_id in cached:  # parsed before: straight into the index
        batch.append(report_id)
        if len(batch) >= BATCH:
            flush()
    flush()
    to_parse = {library.entry(rid).source: rid for rid in missing if rid not in cached}  # type: ignore[union-attr]
    for parsed in parse_all(list(to_parse), locations.data_dir()):
        report_id = to_parse[parsed.path]
        if parsed.sha256 is None:
            failed.append(parsed.error or f"{parsed.path}: could not be read")
            continue
        batch.append(report_id)
        if len(batch) >= BATCH:
            flush()
    flush()
    library.settle_upgrades()
    return report(done)
