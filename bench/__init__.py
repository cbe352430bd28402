"""Benchmarks, run with `python bench/run.py`."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(func: Callable[[], object], repeat: int = 20) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, n={len(times)}"


def _parse() -> None:
    from bench.parse import main

    main()


def _notes() -> None:
    from bench.notes import main

    main()


def _pdf() -> None:
    from bench.pdf import main

    main()


def _tui() -> None:
    from bench.tui import main

    main()


def _search() -> None:
    from bench.search import main

    main()


def _importing() -> None:
    from bench.importing import main

    main()


def _firststart() -> None:
    from bench.firststart import main

    main()


def _repeats() -> None:
    from bench.repeats import main

    main()


def _national() -> None:
    from bench.national import main

    main()


def _codebook() -> None:
    from bench.codebook import main

    main()


def _hostile() -> None:
    from bench.hostile import main

    main()


def _corpus() -> None:
    from pathlib import Path

    from bench.corpus import main

    data = Path(__file__).resolve().parent.parent / "tests" / "data"
    main([str(data / "corpus"), str(data / "pdf")])


def _record() -> None:
    from bench.record import main

    main()


def _corpus_other() -> None:
    from bench.corpus_other import main

    main([])


BENCHES: dict[str, Callable[[], None]] = {
    "parse": _parse,
    "pdf": _pdf,
    "notes": _notes,
    "tui": _tui,
    "search": _search,
    "importing": _importing,
    "repeats": _repeats,
    "corpus": _corpus,
    "firststart": _firststart,
    "national": _national,
    "codebook": _codebook,
    "record": _record,
    "corpus_other": _corpus_other,
    "hostile": _hostile,
}
