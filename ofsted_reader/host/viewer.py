"""Opening a report's original file (the published PDF) in the user's viewer, at a page.

The viewer is a command template from the config or OFSTED_READER_PDF_VIEWER, with {file} and {page} placeholders
("zathura -P {page} {file}", "evince -i {page} {file}", "okular -p {page} {file}"); without one, the system's opener
(xdg-open, open) shows the file at its first page. The command was split into words when the config was read
(host/config.py); the file given is always the library's own copy (store/library/originals.py), an absolute path.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from .config import PDF_VIEWER_VARIABLE

# Viewers whose command line stops reading options at `--`: a file name after it is never taken for one.
TAKES_OPTIONS = {"zathura", "evince", "okular", "atril", "xreader", "qpdfview", "mupdf-gl"}
_PLACEHOLDER = re.compile(r"\{(file|page)\}")


class ViewerError(Exception):
    """No viewer could be started; the message says what to set."""


HINT = f"set {PDF_VIEWER_VARIABLE} (or pdf_viewer in config.json) to a command such as 'zathura -P {{page}} {{file}}'"


def command_for(file: Path, page: int | None, words: list[str] | None) -> tuple[list[str], bool]:
    """The command to run, and whether it opens at the page asked for. Each placeholder of the template is filled
    once: a `{page}` inside the file's path is part of the path, never a page."""
    file = Path(file).absolute()
    if words:
        words = list(words)
        if not any("{file}" in word for word in words):
            words.append("{file}")
        if (
            Path(words[0]).name in TAKES_OPTIONS
            and words[-1] == "{file}"
            and "--" not in words
            and sum("{file}" in w for w in words) == 1
        ):
            words.insert(len(words) - 1, "--")
        at_page = any("{page}" in word for word in words)
        values = {"file": str(file), "page": str(page or 1)}
        return [_PLACEHOLDER.sub(lambda m: values[m.group(1)], word) for word in words], at_page
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    return [opener, str(file)], False


def open_file(file: Path, page: int | None, words: list[str] | None) -> bool:
    """Start the viewer without waiting for it; True when it opens at the page. Raises ViewerError."""
    if page is not None and page < 1:
        raise ViewerError(f"page {page} is not a page; pages are numbered from 1")
    if not file.is_file():
        raise ViewerError(f"{file}: the report's file is missing; import the report again")
    command, at_page = command_for(file, page, words)
    if shutil.which(command[0]) is None:
        raise ViewerError(f"no viewer: {command[0]!r} is not installed or not on PATH; {HINT}")
    try:
        subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # the viewer outlives the app and never draws on its terminal
        )
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or error
        raise ViewerError(f"{command[0]}: cannot be started ({reason}); {HINT}") from None
    return at_page
