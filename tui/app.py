"""The ofsted-reader app: the main screen (tree and reader), the library, the notes store and the keymap."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from dataclasses import replace

from textual import events, on
from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.signal import Signal
from textual.widgets import Input, TextArea
from textual.worker import Worker

from ofsted_reader.core.safe_text import visible
from ofsted_reader.host import locations
from ofsted_reader.store.library.library import Library
from ofsted_reader.store.library.related import authority_reports
from ofsted_reader.store.notes.annotations import AnnotationStore
from ofsted_reader.store.notes.drafts import kept_drafts
from ofsted_reader.store.uistate import UIState
from ofsted_reader.tui.dialogs.confirm import Confirm
from ofsted_reader.tui.dialogs.note_editor import NoteEditor
from ofsted_reader.tui.screens.authority import AuthorityScreen
from ofsted_reader.tui.screens.codebook import CodebookScreen
from ofsted_reader.tui.screens.compare import CompareScreen
from ofsted_reader.tui.screens.grades import GradesScreen
from ofsted_reader.tui.screens.help import HelpScreen
from ofsted_reader.tui.screens.main.screen import MainScreen
from ofsted_reader.tui.screens.map import MapScreen
from ofsted_reader.tui.screens.search import SearchScreen
from ofsted_reader.tui.screens.trail import TrailScreen
from ofsted_reader.tui.services.indexing import GROUP as INDEX_GROUP
from ofsted_reader.tui.services.indexing import Indexing
from ofsted_reader.tui.services.library_work import GROUPS as WORK_GROUPS
from ofsted_reader.tui.services.library_work import LibraryWork
from ofsted_reader.tui.widgets.library_tree import LibraryTree
from ofsted_reader.tui.widgets.reader import Reader

from .actions import APP, bindings
from .commands import AppCommands
from .index_changed import IndexChange
from .key_hints import key_of
from .keymap import read_keymap
from .notes_changed import NotesChange
from .work_changed import WorkChange
from .worker_errors import notify_if_failed

HOLD_SECONDS = 1.0  # keys typed while a dialog opens wait at most this long for its field to take the focus


class OfstedReaderApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "ofsted-reader"
    COMMANDS = App.COMMANDS | {AppCommands}
    DEFAULT_MODE = "main"
    BINDINGS = bindings(APP)  # the table of the app's actions: tui/actions.py

    def __init__(
        self, library: Library | None = None, store: AnnotationStore | None = None, state: UIState | None = None
    ):
        super().__init__()
        self.library = library or Library.open()
        self.store = store or AnnotationStore()
        self.state = state or UIState.load()
        self.keymap: dict[str, str] = {}
        # Every view of notes subscribes; whatever changes notes publishes (notes_changed.py).
        self.notes_changed: Signal[NotesChange] = Signal(self, "notes_changed")
        # What searches subscribes; the background indexing publishes each larger index (index_changed.py).
        self.index_changed: Signal[IndexChange] = Signal(self, "index_changed")
        # What shows the long work subscribes; the services publish each step of it (work_changed.py).
        self.work_changed: Signal[WorkChange] = Signal(self, "work_changed")
        # The long work is the app's, not a screen's: its workers outlive any screen, and what it changes is
        # published on the signals above for the screens that show it.
        self.indexing = Indexing(self, self.library, self.index_changed, self.work_changed)
        self.library_work = LibraryWork(self, self.library, self.indexing, self.work_changed)
        self._apply_keymap()
        self.main = MainScreen(self.library, self.store, self.state, self.indexing, self.library_work)
        # The main screen is its mode's first screen, mounted and composed like any other screen (as the "default
        # screen" its widgets were remounted by the app's own compose, and a screen's mount could run before them).
        self.install_screen(self.main, name="main")
        self.add_mode("main", "main")
        self._held: list[events.Key] = []  # keys typed while a dialog was opening, for it once it can take them
        self._held_since = 0.0
        self._in_flight = 0.0  # when a key was given to a widget that has not taken it yet (0: none)

    def _apply_keymap(self) -> None:
        """Users remap keys by binding id in keymap.json (keymap.py); what is wrong with the file is said once the app
        is running, and the entries that can be used apply meanwhile."""
        keymap = read_keymap(locations.keymap_file())
        self.keymap = keymap.keys
        self._keymap_problem = keymap.problem
        if keymap.keys:
            self.set_keymap(self.keymap)

    def on_mount(self) -> None:
        if self._keymap_problem:
            self.notify(self._keymap_problem, title="keymap.json", severity="warning", timeout=30)
        self._announce_drafts()

    def _announce_drafts(self) -> None:
        """Notes being typed when the app last stopped are kept as drafts: said at the start, with where they are."""
        drafts = kept_drafts()
        if not drafts:
            return
        places = []
        for key in drafts:
            kind, _, rest = key.partition(" ")
            if kind == "new":
                places.append(f"a new note on {rest.split(' quote ', 1)[0]} ({key_of(self, 'app.add_note')} there)")
            else:
                places.append(f"an edit of note {rest.split(' ', 1)[0][:8]} ({key_of(self, 'app.edit_note')} on it)")
        self.notify(
            "Kept from last time, not saved: " + "; ".join(places) + ". Each is restored when you open it again.",
            title="Unsaved notes",
            severity="warning",
            timeout=30,
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Indexing, an import, a fetch or a download that failed in a way nothing foresaw: said, and the app carries
        on (a copy's worker says how it went itself)."""
        if event.worker.group in (INDEX_GROUP, *WORK_GROUPS) and notify_if_failed(self, event):
            self.indexing.stopped(event.worker)
            self.library_work.stopped(event.worker)

    # --- keys typed while a dialog opens ---

    async def on_event(self, event: events.Event) -> None:
        """Keys are taken one at a time, in order, by what is on screen when each arrives. Textual hands every key
        typed in a burst to the focused widget before the first has run its command, so '/' then 'derby' ran d, e,
        r ... as commands of the screen below (or lost them), and 'f' after esc went to the closing dialog. So a
        key that runs a command runs it at once; a key given to a widget is waited for (it has landed) before the
        next is taken; and keys typed while a dialog with a field opens are held until its field has the focus."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._in_flight and time.monotonic() - self._in_flight > HOLD_SECONDS:
                self._in_flight = 0.0  # the widget went before it took the key: nothing to wait for
            if self._held or self._in_flight or self._opening():
                if not self._held:
                    self._held_since = time.monotonic()
                    self.set_timer(0.01, self._release_held)
                self._held.append(event)
                return
            await self._take(event)
            return
        await super().on_event(event)

    async def _take(self, event: events.Key) -> None:
        if await self._command_now(event):
            return
        target = self.focused or self.screen
        await super().on_event(event)  # to the focused widget's queue
        self._in_flight = time.monotonic()
        if not target.call_later(self._landed):  # queued after the key: runs once the widget has taken it
            self._in_flight = 0.0  # the widget is closing: nothing will land

    def _landed(self) -> None:
        self._in_flight = 0.0
        if self._held:
            self.call_later(self._release_held)

    async def _command_now(self, event: events.Key) -> bool:
        """Run the key's binding now, if it has one and the focused widget would not take the key as text."""
        focused = self.focused
        if isinstance(focused, (Input, TextArea)) and event.is_printable:
            return False  # a letter typed into a field
        try:
            return await self._check_bindings(event.key, priority=True) or await self._check_bindings(event.key)
        except Exception:  # no screen yet: Textual's own handling says what is wrong
            return False

    def _opening(self) -> bool:
        try:
            screen = self.screen
        except Exception:  # no screen yet: nothing to hold for
            return False
        return bool(getattr(screen, "TYPED_INTO", None)) and (not screen.is_mounted or screen.focused is None)

    async def _release_held(self) -> None:
        while self._held:
            if self._in_flight and time.monotonic() - self._in_flight <= HOLD_SECONDS:
                # The key given to a widget lands first (_landed takes up the rest); looked at again meanwhile, in
                # case the widget went before taking it.
                self.set_timer(0.05, self._release_held)
                return
            self._in_flight = 0.0
            if self._opening() and time.monotonic() - self._held_since < HOLD_SECONDS:
                self.set_timer(0.01, self._release_held)
                return
            await self._take(self._held.pop(0))
            if self._held and self._opening():  # that key opened another dialog: the rest wait for it
                self._held_since = time.monotonic()

    # --- quitting ---

    async def action_quit(self) -> None:
        """Quit, but not over a note being typed without asking: its draft is kept on disk either way."""
        editors = [screen for screen in self.screen_stack if isinstance(screen, NoteEditor) and screen.unsaved()]
        if not editors:
            self.exit()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                for editor in editors:
                    editor.keep_draft_now()
                self.exit()

        self.push_screen(
            Confirm("Quit with a note not saved? Its draft is kept and restored when you open it again. (y/n)"),
            answered,
        )

    def shown_bindings(self, bindings: Iterable[BindingType]) -> list[Binding]:
        """Bindings as the user has them: a key remapped in keymap.json is shown as remapped in help."""
        as_bindings = [b if isinstance(b, Binding) else Binding(*b) for b in bindings]
        return [replace(b, key=self.keymap[b.id]) if b.id and b.id in self.keymap else b for b in as_bindings]

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is shown literally: messages carry note text, file names and report names, and '[/b]'
        in any of them must not be read as markup (nor an escape sequence reach the terminal)."""
        kwargs = {} if timeout is None else {"timeout": timeout}
        super().notify(visible(str(message)), title=visible(title), severity=severity, markup=False, **kwargs)

    # Screens pushed above the main screen post what the main screen should do; the app passes it on (the screens
    # are siblings, so their messages reach the app, not the main screen).

    @on(CompareScreen.NoteRequested)
    def _note_from_compare(self, event: CompareScreen.NoteRequested) -> None:
        self.main.add_note_to(event.report, event.paragraph)

    @on(CompareScreen.Copied)
    def _copied_from_compare(self, event: CompareScreen.Copied) -> None:
        self.main.last_copied = event.text

    @on(SearchScreen.QueryChanged)
    def _search_typed(self, event: SearchScreen.QueryChanged) -> None:
        self.main.search_text = event.text

    @on(AuthorityScreen.OpenReport)
    def _open_from_overview(self, event: AuthorityScreen.OpenReport) -> None:
        """An inspection chosen in an authority's overview (opened from the map, perhaps) opens on the main screen."""
        self.back_to_main()
        self.main.open_place(event.report_id)

    def back_to_main(self) -> None:
        """Off the screens that open reports (the map, an overview, a trail), down to the main screen."""
        self.main.return_here()

    @on(AuthorityScreen.OpenTrail)
    def _trail_from_overview(self, event: AuthorityScreen.OpenTrail) -> None:
        self.push_screen(TrailScreen(event.authority, lambda: authority_reports(self.library, event.authority)))

    @on(TrailScreen.OpenParagraph)
    @on(CodebookScreen.OpenParagraph)
    def _open_paragraph(self, event: TrailScreen.OpenParagraph | CodebookScreen.OpenParagraph) -> None:
        """A cited paragraph chosen in a trail or among a code's passages opens on the main screen."""
        self.back_to_main()
        self.main.open_place(event.report_id, None, event.paragraph_id)

    @on(GradesScreen.OpenAuthority)
    def _overview_from_grades(self, event: GradesScreen.OpenAuthority) -> None:
        """Above the grades table, so escape returns to it as it was."""
        self.main.show_authority(event.authority)

    @on(GradesScreen.OpenHistory)
    def _history_from_grades(self, event: GradesScreen.OpenHistory) -> None:
        self.main.action_history_matrix()

    def action_help_quit(self) -> None:
        """ctrl+c (which copies in text fields) says how to quit, as plain words: Textual's own says it in markup,
        which notify() shows literally."""
        self.notify(f"Press {key_of(self, 'app.quit')} (or ctrl+q) to quit the app", title="Do you want to quit?")

    @on(MapScreen.OpenAuthority)
    def _overview_from_map(self, event: MapScreen.OpenAuthority) -> None:
        self.main.show_authority(event.authority)

    @on(MapScreen.OpenTrends)
    def _trends_from_map(self, event: MapScreen.OpenTrends) -> None:
        self.main.action_trends()

    def action_help(self) -> None:
        focused = self.focused
        sections = []
        screen = self.screen
        if screen is not self.main and screen.BINDINGS:
            # The screen's own keys first (the map's moves and filters, compare's h/l), as remapped; a screen that
            # names itself for help does, the others by their class ("Compare", "Matrix").
            title = getattr(screen, "HELP_TITLE", None) or type(screen).__name__.removesuffix("Screen")
            sections.append((title, self.shown_bindings(screen.BINDINGS)))
        if isinstance(focused, Reader):
            sections.append(("Reader", self.shown_bindings(Reader.BINDINGS)))
        elif isinstance(focused, LibraryTree):
            sections.append(
                ("Library tree", self.shown_bindings(LibraryTree.BINDINGS) + [Binding("enter", "", "Open")])
            )
        sections.append(("Everywhere", self.shown_bindings(self.BINDINGS + self.main.BINDINGS)))
        if not isinstance(focused, Reader):
            sections.append(("Reader", self.shown_bindings(Reader.BINDINGS)))
        self.push_screen(HelpScreen(sections))


def run() -> int:
    try:
        library = Library.open()
    except OSError as error:
        sys.stderr.write(f"ofsted-reader: cannot open the library in {locations.data_dir()}: {error}\n")
        return 2
    app = OfstedReaderApp(library=library)
    app.run()
    # Textual sets a non-zero return code when the app stopped on an unhandled error.
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(run())
