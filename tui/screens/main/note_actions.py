"""The notes part of the main screen: add (a, on a paragraph or a chosen quote), edit (e), tag (t), delete (d) and
undo (u), code (. and T), the notes panel (ctrl+n), export (x), bookmarks (m, '), copy with citation (y).

It owns what it remembers between keys (the notes deleted, for u; the code . applies; the text last copied) and acts
on the place the screen shows, through the screen's interface (parts.py); the screen's actions call its methods."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable
from pathlib import Path

from ofsted_reader.core.citation import citation, place, quoted_with_citation
from ofsted_reader.core.dates import list_date, short_date
from ofsted_reader.core.export import export_notes
from ofsted_reader.core.model import Paragraph, Report
from ofsted_reader.core.notes import Note
from ofsted_reader.core.wording import elide
from ofsted_reader.host import locations
from ofsted_reader.store.notes.annotations import AnnotationStore
from ofsted_reader.store.uistate import UIState
from ofsted_reader.tui.clipboard import copy
from ofsted_reader.tui.dialogs.chooser import Chooser
from ofsted_reader.tui.dialogs.confirm import Confirm
from ofsted_reader.tui.dialogs.note_editor import NoteEditor, NoteResult
from ofsted_reader.tui.key_hints import key_of
from ofsted_reader.tui.screens.export import ExportScreen, qda_bytes
from ofsted_reader.tui.widgets.notes_panel import NoteChoice, NotesPanel
from ofsted_reader.tui.widgets.reader import Reader

from .parts import MainView, Part

UNDO_LIMIT = 50  # deleted notes u can bring back, most recent first


class NoteActions(Part):
    def __init__(self, view: MainView):
        super().__init__(view)
        self.deleted: deque[Note] = deque(maxlen=UNDO_LIMIT)  # deleted notes, for u
        self.last_copied: str | None = None
        self.last_code: str | None = None  # the code . applies: the last one given to a passage

    @property
    def store(self) -> AnnotationStore:
        return self.view.store

    @property
    def state(self) -> UIState:
        return self.view.state

    @property
    def reader(self) -> Reader:
        return self.view.reader_pane.reader

    def _place(self) -> tuple[Report, Paragraph] | None:
        """The open report and the paragraph under the cursor, when there are both."""
        report, paragraph = self.view.report, self.view.current()
        return (report, paragraph) if report is not None and paragraph is not None else None

    def _notes_here(self) -> list[Note]:
        paragraph = self.view.current()
        return self.store.for_paragraph(paragraph.id) if paragraph else []

    def _known_tags(self) -> list[str]:
        return [tag for tag, _ in self.store.tags()]

    def add_note(self) -> None:
        """A note on the paragraph under the cursor, or on the quote chosen in it (v)."""
        place = self._place()
        if place is None:
            self.app.notify("Open a section and choose a paragraph first", severity="warning")
            return
        self.add_note_to(*place, quote=self.reader.quote)

    def add_note_to(self, report: Report, paragraph: Paragraph, quote: str | None = None) -> None:
        label = f"Note on {place(report, paragraph)}"
        if quote:
            label = f"Note on “{elide(quote, 120)}”\n{place(report, paragraph)}"

        def save(result: NoteResult, overwrite: bool) -> None:
            self.store.add(report, paragraph.id, result.text, result.tags, quote)
            if result.tags:
                self.last_code = result.tags[-1]

        def done(result: NoteResult | None) -> None:
            if result is None:
                return
            reader = self.reader
            if quote and reader.quote == quote:
                reader.selection = None  # noted: the quote now shows as the note's, underlined
            self.view.notes_changed()
            where = "the quote in " if quote else ""
            self.app.notify(f"Note added to {where}{report.paragraph_label(paragraph)}", timeout=3)

        draft_key = f"new {paragraph.id}" + (f" quote {quote}" if quote else "")
        self.app.push_screen(NoteEditor(label, known_tags=self._known_tags(), save=save, draft_key=draft_key), done)

    # --- coding: a passage tagged in one key ---

    def code_again(self) -> None:
        """The code used last, applied to the paragraph under the cursor (or the quote chosen in it): a note of
        tags alone, or the code added to the tags-only note already there."""
        place = self._place()
        if place is None:
            self.app.notify("Open a section and choose a paragraph first", severity="warning")
            return
        if not self.last_code:
            with_one = key_of(self.app, "app.code_with")
            self.app.notify(f"No code used yet: {with_one} codes this with one you choose", timeout=4)
            return
        code = self.last_code
        self.view.store_call(lambda: self._apply_codes(*place, self.reader.quote, [code]))

    def code_with(self) -> None:
        """Code the paragraph under the cursor (or the quote chosen in it) with codes typed (tab completes)."""
        place = self._place()
        if place is None:
            self.app.notify("Open a section and choose a paragraph first", severity="warning")
            return
        report, paragraph = place
        quote = self.reader.quote
        where = f"“{elide(quote, 80)}”" if quote else report.paragraph_label(paragraph)

        def save(result: NoteResult, overwrite: bool) -> None:
            if result.tags:
                self._apply_codes(report, paragraph, quote, result.tags)

        self.app.push_screen(NoteEditor(f"Code {where}", known_tags=self._known_tags(), tags_only=True, save=save))

    def _apply_codes(self, report: Report, paragraph: Paragraph, quote: str | None, codes: list[str]) -> None:
        """Raises StoreError (said by store_call or the editor)."""
        here = [
            note
            for note in self.store.for_paragraph(paragraph.id)
            if not note.text.strip() and (note.quote == quote if quote else not note.span)
        ]
        label = f"the quote in {report.paragraph_label(paragraph)}" if quote else report.paragraph_label(paragraph)
        if here:
            note = here[0]
            added = [code for code in codes if code not in note.tags]
            if not added:
                self.app.notify(f"{label} is coded {' '.join('#' + c for c in codes)} already", timeout=3)
                return
            self.store.edit(note.id, tags=[*note.tags, *added])
        else:
            self.store.add(report, paragraph.id, "", codes, quote)
        self.last_code = codes[-1]
        self.view.notes_changed()
        again = key_of(self.app, "app.code_again")
        self.app.notify(f"Coded {label} #{' #'.join(codes)} ({again} codes the next with #{codes[-1]})", timeout=4)

    def _with_note(self, callback: Callable[[Note], None]) -> None:
        """Act on the paragraph's note; with several, ask which."""
        notes = self._notes_here()
        if not notes:
            adds = key_of(self.app, "app.add_note")
            self.app.notify(f"No note on this paragraph ({adds} adds one)", severity="warning", timeout=3)
            return
        if len(notes) == 1:
            callback(notes[0])
            return
        options = [(n.id, n.summary(60) or "(empty note)") for n in notes]

        def chosen(note_id: str | None) -> None:
            if note_id:
                callback(next(n for n in notes if n.id == note_id))

        self.app.push_screen(Chooser("Which note?", options), chosen)

    def _edit(self, note: Note, tags_only: bool) -> None:
        """Edit a note's text and tags (or tags alone). The edit is based on the note's revision when opened: if
        the note changes meanwhile (from the command line, another window) the editor says so before overwriting."""

        def save(result: NoteResult, overwrite: bool) -> None:
            text = None if tags_only else result.text
            # The revision the text was typed over: the note's when opened, or an older one a restored draft kept.
            self.store.edit(note.id, text=text, tags=result.tags, revision=None if overwrite else result.revision)

        def done(result: NoteResult | None) -> None:
            if result is not None:
                self.view.notes_changed()

        heading = "Tags" if tags_only else "Edit note"
        self.app.push_screen(
            NoteEditor(
                heading,
                note.text,
                note.tags,
                self._known_tags(),
                tags_only=tags_only,
                save=save,
                draft_key=f"edit {note.id} {tags_only}",
                revision=note.revision,
            ),
            done,
        )

    def edit_note(self) -> None:
        self._with_note(lambda note: self._edit(note, tags_only=False))

    def edit_tags(self) -> None:
        self._with_note(lambda note: self._edit(note, tags_only=True))

    def _delete(self, note: Note) -> None:
        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            if not self.view.store_call(lambda: self.store.remove(note.id)):
                return
            self.deleted.append(note)
            self.view.notes_changed()
            self.app.notify(f"Note deleted. Press {key_of(self.app, 'app.undo')} to undo.", timeout=6)

        self.app.push_screen(Confirm(f"Delete this note? “{note.summary(50)}”"), confirmed)

    def delete_note(self) -> None:
        self._with_note(self._delete)

    def undo(self) -> None:
        if not self.deleted:
            self.app.notify("Nothing to undo", timeout=2)
            return
        note = self.deleted.pop()
        if not self.view.store_call(lambda: self.store.restore(note)):
            self.deleted.append(note)  # still undoable once the store can be written again
            return
        self.view.notes_changed()
        self.app.notify("Note restored", timeout=3)

    def show_notes(self) -> None:
        def done(choice: NoteChoice | None) -> None:
            if choice is None:
                return
            action, note_id = choice.action, choice.note_id
            note = self.store.get(note_id)
            if note is None:
                return
            if action == "go":
                if note.orphan:
                    self.app.notify(
                        "This note is orphaned: open the paragraph it belongs to, then "
                        f"{key_of(self.app, 'app.notes')} and {key_of(self.app, 'notes.attach')}",
                        severity="warning",
                    )
                    self.view.open_place(note.report_id)
                else:
                    self.view.open_place(note.report_id, None, note.paragraph_id)
            elif action == "attach":
                place = self._place()
                if place is None:
                    self.app.notify("Open the paragraph to attach the note to first", severity="warning")
                    return
                report, paragraph = place
                if not self.view.store_call(lambda: self.store.attach(note_id, report, paragraph.id)):
                    return
                self.view.notes_changed()
                self.app.notify(f"Note attached to paragraph {paragraph.number}", timeout=3)
            elif action == "delete":
                self._delete(note)

        self.app.push_screen(
            NotesPanel(self.store.all(), describe=self._note_place, entries=self.library.entries()), done
        )

    def _note_place(self, note: Note) -> str:
        """Where a note is, as people cite it: 'Barnsley, 19 Oct 2018, paragraph 20'."""
        entry = self.library.entry(note.report_id)
        if entry is None:
            return f"{note.report_id} (not in the library)"
        where = f"{entry.authority}, {short_date(list_date(entry))}"
        if note.orphan or not note.paragraph_id:
            return where
        try:
            report = self.library.load(note.report_id)
        except (OSError, ValueError, KeyError):
            return where
        paragraph = report.paragraph(note.paragraph_id)
        return f"{where}, {report.paragraph_label(paragraph)}" if paragraph is not None else where

    # --- export ---

    def export(self) -> None:
        if self.store.damaged:  # an export of a damaged store would be an empty or partial one
            self.app.notify(f"Cannot export: annotations file {self.store.damaged}", severity="error", timeout=10)
            return

        def render(group_by: str) -> tuple[str, int]:
            as_csv = group_by == "csv"
            notes, memos = self.store.all(), self.store.memos()
            return export_notes(notes, self.library.find, "report" if as_csv else group_by, as_csv, memos=memos)

        default = locations.exports_dir() / f"notes-{dt.date.today().isoformat()}.md"

        def done(path: Path | None) -> None:
            if path is not None:
                self.app.notify(f"Saved {path}", timeout=5)

        self.app.push_screen(
            ExportScreen(render, default, qda=lambda kind: qda_bytes(self.library, self.store, kind)), done
        )

    # --- bookmarks, copy, help ---

    def bookmark(self) -> None:
        paragraph = self.view.current()
        if paragraph is None:
            return
        if paragraph.id in self.state.bookmarks:
            self.state.bookmarks.remove(paragraph.id)
            self.app.notify("Bookmark removed", timeout=2)
        else:
            self.state.bookmarks.append(paragraph.id)
            self.app.notify(f"Bookmarked ({key_of(self.app, 'app.bookmarks')} lists bookmarks)", timeout=2)
        self.view.save_state()
        self.view.refresh_blocks()

    def bookmarks(self) -> None:
        """Every bookmark by its citation: enter goes there, d removes it."""
        options = []
        for paragraph_id in self.state.bookmarks:
            report_id = paragraph_id.split("/", 1)[0]
            if not self.library.entry(report_id):
                continue
            report = self.library.load(report_id)
            paragraph = report.paragraph(paragraph_id)
            if paragraph is not None:
                options.append((paragraph_id, f"{citation(report, paragraph)}"))

        def remove(paragraph_id: str) -> None:
            if paragraph_id in self.state.bookmarks:
                self.state.bookmarks.remove(paragraph_id)
                self.view.save_state()
                self.view.refresh_blocks()

        def done(paragraph_id: str | None) -> None:
            if paragraph_id:
                self.view.open_place(paragraph_id.split("/", 1)[0], None, paragraph_id)

        self.app.push_screen(
            Chooser(
                "Bookmarks",
                options,
                f"No bookmarks yet: {key_of(self.app, 'app.bookmark')} bookmarks a paragraph.",
                choose="go there",
                on_delete=remove,
                delete="remove the bookmark",
            ),
            done,
        )

    def copy_with_citation(self) -> None:
        """The paragraph (or the quote chosen in it) with its citation."""
        place = self._place()
        if place is None:
            return
        quote = self.reader.quote
        self.last_copied = f"“{quote}” ({citation(*place)})" if quote else quoted_with_citation(*place)
        copy(self.app, self.last_copied, f"{'The quote' if quote else 'The paragraph'} with its citation")
