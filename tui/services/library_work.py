"""The library's long work, owned by the app: import files (I), fetch an authority's newer reports from Ofsted (F),
download a report's PDF once and open it (O). Each runs in a worker of the app, says what it is doing on the
app's `work_changed` signal (the main screen's title bar shows it, its tree lists the reports that joined), says
how it ended in a notification, and has the search index built again over what it added."""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import App
from textual.signal import Signal
from textual.worker import Worker, get_current_worker

from ofsted_reader.core.authorities import Authority
from ofsted_reader.core.model import Report
from ofsted_reader.host import locations
from ofsted_reader.host.config import Config
from ofsted_reader.host.viewer import ViewerError, open_file
from ofsted_reader.store.errors import StoreError
from ofsted_reader.store.library import importing
from ofsted_reader.store.library.entry import Entry
from ofsted_reader.store.library.library import Library
from ofsted_reader.store.library.originals import download
from ofsted_reader.store.library.parsing import parse_all
from ofsted_reader.tui.work_changed import WorkChange

from .indexing import Indexing

ADDING = ("import", "fetch")  # the groups of the workers that add reports (worker_errors.py names their failures)
GROUPS = (*ADDING, "download")


class LibraryWork:
    """Import, fetch and download for the app's library; `activity` is what runs, for the title bar."""

    # Tests point fetch at a local server (as OFSTED_READER_SITE does for the CLI), with no pause between requests.
    fetch_site: str | None = None
    fetch_delay: float = 1.0  # seconds between requests to Ofsted's site, to be polite (as `fetch --delay`)

    def __init__(self, app: App, library: Library, indexing: Indexing, work_changed: Signal[WorkChange]):
        self.app = app
        self.library = library
        self.indexing = indexing
        self.work_changed = work_changed
        self.activity: str | None = None  # an import or fetch under way, shown in the title bar

    def _show_activity(self, text: str | None) -> None:
        self.activity = text
        self.work_changed.publish(WorkChange())

    def _reports_added(self) -> None:
        self.activity = None
        self.work_changed.publish(WorkChange(reports_added=True))

    def stopped(self, worker: Worker) -> None:
        """A worker that failed in a way nothing foresaw (said by the app): an import or fetch that failed partway
        keeps the reports it added before (each joins the library as it is read), listed in the tree and indexed,
        as the message says they are in the library."""
        if worker.group not in ADDING:
            return
        try:
            self.library.save()
        except (OSError, StoreError):
            pass  # the manifest is only an index: the next start finds the reports in the library folder
        self._reports_added()
        self.indexing.start()

    # --- importing ---

    def import_files(self, path: str) -> None:
        self.app.run_worker(
            lambda: self._import(path), thread=True, exclusive=True, group="import", exit_on_error=False
        )

    def _import(self, path: str) -> None:
        """Parsed here, on a worker (PDFs take tens of milliseconds each); each file then joins the library on the
        app's thread, which owns it."""
        app = self.app
        files, outcomes = importing.files_of([path])
        if not files and not outcomes:
            app.call_from_thread(app.notify, f"{path}: no .pdf or .txt reports there", severity="warning")
            return
        for step, _ in enumerate(parse_all([str(f) for f in files], locations.data_dir()), 1):
            app.call_from_thread(self._show_activity, f"importing: {step} of {len(files)} files read")
        reanchor = importing.notes_reanchorer()
        for file in files:
            outcomes.append(app.call_from_thread(importing.import_file, self.library, file, reanchor))
        app.call_from_thread(self._imported, outcomes, importing.summary_line(outcomes))

    def _imported(self, outcomes: list, line: str) -> None:
        self.library.save()
        self._reports_added()
        refused = [o.error for o in outcomes if o.status == "refused"]
        self.app.notify(
            line + (f". {refused[0]}" if refused else ""),
            title="Import",
            severity="warning" if refused else "information",
            timeout=10,
        )
        self.indexing.start()

    # --- fetching from Ofsted ---

    def fetch(self, authority: Authority) -> None:
        """The authority's reports and visit letters the library lacks, from Ofsted's site."""
        self.app.run_worker(
            lambda: self._fetch(authority), thread=True, exclusive=True, group="fetch", exit_on_error=False
        )

    def _fetch(self, authority: Authority) -> None:
        # Ofsted's site client (httpx) is loaded when F is first used, not at every start.
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
        self._reports_added()
        if problem and not fetched:
            self.app.notify(f"{authority.name}: {problem}", title="Fetch", severity="error", timeout=10)
            return
        line = f"{authority.name}: {len(fetched)} fetched, {known} already in the library, {len(failed)} failed"
        if failed:
            line += f". {failed[0].error}"
        self.app.notify(line, title="Fetch", severity="warning" if failed else "information", timeout=10)
        if fetched:
            self.indexing.start()

    # --- a report's original ---

    def download_and_open(self, entry: Entry, page: int | None) -> None:
        """The report's PDF, fetched once from Ofsted into the library, then opened at `page`."""
        self.app.run_worker(
            lambda: self._download_and_open(entry, page),
            thread=True,
            exclusive=True,
            group="download",
            exit_on_error=False,
        )

    def _download_and_open(self, entry: Entry, page: int | None) -> None:
        worker = get_current_worker()
        try:
            file = download(entry, cancelled=lambda: worker.is_cancelled)  # a quit stops it at once
        except StoreError as error:
            if not worker.is_cancelled:
                self.app.call_from_thread(
                    self.app.notify, str(error), title="Cannot download the PDF", severity="error"
                )
            return
        self.app.call_from_thread(self.open_pdf, file, page)

    def open_pdf(self, file: Path, page: int | None) -> None:
        """The PDF in the user's viewer, at `page` when the viewer can be told it."""
        config = Config.load()
        for problem in config.problems:
            self.app.notify(problem, title="Settings", severity="warning", timeout=10)
        try:
            at_page = open_file(file, page, config.viewer_words)
        except ViewerError as error:
            self.app.notify(str(error), title="Cannot open the PDF", severity="error", timeout=10)
            return
        where = f" at page {page}" if page and at_page else ""
        hint = (
            " (set OFSTED_READER_PDF_VIEWER with {page} to open at the paragraph's page)"
            if page and not at_page
            else ""
        )
        self.app.notify(f"Opened {file.name}{where}{hint}", timeout=5)
