"""The codebook at scale: renaming and moving a tag tree of 5,000 notes (with its codebook entries) among 10,000,
which must be one write and well under a second; tag counts across the library; a `.qdpx` of 5,000 notes."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import orjson

from . import summary, timed


def say(label: str, figures: str) -> None:
    print(f"{label + ':':<58} {figures}")


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["OFSTED_READER_HOME"] = home
        from bench.fill_store import fill_store
        from ofsted_reader.core.coding import ReportFacts, tag_counts
        from ofsted_reader.core.qda_export import ProjectInput, build_project
        from ofsted_reader.importers import parse_file
        from ofsted_reader.reports import original_files as bundled_files
        from ofsted_reader.store.notes import tinystorage
        from ofsted_reader.store.notes.annotations import AnnotationStore, now

        report = parse_file(bundled_files()[1])
        path = Path(home) / "annotations.json"
        fill_store(path, report, 10_000)
        data = orjson.loads(path.read_bytes())
        stamp = now()
        for index, note in enumerate(data["notes"].values()):
            if index % 2 == 0:  # half the notes in the tree, three levels deep
                note["tags"] = [f"practice/t{index % 50}", f"practice/supervision/q{index % 7}", "evidence"]
        data["codebook"] = {
            str(i + 1): {"tag": tag, "description": f"about {tag}", "colour": None, "created": stamp, "updated": stamp}
            for i, tag in enumerate(["practice", "practice/supervision", *(f"practice/t{n}" for n in range(50))])
        }
        path.write_bytes(orjson.dumps(data))
        megabytes = path.stat().st_size / 1e6
        print(f"store: 10,000 notes, 5,000 under 'practice' (57 codes, 52 codebook entries), {megabytes:.1f} MB")

        writes: list[int] = []
        original = tinystorage.AtomicJSONStorage.write

        def counted(self: tinystorage.AtomicJSONStorage, data: dict) -> None:
            writes.append(1)
            return original(self, data)

        tinystorage.AtomicJSONStorage.write = counted  # type: ignore[method-assign]
        store = AnnotationStore()
        names = iter(["social-work", "practice"] * 20)

        def rename() -> None:
            old = "practice" if "practice" in store.known_tags() else "social-work"
            changed = store.rename_tag(old, next(n for n in names if n != old))
            assert changed == 5_000, changed

        times = timed(rename, repeat=10)
        say(
            "rename a 5,000-note tree (and its codebook) among 10,000",
            f"{summary(times)}, {len(writes) / 10:.0f} write each",
        )
        writes.clear()
        top = "practice" if "practice" in store.known_tags() else "social-work"
        moves = iter(
            [(f"{top}/supervision", "leadership/supervision"), ("leadership/supervision", f"{top}/supervision")] * 10
        )
        times = timed(lambda: store.rename_tag(*next(moves)), repeat=10)
        say("move a 5,000-note subtree under another code", f"{summary(times)}, {len(writes) / 10:.0f} write each")
        tinystorage.AtomicJSONStorage.write = original  # type: ignore[method-assign]

        notes = store.all()
        facts = ReportFacts(
            report.id, report.authority, "x", "region", "", report.framework, report.published or "", "inspection"
        )
        say("tag counts over 10,000 notes", summary(timed(lambda: tag_counts(notes, lambda _: facts), repeat=10)))
        coded = [n for n in notes if any(t.startswith(top) for t in n.tags)]
        given = ProjectInput(coded, [], store.codes(), {report.id: report}.get, lambda _: facts, str, now())
        size = len(build_project(given).data)
        say(f"a .qdpx of 5,000 notes ({size / 1e6:.1f} MB)", summary(timed(lambda: build_project(given), repeat=5)))
