"""A new importer version: every imported report is parsed again on first use, and every shipped report comes parsed
anew with the app, without the user doing anything; the notes made on the earlier parse follow their text to the
paragraphs that now hold it."""

from __future__ import annotations

import json

from ofsted_reader.core.model import Paragraph, Report
from ofsted_reader.store.library.library import Library
from ofsted_reader.store.library.parse_cache import PARSER_VERSION
from ofsted_reader.store.notes.annotations import AnnotationStore

from .conftest import REPORTS, D


def _as_an_earlier_importer_read_it(report):
    """The report as an importer that merged paragraphs 12 and 13 (a missed paragraph break) read it: paragraph 13's
    text inside p12, and every later paragraph numbered one lower."""
    old = json.loads(json.dumps(report.to_dict()))
    paragraphs = [Paragraph(**p) for p in old["paragraphs"]]
    i12 = next(i for i, p in enumerate(paragraphs) if p.id == f"{D}/p12")
    merged, gone = paragraphs[i12], paragraphs[i12 + 1]
    merged.text = merged.text + " " + gone.text
    del paragraphs[i12 + 1]
    for p in paragraphs[i12 + 1 :]:
        if p.number is not None:
            p.number -= 1
            p.id = f"{D}/p{p.number}"
    old["paragraphs"] = [vars(p) for p in paragraphs]
    return old


def test_notes_on_the_previous_parse_follow_their_text_after_an_upgrade(isolated_home):
    library = Library.open(include_bundled=False)
    library.import_file(REPORTS / "derby-2011.txt")
    entry = library.entry(D)
    current = library.load(D)  # parsed and cached by this version
    cache = isolated_home / "cache"
    new_name = f"{entry.sha256[:32]}-v{PARSER_VERSION}.json"
    old_name = f"{entry.sha256[:32]}-v{PARSER_VERSION - 1}.json"
    old_body = _as_an_earlier_importer_read_it(current)
    (cache / old_name).write_text(json.dumps(old_body), encoding="utf-8")
    (cache / new_name).unlink()  # as after an upgrade: only the earlier parse is cached

    old = Report.from_dict(old_body)
    store = AnnotationStore()
    p13_text = current.paragraph(f"{D}/p13").text
    quote = " ".join(p13_text.split()[2:9])
    on_quote = store.add(old, f"{D}/p12", "about what p13 now says", ["evidence"], quote=quote)
    whole = store.add(old, f"{D}/p20", "a whole paragraph, numbered 21 now", [])
    kept = store.add(old, f"{D}/p5", "before the merge: its id never changed", [])

    reopened = Library.open(include_bundled=False)
    reopened.load(D)  # parsed anew; the notes follow
    notes = {n.id: n for n in AnnotationStore().all()}
    assert notes[on_quote.id].paragraph_id == f"{D}/p13" and notes[on_quote.id].quote == quote
    assert notes[whole.id].paragraph_id == f"{D}/p21"
    assert current.paragraph(f"{D}/p21").text == old.paragraph(f"{D}/p20").text
    assert notes[kept.id].paragraph_id == f"{D}/p5"
    assert not any(n.orphan for n in notes.values())
    assert not (cache / old_name).exists() and (cache / new_name).exists()  # the earlier parse is gone once used


def test_notes_on_a_shipped_report_follow_when_the_app_ships_it_parsed_anew(isolated_home):
    """A new version of the app ships the record parsed by a new importer: the data dir remembers what each shipped
    report's content was, and the notes on one that changed follow their text at the next start."""
    library = Library.open()
    current = library.load(D)
    old = Report.from_dict(_as_an_earlier_importer_read_it(current))
    store = AnnotationStore()
    whole = store.add(old, f"{D}/p20", "a whole paragraph, numbered 21 now", [])
    quote = " ".join(current.paragraph(f"{D}/p13").text.split()[2:9])
    on_quote = store.add(old, f"{D}/p12", "about what p13 now says", ["evidence"], quote=quote)
    seen = isolated_home / "shipped-seen.json"
    seen.write_text(json.dumps({D: "the hash of the earlier parse"}))

    Library.open()
    notes = {n.id: n for n in AnnotationStore().all()}
    assert notes[whole.id].paragraph_id == f"{D}/p21" and notes[on_quote.id].paragraph_id == f"{D}/p13"
    assert json.loads(seen.read_text())[D] == library.entry(D).sha256  # done once: the next start reads one file


def test_a_whole_paragraph_note_follows_a_split_whose_first_part_is_short(isolated_home):
    """A new importer splits "Lead inspector: …" off the team line it was printed with: the note on the whole old
    paragraph goes to the part that holds its start, though that part is shorter than the start the note keeps."""
    library = Library.open()
    current = library.load(D)
    data = json.loads(json.dumps(current.to_dict()))
    paragraphs = [Paragraph(**p) for p in data["paragraphs"]]
    i = next(n for n, p in enumerate(paragraphs) if p.id == f"{D}/p12")
    short, rest = "Lead inspector: Jane Doe", paragraphs[i + 1].text
    paragraphs[i].text = short  # the new parse: the short part, then the rest as the next paragraph
    new = Report.from_dict({**data, "paragraphs": [vars(p) for p in paragraphs]})
    merged = [Paragraph(**vars(p)) for p in paragraphs]
    merged[i].text = f"{short} {rest}"
    del merged[i + 1]  # the old parse: one paragraph, printed as two
    old = Report.from_dict({**data, "paragraphs": [vars(p) for p in merged]})
    store = AnnotationStore()
    note = store.add(old, f"{D}/p12", "the whole team line", [])
    store.reanchor_report(new, old)
    moved = AnnotationStore().get(note.id)
    assert moved is not None and not moved.orphan and moved.paragraph_id == f"{D}/p12"
