"""The tree part of the main screen: the filter (f), the line under it (how many authorities, in what order, or what
in the filter means nothing) and the library tree, with the order it sorts authorities in (s).

It owns the filter and the sort; it posts `Filtered` when what it lists changes (the title bar counts the reports
left), and its tree posts `LibraryTree.SectionChosen` when a place is chosen."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from ofsted_reader.core import authorities
from ofsted_reader.core.authorities import Authority
from ofsted_reader.core.safe_text import visible
from ofsted_reader.store.library.library import Library
from ofsted_reader.tui.widgets.library_tree import LibraryTree, Place

NO_MATCHES = "No matches: names, region:london, grade:4, framework:sif, a year; -word excludes"


class LibraryPane(Vertical):
    class Filtered(Message):
        """The filter changed what the tree lists."""

    def __init__(self, library: Library, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.library = library
        self.sort = "name"

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Filter (f): name, region:london, grade:4, 2019", id="filter")
        yield Static(id="tree-status")
        yield LibraryTree(self.library.outline, id="tree")

    @property
    def library_tree(self) -> LibraryTree:
        return self.query_one(LibraryTree)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#filter", Input)

    @property
    def filtered(self) -> bool:
        return bool(self.filter_input.value.strip())

    def shown_reports(self) -> int | None:
        """The reports the filter leaves; None when nothing is filtered out."""
        return self.library_tree.shown_reports if self.filtered else None

    def reload(self) -> None:
        """The library's reports again (an import or fetch added some), as filtered and sorted."""
        self.library_tree.load(self.library.entries(), self.filter_input.value, self.sort)

    def next_sort(self) -> None:
        """Order authorities by name, region, latest grade (worst first) or latest inspection (oldest first)."""
        sorts = LibraryTree.SORTS
        self.sort = sorts[(sorts.index(self.sort) + 1) % len(sorts)]
        self.reload()
        self.show_status()

    def place_under_cursor(self) -> Place | None:
        node = self.library_tree.cursor_node
        return node.data if node is not None else None

    def authority_under_cursor(self) -> Authority | None:
        place = self.place_under_cursor()
        entry = self.library.entry(place.report_id) if place is not None else None
        if entry is None:
            return None
        return authorities.by_code(entry.authority_code) or authorities.identify(entry.authority)

    def back_out(self) -> None:
        """Esc in the filter: empties it, or when empty goes to the tree."""
        if self.filter_input.value:
            self.filter_input.value = ""
        else:
            self.library_tree.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.library_tree.load(self.library.entries(), event.value, self.sort)
        self.show_status()
        self.post_message(self.Filtered())

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        self.library_tree.focus()

    def show_status(self) -> None:
        """Under the filter: how many authorities are shown, in what order; or what in the filter means nothing."""
        tree = self.library_tree
        status = self.query_one("#tree-status", Static)
        if tree.problem:
            status.update(Text(visible(tree.problem), style="bold"))
            status.set_class(True, "-problem")
            return
        status.set_class(False, "-problem")
        filtered = self.filtered
        count = f"{tree.shown} of {tree.total}" if filtered else f"{tree.total}"
        noun = "authority" if tree.total == 1 else "authorities"
        text = Text(f"{count} {noun} · {LibraryTree.SORT_NAMES[self.sort]}")
        if filtered and not tree.shown:
            text = Text(NO_MATCHES)
        status.update(text)
