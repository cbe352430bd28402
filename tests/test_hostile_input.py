"""Hostile and unlucky input, through the command line and the app: no crash, one clear line, the text shown as it
is, and the notes file byte for byte unchanged wherever nothing was meant to change."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from textual.widgets import OptionList, TextArea

from ofsted_reader.importers import parse_bytes
from ofsted_reader.store.library.library import Library
from ofsted_reader.store.library.parse_cache import PARSER_VERSION
from ofsted_reader.store.notes.annotations import AnnotationStore
from ofsted_reader.tui.dialogs.chooser import Chooser
from ofsted_reader.tui.dialogs.confirm import Confirm
from ofsted_reader.tui.dialogs.note_editor import NoteEditor
from ofsted_reader.tui.widgets.notes_panel import NotesPanel

from .conftest import (
    PDFS,
    REPORTS,
    ROOT,
    WATCH_OFTEN,
    W,
    draft_kept,
    eventually,
    make_app,
    notes_state,
    open_at,
    opened_at,
    run_process,
    type_in,
)
from .conftest import run_cli as run

HOSTILE = "\x1b]52;c;aGVsbG8=\x07 [/bold] [link=https://x.test]x[/link] [@click=app.quit]quit[/] \x1b[2J end"


def notes_file(home):
    return home / "annotations.json"


def add_note(text, tag="evidence", paragraph=f"{W}/p71"):
    result = run("note", "add", paragraph, "--text", text, "--tag", tag)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


# --- what notes hold ----------------------------------------------------------------------------------------------


def test_markup_and_escape_sequences_in_notes_are_shown_as_text_by_the_cli():
    add_note(HOSTILE, tag="[/b]\x1b[2J")
    listing = run("note", "list")
    assert listing.returncode == 0
    assert "\x1b" not in listing.stdout and "␛]52;c;aGVsbG8=␇" in listing.stdout and "[/bold]" in listing.stdout
    tags = run("tag", "list")
    assert tags.returncode == 0 and "\x1b" not in tags.stdout and "␛[2j" in tags.stdout  # tags are lower-cased


def test_csv_export_neutralises_formulas_and_markdown_escapes_html():
    add_note('=HYPERLINK("http://x.test","click")')
    add_note("<script>alert(1)</script> and <img src=x onerror=alert(2)>", paragraph=f"{W}/p72")
    add_note("ends in a comment <!--", paragraph=f"{W}/p73")
    add_note("after the comment", paragraph=f"{W}/p74")
    rows = list(csv.DictReader(io.StringIO(run("export", "--csv").stdout)))
    assert {r["note"] for r in rows} >= {'\'=HYPERLINK("http://x.test","click")'}
    markdown = run("export").stdout
    assert "<script>" not in markdown and "&lt;script>" in markdown and "&lt;img src=x" in markdown
    assert "<!--" not in markdown and "&lt;!--" in markdown and "after the comment" in markdown


@pytest.mark.parametrize("content", [b"", b"   \n\t", b'{"notes": {"1": {"id": 5}}}', b"[]", b'{"notes": []}'])
def test_an_empty_or_wrong_shaped_notes_file_is_damaged_and_never_written_over(isolated_home, content):
    first = add_note("a real note")
    add_note("a second note", paragraph=f"{W}/p72")
    assert run("note", "edit", first, "--text", "a real note, edited").returncode == 0  # so there is a .bak
    backup = (isolated_home / "annotations.json.bak").read_bytes()
    notes_file(isolated_home).write_bytes(content)
    for command in (
        ["note", "list"],
        ["backup", "export", str(isolated_home / "out.json")],
        ["export"],
        ["tag", "list"],
    ):
        result = run(*command)
        assert result.returncode == 2, command
        assert "annotations file" in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    refused = run("note", "add", f"{W}/p75", "--text", "x")
    assert refused.returncode == 2
    assert notes_file(isolated_home).read_bytes() == content
    assert (isolated_home / "annotations.json.bak").read_bytes() == backup
    assert not (isolated_home / "out.json").exists()


def test_note_restore_shows_the_previous_version_then_puts_it_back(isolated_home):
    add_note("first")
    second = add_note("second", paragraph=f"{W}/p72")
    assert run("note", "rm", second).returncode == 0  # written twice: the .bak holds both notes
    notes_file(isolated_home).write_bytes(b"")
    shown = run("note", "restore")
    assert shown.returncode == 0 and "holds 2 notes" in shown.stdout and "first" in shown.stdout
    assert notes_file(isolated_home).read_bytes() == b""  # only shown
    restored = run("note", "restore", "--yes")
    assert restored.returncode == 0
    listing = run("note", "list", "--json")
    assert sorted(n["text"] for n in json.loads(listing.stdout)) == ["first", "second"]
    assert list(isolated_home.glob("annotations.replaced-*.json"))  # the damaged file is kept aside


@pytest.mark.parametrize(
    "bad",
    [
        {"text": None},
        {"tags": [1, 2]},
        {"report_id": 5},
        {"position": "3"},
        {"tags": "health"},
        {"id": ""},
    ],
)
def test_backup_import_refuses_a_malformed_note_and_changes_nothing(isolated_home, tmp_path, bad):
    add_note("mine")
    good = json.loads(run("note", "list", "--json").stdout)[0]
    backup = tmp_path / "in.json"
    incoming = [dict(good, id="a" * 32, text="fine"), {**dict(good, id="b" * 32), **bad}]
    incoming[1] = {k: v for k, v in incoming[1].items() if v is not None}
    backup.write_text(json.dumps({"format": "ofsted-reader-notes", "schema": 1, "notes": incoming}))
    before = notes_state(isolated_home)
    result = run("backup", "import", str(backup))
    assert result.returncode == 2 and "note 2" in result.stderr and "nothing was imported" in result.stderr
    assert notes_state(isolated_home) == before
    assert run("note", "list").returncode == 0


def test_an_edit_based_on_an_old_revision_is_refused():
    note_id = add_note("v1")
    assert run("note", "edit", note_id, "--text", "v2", "--revision", "1").returncode == 0
    stale = run("note", "edit", note_id, "--text", "v3", "--revision", "1")
    assert stale.returncode == 2 and "changed elsewhere" in stale.stderr
    assert json.loads(run("note", "list", "--json").stdout)[0]["text"] == "v2"


# --- files and paths ----------------------------------------------------------------------------------------------


@pytest.mark.subprocess
def test_a_fifo_and_a_device_are_refused_not_read(tmp_path):
    fifo = tmp_path / "report.pdf"
    os.mkfifo(fifo)
    for path in (fifo, "/dev/zero"):
        result = run_process("import", str(path), timeout=30)  # a read that blocks would hang here
        assert result.returncode == 2 and "not a regular file" in result.stderr
        assert "Traceback" not in result.stderr


def test_odd_file_names_and_bad_files_do_not_stop_a_batch(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.pdf").write_bytes((PDFS / "bury-2021.pdf").read_bytes())
    os.close(os.open(os.fsencode(str(folder)) + b"/bad\xff-name.pdf", os.O_CREAT | os.O_WRONLY))
    with open(os.fsencode(str(folder)) + b"/bad\xff-name.pdf", "wb") as handle:
        handle.write(b"<!doctype html><html>error</html>")
    (folder / "empty.txt").write_bytes(b"")
    result = run("import", str(folder))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "bad?-name.pdf: this is an HTML page" in result.stderr and "empty.txt: the file is empty" in result.stderr
    assert "1 imported, 0 replaced, 2 refused" in result.stdout


@pytest.mark.subprocess
def test_a_table_rule_of_thousands_of_dashes_is_read_in_linear_time():
    text = (REPORTS / "derby-2011.txt").read_text(encoding="utf-8") + "\n" + "-" * 3000 + "a\n"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from ofsted_reader.importers import parse_bytes; "
            "parse_bytes(sys.stdin.buffer.read(), 'x.txt')",
        ],
        input=text.encode(),
        cwd=ROOT,
        timeout=20,
    )
    assert result.returncode == 0


def test_utf16_text_reports_are_decoded():
    text = (REPORTS / "wiltshire-2012.txt").read_text(encoding="utf-8")
    utf16 = parse_bytes(text.encode("utf-16"), "wiltshire-utf16.txt")
    assert [p.text for p in utf16.paragraphs] == [p.text for p in parse_bytes(text.encode(), "w.txt").paragraphs]


def test_a_damaged_pdf_is_named_as_such(tmp_path):
    data = (PDFS / "bury-2021.pdf").read_bytes()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(data[:2000])
    result = run("parse", str(broken))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "damaged PDF" in result.stderr or "no text layer" in result.stderr


def test_markup_in_a_report_authority_name_is_shown_as_text(tmp_path):
    text = (REPORTS / "derby-2011.txt").read_text(encoding="utf-8")
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(text.replace("Derby", "[/b]Nowhere", 3), encoding="utf-8")
    assert run("import", str(hostile)).returncode == 0
    listing = run("list")
    assert listing.returncode == 0 and "[/b]Nowhere" in listing.stdout
    assert run("grades").returncode == 0


# --- caches -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("manifest", [b"[]", b"null", b"{", b'{"version": [2, 4], "reports": [{"id": 1}]}'])
def test_a_damaged_manifest_is_rebuilt(isolated_home, manifest):
    """The user's manifest lists what they imported (the shipped reports have their own, in the package)."""
    assert run("import", str(PDFS / "bury-2021.pdf")).returncode == 0
    (isolated_home / "library.json").write_bytes(manifest)
    result = run("list", "--json")
    assert result.returncode == 0 and len(json.loads(result.stdout)) == 5
    rows = json.loads((isolated_home / "library.json").read_text())["reports"]
    assert [row["authority"] for row in rows] == ["Bury"]


