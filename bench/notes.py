"""Annotation store at 10,000 notes: add a note (in a warm process, from a fresh store object, and as the CLI
`note add` end to end); open the store and read every note; tag counts. Then bulk changes over 5,000 notes."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import summary, timed


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["OFSTED_READER_HOME"] = home
        from bench.fill_store import fill_store
        from ofsted_reader.importers import parse_file
        from ofsted_reader.reports import original_files as bundled_files
        from ofsted_reader.store.notes.annotations import AnnotationStore

        report = parse_file(bundled_files()[1])
        # 10,000 notes as the app writes them (whole-paragraph notes: a hash and an excerpt, not the paragraph),
        # made in one write (adding them one at a time takes minutes).
        fill_store(Path(home) / "annotations.json", report, 10_000)
        size = (Path(home) / "annotations.json").stat().st_size
        print(f"store: {len(AnnotationStore().all())} notes, {size / 1e6:.1f} MB")
        store = AnnotationStore()
        store.all()
        times = timed(lambda: store.add(report, report.paragraphs[5].id, "bench note", ["bench"]), repeat=20)
        print(f"add a note (10k stored, warm process):      {summary(times)}")

        def cold_add() -> None:
            AnnotationStore().add(report, report.paragraphs[6].id, "cold bench note", ["bench"])

        print(f"add a note (10k stored, fresh store object): {summary(timed(cold_add, repeat=10))}")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # a user's install has bytecode
        command = [
            sys.executable,
            "-m",
            "ofsted_reader.cli",
            "note",
            "add",
            report.paragraphs[7].id,
            "--text",
            "cli bench note",
        ]
        subprocess.run(command, capture_output=True, check=True, env=env)
        runs = []
        for _ in range(7):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True, env=env)
            runs.append(time.perf_counter() - start)
        print(
            f"ofsted-reader note add (10k stored, end to end, new process): median "
            f"{statistics.median(runs) * 1000:.0f} ms, max {max(runs) * 1000:.0f} ms"
        )

        def open_all() -> None:
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
        from bench.fill_store import fill_store
        from ofsted_reader.importers import parse_file
        from ofsted_reader.reports import original_files as bundled_files
        from ofsted_reader.store.notes.annotations import AnnotationStore

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
        print(
            f"backup import of {result['added']} notes into an empty store: "
            f"{(time.perf_counter() - start) * 1000:.0f} ms"
        )
        start = time.perf_counter()
        result = fresh.import_backup(backup)
        print(
            f"backup import of the same {result['unchanged']} notes again (all unchanged): "
            f"{(time.perf_counter() - start) * 1000:.0f} ms"
        )
