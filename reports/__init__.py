"""The reports that ship with the app, so that a fresh install opens the national library.

- `*.txt`: four reports of the 2009-2012 framework, as text extracted from the published PDFs (the historic record);
- `national/inspections/*.pdf`: every English local authority's latest children's services inspection (2022-2026);
- `national/visits/*.pdf`: the focused-visit letters published since those inspections;
- `national/sources.csv`: each national file's Ofsted URN, publication date and download URL;
- `manifest.json`: what the library needs to know of every file without parsing it (made by
  `python -m ofsted_reader.store.bundled`; a test fails when it is stale).

Crown copyright (Ofsted); see NOTICE.md. Reproduced without adaptation; each report's source and date of
publication are stated where the app shows it and in every export.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

BUNDLED_DIR = Path(__file__).resolve().parent
NATIONAL_DIR = BUNDLED_DIR / "national"
MANIFEST = BUNDLED_DIR / "manifest.json"


@dataclass(frozen=True)
class Source:
    """Where a shipped national file came from, as Ofsted lists it."""

    file: str  # relative to BUNDLED_DIR, with forward slashes
    kind: str  # "inspection" or "focused visit"
    urn: str | None
    published: str | None  # ISO date
    url: str | None  # Ofsted's download URL; the listing gives none for some visit letters


def bundled_files() -> list[Path]:
    """The 2009-2012 text reports first, then the national PDFs, each group in name order."""
    seeds = sorted(p for p in BUNDLED_DIR.iterdir() if p.suffix.lower() == ".txt")
    return seeds + sorted(NATIONAL_DIR.glob("*/*.pdf"))


def historic_files() -> list[Path]:
    """The four 2009-2012 reports alone (OFSTED_READER_BUNDLED=historic)."""
    return [p for p in bundled_files() if p.parent == BUNDLED_DIR]


def relative(path: Path) -> str:
    return path.relative_to(BUNDLED_DIR).as_posix()


def sources() -> dict[str, Source]:
    """The national files' sources by relative file name (national/inspections/x.pdf)."""
    path = NATIONAL_DIR / "sources.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            f"national/{row['file']}": Source(
                f"national/{row['file']}",
                row["kind"],
                row["urn"] or None,
                row["published"] or None,
                row["source_url"] or None,
            )
            for row in csv.DictReader(handle)
        }
