"""Memos as stored: a note on a whole report or on an authority, tied to no paragraph, in the `memos` table of the
notes file (the same file, lock, safety and backups as the notes). Each change is one atomic write."""

from __future__ import annotations

import uuid

from ofsted_reader.core.notes import Memo
from ofsted_reader.store.errors import StoreError
from ofsted_reader.store.notes.stamps import checked_text, now

from .notefile import NoteFiles, next_doc_id

MEMO_LIMIT = 1_000_000  # characters, as a note's text


class MemoStore(NoteFiles):
    """The memo half of the notes store."""

    def memos(self, report_id: str | None = None, authority: str | None = None) -> list[Memo]:
        """Every memo, or those on a report or on an authority, oldest first."""
        memos = [Memo.from_dict(doc) for doc in self._table_docs("memos")]
        if report_id is not None:
            memos = [m for m in memos if m.report_id == report_id]
        if authority is not None:
            memos = [m for m in memos if m.authority == authority]
        return sorted(memos, key=lambda m: (m.created, m.id))

    def resolve_memo(self, prefix: str) -> Memo:
        if self.damaged:
            raise self._refused()
        memos = self.memos()
        matches = [m for m in memos if m.id == prefix] or [m for m in memos if m.id.startswith(prefix)]
        if not matches:
            raise StoreError(f"no memo with id {prefix!r}; see `ofsted-reader memo list`")
        if len(matches) > 1:
            raise StoreError(f"memo id {prefix!r} is ambiguous ({len(matches)} memos); type more of it")
        return matches[0]

    def add_memo(self, text: str, report_id: str | None = None, authority: str | None = None) -> Memo:
        """A memo on one report or one authority (the caller has checked that it exists)."""
        if bool(report_id) == bool(authority):
            raise StoreError("a memo is on one report or on one authority: give one of them")
        stamp = now()
        memo = Memo(uuid.uuid4().hex, _memo_text(text), stamp, stamp, report_id, authority)

        def change(data: dict[str, dict]) -> None:
            data["memos"][str(next_doc_id(data["memos"]))] = memo.to_dict()

        with self._writing():
            self._mutate_tables(change, ("memos",))
        return memo

    def edit_memo(self, memo_id: str, text: str, revision: int | None = None) -> Memo:
        """Change a memo's text; with `revision`, refused when the memo changed since that revision."""
        body = _memo_text(text)
        result: dict = {}

        def change(data: dict[str, dict]) -> None:
            for doc in data["memos"].values():
                if doc["id"] == result["id"]:
                    doc.update(text=body, updated=now(), revision=(doc.get("revision") or 1) + 1)
                    result.update(doc)

        with self._writing():
            memo = self.resolve_memo(memo_id)
            if revision is not None and revision != memo.revision:
                raise StoreError(
                    f"memo {memo.id[:8]} was changed elsewhere since you began editing it "
                    f"(revision {memo.revision}, yours {revision}); nothing was saved"
                )
            result["id"] = memo.id
            self._mutate_tables(change, ("memos",))
        return Memo.from_dict(result)

    def remove_memo(self, memo_id: str) -> Memo:
        with self._writing():
            memo = self.resolve_memo(memo_id)

            def change(data: dict[str, dict]) -> None:
                for doc_id in [i for i, doc in data["memos"].items() if doc["id"] == memo.id]:
                    del data["memos"][doc_id]

            self._mutate_tables(change, ("memos",))
        return memo

    def restore_memo(self, memo: Memo) -> None:
        """Put back a memo exactly as it was (undo of a delete)."""

        def change(data: dict[str, dict]) -> None:
            if not any(doc["id"] == memo.id for doc in data["memos"].values()):
                data["memos"][str(next_doc_id(data["memos"]))] = memo.to_dict()

        with self._writing():
            self._mutate_tables(change, ("memos",))


def _memo_text(text: str) -> str:
    text = checked_text(text, "the memo's text")
    if not text.strip():
        raise StoreError("a memo needs some text; nothing was saved")
    if len(text) > MEMO_LIMIT:
        raise StoreError(f"a memo is at most {MEMO_LIMIT:,} characters (this one is {len(text):,}); nothing was saved")
    return text
