"""An authority's improvement trail (ofsted_reader.core.trail): by theme, what each inspection and visit asked to
improve and, under each ask, what later visits found about it, each line with its citation.

A suggested match is confirmed with `c` or unlinked with `x` (`z` takes the last choice back); the choices live in
the data dir (store/notes/trail_links.py). Enter posts `OpenParagraph` for the app to open the cited paragraph;
`e` saves the trail as Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ofsted_reader.core import trail as trails
from ofsted_reader.core.model import Report
from ofsted_reader.core.safe_text import visible
from ofsted_reader.store.errors import StoreError
from ofsted_reader.store.notes.trail_links import TrailLinks
from ofsted_reader.tui.widgets.key_bar import KeyBar

SHOWN = 320  # characters of a finding shown before "…" (the export has each whole sentence)


class TrailScreen(Screen[None]):
    CSS_PATH = "trail.tcss"
    HELP_TITLE = "Improvement trail"
    BINDINGS = [
        Binding("escape", "back", "Back", id="trail.back"),
        Binding("enter", "open", "Open ¶", id="trail.open"),
        Binding("c", "confirm", "Confirm", id="trail.confirm"),
        Binding("x", "unlink", "Unlink", id="trail.unlink"),
        Binding("z", "undo", "Undo choice", id="trail.undo"),
        Binding("e", "export", "Export MD", id="trail.export"),
        Binding("j", "down", "Down", show=False, id="trail.down"),
        Binding("k", "up", "Up", show=False, id="trail.up"),
    ]

    class OpenParagraph(Message):
        def __init__(self, report_id: str, paragraph_id: str | None):
            super().__init__()
            self.report_id = report_id
            self.paragraph_id = paragraph_id

    def __init__(self, authority: str, load_reports: Callable[[], list[Report]]):
        super().__init__()
        self.authority = authority
        self.load_reports = load_reports
        self.links = TrailLinks.load()
        self.done: list[tuple[str, str, str | None]] = []  # (ask, later, state before): what z takes back
        self.trail: trails.Trail | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="trail-title")
        yield OptionList(id="trail-lines")
        yield KeyBar()

    def on_mount(self) -> None:
        if self.links.damaged:
            self.notify(f"Trail choices are read-only: {self.links.damaged}", severity="error", timeout=15)
        self.fill()
        self.query_one(OptionList).focus()

    def fill(self, keep: str | None = None) -> None:
        self.trail = trails.build(self.authority, self.load_reports(), self.links.decisions)
        lines = self.query_one(OptionList)
        highlighted = keep or (lines.highlighted_option.id if lines.highlighted_option else None)
        lines.clear_options()
        lines.add_options(self._options(self.trail))
        ids = [lines.get_option_at_index(i).id for i in range(lines.option_count)]
        if highlighted in ids:
            lines.highlighted = ids.index(highlighted)
        else:
            lines.highlighted = next((i for i, key in enumerate(ids) if key), None)
        self.query_one("#trail-title", Static).update(self._title(self.trail))

    def _title(self, trail: trails.Trail) -> Text:
        asks = len(trail.threads)
        answered = sum(1 for t in trail.threads if t.matches)
        text = Text(f" Improvement trail: {visible(self.authority)} ", style="bold")
        text.append(
            f"· {len(trail.reports)} reports · {asks} asks, {answered} with later lines on them "
            "(c confirm, x unlink a match)",
            style="dim",
        )
        return text

    def _options(self, trail: trails.Trail) -> list[Option]:
        if not trail.threads:
            return [Option(Text("Nothing asked to improve in this authority's reports in the library.", "dim"))]
        options = []
        for theme, threads in trail.themes():
            options.append(Option(Text(trails.theme_heading(theme), style="bold underline"), disabled=True))
            for thread in threads:
                ask = thread.asked
                line = Text(f"{ask.date[:7]}  ", style="bold")
                line.append(" PRIORITY " if ask.priority else " ASKED ", style="bold reverse")
                line.append(f" {ask.source}: ", style="bold")
                line.append(visible(ask.text))
                line.append(f"\n{visible(ask.citation)}", style="dim italic")
                options.append(Option(line, id=f"ask|{ask.key}"))
                if not thread.matches:
                    options.append(Option(Text("  ↳ no later line in the library matched", "dim"), disabled=True))
                for match in thread.matches:
                    found = match.found
                    row = Text(f"  ↳ {found.date[:7]}  ")
                    verb = "ASKED AGAIN" if found.role == "asked" else "FOUND"
                    row.append(f" {verb} ", style="reverse")
                    state = " confirmed ✓ " if match.confirmed else f" suggested {round(match.score * 100)}% "
                    row.append(state, style="bold green" if match.confirmed else "yellow")
                    row.append(f"{found.source}: ")
                    sentence = trails.best_sentence(found, ask)
                    row.append("“" + visible(sentence if len(sentence) <= SHOWN else sentence[: SHOWN - 1] + "…") + "”")
                    row.append(f"\n    {visible(found.citation)}", style="dim italic")
                    options.append(Option(row, id=f"match|{ask.key}|{found.key}"))
        return options

    # --- keys ---

    def _highlighted(self) -> str | None:
        option = self.query_one(OptionList).highlighted_option
        return option.id if option else None

    def _line(self, option_id: str | None) -> trails.Item | None:
        if not option_id or self.trail is None:
            return None
        parts = option_id.split("|")
        for thread in self.trail.threads:
            if parts[0] == "ask" and thread.asked.key == parts[1]:
                return thread.asked
            if parts[0] == "match" and thread.asked.key == parts[1]:
                return next((m.found for m in thread.matches if m.found.key == parts[2]), None)
        return None

    def action_open(self) -> None:
        line = self._line(self._highlighted())
        if line is not None:
            self.post_message(self.OpenParagraph(line.report_id, line.paragraph_id))

    def _choose(self, state: str | None) -> None:
        option_id = self._highlighted()
        if not option_id or not option_id.startswith("match|"):
            self.notify("Choose a suggested match (an indented line) first", severity="warning")
            return
        _, asked, found = option_id.split("|")
        before = self.links.decisions.get((asked, found))
        try:
            self.links.set(asked, found, state)
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        self.done.append((asked, found, before))
        self.fill(keep=option_id if state == "confirmed" else f"ask|{asked}")
        self.notify("Match confirmed" if state == "confirmed" else "Match unlinked (z takes it back)", timeout=3)

    def action_confirm(self) -> None:
        self._choose("confirmed")

    def action_unlink(self) -> None:
        self._choose("unlinked")

    def action_undo(self) -> None:
        if not self.done:
            self.notify("No choice to take back", severity="warning")
            return
        asked, found, before = self.done[-1]
        try:
            self.links.set(asked, found, before)
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        self.done.pop()
        self.fill(keep=f"match|{asked}|{found}")
        self.notify("Choice taken back", timeout=3)

    def action_export(self) -> None:
        from ofsted_reader.host import locations
        from ofsted_reader.store.atomic import write_atomic

        if self.trail is None:
            return
        name = re.sub(r"[^a-z0-9]+", "-", self.authority.lower()).strip("-") or "authority"
        path = locations.exports_dir() / f"trail-{name}.md"
        try:
            write_atomic(path, trails.to_markdown(self.trail).encode("utf-8"))
        except OSError as error:
            self.notify(f"Cannot write {path}: {error.strerror}", severity="error")
            return
        self.notify(f"Saved the trail to {path}", timeout=6)

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_back(self) -> None:
        self.app.pop_screen()
