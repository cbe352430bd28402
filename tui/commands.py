"""Command palette: every app action by name, and every report by authority."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ofsted_reader.core.citation import report_date
from ofsted_reader.core.visits import KINDS

from .actions import APP, MAIN

if TYPE_CHECKING:
    from ofsted_reader.tui.screens.main.screen import MainScreen

    from .app import OfstedReaderApp

# (name in the palette, action, what it does): every action of the app and the main screen, from the one table their
# bindings are made from (tui/actions.py); the keys come from the bindings, as the user has remapped them.
ACTIONS = [(a.name, a.action, a.about) for a in APP + MAIN if a.name]
APP_ACTIONS = {a.action for a in APP}  # the app's own; the rest are the main screen's


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
