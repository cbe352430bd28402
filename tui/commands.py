"""Command palette: every app action by name, and every report by authority."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ofsted_reader.core.citation import report_date
from ofsted_reader.core.visits import KINDS

if TYPE_CHECKING:
    from .app import OfstedReaderApp
    from .main_screen import MainScreen

# (name in the palette, action, what it does): every binding of the app and the main screen has a line here (a test
# holds them together), named in the words a user would type ("trend", "trail", "memo", "import"); the keys come
# from the app's bindings, as the user has remapped them.
ACTIONS = [
    ("Search the library", "search", "Words forgiving, quoted words exact; every hit, saved with ctrl+s"),
    ("Next search match", "next_hit", ""),
    ("Previous search match", "previous_hit", ""),
    ("Go to paragraph", "goto", "By id or number"),
    ("Add a note to this paragraph", "add_note", "Text, tags or both"),
    ("Edit the note on this paragraph", "edit_note", ""),
    ("Edit tags of the note on this paragraph", "edit_tags", ""),
    ("Code this paragraph again with the last code", "code_again", "A note of tags alone"),
    ("Code this paragraph with a code you choose", "code_with", "Tab completes"),
    ("Delete the note on this paragraph", "delete_note", ""),
    ("Undo the last delete", "undo", ""),
    ("Export notes to Markdown, CSV or a QDA project", "export", "With a preview"),
    ("Compare this section across reports", "compare", ""),
    ("Latest grades of every authority (inadequate, RI, good, outstanding)", "matrix", "Filter; h every report"),
    ("Grades matrix of every report", "history_matrix", "One framework at a time"),
    ("Map of England by grade", "map", "Latest grade of every authority, London inset; filter by region, neighbours"),
    (
        "Grades over time: trends",
        "trends",
        "Authorities at each grade every 31 March and today, England and each region; first to latest ILACS",
    ),
    ("Authority overview: improvement trail, memos, neighbours", "overview", "i the trail, m a memo"),
    ("Earlier inspection of this authority", "other_inspection(-1)", "On the matching section"),
    ("Later inspection of this authority", "other_inspection(1)", "On the matching section"),
    ("Sort the authorities", "sort_tree", "By name, region, latest grade or latest inspection"),
    ("Notes panel", "notes", "All notes, orphans, filter by tag or authority"),
    ("Codebook", "codebook", "Codes with counts, coded passages across reports, co-occurrence, tables"),
    ("Toggle bookmark", "bookmark", ""),
    ("Bookmarks", "bookmarks", ""),
    ("Copy paragraph with citation", "copy", "To the system clipboard and the terminal"),
    ("Back", "history_back", ""),
    ("Forward", "history_forward", ""),
    ("Next section", "next_section", ""),
    ("Previous section", "previous_section", ""),
    ("Filter the library tree", "filter", "name, region:london, grade:4, 2019"),
    ("Switch between the tree and the reader", "switch_pane", ""),
    ("Back out (drop a quote, leave the filter)", "back_out", ""),
    ("Import reports from a file or folder", "import_files", "PDF or text"),
    ("Fetch newer reports from Ofsted", "fetch", "Asks first: the only use of the network"),
    ("Open the original PDF at this page", "open_original", "In your PDF viewer"),
    ("About this report: dates, inspectors, source, licence", "about", ""),
    ("Help: keys", "help", ""),
    ("Quit", "quit", "Asks first over a note not saved"),
]
APP_ACTIONS = {"help", "quit"}  # the app's own; the rest are the main screen's


def _help(app: OfstedReaderApp, action: str, text: str) -> str:
    from .key_names import describe_keys

    bindings = app.shown_bindings(app.BINDINGS + app.main.BINDINGS)
    keys = [describe_keys(b.key) for b in bindings if b.action == action]
    return " · ".join(part for part in (text, " / ".join(keys)) if part)


class AppCommands(Provider):
    def _runner(self, action: str) -> Callable[[], object]:
        """Help is the app's action; the rest are the main screen's."""
        target = self.app if action in APP_ACTIONS else self._main()
        return partial(target.run_action, action)

    def _app(self) -> OfstedReaderApp:
        return cast("OfstedReaderApp", self.app)

    def _main(self) -> MainScreen:
        """The main screen, whose reports and authorities the palette offers."""
        return self._app().main

    async def discover(self) -> Hits:
        for name, action, help_text in ACTIONS:
            yield DiscoveryHit(name, self._runner(action), help=_help(self._app(), action, help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, help=help_text)

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        """(name, what it does, help) for every action, every report and every authority's overview."""
        main = self._main()
        entries = main.library.entries()
        commands = [(name, self._runner(action), _help(self._app(), action, text)) for name, action, text in ACTIONS]
        commands += [
            (
                f"Open {entry.authority} ({report_date(entry.published, entry.inspected)})",
                partial(main.open_place, entry.id, None),
                f"{KINDS.get(entry.report_type, entry.framework.upper() + ' report')} {entry.id}",
            )
            for entry in entries
        ]
        commands += [
            (
                f"Overview of {authority}",
                partial(main.show_authority, authority),
                "inspections, what needs to improve, statistical neighbours",
            )
            for authority in sorted({entry.authority for entry in entries})
        ]
        return commands
