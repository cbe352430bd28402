"""Annotation store: add a note with 10,000 stored (aim < 50 ms); open a store of 10,000 notes (aim < 300 ms)."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from . import summary, timed


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["OFSTED_READER_HOME"] = home
        from importers import parse_file
        from reports import bundled_files
        from store.annotations import AnnotationStore
        from tinydb import TinyDB

        from store.tinystorage import AtomicJSONStorage

        report = parse_file(bundled_files()[1])
        store = AnnotationStore()
        first = store.add(report, report.paragraphs[10].id, "seed note", ["seed"])
        # Fill to 10,000 in one write (the realistic path is one add at a time, but that takes minutes).
        db = TinyDB(Path(home) / "annotations.json", storage=AtomicJSONStorage)
        notes = []
        for i in range(9_999):
            paragraph = report.paragraphs[i % len(report.paragraphs)]
            notes.append({**first, "id": f"{i:032x}", "paragraph_id": paragraph.id, "quote": paragraph.text,
                          "text": f"Note {i}: evidence about {paragraph.text[:80]}", "tags": ["evidence", f"t{i % 50}"]})
        db.table("notes").insert_multiple(notes)
        size = (Path(home) / "annotations.json").stat().st_size
        print(f"store: {len(AnnotationStore().all())} notes, {size / 1e6:.1f} MB")
        store = AnnotationStore()
        store.all()
        times = timed(lambda: store.add(report, report.paragraphs[5].id, "bench note", ["bench"]), repeat=20)
        print(f"add a note (10k stored, warm process):      {summary(times)}")

        def cold_add():
            AnnotationStore().add(report, report.paragraphs[6].id, "cold bench note", ["bench"])

        print(f"add a note (10k stored, fresh store object): {summary(timed(cold_add, repeat=10))}")

        def open_all():
            assert len(AnnotationStore().all()) > 10_000

        print(f"open a store of 10k notes and read all:     {summary(timed(open_all, repeat=10))}")
        start = time.perf_counter()
        store.tags()
        print(f"tag counts over 10k notes: {(time.perf_counter() - start) * 1000:.1f} ms")
    bulk()


def bulk() -> None:
    """Tag rename over 5,000 notes and backup import of 5,000 notes: each one write (aim < 1 s)."""
    with tempfile.TemporaryDirectory() as home:
        os.environ["OFSTED_READER_HOME"] = home
        from importers import parse_file
        from reports import bundled_files
        from store.annotations import AnnotationStore

        from store.testing import fill_store

        report = parse_file(bundled_files()[1])
        fill_store(Path(home) / "annotations.json", report, 5_000)
        store = AnnotationStore()
        start = time.perf_counter()
        changed = store.rename_tag("evidence", "proof")
        print(f"tag rename over {changed} notes: {(time.perf_counter() - start) * 1000:.0f} ms")
        backup = Path(home) / "backup.json"
        store.export_backup(backup)
        other = Path(home) / "other"
        other.mkdir()
        os.environ["OFSTED_READER_HOME"] = str(other)
        fresh = AnnotationStore()
        start = time.perf_counter()
        result = fresh.import_backup(backup)
        print(f"backup import of {result['added']} notes into an empty store: "
              f"{(time.perf_counter() - start) * 1000:.0f} ms")
        start = time.perf_counter()
        result = fresh.import_backup(backup)
        print(f"backup import of the same {result['unchanged']} notes again (all unchanged): "
              f"{(time.perf_counter() - start) * 1000:.0f} ms")
