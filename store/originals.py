"""Where the library's own copy of a report's original PDF is: what `O` in the app and `open` on the command line
show. Never the path as typed at import (relative to wherever the import ran, and a name such as `--help.pdf` that
a viewer would read as an option): the copy the import made in the data dir, or the PDF the app ships."""

from __future__ import annotations

from pathlib import Path

from ofsted_reader.core import locations
from ofsted_reader.reports import BUNDLED_DIR

from .library import Entry


def local_pdf(entry: Entry) -> Path | None:
    """The library's copy of the report's PDF, as an absolute path; None when it has none (a report read from
    text, or a copy lost from the data dir)."""
    path = Path(entry.source).absolute()
    home = (BUNDLED_DIR if entry.bundled else locations.data_dir() / "library").absolute()
    if path.suffix.lower() != ".pdf" or not path.is_relative_to(home) or not path.is_file():
        return None
    return path
