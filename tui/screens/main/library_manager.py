"""What the main screen does with the library itself: index it in the background (with its progress in the title
bar), import files (I), fetch an authority's newer reports from Ofsted (F), open a report's original PDF (O), show
a report's sources (i), and welcome a first run.

A mixin of MainScreen, kept apart so the screen's module holds the reading and the notes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import Worker, get_current_worker

from ofsted_reader.core.notes import Note
from ofsted_reader.host.config import Config
from ofsted_reader.host.viewer import ViewerError, open_file
from ofsted_reader.store.errors import StoreError
from ofsted_reader.store.library.entry import Entry
from ofsted_reader.store.library.library import Library
from ofsted_reader.store.library.originals import download, local_pdf, online
from ofsted_reader.store.library.warmup import Progress
from ofsted_reader.tui.dialogs.about import About
from ofsted_reader.tui.dialogs.confirm import Confirm
from ofsted_reader.tui.dialogs.path_prompt import PathPrompt
from ofsted_reader.tui.dialogs.welcome import Welcome
from ofsted_reader.tui.index_changed import IndexChange, index_signal
from ofsted_reader.tui.key_hints import key_of
from ofsted_reader.tui.widgets.library_tree import LibraryTree
from ofsted_reader.tui.worker_errors import said_failure

if TYPE_CHECKING:
    from ofsted_reader.core.authorities import Authority
    from ofsted_reader.core.model import Paragraph, Report
    from ofsted_reader.core.search.engine import SearchIndex
    from ofsted_reader.store.notes.annotations import AnnotationStore


class LibraryManager(Screen):
    """The base of MainScreen: what it does with the library (it defines report, store and the title bar)."""

    library: Library
    report: Report | None
    store: AnnotationStore
    tree_sort: str
    indexing: Progress | None = None  # while the background indexing runs; None once every report is searchable
    search_index: Any = None
    activity: str | None = None  # an import or fetch under way, shown in the title bar
    # Tests point fetch at a local server (as OFSTED_READER_SITE does for the CLI), with no pause between requests.
    fetch_site: str | None = None
    fetch_delay: float = 1.0  # seconds between requests to Ofsted's site, to be polite (as `fetch --delay`)

    if TYPE_CHECKING:

        def _current(self) -> Paragraph | None: ...

        def _refresh_blocks(self) -> list[Note]: ...

        def refresh_title(self) -> None: ...

    # --- indexing in the background ---

    def start_indexing(self) -> None:
        self._build_index()

    @work(thread=True, exclusive=True, group="index", exit_on_error=False)
    def _build_index(self) -> None:
        """Parse what has no cached parse (the shipped reports, at a fresh install) and index it, a batch at a time:
        each batch makes a new index for searches meanwhile, which answer over what is indexed so far."""
        from ofsted_reader.core.search.engine import SearchIndex
        from ofsted_reader.store.library.warmup import search_index

        app = self.app
        worker = get_current_worker()

        last: list[Progress] = []

        def progress(step: Progress) -> None:
            last[:] = [step]
            if not worker.is_cancelled and not step.done:
                index = SearchIndex(self.library.index_store())
                index.entries = self.library.entries()
                app.call_from_thread(self._index_ready, index, step)

        try:
            # A quit cancels the worker: the indexing stops between two reports, so the app exits at once and the next
            # start goes on where this one stopped.
            index = search_index(self.library, progress, stopping=lambda: worker.is_cancelled)
        except StoreError as error:  # the index cannot be written (a full disk): said; the next search retries
            app.call_from_thread(self._index_failed, str(error))
            return
        except Exception as error:  # a failure to index leaves the reader and notes working: said, not fatal
            app.call_from_thread(self._index_failed, f"Search is unavailable: the index could not be built ({error})")
            return
        if worker.is_cancelled:  # the app is quitting: nothing to show, and the next start goes on from here
            return
        app.call_from_thread(self._index_ready, index, None, last[0].failed if last else ())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """An import, a fetch or the indexing that failed in a way nothing foresaw: said, and the app carries on."""
        if said_failure(self, event):
            if event.worker.group == "index":
                self.indexing = None
            self.activity = None
            if event.worker.group in ("import", "fetch"):
                self._keep_what_was_added()
            self.refresh_title()

    def _keep_what_was_added(self) -> None:
        """An import or fetch that failed partway: the reports it added before (each joins the library as it is
        read) are listed in the tree and indexed, as the message says they are in the library."""
        try:
            self.library.save()
        except (OSError, StoreError):
            pass  # the manifest is only an index: the next start finds the reports in the library folder
        self.reload_tree()
        self.start_indexing()

    def _index_failed(self, message: str) -> None:
        self.indexing = None
        self.notify(f"{message}. Reading and notes still work.", title="Search", severity="error", timeout=10)
        self.refresh_title()

    def _index_ready(self, index: SearchIndex, progress: Progress | None, failures: tuple[str, ...] = ()) -> None:
        self.search_index = index
        self.indexing = progress
        if progress is None:
            # The notes are read once for the index, the reader's marks and the counts together: a read here alone
            # would hide a change made outside the app from the watcher (_notes_changed_outside).
            self._refresh_blocks()
        else:
            self.refresh_title()
        index_signal(self).publish(IndexChange(index, progress))
        for failure in failures:
            self.notify(failure, title="A report could not be indexed", severity="error")

    # --- a first run ---

    def welcome(self) -> None:
        self.app.push_screen(Welcome(self.library.entries()))

    # --- a report's sources and its original ---

    def action_about(self) -> None:
        report = self.report
        if report is None:
            self.notify("Open a report first (enter on a section in the tree)", severity="warning")
            return
        self.app.push_screen(About(report, self.library.entry(report.id)))

    def action_open_original(self) -> None:
        """The report's PDF in the user's viewer, at the page of the paragraph under the cursor."""
        report = self.report
        if report is None:
            self.notify(
                f"Open a report first, then {key_of(self, 'app.open_original')} opens its PDF at the paragraph's page",
                severity="warning",
            )
            return
        entry = self.library.entry(report.id)
        if entry is None:
            return
        paragraph = self._current()
        page = paragraph.page if paragraph is not None else None
        file = local_pdf(entry)
        if file is None:
            self._offer_download(entry, page)
            return
        self._open_pdf(file, page)

    def _offer_download(self, entry: Entry, page: int | None) -> None:
        """Most of the shipped record is its text alone: the PDF is fetched once from Ofsted when the user says so
        (the network is used only then), else its URL is said for a browser."""
        url = online(entry, page)
        if url is None:
            self.notify(
                "The library holds this report's text, not its PDF, and Ofsted's listing gives no URL for it",
                title="Cannot open the PDF",
                severity="warning",
            )
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._download_and_open(entry, page)
            else:
                self.notify(f"Ofsted publishes it at {url}", title="The PDF", timeout=15)

        self.app.push_screen(
            Confirm(
                f"The library holds this report's text, not its PDF. Download the PDF once from Ofsted "
                f"({entry.source_url}) into your library? This uses the network. (n: show the URL instead)"
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="download", exit_on_error=False)
    def _download_and_open(self, entry: Entry, page: int | None) -> None:
        worker = get_current_worker()
        try:
            file = download(entry, cancelled=lambda: worker.is_cancelled)  # a quit stops it at once
        except StoreError as error:
            if not worker.is_cancelled:
                self.app.call_from_thread(self.notify, str(error), title="Cannot download the PDF", severity="error")
            return
        self.app.call_from_thread(self._open_pdf, file, page)

    def _open_pdf(self, file: Path, page: int | None) -> None:
        config = Config.load()
        for problem in config.problems:
            self.notify(problem, title="Settings", severity="warning", timeout=10)
        try:
            at_page = open_file(file, page, config.viewer_words)
        except ViewerError as error:
            self.notify(str(error), title="Cannot open the PDF", severity="error", timeout=10)
            return
        where = f" at page {page}" if page and at_page else ""
        hint = (
            " (set OFSTED_READER_PDF_VIEWER with {page} to open at the paragraph's page)"
            if page and not at_page
            else ""
        )
        self.notify(f"Opened {file.name}{where}{hint}", timeout=5)

    # --- importing ---

    def action_import_files(self) -> None:
        def chosen(path: str | None) -> None:
            if path:
                self._import(path)

        self.app.push_screen(
            PathPrompt("Import reports: a PDF or text report, or a folder of them", "~/Downloads/report.pdf"), chosen
        )

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def _import(self, path: str) -> None:
        """Parsed here, on a worker (PDFs take tens of milliseconds each); each file then joins the library on the
        app's thread, which owns it."""
        from ofsted_reader.host import locations
        from ofsted_reader.store.library.importing import files_of, import_file, notes_reanchorer, summary_line
        from ofsted_reader.store.library.parsing import parse_all

        app = self.app
        files, outcomes = files_of([path])
        if not files and not outcomes:
            app.call_from_thread(self.notify, f"{path}: no .pdf or .txt reports there", severity="warning")
            return
        for step, _ in enumerate(parse_all([str(f) for f in files], locations.data_dir()), 1):
            app.call_from_thread(self._show_activity, f"importing: {step} of {len(files)} files read")
        reanchor = notes_reanchorer()
        for file in files:
            outcomes.append(app.call_from_thread(import_file, self.library, file, reanchor))
        app.call_from_thread(self._imported, outcomes, summary_line(outcomes))

    def _show_activity(self, text: str | None) -> None:
        self.activity = text
        self.refresh_title()

    def _imported(self, outcomes: list, line: str) -> None:
        self.library.save()
        self.activity = None
        self.reload_tree()
        refused = [o.error for o in outcomes if o.status == "refused"]
        self.notify(
            line + (f". {refused[0]}" if refused else ""),
            title="Import",
            severity="warning" if refused else "information",
            timeout=10,
        )
        self.start_indexing()

    def reload_tree(self) -> None:
        tree = self.query_one(LibraryTree)
        tree.load(self.library.entries(), self.query_one("#filter", Input).value, self.tree_sort)
        self.refresh_title()

    # --- fetching from Ofsted ---

    def _authority_under_cursor(self) -> Authority | None:
        from ofsted_reader.core import authorities

        node = self.query_one(LibraryTree).cursor_node
        place = node.data if node is not None else None
        entry = self.library.entry(place.report_id) if place is not None else None
        if entry is None:
            return None
        return authorities.by_code(entry.authority_code) or authorities.identify(entry.authority)

    def action_fetch(self) -> None:
        authority = self._authority_under_cursor()
        if authority is None:
            self.notify(
                f"Choose an authority in the tree first, then {key_of(self, 'app.fetch')} fetches its newer reports",
                severity="warning",
            )
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._fetch(authority)

        self.app.push_screen(
            Confirm(
                f"Fetch {authority.name}'s reports and visit letters that the library lacks from Ofsted's site? "
                "This uses the network (y/n)"
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="fetch", exit_on_error=False)
    def _fetch(self, authority: Authority) -> None:
        import os

        from ofsted_reader.importers.ofsted_site import SITE, Client, SiteError, Stopped
        from ofsted_reader.store.library import fetching, sources

        app = self.app
        worker = get_current_worker()
        site = self.fetch_site or os.environ.get("OFSTED_READER_SITE") or SITE
        record = app.call_from_thread(sources.load)
        fetched: list[fetching.Fetched] = []
        failed: list[fetching.Fetched] = []
        app.call_from_thread(self._show_activity, f"fetching {authority.name}: reading Ofsted's list")
        try:
            # Quitting cancels the worker: the client sees it within a tenth of a second and the thread ends, so
            # the app's process exits at once instead of waiting for a download.
            with Client(delay=self.fetch_delay, cancelled=lambda: worker.is_cancelled) as client:
                plan = fetching.plan(self.library, [authority], set(fetching.KINDS), client, site, record)
                for step, (who, publication) in enumerate(plan.items, 1):
                    app.call_from_thread(
                        self._show_activity, f"fetching {who.name}: {step} of {len(plan.items)}, {publication.title}"
                    )

                    def import_here(path: Path) -> tuple[Report, bool]:
                        return app.call_from_thread(self.library.import_file, path, False)

                    result = fetching.fetch_one(self.library, client, record, who, publication, import_here)
                    (failed if result.error else fetched).append(result)
                    app.call_from_thread(fetching.save, self.library, record)
        except Stopped as error:
            if not worker.is_cancelled:  # the run's time is up; cancelled, the app is quitting: nothing to say
                app.call_from_thread(self._fetched, authority, fetched, failed, 0, str(error))
            return
        except SiteError as error:
            app.call_from_thread(self._fetched, authority, [], [], 0, str(error))
            return
        app.call_from_thread(self._fetched, authority, fetched, failed, plan.known, "; ".join(plan.problems))

    def _fetched(self, authority: Authority, fetched: list, failed: list, known: int, problem: str) -> None:
        self.activity = None
        self.reload_tree()
        if problem and not fetched:
            self.notify(f"{authority.name}: {problem}", title="Fetch", severity="error", timeout=10)
            self.refresh_title()
            return
        line = f"{authority.name}: {len(fetched)} fetched, {known} already in the library, {len(failed)} failed"
        if failed:
            line += f". {failed[0].error}"
        self.notify(line, title="Fetch", severity="warning" if failed else "information", timeout=10)
        if fetched:
            self.start_indexing()
