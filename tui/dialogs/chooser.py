"""Pick one of a list: a bookmark, a note of the paragraph, a code found with another."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ofsted_reader.tui.key_hints import hint_line

from .literal import literal


class Chooser(ModalScreen[str | None]):
    """Pick one of a list (bookmarks, notes of a paragraph): enter chooses, esc backs out; with `on_delete`, d removes
    the one highlighted (and the list stays open)."""

    CSS_PATH = "chooser.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Close", id="chooser.cancel"),
        Binding("j", "down", show=False, id="chooser.down"),
        Binding("k", "up", show=False, id="chooser.up"),
        Binding("d,delete", "delete", "Remove", id="chooser.delete", show=False),
    ]

    def __init__(
        self,
        title: str,
        options: list[tuple[str, str]],
        empty: str = "Nothing here yet.",
        choose: str = "choose",
        on_delete: Callable[[str], None] | None = None,
        delete: str = "remove",
    ):
        super().__init__()
        self.title_text = title
        self.options = list(options)
        self.empty = empty
        self.choose = choose
        self.on_delete = on_delete
        self.delete = delete

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="chooser"):
            yield Label(literal(self.title_text), id="dialog-title")
            if self.options:
                options = OptionList(
                    *[Option(literal(label), id=value) for value, label in self.options], id="chooser-list"
                )
                options.highlighted = 0
                yield options
            yield Static(self.empty, classes="dialog-help", id="chooser-empty")
            keys = [("=enter", self.choose)]
            if self.on_delete is not None:
                keys.append(("chooser.delete", self.delete))
            keys += [("chooser.down chooser.up", "move"), ("chooser.cancel", "close")]
            yield Static(hint_line(self, *keys, between=" · "), classes="dialog-help dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#chooser-empty").display = not self.options

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_down(self) -> None:
        for widget in self.query(OptionList):
            widget.action_cursor_down()

    def action_up(self) -> None:
        for widget in self.query(OptionList):
            widget.action_cursor_up()

    def action_delete(self) -> None:
        lists = self.query(OptionList)
        if self.on_delete is None or not lists or lists.first().highlighted is None:
            return
        widget = lists.first()
        index = widget.highlighted or 0
        value = widget.get_option_at_index(index).id
        if value is None:
            return
        self.on_delete(value)
        widget.remove_option_at_index(index)
        self.options = [(v, label) for v, label in self.options if v != value]
        if self.options:
            widget.highlighted = min(index, len(self.options) - 1)
        else:
            widget.display = False
            self.query_one("#chooser-empty").display = True

    def action_cancel(self) -> None:
        self.dismiss(None)
