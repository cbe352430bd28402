"""Search (/): results update as you type, in a worker so keys never wait; enter opens the paragraph. Every hit is
there: the best come at once, the rest follow and are listed as the cursor nears the end; n/N in the reader step
through all of them, and ctrl+s saves all of them (Markdown with citations, or CSV)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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

from ofsted_reader.core.model import Report
from ofsted_reader.core.safe_text import visible
from ofsted_reader.core.search.engine import NO_RESULT, Hit, SearchIndex, SearchResult, grade_label
from ofsted_reader.core.wording import elide
from ofsted_reader.host import locations
from ofsted_reader.store.library.warmup import Progress
from ofsted_reader.tui.dialogs.confirm import unless_it_replaces
from ofsted_reader.tui.dialogs.prompt import Prompt
from ofsted_reader.tui.index_changed import index_signal
from ofsted_reader.tui.key_hints import hint_line
from ofsted_reader.tui.worker_errors import notify_if_failed

LIMIT = 50  # hits found at once, as you type; the rest follow in the same worker
PAGE = 100  # hits listed at a time: more as the cursor nears the end of the list
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
    CSS_PATH = "search.tcss"
    TYPED_INTO = "#search-input"  # keys typed while it opens are held for it (app.on_event)
    BINDINGS = [
        Binding("escape", "close", "Close", id="search.close"),
        Binding("down", "to_results", show=False, id="search.to_results"),
        Binding("ctrl+t", "exact", "Exact words", id="search.exact", priority=True),
        Binding("ctrl+s", "save", "Save all hits", id="search.save", priority=True),
    ]

    def __init__(
        self,
        index: SearchIndex | None,
        query: str = "",
        indexing: Progress | None = None,
        load: Callable[[str], Report | None] | None = None,
    ):
        super().__init__()
        self.index = index
        self.indexing = indexing  # how far the background indexing is; None once every report is indexed
        self.initial = query
        self.load = load  # a report by id, for the citations of a saved search
        self.hits: list[Hit] = []
        self.total = 0
        self.result: SearchResult = NO_RESULT
        self.searched = ""  # the text whose hits are shown
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
        index_signal(self).subscribe(self, lambda change: self.use_index(change.index, change.progress))
        if self.initial:
            self.run_search(self.initial)

    def on_unmount(self) -> None:
        index_signal(self).unsubscribe(self)

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
        from ofsted_reader.core.search.engine import Query

        query = Query.parse(text)
        try:
            result = index.search(query, limit=LIMIT) if text.strip() else NO_RESULT
        except FilterError as error:  # grade:9, region:narnia, servce: ... said where the results would be
            self.app.call_from_thread(self._show, NO_RESULT, str(error), number, text)
            return
        self.app.call_from_thread(self._show, result, None, number, text)
        if result.total > len(result.hits) and number == self._searches:  # the rest, unless more was typed
            self.app.call_from_thread(self._show_all, index.search(query, limit=None), number)

    def _show(self, result: SearchResult, message: str | None, number: int | None = None, text: str = "") -> None:
        """The results of search `number`, unless a later search was started since: a search of an earlier
        keystroke (or of the same words on an older index, as indexing goes on) that finishes after a later one
        would otherwise replace the later results."""
        if number is not None and number != self._searches:
            return
        # Set together, here: searches of earlier keystrokes may still be running.
        self.result, self.hits, self.total, self.searched = result, list(result.hits), result.total, text
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        results.add_options([Option(hit_label(hit), id=str(i)) for i, hit in enumerate(self.hits[:PAGE])])
        if self.hits:
            results.highlighted = 0
        self._say(message)

    def _show_all(self, result: SearchResult, number: int) -> None:
        """Every hit, once found: the list grows as the cursor nears its end; n/N and ctrl+s take them all."""
        if number != self._searches:
            return
        results = self.query_one("#search-results", OptionList)
        shown, highlighted = results.option_count, results.highlighted
        self.result, self.hits, self.total = result, list(result.hits), result.total
        results.clear_options()  # the order of the best may move a little once all are ranked together
        results.add_options([Option(hit_label(hit), id=str(i)) for i, hit in enumerate(self.hits[: max(shown, PAGE)])])
        if self.hits:
            results.highlighted = min(highlighted or 0, results.option_count - 1)
        self._say(None)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        results = event.option_list
        if event.option_index >= results.option_count - 10 and results.option_count < len(self.hits):
            start = results.option_count
            results.add_options(
                [Option(hit_label(hit), id=str(i)) for i, hit in enumerate(self.hits[start : start + PAGE], start)]
            )

    def _say(self, message: str | None) -> None:
        hits = self.hits
        status: Text | str
        if message:
            status = message
        elif hits:
            found = "all shown" if len(hits) == self.total else f"the best {len(hits)} so far"
            status = Text(f"{self.total} paragraphs match ({found})")
            if self.result.also:
                status.append(f" · {self.result.also_said()}", style="bold")
            status.append(" · enter opens · n/N step through all in the reader · ")
            keys = [("search.save", "save all")]
            if self.result.other_spellings:
                keys.insert(0, ("search.exact", "only the words as typed"))
            status.append_text(hint_line(self, *keys, between=" · "))
        else:
            status = "No matches" if self.query_one("#search-input", Input).value.strip() else ""
        if self.indexing is not None and not message:
            status = Text.assemble(
                f"Searched {self.indexing.indexed} of {self.indexing.total} reports so far (indexing continues). ",
                status,
            )
        self.query_one("#search-status", Static).update(status)

    def action_exact(self) -> None:
        """Quote every word typed: only the words as typed match, the other spellings taken are left out (the key
        again takes the quotes off)."""
        from ofsted_reader.core.search.query import exact_toggled

        field = self.query_one("#search-input", Input)
        field.value = exact_toggled(field.value)
        field.cursor_position = len(field.value)

    def action_save(self) -> None:
        """Save every hit of the search shown: Markdown (each paragraph quoted with its citation) or CSV."""
        if not self.hits or self.load is None:
            self.notify("Nothing to save: type some words first", timeout=3)
            return
        if len(self.hits) < self.total:
            self.notify("Still finding every hit: save again in a moment", timeout=3)
            return
        import datetime as dt

        default = locations.exports_dir() / f"search-{dt.date.today().isoformat()}.md"
        result, text, load = self.result, self.searched, self.load

        def write(path: Path) -> None:
            from ofsted_reader.core.search.export import hits_csv, hits_markdown
            from ofsted_reader.store.atomic import write_atomic

            if not path.parent.is_dir():
                self.notify(f"{path.parent} does not exist: give a file in a folder that does", severity="error")
                return
            if path.suffix.lower() == ".csv":
                data = hits_csv(result.hits, load)
            else:
                generated = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
                data = hits_markdown(text, result, result.hits, load, generated)
            try:
                write_atomic(path, data.encode("utf-8"))
            except OSError as error:
                self.notify(f"Cannot write {path}: {error.strerror}", severity="error")
                return
            self.notify(f"Saved all {len(result.hits)} hits to {path}", timeout=5)

        def answered(typed: str | None) -> None:
            if typed and typed.strip():
                path = Path(typed.strip()).expanduser()
                unless_it_replaces(self, path, lambda: write(path))

        self.app.push_screen(
            Prompt(
                f"Save all {len(self.hits)} hits",
                str(default),
                hint=".md: each paragraph quoted with its citation; .csv: a row a hit",
            ),
            answered,
        )

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
        if notify_if_failed(self, event):
            self.query_one("#search-status", Static).update("The search failed (see the message): try other words.")
