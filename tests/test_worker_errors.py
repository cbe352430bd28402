"""A background task that fails (indexing, an import, a search) is said in a notification and the app carries on:
Textual's default would exit on it."""

from __future__ import annotations

from ofsted_reader.tui.screens.search import SearchScreen

from .conftest import W, make_app, open_at, settle, told, type_in


async def import_in_the_app(app, pilot, path) -> None:
    """I, the path, enter: and wait until the import's worker is done."""
    await settle(pilot)
    await pilot.press("I")
    await type_in(pilot, str(path))
    await pilot.press("enter")
    await settle(pilot)


async def test_an_import_that_fails_is_said_and_the_app_carries_on(monkeypatch, tmp_path):
    import ofsted_reader.store.library.importing as importing

    def broken(paths):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(importing, "files_of", broken)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await import_in_the_app(app, pilot, tmp_path)
        assert app.is_running and app.return_code is None
        [said] = told(app, "error")
        assert "The import stopped: the disk went away" in said and "I imports the rest again" in said
        assert "importing" not in str(app.main.query_one("#titlebar").render())
        await pilot.press("slash")  # still usable
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)


async def test_a_search_that_fails_is_said_and_search_stays_open(monkeypatch):
    from ofsted_reader.core.search.engine import SearchIndex

    def broken(self, query, limit=50):
        raise ValueError("index file truncated")

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(SearchIndex, "search", broken)
        await pilot.press("slash")
        await pilot.pause()
        await type_in(pilot, "fostering")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, SearchScreen)
        [said] = told(app, "error")
        assert "The search failed: index file truncated" in said and "Try other words" in said


async def test_indexing_that_fails_is_said_and_reading_goes_on(monkeypatch):
    import ofsted_reader.store.library.warmup as warmup

    def broken(lib, progress=None, stopping=None):
        raise OSError("no space left on device")

    monkeypatch.setattr(warmup, "search_index", broken)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.is_running
        [said] = told(app, "error")
        assert "Search is unavailable" in said and "no space left on device" in said and "still work" in said
        await open_at(pilot, f"{W}/p71")
        assert app.main.report is not None and app.main.report.id == W


async def test_an_import_that_fails_partway_keeps_the_reports_read_before_it(monkeypatch, tmp_path):
    """The message says reports read before the failure are in the library: the tree lists them."""
    import shutil

    import ofsted_reader.store.library.importing as importing
    from ofsted_reader.tui.widgets.library_tree import LibraryTree

    from .conftest import CORPUS

    for name in ("barnsley-2014-aug-08.pdf", "durham-2016-may-16.pdf"):
        shutil.copy(CORPUS / name, tmp_path / name)
    real = importing.import_file

    def fails_on_durham(library, file, reanchor):
        if "durham" in str(file):
            raise RuntimeError("the disk went away")
        return real(library, file, reanchor)

    monkeypatch.setattr(importing, "import_file", fails_on_durham)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await import_in_the_app(app, pilot, tmp_path)
        [said] = told(app, "error")
        assert "The import stopped: the disk went away" in said
        tree = app.main.query_one(LibraryTree)
        shown = {node.data.report_id for node in tree.root.children if node.data is not None}
        assert any(report_id.startswith("barnsley-") for report_id in shown)
        assert not any(report_id.startswith("durham-") for report_id in shown)
