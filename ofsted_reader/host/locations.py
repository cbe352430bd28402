"""Every path the app uses, in one place. OFSTED_READER_HOME overrides the platform's user data dir."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "ofsted-reader"
HOME_VARIABLE = "OFSTED_READER_HOME"


def data_dir() -> Path:
    override = os.environ.get(HOME_VARIABLE)
    return Path(override).expanduser() if override else Path(_user_data_dir())


def _user_data_dir() -> str:
    """The platform's user data dir for the app, as platformdirs gives it. On Linux, the plain XDG case is worked
    out here: importing platformdirs was 7 ms of `search`'s 60. Anything else (another platform, Android, a relative
    XDG_DATA_HOME or HOME, which platformdirs versions read differently) is platformdirs' to answer."""
    if sys.platform == "linux" and not _android():
        xdg = os.environ.get("XDG_DATA_HOME", "")
        if os.path.isabs(xdg):
            return os.path.join(xdg, APP_NAME)
        home = os.environ.get("HOME", "")
        if not xdg.strip() and os.path.isabs(home):
            return os.path.join(os.path.expanduser("~/.local/share"), APP_NAME)
    from platformdirs import user_data_dir

    return user_data_dir(APP_NAME, appauthor=False)


def _android() -> bool:
    # platformdirs' own test of an Android app, which has a data dir of another kind.
    return hasattr(sys, "getandroidapilevel") or (
        os.environ.get("ANDROID_DATA") == "/data" and os.environ.get("ANDROID_ROOT") == "/system"
    )


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


def search_index_file() -> Path:
    """The search index (store/library/search_index.py): derived from the library, rebuilt when lost."""
    return cache_dir() / "search.sqlite"


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
