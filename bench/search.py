"""Search on a synthetic library of 1,000 reports (~150,000 paragraphs) made from the bundled ones.

Prints: index build and load times; as-you-type latency of two-word queries (every prefix, as typed);
and `ofsted-reader search` end to end against `fzf --filter` over the same paragraphs, one per line.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUERIES = ["private fostering", "privte fostring", "domestic violence", "care leavers", "health assessments",
           "corporate parenting", "missing children", "advocacy service", "case recording", "return interviews"]


def _make_library(home: Path, count: int) -> int:
    from reports import bundled_files
    from store.library import Library

    sources = [p.read_text(encoding="utf-8") for p in bundled_files()]
    names = [t.split("services", 1)[1].strip().split("\n", 1)[0].strip() or "Derby" for t in sources]
    folder = home / "src"
    folder.mkdir()
    for n in range(count):
        i = n % len(sources)
        # Another authority and year, so ids differ; the text is the bundled text.
        text = sources[i].replace(names[i], f"Shire {n:04d}", 3)
        (folder / f"r{n:04d}.txt").write_text(text, encoding="utf-8")
    library = Library.open()
    for path in sorted(folder.iterdir()):
        library.import_file(path, save=False)
    library.save()
    return sum(e.paragraphs for e in library.entries())


def main(count: int = 1000) -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["OFSTED_READER_HOME"] = home
        start = time.perf_counter()
        paragraphs = _make_library(Path(home), count)
        print(f"library: {count} reports, {paragraphs} paragraphs (import took {time.perf_counter() - start:.0f} s)")
        from store.library import Library, search_index

        library = Library.open()
        start = time.perf_counter()
        index = search_index(library)
        print(f"index build (first run, then cached): {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        search_index(Library.open())
        print(f"index load from cache: {time.perf_counter() - start:.2f} s")
        latencies = []
        for query in QUERIES:
            for end in range(2, len(query) + 1):
                t = time.perf_counter()
                index.search(query[:end], limit=50)
                latencies.append(time.perf_counter() - t)
        latencies.sort()
        print(f"as-you-type, {len(latencies)} prefixes of {len(QUERIES)} two-word queries: "
              f"p50 {statistics.median(latencies) * 1000:.1f} ms, p95 {latencies[int(len(latencies) * 0.95)] * 1000:.1f} ms, "
              f"max {latencies[-1] * 1000:.1f} ms")
        lines = Path(home) / "paragraphs.txt"
        lines.write_text("\n".join(d.text for d in index.docs), encoding="utf-8")
        cli = [sys.executable, "-m", "ofsted_reader.cli", "search", "--limit", "20"]
        fzf = shutil.which("fzf")
        for query in ("private fostering", "privte fostring"):
            runs = []
            for _ in range(3):
                t = time.perf_counter()
                subprocess.run(cli + query.split(), capture_output=True, check=True)
                runs.append(time.perf_counter() - t)
            line = f"'{query}': ofsted-reader search {statistics.median(runs):.2f} s"
            if fzf:
                fz = []
                for _ in range(3):
                    t = time.perf_counter()
                    with lines.open("rb") as handle:
                        subprocess.run([fzf, "--filter", query], stdin=handle, capture_output=True)
                    fz.append(time.perf_counter() - t)
                line += f"; fzf --filter {statistics.median(fz):.2f} s"
            print(line + " (end to end, median of 3)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
