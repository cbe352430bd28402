"""Every path the app uses, in one place. OFSTED_READER_HOME overrides the platform's user data dir."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "ofsted-reader"
HOME_VARIABLE = "OFSTED_READER_HOME"


def data_dir() -> Path:
    override = os.environ.get(HOME_VARIABLE)
    path = Path(override).expanduser() if override else Path(user_data_dir(APP_NAME, appauthor=False))
    return path


def _ensure(path: Path) -> Path:
    """The folder, made if missing. A file where the folder should be (a cache replaced by accident) is moved aside,
    not left to fail every start."""
    if path.exists() and not path.is_dir():
        import time

        path.rename(path.with_name(f"{path.name}.not-a-folder-{time.strftime('%Y%m%dT%H%M%S')}"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """Parsed reports as JSON, named by the content hash of their source file."""
    return _ensure(data_dir() / "cache")


def imported_dir() -> Path:
    """Copies of the reports the user imported, so the library survives the originals moving."""
    return _ensure(data_dir() / "library")


def manifest_file() -> Path:
    return data_dir() / "library.json"


def outlines_file() -> Path:
    """Every report's section tree, by content hash: read when the tree first shows sections, not at start-up."""
    return data_dir() / "library-outlines.json"


def shipped_seen_file() -> Path:
    """The shipped reports' content hashes as this data dir last saw them: notes follow a report the app's new
    version ships changed (store/library/upgrades.py)."""
    return data_dir() / "shipped-seen.json"


def annotations_file() -> Path:
    return data_dir() / "annotations.json"


def notes_journal() -> Path:
    """Notes just added, before the next change folds them into annotations.json (store/notes/journal.py)."""
    return data_dir() / "annotations.added.jsonl"


def has_notes_files() -> bool:
    """Whether any note was ever written here: a new note may be in the journal alone."""
    return annotations_file().exists() or notes_journal().exists()


def config_file() -> Path:
    """Settings: {"pdf_viewer": "zathura -P {page} {file}"} (ofsted_reader.host.config)."""
    return data_dir() / "config.json"


def keymap_file() -> Path:
    """Keys remapped by binding id: {"app.copy": "c"}."""
    return data_dir() / "keymap.json"


def sources_file() -> Path:
    """Where fetched reports came from (URL, URN) and which publications fetch has seen."""
    return data_dir() / "sources.json"


def downloads_dir() -> Path:
    """PDFs being fetched, until the library has imported them."""
    return _ensure(data_dir() / "downloads")


def state_file() -> Path:
    """Where the app reopens: last report, section, paragraph, bookmarks."""
    return data_dir() / "state.json"


def drafts_dir() -> Path:
    """Notes being typed, saved as the user types, so a crash or a lost terminal never loses them."""
    return _ensure(data_dir() / "drafts")


def exports_dir() -> Path:
    """Where the app saves exports (notes, comparisons, grades) unless told otherwise."""
    return _ensure(data_dir() / "exports")


def trail_links_file() -> Path:
    """Matches of the improvement trail the user confirmed or unlinked."""
    return data_dir() / "trail-links.json"
