"""The codebook and memos in the notes store: nested tags through the one normaliser, renames and moves that take
children along in one write, descriptions and colours, memos, backups, old files, and counts across reports."""

from __future__ import annotations

import json

import orjson
import pytest

from ofsted_reader.cli import main
from ofsted_reader.core.coding import PassageFilter, ReportFacts, co_occurrence, code_table, passages, tag_counts
from ofsted_reader.importers import parse_file
from ofsted_reader.store.notes import tinystorage
from ofsted_reader.store.notes.annotations import AnnotationStore, StoreError
from ofsted_reader.store.notes.tags import clean_tags, tag_form

from .conftest import REPORTS, D, S, notes_state


@pytest.fixture(scope="module")
def derby():
    return parse_file(REPORTS / "derby-2011.txt")


@pytest.fixture(scope="module")
def wiltshire():
    return parse_file(REPORTS / "wiltshire-2012.txt")


def paragraph(report, index):
    return report.paragraphs[index].id


def test_tags_nest_through_the_one_normaliser(derby):
    assert clean_tags(["Practice / Supervision", "a,b"]) == ["practice/supervision", "a", "b"]
    assert clean_tags(["#Front-Door/#Triage/"]) == ["front-door/triage"]
    assert tag_form("Corporate Parenting / Care Leavers") == "corporate-parenting/care-leavers"
    assert tag_form("//") is None
    store = AnnotationStore()
    # What the tag editor hands the store: the words typed, split on spaces.
    note = store.add(derby, paragraph(derby, 3), "x", ["practice/", "Supervision", "front-door"])
    assert note.tags == ["practice/supervision", "front-door"]
    with pytest.raises(StoreError, match="at most 64"):
        store.add(derby, paragraph(derby, 3), "x", ["practice/" + "y" * 70])


def count_writes(monkeypatch) -> list[int]:
    writes: list[int] = []
    original = tinystorage.AtomicJSONStorage.write

    def counted(self, data):
        writes.append(1)
        return original(self, data)

    monkeypatch.setattr(tinystorage.AtomicJSONStorage, "write", counted)
    return writes


def test_rename_takes_children_and_codebook_along_in_one_write(derby, monkeypatch):
    store = AnnotationStore()
    store.add(derby, paragraph(derby, 3), "a", ["practice/supervision"])
    store.add(derby, paragraph(derby, 4), "b", ["practice/supervision/quality", "other"])
    store.add(derby, paragraph(derby, 5), "c", ["practices"])  # not under 'practice': stays
    store.set_code("practice", "Social work practice", "#abc")
    store.set_code("practice/supervision", "Supervision")
    writes = count_writes(monkeypatch)
    assert store.rename_tag("practice", "social-work") == 2
    assert len(writes) == 1
    tags = sorted(t for n in AnnotationStore().all() for t in n.tags)
    assert tags == ["other", "practices", "social-work/supervision", "social-work/supervision/quality"]
    codes = AnnotationStore().codes()
    assert set(codes) == {"social-work", "social-work/supervision"}
    assert codes["social-work"].colour == "#AABBCC" and codes["social-work/supervision"].description == "Supervision"
    # A move under another code is a rename of the path.
    store.rename_tag("social-work/supervision", "leadership/supervision")
    assert "leadership/supervision/quality" in AnnotationStore().known_tags()


def test_rename_refuses_to_merge_silently_and_merge_joins_subtrees(derby):
    store = AnnotationStore()
    store.add(derby, paragraph(derby, 3), "a", ["practice/supervision"])
    store.add(derby, paragraph(derby, 4), "b", ["care/supervision"])
    store.set_code("care/supervision", "kept")
    store.set_code("practice/supervision", "", "red")
    before = notes_state(store.path.parent)
    with pytest.raises(StoreError, match="exists already"):
        store.rename_tag("practice", "care")
    assert notes_state(store.path.parent) == before
    assert store.merge_tag("practice", "care") == 1
    assert [t for n in store.all() for t in n.tags] == ["care/supervision", "care/supervision"]
    merged = store.codes()["care/supervision"]
    assert (merged.description, merged.colour) == ("kept", "#E6194B")  # each side's: what the other lacked
    with pytest.raises(StoreError, match="under it"):
        store.merge_tag("care", "care/supervision")


