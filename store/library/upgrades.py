"""Notes follow a report whose parse changed under them: a new importer parsing an imported report anew, or a new
version of the app shipping a report of the record parsed anew. Paragraph boundaries and ids may move; each note is
re-anchored on its quote and context (store/notes/anchoring.py), never dropped.

- Imported reports: a parser upgrade re-parses each one (its cache name carries the parser version); one whose parse
  by the earlier importer is still cached has its notes re-anchored from the old paragraphs to the new, then the
  old parse is deleted. Reports not parsed yet wait for their turn (opening one, or the warm-up, parses it).
- Shipped reports: this data dir keeps the content hash of each shipped report it last saw; one with notes whose
  hash changed has its notes re-anchored on the new parse.
A notes file that cannot be written now leaves the work for later.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from ofsted_reader.core.model import Report
from ofsted_reader.host import locations
from ofsted_reader.store.atomic import write_atomic

from . import parse_cache, shipped

if TYPE_CHECKING:
    from .library import Library


class Upgrades:
    def __init__(self) -> None:
        self._older: dict[str, Path] | None = None  # earlier parses by hash prefix, listed on first use

    def settle(self, library: Library) -> None:
        """Re-anchor the notes of every report of the library whose new parse is ready."""
        if self._older is None:
            self._older = parse_cache.older_parses()
        if not self._older:
            return
        ready = [
            e
            for e in library.entries()
            if not e.shipped and e.sha256[:32] in self._older and parse_cache.path(e.sha256).exists()
        ]
        if not ready:
            return
        from ofsted_reader.store.errors import StoreError
        from ofsted_reader.store.notes.annotations import AnnotationStore

        store = AnnotationStore() if locations.has_notes_files() else None
        for entry in ready:
            old_path = self._older[entry.sha256[:32]]
            if store is not None:
                try:
                    new = parse_cache.read(entry.sha256, entry.id)
                    old = Report.from_dict(json.loads(old_path.read_text(encoding="utf-8")))
                    store.reanchor_report(new, old.with_id(entry.id) if old.id != entry.id else old)
                except parse_cache.FAULTS:
                    pass  # an old parse that cannot be read has nothing to give: the notes re-anchor on their quotes
                except StoreError:
                    continue
            old_path.unlink(missing_ok=True)
            del self._older[entry.sha256[:32]]


def follow_shipped(library: Library) -> None:
    """Notes on shipped reports whose content changed since this data dir last saw them are re-anchored. Costs one
    small file read when nothing changed; loads only the changed reports that have notes."""
    current = {e.id: e.sha256 for e in library.entries() if e.shipped}
    seen_file = locations.shipped_seen_file()
    try:
        seen = orjson.loads(seen_file.read_bytes())
        seen = seen if isinstance(seen, dict) else {}
    except (OSError, ValueError):
        seen = {}
    changed = {rid for rid, sha in current.items() if seen.get(rid) != sha}
    if not changed:
        return
    if locations.has_notes_files():
        from ofsted_reader.store.errors import StoreError
        from ofsted_reader.store.notes.annotations import AnnotationStore

        store = AnnotationStore()
        with_notes = {n.report_id for n in store.all()} & changed
        for report_id in sorted(with_notes):
            try:
                store.reanchor_report(library.load(report_id, keep=False))
            except shipped.FAULTS:
                changed.discard(report_id)  # unreadable now: tried again at the next start
            except StoreError:
                return  # the notes cannot be written now: nothing is marked seen, so the next start tries again
    try:
        write_atomic(seen_file, orjson.dumps({**seen, **{rid: current[rid] for rid in changed}}))
    except OSError:
        pass  # a read-only data dir: the notes were re-anchored in memory only if at all; tried again next start
