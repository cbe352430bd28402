"""Import the real PDFs in tests/data (inspection reports and visit letters) into a fresh library in one batch, as
`ofsted-reader import` does: seconds in all and per file, and the search index's share (written as one segment at
the end of the batch). Then the same files one `import` call each: the index adds a segment per call and merges
them as they pile up."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def main() -> None:
    files = sorted(
        p for folder in ("corpus", "pdf", "focused") for p in (DATA / folder).glob("*.pdf") if "not-a-pdf" not in p.name
    )
    with tempfile.TemporaryDirectory() as home:
        os.environ["OFSTED_READER_HOME"] = home
        from ofsted_reader.store.library import library as library_module
        from ofsted_reader.store.library.library import Library

        indexing: list[float] = []
        original = library_module.Library._index_imported

        def timed_index(self: Library) -> None:
            start = time.perf_counter()
            original(self)
            indexing.append(time.perf_counter() - start)

        # The import's indexing step timed apart from its parsing: patched for this run, put back after.
        setattr(library_module.Library, "_index_imported", timed_index)  # noqa: B010
        try:
            library = Library.open()
            start = time.perf_counter()
            for path in files:
                library.import_file(path, save=False)
            library.save()
            total = time.perf_counter() - start
        finally:
            setattr(library_module.Library, "_index_imported", original)  # noqa: B010
        paragraphs = sum(e.paragraphs for e in library.entries())
        print(
            f"import of {len(files)} PDFs in one batch: {total:.1f} s, {total / len(files) * 1000:.0f} ms per file "
            f"(x500: {total / len(files) * 500:.1f} s); of which the search index "
            f"{sum(indexing):.2f} s ({sum(indexing) / total:.1%}) for {paragraphs} paragraphs"
        )
    with tempfile.TemporaryDirectory() as home:
        os.environ["OFSTED_READER_HOME"] = home
        from ofsted_reader.store.library.library import Library

        Library.open()
        each = []
        for path in files:
            library = Library.open()
            start = time.perf_counter()
            library.import_file(path)
            each.append(time.perf_counter() - start)
        each.sort()
        print(
            f"one import call per file ({len(files)}): median {statistics.median(each) * 1000:.0f} ms, "
            f"p95 {each[int(len(each) * 0.95)] * 1000:.0f} ms, max {each[-1] * 1000:.0f} ms (index merges included)"
        )