def test_a_manifest_row_naming_an_unknown_framework_is_rebuilt(isolated_home):
    assert run("import", str(PDFS / "bury-2021.pdf")).returncode == 0
    manifest = isolated_home / "library.json"
    body = json.loads(manifest.read_text())
    body["reports"][0]["framework"] = "ilac"
    manifest.write_text(json.dumps(body))
    listed = {row["authority"]: row for row in json.loads(run("list", "--json").stdout)}
    assert listed["Bury"]["framework"] == "ilacs"


def test_a_cached_parse_naming_an_unknown_framework_or_timescale_is_parsed_again(isolated_home):
    library = Library.open(include_bundled=False)
    library.import_file(REPORTS / "warwickshire-2011.txt")  # parsed into the cache
    cached = isolated_home / "cache" / f"{library.entry(W).sha256[:32]}-v{PARSER_VERSION}.json"
    for field, value in (
        ("framework", "ilac"),
        ("recommendations", [{"service": None, "timescale": "soon", "text": "x"}]),
    ):
        data = json.loads(cached.read_text())
        data[field] = value
        cached.write_text(json.dumps(data))
        report = Library.open(include_bundled=False).load(W)
        assert report.framework == "slac" and report.recommendations[0].timescale == "immediately"


def test_corrupted_cache_files_and_a_cache_folder_replaced_by_a_file_heal(isolated_home):
    library = Library.open(include_bundled=False)
    library.import_file(REPORTS / "warwickshire-2011.txt")
    for cached in (isolated_home / "cache").glob("*.json"):
        cached.write_text('{"id": 5}')
    assert Library.open(include_bundled=False).load(W).id == W  # parsed again from the source
    cached = isolated_home / "cache" / f"{library.entry(W).sha256[:32]}-v{PARSER_VERSION}.json"
    assert json.loads(cached.read_text()).get("paragraphs")
    import shutil

    shutil.rmtree(isolated_home / "cache")
    (isolated_home / "cache").write_text("not a folder")
    result = run("list")
    assert result.returncode == 0 and (isolated_home / "cache").is_dir()
    assert library.entry(W) is not None


