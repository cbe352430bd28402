"""App start-up to first paint (bundled library; 500 reports) and keypress-to-render in a 300-paragraph section."""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import tempfile
import time
from functools import partial
from pathlib import Path


def _earlier(years: int, match: re.Match[str]) -> str:
    return str(int(match.group(0)) - years)


def _synthetic_library(home: Path, reports: int) -> int:
    """Copies of the bundled reports under the names of real authorities (each authority gets copies of different
    reports, so no two are the same report), imported once (parsing is not what we time)."""
    from ofsted_reader.core.authorities import all_authorities
    from ofsted_reader.reports import original_files as bundled_files
    from ofsted_reader.store.library.library import Library

    source = bundled_files()
    names = [a.name for a in all_authorities()]
    work = home / "src"
    work.mkdir(parents=True)
    library = Library.open()
    for n in range(reports - len(source)):
        rounds = n // len(names)
        origin = source[rounds % len(source)]
        text = origin.read_text(encoding="utf-8")
        original = text.split("services", 1)[1].strip().split("\n", 1)[0].strip() or "Derby"
        text = text.replace(original, names[n % len(names)], 3)
        if rounds >= len(source):  # past one copy of each report per authority: the same report, years earlier
            shift = rounds // len(source)
            text = re.sub(r"\b20(0\d|1\d)\b", partial(_earlier, shift), text)
        path = work / f"r{n}.txt"
        path.write_text(text, encoding="utf-8")
        library.import_file(path, save=False)
    library.save()
    return len(library.entries())


def _long_section(home: Path) -> str:
    """A report whose one section holds 300 paragraphs."""
    from ofsted_reader.reports import original_files as bundled_files
    from ofsted_reader.store.library.library import Library

    text = bundled_files()[1].read_text(encoding="utf-8")
    head, body = (
        text.split("About this inspection\n", 2)[0],
        "\n".join(
            f"{n}. Paragraph {n} of a long section. "
            + "Inspectors found that children are safe and well supported. " * 6
            for n in range(1, 301)
        ),
    )
    path = home / "long.txt"
    path.write_text(head + "About this inspection\n\n" + body + "\n", encoding="utf-8")
    report, _ = Library.open().import_file(path)
    return report.id


async def _startup() -> float:
    from ofsted_reader.tui.app import OfstedReaderApp

    start = time.perf_counter()
    app = OfstedReaderApp()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        return time.perf_counter() - start


async def _keys(report_id: str) -> tuple[list[float], list[float]]:
    from ofsted_reader.tui.app import OfstedReaderApp
    from ofsted_reader.tui.widgets.reader import Reader

    app = OfstedReaderApp()
    wall, cpu = [], []
    async with app.run_test(size=(160, 48)) as pilot:
        app.main.open_place(report_id, f"{report_id}/about-this-inspection")
        await pilot.pause()
        reader = app.query_one(Reader)
        for key in ["j"] * 60 + ["G", "g"] + ["k"] * 5:
            start, start_cpu = time.perf_counter(), time.process_time()
            await pilot.press(key)  # returns once the app has processed the key and refreshed
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        assert len(reader.blocks) == 300 and reader.cursor == 0
    return wall, cpu


async def _overview(names: list[str]) -> tuple[list[float], list[float], list[float]]:
    """Choosing an authority to its overview drawn, for several authorities of the 500-report library: to the
    first refresh of the new screen (call_after_refresh), and to the end of Pilot's pause (which adds its own wait)."""
    from ofsted_reader.tui.app import OfstedReaderApp
    from ofsted_reader.tui.screens.authority import AuthorityScreen

    app = OfstedReaderApp()
    painted, times, cpu = [], [], []
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        for name in names:
            marks: list[float] = []
            start, start_cpu = time.perf_counter(), time.process_time()
            app.main.show_authority(name)
            app.screen.call_after_refresh(lambda marks=marks: marks.append(time.perf_counter()))
            await pilot.pause()
            assert isinstance(app.screen, AuthorityScreen) and marks
            painted.append(marks[0] - start)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            app.pop_screen()
            await pilot.pause()
    return painted, times, cpu


def main() -> None:
    for label, count in (("bundled library (4 reports)", 0), ("500 reports", 500), ("1,000 reports", 1000)):
        with tempfile.TemporaryDirectory() as home:
            os.environ["OFSTED_READER_HOME"] = home
            if count:
                made = _synthetic_library(Path(home), count)
                label = f"{made} reports"
            from ofsted_reader.store.library.library import Library

            Library.open()  # the first start parses and caches; every later start reads the manifest
            runs = [asyncio.run(_startup()) for _ in range(5)]
            print(
                f"start-up to first paint, {label}: median {statistics.median(runs) * 1000:.0f} ms "
                f"(headless, includes Textual's own start)"
            )
            if count:
                from ofsted_reader.core.authorities import all_authorities

                names = [a.name for a in all_authorities()[::15]]
                painted, times, cpu = (sorted(t) for t in asyncio.run(_overview(names)))
                print(
                    f"authority overview, {label}: to the screen's first refresh median "
                    f"{statistics.median(painted) * 1000:.0f} ms, max {painted[-1] * 1000:.0f} ms; "
                    f"wall median {statistics.median(times) * 1000:.0f} ms, "
                    f"max {times[-1] * 1000:.0f} ms (Pilot, harness included); CPU median "
                    f"{statistics.median(cpu) * 1000:.0f} ms, max {cpu[-1] * 1000:.0f} ms, "
                    f"over {len(times)} authorities"
                )
    with tempfile.TemporaryDirectory() as home:
        os.environ["OFSTED_READER_HOME"] = home
        report_id = _long_section(Path(home))
        wall, cpu = (sorted(t) for t in asyncio.run(_keys(report_id)))
        print(
            f"keypress to render in a 300-paragraph section: wall median {statistics.median(wall) * 1000:.1f} ms, "
            f"p95 {wall[int(len(wall) * 0.95)] * 1000:.1f} ms (Pilot press, harness included); "
            f"CPU median {statistics.median(cpu) * 1000:.1f} ms, p95 {cpu[int(len(cpu) * 0.95)] * 1000:.1f} ms"
        )
