"""The paragraph reader: one section's paragraphs, rendered lazily with the line API.

Wrapping happens once per (section, width); render_line then only slices prepared lines, so moving the cursor
through a 300-paragraph section costs the same as through a short one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ofsted_reader.core.model import Paragraph, Report
from ofsted_reader.core.notes import Note
from ofsted_reader.core.safe_text import visible

GUTTER = 7  # "● 189 " : note mark, number, space
TIMESCALE_WORDS = {
    "immediately": "Immediately",
    "within_three_months": "Within 3 months",
    "within_six_months": "Within 6 months",
    None: "Recommendation",
}


EMPHASIS = re.compile(r"\*\*(.+?)\*\*|\*(\S(?:.*?\S)?)\*")


def emphasised(source: str, style: Style) -> Text:
    """Report text keeps the markdown emphasis of its extraction (*Working Together*); show it as italic/bold."""
    text = Text(style=style)
    position = 0
    for match in EMPHASIS.finditer(source):
        text.append(source[position : match.start()])
        if match.group(1) is not None:
            text.append(match.group(1), style="bold")
        else:
            text.append(match.group(2), style="italic")
        position = match.end()
    text.append(source[position:])
    return text


@dataclass
class Block:
    """One paragraph as the reader shows it, with what the user attached to it."""

    paragraph: Paragraph
    notes: list[Note]
    bookmarked: bool
    timescales: list[str | None]  # per item: a recommendation's timescale, or "" when the item is not one
    heading: str | None = None  # the section title, when the view spans several sections


STYLE_NAMES = ("text", "dim", "gutter", "note", "tag", "timescale", "match", "cursor", "cursor_bar", "heading")


class Reader(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {f"reader--{name}" for name in STYLE_NAMES}
    DEFAULT_CSS = """
    Reader > .reader--text { color: $foreground; }
    Reader > .reader--dim { color: $text-muted; text-style: italic; }
    Reader > .reader--gutter { color: $text-muted; }
    Reader > .reader--note { color: $accent; text-style: bold; }
    Reader > .reader--tag { color: $text-accent; }
    Reader > .reader--timescale { color: $warning; text-style: bold; }
    Reader > .reader--match { background: $warning; color: $background; }
    Reader > .reader--cursor { background: $panel; }
    Reader > .reader--cursor_bar { color: $primary; text-style: bold; }
    Reader > .reader--heading { color: $primary; text-style: bold underline; }
    """
    BINDINGS = [
        Binding("j,down", "cursor(1)", "Next ¶", id="reader.next", show=False),
        Binding("k,up", "cursor(-1)", "Prev ¶", id="reader.previous", show=False),
        Binding("g,home", "first", "First ¶", id="reader.first", show=False),
        Binding("G,end", "last", "Last ¶", id="reader.last", show=False),
        Binding("pagedown,space", "page(1)", "Page down", id="reader.page_down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="reader.page_up", show=False),
    ]

    class Moved(Message):
        """The focused paragraph changed (the app remembers it and updates the title bar)."""

        def __init__(self, reader: Reader, paragraph: Paragraph | None):
            super().__init__()
            self.reader = reader
            self.paragraph = paragraph

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.report: Report | None = None
        self.blocks: list[Block] = []
        self.cursor = 0
        self.highlight: str | None = None
        self._lines: list[list[Segment]] = []
        self._owner: list[int] = []  # block index of each line (-1 for spacing)
        self._starts: list[int] = []
        self._wrapped_width = -1
        self._style_cache: dict[str, Style] | None = None
        self.empty_message = "Choose a section in the tree (enter), or go to a paragraph (:)."

    # --- content ---

    def show(self, report: Report | None, blocks: list[Block], cursor: int = 0, highlight: str | None = None) -> None:
        self.report, self.blocks, self.highlight = report, blocks, highlight
        self.cursor = max(0, min(cursor, len(blocks) - 1)) if blocks else 0
        self._wrapped_width = -1
        self._prepare()
        # The chosen paragraph opens near the top of the view, with a line of what comes before it.
        top = self._starts[self.cursor] - 2 if self._starts else 0
        self.scroll_to(y=max(0, top), animate=False, force=True)
        self.refresh()
        self.post_message(self.Moved(self, self.current))

    def update_blocks(self, blocks: list[Block]) -> None:
        """Same paragraphs, new notes or bookmarks: keep the cursor and the scroll position."""
        self.blocks = blocks
        self.cursor = min(self.cursor, max(len(blocks) - 1, 0))
        self._wrapped_width = -1
        self._prepare()
        self.refresh()

    @property
    def current(self) -> Paragraph | None:
        return self.blocks[self.cursor].paragraph if self.blocks else None

    # --- layout ---

    def _text_width(self) -> int:
        return max(20, self.scrollable_content_region.width - GUTTER - 1)

    def _prepare(self) -> None:
        width = self._text_width()
        if width == self._wrapped_width:
            return
        self._wrapped_width = width
        console = Console(width=width, color_system="truecolor", legacy_windows=False)
        styles = self._style_cache = self._styles()
        lines: list[list[Segment]] = []
        owner: list[int] = []
        starts: list[int] = []
        if not self.blocks:
            text = Text(self.empty_message, style=styles["dim"])
            for line in text.wrap(console, width):
                lines.append(list(line.render(console)))
                owner.append(-1)
        for index, block in enumerate(self.blocks):
            if block.heading:
                for line in Text(block.heading, style=styles["heading"]).wrap(console, width + GUTTER):
                    lines.append(list(line.render(console)))
                    owner.append(-1)
                lines.append([])
                owner.append(-1)
            starts.append(len(lines))
            body = emphasised(block.paragraph.text, styles["text"])
            if self.highlight:
                body.highlight_words(self.highlight.split(), style=styles["match"], case_sensitive=False)
            wrapped: list[Text] = list(body.wrap(console, width)) if block.paragraph.text else []
            number = f"{block.paragraph.number}." if block.paragraph.number is not None else ""
            mark = "●" if block.notes else ("★" if block.bookmarked else " ")
            first = True
            for line in wrapped:
                gutter = Text(f"{mark if first else ' '} {number if first else '':>4} ", style=styles["gutter"])
                if first and block.notes:
                    gutter.stylize(styles["note"], 0, 1)
                lines.append(list(gutter.render(console)) + list(line.render(console)))
                owner.append(index)
                first = False
            for item, timescale in zip(block.paragraph.items, block.timescales):
                item_text = Text()
                if timescale != "":
                    item_text.append(f"[{TIMESCALE_WORDS.get(timescale, timescale)}] ", style=styles["timescale"])
                item_text.append_text(emphasised(item, styles["text"]))
                if self.highlight:
                    item_text.highlight_words(self.highlight.split(), style=styles["match"], case_sensitive=False)
                # A hanging indent: the bullet stands out, wrapped lines align with the item's text.
                for n, line in enumerate(item_text.wrap(console, width - 2)):
                    gutter_text = f"{mark if first else ' '} {number if first else '':>4} "
                    bullet = "• " if n == 0 else "  "
                    lines.append(
                        list(Text(gutter_text, style=styles["gutter"]).render(console))
                        + list(Text(bullet, style=styles["gutter"]).render(console))
                        + list(line.render(console))
                    )
                    owner.append(index)
                    first = False
            if block.notes:
                tags = sorted({tag for note in block.notes for tag in note.tags})
                count = len(block.notes)
                label = Text(" " * GUTTER)
                label.append(f"✎ {count} note{'s' if count > 1 else ''}", style=styles["note"])
                if tags:
                    label.append(visible("  " + " ".join(f"#{t}" for t in tags)), style=styles["tag"])
                summary = block.notes[-1].summary(80)
                if summary:
                    label.append("  " + summary, style=styles["dim"])
                lines.append(list(label.render(console))[: width + GUTTER])
                owner.append(index)
            lines.append([])
            owner.append(-1)
        self._lines, self._owner, self._starts = lines, owner, starts
        self.virtual_size = Size(width + GUTTER, len(lines))

    def _styles(self) -> dict[str, Style]:
        try:
            return {name: self.get_component_rich_style(f"reader--{name}", partial=True) for name in STYLE_NAMES}
        except KeyError:  # before the stylesheet reached us; notify_style_update prepares again
            return {name: Style() for name in STYLE_NAMES}

    def on_resize(self, event: events.Resize) -> None:
        self._prepare()
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._wrapped_width = -1
        if self.is_attached:
            self._prepare()

    # --- rendering ---

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        segments = self._lines[index]
        strip = Strip(segments).crop(scroll_x, scroll_x + width).extend_cell_length(width)
        owner = self._owner[index]
        if self.blocks and owner == self.cursor:
            styles = self._style_cache or self._styles()
            strip = strip.apply_style(styles["cursor"])
            bar = Segment("▌", styles["cursor_bar"])
            strip = Strip([bar, *strip.crop(1, width)._segments])
        return strip.apply_style(self.rich_style)

    # --- moving ---

    def _scroll_to_cursor(self, center: bool = False) -> None:
        if not self.blocks or not self._starts:
            return
        start = self._starts[self.cursor]
        end = self._starts[self.cursor + 1] if self.cursor + 1 < len(self._starts) else len(self._lines)
        height = end - start
        region = Region(0, start, 1, min(height, max(self.scrollable_content_region.height, 1)))
        self.scroll_to_region(region, animate=False, center=center, force=True)

    def move_to(self, index: int, center: bool = False) -> None:
        if not self.blocks:
            return
        index = max(0, min(index, len(self.blocks) - 1))
        if index != self.cursor:
            self.cursor = index
            self.post_message(self.Moved(self, self.current))
        self._scroll_to_cursor(center=center)
        self.refresh()

    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.blocks) - 1)

    def action_page(self, direction: int) -> None:
        if not self.blocks:
            return
        target_line = self._starts[self.cursor] + direction * max(self.scrollable_content_region.height - 2, 1)
        target_line = max(0, min(target_line, len(self._lines) - 1))
        owner = self._owner_near(target_line)
        self.move_to(owner)

    def _owner_near(self, line: int) -> int:
        for probe in range(line, len(self._owner)):
            if self._owner[probe] >= 0:
                return self._owner[probe]
        return len(self.blocks) - 1

    def on_click(self, event: events.Click) -> None:
        line = self.scroll_offset.y + event.y
        if 0 <= line < len(self._owner) and self._owner[line] >= 0:
            self.move_to(self._owner[line])
        self.focus()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
