"""Memos in an authority's overview: the notes on the authority and on each of its reports, not tied to any
paragraph. `m` writes one on the authority, `M` on the inspection under the cursor; enter on a memo edits it, `d`
deletes it. The editor keeps a draft while typing, as the note editor does (memo_editor.py)."""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ofsted_reader.core.authorities import Authority
from ofsted_reader.core.citation import report_date
from ofsted_reader.core.notes import Memo
from ofsted_reader.core.safe_text import first_line, visible
from ofsted_reader.store.errors import StoreError
from ofsted_reader.store.notes.annotations import AnnotationStore
from ofsted_reader.tui.dialogs.confirm import Confirm
from ofsted_reader.tui.dialogs.memo_editor import MemoEditor
from ofsted_reader.tui.dialogs.note_editor import NoteResult, SaveNote


class MemosPane(Screen[None]):
    """AuthorityScreen's memos: it has the authority (`found`, `authority_name`) and its `inspections`."""

    found: Authority | None
    authority_name: str
    inspections: list

    @property
    def _store(self) -> AnnotationStore:
        return self.app.store  # type: ignore[attr-defined]  # OfstedReaderApp's

    @property
    def _authority_key(self) -> str:
        return self.found.code if self.found is not None else self.authority_name

    def _memos(self) -> list[Memo]:
        reports = {i.report_id for i in self.inspections}
        return [m for m in self._store.memos() if m.authority == self._authority_key or m.report_id in reports]

    def fill_memos(self) -> None:
        memos = self._memos()
        listing = self.query_one("#authority-memos", OptionList)
        listing.clear_options()
        dates = {i.report_id: i.date for i in self.inspections}
        for memo in memos:
            line = Text()
            if memo.report_id:
                line.append(f"{report_date(dates.get(memo.report_id))}: ", style="bold")
            else:
                line.append("The authority: ", style="bold")
            line.append(visible(first_line(memo.text, 150)))
            listing.add_option(Option(line, id=memo.id))
        shown = bool(memos)
        listing.display = shown
        self.query_one("#authority-memos-label", Static).display = shown

    def _write(
        self,
        heading: str,
        save: SaveNote,
        text: str = "",
        draft: str = "",
        revision: int | None = None,
    ) -> None:
        def saved(result: NoteResult | None) -> None:
            if result is not None:
                self.fill_memos()
                self.notify("Memo saved", timeout=3)

        editor = MemoEditor(heading, text, save=save, draft_key=draft, revision=revision)
        self.app.push_screen(editor, saved)

    def action_memo_authority(self) -> None:
        key = self._authority_key
        name = visible(self.found.name if self.found is not None else self.authority_name)
        self._write(
            f"Memo on {name}",
            lambda result, _overwrite: self._store.add_memo(result.text, authority=key),
            draft=f"memo authority {key}",
        )

    def action_memo_report(self) -> None:
        listing = self.query_one("#authority-inspections", OptionList)
        option = listing.highlighted_option
        if option is None or not option.id:
            self.notify("Choose an inspection in the list first", severity="warning")
            return
        report_id = option.id
        date = next((i.date for i in self.inspections if i.report_id == report_id), None)
        self._write(
            f"Memo on {visible(self.authority_name)}, {report_date(date)}",
            lambda result, _overwrite: self._store.add_memo(result.text, report_id=report_id),
            draft=f"memo report {report_id}",
        )

    def edit_memo(self, memo_id: str) -> None:
        memo = next((m for m in self._memos() if m.id == memo_id), None)
        if memo is None:
            return

        def save(result: NoteResult, overwrite: bool) -> None:
            self._store.edit_memo(memo.id, result.text, revision=None if overwrite else memo.revision)

        self._write("Edit memo", save, memo.text, f"memo edit {memo.id}", memo.revision)

    def action_delete_memo(self) -> None:
        listing = self.query_one("#authority-memos", OptionList)
        option = listing.highlighted_option
        if self.focused is not listing or option is None or not option.id:
            self.notify("Choose a memo in the Memos list first (tab to it)", severity="warning")
            return
        memo_id = option.id

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self._store.remove_memo(memo_id)
            except StoreError as error:
                self.notify(str(error), severity="error", timeout=10)
                return
            self.fill_memos()

        self.app.push_screen(Confirm("Delete this memo?"), answered)
