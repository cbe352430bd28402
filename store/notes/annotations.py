"""The user's notes and tags on paragraphs: what can be done to them (add, edit, tag, re-anchor, back up).

How they get to the disk and back, under one lock, with the journal of added notes and the handling of damaged
files, is `notefile.py`; backups are checked and merged in `backup.py`; tags have one form, `tags.py`; renaming
tags and the codebook of their descriptions and colours, `codebook.py`; memos on reports and authorities,
`memos.py`.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from tinydb import Query

from ofsted_reader.core.model import Report
from ofsted_reader.core.notes import Note
from ofsted_reader.store.atomic import disk_full, write_atomic
from ofsted_reader.store.errors import StoreError
from ofsted_reader.store.notes.stamps import checked_text, now

from . import backup
from .anchoring import Anchor, make_anchor, paragraph_text, reanchor
from .codebook import CodebookStore
from .memos import MemoStore
from .tags import checked_tags, clean_tags

__all__ = ["JOURNAL_LIMIT", "AnnotationStore", "StaleEditError", "StoreError", "clean_tags", "now"]

JOURNAL_LIMIT = 1000  # notes added by appending before an add folds them into the main file


class StaleEditError(StoreError):
    """An edit based on a revision of the note that is no longer the latest: saving it would overwrite a change made
    meanwhile (in another window, or from the command line). `current` is the note as it is now."""

    def __init__(self, message: str, current: Note):
        super().__init__(message)
        self.current = current


class AnnotationStore(CodebookStore, MemoStore):
    """The notes, read and changed. Reading takes the main file and the journal; every change but an add goes
    through `_writing` (the lock, the files read and checked, the journal folded in, one atomic write). Tags and
    the codebook are codebook.py's half of it, memos memos.py's."""

    def __init__(self, path: Path | None = None):
        super().__init__(path)
        self._made: dict[int, tuple[dict, Note]] = {}  # id(stored note) -> (it, its Note)

    def _changed(self) -> None:
        self._made = {}

    # --- reading ---

    def all(self) -> list[Note]:
        """Every note (none when the files cannot be read: `damaged` says why)."""
        # Straight from the storage's parsed cache: TinyDB's Document wrapping cost 70 ms at 10k notes.
        docs = self._stored()
        if docs is None:
            return []
        # A Note is made once per stored note and kept while the stored note is the same object: after an add only
        # the new note is made (10k Notes took 50 ms). Any other change clears this (see _writing).
        memo, kept = self._made, {}
        notes: list[Note] = []
        for doc in docs:
            hit = memo.get(id(doc))
            note = hit[1] if hit is not None and hit[0] is doc else Note.from_dict(doc)
            kept[id(doc)] = (doc, note)
            notes.append(note)
        self._made = kept
        return notes

    def get(self, note_id: str) -> Note | None:
        if self.damaged:
            return None
        return next((note for note in self.all() if note.id == note_id), None)

    def resolve_id(self, prefix: str) -> Note:
        """A note by id or unambiguous id prefix (ids are long; people type the first few characters)."""
        if self.damaged:
            raise self._refused()
        notes = self.all()
        matches = [n for n in notes if n.id == prefix] or [n for n in notes if n.id.startswith(prefix)]
        if not matches:
            raise StoreError(f"no note with id {prefix!r}; see `ofsted-reader note list`")
        if len(matches) > 1:
            raise StoreError(f"note id {prefix!r} is ambiguous ({len(matches)} notes); type more of it")
        return matches[0]

    def matching(self, tag: str | None = None, report: str | None = None, orphans: bool = False) -> list[Note]:
        """The notes with this tag, on this report, or orphaned (each filter when given), in reading order."""
        notes = self.all()
        if tag:
            wanted = self._stored_tag(tag)
            notes = [n for n in notes if wanted in n.tags]
        if report:
            notes = [n for n in notes if n.report_id == report]
        if orphans:
            notes = [n for n in notes if n.orphan]
        return sorted(notes, key=lambda n: (n.report_id, n.position or 0, n.created))

    def for_paragraph(self, paragraph_id: str) -> list[Note]:
        return [n for n in self.all() if n.paragraph_id == paragraph_id and not n.orphan]

    def tags(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for note in self.all():
            for tag in note.tags:
                counts[tag] = counts.get(tag, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    # --- writing ---

    def add(
        self, report: Report, paragraph_id: str, text: str, tags: list[str] | None = None, quote: str | None = None
    ) -> Note:
        if report.paragraph(paragraph_id) is None:
            raise StoreError(f"no paragraph {paragraph_id!r} in {report.id}")
        try:
            anchor = make_anchor(report, paragraph_id, quote)
        except ValueError as error:
            raise StoreError(f"{error}: {paragraph_id}") from None
        stamp = now()
        note = {
            "id": uuid.uuid4().hex,
            "report_id": report.id,
            "text": checked_text(text),
            "tags": checked_tags([checked_text(t, "a tag") for t in tags or []]),
            "created": stamp,
            "updated": stamp,
            "revision": 1,
            **anchor_fields(anchor),
        }
        with self._adding() as journal:
            if len(journal.read()) >= JOURNAL_LIMIT:
                with self._writing():  # folds the journal, then the note goes straight into the main file
                    self._db.table("notes").insert(note)
            else:
                journal.append(note)
        return Note.from_dict(note)

    def consolidate(self) -> None:
        """Fold the journal of added notes into the main file now (any other change does it too)."""
        with self._writing():
            pass

    def edit(
        self, note_id: str, text: str | None = None, tags: list[str] | None = None, revision: int | None = None
    ) -> Note:
        """Change a note's text and/or tags. With `revision` (the one the editor started from) the edit is refused
        with StaleEditError when the note changed meanwhile, instead of overwriting that change."""
        changes: dict = {}
        if text is not None:
            changes["text"] = checked_text(text)
        if tags is not None:
            changes["tags"] = checked_tags([checked_text(t, "a tag") for t in tags])
        with self._writing():
            note = self.resolve_id(note_id)
            current = note.revision
            if revision is not None and revision != current:
                raise StaleEditError(
                    f"note {note.id[:8]} was changed elsewhere since you began editing it "
                    f"(revision {current}, yours {revision})",
                    note,
                )
            changes.update(updated=now(), revision=current + 1)
            self._db.table("notes").update(changes, Query().id == note.id)
            return Note.from_dict({**note.to_dict(), **changes})

    def remove(self, note_id: str) -> Note:
        with self._writing():
            note = self.resolve_id(note_id)
            self._db.table("notes").remove(Query().id == note.id)
            return note

    def restore(self, note: Note) -> None:
        """Put back a note exactly as it was (undo of a delete)."""
        with self._writing():
            table = self._db.table("notes")
            if not table.search(Query().id == note.id):
                table.insert(note.to_dict())

    def attach(self, note_id: str, report: Report, paragraph_id: str) -> Note:
        """Re-attach an orphan (or move any note) to a paragraph the user chose."""
        if report.paragraph(paragraph_id) is None:
            raise StoreError(f"no paragraph {paragraph_id!r} in {report.id}")
        with self._writing():
            note = self.resolve_id(note_id)
            changes = {"report_id": report.id, "updated": now(), **anchor_fields(make_anchor(report, paragraph_id))}
            self._db.table("notes").update(changes, Query().id == note.id)
            return Note.from_dict({**note.to_dict(), **changes})

    # --- re-anchoring ---

    def reanchor_report(self, report: Report, previous: Report | None = None) -> tuple[int, int, int]:
        """After a report changed: (kept in place, moved, orphaned). A whole-paragraph note that becomes an orphan
        takes the paragraph's full text from the previous version, when given, so the evidence stays readable."""
        counts = [0, 0, 0]

        def change(notes: dict) -> None:
            for note in notes.values():
                if note.get("report_id") != report.id or note.get("orphan"):
                    continue
                anchor = reanchor(dict(note), report)
                if anchor is None:
                    old = previous.paragraph(note["paragraph_id"]) if previous and note.get("paragraph_id") else None
                    if old is not None and note.get("span") is None:
                        note.update(quote=paragraph_text(old))
                    note.update(orphan=True, paragraph_id=None, span=None)
                    counts[2] += 1
                    continue
                fields = anchor_fields(anchor)
                counts[0 if fields["paragraph_id"] == note.get("paragraph_id") else 1] += 1
                note.update(fields)

        with self._writing():
            self._mutate(change)
        return counts[0], counts[1], counts[2]

    # --- backup ---

    def export_backup(self, path: Path) -> int:
        if self.damaged:
            raise self._refused()
        notes = self.all()
        try:
            write_atomic(path, backup.export_body(notes, now(), list(self.codes().values()), self.memos()))
        except OSError as error:
            reason = "the disk is full" if disk_full(error) else error.strerror or error
            raise StoreError(f"{path}: cannot write the backup ({reason}); nothing was written") from None
        return len(notes)

    def import_backup(self, path: Path) -> dict:
        """Merge by note id (see backup.merge), the codebook by tag and memos by id. Everything is checked first,
        and the merge is one write: a backup with a bad note changes nothing, and a kill midway leaves the store as
        it was. The result has the counts, the conflicts and the tags brought to the app's form ({as in the backup:
        as imported}); "codes" and "memos" the counts of those."""
        contents = backup.read_backup(path)
        result: dict = {}

        def change(data: dict[str, dict]) -> None:
            result.update(backup.merge(data["notes"], contents.notes))
            result["codes"] = backup.merge(data["codebook"], contents.codes, "tag", backup.CODE_COMPARED)
            result["memos"] = backup.merge(data["memos"], contents.memos, "id", backup.MEMO_COMPARED)

        with self._writing():
            self._mutate_tables(change, ("notes", "codebook", "memos"))
        result["tags_normalised"] = contents.retagged
        return result


def anchor_fields(anchor: Anchor) -> dict:
    return {
        "paragraph_id": anchor.paragraph_id,
        "span": list(anchor.span) if anchor.span else None,
        "quote": anchor.quote,
        "prefix": anchor.prefix,
        "suffix": anchor.suffix,
        "position": anchor.position,
        "digest": anchor.digest,
        "orphan": False,
    }
