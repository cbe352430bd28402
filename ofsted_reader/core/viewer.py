"""Opening a report's original file (the published PDF) in the user's viewer, at a page.

The viewer is a command template from the config or OFSTED_READER_PDF_VIEWER, with {file} and {page} placeholders
("zathura -P {page} {file}", "evince -i {page} {file}", "okular -p {page} {file}"); without one, the system's opener
(xdg-open, open) shows the file at its first page.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from .config import PDF_VIEWER_VARIABLE


class ViewerError(Exception):
    """No viewer could be started; the message says what to set."""


HINT = f"set {PDF_VIEWER_VARIABLE} (or pdf_viewer in config.json) to a command such as 'zathura -P {{page}} {{file}}'"


def command_for(file: Path, page: int | None, template: str | None) -> tuple[list[str], bool]:
    """The command to run, and whether it opens at the page asked for."""
    if template:
        words = shlex.split(template)
        if not any("{file}" in word for word in words):
            words.append("{file}")
        at_page = any("{page}" in word for word in words)
        return [w.replace("{file}", str(file)).replace("{page}", str(page or 1)) for w in words], at_page
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    return [opener, str(file)], False


def open_file(file: Path, page: int | None, template: str | None) -> bool:
    """Start the viewer without waiting for it; True when it opens at the page. Raises ViewerError."""
    if not file.exists():
        raise ViewerError(f"{file}: the report's file is missing; import the report again")
    command, at_page = command_for(file, page, template)
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
    except OSError as error:
        raise ViewerError(f"{command[0]}: cannot be started ({error.strerror or error}); {HINT}") from None
    return at_page
