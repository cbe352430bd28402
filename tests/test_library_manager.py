"""Managing the library from inside the app: import a file or folder (I), fetch the authority under the cursor from
Ofsted (F, against a local server), open a report's PDF at the paragraph's page (O), a report's sources (i)."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from ofsted_reader.tui.dialogs.about import About
from ofsted_reader.tui.dialogs.path_prompt import PathPrompt
from ofsted_reader.tui.widgets.library_tree import LibraryTree

from .conftest import (
    CORPUS,
    INSPECTIONS,
    PDFS,
    eventually,
    make_app,
    open_at,
    settle,
    told,
    type_in,
    viewer_recording_to,
)
from .test_fetch import LAMBETH, site  # noqa: F401  (the local Ofsted site fixture)


async def test_import_a_folder_from_the_app_with_path_completion(isolated_home, tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    for source in (PDFS / "bury-2021.pdf", CORPUS / "halton-2020-apr-15.pdf"):
        (folder / source.name).write_bytes(source.read_bytes())
    (folder / "notes.docx").write_text("not a report")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("I")
        assert isinstance(app.screen, PathPrompt)
        await type_in(pilot, str(tmp_path / "down"))
        await settle(pilot)  # the completion is looked for in a worker
        await pilot.press("tab")  # completes the folder's name
        field = app.screen.query_one("#path-input", Input)
        assert field.value == str(folder) + "/"
        await pilot.press("enter")
        await settle(pilot)
        authorities = [e.authority for e in app.library.entries()]
        assert "Bury" in authorities and "Halton" in authorities and len(authorities) == 6
        rows = [node.label.plain for node in app.main.query_one(LibraryTree).root.children]
        assert any("Bury" in row for row in rows)
        assert "2 imported, 0 replaced, 0 refused" in " | ".join(told(app))


async def test_a_file_that_is_not_a_report_is_refused_in_one_line_and_changes_nothing(isolated_home, tmp_path):
    html = tmp_path / "error.pdf"
    html.write_bytes((PDFS / "birmingham-2012-not-a-pdf.pdf").read_bytes())
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = app.library.ids()
        await pilot.press("I")
        await type_in(pilot, str(html))
        await pilot.press("enter")
        await settle(pilot)
        assert app.library.ids() == before
        shown = " | ".join(told(app))
        assert "0 imported, 0 replaced, 1 refused" in shown and "HTML page" in shown


async def test_fetch_the_authority_under_the_cursor_from_the_app(isolated_home, site):  # noqa: F811
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.library_work.fetch_site = site.url
        app.library_work.fetch_delay = 0
        app.library.import_file(CORPUS / "lambeth-2018-may-09.pdf")
        app.main.reload_tree()
        await pilot.pause()
        tree = app.main.query_one(LibraryTree)
        tree.focus()
        tree.cursor_line = next(n.line for n in tree.root.children if "Lambeth" in n.label.plain)
        await pilot.press("F")
        await pilot.press("y")
        await settle(pilot)
        lambeth = sorted(e.id for e in app.library.entries() if e.authority_code == LAMBETH.code)
        assert lambeth == ["lambeth-2018-05-09", "lambeth-focused-visit-2021-12-01", "lambeth-focused-visit-2023-08-01"]
        # The local site dates every publication 1 August 2023, so the inspection imported by hand is not known as
        # the same publication: fetched again, it replaces the copy (the same report: one id, no duplicate).
        assert "Lambeth: 3 fetched, 0 already in the library, 0 failed" in " | ".join(told(app))
        assert app.library.load("lambeth-focused-visit-2021-12-01").source_url.startswith(site.url)


@pytest.mark.slow
async def test_O_opens_the_pdf_at_the_page_of_the_paragraph_under_the_cursor(isolated_home, tmp_path, monkeypatch):
    record = tmp_path / "viewer.txt"
    monkeypatch.setenv("OFSTED_READER_PDF_VIEWER", viewer_recording_to(record))
    monkeypatch.setenv("OFSTED_READER_BUNDLED", "all")
    app = make_app(first_run=False)
    async with app.run_test(size=(120, 40)) as pilot:
        report_id = next(e.id for e in app.library.entries() if (e.original or "").endswith("barnsley-2023-10-27.pdf"))
        report = app.library.load(report_id)
        paragraph = next(p for p in report.paragraphs if p.page and p.page >= 4)
        await open_at(pilot, paragraph.id)
        await pilot.press("O")
        await eventually(pilot, lambda: record.exists() and record.read_text())
        assert record.read_text().splitlines() == [str(paragraph.page), str(INSPECTIONS / "barnsley-2023-10-27.pdf")]
        await pilot.press("i")
        assert isinstance(app.screen, About)
        about = app.screen.body().plain
        assert "Ofsted URN    80426" in about and "https://files.ofsted.gov.uk/v1/file/50231520" in about
        assert "Published     27 October 2023" in about and "Crown copyright" in about
        await settle(pilot)
