"""The national picture on the national set (reports/national, imported once into a temporary data dir): the map
screen opened (first time: made and installed; again: refilled), moving its cursor, the trail of an authority
with an inspection and two visits, and `ofsted-reader map` as a process."""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _library() -> int:
    from ofsted_reader.store.library.library import Library

    library = Library.open()
    national = ROOT / "reports" / "national"
    for path in sorted((national / "inspections").glob("*.pdf")) + sorted((national / "visits").glob("*.pdf")):
        library.import_file(path, save=False)
    library.save()
    return len(library.entries())


async def _map(rounds: int) -> tuple[list[float], list[float], list[float]]:
    """To the map screen's first refresh after E, each time; then per cursor key (Pilot's press, harness included)."""
    from ofsted_reader.tui.app import OfstedReaderApp
    from ofsted_reader.tui.screens.map import MapScreen

    app = OfstedReaderApp()
    first: list[float] = []
    again: list[float] = []
    keys: list[float] = []
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("escape")
        for n in range(rounds):
            marks: list[float] = []
            start = time.perf_counter()
            app.main.action_map()
            app.screen.call_after_refresh(lambda marks=marks: marks.append(time.perf_counter()))
            await pilot.pause()
            assert isinstance(app.screen, MapScreen) and marks
            (first if n == 0 else again).append(marks[0] - start)
            for key in "lljjhhkk":
                start = time.perf_counter()
                await pilot.press(key)
                keys.append(time.perf_counter() - start)
            app.pop_screen()
            await pilot.pause()
    return first, again, keys


def _trail() -> list[float]:
    from ofsted_reader.core import trail
    from ofsted_reader.store.library.library import Library

    library = Library.open()
    reports = [library.load(e.id) for e in library.entries() if e.authority_code == "887"]  # Medway
    times = []
    for _ in range(10):
        start = time.perf_counter()
        trail.build("Medway", reports)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["OFSTED_READER_HOME"] = home
        start = time.perf_counter()
        count = _library()
        print(f"national set imported: {count} reports in {time.perf_counter() - start:.1f} s (not what is timed)")
        from ofsted_reader.core import national_map

        start = time.perf_counter()
        national_map.england_grids()
        print(f"map data read (england-map.json, every size): {(time.perf_counter() - start) * 1000:.1f} ms")
        first, again, keys = asyncio.run(_map(6))
        print(
            f"map screen at 160x48, E to first refresh: first open {first[0] * 1000:.0f} ms, "
            f"reopened median {statistics.median(again) * 1000:.0f} ms (max {max(again) * 1000:.0f} ms); "
            f"cursor key median {statistics.median(keys) * 1000:.0f} ms (Pilot, harness included)"
        )
        times = _trail()
        print(f"trail of Medway (inspection and two visits): median {statistics.median(times) * 1000:.1f} ms")
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "ofsted_reader.cli", "map"], capture_output=True, check=True, cwd=ROOT
            )
            runs.append(time.perf_counter() - start)
        print(f"`ofsted-reader map` as a process: median {statistics.median(runs) * 1000:.0f} ms")
