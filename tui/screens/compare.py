"""Side by side (c): one section across two to four reports, in columns that scroll together.

Rows are aligned paragraphs; words in a three-word run another column of the row also has are dimmed, so
what is unique to a report stands out. The focused cell (←/→ between columns, j/k between rows) takes notes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.message import Message
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from ofsted_reader.core.citation import quoted_with_citation
from ofsted_reader.core.compare import Comparison, shared_words
from ofsted_reader.core.dates import list_date, short_date
from ofsted_reader.core.grades import grade_name
from ofsted_reader.core.model import Paragraph, Report
from ofsted_reader.core.safe_text import visible
from ofsted_reader.tui.clipboard import copy
from ofsted_reader.tui.dialogs.confirm import unless_it_replaces
from ofsted_reader.tui.widgets.key_bar import KeyBar

RULE = " │ "  # between columns, in the header and the view alike


class CompareView(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("j,down", "row(1)", "Next row", show=False, id="compare.next_row"),
        Binding("k,up", "row(-1)", "Prev row", show=False, id="compare.previous_row"),
        Binding("l,right", "column(1)", "Next column", show=False, id="compare.next_column"),
        Binding("h,left", "column(-1)", "Prev column", show=False, id="compare.previous_column"),
        Binding("g,home", "row(-100000)", "First", show=False, id="compare.first"),
        Binding("G,end", "row(100000)", "Last", show=False, id="compare.last"),
    ]
    DEFAULT_CSS = """
    CompareView { height: 1fr; }
    CompareView > .compare--cursor { background: $panel; }
    CompareView > .compare--rule { color: $panel-lighten-2; }
    """
    COMPONENT_CLASSES = {"compare--cursor", "compare--rule"}

    def __init__(self, comparison: Comparison, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.comparison = comparison
        self.row = 0
        self.column = 0
        self._lines: list[list[list[Segment]]] = []  # per line, per column
        self._row_of_line: list[int] = []
        self._row_start: list[int] = []
        self._width = -1
        self.cell_width = 0  # each report's column, once laid out

    def prepare(self) -> None:
        """The columns laid out for the view's width (again only when the width changed): `cell_width` then says how
        wide each is, for the screen's column header."""
        width = self.scrollable_content_region.width
        if width == self._width or width <= 0:
            return
        self._width = width
        columns = len(self.comparison.reports)
        cell = max(10, (width - (columns - 1) * len(RULE)) // columns)
        self.cell_width = cell
        console = Console(width=cell, color_system="truecolor")
        # Phrasing another column shares is dimmed; what only this report says keeps full strength.
        shared_style, unique_style = Style(dim=True, italic=True), Style()
        lines: list[list[list[Segment]]] = []  # per screen line, per column: its segments
        owner: list[int] = []  # the row each line belongs to (-1 for the gap between rows)
        starts: list[int] = []
        for r, row in enumerate(self.comparison.rows):
            texts = [self.comparison.paragraphs[c][i].text if i is not None else "" for c, i in enumerate(row)]
            marks = shared_words(texts)
            rendered: list[list[list[Segment]]] = []
            for c, index in enumerate(row):
                if index is None:
                    rendered.append([])
                    continue
                paragraph = self.comparison.paragraphs[c][index]
                text = Text()
                text.append(f"{paragraph.number}. " if paragraph.number is not None else "", style="bold")
                for w, word in enumerate(texts[c].split()):
                    text.append(word + " ", style=shared_style if w in marks[c] else unique_style)
                rendered.append([list(line.render(console)) for line in text.wrap(console, cell)])
            height = max((len(r_) for r_ in rendered), default=0)
            starts.append(len(lines))
            for n in range(height):
                lines.append([r_[n] if n < len(r_) else [] for r_ in rendered])
                owner.append(r)
            lines.append([[] for _ in rendered])
            owner.append(-1)
        self._lines, self._row_of_line, self._row_start = lines, owner, starts
        self.virtual_size = Size(width, len(lines))

    def on_resize(self) -> None:
        self._width = -1
        self.prepare()

    def render_line(self, y: int) -> Strip:
        self.prepare()
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if index >= len(self._lines):
            return Strip.blank(width)
        try:
            cursor = self.get_component_rich_style("compare--cursor", partial=True)
            rule = self.get_component_rich_style("compare--rule", partial=True)
        except KeyError:
            cursor = rule = Style()
        segments: list[Segment] = []
        for c, cells in enumerate(self._lines[index]):
            strip = Strip(cells).extend_cell_length(self.cell_width).crop(0, self.cell_width)
            if self._row_of_line[index] == self.row and c == self.column:
                strip = strip.apply_style(cursor)
            segments += list(strip)
            if c < len(self._lines[index]) - 1:
                segments.append(Segment(RULE, rule))
        return Strip(segments).extend_cell_length(width).crop(0, width)

    def _scroll_to_row(self) -> None:
        if not self._row_start:
            return
        start = self._row_start[self.row]
        self.scroll_to_region(Region(0, start, 1, 3), animate=False, force=True)

    def action_row(self, delta: int) -> None:
        if not self.comparison.rows:
            return
        self.row = max(0, min(len(self.comparison.rows) - 1, self.row + delta))
        self._scroll_to_row()
        self.refresh()

    def action_column(self, delta: int) -> None:
        self.column = max(0, min(len(self.comparison.reports) - 1, self.column + delta))
        self.refresh()

    @property
    def focused_paragraph(self) -> tuple[Report | None, Paragraph | None]:
        if not self.comparison.rows:
            return None, None
        index = self.comparison.rows[self.row][self.column]
        if index is None:
            return self.comparison.reports[self.column], None
        return self.comparison.reports[self.column], self.comparison.paragraphs[self.column][index]


class CompareScreen(Screen[None]):
    CSS_PATH = "compare.tcss"

    class NoteRequested(Message):
        """a on a cell: the app opens the note editor on that cell's paragraph."""

        def __init__(self, report: Report, paragraph: Paragraph) -> None:
            super().__init__()
            self.report, self.paragraph = report, paragraph

    class Copied(Message):
        """y on a cell: the text copied, with its citation."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="compare.close"),
        Binding("a", "note", "Note", id="compare.note"),
        Binding("x", "export", "Export Markdown", id="compare.export"),
        Binding("y", "copy", "Copy cell", id="compare.copy"),
    ]

    def __init__(self, comparison: Comparison):
        super().__init__()
        self.comparison = comparison

    def compose(self) -> ComposeResult:
        with Vertical():
            heading = Text(f" Compare: {self.comparison.title}", style="bold")
            yield Static(heading, id="compare-title")
            yield Static(self._columns_header(), id="compare-columns")
            yield CompareView(self.comparison, id="compare-view")
        yield KeyBar()

    def _columns_header(self, cell: int = 0) -> Text:
        """Each column's report (authority, date, grade of its section) in the columns' own widths, with the
        rules where the view draws them: a header over each column, never one run of text."""
        parts = []
        for report, section in zip(self.comparison.reports, self.comparison.sections):
            grade = grade_name(section.grade, report.framework) if section and section.grade else "not graded"
            text = Text()
            text.append(f"{visible(report.authority)} ", style="bold")
            text.append(f"{short_date(list_date(report))} ", style="dim")
            text.append(f"[{grade}]" if section else "[no matching section]")
            parts.append(text)
        if cell <= 0:
            return Text("  │  ").join(parts)
        console = Console(width=cell)
        wrapped = [list(part.wrap(console, cell)) for part in parts]
        height = max(len(lines) for lines in wrapped)
        out = Text()
        for n in range(height):
            for c, lines in enumerate(wrapped):
                line = lines[n].copy() if n < len(lines) else Text()
                line.truncate(cell, pad=True)
                out.append_text(line)
                if c < len(wrapped) - 1:
                    out.append(RULE, style="dim")
            if n < height - 1:
                out.append("\n")
        return out

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_header)

    def _fit_header(self) -> None:
        view = self.query_one(CompareView)
        view.prepare()
        self.query_one("#compare-columns", Static).update(self._columns_header(view.cell_width))

    def on_mount(self) -> None:
        self.query_one(CompareView).focus()
        self.call_after_refresh(self._fit_header)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_note(self) -> None:
        report, paragraph = self.query_one(CompareView).focused_paragraph
        if report is None or paragraph is None:
            self.notify("No paragraph in this cell", severity="warning")
            return
        self.post_message(self.NoteRequested(report, paragraph))

    def action_copy(self) -> None:
        """The focused cell's paragraph with its own citation (not the reader's paragraph behind this screen)."""
        report, paragraph = self.query_one(CompareView).focused_paragraph
        if report is None or paragraph is None:
            self.notify("No paragraph in this cell", severity="warning")
            return
        text = quoted_with_citation(report, paragraph)
        self.post_message(self.Copied(text))
        copy(self.app, text, "The paragraph with its citation")

    def action_export(self) -> None:
        from ofsted_reader.host import locations

        path = locations.exports_dir() / f"compare-{self.comparison.reports[0].id}-{len(self.comparison.reports)}.md"
        unless_it_replaces(self, path, lambda: self._write(path))

    def _write(self, path: Path) -> None:
        from ofsted_reader.store.atomic import write_atomic

        try:
            write_atomic(path, self.comparison.to_markdown().encode("utf-8"))
        except OSError as error:
            self.notify(f"Cannot write {path}: {error.strerror}", severity="error")
            return
        self.notify(f"Saved {path}", timeout=6)
