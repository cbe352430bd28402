"""The main screen: the library tree beside the paragraph reader, and everything done from there (notes, bookmarks,
history, search, compare, export). The app around it holds the library, the notes store, the keymap and the services
that run the long work (tui/services/).

The screen is made of parts that each own one job: the tree (`LibraryPane`: the filter and the sort), the reader
(`ReaderPane`: the report being read and its marks), the title bar, and the parts its actions go to (`NoteActions`,
`AuthorityActions`, `LibraryActions`). The panes post their own messages and the screen reacts; the screen holds
where the user is (the place, its history, the search's hits) and keeps every view of notes in step."""

from __future__ import annotations

import gc
from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen

from ofsted_reader.core.model import Paragraph, Report
from ofsted_reader.core.notes import Note
from ofsted_reader.store.library.library import Library
from ofsted_reader.store.library.related import resolve_reference
from ofsted_reader.store.notes.annotations import AnnotationStore, StoreError
from ofsted_reader.store.uistate import UIState
from ofsted_reader.tui.actions import MAIN, bindings
from ofsted_reader.tui.dialogs.go_to import GoTo
from ofsted_reader.tui.history import History, Visit
from ofsted_reader.tui.index_changed import IndexChange, index_signal
from ofsted_reader.tui.notes_changed import NotesChange, notes_signal, publish_notes_changed
from ofsted_reader.tui.screens.search import Chosen, SearchScreen
from ofsted_reader.tui.services.indexing import Indexing
from ofsted_reader.tui.services.library_work import LibraryWork
from ofsted_reader.tui.widgets.key_bar import KeyBar
from ofsted_reader.tui.widgets.library_tree import LibraryTree
from ofsted_reader.tui.widgets.reader import Reader
from ofsted_reader.tui.work_changed import WorkChange, work_signal

from .authority_actions import AuthorityActions
from .library_actions import LibraryActions
from .library_pane import LibraryPane
from .note_actions import NoteActions
from .reader_pane import ReaderPane
from .title_bar import TitleBar

NOTES_WATCH_SECONDS = 1.0  # how often the app looks for notes changed outside it (a stat call)