def test_codebook_entries_checked_and_kept(derby):
    store = AnnotationStore()
    with pytest.raises(StoreError, match="not a colour"):
        store.set_code("front-door", colour="sky")
    store.set_code("Front Door", "Contacts & referrals <MASH>", "teal")  # a code may be defined before it is used
    assert store.codes()["front-door"].colour == "#469990"
    assert "front-door" in store.known_tags()
    store.set_code("front-door", colour="")
    assert store.codes()["front-door"].colour is None
    store.delete_tag("front-door")
    assert store.codes() == {}


def test_memos_on_reports_and_authorities(derby):
    store = AnnotationStore()
    on_report = store.add_memo("Read alongside the 2014 SIF report", report_id=derby.id)
    on_authority = store.add_memo("Leadership churn since 2009", authority="831")
    with pytest.raises(StoreError, match="one report or on one authority"):
        store.add_memo("both", report_id=derby.id, authority="831")
    with pytest.raises(StoreError, match="needs some text"):
        store.add_memo("  ", authority="831")
    assert [m.id for m in AnnotationStore().memos(authority="831")] == [on_authority.id]
    edited = store.edit_memo(on_report.id[:8], "changed", revision=1)
    assert edited.text == "changed" and edited.revision == 2
    with pytest.raises(StoreError, match="changed elsewhere"):
        store.edit_memo(on_report.id, "stale", revision=1)
    store.remove_memo(on_authority.id)
    store.restore_memo(on_authority)
    assert len(AnnotationStore().memos()) == 2
    assert store.all() == []  # memos are not notes: they never show among the paragraph notes


def test_a_notes_file_from_before_the_codebook_still_reads(isolated_home, derby):
    """A file written by the previous version: notes and meta only, no codebook or memos table."""
    store = AnnotationStore()
    note = store.add(derby, paragraph(derby, 3), "old", ["evidence"])
    store.consolidate()
    data = orjson.loads((isolated_home / "annotations.json").read_bytes())
    assert set(data) == {"notes", "meta"}  # what an old file holds
    reopened = AnnotationStore()
    assert [n.id for n in reopened.all()] == [note.id] and reopened.codes() == {} and reopened.memos() == []
    reopened.set_code("evidence", "Evidence of impact")
    reopened.add_memo("m", report_id=derby.id)
    again = AnnotationStore()
    assert [n.text for n in again.all()] == ["old"]
    assert again.codes()["evidence"].description == "Evidence of impact"


def test_a_damaged_codebook_entry_makes_the_notes_read_only(isolated_home, derby):
    store = AnnotationStore()
    store.add(derby, paragraph(derby, 3), "kept", ["evidence"])
    store.set_code("evidence", "x")
    path = isolated_home / "annotations.json"
    data = orjson.loads(path.read_bytes())
    data["codebook"]["1"]["colour"] = 7
    path.write_bytes(orjson.dumps(data))
    damaged = AnnotationStore()
    assert "code evidence has 'colour' of the wrong kind" in (damaged.damaged or "")
    with pytest.raises(StoreError):
        damaged.set_code("evidence", "y")
    assert orjson.loads(path.read_bytes())["codebook"]["1"]["colour"] == 7


