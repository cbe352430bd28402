"""Faults injected under the notes: a full disk, short writes, a failing fsync, a journal cut or damaged, a main file
gone, a draft restored over a newer edit, hostile backups. Each asserts what a user would see: no note that was
acknowledged (an id printed, exit 0) is lost without a message, a refusal is one line with exit status 2 and no
traceback, and the files are as they were wherever nothing was saved.

The disk faults come from a shim over os.write and os.fsync (every byte the store writes goes through them: see
store/atomic.py write_all), so they run everywhere; a real full filesystem, a small tmpfs, is tried too where the
test may mount one (root on Linux).
"""

from __future__ import annotations

import errno
import functools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from textual.widgets import TextArea

from ofsted_reader import cli
from ofsted_reader.store.library.library import Library
from ofsted_reader.store.notes import backup as backup_module
from ofsted_reader.store.notes.annotations import AnnotationStore
from ofsted_reader.tui.dialogs.note_editor import NoteEditor

from .conftest import ROOT, W, draft_kept, make_app, notes_state, open_at, opened_at, settle, told, type_in


class Disk:
    """os.write and os.fsync for the files under `root` whose names `match`: as a full or failing disk has them."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, root: Path):
        self.root = str(root)
        self.room: int | None = None  # bytes that still fit; None: no limit
        self.chunk: int | None = None  # the most one write takes (a short write that is not an error)
        self.fsync_error: int | None = None  # an errno fsync raises
        self.match = lambda name: True
        self._write, self._fsync = os.write, os.fsync
        monkeypatch.setattr(os, "write", self.write)
        monkeypatch.setattr(os, "fsync", self.fsync)

    def _ours(self, fd: int) -> bool:
        try:
            path = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # no /proc: every file but the standard streams
            return fd > 2
        return path.startswith(self.root) and self.match(os.path.basename(path))

    def write(self, fd: int, data) -> int:
        if not self._ours(fd):
            return self._write(fd, data)
        data = bytes(data)[: self.chunk] if self.chunk else bytes(data)
        if self.room is not None:
            if self.room == 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            data = data[: self.room]
            self.room -= len(data)
        return self._write(fd, data)

    def fsync(self, fd: int) -> None:
        if self.fsync_error is not None and self._ours(fd):
            raise OSError(self.fsync_error, os.strerror(self.fsync_error))
        self._fsync(fd)

    def healthy(self) -> None:
        self.room, self.chunk, self.fsync_error = None, None, None


@pytest.fixture
def disk(monkeypatch, isolated_home):
    isolated_home.mkdir(parents=True, exist_ok=True)
    return Disk(monkeypatch, isolated_home)


@pytest.fixture
def run(capsys):
    """The CLI in this process (where the shim is), as (exit status, stdout, stderr); an uncaught exception fails."""

    def run(*args: str) -> tuple[int, str, str]:
        status = cli.main(list(args))
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return status, out, err

    return run


def add(run, text: str, paragraph: str = f"{W}/p71") -> str:
    status, out, err = run("note", "add", paragraph, "--text", text)
    assert status == 0, err
    return out.strip()


def listed(run) -> dict[str, str]:
    status, out, err = run("note", "list", "--json")
    assert status == 0, err
    return {note["id"]: note["text"] for note in json.loads(out)}


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


# --- a full disk, short writes, a failing fsync --------------------------------------------------------------------


@pytest.mark.parametrize("room", [0, 1, 40], ids=["no-room", "one-byte", "half-a-line"])
def test_an_add_on_a_full_disk_says_so_keeps_nothing_half_written_and_loses_nothing(run, disk, isolated_home, room):
    kept = [add(run, f"before {n}") for n in range(3)]
    before = notes_state(isolated_home)
    disk.room = room
    status, out, err = run("note", "add", f"{W}/p72", "--text", "never saved")
    assert status == 2 and out == "" and "disk is full" in one_line(err) and "nothing was saved" in err
    assert notes_state(isolated_home) == before  # no half line left for the next add to cut
    disk.healthy()
    kept.append(add(run, "after"))
    assert list(listed(run)) == kept


def test_short_writes_that_make_progress_still_save_the_whole_note(run, disk, isolated_home):
    disk.chunk = 7  # every write takes 7 bytes and says so
    note = add(run, "written seven bytes at a time")
    edited = run("note", "edit", note, "--text", "rewritten seven bytes at a time")  # write_atomic, too
    assert edited[0] == 0
    disk.healthy()
    assert listed(run) == {note: "rewritten seven bytes at a time"}


@pytest.mark.parametrize("code", [errno.EIO, errno.ENOSPC])
def test_an_fsync_that_fails_is_an_add_not_saved(run, disk, isolated_home, code):
    first = add(run, "first")
    before = notes_state(isolated_home)
    disk.fsync_error = code
    status, _, err = run("note", "add", f"{W}/p72", "--text", "not on the disk")
    assert status == 2 and "cannot save notes" in one_line(err)
    disk.healthy()
    assert notes_state(isolated_home) == before and list(listed(run)) == [first]


@pytest.mark.parametrize(
    "command",
    [["note", "edit", "{id}", "--text", "changed"], ["tag", "rename", "evidence", "proof"], ["note", "rm", "{id}"]],
    ids=["edit", "rename", "rm"],
)
def test_a_change_on_a_full_disk_changes_nothing_and_folds_nothing(run, disk, isolated_home, command):
    first = add(run, "one")
    run("note", "edit", first, "--tag", "evidence")
    second = add(run, "two, still in the journal")
    before = notes_state(isolated_home)
    disk.room = 100
    status, _, err = run(*[part.replace("{id}", first) for part in command])
    assert status == 2 and "disk is full" in one_line(err)
    assert notes_state(isolated_home) == before and not list(isolated_home.glob(".tmp-*"))
    disk.healthy()
    assert listed(run) == {first: "one", second: "two, still in the journal"}


def test_a_change_whose_check_record_cannot_be_written_is_still_saved(run, disk, isolated_home):
    note = add(run, "one")
    disk.match = lambda name: ".checked" in name  # only the record of the main file as last written
    disk.room = 0
    assert run("note", "edit", note, "--text", "edited")[0] == 0
    disk.healthy()
    assert add(run, "two") and listed(run)[note] == "edited"


class FullIndex(sqlite3.Connection):
    """A connection to an index on a full disk: every write transaction fails as sqlite fails it."""

    def execute(self, sql, *args):
        if sql.startswith("BEGIN"):
            raise sqlite3.OperationalError("database or disk is full")
        return super().execute(sql, *args)


@pytest.fixture
def index_disk_full(monkeypatch):
    monkeypatch.setattr(sqlite3, "connect", functools.partial(sqlite3.connect, factory=FullIndex))
    return monkeypatch


def test_search_on_a_full_disk_says_disk_full_in_one_line(run, index_disk_full):
    status, out, err = run("search", "foster", "carers")
    assert status == 2 and out == ""
    assert "search index" in one_line(err) and "disk is full" in err
    index_disk_full.undo()
    assert run("search", "foster", "carers")[0] == 0


def _mounted_tmpfs(where: Path, size: str) -> bool:
    if sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("mount"):
        return False
    where.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)]).returncode == 0


@pytest.mark.subprocess
@pytest.mark.slow
def test_a_real_full_filesystem_loses_no_acknowledged_note(tmp_path):
    home = tmp_path / "small"
    if not _mounted_tmpfs(home, "4m"):
        pytest.skip("a tmpfs can be mounted only as root on Linux")
    try:
        env = {**os.environ, "OFSTED_READER_HOME": str(home)}

        def real(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                [sys.executable, "-m", "ofsted_reader.cli", *args], capture_output=True, text=True, cwd=ROOT, env=env
            )

        assert real("note", "add", f"{W}/p71", "--text", "warm-up").returncode == 0  # the parse cache, the library
        filler = home / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:  # fill the filesystem, then give back a few notes' worth of space
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        os.truncate(filler, max(0, filler.stat().st_size - 3 * 4096))
        acknowledged, refused = [], 0
        for n in range(25):  # about ten fit
            result = real("note", "add", f"{W}/p72", "--text", f"note {n} " + "x" * 400)
            assert "Traceback" not in result.stderr
            if result.returncode == 0:
                acknowledged.append(result.stdout.strip())
            else:
                assert result.returncode == 2 and "disk is full" in result.stderr
                assert len(result.stderr.strip().splitlines()) == 1
                refused += 1
        searched = real("search", "foster")
        assert "Traceback" not in searched.stderr
        assert searched.returncode == 0 or "disk is full" in searched.stderr
        assert refused, "the filesystem never filled up"
        filler.unlink()
        listing = real("note", "list", "--json")
        assert listing.returncode == 0, listing.stderr
        assert set(acknowledged) <= {note["id"] for note in json.loads(listing.stdout)}
        assert real("note", "add", f"{W}/p73", "--text", "room again").returncode == 0
    finally:
        subprocess.run(["umount", str(home)])


# --- the journal cut or damaged --------------------------------------------------------------------------------


def test_a_journal_whose_last_line_lost_its_newline_keeps_that_note(run, isolated_home):
    first, second = add(run, "first"), add(run, "second, listed")
    journal = isolated_home / "annotations.added.jsonl"
    journal.write_bytes(journal.read_bytes().rstrip(b"\n"))
    assert list(listed(run)) == [first, second]
    third = add(run, "third")
    assert list(listed(run)) == [first, second, third]
    assert len(journal.read_bytes().splitlines()) == 3 and not list(isolated_home.glob("annotations.cut-*"))


def test_a_journal_cut_mid_file_says_so_keeps_the_cut_end_once_and_is_never_folded_silently(run, isolated_home):
    ids = [add(run, f"note {n}") for n in range(30)]
    journal = isolated_home / "annotations.added.jsonl"
    raw = journal.read_bytes()
    cut = int(len(raw) * 0.6)
    journal.write_bytes(raw[:cut])
    whole = raw[:cut].count(b"\n")
    status, out, err = run("note", "list")
    assert status == 0 and len(out.splitlines()) == whole
    warning = one_line(err)
    assert "not a whole note" in warning and "kept at" in warning
    kept = list(isolated_home.glob("annotations.cut-*.added.jsonl"))
    assert len(kept) == 1 and kept[0].read_bytes() == raw[raw.rfind(b"\n", 0, cut) + 1 : cut]
    for _ in range(3):  # every command says it; the copy is made once
        assert "not a whole note" in run("note", "list")[2]
    assert len(list(isolated_home.glob("annotations.cut-*"))) == 1
    status, _, err = run("note", "edit", ids[0], "--text", "edited")  # folds the journal: said, and the copy stays
    assert status == 0 and "not a whole note" in err
    assert not journal.exists() and kept[0].exists()
    assert list(listed(run)) == ids[:whole]
    assert run("note", "list")[2] == ""  # nothing more to say


def test_a_journal_cut_and_then_added_to_keeps_both_and_says_so(run, isolated_home):
    first = add(run, "first")
    journal = isolated_home / "annotations.added.jsonl"
    journal.write_bytes(journal.read_bytes() + b'{"id": "zz-cut-marker", "text": "cut sh')
    status, out, err = run("note", "add", f"{W}/p72", "--text", "second")
    assert status == 0 and "not a whole note" in err
    assert list(listed(run)) == [first, out.strip()]
    assert b"zz-cut-marker" not in journal.read_bytes()
    assert [p.read_bytes() for p in isolated_home.glob("annotations.cut-*")] == [
        b'{"id": "zz-cut-marker", "text": "cut sh'
    ]


def test_a_journal_damaged_mid_file_is_read_only_and_copied_aside_once(run, isolated_home):
    for n in range(5):
        add(run, f"note {n}")
    journal = isolated_home / "annotations.added.jsonl"
    lines = journal.read_bytes().splitlines(keepends=True)
    damaged = b"".join([*lines[:2], b"\x00\x00 not a note\n", *lines[3:]])
    journal.write_bytes(damaged)
    for command in (["note", "list"], ["note", "add", f"{W}/p72", "--text", "x"], ["tag", "list"]):
        status, _, err = run(*command)
        assert status == 2 and "annotations.added.jsonl line 3" in one_line(err)
    assert journal.read_bytes() == damaged
    assert len(list(isolated_home.glob("annotations.damaged-*.added.jsonl"))) == 1


def test_a_damaged_main_file_is_copied_aside_once_not_per_command(run, isolated_home):
    note = add(run, "one")
    run("note", "edit", note, "--text", "one, folded")
    main = isolated_home / "annotations.json"
    main.write_bytes(main.read_bytes()[:-5])
    for _ in range(4):
        assert run("note", "list")[0] == 2
    assert len(list(isolated_home.glob("annotations.damaged-*.json"))) == 1


def test_a_missing_main_file_beside_its_backup_is_damage_not_an_empty_store(run, isolated_home):
    ids = [add(run, f"note {n}") for n in range(3)]
    run("note", "edit", ids[0], "--text", "note 0, edited")  # folded: the main file holds three notes
    run("note", "edit", ids[1], "--text", "note 1, edited")  # and its .bak too
    main, bak = isolated_home / "annotations.json", isolated_home / "annotations.json.bak"
    saved = bak.read_bytes()
    main.unlink()
    for command in (
        ["note", "list"],
        ["note", "add", f"{W}/p72", "--text", "x"],
        ["note", "edit", ids[2], "--text", "y"],
        ["tag", "list"],
    ):
        status, _, err = run(*command)
        assert status == 2 and "is missing, but its previous version" in one_line(err) and "3 notes" in err
    assert not main.exists() and bak.read_bytes() == saved
    status, out, _ = run("note", "restore")
    assert status == 0 and "holds 3 notes" in out
    assert run("note", "restore", "--yes")[0] == 0
    assert sorted(listed(run).values()) == ["note 0, edited", "note 1", "note 2"]


def test_with_no_notes_at_all_the_store_is_simply_empty(run, isolated_home):
    status, out, err = run("note", "list")
    assert (status, out.strip(), err) == (0, "no notes", "")


# --- drafts ---------------------------------------------------------------------------------------------------


async def _edit_here(pilot, *keys: str) -> None:
    """The editor on the note of the paragraph the reader is at (then keys)."""
    await pilot.press("e", *keys)
    await pilot.pause()


async def _a_note_with_a_draft_left() -> str:
    """A note 'original', and a draft of an edit to it, ' (my draft)' typed, left by an app that died unsaved."""
    note = AnnotationStore().add(Library.open().load(W), f"{W}/p71", "original", [])
    async with opened_at(f"{W}/p71", size=(120, 40)) as (_, pilot):
        await _edit_here(pilot, "end")
        await type_in(pilot, " (my draft)")
        await draft_kept(pilot)
    return note.id


async def test_a_draft_restored_over_a_note_changed_since_asks_before_saving_over_it():
    note_id = await _a_note_with_a_draft_left()
    AnnotationStore().edit(note_id, text="edited from the command line")
    async with opened_at(f"{W}/p71", size=(120, 40)) as (app, pilot):
        await _edit_here(pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditor) and editor.query_one("#note-text", TextArea).text == "original (my draft)"
        assert "changed elsewhere since you began it" in str(editor.query_one("#note-problem").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is editor  # refused once, saying what the note holds now
        problem = str(editor.query_one("#note-problem").render())
        assert "changed elsewhere" in problem and "edited from the command line" in problem
        assert AnnotationStore().get(note_id).text == "edited from the command line"
        await pilot.press("ctrl+s")  # the user chose to save over it
        await pilot.pause()
        assert app.screen is not editor
    assert AnnotationStore().get(note_id).text == "original (my draft)"


async def test_a_draft_restored_over_an_unchanged_note_saves_at_once():
    note_id = await _a_note_with_a_draft_left()
    async with opened_at(f"{W}/p71", size=(120, 40)) as (app, pilot):
        await _edit_here(pilot)
        assert "Restored the draft" in str(app.screen.query_one("#note-problem").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, NoteEditor)
    stored = AnnotationStore().get(note_id)
    assert (stored.text, stored.revision) == ("original (my draft)", 2)


# --- hostile backups ----------------------------------------------------------------------------------------------


def _backup(run, tmp_path: Path, change, raw: bytes | None = None) -> Path:
    """A backup of the current notes, changed by change(notes) (or given as raw bytes)."""
    path = tmp_path / f"backup-{uuid.uuid4().hex[:6]}.json"
    assert run("backup", "export", str(path))[0] == 0
    if raw is not None:
        path.write_bytes(raw)
        return path
    body = json.loads(path.read_text(encoding="utf-8"))
    change(body["notes"])
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


def _set(**fields):
    def change(notes: list[dict]) -> None:
        notes[0].update(fields)

    return change


@pytest.mark.parametrize(
    "change, raw, said",
    [
        (None, b'{"format": "ofsted-reader-notes", "notes": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}", "JSON"),
        (_set(position=2**64), None, "'position'"),
        (_set(position=2**63), None, "'position'"),
        (_set(revision=-1), None, "'revision'"),
        (_set(span=[5, 2]), None, "'span'"),
        (None, "LONE", "JSON"),
        (_set(tags=["x" * 100_000]), None, "a tag"),
        (_set(tags=["#"]), None, "a tag"),
        (_set(updated="z"), None, "not a time"),
        (_set(updated="2024-05-01T09:30:00"), None, "not a time"),
        (_set(updated="9999-12-31T23:59:59+00:00"), None, "in the future"),
        (_set(text="x" * 1_000_001), None, "'text'"),
    ],
    ids=[
        "deep-nesting",
        "2**64",
        "2**63",
        "negative-revision",
        "backward-span",
        "lone-surrogate",
        "100KB-tag",
        "empty-tag",
        "time-z",
        "time-without-zone",
        "year-9999",
        "huge-text",
    ],
)
def test_a_hostile_backup_is_refused_in_one_line_and_changes_nothing(run, isolated_home, tmp_path, change, raw, said):
    note = add(run, "mine")
    if raw == "LONE":
        raw = (
            b'{"format": "ofsted-reader-notes", "notes": [{"id": "x", "report_id": "r", "text": "\\ud800", "tags": [],'
            b' "created": "2024-01-01T00:00:00+00:00", "updated": "2024-01-01T00:00:00+00:00", "orphan": true}]}'
        )
    path = _backup(run, tmp_path, change, raw)
    before = notes_state(isolated_home)
    status, _, err = run("backup", "import", str(path))
    assert status == 2 and said in one_line(err) and "nothing was imported" in err
    assert notes_state(isolated_home) == before and listed(run) == {note: "mine"}


def test_problems_in_several_notes_are_refused_in_one_list(run, isolated_home, tmp_path):
    for n in range(3):
        add(run, f"mine {n}")

    def change(notes: list[dict]) -> None:
        notes[0]["updated"] = "yesterday"
        notes[2]["tags"] = ["x" * 500]

    status, _, err = run("backup", "import", str(_backup(run, tmp_path, change)))
    line = one_line(err)
    assert status == 2 and "2 of 3 notes cannot be imported" in line and "note 1 " in line and "note 3 " in line


def test_a_backup_over_the_size_limit_is_refused_before_it_is_read(run, isolated_home, tmp_path):
    add(run, "mine")
    big = tmp_path / "big.json"
    with open(big, "wb") as handle:
        handle.truncate(backup_module.MAX_BYTES + 1)  # sparse: no need to write 64 MB
    before = notes_state(isolated_home)
    status, _, err = run("backup", "import", str(big))
    assert status == 2 and "too big for a notes backup" in one_line(err) and "64 MB" in err
    assert notes_state(isolated_home) == before


def test_imported_tags_take_the_apps_form_so_every_tag_command_finds_them(run, isolated_home, tmp_path):
    add(run, "mine")
    theirs = {"Evidence", "#Health", "has space", "a,b", "\u202eevil", "zero\u200bwidth"}

    def change(notes: list[dict]) -> None:
        notes[0].update(id="c" * 32, text="theirs", tags=sorted(theirs))

    status, out, err = run("backup", "import", str(_backup(run, tmp_path, change)))
    assert status == 0, err
    assert "'Evidence' -> 'evidence'" in out and "⟨U+202E⟩" in out and "\u202e" not in out
    status, out, _ = run("tag", "list", "--json")
    assert {row["tag"] for row in json.loads(out)} == {"evidence", "health", "has-space", "a-b", "evil", "zerowidth"}
    assert run("tag", "rm", "Evidence")[0] == 0  # the name as the backup had it finds the tag
    assert run("tag", "rename", "has-space", "spaced")[0] == 0
    status, out, _ = run("tag", "list", "--json")
    assert {row["tag"] for row in json.loads(out)} == {"health", "spaced", "a-b", "evil", "zerowidth"}


def test_newer_wins_compares_times_not_strings(run, isolated_home, tmp_path):
    note = add(run, "mine")
    run("note", "edit", note, "--text", "mine, edited at a known time")
    main = isolated_home / "annotations.json"
    body = json.loads(main.read_text())
    next(iter(body["notes"].values()))["updated"] = "2024-05-01T12:00:00+00:00"
    main.write_text(json.dumps(body))

    def older_elsewhere(notes: list[dict]) -> None:  # 11:30 UTC, though "13:30" sorts after "12:00"
        notes[0].update(text="theirs, older", updated="2024-05-01T13:30:00+02:00")

    status, out, _ = run("backup", "import", str(_backup(run, tmp_path, older_elsewhere)))
    assert status == 0 and "kept local 1" in out and listed(run)[note] == "mine, edited at a known time"

    def newer_elsewhere(notes: list[dict]) -> None:  # 12:30 UTC, though "11:30" sorts before "12:00"
        notes[0].update(text="theirs, newer", updated="2024-05-01T11:30:00-01:00")

    status, out, _ = run("backup", "import", str(_backup(run, tmp_path, newer_elsewhere)))
    assert status == 0 and "updated 1" in out and listed(run)[note] == "theirs, newer"


# --- what is shown --------------------------------------------------------------------------------------------------


def test_invisible_and_bidi_characters_in_notes_and_tags_are_shown(run, isolated_home):
    add(run, "pay \u202etnuocca\u202c now\u200b")
    status, out, _ = run("note", "list")
    assert status == 0 and "⟨U+202E⟩tnuocca⟨U+202C⟩ now⟨U+200B⟩" in out
    assert not any(ch in out for ch in "\u202e\u202c\u200b")


async def test_the_app_shows_invisible_characters_in_a_note():
    from textual.widgets import OptionList

    from ofsted_reader.tui.widgets.notes_panel import NotesPanel

    AnnotationStore().add(Library.open().load(W), f"{W}/p71", "see \u202eevil\u202c here", [])
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NotesPanel)
        options = app.screen.query_one("#notes-list", OptionList)
        shown = " ".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))
        assert "⟨U+202E⟩evil⟨U+202C⟩" in shown and "\u202e" not in shown


def test_import_prints_file_names_with_control_characters_made_visible(run, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ROOT / "reports" / "derby-2011.txt", folder / "derby\nimported 99 reports.txt")
    status, out, _ = run("import", str(folder))
    assert status == 0
    lines = out.splitlines()
    assert len(lines) == 2 and "derby␊imported 99 reports.txt" in lines[0] and lines[1].startswith("0 imported")


async def test_the_app_says_a_journal_was_cut_and_where_its_end_is_kept(isolated_home):
    report = Library.open().load(W)
    first = AnnotationStore().add(report, f"{W}/p71", "kept", [])
    journal = isolated_home / "annotations.added.jsonl"
    journal.write_bytes(journal.read_bytes() + b'{"id": "zz-cut-marker"')
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        said = [m for m in told(app) if "not a whole note" in m]
        assert len(said) == 1 and "kept at" in said[0]
        assert [n.id for n in app.store.all()] == [first.id]
        await open_at(pilot, f"{W}/p72")
        await pilot.press("a")
        await type_in(pilot, "added after the cut")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len([m for m in told(app) if "not a whole note" in m]) == 1  # said once
    assert len(AnnotationStore().all()) == 2 and len(list(isolated_home.glob("annotations.cut-*"))) == 1


async def test_the_app_says_the_search_index_cannot_be_written_and_keeps_running(index_disk_full):
    app = make_app(warm=False)  # a first start: the index is written then
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        await settle(pilot)
        assert any("disk is full" in m for m in told(app))
        assert app.is_running


def test_tags_stored_in_another_form_are_found_by_name_and_never_split(run, isolated_home):
    """Notes imported before tags were normalised on import may hold 'Evidence' or 'has space'."""
    first, second = add(run, "one"), add(run, "two")
    run("note", "edit", first, "--tag", "keep")  # folds: both notes in the main file
    main = isolated_home / "annotations.json"
    body = json.loads(main.read_text())
    for note in body["notes"].values():
        note["tags"] = ["Evidence", "has space", "keep"] if note["id"] == first else ["has space"]
    main.write_text(json.dumps(body))
    assert run("tag", "rename", "keep", "kept")[0] == 0
    out = run("tag", "list", "--json")[1]
    assert {row["tag"]: row["count"] for row in json.loads(out)} == {"Evidence": 1, "has space": 2, "kept": 1}
    assert run("tag", "rm", "Evidence")[0] == 0
    assert run("tag", "rename", "has-space", "spaced")[0] == 0  # found by its form
    out = run("note", "list", "--json")[1]
    assert {n["id"]: n["tags"] for n in json.loads(out)} == {first: ["spaced", "kept"], second: ["spaced"]}


# --- the importer on repeated paragraph numbers ------------------------------------------------------------------


def test_repeated_paragraph_numbers_get_unique_ids_in_order():
    from ofsted_reader.importers.ids import paragraph_ids, section_ids

    assert paragraph_ids("r", [12, 12, None, 12, 13, None]) == ["r/p12", "r/p12-2", "r/u1", "r/p12-3", "r/p13", "r/u2"]
    ids = paragraph_ids("r", [12] * 50_000)
    assert len(set(ids)) == 50_000 and ids[-1] == "r/p12-50000"
    # A heading whose slug ends as a suffix would ('A 2' is 'a-2') takes the next free one.
    assert section_ids("r", [("A", None), ("A 2", None), ("A", None), ("A", None)]) == [
        "r/a",
        "r/a-2",
        "r/a-3",
        "r/a-4",
    ]
    assert section_ids("r", [("A", None), ("A", None), ("A 2", None)]) == ["r/a", "r/a-2", "r/a-2-2"]


@pytest.mark.subprocess
def test_a_text_report_with_thousands_of_repeats_of_one_number_parses():
    """30,000 repeats took three minutes (bench/repeats.py measures it; this only has to finish)."""
    lines = (ROOT / "reports" / "derby-2011.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("12. ")) + 1
    text = "".join([*lines[:at], "12. word word word.\n" * 30_000, *lines[at:]])
    script = (
        "import sys; from ofsted_reader.importers import parse_bytes; "
        "print(len(parse_bytes(sys.stdin.buffer.read(), 'derby-2011.txt').paragraphs))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], input=text.encode(), capture_output=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0 and int(result.stdout) > 30_000