# --- the app ------------------------------------------------------------------------------------------------------


async def test_the_app_shows_hostile_notes_literally_and_survives_every_panel():
    store = AnnotationStore()
    report = Library.open().load(W)
    store.add(report, f"{W}/p71", HOSTILE, ["[/b]"])
    store.add(report, f"{W}/p71", "", [])  # an empty note beside it: "Which note?" must not crash
    async with opened_at(f"{W}/p71", size=(120, 40)) as (app, pilot):
        await pilot.press("e")
        assert isinstance(app.screen, Chooser)
        labels = [str(app.screen.query_one(OptionList).get_option_at_index(i).prompt) for i in range(2)]
        assert any("[/bold]" in label and "␛]52" in label for label in labels) and "(empty note)" in labels
        await pilot.press("escape")
        await pilot.press("d")
        await pilot.press("escape")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NotesPanel)
        await pilot.press("escape")
        await pilot.press("colon", *"[/b]", "enter")  # go to a paragraph called "[/b]"
        await pilot.pause()
        assert app.is_running


async def test_escape_on_a_changed_note_asks_and_keeps_the_text():
    async with opened_at(f"{W}/p71", size=(120, 40)) as (app, pilot):
        await pilot.press("a", *"half a thought")
        await pilot.press("escape")
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one("#note-text", TextArea).text == "half a thought"
        await pilot.press("escape", "y")
        assert not isinstance(app.screen, NoteEditor) and app.store.all() == []


