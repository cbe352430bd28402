from __future__ import annotations

import os
from pathlib import Path

import pytest

# The four 2009-2012 reports as the bundled library, for every test and module fixture: small and quick to index.
# Tests of the national library that ships by default set "all".
os.environ["OFSTED_READER_BUNDLED"] = "historic"

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
PDFS = Path(__file__).resolve().parent / "data" / "pdf"
CORPUS = Path(__file__).resolve().parent / "data" / "corpus"  # 75 real reports, 2014-2026, with the peer's table
FOCUSED = Path(__file__).resolve().parent / "data" / "focused"  # 54 focused-visit letters, 2018-2025
# The national set the app ships (every authority's latest inspection and the visits since): tests read these copies
# rather than keep duplicates in tests/data.
INSPECTIONS = REPORTS / "national" / "inspections"
VISITS = REPORTS / "national" / "visits"
NATIONAL_PEER = Path(__file__).resolve().parent / "data" / "national-peer-judgements.csv"  # the peer's rows for them


def make_app(library=None, first_run: bool | None = None):
    """The app on the test's own data dir: its library (or the one given), notes and UI state. Every UI test builds
    its app here, so a change to how the app is put together is made once. A fresh data dir is a first run, which
    opens on the welcome dialog: tests of the national library see it, the others start past it (first_run=False
    unless they ask)."""
    from ofsted_reader.store.annotations import AnnotationStore
    from ofsted_reader.store.library import Library
    from ofsted_reader.store.uistate import UIState
    from ofsted_reader.tui.app import OfstedReaderApp

    state = UIState.load()
    if first_run is None:
        first_run = os.environ.get("OFSTED_READER_BUNDLED") == "all" and state.first_run
    state.first_run = first_run
    return OfstedReaderApp(library=library or Library.open(), store=AnnotationStore(), state=state)


async def type_in(pilot, text: str) -> None:
    """Text into the focused Input or TextArea in one insertion: what typing it gives, without the harness's 60 ms per
    key press (which made the suite minutes long). Tests of typing itself (search as you type) press the keys."""
    from textual.widgets import Input, TextArea

    widget = pilot.app.focused
    if isinstance(widget, TextArea):
        widget.insert(text)
    elif isinstance(widget, Input):
        widget.insert_text_at_cursor(text)
    else:
        raise AssertionError(f"nothing to type into: {widget!r} has the focus")
    await pilot.pause()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Every test gets its own user data dir: nothing touches the real one."""
    home = tmp_path / "home"
    monkeypatch.setenv("OFSTED_READER_HOME", str(home))
    monkeypatch.setenv("OFSTED_READER_BUNDLED", "historic")  # as set above, again after a test that changed it
    return home


def notes_state(home: Path) -> dict[str, bytes | None]:
    """The notes' files as bytes (None when absent): the main file and the journal of added notes."""
    return {
        name: (home / name).read_bytes() if (home / name).exists() else None
        for name in ("annotations.json", "annotations.added.jsonl")
    }


@pytest.fixture(scope="session")
def national_home(tmp_path_factory):
    """A data dir whose library is the national set as shipped, parsed and indexed once per test process (on every
    core, about 6 s). Tests copy it into their own data dir; nothing writes to it."""
    from ofsted_reader.store.library import Library
    from ofsted_reader.store.warmup import warm

    home = tmp_path_factory.mktemp("national-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OFSTED_READER_HOME", str(home))
        patch.setenv("OFSTED_READER_BUNDLED", "all")
        warm(Library.open())
    return home
