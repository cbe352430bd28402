"""Pick several of a list, narrowed by typing: the reports to compare a section with."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, SelectionList, Static

from ofsted_reader.tui.key_hints import hint_line
from ofsted_reader.tui.widgets.pick_list import PickList

from .literal import literal


class MultiChooser(ModalScreen[list[str] | None]):
    """Pick several (space toggles, enter confirms). With `filterable`, typing narrows the list (picks are kept)."""

    CSS_PATH = "multi_chooser.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="multichooser.cancel"),
        Binding("enter", "confirm", "Confirm", id="multichooser.confirm", priority=True),
        Binding("down", "to_list", "To the list", id="multichooser.to_list", show=False),
    ]

    def __init__(self, title: str, options: list[tuple[str, str]], filterable: bool = False, limit: int | None = None):
        super().__init__()
        self.title_text = title
        self.options = options
        self.filterable = filterable
        self.limit = limit
        self.picked: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="chooser"):
            yield Label(literal(self.title_text), id="dialog-title")
            if self.filterable:
                yield Input(placeholder="type to filter: authority, date, region…", id="multi-filter")
            if self.options:
                yield PickList(*[(literal(label), value) for value, label in self.options], id="multi-list")
            else:
                yield Static("No other report has a matching section.", classes="dialog-help")
            yield Static(
                Text("type to filter · ").append_text(
                    hint_line(
                        self,
                        ("multichooser.to_list", "the list"),
                        ("=space", "picks (✓)"),
                        ("multichooser.confirm", ""),
                        ("multichooser.cancel", "cancels"),
                        between=" · ",
                    )
                ),
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        if self.filterable and self.options:
            self.query_one("#multi-filter", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        words = event.value.lower().split()
        lists = self.query(SelectionList)
        if not lists:
            return
        selection = lists.first()
        self.picked = list(dict.fromkeys(self.picked + list(selection.selected)))
        selection.clear_options()
        shown = [(value, label) for value, label in self.options if all(w in label.lower() for w in words)]
        selection.add_options([(literal(label), value, value in self.picked) for value, label in shown])
        selection.highlighted = 0 if shown else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_to_list()

    def action_to_list(self) -> None:
        """↓ from the filter: to the list, where space picks."""
        lists = self.query(SelectionList)
        if lists and lists.first().option_count:
            lists.first().focus()

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        visible_values = {
            event.selection_list.get_option_at_index(i).value for i in range(event.selection_list.option_count)
        }
        self.picked = [v for v in self.picked if v not in visible_values] + list(event.selection_list.selected)

    def action_confirm(self) -> None:
        lists = self.query(SelectionList)
        if not lists:
            self.dismiss(None)
            return
        picked = list(dict.fromkeys(self.picked + list(lists.first().selected)))
        if self.limit and len(picked) > self.limit:
            self.notify(f"Pick at most {self.limit}", severity="warning")
            return
        self.dismiss(picked)

    def action_cancel(self) -> None:
        self.dismiss(None)
