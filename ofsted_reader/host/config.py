"""The user's settings, from `config.json` in the data dir: typed, with every key optional.

    {"pdf_viewer": "zathura -P {page} {file}"}

A setting can also come from the environment, which wins (OFSTED_READER_PDF_VIEWER). A config file that cannot be
read or holds a value of the wrong type is reported (`Config.problems`, one line each) and otherwise ignored: a broken
setting must not stop the app from opening. The file is input like any other (core/bounded.py): a FIFO, a link to
/dev/zero or JSON nested 100,000 deep is a problem said, not a hang or a crash.

The viewer command is split into words here, once: a command that cannot be split (an unbalanced quote) or that
holds a character no command line can (a NUL) is a problem, and the system's opener is used instead.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, field

from ofsted_reader.core.bounded import InputError, read_json

from . import locations

PDF_VIEWER_VARIABLE = "OFSTED_READER_PDF_VIEWER"
MAX_BYTES = 64 * 1024  # a settings file is a few lines


@dataclass
class Config:
    pdf_viewer: str | None = None  # a command with {file} and optionally {page}; None: the system's opener
    problems: list[str] = field(default_factory=list)
    # pdf_viewer split into words, checked: what the viewer runs (None: the system's opener)
    viewer_words: list[str] | None = None

    @classmethod
    def load(cls) -> Config:
        config = cls()
        path = locations.config_file()
        body: object = {}
        try:
            body = read_json(path, MAX_BYTES, "a settings file", max_depth=8, max_items=1_000)
            if not isinstance(body, dict):
                raise InputError("not a JSON object")
        except FileNotFoundError:
            body = {}
        except InputError as error:
            config.problems.append(f"{path}: cannot be read ({error}); its settings are ignored")
            body = {}
        assert isinstance(body, dict)
        viewer = body.get("pdf_viewer")
        if viewer is not None and not isinstance(viewer, str):
            config.problems.append(f'{path}: pdf_viewer must be a command as a string, e.g. "evince {{file}}"')
        elif viewer:
            config.pdf_viewer = viewer
        where = str(path)
        if os.environ.get(PDF_VIEWER_VARIABLE):
            config.pdf_viewer, where = os.environ[PDF_VIEWER_VARIABLE], PDF_VIEWER_VARIABLE
        if config.pdf_viewer:
            words, problem = viewer_words(config.pdf_viewer)
            if problem:
                config.problems.append(f"{where}: the PDF viewer command {problem}; the system's opener is used")
                config.pdf_viewer = None
            config.viewer_words = words
        return config


def viewer_words(command: str) -> tuple[list[str] | None, str | None]:
    """A viewer command's words, or what is wrong with it."""
    if any(ord(c) < 32 and c not in "\t" for c in command):
        return None, "holds a control character (a NUL or a line break); write it on one line"
    try:
        words = shlex.split(command)
    except ValueError as error:  # "No closing quotation"
        return None, f"cannot be read ({str(error).lower()}); check its quotes"
    if not words:
        return None, "is empty"
    return words, None