class MainScreen(Screen):
    CSS_PATH = "screen.tcss"
    APP_KEYS_FIRST = True  # the key bar shows quit and help before this screen's keys
    # tab moves between the two panes here; in dialogs it keeps its usual meaning. The table: tui/actions.py.
    BINDINGS = bindings(MAIN)
    notes_watch_seconds = NOTES_WATCH_SECONDS  # set before it is mounted, to look more or less often (the tests)

    def __init__(self, library: Library, store: AnnotationStore, state: UIState, indexing: Indexing, work: LibraryWork):
        super().__init__()
        self.library = library
        self.store = store
        self.state = state
        self.indexing = indexing  # the app's: the search index, built in the background
        self.work = work  # the app's: import, fetch, download
        self.history = History()
        self.hits: list = []
        self.hit_index = 0
        self.search_text = ""
        self.notes = NoteActions(self)
        self.authorities = AuthorityActions(self)
        self.library_actions = LibraryActions(self, work)
        self._title_notes: list[Note] = []
        self._shown_stamp: tuple[object, ...] = ()  # the notes' files as the reader last showed them

    def compose(self) -> ComposeResult:
        yield TitleBar(id="titlebar")
        with Horizontal(id="main"):
            yield LibraryPane(self.library, id="left")
            yield ReaderPane(self.state, id="right")
        yield KeyBar()

    # --- the parts, and the place being read (parts.py: what the action parts use) ---

    @property
    def library_pane(self) -> LibraryPane:
        return self.query_one(LibraryPane)

    @property
    def reader_pane(self) -> ReaderPane:
        return self.query_one(ReaderPane)

    @property
    def report(self) -> Report | None:
        """The report being read."""
        return self.reader_pane.report

    @property
    def section_id(self) -> str | None:
        return self.reader_pane.section_id

    def current(self) -> Paragraph | None:
        """The paragraph under the reader's cursor, when a report is open."""
        return self.reader_pane.current

    @property
    def last_copied(self) -> str | None:
        """The text last copied, with its citation (here, or from compare)."""
        return self.notes.last_copied

    @last_copied.setter
    def last_copied(self, text: str | None) -> None:
        self.notes.last_copied = text

    def store_call(self, call: Callable[[], object]) -> bool:
        """Run a call on the notes store that can be refused (a damaged file, another process holding the lock, a
        full disk): True when it went through, else False after saying why in one notification (the notes on disk
        are then as they were)."""
        try:
            call()
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=10)
            return False
        return True

    def _say_if_notes_damaged(self) -> None:
        if self.store.damaged:
            self.notify(
                f"Notes are read-only: annotations file {self.store.damaged}",
                title="Notes file damaged",
                severity="error",
                timeout=20,
            )

    def _say_store_notices(self) -> None:
        """What the store found and the user must know though the notes stay usable (a journal cut short, its end
        kept aside): each said once."""
        for notice in self.store.notices():
            self.notify(notice, title="Notes", severity="warning", timeout=20)

    def on_mount(self) -> None:
        pane = self.library_pane
        pane.reload()
        pane.show_status()
        # What start-up built lives as long as the app: moved out of the collector's way, so its passes (30-100 ms
        # each with a large library) stop landing on keypresses.
        gc.freeze()
        self._shown_stamp = self.store.disk_stamp()
        self._update_counts(self.store.all())
        self._say_store_notices()
        self.reader_pane.update_heading()
        for problem in self.library.problems:
            self.notify(problem, title="A report could not be read", severity="error", timeout=10)
        self._say_if_notes_damaged()
        restored = False
        if self.state.report_id and self.library.entry(self.state.report_id):
            restored = self.open_place(
                self.state.report_id, self.state.section_id, self.state.paragraph_id, focus_reader=False
            )
        if not restored:
            pane.library_tree.focus()
        else:
            self.reader_pane.reader.focus()
        self.set_interval(self.notes_watch_seconds, self.check_notes_on_disk)
        notes_signal(self).subscribe(self, self._notes_changed_elsewhere)
        # At once, before the search screen hears of the index: a search over the whole index sees the notes' tags.
        index_signal(self).subscribe(self, self._index_changed, immediate=True)
        work_signal(self).subscribe(self, self._work_changed)
        # Indexing starts once the first screen is painted: its threads must not delay that paint.
        self.call_after_refresh(self.indexing.start)
        if self.state.first_run:
            self.call_after_refresh(self.library_actions.welcome)  # over the painted library, not before it
            self.state.first_run = False
            self.save_state()

    # --- opening places ---

    def open_place(
        self,
        report_id: str,
        section_id: str | None = None,
        paragraph_id: str | None = None,
        push: bool = True,
        highlight: str | None = None,
        focus_reader: bool = True,
    ) -> bool:
        entry = self.library.entry(report_id)
        if entry is None:
            self.notify(f"No report {report_id} in the library", severity="error")
            return False
        try:
            report = self.library.load(report_id)
        except (OSError, ValueError, KeyError) as error:
            self.notify(
                f"{entry.source}: the cached parse cannot be read ({error}); re-import the report", severity="error"
            )
            return False
        paragraph = report.paragraph(paragraph_id) if paragraph_id else None
        if section_id is None or report.section(section_id) is None:
            if paragraph is not None:
                section_id = paragraph.section
            else:
                section_id = next((p.section for p in report.paragraphs if p.section), None)
        if push:
            self._remember_position()
        paragraphs = report.paragraphs_under(section_id)
        if paragraph is not None and paragraph not in paragraphs:
            section_id = paragraph.section
            paragraphs = report.paragraphs_under(section_id)
        cursor = paragraphs.index(paragraph) if paragraph in paragraphs else 0
        pane = self.reader_pane
        notes = self.store.all()
        pane.show(report, section_id, paragraphs, cursor, notes, highlight)
        if push:
            current = pane.reader.current
            self.history.push(Visit(report.id, section_id, current.id if current else None))
        self.library_pane.library_tree.select_place(report.id, section_id)
        self._update_counts(notes)
        self.save_state()
        if focus_reader:
            pane.reader.focus()
        return True

    def _remember_position(self) -> None:
        """Going back and forward returns to the paragraph the reader was on, not the one the place opened at."""
        visit, current = self.history.current, self.reader_pane.reader.current
        if visit is not None and current is not None:
            visit.paragraph_id = current.id

    @on(LibraryTree.SectionChosen)
    def _section_chosen(self, event: LibraryTree.SectionChosen) -> None:
        if event.place.authority and event.place.section_id is None:
            self.show_authority(event.place.authority)
            return
        self.open_place(event.place.report_id, event.place.section_id)

    @on(LibraryPane.Filtered)
    def _filtered(self, event: LibraryPane.Filtered) -> None:
        self.refresh_title()

    def reload_tree(self) -> None:
        """The tree lists the library again (reports joined it)."""
        self.library_pane.reload()
        self.refresh_title()

    # --- notes changed, here or elsewhere ---

    def check_notes_on_disk(self) -> None:
        """Notes changed by another process (the command line, a second window): marks, counts and an open notes
        panel show them within a second."""
        if self.store.damaged or self.store.disk_stamp() == self._shown_stamp:
            return
        # Another view may have read the change first (the codebook opened meanwhile): the store no longer calls it
        # changed, but the reader has not shown it, so every view is told here.
        read_first = not self.store.changed_on_disk()
        shown: list[list[Note]] = []
        if not self.store_call(lambda: shown.append(self.refresh_blocks())):
            return
        if read_first and shown and not self.store.damaged:
            publish_notes_changed(self, shown[0])
        self._say_if_notes_damaged()

    def notes_changed(self) -> None:
        """After notes change here (added, edited, tagged, deleted, restored, attached): the reader's marks and the
        counts, then every other view of notes (an open notes panel, the codebook, an authority's memos)."""
        publish_notes_changed(self, self.refresh_blocks(announce=False))  # once, whatever else changed on disk

    def _notes_changed_elsewhere(self, change: NotesChange) -> None:
        """Notes changed on another screen (a code renamed in the codebook): the reader's marks and counts follow."""
        if change.by is not self:
            self.refresh_blocks()

    def refresh_blocks(self, announce: bool = True) -> list[Note]:
        """After notes or bookmarks change: the reader's marks, the counts and the search index, from one read (the
        notes read, returned). Notes changed on disk meanwhile are read here, so the watcher would not see them
        changed: every other view of notes is told (unless the caller tells them itself, `announce` False)."""
        outside = self.store.changed_on_disk()
        self._shown_stamp = self.store.disk_stamp()  # before the read: a write after it is seen at the next look
        notes = self.store.all()
        self._say_store_notices()
        if self.indexing.index is not None:
            self.indexing.index.set_notes(notes)
        self._update_counts(notes)
        self.reader_pane.show_notes(notes)
        if announce and outside and not self.store.damaged:
            publish_notes_changed(self, notes)
        return notes

    # --- the library's long work, as the services publish it ---

    def _index_changed(self, change: IndexChange) -> None:
        if change.progress is None:
            # The notes are read once for the index, the reader's marks and the counts together: a read here alone
            # would hide a change made outside the app from the watcher (check_notes_on_disk).
            self.refresh_blocks()
        else:
            self.refresh_title()

    def _work_changed(self, change: WorkChange) -> None:
        if change.reports_added:
            self.reload_tree()
        else:
            self.refresh_title()

    # --- title bar and state ---

    def refresh_title(self) -> None:
        """The title bar again with the notes last read (indexing or an import moved on)."""
        self._update_counts(self._title_notes)

    def _update_counts(self, notes: list[Note]) -> None:
        self._title_notes = notes
        running = self.work.activity or self.indexing.describe()
        shown = self.library_pane.shown_reports()
        self.query_one(TitleBar).show(len(self.library.entries()), shown, notes, running)

    def on_resize(self) -> None:
        self.call_after_refresh(self.reader_pane.update_heading)

    def return_here(self) -> None:
        """Off the screens above this one (the map, an overview, a trail), down to it: a place chosen on one of them
        opens here."""
        while len(self.app.screen_stack) > 1 and self.app.screen is not self:
            self.app.pop_screen()

    def save_state(self) -> None:
        """Where the reader is, for the next start."""
        current = self.reader_pane.reader.current
        self.state.report_id = self.report.id if self.report else None
        self.state.section_id = self.section_id
        self.state.paragraph_id = current.id if current else None
        try:
            self.state.save()
        except OSError:
            pass  # where the app reopens is a convenience; never fail the user for it

    # --- search ---

    def action_search(self) -> None:
        def done(chosen: Chosen | None) -> None:
            if chosen is None:
                return
            self.hits, self.hit_index = chosen.hits, chosen.index
            self._open_hit()

        if self.indexing.needed():
            self.indexing.start()
        search = SearchScreen(self.indexing.index, self.search_text, self.indexing.progress, load=self.library.find)
        self.app.push_screen(search, done)

    def _open_hit(self) -> None:
        if not self.hits:
            self.notify("No search results: / searches", timeout=2)
            return
        hit = self.hits[self.hit_index]
        self.open_place(hit.doc.report_id, None, hit.doc.paragraph_id, highlight=" ".join(hit.terms))
        self.notify(f"Match {self.hit_index + 1} of {len(self.hits)} (n/N)", timeout=2)

    def action_next_hit(self) -> None:
        if self.hits:
            self.hit_index = (self.hit_index + 1) % len(self.hits)
        self._open_hit()

    def action_previous_hit(self) -> None:
        if self.hits:
            self.hit_index = (self.hit_index - 1) % len(self.hits)
        self._open_hit()

    # --- moving about ---

    def action_switch_pane(self) -> None:
        reader, tree = self.reader_pane.reader, self.library_pane.library_tree
        (tree if reader.has_focus else reader).focus()

    def action_filter(self) -> None:
        # At once, not after the keys already typed: the name typed after f goes into the filter, never to the
        # tree or the reader as commands.
        self.set_focus(self.library_pane.filter_input)

    def action_sort_tree(self) -> None:
        """Order authorities by name, region, latest grade (worst first) or latest inspection (oldest first)."""
        self.library_pane.next_sort()

    def action_back_out(self) -> None:
        focused = self.focused
        pane = self.library_pane
        if focused is pane.filter_input:
            pane.back_out()
        elif isinstance(focused, Reader):
            pane.library_tree.focus()

    def _step_section(self, delta: int) -> None:
        pane = self.reader_pane
        sections = pane.leaf_sections()
        if not sections or pane.report is None:
            return
        current = pane.current_section()
        index = sections.index(current) if current in sections else -1
        target = index + delta
        if 0 <= target < len(sections):
            self.open_place(pane.report.id, sections[target])
        else:
            self.app.bell()

    def action_next_section(self) -> None:
        self._step_section(1)

    def action_previous_section(self) -> None:
        self._step_section(-1)

    def action_history_back(self) -> None:
        self._go(self.history.back, "No earlier place")

    def action_history_forward(self) -> None:
        self._go(self.history.forward, "No later place")

    def _go(self, step: Callable[[], Visit | None], none: str) -> None:
        self._remember_position()
        visit = step()
        if visit is None:
            self.notify(none, timeout=2)
            return
        self.open_place(visit.report_id, visit.section_id, visit.paragraph_id, push=False)

    def action_goto(self) -> None:
        hint = f"{self.report.id}/p12 or 12" if self.report else "warwickshire-2011-12-16/p71"

        def done(value: str | None) -> None:
            if not value:
                return
            found = resolve_reference(self.library, value, self.report)
            if found is None:
                self.notify(f"No paragraph {value!r}: give an id like {hint}", severity="warning")
                return
            report_id, paragraph_id = found
            if paragraph_id:
                self.open_place(report_id, None, paragraph_id)
            else:
                self.open_place(report_id, value.strip())

        self.app.push_screen(GoTo(hint), done)

    # --- the actions table's rows the parts carry out (tui/actions.py) ---

    def add_note_to(self, report: Report, paragraph: Paragraph, quote: str | None = None) -> None:
        self.notes.add_note_to(report, paragraph, quote)

    def action_add_note(self) -> None:
        self.notes.add_note()

    def action_edit_note(self) -> None:
        self.notes.edit_note()

    def action_edit_tags(self) -> None:
        self.notes.edit_tags()

    def action_code_again(self) -> None:
        self.notes.code_again()

    def action_code_with(self) -> None:
        self.notes.code_with()

    def action_delete_note(self) -> None:
        self.notes.delete_note()

    def action_undo(self) -> None:
        self.notes.undo()

    def action_notes(self) -> None:
        self.notes.show_notes()

    def action_bookmark(self) -> None:
        self.notes.bookmark()

    def action_bookmarks(self) -> None:
        self.notes.bookmarks()

    def action_copy(self) -> None:
        self.notes.copy_with_citation()

    def action_export(self) -> None:
        self.notes.export()

    def show_authority(self, authority: str) -> None:
        self.authorities.show_authority(authority)

    def action_overview(self) -> None:
        self.authorities.overview()

    def action_other_inspection(self, step: int) -> None:
        self.authorities.other_inspection(step)

    def action_compare(self) -> None:
        self.authorities.compare_section()

    def action_codebook(self) -> None:
        self.authorities.show_codebook()

    def action_matrix(self) -> None:
        self.authorities.show_grades()

    def action_map(self) -> None:
        self.authorities.show_map()

    def action_trends(self) -> None:
        self.authorities.show_trends()

    def action_history_matrix(self) -> None:
        self.authorities.show_history()

    def action_import_files(self) -> None:
        self.library_actions.import_files()

    def action_fetch(self) -> None:
        self.library_actions.fetch_authority()

    def action_open_original(self) -> None:
        self.library_actions.open_original()

    def action_about(self) -> None:
        self.library_actions.show_sources()
