"""A fresh install's first start on the shipped national library: `python bench/run.py firststart`.

Prints: first paint on a fresh data dir and on later starts (headless, Textual's own start included), from the
app's start and from the process's start (imports included: each run is a new process), the time until every
shipped report is searchable (the background indexing, from the app's start), the data dir's size after it, and
the installed wheel's size.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run in a child process: from before the app's modules are imported to the first paint, and (with WAIT) on to
# the end of the background indexing.
CHILD = """
import asyncio, json, sys, time
start = time.perf_counter()
from ofsted_reader.tui.app import OfstedReaderApp
from ofsted_reader.tui.services.indexing import Indexing

# The first frame: the main screen starts the app's indexing right after its first refresh (call_after_refresh),
# so the moment that is called is when the library was first on screen.
first_frame = {}
start_indexing = Indexing.start
def noted(self):
    first_frame.setdefault("at", time.perf_counter())
    return start_indexing(self)
Indexing.start = noted

async def main(wait):
    constructed = time.perf_counter()
    app = OfstedReaderApp()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        idle = time.perf_counter() - constructed
        painted = first_frame["at"] - start
        app_painted = first_frame["at"] - constructed
        searchable = None
        if wait:
            while app.indexing.progress is not None or app.indexing.index is None:
                await asyncio.sleep(0.05)
            searchable = time.perf_counter() - start
        shown = len(app.main.query_one("#tree").root.children)
        print(json.dumps({"painted": painted, "app": app_painted, "idle": idle, "searchable": searchable,
                          "authorities": shown}))

asyncio.run(main(sys.argv[1] == "wait"))
"""


# A quit while the first start indexes: the real app (headless), asked to exit after `delay` seconds; the parent
# times from that moment to the process's end, so the wait for the indexing thread counts.
QUIT = """
import sys, time
from ofsted_reader.tui.app import OfstedReaderApp
app = OfstedReaderApp()
def quit_now():
    open(sys.argv[2], "w").write(repr(time.time()))
    app.exit()
app.call_later(lambda: app.set_timer(float(sys.argv[1]), quit_now))
app.run(headless=True, size=(160, 48))
"""


def _quit_latency(delay: float) -> float:
    import time

    with tempfile.TemporaryDirectory() as home:
        stamp = Path(home) / "asked"
        env = dict(os.environ, OFSTED_READER_HOME=str(Path(home) / "data"))
        env.pop("OFSTED_READER_BUNDLED", None)
        subprocess.run([sys.executable, "-c", QUIT, str(delay), str(stamp)], env=env, cwd=ROOT, check=True)
        ended = time.time()
        return ended - float(stamp.read_text())


def _run(home: Path, wait: bool) -> dict:
    env = dict(os.environ, OFSTED_READER_HOME=str(home))
    env.pop("OFSTED_READER_BUNDLED", None)  # the library as shipped
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as a user's install runs: bytecode written and reused
    result = subprocess.run(
        [sys.executable, "-c", CHILD, "wait" if wait else "paint"], env=env, capture_output=True, text=True, cwd=ROOT
    )
    if result.returncode:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _wheel_size() -> tuple[int, int]:
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", out, str(ROOT)],
            check=True,
            capture_output=True,
        )
        wheel = next(Path(out).glob("*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        return wheel.stat().st_size, unpacked


def main() -> None:
    _run(Path(tempfile.mkdtemp()), wait=False)  # bytecode written once, as after an install
    fresh, fresh_app, fresh_idle, searchable, sizes = [], [], [], [], []
    for _ in range(3):
        home = Path(tempfile.mkdtemp())
        try:
            figures = _run(home, wait=True)
            fresh.append(figures["painted"])
            fresh_app.append(figures["app"])
            fresh_idle.append(figures["idle"])
            searchable.append(figures["searchable"])
            sizes.append(_size(home))
            shown = figures["authorities"]
        finally:
            shutil.rmtree(home, ignore_errors=True)
    home = Path(tempfile.mkdtemp())
    try:
        _run(home, wait=True)
        runs = [_run(home, wait=False) for _ in range(5)]
        later, later_app = [r["painted"] for r in runs], [r["app"] for r in runs]
    finally:
        shutil.rmtree(home, ignore_errors=True)
    ms = lambda values: f"median {statistics.median(values) * 1000:.0f} ms (max {max(values) * 1000:.0f})"
    print(
        f"first paint on a fresh data dir, {shown} authorities in the tree: from the app's start {ms(fresh_app)}; "
        f"from the process's start (imports included) {ms(fresh)}, n={len(fresh)}; the app idle (its first start's "
        f"indexing running in a thread beside it) {ms(fresh_idle)}"
    )
    print(
        f"first paint on later starts: from the app's start {ms(later_app)}; from the process's start {ms(later)}, "
        f"n={len(later)}"
    )
    print(
        f"whole shipped library searchable after the first start: median {statistics.median(searchable):.1f} s "
        f"(max {max(searchable):.1f} s) on {os.cpu_count()} cores"
    )
    print(f"data dir after the first start: {statistics.median(sizes) / 1e6:.1f} MB")
    quits = [_quit_latency(delay) for delay in (0.5, 1.5, 3.0, 5.0, 8.0)]
    print(
        f"quit during the first start's indexing (asked at 0.5-8 s), to the process's end: {ms(quits)}, n={len(quits)}"
    )
    packed, unpacked = _wheel_size()
    print(f"wheel: {packed / 1e6:.1f} MB ({unpacked / 1e6:.1f} MB installed)")


if __name__ == "__main__":
    main()
