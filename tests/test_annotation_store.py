"""Notes are the user's work product: durable across kills, shared safely between processes, re-anchored."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from ofsted_reader.importers import parse_bytes, parse_file
from ofsted_reader.store.notes import annotations as annotations_module
from ofsted_reader.store.notes.anchoring import EXCERPT
from ofsted_reader.store.notes.annotations import AnnotationStore, StoreError

from .conftest import REPORTS, ROOT, D, notes_state, run_cli

WRITER = """
import sys
from ofsted_reader.importers import parse_file
from ofsted_reader.store.notes.annotations import AnnotationStore
report = parse_file(sys.argv[1])
store = AnnotationStore()
paragraphs = [p.id for p in report.paragraphs]
for i in range(int(sys.argv[2])):
    note = store.add(report, paragraphs[i % len(paragraphs)], f"{sys.argv[3]} note {i}", ["burst"])
    print(note.id, flush=True)
"""


def spawn_writer(count: int, label: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(REPORTS / "derby-2011.txt"), str(count), label],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=os.environ.copy(),
    )


def later(**delta) -> str:
    """A time a little after now, as another machine would stamp an edit (a backup's times in the future are
    refused, beyond a day of clock skew)."""
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(**delta)).isoformat()


@pytest.fixture(scope="module")
def derby():
    return parse_file(REPORTS / "derby-2011.txt")


@pytest.mark.subprocess
def test_sigkill_mid_burst_loses_no_returned_write(isolated_home):
    for attempt in range(3):
        writer = spawn_writer(10_000, f"kill{attempt}")
        returned: list[str] = []
        deadline = time.time() + 30
        while len(returned) < 25 + 10 * attempt and time.time() < deadline:
            returned.append(writer.stdout.readline().strip())
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        store = AnnotationStore()
        assert store.damaged is None
        ids = {n.id for n in store.all()}
        assert set(returned) <= ids
    # A kill can leave a temp file; once it is stale, the next start removes it.
    for leftover in isolated_home.glob(".tmp-*"):
        os.utime(leftover, (time.time() - 3600, time.time() - 3600))
    AnnotationStore()
    assert not list(isolated_home.glob(".tmp-*"))


@pytest.mark.subprocess
def test_two_processes_writing_at_once_lose_nothing():
    writers = [spawn_writer(40, "a"), spawn_writer(40, "b")]
    outputs = [w.communicate(timeout=120)[0].split() for w in writers]
    assert all(w.returncode == 0 for w in writers)
    texts = sorted(n.text for n in AnnotationStore().all())
    assert len(texts) == 80 and len(set(texts)) == 80
    assert {n.id for n in AnnotationStore().all()} == set(outputs[0]) | set(outputs[1])


def test_corrupted_file_is_never_overwritten(isolated_home, derby):
    store = AnnotationStore()
    store.add(derby, f"{D}/p10", "first")
    store.consolidate()
    path = isolated_home / "annotations.json"
    damaged = path.read_bytes()[:-7] + b"garbage"
    path.write_bytes(damaged)
    reopened = AnnotationStore()
    assert reopened.damaged and "not valid JSON" in reopened.damaged and "\n" not in reopened.damaged
    with pytest.raises(StoreError):
        reopened.add(derby, f"{D}/p11", "second")
    assert path.read_bytes() == damaged
    assert list(isolated_home.glob("annotations.damaged-*.json"))  # kept aside
    assert reopened.all() == []  # reads still work, empty
    # The CLI says so in one line and exits 2; reports are still readable.
    result = run_cli("note", "add", f"{D}/p11", "--text", "x")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    listing = run_cli("list")
    assert listing.returncode == 0 and "Derby" in listing.stdout
    assert path.read_bytes() == damaged


def test_previous_copy_is_kept(isolated_home, derby):
    store = AnnotationStore()
    store.add(derby, f"{D}/p10", "one")
    store.consolidate()
    store.add(derby, f"{D}/p11", "two")
    store.consolidate()
    backup = json.loads((isolated_home / "annotations.json.bak").read_text())
    assert [n["text"] for n in backup["notes"].values()] == ["one"]


def test_note_fields(derby):
    store = AnnotationStore()
    note = store.add(derby, f"{D}/p29", "DV *gap*\n\n- needs follow-up", ["Evidence", "#dv"], quote="domestic violence")
    assert note.tags == ["evidence", "dv"] and note.span is not None
    text = derby.paragraph(f"{D}/p29").text
    start, end = note.span
    assert text[start:end] == "domestic violence" == note.quote
    assert note.prefix == text[max(0, start - 32) : start] and note.suffix == text[end : end + 32]
    with pytest.raises(StoreError):
        store.add(derby, f"{D}/p29", "x", quote="not in this paragraph at all")
    with pytest.raises(StoreError):
        store.add(derby, f"{D}/p999", "x")


def test_tags_rename_merge_delete(derby):
    store = AnnotationStore()
    a = store.add(derby, f"{D}/p10", "a", ["health", "evidence"])
    store.add(derby, f"{D}/p11", "b", ["nhs"])
    assert store.tags() == [("evidence", 1), ("health", 1), ("nhs", 1)]
    with pytest.raises(StoreError):
        store.rename_tag("health", "nhs")  # would merge silently: refused, merge is explicit
    store.merge_tag("health", "nhs")
    assert dict(store.tags()) == {"evidence": 1, "nhs": 2}
    store.rename_tag("nhs", "health-services")
    store.delete_tag("evidence")
    assert store.tags() == [("health-services", 2)]
    assert store.get(a.id).text == "a"  # the note itself stays


def test_backup_merge_newer_wins_and_reports_conflicts(tmp_path, derby):
    store = AnnotationStore()
    mine = store.add(derby, f"{D}/p10", "mine")
    shared = store.add(derby, f"{D}/p12", "shared v1")
    store.export_backup(tmp_path / "colleague.json")
    body = json.loads((tmp_path / "colleague.json").read_text())
    for note in body["notes"]:
        if note["id"] == shared.id:
            note["text"], note["updated"] = "shared v2 by colleague", later(minutes=1)
    body["notes"].append(
        {**mine.to_dict(), "id": "c0ffee", "text": "colleague's own", "updated": "2020-01-01T00:00:00+00:00"}
    )
    (tmp_path / "colleague.json").write_text(json.dumps(body))
    store.edit(mine.id, text="mine, edited later")
    result = store.import_backup(tmp_path / "colleague.json")
    assert (result["added"], result["updated"], result["kept_local"]) == (1, 1, 1)
    assert set(result["conflicts"]) == {shared.id, mine.id}
    assert store.get(shared.id).text == "shared v2 by colleague"
    assert store.get(mine.id).text == "mine, edited later"


@pytest.mark.parametrize(
    "content", [b"not json", b'{"format": "other"}', b'{"format": "ofsted-reader-notes", "notes": [{"id": 1}]}']
)
def test_bad_backup_changes_nothing(tmp_path, derby, content):
    store = AnnotationStore()
    store.add(derby, f"{D}/p10", "keep me")
    before = notes_state(tmp_path / "home")
    (tmp_path / "bad.json").write_bytes(content)
    with pytest.raises(StoreError) as raised:
        store.import_backup(tmp_path / "bad.json")
    assert "nothing was imported" in str(raised.value)
    assert notes_state(tmp_path / "home") == before


# --- re-anchoring ----------------------------------------------------------------------------------------------

DERBY = (REPORTS / "derby-2011.txt").read_text(encoding="utf-8")


def edited(old: str, new: str, text: str = DERBY):
    assert old in text
    return parse_bytes(text.replace(old, new).encode(), "derby-2011.txt")


def test_slightly_edited_paragraph_keeps_its_note(derby):
    store = AnnotationStore()
    quote = "Good multi-agency work and support for children affected by domestic violence"
    note = store.add(derby, f"{D}/p29", "span note", quote=quote)
    whole = store.add(derby, f"{D}/p29", "whole paragraph note")
    changed = edited(
        "Good multi-agency work and support for children affected",
        "Good multiagency work and support for children affected",
    )
    assert store.reanchor_report(changed) == (2, 0, 0)
    assert store.get(note.id).paragraph_id == f"{D}/p29"
    assert store.get(whole.id).paragraph_id == f"{D}/p29"
    assert not store.get(note.id).orphan


def test_renumbered_paragraphs_notes_follow_their_quote(derby):
    store = AnnotationStore()
    span = store.add(derby, f"{D}/p31", "assessments", quote="The quality of assessment is variable.")
    whole = store.add(derby, f"{D}/p33", "plans")
    # A new paragraph 27 pushes everything after it down by one.
    text = DERBY.replace(
        "27. Contacts and referrals",
        "27. A paragraph added in a corrected edition of the report.\n28. Contacts and referrals",
    )
    for n in range(130, 27, -1):
        text = text.replace(f"\n{n}. ", f"\n{n + 1}. ", 1) if n != 27 else text
    renumbered = parse_bytes(text.encode(), "derby-2011.txt")
    assert renumbered.paragraph(f"{D}/p32").text.startswith("The quality of assessment is variable.")
    _, moved, orphaned = store.reanchor_report(renumbered)
    assert (moved, orphaned) == (2, 0)
    assert store.get(span.id).paragraph_id == f"{D}/p32"
    assert store.get(whole.id).paragraph_id == f"{D}/p34"


def test_quote_removed_becomes_orphan_not_dropped(derby):
    store = AnnotationStore()
    note = store.add(
        derby,
        f"{D}/p30",
        "careline",
        quote="Careline provides a satisfactory out of hours emergency service",
    )
    changed = edited(
        "Careline provides a satisfactory out of hours emergency service",
        "The council runs an adequate night-time duty team",
    )
    assert store.reanchor_report(changed) == (0, 0, 1)
    orphan = store.get(note.id)
    assert orphan.orphan and orphan.paragraph_id is None and orphan.text == "careline"
    assert [n.id for n in store.matching(orphans=True)] == [note.id]


def test_lookalike_sentence_elsewhere_does_not_capture_the_note(derby):
    store = AnnotationStore()
    quote = "The quality of assessment is variable."
    # Paragraph 109 has a lookalike: "The quality of assessments is variable and they are not always up to date."
    assert derby.paragraph(f"{D}/p109").text.startswith("The quality of assessments is variable")
    note = store.add(derby, f"{D}/p31", "assessments", quote=quote)
    changed = edited("31. The quality of assessment is variable. ", "31. ")
    assert store.reanchor_report(changed) == (0, 0, 1)
    assert store.get(note.id).orphan


def test_identical_sentence_elsewhere_is_found_when_its_paragraph_goes(derby):
    """Paragraphs 32 and 57 open with the same sentence; when 32 is rewritten, the quote lives on in 57."""
    store = AnnotationStore()
    quote = "The electronic case recording system fails to support workers and managers"
    note = store.add(derby, f"{D}/p32", "ICT", quote=quote)
    p32 = derby.paragraph(f"{D}/p32").text
    store.reanchor_report(edited(p32[:120], "The case management system was replaced in 2011 and is now reliable. "))
    assert store.get(note.id).paragraph_id == f"{D}/p57"


def test_whole_paragraph_notes_keep_a_hash_and_excerpt_not_the_paragraph(derby, isolated_home):
    store = AnnotationStore()
    paragraph = derby.paragraph(f"{D}/p32")
    assert len(paragraph.text) > 400
    note = store.add(derby, paragraph.id, "ICT")
    assert note.quote is not None and len(note.quote) <= 2 * EXCERPT + 3 and note.digest
    assert paragraph.text.encode() not in (isolated_home / "annotations.added.jsonl").read_bytes()
    store.consolidate()
    assert paragraph.text not in (isolated_home / "annotations.json").read_text(encoding="utf-8")
    # Its paragraph moves (a paragraph inserted before it): the hash finds it again.
    text = DERBY.replace(
        "27. Contacts and referrals", "27. A paragraph added in a corrected edition.\n28. Contacts and referrals"
    )
    for n in range(130, 27, -1):
        text = text.replace(f"\n{n}. ", f"\n{n + 1}. ", 1)
    assert store.reanchor_report(parse_bytes(text.encode(), "derby-2011.txt")) == (0, 1, 0)
    assert store.get(note.id).paragraph_id == f"{D}/p33"


def test_a_whole_paragraph_orphan_keeps_the_old_paragraph_text(derby):
    store = AnnotationStore()
    old = derby.paragraph(f"{D}/p30").text
    note = store.add(derby, f"{D}/p30", "careline")
    changed = edited(old, "The council runs an adequate night-time duty team, whose work is recorded well.")
    assert store.reanchor_report(changed, previous=derby) == (0, 0, 1)
    orphan = store.get(note.id)
    assert orphan.orphan and orphan.quote == old


def test_notes_written_with_the_whole_paragraph_as_quote_still_follow_it(derby, isolated_home):
    """Notes of 0.1 kept the paragraph itself as the quote, with no hash: they re-anchor as before, and are
    rewritten in the compact form."""
    store = AnnotationStore()
    note = store.add(derby, f"{D}/p33", "plans")
    store.consolidate()
    body = json.loads((isolated_home / "annotations.json").read_text(encoding="utf-8"))
    for stored in body["notes"].values():
        stored.pop("digest")
        stored["quote"] = derby.paragraph(f"{D}/p33").text
    (isolated_home / "annotations.json").write_text(json.dumps(body), encoding="utf-8")
    store = AnnotationStore()
    text = DERBY.replace(
        "27. Contacts and referrals", "27. A paragraph added in a corrected edition.\n28. Contacts and referrals"
    )
    for n in range(130, 27, -1):
        text = text.replace(f"\n{n}. ", f"\n{n + 1}. ", 1)
    assert store.reanchor_report(parse_bytes(text.encode(), "derby-2011.txt")) == (0, 1, 0)
    moved = store.get(note.id)
    assert moved.paragraph_id == f"{D}/p34" and moved.digest
    assert moved.quote is not None and len(moved.quote) <= 2 * EXCERPT + 3


BULK = """
import sys
from pathlib import Path
from ofsted_reader.store.notes.annotations import AnnotationStore
store = AnnotationStore()
store.all()
print("ready", flush=True)
if sys.argv[1] == "rename":
    store.rename_tag("evidence", "proof")
