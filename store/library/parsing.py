"""Parsing many report files on every core, each parse written to the cache as it is made.

An import of a folder of PDFs (about 45 ms each) or a new importer's first start parses many at once; one process per
core halves that on a 2-core machine. The workers write the cache files themselves, so only a hash and
an id cross between processes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

from ofsted_reader.importers import ReportError, read_report_bytes

from . import parse_cache


@dataclass
class Parsed:
    path: str
    sha256: str | None  # None when the file could not be read or parsed
    error: str | None = None


def parse_into_cache(path: str, home: str) -> Parsed:
    """Parse one file into the cache of the data dir `home` (a no-op when its parse is cached already)."""
    os.environ["OFSTED_READER_HOME"] = home  # a spawned worker must write into the same data dir as its parent
    try:
        _, digest = parse_cache.parse(read_report_bytes(path), path)
    except ReportError as error:
        return Parsed(path, None, str(error))
    except OSError as error:
        return Parsed(path, None, f"{path}: {error.strerror or error}")
    return Parsed(path, digest)


def _start_resource_tracker() -> None:
    """multiprocessing starts a helper process with the parent's stderr descriptor. Inside the app, Textual has
    replaced sys.stderr with a capture that has none (fileno() is -1), and the start fails ("bad value(s) in
    fds_to_keep"): the helper is started with the process's real stderr instead."""
    from multiprocessing import resource_tracker

    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        return
    captured, sys.stderr = sys.stderr, sys.__stderr__
    try:
        resource_tracker.ensure_running()
    finally:
        sys.stderr = captured


# A spawned worker costs ~0.3 s of start-up (a new interpreter importing the importers) before it parses anything,
# and a parse is ~45 ms: a worker pays for itself only with a dozen or more files to do. Importing a few files, or a
# library of four text reports, is quicker in this process.
FILES_PER_WORKER = 12


def workers_for(count: int) -> int:
    return max(1, min(os.cpu_count() or 1, count // FILES_PER_WORKER))


def parse_all(paths: list[str], home: Path) -> Generator[Parsed, None, None]:
    """Each file parsed into the cache, yielded as it is finished (not in the order given). Closing the iterator
    early (a quit) cancels the files not started, without waiting for the workers."""
    if not paths:
        return
    workers = workers_for(len(paths))
    if workers == 1:
        for path in paths:
            yield parse_into_cache(path, str(home))
        return
    # Imported here: a search that finds nothing to parse (the usual case) starts without them.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # Spawned, not forked: the app forks from a process running Textual's threads, which fork does not copy safely.
    context = multiprocessing.get_context("spawn")
    _start_resource_tracker()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        futures = [pool.submit(parse_into_cache, path, str(home)) for path in paths]
        for future in as_completed(futures):
            yield future.result()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
