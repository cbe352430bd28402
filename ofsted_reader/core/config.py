"""The user's settings, from `config.json` in the data dir: typed, with every key optional.

    {"pdf_viewer": "zathura -P {page} {file}"}

A setting can also come from the environment, which wins (OFSTED_READER_PDF_VIEWER). A config file that cannot be
read or holds a value of the wrong type is reported (`Config.problems`) and otherwise ignored: a broken setting must
not stop the app from opening.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from . import locations

PDF_VIEWER_VARIABLE = "OFSTED_READER_PDF_VIEWER"


@dataclass
class Config:
    pdf_viewer: str | None = None  # a command with {file} and optionally {page}; None: the system's opener
    problems: list[str] = field(default_factory=list)

    @classmethod
    def load(cls) -> Config:
        config = cls()
        path = locations.config_file()
        if path.exists():
            try:
                body = json.loads(path.read_text(encoding="utf-8"))
                if not isinstance(body, dict):
                    raise ValueError("not a JSON object")
            except (OSError, ValueError) as error:
                config.problems.append(f"{path}: cannot be read ({error}); its settings are ignored")
                body = {}
            viewer = body.get("pdf_viewer")
            if viewer is not None and not isinstance(viewer, str):
                config.problems.append(f'{path}: pdf_viewer must be a command as a string, e.g. "evince {{file}}"')
            elif viewer:
                config.pdf_viewer = viewer
        config.pdf_viewer = os.environ.get(PDF_VIEWER_VARIABLE) or config.pdf_viewer
        return config
