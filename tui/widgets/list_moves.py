"""j and k in a screen of lists: the focused list's cursor moves (the arrows do the same by Textual's own keys)."""

from __future__ import annotations

from typing import Any

from textual.widgets import OptionList


class ListMoves:
    """Mixed into a Screen whose bindings send j and k to `down` and `up`."""

    focused: Any  # the Screen's

    def action_down(self) -> None:
        if isinstance(self.focused, OptionList):
            self.focused.action_cursor_down()

    def action_up(self) -> None:
        if isinstance(self.focused, OptionList):
            self.focused.action_cursor_up()
