"""The reports that ship with the app, so that a fresh install opens a real library.

Crown copyright (Ofsted). Reproduced without adaptation for non-commercial purposes; the source and date of
publication of each report are stated in README.md and in the report itself.
"""

from pathlib import Path

BUNDLED_DIR = Path(__file__).resolve().parent


def bundled_files() -> list[Path]:
    return sorted(p for p in BUNDLED_DIR.iterdir() if p.suffix.lower() in {".txt", ".pdf"})