async def test_a_failed_save_keeps_the_editor_open_with_the_text(isolated_home):
    async with opened_at(f"{W}/p71", size=(120, 40)) as (app, pilot):
        await pilot.press("a", *"precious words")
        notes_file(isolated_home).write_bytes(b"")  # the file is damaged under the app's feet
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one("#note-text", TextArea).text == "precious words"
        assert "Not saved" in str(app.screen.query_one("#note-problem").render())
    assert notes_file(isolated_home).read_bytes() == b""


async def test_a_draft_survives_the_app_dying_before_it_was_saved():
    async with opened_at(f"{W}/p71", size=(120, 40)) as (_, pilot):
        await pilot.press("a")
        await type_in(pilot, "typed then the terminal closed")
        await draft_kept(pilot)
    async with opened_at(f"{W}/p71", size=(120, 40)) as (again, pilot):  # a new app, as after a crash
        await pilot.press("a")
        await pilot.pause()
        assert again.screen.query_one("#note-text").text == "typed then the terminal closed"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [n.text for n in AnnotationStore().all()] == ["typed then the terminal closed"]


async def test_an_edit_never_silently_overwrites_a_change_made_meanwhile():
    store = AnnotationStore()
    report = Library.open().load(W)
    note = store.add(report, f"{W}/p71", "original", [])
    async with opened_at(f"{W}/p71", size=(120, 40)) as (app, pilot):
        await pilot.press("e", "end", *" (mine)")
        AnnotationStore().edit(note.id, text="changed from the command line")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)  # refused, the user chooses
        assert "changed elsewhere" in str(app.screen.query_one("#note-problem").render())
        assert AnnotationStore().get(note.id).text == "changed from the command line"
        await pilot.press("ctrl+s")  # the user chose to save over it
        await pilot.pause()
    assert AnnotationStore().get(note.id).text == "original (mine)"


async def test_the_app_shows_notes_changed_outside_it():
    async with opened_at(f"{W}/p71", size=(120, 40), notes_watch_seconds=WATCH_OFTEN) as (app, pilot):
        assert "0 notes" in str(app.query_one("#titlebar").render())
        AnnotationStore().add(Library.open().load(W), f"{W}/p71", "from the CLI", [])
        await eventually(pilot, lambda: "0 notes" not in str(app.query_one("#titlebar").render()))
        assert "1 note" in str(app.query_one("#titlebar").render()) and "1 notes" not in str(
            app.query_one("#titlebar").render()
        )
        assert app.query_one("Reader").blocks[app.query_one("Reader").cursor].notes


async def test_an_unhandled_error_gives_a_non_zero_exit_code():
    app = make_app()

    def boom() -> None:
        raise RuntimeError("boom")

    app.main.action_copy = boom  # an action that fails in a way nothing foresaw
    with pytest.raises(RuntimeError, match="boom"):  # the test harness re-raises what stopped the app
        async with app.run_test(size=(100, 30)) as pilot:
            await open_at(pilot, f"{W}/p71")
            await pilot.press("y")
            await pilot.pause()
    assert app.return_code == 1  # tui.app.run() returns it as the process's exit status
