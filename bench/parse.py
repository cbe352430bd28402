"""Parse time per bundled text report (aim: under 20 ms for a 100 KB report)."""

from __future__ import annotations

from functools import partial

from ofsted_reader.importers import parse_bytes
from ofsted_reader.reports import original_files as bundled_files

from . import summary, timed


def main() -> None:
    for path in bundled_files():
        data = path.read_bytes()
        times = timed(partial(parse_bytes, data, str(path)), repeat=30)
        print(f"{path.name:28} {len(data) / 1024:6.0f} KB  {summary(times)}")
