"""Search at national scale: a synthetic library of 1,000 reports (~127,000 paragraphs) made from the bundled ones.

Prints: the time to index a library from scratch (only after an upgrade or a lost index: imports index as they
go); `ofsted-reader search` end to end (a new process, as a user runs it; piped, and on a terminal through
`script` where it exists); the first search after an import; as-you-type latency over every prefix of ten
two-word queries, in a process set up as the app is (gc.freeze after loading); and `fzf --filter` over the same
paragraphs for scale, when fzf is installed.

Timings of new processes let Python write bytecode (a user's install has it; this sandbox may set
PYTHONDONTWRITEBYTECODE), and a warm-up run comes first.
"""

from __future__ import annotations

import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUERIES = [
    "private fostering",
    "privte fostring",
    "domestic violence",
    "care leavers",
    "health assessments",
    "corporate parenting",
    "missing children",
    "advocacy service",
    "case recording",
    "return interviews",
]
ROOT = Path(__file__).resolve().parent.parent


def _make_library(home: Path, count: int) -> int:
    from ofsted_reader.reports import historic_files
    from ofsted_reader.store.library.library import Library

    sources = [p.read_text(encoding="utf-8") for p in historic_files()]
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


def _runs(command: list[str], env: dict, times: int = 5) -> float:
    subprocess.run(command, capture_output=True, env=env)  # warm-up: bytecode, page cache
    runs = []
    for _ in range(times):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, env=env)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def _percentiles(latencies: list[float]) -> str:
    latencies = sorted(latencies)
    return (
        f"p50 {statistics.median(latencies) * 1000:.1f} ms, p95 {latencies[int(len(latencies) * 0.95)] * 1000:.1f}"
        f" ms, max {latencies[-1] * 1000:.1f} ms"
    )


def main(count: int = 1000) -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["OFSTED_READER_HOME"] = home
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        start = time.perf_counter()
        paragraphs = _make_library(Path(home), count)
        print(
            f"library: {count} reports, {paragraphs} paragraphs; import with the index written as it goes: "
            f"{time.perf_counter() - start:.1f} s"
        )
        from ofsted_reader.store.library.library import Library
        from ofsted_reader.store.library.warmup import search_index

        index_file = Path(home) / "cache" / "search.sqlite"
        print(f"index file: {index_file.stat().st_size / 1e6:.0f} MB")
        Library.open().index_store().close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{index_file}{suffix}").unlink(missing_ok=True)
        start = time.perf_counter()
        search_index(Library.open())
        print(
            f"index rebuilt from scratch (a lost index; never on a normal start): {time.perf_counter() - start:.1f} s"
        )

        cli = [sys.executable, "-m", "ofsted_reader.cli", "search", "--limit", "20"]
        script = shutil.which("script")
        for query in ("private fostering", "privte fostring"):
            line = f"'{query}': ofsted-reader search, piped {_runs(cli + query.split(), env):.3f} s"
            if script:
                tty = [script, "-q", "-c", " ".join(cli + query.split()), "/dev/null"]
                line += f", on a terminal (script) {_runs(tty, env):.3f} s"
            print(line + " (end to end, median of 5)")

        after = []
        imported = [ROOT / "reports" / name for name in sorted(os.listdir(ROOT / "reports")) if name.endswith(".txt")]
        for n, source in enumerate(imported):
            copy = Path(home) / f"extra{n}.txt"
            copy.write_text(
                source.read_text(encoding="utf-8").replace("inspection", f"inspection{n}", 1), encoding="utf-8"
            )
            subprocess.run(
                [sys.executable, "-m", "ofsted_reader.cli", "import", str(copy)],
                capture_output=True,
                check=True,
                env=env,
            )
            start = time.perf_counter()
            subprocess.run(cli + ["care", "leavers"], capture_output=True, check=True, env=env)
            after.append(time.perf_counter() - start)
        print(
            f"first search after an import (new process): median {statistics.median(after):.3f} s, "
            f"max {max(after):.3f} s over {len(after)} imports"
        )

        index = search_index(Library.open())
        gc.freeze()  # as the app does after loading
        latencies = []
        for query in QUERIES:
            for end in range(2, len(query) + 1):
                start = time.perf_counter()
                index.search(query[:end], limit=50)
                latencies.append(time.perf_counter() - start)
        print(
            f"as-you-type, {len(latencies)} prefixes of {len(QUERIES)} two-word queries (limit 50, a fresh index "
            f"as when the search screen opens): {_percentiles(latencies)}"
        )

        fzf = shutil.which("fzf")
        if fzf:
            lines = Path(home) / "paragraphs.txt"
            lines.write_text("\n".join(Library.open().index_store().texts()), encoding="utf-8")
            for query in ("private fostering", "privte fostring"):
                runs = []
                for _ in range(3):
                    start = time.perf_counter()
                    with lines.open("rb") as handle:
                        subprocess.run([fzf, "--filter", query], stdin=handle, capture_output=True)
                    runs.append(time.perf_counter() - start)
                print(f"'{query}': fzf --filter {statistics.median(runs):.2f} s (median of 3)")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
