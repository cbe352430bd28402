from __future__ import annotations

import io
import os
import subprocess
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any, TypeVar

import pytest

# The four 2009-2012 reports as the bundled library, for every test and module fixture: small and quick to index.
# Tests of the national library that ships by default set "all".
os.environ["OFSTED_READER_BUNDLED"] = "historic"

T = TypeVar("T")

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
# The four bundled 2009-2012 reports, by the letter the tests call them.
W = "warwickshire-2011-12-16"  # the report most app tests read (its p71 is about health agencies)
D = "derby-2011-06-27"
S = "wiltshire-2012-04-24"
O = "worcestershire-2010-11-12"
# make_app's notes_watch_seconds for a test that waits for the app to see notes changed outside it: the app itself
# looks once a second, which such a test would wait for each time.
WATCH_OFTEN = 0.05


def told(app, severity: str | None = None) -> list[str]:
    """What the app told the user in notifications (those of one severity, if given), oldest first."""
    return [str(n.message) for n in app._notifications if severity is None or n.severity == severity]


def make_app(library=None, first_run: bool | None = None, warm: bool = True, notes_watch_seconds: float | None = None):
    """The app on the test's own data dir: its library (or the one given), notes and UI state. Every UI test builds
    its app here, so a change to how the app is put together is made once. A fresh data dir is a first run, which
    opens on the welcome dialog: tests of the national library see it, the others start past it (first_run=False
    unless they ask). The data dir starts warm (see _start_warm) unless `warm` is False. `notes_watch_seconds` sets
    how often the app looks for notes changed outside it: short for a test that waits for it, rather than a second
    a look, or long for one that makes it look when it says."""
    from ofsted_reader.store.library.library import Library
    from ofsted_reader.store.notes.annotations import AnnotationStore
    from ofsted_reader.store.uistate import UIState
    from ofsted_reader.tui.app import OfstedReaderApp

    if warm:
        _start_warm()
    state = UIState.load()
    if first_run is None:
        first_run = os.environ.get("OFSTED_READER_BUNDLED") == "all" and state.first_run
    state.first_run = first_run
    app = OfstedReaderApp(library=library or Library.open(), store=AnnotationStore(), state=state)
    if notes_watch_seconds is not None:
        app.main.notes_watch_seconds = notes_watch_seconds
    return app


@asynccontextmanager
async def opened_at(
    paragraph: str, size: tuple[int, int] = (100, 30), section: str | None = None, **app_options
) -> AsyncIterator[tuple[Any, Any]]:
    """`(app, pilot)`: the app (`make_app(**app_options)`) running at `size`, opened at `paragraph` (an id,
    `<report>/p71`, in `section` if given) and paused once: where most tests of the reader and of notes begin."""
    app = make_app(**app_options)
    async with app.run_test(size=size) as pilot:
        await open_at(pilot, paragraph, section)
        yield app, pilot


async def open_at(pilot, paragraph: str, section: str | None = None) -> None:
    """The running app's reader opened at `paragraph` (an id, `<report>/p71`, in `section` if given), then paused."""
    pilot.app.main.open_place(paragraph.split("/")[0], section, paragraph)
    await pilot.pause()


_WARM_CACHE: list[Path] = []  # this test process's parse cache and search index of the four 2009-2012 reports


def _start_warm() -> None:
    """The app's data dir as after its first start with the four 2009-2012 reports: parsed and indexed. Otherwise
    every app a test starts parses and indexes them again in the background, and Pilot's pauses, which wait until
    the process is idle, wait for that (about 0.3 s a test). Made once per test process; a data dir that has a
    search index already (a test's own library) is left as it is. The first start itself is tested with the
    national library (tests/test_national.py), whose fixture warms it for real."""
    import atexit
    import shutil
    import tempfile

    from ofsted_reader.host import locations

    if os.environ.get("OFSTED_READER_BUNDLED") != "historic":
        return
    home = locations.data_dir()
    if (home / "cache" / "search.sqlite").exists():
        return
    if not _WARM_CACHE:
        from ofsted_reader.store.library.library import Library
        from ofsted_reader.store.library.warmup import warm

        template = Path(tempfile.mkdtemp(prefix="ofsted-reader-warm-"))
        atexit.register(shutil.rmtree, template, True)
        saved = os.environ["OFSTED_READER_HOME"]
        os.environ["OFSTED_READER_HOME"] = str(template)
        try:
            made = Library.open()
            warm(made)
            made.close()
        finally:
            os.environ["OFSTED_READER_HOME"] = saved
        _WARM_CACHE.append(template / "cache")
    shutil.copytree(_WARM_CACHE[0], home / "cache", dirs_exist_ok=True)


