"""The reports that ship with the app, so that a fresh install opens every authority's history.

- `record/*.json.gz`: the complete record, each report as the importers read it (its structure, text and pages),
  one file per report, made from the published PDFs by `scripts/build_record.py` (a test fails when one is stale);
- `manifest.json`: what the library needs of each shipped report without opening it (its summary row and Ofsted
  source: URN, publication date, download URL), and `outlines.json`, each report's section tree;
- `*.txt`: the four 2009-2012 reports as text extracted from the published PDFs, and `national/*/*.pdf`: every
  authority's latest inspection and the visit letters since, as published: the originals `O` and `open` show offline.

Crown copyright (Ofsted); see NOTICE.md. Reproduced without adaptation; each report's source and date of
publication are stated where the app shows it and in every export.
"""

from __future__ import annotations

from pathlib import Path

BUNDLED_DIR = Path(__file__).resolve().parent
RECORD_DIR = BUNDLED_DIR / "record"
NATIONAL_DIR = BUNDLED_DIR / "national"
MANIFEST = BUNDLED_DIR / "manifest.json"
OUTLINES = BUNDLED_DIR / "outlines.json"


def historic_files() -> list[Path]:
    """The four 2009-2012 reports as text: originals, and what the build script parses for them."""
    return sorted(p for p in BUNDLED_DIR.iterdir() if p.suffix.lower() == ".txt")


def original_files() -> list[Path]:
    """Every original the app ships: the 2009-2012 text reports, then the national PDFs, each group in name order."""
    return historic_files() + sorted(NATIONAL_DIR.glob("*/*.pdf"))


def relative(path: Path) -> str:
    return path.relative_to(BUNDLED_DIR).as_posix()
