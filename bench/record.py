"""The whole shipped record (~870 reports): `python bench/run.py record`.

Prints: the time to make it all searchable in a fresh data dir (what the app's background indexing does at a first
start, here without the app), the index's size, and `ofsted-reader search` end to end (a new process, piped; both as
`python -m ofsted_reader.cli` and as the installed console script) against a plain Python + sqlite FTS5 script over
the same paragraphs (also a new process, its index built beforehand), for exact and misspelt queries: the budget is
the CLI within twice FTS5's time (the slower of the two ways of running it).
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from bench.search import _runs

QUERIES = ["private fostering", "child exploitation", "care leavers", "privte fostring", "corporate parenting"]

FTS = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute(
    "SELECT paragraph_id, snippet(fts, 1, '[', ']', '…', 12) FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT 20",
    (" ".join(sys.argv[2:]),),
).fetchall()
print(len(rows))
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "OFSTED_READER_BUNDLED")}
        env["OFSTED_READER_HOME"] = home
        os.environ.update(OFSTED_READER_HOME=home, OFSTED_READER_BUNDLED="all")
        from ofsted_reader.store.library.library import Library
        from ofsted_reader.store.library.warmup import warm

        library = Library.open()
        start = time.perf_counter()
        progress = warm(library)
        print(
            f"whole record searchable in a fresh data dir: {time.perf_counter() - start:.1f} s "
            f"({progress.indexed} reports, {sum(e.paragraphs for e in library.entries())} paragraphs, "
            f"{os.cpu_count()} cores)"
        )
        size = sum(p.stat().st_size for p in Path(home).rglob("*") if p.is_file())
        print(f"data dir after indexing: {size / 1e6:.0f} MB")

        fts_file = Path(home) / "fts.sqlite"
        db = sqlite3.connect(fts_file)
        db.execute("CREATE VIRTUAL TABLE fts USING fts5(paragraph_id UNINDEXED, text)")
        for entry in library.entries():
            report = library.load(entry.id, keep=False)
            db.executemany(
                "INSERT INTO fts VALUES (?, ?)", ((p.id, " ".join([p.text, *p.items])) for p in report.paragraphs)
            )
        db.commit()
        db.close()
        cli = [sys.executable, "-m", "ofsted_reader.cli", "search", "--limit", "20"]
        # The console script a user runs, where this environment has one (pip install puts it beside python).
        script = Path(sys.executable).with_name("ofsted-reader")
        fts = [sys.executable, "-c", FTS, str(fts_file)]
        for query in QUERIES:
            ours, theirs = _runs(cli + query.split(), env), _runs(fts + query.split(), env)
            line = f"'{query}': python -m ofsted_reader.cli search {ours:.3f} s"
            worst = ours
            if script.exists():
                console = _runs([str(script), "search", "--limit", "20", *query.split()], env)
                line += f", ofsted-reader search {console:.3f} s"
                worst = max(ours, console)
            print(
                f"{line}; python+sqlite FTS5 {theirs:.3f} s (x{worst / theirs:.1f}; FTS5 has no typo tolerance)"
                f"{'' if worst <= 2 * theirs else '  OVER BUDGET'}"
            )


if __name__ == "__main__":
    main()
