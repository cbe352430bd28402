"""The main screen: the library tree beside the paragraph reader, and everything done from there (notes, bookmarks,
history, search, compare, export). The app around it holds the library, the notes store and the keymap."""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from ofsted_reader.core.grades import grade_name
from ofsted_reader.core.model import Paragraph, Report
from ofsted_reader.core.notes import Note
from ofsted_reader.core.safe_text import visible
from ofsted_reader.core.wording import plural
from ofsted_reader.store.library.library import Library
from ofsted_reader.store.library.related import resolve_reference
from ofsted_reader.store.notes.annotations import AnnotationStore, StoreError
from ofsted_reader.store.uistate import UIState
from ofsted_reader.tui.actions import MAIN, bindings
from ofsted_reader.tui.dialogs.modals import GoTo
from ofsted_reader.tui.history import History, Visit
from ofsted_reader.tui.key_hints import key_of
from ofsted_reader.tui.notes_changed import NotesChange, notes_signal, publish_notes_changed
from ofsted_reader.tui.screens.authority import AuthorityScreen
from ofsted_reader.tui.screens.search import Chosen, SearchScreen
from ofsted_reader.tui.widgets import reader_heading
from ofsted_reader.tui.widgets.key_bar import KeyBar
from ofsted_reader.tui.widgets.library_tree import LibraryTree
from ofsted_reader.tui.widgets.reader import Block, Reader

from .authority_actions import AuthorityActions
from .library_manager import LibraryManager
from .note_actions import NoteActions

UNDO_LIMIT = 50  # deleted notes u can bring back, most recent first
NOTES_WATCH_SECONDS = 1.0  # how often the app looks for notes changed outside it (a stat call)


