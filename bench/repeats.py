"""Parse time of a text report whose body repeats one paragraph number (a table of figures read as paragraphs, or a
hostile file): `python bench/run.py repeats`. Linear means ten times the repeats takes about ten times as long."""

from __future__ import annotations

import time

from ofsted_reader.importers import parse_bytes
from ofsted_reader.reports import original_files as bundled_files

COUNTS = (10_000, 30_000, 100_000)


def main() -> None:
    report = next(path for path in bundled_files() if path.name.startswith("derby"))
    lines = report.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("12. ")) + 1  # in the body, after paragraph 12
    for count in COUNTS:
        data = "".join([*lines[:at], "12. word word word.\n" * count, *lines[at:]]).encode("utf-8")
        start = time.perf_counter()
        parsed = parse_bytes(data, report.name)
        seconds = time.perf_counter() - start
        print(
            f"{count:>7,} repeats of '12. word word word.'  {len(data) / 2**20:5.1f} MB  "
            f"{len(parsed.paragraphs):>7,} paragraphs  {seconds:6.2f} s  {seconds / count * 1e6:5.1f} µs a repeat"
        )