async def settle(pilot) -> None:
    """Every worker of the app finished, then the app idle: what a test waits for after starting an import, a fetch
    or a search. A worker that failed does not fail the wait (Textual's `wait_for_complete` on the workers
    re-raises its error while it is still registered, which made tests flaky on a busy machine): the test asserts
    what the user was told. Workers a finishing worker starts are waited for too, as harlequin's
    `wait_for_workers` does."""

    import asyncio

    from textual.worker import WorkerState

    app = pilot.app
    for _ in range(1000):
        running = [w for w in app.workers if not w.is_finished]
        if not running:
            break
        started = [w for w in running if w.state != WorkerState.PENDING]
        if started:
            await asyncio.gather(*(w.wait() for w in started), return_exceptions=True)
        else:
            await asyncio.sleep(0.01)  # a worker queued but not yet started: give the loop a turn
    await pilot.pause()


async def eventually(pilot, holds: Callable[[], object], seconds: float = 30.0) -> None:
    """Waits until `holds()` is true, letting the app run meanwhile (never a blocking sleep): for what another process
    or a timer brings in. The deadline is generous because a loaded machine is slow, not because the wait is long."""
    import time

    deadline = time.monotonic() + seconds
    while not holds() and time.monotonic() < deadline:
        await pilot.pause(0.05)
    assert holds()


async def screen_after(pilot, kind: type[T], *keys: str) -> T:
    """The screen `keys` bring up (once the app has handled them), which must be a `kind`."""
    await pilot.press(*keys)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, kind)
    return screen


async def draft_kept(pilot) -> None:
    """Waits until the note editor has kept its draft on disk (0.4 s after the last change, later when busy)."""
    from ofsted_reader.store.notes.drafts import kept_drafts

    await eventually(pilot, kept_drafts)


def viewer_recording_to(record: Path) -> str:
    """An OFSTED_READER_PDF_VIEWER command that writes the page and file it is given to `record`, a line each."""
    import sys

    script = f"import sys; open({str(record)!r}, 'w').write(chr(10).join(sys.argv[1:]))"
    return f'{sys.executable} -c "{script}" {{page}} {{file}}'


def recorded(record: Path) -> list[str]:
    """What the viewer of `viewer_recording_to(record)` was given, once it has written it: it is another process,
    which a loaded machine starts late. For a test outside the app (in it, `eventually`)."""
    import time

    deadline = time.monotonic() + 30
    while not (record.exists() and record.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return record.read_text().splitlines()


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


def run_cli(
    *args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """`ofsted-reader ARGS` run in this process (`main(argv)`), answered as `subprocess.run` would: exit status,
    standard output, standard error. `env` adds to (or, with None values, removes from) the environment for the run.
    About 100 times quicker than a new interpreter; tests of what only a real process shows (a closed pipe, a kill,
    `python -m`) run one and are marked `subprocess`. An exception the CLI lets escape fails the test with its
    traceback, where a process would have printed it and exited 1."""
    from ofsted_reader.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    try:
        for key, value in (env or {}).items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        os.chdir(cwd or ROOT)
        with redirect_stdout(out), redirect_stderr(err):
            try:
                status = main([str(a) for a in args])
            except SystemExit as exit:  # argparse: --help, --version, a usage error
                status = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 2)
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)
    return subprocess.CompletedProcess(["ofsted-reader", *map(str, args)], status, out.getvalue(), err.getvalue())


