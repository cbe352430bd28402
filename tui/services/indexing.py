"""The search index, built in the background: each batch makes a new index for searches meanwhile, which answer over
what is indexed so far. Each new index is published on the app's `index_changed` signal (tui/index_changed.py); the
search screen and the main screen subscribe. Its progress is shown in the title bar."""

from __future__ import annotations

from textual.app import App
from textual.signal import Signal
from textual.worker import Worker, get_current_worker

from ofsted_reader.core.search.engine import SearchIndex
from ofsted_reader.store.errors import StoreError
from ofsted_reader.store.library import warmup
from ofsted_reader.store.library.library import Library
from ofsted_reader.store.library.warmup import Progress
from ofsted_reader.tui.index_changed import IndexChange
from ofsted_reader.tui.work_changed import WorkChange

GROUP = "index"  # the workers' group: one indexing at a time, and what a failure of it is called (worker_errors.py)


class Indexing:
    """The library's search index and how far its building has gone; the app makes one and runs it."""

    def __init__(
        self, app: App, library: Library, index_changed: Signal[IndexChange], work_changed: Signal[WorkChange]
    ):
        self.app = app
        self.library = library
        self.index_changed = index_changed
        self.work_changed = work_changed
        self.index: SearchIndex | None = None  # None until the first batch is indexed
        self.progress: Progress | None = None  # while the indexing runs; None once every report is searchable

    def start(self) -> None:
        """Index what is not indexed yet (a running indexing starts again, over the library as it is now)."""
        self.app.run_worker(self._build, thread=True, exclusive=True, group=GROUP, exit_on_error=False)

    def needed(self) -> bool:
        """No index yet and none being built (the first build failed): a search starts it again."""
        return self.index is None and self.progress is None

    def describe(self) -> str | None:
        """How far the indexing is, for the title bar; None when it is not running."""
        return self.progress.describe() if self.progress is not None else None

    def _build(self) -> None:
        """Parse what has no cached parse (the shipped reports, at a fresh install) and index it, a batch at a time."""
        app = self.app
        worker = get_current_worker()
        last: list[Progress] = []

        def progress(step: Progress) -> None:
            last[:] = [step]
            if not worker.is_cancelled and not step.done:
                index = SearchIndex(self.library.index_store())
                index.entries = self.library.entries()
                app.call_from_thread(self.ready, index, step)

        try:
            # A quit cancels the worker: the indexing stops between two reports, so the app exits at once and the next
            # start goes on where this one stopped.
            index = warmup.search_index(self.library, progress, stopping=lambda: worker.is_cancelled)
        except StoreError as error:  # the index cannot be written (a full disk): said; the next search retries
            app.call_from_thread(self._failed, str(error))
            return
        except Exception as error:  # a failure to index leaves the reader and notes working: said, not fatal
            app.call_from_thread(self._failed, f"Search is unavailable: the index could not be built ({error})")
            return
        if worker.is_cancelled:  # the app is quitting: nothing to show, and the next start goes on from here
            return
        app.call_from_thread(self.ready, index, None, last[0].failed if last else ())

    def ready(self, index: SearchIndex, progress: Progress | None, failures: tuple[str, ...] = ()) -> None:
        """A new index (a batch more, or, with `progress` None, all of the library): kept and published."""
        self.index = index
        self.progress = progress
        self.index_changed.publish(IndexChange(index, progress))
        for failure in failures:
            self.app.notify(failure, title="A report could not be indexed", severity="error")

    def _failed(self, message: str) -> None:
        self.progress = None
        self.app.notify(f"{message}. Reading and notes still work.", title="Search", severity="error", timeout=10)
        self.work_changed.publish(WorkChange())

    def stopped(self, worker: Worker) -> None:
        """A worker of the indexing failed in a way nothing foresaw (said by the app): the title bar stops saying
        it runs."""
        if worker.group == GROUP:
            self.progress = None
            self.work_changed.publish(WorkChange())