class MainScreen(NoteActions, AuthorityActions, LibraryManager):
    APP_KEYS_FIRST = True  # the key bar shows quit and help before this screen's keys
    # tab moves between the two panes here; in dialogs it keeps its usual meaning. The table: tui/actions.py.
    BINDINGS = bindings(MAIN)
    notes_watch_seconds = NOTES_WATCH_SECONDS  # set before it is mounted, to look more or less often (the tests)

    def __init__(self, library: Library, store: AnnotationStore, state: UIState):
        super().__init__()
        self.library = library
        self.store = store
        self.state = state
        self.report: Report | None = None
        self.section_id: str | None = None
        self.history = History()
        self.deleted: deque[Note] = deque(maxlen=UNDO_LIMIT)  # deleted notes, for u
        self.last_copied: str | None = None
        self.last_code: str | None = None  # the code . applies: the last one given to a passage
        self.search_index = None
        self.hits: list = []
        self.hit_index = 0
        self.search_text = ""
        self._authority_screen: AuthorityScreen | None = None  # made once, refilled for each authority
        self.tree_sort = "name"
        self._title_notes: list[Note] = []
        self._shown_stamp: tuple[object, ...] = ()  # the notes' files as the reader last showed them

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

    def _say_store_notices(self) -> None:
        """What the store found and the user must know though the notes stay usable (a journal cut short, its end
        kept aside): each said once."""
        for notice in self.store.notices():
            self.notify(notice, title="Notes", severity="warning", timeout=20)

    def compose(self) -> ComposeResult:
        yield Static(id="titlebar")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Input(placeholder="Filter (f): name, region:london, grade:4, 2019", id="filter")
                yield Static(id="tree-status")
                yield LibraryTree(self.library.outline, id="tree")
            with Vertical(id="right"):
                yield Static(id="section-title")
                yield Reader(id="reader")
        yield KeyBar()

    def on_mount(self) -> None:
        tree = self.query_one(LibraryTree)
        tree.load(self.library.entries())
        self._update_tree_status()
        # What start-up built lives as long as the app: moved out of the collector's way, so its passes (30-100 ms
        # each with a large library) stop landing on keypresses.
        gc.freeze()
        self._shown_stamp = self.store.disk_stamp()
        self._update_counts(self.store.all())
        self._say_store_notices()
        self._update_heading()
        for problem in self.library.problems:
            self.notify(problem, title="A report could not be read", severity="error", timeout=10)
        if self.store.damaged:
            self.notify(
                f"Notes are read-only: annotations file {self.store.damaged}",
                title="Notes file damaged",
                severity="error",
                timeout=20,
            )
        restored = False
        if self.state.report_id and self.library.entry(self.state.report_id):
            restored = self.open_place(
                self.state.report_id, self.state.section_id, self.state.paragraph_id, focus_reader=False
            )
        if not restored:
            tree.focus()
        else:
            self.query_one(Reader).focus()
        self.set_interval(self.notes_watch_seconds, self._notes_changed_outside)
        notes_signal(self).subscribe(self, self._notes_changed_elsewhere)
        # Indexing starts once the first screen is painted: its threads must not delay that paint.
        self.call_after_refresh(self.start_indexing)
        if self.state.first_run:
            self.call_after_refresh(self.welcome)  # over the painted library, not before it
            self.state.first_run = False
            self._save_state()

    # --- opening places ---

    def _blocks(self, report: Report, paragraphs: list[Paragraph], notes: list[Note]) -> list[Block]:
        bookmarks = set(self.state.bookmarks)
        notes_by_paragraph: dict[str, list[Note]] = {}
        for note in sorted(notes, key=lambda n: (n.position or 0, n.created)):
            if note.report_id == report.id and note.attached and note.paragraph_id:
                notes_by_paragraph.setdefault(note.paragraph_id, []).append(note)
        recommendations: dict[str, str | None] = {}
        for rec in report.recommendations:
            recommendations.setdefault(rec.text, rec.timescale)
        blocks = []
        previous_section = None
        for paragraph in paragraphs:
            heading = None
            if paragraph.section != previous_section and len({p.section for p in paragraphs}) > 1:
                section = report.section(paragraph.section)
                if section is not None:
                    heading = section.title + (
                        f"  [{grade_name(section.grade, report.framework)}]" if section.grade else ""
                    )
            previous_section = paragraph.section
            timescales = [recommendations.get(item, "") for item in paragraph.items]
            blocks.append(
                Block(
                    paragraph, notes_by_paragraph.get(paragraph.id, []), paragraph.id in bookmarks, timescales, heading
                )
            )
        return blocks

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
        self.report, self.section_id = report, section_id
        reader = self.query_one(Reader)
        notes = self.store.all()
        reader.show(report, self._blocks(report, paragraphs, notes), cursor, highlight)
        if push:
            self.history.push(Visit(report.id, section_id, reader.current.id if reader.current else None))
        self.query_one(LibraryTree).select_place(report.id, section_id)
        self._update_counts(notes)
        self._update_heading()
        self._save_state()
        if focus_reader:
            reader.focus()
        return True

    def _remember_position(self) -> None:
        """Going back and forward returns to the paragraph the reader was on, not the one the place opened at."""
        visit, current = self.history.current, self.query_one(Reader).current
        if visit is not None and current is not None:
            visit.paragraph_id = current.id

    def _notes_changed_outside(self) -> None:
        """Notes changed by another process (the command line, a second window): marks, counts and an open notes
        panel show them within a second."""
        if self.store.damaged or self.store.disk_stamp() == self._shown_stamp:
            return
        # Another view may have read the change first (the codebook opened meanwhile): the store no longer calls it
        # changed, but the reader has not shown it, so every view is told here.
        read_first = not self.store.changed_on_disk()
        shown: list[list[Note]] = []
        if not self.store_call(lambda: shown.append(self._refresh_blocks())):
            return
        if read_first and shown and not self.store.damaged:
            publish_notes_changed(self, shown[0])
        if self.store.damaged:
            self.notify(
                f"Notes are read-only: annotations file {self.store.damaged}",
                title="Notes file damaged",
                severity="error",
                timeout=20,
            )

    def notes_changed(self) -> None:
        """After notes change here (added, edited, tagged, deleted, restored, attached): the reader's marks and the
        counts, then every other view of notes (an open notes panel, the codebook, an authority's memos)."""
        publish_notes_changed(self, self._refresh_blocks(announce=False))  # once, whatever else changed on disk

    def _notes_changed_elsewhere(self, change: NotesChange) -> None:
        """Notes changed on another screen (a code renamed in the codebook): the reader's marks and counts follow."""
        if change.by is not self:
            self._refresh_blocks()

    def _refresh_blocks(self, announce: bool = True) -> list[Note]:
        """After notes or bookmarks change: the reader's marks, the counts and the search index, from one read (the
        notes read, returned). Notes changed on disk meanwhile are read here, so the watcher would not see them
        changed: every other view of notes is told (unless the caller tells them itself, `announce` False)."""
        outside = self.store.changed_on_disk()
        self._shown_stamp = self.store.disk_stamp()  # before the read: a write after it is seen at the next look
        notes = self.store.all()
        self._say_store_notices()
        if self.search_index is not None:
            self.search_index.set_notes(notes)
        self._update_counts(notes)
        if self.report is not None:
            reader = self.query_one(Reader)
            reader.update_blocks(self._blocks(self.report, [b.paragraph for b in reader.blocks], notes))
            self._update_heading()
        if announce and outside and not self.store.damaged:
            publish_notes_changed(self, notes)
        return notes

    # --- title bar and state ---

    def refresh_title(self) -> None:
        """The title bar again with the notes last read (indexing or an import moved on)."""
        self._update_counts(self._title_notes)

    def _update_counts(self, notes: list[Note]) -> None:
        self._title_notes = notes
        bar = self.query_one("#titlebar", Static)
        title = Text(" ofsted-reader ", style="bold")
        tree = self.query_one(LibraryTree)
        total = len(self.library.entries())
        reports = plural(total, "report")
        if self.query_one("#filter", Input).value.strip():  # the count the filter leaves, of all
            reports = f"{tree.shown_reports} of {reports}"
        title.append(f" {reports} · {plural(len(notes), 'note')}", style="dim")
        if self.activity:
            title.append(f" · {self.activity}", style="bold")
        elif self.indexing is not None:
            title.append(f" · {self.indexing.describe()}", style="bold")
        orphans = sum(1 for n in notes if n.orphan)
        if orphans:
            title.append(f" · {orphans} orphaned ({key_of(self, 'app.notes')})", style="bold red")
        bar.update(title)

    def _update_heading(self) -> None:
        heading = self.query_one("#section-title", Static)
        if self.report is None:
            heading.update(reader_heading.empty())
            return
        report = self.report
        reader = self.query_one(Reader)
        section = report.section(self.section_id)
        current = reader.current
        if current is not None and current.section != self.section_id:
            section = report.section(current.section) or section
        width = heading.content_region.width or self.app.size.width
        keys = (key_of(self, "app.add_note"), key_of(self, "reader.select_clear"))
        heading.update(reader_heading.heading(report, section, current, width, reader.quote, keys))

    def on_resize(self) -> None:
        self.call_after_refresh(self._update_heading)

    def _save_state(self) -> None:
        current = self.query_one(Reader).current
        self.state.report_id = self.report.id if self.report else None
        self.state.section_id = self.section_id
        self.state.paragraph_id = current.id if current else None
        try:
            self.state.save()
        except OSError:
            pass  # where the app reopens is a convenience; never fail the user for it

    @on(Reader.Moved)
    def _reader_moved(self, event: Reader.Moved) -> None:
        self._update_heading()

    @on(LibraryTree.SectionChosen)
    def _section_chosen(self, event: LibraryTree.SectionChosen) -> None:
        if event.place.authority and event.place.section_id is None:
            self.show_authority(event.place.authority)
            return
        self.open_place(event.place.report_id, event.place.section_id)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_one(LibraryTree).load(self.library.entries(), event.value, self.tree_sort)
        self._update_tree_status()
        self.refresh_title()

    def _update_tree_status(self) -> None:
        """Under the filter: how many authorities are shown, in what order; or what in the filter means nothing."""
        tree = self.query_one(LibraryTree)
        status = self.query_one("#tree-status", Static)
        if tree.problem:
            status.update(Text(visible(tree.problem), style="bold"))
            status.set_class(True, "-problem")
            return
        status.set_class(False, "-problem")
        filtered = bool(self.query_one("#filter", Input).value.strip())
        count = f"{tree.shown} of {tree.total}" if filtered else f"{tree.total}"
        text = Text(
            f"{count} {'authority' if tree.total == 1 else 'authorities'} · {LibraryTree.SORT_NAMES[self.tree_sort]}"
        )
        if filtered and not tree.shown:
            text = Text("No matches: names, region:london, grade:4, framework:sif, a year; -word excludes")
        status.update(text)

    def action_sort_tree(self) -> None:
        """Order authorities by name, region, latest grade (worst first) or latest inspection (oldest first)."""
        sorts = LibraryTree.SORTS
        self.tree_sort = sorts[(sorts.index(self.tree_sort) + 1) % len(sorts)]
        self.query_one(LibraryTree).load(self.library.entries(), self.query_one("#filter", Input).value, self.tree_sort)
        self._update_tree_status()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        self.query_one(LibraryTree).focus()

    # --- search ---

    def action_search(self) -> None:
        def done(chosen: Chosen | None) -> None:
            if chosen is None:
                return
            self.hits, self.hit_index = chosen.hits, chosen.index
            self._open_hit()

        if self.search_index is None and self.indexing is None:
            self.start_indexing()
        self.app.push_screen(
            SearchScreen(self.search_index, self.search_text, self.indexing, load=self.library.find), done
        )

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

    # --- navigation actions ---

    def action_switch_pane(self) -> None:
        reader, tree = self.query_one(Reader), self.query_one(LibraryTree)
        (tree if reader.has_focus else reader).focus()

    def action_filter(self) -> None:
        # At once, not after the keys already typed: the name typed after f goes into the filter, never to the
        # tree or the reader as commands.
        self.set_focus(self.query_one("#filter", Input))

    def action_back_out(self) -> None:
        focused = self.focused
        filter_input = self.query_one("#filter", Input)
        if focused is filter_input:
            if filter_input.value:
                filter_input.value = ""
            else:
                self.query_one(LibraryTree).focus()
        elif isinstance(focused, Reader):
            self.query_one(LibraryTree).focus()

    def _leaf_sections(self) -> list[str]:
        if self.report is None:
            return []
        with_text = {p.section for p in self.report.paragraphs}
        return [s.id for s in self.report.sections if s.id in with_text]

    def _step_section(self, delta: int) -> None:
        sections = self._leaf_sections()
        if not sections or self.report is None:
            return
        reader = self.query_one(Reader)
        current = reader.current.section if reader.current else self.section_id
        index = sections.index(current) if current in sections else -1
        target = index + delta
        if 0 <= target < len(sections):
            self.open_place(self.report.id, sections[target])
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
