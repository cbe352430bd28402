"""Memos as a user meets them: written in an authority's overview (on the authority, or on one inspection), listed
there, edited and deleted; exported with the notes as Markdown, and as a QDA project from the export screen."""

from __future__ import annotations

import io
import zipfile

from textual.widgets import Input, OptionList, TextArea

from ofsted_reader.cli import main
from ofsted_reader.store.library.library import Library
from ofsted_reader.store.notes.annotations import AnnotationStore

from .conftest import D, make_app, type_in


def memo_lines(screen) -> list[str]:
    listing = screen.query_one("#authority-memos", OptionList)
    return [listing.get_option_at_index(i).prompt.plain for i in range(listing.option_count)] if listing.display else []


async def write_memo(pilot, key: str, text: str) -> None:
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.focused, TextArea)
    await type_in(pilot, text)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_memos_in_the_overview():
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        app.main.show_authority("Derby")
        await pilot.pause()
        screen = app.screen
        assert memo_lines(screen) == []  # no memos: no section
        await write_memo(pilot, "m", "Leadership churn & <turnover> since 2009")
        await write_memo(pilot, "M", "Read with the 2014 report")  # on the inspection under the cursor
        assert memo_lines(screen) == [
            "The authority: Leadership churn & <turnover> since 2009",
            "20 May 2011: Read with the 2014 report",
        ]
        memos = AnnotationStore().memos()
        assert [(m.authority, m.report_id) for m in memos] == [("831", None), (None, D)]
        # Enter on a memo edits it; d deletes it after asking.
        listing = screen.query_one("#authority-memos", OptionList)
        listing.focus()
        listing.highlighted = 1
        await pilot.press("enter")
        await pilot.pause()
        editor = app.screen.query_one(TextArea)
        assert editor.text == "Read with the 2014 report" and not app.screen.query_one("#note-tags").display
        editor.text = "Read with the 2014 SIF report"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert memo_lines(screen)[1] == "20 May 2011: Read with the 2014 SIF report"
        listing.focus()
        listing.highlighted = 0
        await pilot.press("d", "y")
        await pilot.pause()
        assert memo_lines(screen) == ["20 May 2011: Read with the 2014 SIF report"]
        assert len(AnnotationStore().memos()) == 1


async def test_export_screen_writes_a_qdpx(tmp_path):
    library = Library.open()
    derby = library.load(D)
    store = AnnotationStore()
    store.add(derby, derby.paragraphs[12].id, "Thresholds", ["practice/thresholds"])
    store.add_memo("On the report", report_id=derby.id)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        assert "## Memos" in app.screen.text and "On the report" in app.screen.text
        field = app.screen.query_one("#export-path", Input)
        field.value = str(tmp_path / "notes.md")
        await pilot.press("ctrl+f", "ctrl+f")  # .md -> .csv -> .qdpx
        assert field.value == str(tmp_path / "notes.qdpx")
        await pilot.press("ctrl+s")
        await pilot.pause()
    with zipfile.ZipFile(io.BytesIO((tmp_path / "notes.qdpx").read_bytes())) as archive:
        qde = archive.read("project.qde").decode()
    assert "PlainTextSelection" in qde and 'name="thresholds"' in qde and "On the report" in qde


def test_memos_in_the_markdown_export(capsys):
    library = Library.open()
    derby = library.load(D)
    store = AnnotationStore()
    store.add(derby, derby.paragraphs[12].id, "A note", ["evidence"])
    assert main(["memo", "add", "--authority", "derby", "--text", "# Not a heading <script>"]) == 0
    assert main(["memo", "add", "--report", "wiltshire", "--text", "Wiltshire memo"]) == 0
    capsys.readouterr()
    assert main(["export"]) == 0
    out = capsys.readouterr().out
    assert "## Memos" in out and "### On Derby (the authority)" in out and "\\# Not a heading &lt;script>" in out
    assert "### On Wiltshire, 24 April 2012" in out
    assert main(["export", "--tag", "evidence"]) == 0  # a filter keeps the memos that go with its notes
    out = capsys.readouterr().out
    assert "On Derby (the authority)" in out and "Wiltshire memo" not in out
    assert main(["memo", "add", "--authority", "Narnia", "--text", "x"]) == 2
    assert "not an English local authority" in capsys.readouterr().err
