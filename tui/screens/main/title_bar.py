"""The main screen's title bar: how many reports (of how many, when filtered) and notes, what long work runs (an
import, a fetch, the indexing), and how many notes are orphaned, with the key that lists them."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ofsted_reader.core.notes import Note
from ofsted_reader.core.wording import plural
from ofsted_reader.tui.key_hints import key_of


class TitleBar(Static):
    def show(self, total: int, shown: int | None, notes: list[Note], running: str | None) -> None:
        """`shown`: the reports the tree's filter leaves (None: no filter); `running`: the long work under way."""
        title = Text(" ofsted-reader ", style="bold")
        reports = plural(total, "report")
        if shown is not None:
            reports = f"{shown} of {reports}"
        title.append(f" {reports} · {plural(len(notes), 'note')}", style="dim")
        if running:
            title.append(f" · {running}", style="bold")
        orphans = sum(1 for n in notes if n.orphan)
        if orphans:
            title.append(f" · {orphans} orphaned ({key_of(self, 'app.notes')})", style="bold red")
        self.update(title)
