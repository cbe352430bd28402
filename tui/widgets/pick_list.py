"""A list to pick several from, each picked row marked by a character as well as by colour."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets.option_list import OptionDoesNotExist


class PickList(SelectionList[str]):
    """A SelectionList whose picked rows say so in a character, ✓, not in colour alone (Textual's draws "X" on every
    row, picked or not)."""

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        segments = list(line)
        try:
            option = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return line
        if len(segments) < 2 or segments[1].text != "X":
            return line
        mark = "✓" if option.value in self._selected else " "
        segments[1] = Segment(mark, segments[1].style)
        return Strip(segments, line.cell_length)
