"""Command palette: every app action by name, and every report by authority."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ofsted_reader.core.citation import report_date

if TYPE_CHECKING:
    from .app import OfstedReaderApp
    from .main_screen import MainScreen

# (name in the palette, action, what it does); the keys come from the app's bindings, as the user has remapped them.
ACTIONS = [
    ("Search the library", "search", "Fuzzy search across every report"),
    ("Next search match", "next_hit", ""),
    ("Previous search match", "previous_hit", ""),
    ("Go to paragraph", "goto", "By id or number"),
    ("Add a note to this paragraph", "add_note", ""),
    ("Edit the note on this paragraph", "edit_note", ""),
    ("Edit tags of the note on this paragraph", "edit_tags", ""),
    ("Delete the note on this paragraph", "delete_note", ""),
    ("Undo the last delete", "undo", ""),
    ("Export notes to Markdown or CSV", "export", "With a preview"),
    ("Compare this section across reports", "compare", ""),
    ("Latest grades of every authority", "matrix", "Filter by region or neighbours; h for every report"),
    ("Map of England by grade", "map", "Latest grade of every authority, London inset; filter by region, neighbours"),
    (
        "Grades over time",
        "trends",
        "Authorities at each grade every 31 March and today, England and each region; first to latest ILACS",
    ),
    ("Authority overview", "overview", "Inspections, what needs to improve, statistical neighbours"),
    ("Earlier inspection of this authority", "other_inspection(-1)", "On the matching section"),
    ("Later inspection of this authority", "other_inspection(1)", "On the matching section"),
    ("Sort the authorities", "sort_tree", "By name, region, latest grade or latest inspection"),
    ("Notes panel", "notes", "All notes, orphans, filter by tag"),
    ("Codebook", "codebook", "Codes with counts, coded passages across reports, co-occurrence, tables"),
    ("Toggle bookmark", "bookmark", ""),
    ("Bookmarks", "bookmarks", ""),
    ("Copy paragraph with citation", "copy", ""),
    ("Back", "history_back", ""),
    ("Forward", "history_forward", ""),
    ("Next section", "next_section", ""),
    ("Previous section", "previous_section", ""),
    ("Filter the library tree", "filter", "name, region:london, grade:4, 2019"),
    ("Help: keys", "help", ""),
]


def _help(app: OfstedReaderApp, action: str, text: str) -> str:
    from .help_screen import describe_keys

    bindings = app.shown_bindings(app.BINDINGS + app.main.BINDINGS)
    keys = [describe_keys(b.key) for b in bindings if b.action == action]
    return " · ".join(part for part in (text, " / ".join(keys)) if part)


class AppCommands(Provider):
    def _runner(self, action: str) -> Callable[[], object]:
        """Help is the app's action; the rest are the main screen's."""
        target = self.app if action == "help" else self._main()
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
                f"{entry.framework.upper()} report {entry.id}",
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