def run_process(
    *args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """`python -m ofsted_reader.cli ARGS` in a new process, for what only a real process shows: the entry point, a
    closed pipe, a file that would block a read (with a timeout), a kill. Tests that use it are marked `subprocess`."""
    import sys

    return subprocess.run(
        [sys.executable, "-m", "ofsted_reader.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def cli():
    """The CLI in this process: `cli("search", "fostering")` gives returncode, stdout and stderr."""
    return run_cli


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test on the national library is slow whatever its module: the library is parsed and indexed first."""
    for item in items:
        if "national_home" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


def imported_home(tmp_path_factory: pytest.TempPathFactory, name: str, paths: list[Path]) -> Path:
    """A data dir with these report files imported, for a module fixture: made once, each test then copies it
    (`library_in`), as importing them again was a second or more a test."""
    from ofsted_reader.store.library.library import Library

    home = tmp_path_factory.mktemp(name)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OFSTED_READER_HOME", str(home))
        library = Library.open()
        for path in paths:
            library.import_file(path, save=False)
        library.save()
        library.close()
    return home


def library_in(home: Path, template: Path):
    """The test's own data dir (`home`) as a copy of `template`, opened as the library."""
    import shutil

    from ofsted_reader.store.library.library import Library

    shutil.copytree(template, home, dirs_exist_ok=True)
    return Library.open()


def run_folder(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """This test run's own temporary folder, which every xdist worker's folder sits in (never the parent of a run
    without workers: that is shared by every run on the machine)."""
    base = tmp_path_factory.getbasetemp()
    return base if worker_id == "master" else base.parent


def made_once(folder: Path, name: str, make: Callable[[], T]) -> T:
    """What `make` returns, made by the first test process to ask and read back (pickled) by the others: a fixture
    of a minute's work is not made again by every worker."""
    import pickle

    from filelock import FileLock

    path = folder / f"{name}.pickle"
    with FileLock(str(folder / f"{name}.lock")):
        if not path.exists():
            value = make()
            path.write_bytes(pickle.dumps(value))
            return value
    return pickle.loads(path.read_bytes())


@pytest.fixture(scope="session")
def national_home(tmp_path_factory, worker_id):
    """A data dir whose library is the national set as shipped, parsed and indexed once per test run (on every core,
    about 6 s): the first test process to need it makes it, under a lock, and the others wait for it. Tests copy it
    into their own data dir; nothing writes to it."""
    from filelock import FileLock

    from ofsted_reader.store.library.library import Library
    from ofsted_reader.store.library.warmup import warm

    shared = run_folder(tmp_path_factory, worker_id)
    home, ready = shared / "national-home", shared / "national-home.ready"
    with FileLock(str(shared / "national-home.lock")):
        if not ready.exists():
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("OFSTED_READER_HOME", str(home))
                patch.setenv("OFSTED_READER_BUNDLED", "all")
                made = Library.open()
                warm(made)
                # Closed, the index has no -wal or -shm file: left open, they vanish whenever this process collects
                # the library, in the middle of another process's copy.
                made.close()
            ready.touch()
    return home


@pytest.fixture
def library(isolated_home, national_home, monkeypatch):
    """The whole shipped record as a first start leaves it (parsed and indexed), in the test's own data dir. A test
    module with a library of its own defines its own `library`, which wins over this one."""
    import shutil

    from ofsted_reader.store.library.library import Library

    monkeypatch.setenv("OFSTED_READER_BUNDLED", "all")
    shutil.copytree(national_home, isolated_home, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*-wal", "*-shm"))
    return Library.open()


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Two test processes a core for `-n auto`: most tests drive the app, which spends much of a test waiting for
    the screen to settle, and a core would idle meanwhile (the inner loop: 63 s with one process a core, 42 s with
    two, on 2 cores). The slow fixtures are made once a run, not once a process (national_home)."""
    return 2 * (os.cpu_count() or 1)