def test_backups_carry_the_codebook_and_memos(tmp_path, derby, monkeypatch):
    store = AnnotationStore()
    store.add(derby, paragraph(derby, 3), "a", ["practice/supervision"])
    store.set_code("practice", "Practice", "blue")
    store.add_memo("memo", report_id=derby.id)
    store.export_backup(tmp_path / "b.json")
    body = json.loads((tmp_path / "b.json").read_text())
    assert [c["tag"] for c in body["codebook"]] == ["practice"] and len(body["memos"]) == 1
    monkeypatch.setenv("OFSTED_READER_HOME", str(tmp_path / "other"))
    fresh = AnnotationStore()
    result = fresh.import_backup(tmp_path / "b.json")
    assert result["codes"]["added"] == 1 and result["memos"]["added"] == 1
    assert fresh.codes()["practice"].colour == "#4363D8" and fresh.memos()[0].text == "memo"
    # A backup made before the codebook existed has neither key, and imports as before.
    del body["codebook"], body["memos"]
    (tmp_path / "old.json").write_text(json.dumps(body))
    assert AnnotationStore().import_backup(tmp_path / "old.json")["unchanged"] == 1
    # A bad colour refuses the whole backup, nothing merged.
    body["codebook"] = [{"tag": "x", "colour": "nope", "created": body["exported"], "updated": body["exported"]}]
    (tmp_path / "bad.json").write_text(json.dumps(body))
    before = notes_state(tmp_path / "other")
    with pytest.raises(StoreError, match=r"codes or memos cannot be imported.*not a colour"):
        AnnotationStore().import_backup(tmp_path / "bad.json")
    assert notes_state(tmp_path / "other") == before


def facts_for(*reports):
    known = {
        r.id: ReportFacts(
            r.id,
            r.authority,
            r.authority_code or r.authority,
            region,
            "",
            r.framework,
            r.published or "",
            "inspection",
            grades,
        )
        for r, region, grades in reports
    }
    return known.__getitem__


def test_counts_retrieval_filter_cooccurrence_and_table(derby, wiltshire):
    store = AnnotationStore()
    store.add(derby, paragraph(derby, 3), "d3", ["practice/supervision", "front-door"])
    store.add(derby, paragraph(derby, 3), "d3 again", ["practice"])
    store.add(derby, paragraph(derby, 9), "d9", ["front-door"])
    store.add(wiltshire, paragraph(wiltshire, 5), "w5", ["practice/supervision"])
    facts = facts_for((derby, "East Midlands", {"overall": 3}), (wiltshire, "South West", {"overall": 2}))
    notes = store.all()
    counts = tag_counts(notes, facts)
    assert (counts["practice"].notes, counts["practice"].reports, counts["practice"].authorities) == (3, 2, 2)
    assert counts["practice/supervision"].notes == 2 and counts["front-door"].authorities == 1
    load = {derby.id: derby, wiltshire.id: wiltshire}.get
    found = passages([n for n in notes if "practice/supervision" in n.tags], facts, load)
    assert [p.facts.authority for p in found] == ["Derby", "Wiltshire"]
    assert found[0].citation.startswith(
        "Ofsted, Derby: Inspection of safeguarding and looked after children services, 27 June 2011, paragraph"
    )
    assert [p.facts.authority for p in found if PassageFilter.parse("region:south-west").keeps(p)] == ["Wiltshire"]
    assert [p.note.text for p in found if PassageFilter.parse("grade:requires-improvement").keeps(p)] == ["d3"]
    assert PassageFilter.parse("grade:9").problems
    shared = co_occurrence(passages(notes, facts, load), "practice", "front-door")
    # Paragraph 3 of Derby is coded with both (one note with both tags, one with practice alone); 9 has one.
    assert [[p.note.text for p in group] for group in shared.passages] == [["d3", "d3 again"]]
    assert (shared.authorities, shared.first_only, shared.second_only) == (["Derby"], 1, 0)
    table = code_table(notes, facts, "region", ["front-door", "practice", "practice/supervision"])
    assert table.columns == ["East Midlands", "South West"]
    assert table.to_csv().splitlines() == [
        "code,East Midlands,South West,total",
        "front-door,2,0,2",
        "practice,2,1,3",
        "practice/supervision,1,1,2",
    ]


