"""Stores of many notes made in one write, for benchmarks and the kill tests (adding 5,000 notes one at a time
takes minutes). Every note has the store's one shape. Kept here, not in the package: no user needs it."""

from __future__ import annotations

from pathlib import Path

import orjson

from ofsted_reader.core.model import Report
from ofsted_reader.store.notes.anchoring import make_anchor
from ofsted_reader.store.notes.annotations import anchor_fields, now


def fill_store(path: Path, report: Report, count: int, tags: tuple[str, ...] = ("evidence",)) -> list[str]:
    """`count` whole-paragraph notes over the report's paragraphs, anchored as the store anchors them."""
    stamp = now()
    anchors = [anchor_fields(make_anchor(report, paragraph.id)) for paragraph in report.paragraphs]
    notes = {}
    for i in range(count):
        paragraph = report.paragraphs[i % len(report.paragraphs)]
        notes[str(i + 1)] = {
            "id": f"{i:032x}",
            "report_id": report.id,
            "text": f"Note {i}: about {paragraph.text[:60]}",
            "tags": [*tags, f"t{i % 50}"],
            **anchors[i % len(report.paragraphs)],
            "created": stamp,
            "updated": stamp,
            "revision": 1,
        }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps({"notes": notes, "meta": {"1": {"schema": 1}}}))
    return [note["id"] for note in notes.values()]
