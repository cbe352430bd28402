"""Search (/): results update as you type, in a worker so keys never wait; enter opens the paragraph."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from ofsted_reader.core.safe_text import visible
from ofsted_reader.core.search import NO_RESULT, Hit, SearchIndex, grade_label
from ofsted_reader.core.wording import elide
from ofsted_reader.store.warmup import Progress

from .worker_errors import said_failure

LIMIT = 50
SECTION_SHOWN = 70  # cells of a hit's section title


def hit_label(hit: Hit) -> Text:
    doc = hit.doc
    label = Text()
    label.append(
        f"{doc.authority} {doc.report_id.rsplit('-', 3)[-3] if doc.report_id[-10:-6].isdigit() else ''}", style="bold"
    )
    label.append(f" ¶{doc.number}" if doc.number is not None else " (unnumbered)", style="bold")
    if doc.section:
        label.append("  " + elide(visible(doc.section), SECTION_SHOWN), style="dim")  # cut at a word, never in one
    if doc.grade:
        label.append(f"  [{grade_label(doc)}]", style="dim")
    body = Text("\n" + visible(hit.snippet))
    body.highlight_words(hit.terms, style="bold reverse", case_sensitive=False)
    label.append_text(body)
    return label


@dataclass(frozen=True)
class Chosen:
    """The hits shown when the search was closed, and the one chosen (n/N step through the rest)."""

    hits: list[Hit]
    index: int


class SearchScreen(ModalScreen[Chosen | None]):
    BINDINGS = [
        Binding("escape", "close", "Close", id="search.close"),
        Binding("down", "to_results", show=False, id="search.to_results"),
    ]

    def __init__(self, index: SearchIndex | None, query: str = "", indexing: Progress | None = None):
        super().__init__()
        self.index = index
        self.indexing = indexing  # how far the background indexing is; None once every report is indexed
        self.initial = query
        self.hits: list[Hit] = []
        self.total = 0
        self._searches = 0  # searches started: the latest one's results are shown

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="search"):
            yield Label("Search the library", id="dialog-title")
            yield Input(
                self.initial,
                placeholder='words (typos are fine), "a phrase", -word; filters: authority:hull region:"north west" '
                "grade:4 tag:x report:derby section:health framework:ilacs year:2019 is:annotated",
                id="search-input",
            )
            yield Static("", id="search-status", classes="dialog-help")
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one("#search-input").focus()
        if self.initial:
            self.run_search(self.initial)

    def use_index(self, index: SearchIndex, indexing: Progress | None = None) -> None:
        """A new index arrived while the screen was open (a batch more indexed, or all of it): run what has been
        typed so far."""
        self.index, self.indexing = index, indexing
        self.run_search(self.query_one("#search-input", Input).value)

    class QueryChanged(Message):
        """What is typed, so reopening search shows the last query."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def on_input_changed(self, event: Input.Changed) -> None:
        self.post_message(self.QueryChanged(event.value))
        self.run_search(event.value)

    def run_search(self, text: str) -> None:
        """Search for `text` in a thread, numbered: only the latest search's results are shown."""
        self._searches += 1
        self._search(text, self.index, self._searches)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, text: str, index: SearchIndex | None, number: int) -> None:
        if index is None:
            message = "Indexing the library for search: the first reports are coming…"
            self.app.call_from_thread(self._show, [], message, 0, number)
            return
        from ofsted_reader.core.filters import FilterError
        from ofsted_reader.core.search import Query

        query = Query.parse(text)
        try:
            result = index.search(query, limit=LIMIT) if text.strip() else NO_RESULT
        except FilterError as error:  # grade:9, region:narnia, servce: ... said where the results would be
            self.app.call_from_thread(self._show, [], str(error), 0, number)
            return
        self.app.call_from_thread(self._show, list(result.hits), None, result.total, number)

    def _show(self, hits: list[Hit], message: str | None, total: int = 0, number: int | None = None) -> None:
        """The results of search `number`, unless a later search was started since: a search of an earlier
        keystroke (or of the same words on an older index, as indexing goes on) that finishes after a later one
        would otherwise replace the later results."""
        if number is not None and number != self._searches:
            return
        self.hits, self.total = hits, total  # set together, here: searches of earlier keystrokes may still be running
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        results.add_options([Option(hit_label(hit), id=str(i)) for i, hit in enumerate(hits)])
        if hits:
            results.highlighted = 0
        status = message or (
            f"{self.total} paragraphs match, best {len(hits)} shown · enter opens · n/N step through them in the reader"
            if hits
            else "No matches"
            if self.query_one("#search-input", Input).value.strip()
            else ""
        )
        if self.indexing is not None and not message:
            status = (
                f"Searched {self.indexing.indexed} of {self.indexing.total} reports so far (indexing continues). "
                + status
            )
        self.query_one("#search-status", Static).update(status)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.hits:
            self.dismiss(Chosen(self.hits, self.query_one("#search-results", OptionList).highlighted or 0))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Chosen(self.hits, int(event.option.id or 0)))

    def action_to_results(self) -> None:
        self.query_one("#search-results").focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A search that failed in a way nothing foresaw: said, and the screen stays open for other words."""
        if said_failure(self, event):
            self.query_one("#search-status", Static).update("The search failed (see the message): try other words.")