def test_codebook_import_from_qdc_and_refusals(tmp_path, capsys, isolated_home):
    qdc = tmp_path / "themes.qdc"
    qdc.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder">'
        '<Codes><Code guid="{1b2c3d4e-0000-4000-8000-000000000001}" name="Front Door" isCodable="true" color="#00ff00">'
        "<Description>Contacts &amp; referrals</Description>"
        '<Code guid="1b2c3d4e-0000-4000-8000-000000000002" name="MASH" isCodable="true"/></Code></Codes></CodeBook>',
        encoding="utf-8",
    )
    assert main(["codebook", "import", str(qdc)]) == 0
    out = capsys.readouterr().out
    assert "added 2" in out and "'Front Door' -> 'front-door'" in out
    codes = AnnotationStore().codes()
    assert codes["front-door"].description == "Contacts & referrals" and codes["front-door"].colour == "#00FF00"
    assert "front-door/mash" in codes
    assert main(["codebook", "import", str(qdc)]) == 0
    assert "unchanged 2" in capsys.readouterr().out
    before = notes_state(isolated_home)
    bomb = tmp_path / "bomb.qdc"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><CodeBook><Codes/></CodeBook>')
    for bad, said in (
        (bomb, "DOCTYPE"),
        (tmp_path / "missing.qdc", "no such file"),
        (REPORTS / "derby-2011.txt", "not valid XML"),
    ):
        assert main(["codebook", "import", str(bad)]) == 2
        err = capsys.readouterr().err
        assert said in err and "nothing was imported" in err and err.count("\n") == 1
    assert notes_state(isolated_home) == before


def test_codebook_commands(tmp_path, capsys, isolated_home):
    from ofsted_reader.store.library.library import Library

    library = Library.open()
    derby, wiltshire = library.load(D), library.load(S)
    store = AnnotationStore()
    store.add(derby, paragraph(derby, 12), "d", ["practice/supervision", "front-door"])
    store.add(wiltshire, paragraph(wiltshire, 8), "w", ["practice/supervision"])
    assert main(["codebook", "describe", "Practice", "How social work is done"]) == 0
    assert main(["codebook", "list", "--json"]) == 0
    capsys.readouterr()
    assert main(["codebook", "list", "--json"]) == 0
    rows = {row["tag"]: row for row in json.loads(capsys.readouterr().out)}
    assert (rows["practice"]["notes"], rows["practice"]["reports"], rows["practice"]["authorities"]) == (2, 2, 2)
    assert rows["practice"]["description"] == "How social work is done"
    assert main(["codebook", "passages", "practice", "region:south-west", "--json"]) == 0
    assert [p["authority"] for p in json.loads(capsys.readouterr().out)] == ["Wiltshire"]
    assert main(["codebook", "cooccur", "practice/supervision", "front-door", "--json"]) == 0
    shared = json.loads(capsys.readouterr().out)
    assert len(shared["passages"]) == 1 and shared["authorities"] == ["Derby"] and shared["authorities_first_only"] == 1
    assert main(["codebook", "table", "--by", "region", "-o", str(tmp_path / "t.csv")]) == 0
    assert (tmp_path / "t.csv").read_text().splitlines()[0] == "code,East Midlands,South West,total"
    # The existing `tag rename` takes a tag's children along too.
    assert main(["tag", "rename", "practice", "social-work"]) == 0
    assert "social-work/supervision" in AnnotationStore().known_tags()
    assert main(["codebook", "move", "social-work/supervision", "leadership/supervision"]) == 0
    capsys.readouterr()
    before = notes_state(isolated_home)
    for argv, said in (
        (["codebook", "colour", "front-door", "sky"], "not a colour"),
        (["codebook", "move", "nope", "x"], "no tag 'nope'"),
        (["codebook", "passages", "front-door", "grade:7"], "a grade is 1-4"),
        (["memo", "edit", "zzz", "--text", "x"], "no memo with id 'zzz'"),
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert said in err and err.count("\n") == 1
    assert notes_state(isolated_home) == before