else:
    store.import_backup(Path(sys.argv[2]))
print("done", flush=True)
"""


@pytest.mark.parametrize("operation", ["rename", "import"])
@pytest.mark.subprocess
def test_sigkill_midway_through_a_bulk_change_leaves_all_or_nothing(isolated_home, tmp_path, derby, operation):
    from bench.fill_store import fill_store

    backup = tmp_path / "backup.json"
    if operation == "import":  # a backup of 5,000 notes, each retagged, to merge over the same 5,000
        fill_store(isolated_home / "annotations.json", derby, 5_000, tags=("proof",))
        AnnotationStore().export_backup(backup)
        body = json.loads(backup.read_text())
        for note in body["notes"]:
            note["updated"] = later(hours=1)  # newer than every fill_store below, and not in the future
        backup.write_text(json.dumps(body))
    for delay in (0.0, 0.005, 0.01, 0.02, 0.04, 0.08):
        fill_store(isolated_home / "annotations.json", derby, 5_000)
        child = subprocess.Popen(
            [sys.executable, "-c", BULK, operation, str(backup)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=os.environ.copy(),
        )
        assert child.stdout.readline().strip() == "ready"
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        store = AnnotationStore()
        assert store.damaged is None
        notes = store.all()
        assert len(notes) == 5_000
        renamed = sum("proof" in n.tags for n in notes)
        assert renamed in (0, 5_000), f"killed after {delay}s: {renamed} of 5,000 notes changed"


# --- the journal of added notes ---------------------------------------------------------------------------------


def test_an_add_cut_short_is_dropped_and_the_next_add_is_kept(isolated_home, derby):
    store = AnnotationStore()
    kept = store.add(derby, f"{D}/p10", "kept")
    journal = isolated_home / "annotations.added.jsonl"
    with journal.open("ab") as handle:  # as a process killed in the middle of its append leaves it
        handle.write(b'{"id": "half", "text": "never repor')
    assert [n.id for n in AnnotationStore().all()] == [kept.id]
    later = AnnotationStore().add(derby, f"{D}/p11", "later")
    assert [n.id for n in AnnotationStore().all()] == [kept.id, later.id]
    assert b"half" not in journal.read_bytes()


def test_a_damaged_journal_makes_the_notes_read_only_and_is_left_as_it_is(isolated_home, derby):
    AnnotationStore().add(derby, f"{D}/p10", "one")
    journal = isolated_home / "annotations.added.jsonl"
    damaged = b"not a note\n" + journal.read_bytes()
    journal.write_bytes(damaged)
    store = AnnotationStore()
    assert store.damaged and "annotations.added.jsonl line 1" in store.damaged
    with pytest.raises(StoreError):
        store.add(derby, f"{D}/p11", "two")
    with pytest.raises(StoreError, match=r"annotations\.added\.jsonl"):
        AnnotationStore().edit("anything", text="y")  # would fold the journal into the main file
    assert journal.read_bytes() == damaged
    assert list(isolated_home.glob("annotations.damaged-*.added.jsonl"))  # a copy kept aside


def test_the_journal_is_folded_by_any_other_change_and_at_its_limit(isolated_home, derby, monkeypatch):
    store = AnnotationStore()
    first = store.add(derby, f"{D}/p10", "first")
    assert not (isolated_home / "annotations.json").exists()
    store.edit(first.id, text="first, edited")
    assert not (isolated_home / "annotations.added.jsonl").exists()
    assert [n["text"] for n in json.loads((isolated_home / "annotations.json").read_text())["notes"].values()] == [
        "first, edited"
    ]
    monkeypatch.setattr(annotations_module, "JOURNAL_LIMIT", 2)
    for n in range(5):
        store.add(derby, f"{D}/p{20 + n}", f"note {n}")
    assert len(store.all()) == 6 and len(AnnotationStore().all()) == 6
    journal = isolated_home / "annotations.added.jsonl"
    assert len(journal.read_bytes().splitlines()) <= 2


def test_a_fold_interrupted_before_the_journal_went_leaves_no_twin(isolated_home, derby):
    store = AnnotationStore()
    note = store.add(derby, f"{D}/p10", "once")
    journal = isolated_home / "annotations.added.jsonl"
    saved = journal.read_bytes()
    store.consolidate()
    journal.write_bytes(saved)  # as if the process died after writing the main file, before removing the journal
    store = AnnotationStore()
    assert [n.id for n in store.all()] == [note.id]
    store.remove(note.id)
    assert AnnotationStore().all() == [] and not journal.exists()


def test_an_add_checks_a_main_file_changed_by_someone_else(isolated_home, derby):
    store = AnnotationStore()
    store.add(derby, f"{D}/p10", "one")
    store.consolidate()
    main = isolated_home / "annotations.json"
    body = json.loads(main.read_text())
    next(iter(body["notes"].values()))["text"] = "one, changed by a sync tool"
    main.write_text(json.dumps(body))
    AnnotationStore().add(derby, f"{D}/p11", "two")  # read, checked, trusted again
    assert sorted(n.text for n in AnnotationStore().all()) == ["one, changed by a sync tool", "two"]
    main.write_bytes(b"[]")
    with pytest.raises(StoreError):
        AnnotationStore().add(derby, f"{D}/p12", "three")
    assert main.read_bytes() == b"[]"


def test_another_process_adding_is_seen_by_a_running_store(derby):
    running = AnnotationStore()
    assert running.all() == [] and not running.changed_on_disk()
    added = AnnotationStore().add(derby, f"{D}/p10", "from the command line")
    assert running.changed_on_disk()
    assert [n.id for n in running.all()] == [added.id] and not running.changed_on_disk()
    own = running.add(derby, f"{D}/p11", "from the app")
    assert not running.changed_on_disk() and own.id in {n.id for n in running.all()}


def test_a_note_is_one_schema_stored_and_handled(isolated_home, derby):
    """The fields a stored note may have and the fields of Note are the same list, and a stored note read back and
    written again is unchanged: adding a field to one and not the other fails here."""
    import dataclasses

    from ofsted_reader.core.notes import FIELDS, Note

    assert sorted(f.name for f in dataclasses.fields(Note)) == sorted(FIELDS)
    store = AnnotationStore()
    store.add(derby, f"{D}/p29", "quoted", ["x"], quote="domestic violence")
    store.add(derby, f"{D}/p30", "whole")
    store.consolidate()
    stored = list(json.loads((isolated_home / "annotations.json").read_text())["notes"].values())
    assert [sorted(raw) for raw in stored] == [sorted(FIELDS)] * 2
    assert [Note.from_dict(raw).to_dict() for raw in stored] == stored
    assert store.all()[0].summary(5) == "quot…"
