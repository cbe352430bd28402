"""Notes made on the previous importer's parse survive the new one. tests/data/previous-parse holds that parse of six
reports (three SIF 2014-2018, three ILACS), saved before the importer learnt paragraph breaks from the layout: its
paragraph boundaries and ids are those a user's notes were made on. A re-parse moves them; each note must follow its
text, and none may become an orphan while its text is still in the report."""

from __future__ import annotations

import json
import re

import pytest

from ofsted_reader.core.model import Report
from ofsted_reader.importers import parse_file
from ofsted_reader.store.notes.anchoring import paragraph_text
from ofsted_reader.store.notes.annotations import AnnotationStore

from .conftest import ROOT

PREVIOUS = ROOT / "tests" / "data" / "previous-parse"
NOTES_PER_REPORT = 5


def _previous_reports() -> list[Report]:
    return [Report.from_dict(json.loads(path.read_text())) for path in sorted(PREVIOUS.glob("*.json"))]


def _squash(text: str) -> str:
    return " ".join(text.split())


def _middle_sentence(text: str) -> str:
    """A quote a reader would pick: a whole sentence from inside the paragraph, else its middle words."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 30]
    if len(sentences) >= 2:
        return sentences[len(sentences) // 2]
    words = text.split()
    return " ".join(words[len(words) // 3 : len(words) // 3 + 8]) if len(words) > 10 else text


def _chosen(report: Report) -> list[tuple[str, str | None]]:
    """(paragraph id, quote or None) for NOTES_PER_REPORT paragraphs spread over the report, unnumbered ones first
    (those are the ones the layout splits), alternating whole-paragraph notes and quotes."""
    candidates = [p for p in report.paragraphs if len(p.text) > 80]
    unnumbered = [p for p in candidates if p.number is None]
    numbered = [p for p in candidates if p.number is not None]
    picked = unnumbered[:: max(1, len(unnumbered) // 3)][:3]
    rest = NOTES_PER_REPORT - len(picked)
    picked += numbered[:: max(1, len(numbered) // rest)][:rest]
    return [(p.id, _middle_sentence(p.text) if k % 2 else None) for k, p in enumerate(picked)]


@pytest.fixture(scope="module")
def previous():
    reports = _previous_reports()
    assert len(reports) == 6 and {r.framework for r in reports} == {"sif", "ilacs"}
    return reports


def test_notes_on_thirty_paragraphs_follow_their_text_to_the_new_parse(previous):
    store = AnnotationStore()
    made = []  # (note id, old report, old paragraph text, quote)
    for old in previous:
        for paragraph_id, quote in _chosen(old):
            note = store.add(old, paragraph_id, f"evidence from {paragraph_id}", ["evidence"], quote=quote)
            made.append((note.id, old, paragraph_text(old.paragraph(paragraph_id)), quote))
    assert len(made) == 30 and sum(q is None for *_, q in made) == 18

    moved = 0
    for old in previous:
        new = parse_file(ROOT / old.source)
        assert new.id == old.id
        _, moved_here, _ = store.reanchor_report(new, old)
        moved += moved_here
        notes = {n.id: n for n in store.matching(report=old.id)}
        whole_new = _squash(" ".join(paragraph_text(p) for p in new.paragraphs))
        for note_id, report, text, quote in made:
            if report is not old:
                continue
            note = notes[note_id]
            wanted = _squash(quote or text)
            if wanted not in whole_new:
                continue  # the new parse changed the words themselves: an orphan is then the honest outcome
            assert not note.orphan, f"{note_id} on {text[:60]!r} orphaned"
            assert note.paragraph_id is not None
            landing = new.paragraph(note.paragraph_id)
            assert landing is not None
            landed = _squash(paragraph_text(landing))
            # A quote lands on the paragraph holding it; a whole paragraph on the one holding its start (when the
            # paragraph is now split) or holding it all (when merged).
            start = wanted if quote else _squash(text)[:60]
            assert start in landed, f"{note_id}: {start!r} not in {note.paragraph_id}"
    # The new parse did move paragraphs under these notes (ids and boundaries), or the test proves nothing.
    assert moved >= 5, moved
