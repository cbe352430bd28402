"""The paragraph reader: one section's paragraphs, rendered lazily with the line API.

Wrapping happens once per (section, width); render_line then only slices prepared lines, so moving the cursor
through a 300-paragraph section costs the same as through a short one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ofsted_reader.core.model import Paragraph, Report
from ofsted_reader.core.notes import Note
from ofsted_reader.core.safe_text import first_line, visible
from ofsted_reader.core.wording import plural
from ofsted_reader.tui.key_hints import key_of

from .quote_selection import Selection

GUTTER = 7  # "● 189 " : note mark, number, space
# Lines of text no longer than this (plus the gutter): past ~100 characters the eye loses its way back to the next
# line. Wider terminals centre the column.
MEASURE = 92
NOTES_SHOWN = 3  # notes listed under a paragraph; more are counted
TIMESCALE_WORDS = {
    "immediately": "Immediately",
    "within_three_months": "Within 3 months",
    "within_six_months": "Within 6 months",
    None: "Recommendation",
}


EMPHASIS = re.compile(r"\*\*(.+?)\*\*|\*(\S(?:.*?\S)?)\*")


def emphasised(source: str, style: Style, marks: list[tuple[int, int, Style]] | None = None) -> Text:
    """Report text keeps the markdown emphasis of its extraction (*Working Together*); show it as italic/bold.
    `marks` style spans of the source (a selection, a note's quote), placed where those characters are shown."""
    text = Text(style=style)
    shown: list[int] = []  # where each source character lands in the text shown (markers land on their neighbour)
    position = 0
    for match in EMPHASIS.finditer(source):
        shown += range(len(text), len(text) + match.start() - position)
        text.append(source[position : match.start()])
        inner = 1 if match.group(2) is not None else 2
        words = match.group(1) if match.group(1) is not None else match.group(2)
        shown += [len(text)] * inner
        shown += range(len(text), len(text) + len(words))
        text.append(words, style="bold" if match.group(1) is not None else "italic")
        shown += [len(text)] * inner
        position = match.end()
    shown += range(len(text), len(text) + len(source) - position)
    text.append(source[position:])
    shown.append(len(text))
    for start, end, mark in marks or []:
        if 0 <= start < end <= len(source):
            text.stylize(mark, shown[start], shown[end])
    return text


@dataclass
class Block:
    """One paragraph as the reader shows it, with what the user attached to it."""

    paragraph: Paragraph
    notes: list[Note]
    bookmarked: bool
    timescales: list[str | None]  # per item: a recommendation's timescale, or "" when the item is not one
    heading: str | None = None  # the section title, when the view spans several sections


STYLE_NAMES = (
    "text",
    "dim",
    "gutter",
    "note",
    "tag",
    "timescale",
    "match",
    "cursor",
    "cursor_bar",
    "heading",
    "selection",
    "quote",
)


class Reader(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {f"reader--{name}" for name in STYLE_NAMES}
    DEFAULT_CSS = """
    Reader { height: 1fr; background: $background; scrollbar-size-vertical: 1; }
    Reader:focus { background-tint: $foreground 2%; }
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
    Reader > .reader--selection { background: $accent; color: $background; }
    Reader > .reader--quote { text-style: underline; color: $text-accent; }
    """
    BINDINGS = [
        Binding("j,down", "cursor(1)", "Next ¶", id="reader.next", show=False),
        Binding("k,up", "cursor(-1)", "Prev ¶", id="reader.previous", show=False),
        Binding("g,home", "first", "First ¶", id="reader.first", show=False),
        Binding("G,end", "last", "Last ¶", id="reader.last", show=False),
        Binding("pagedown,space", "page(1)", "Page down", id="reader.page_down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="reader.page_up", show=False),
        Binding("v", "select", "Quote", id="reader.select"),
        Binding("w", "grow_word(1)", "Quote: a word more", id="reader.select_word", show=False),
        Binding("b", "grow_word(-1)", "Quote: a word less", id="reader.select_word_back", show=False),
        Binding(
            "right_parenthesis", "grow_sentence(1)", "Quote: a sentence more", id="reader.select_sentence", show=False
        ),
        Binding(
            "left_parenthesis",
            "grow_sentence(-1)",
            "Quote: a sentence less",
            id="reader.select_sentence_back",
            show=False,
        ),
        Binding("W", "move_start(1)", "Quote: start a word later", id="reader.select_start", show=False),
        Binding("B", "move_start(-1)", "Quote: start a word earlier", id="reader.select_start_back", show=False),
        Binding("escape", "clear_selection", "Drop the quote", id="reader.select_clear", show=False),
    ]

    class Moved(Message):
        """The focused paragraph changed (the app remembers it and updates the title bar)."""

        def __init__(self, reader: Reader, paragraph: Paragraph | None):
            super().__init__()
            self.reader = reader
            self.paragraph = paragraph

    def __init__(self, **kwargs: Any) -> None:
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
        self.selection: Selection | None = None  # a quote being chosen in the paragraph under the cursor
        self.empty_message = "Choose a section in the tree (enter), or go to a paragraph (:)."

    # --- content ---

    def show(self, report: Report | None, blocks: list[Block], cursor: int = 0, highlight: str | None = None) -> None:
        self.report, self.blocks, self.highlight = report, blocks, highlight
        self.selection = None
        self.cursor = max(0, min(cursor, len(blocks) - 1)) if blocks else 0
        self._wrapped_width = -1
        self._prepare()
        # The chosen paragraph opens near the top of the view, with a line of what comes before it (_rewrap_in_place
        # again once the scrollbar shows).
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
        return max(20, min(MEASURE, self.scrollable_content_region.width - GUTTER - 1))

    def _margin(self) -> int:
        """Blank columns left of the text, so a column narrower than the reader sits in its middle."""
        return max(0, (self.scrollable_content_region.width - self._text_width() - GUTTER) // 2)

    def _prepare(self, force: bool = False) -> None:
        width = self._text_width()
        if width == self._wrapped_width and not force:
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
            marks = [
                (note.span[0], note.span[1], styles["quote"])
                for note in block.notes
                if note.span and note.span[1] <= len(block.paragraph.text)
            ]
            if self.selection is not None and index == self.cursor:
                marks.append((*self.selection.span, styles["selection"]))
            body = emphasised(block.paragraph.text, styles["text"], marks)
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
            for footnote in block.paragraph.footnotes:  # under its paragraph, as printed: never in the sentence
                for line in Text(footnote, style=styles["gutter"]).wrap(console, width):
                    lines.append(list(Text(" " * GUTTER).render(console)) + list(line.render(console)))
                    owner.append(index)
            for label in self._note_lines(block, styles):
                lines.append(list(label.render(console))[: width + GUTTER])
                owner.append(index)
            lines.append([])
            owner.append(-1)
        self._lines, self._owner, self._starts = lines, owner, starts
        self.virtual_size = Size(width + GUTTER, len(lines))

    def _note_lines(self, block: Block, styles: dict[str, Style]) -> list[Text]:
        """A line per note under its paragraph, its own tags beside its own words (a quote's note shows the start
        of its quote): two notes never read as one."""
        labels = []
        for note in block.notes[:NOTES_SHOWN]:
            label = Text(" " * GUTTER, no_wrap=True, overflow="ellipsis")
            label.append("✎ ", style=styles["note"])
            if note.span:
                label.append(visible(f"“{first_line(note.quote or '', 24)}” "), style=styles["quote"])
            if note.tags:
                label.append(visible(" ".join(f"#{t}" for t in note.tags)) + "  ", style=styles["tag"])
            label.append(note.summary(80) or "(empty note)", style=styles["dim"])
            labels.append(label)
        hidden = len(block.notes) - NOTES_SHOWN
        if hidden > 0:
            more = Text(" " * GUTTER)
            edit, notes = key_of(self, "app.edit_note"), key_of(self, "app.notes")
            more.append(
                f"✎ {plural(hidden, 'more note')} ({edit} edits one, {notes} lists them all)", style=styles["note"]
            )
            labels.append(more)
        return labels

    def _styles(self) -> dict[str, Style]:
        try:
            return {name: self.get_component_rich_style(f"reader--{name}", partial=True) for name in STYLE_NAMES}
        except KeyError:  # before the stylesheet reached us; notify_style_update prepares again
            return {name: Style() for name in STYLE_NAMES}

    def on_resize(self, event: events.Resize) -> None:
        self._prepare()
        self._scroll_to_cursor()

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        """The scrollbar appears once the wrapped text is longer than the view, and takes columns from it without
        a Resize: the text is wrapped again to the narrower width, or its last letters would lie under the bar."""
        if self.is_attached:
            self.call_after_refresh(self._rewrap_in_place)

    def _rewrap_in_place(self) -> None:
        """Wrap again at the current width and open the paragraph under the cursor where show() meant it: the lines
        above it may have grown by a few, and show()'s scroll was held to the shorter text's end."""
        self._prepare()
        if self._starts:
            self.scroll_to(y=max(0, self._starts[self.cursor] - 2), animate=False, force=True)

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
        margin = self._margin()
        segments = self._lines[index]
        strip = Strip(segments).crop(scroll_x, scroll_x + width - margin).extend_cell_length(width - margin)
        owner = self._owner[index]
        if self.blocks and owner == self.cursor:
            styles = self._style_cache or self._styles()
            strip = strip.apply_style(styles["cursor"])
            bar = Segment("▌", styles["cursor_bar"])
            strip = Strip.join([Strip([bar], 1), strip.crop(1, width - margin)])
        if margin:
            strip = Strip.join([Strip.blank(margin), strip])
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
            if self.selection is not None:  # a quote is chosen within one paragraph
                self.selection = None
                self._prepare(force=True)
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

    # --- choosing a quote ---

    def action_select(self) -> None:
        """v: the paragraph's first sentence as a quote to note (v again drops it)."""
        if self.selection is not None:
            self.action_clear_selection()
            return
        paragraph = self.current
        if paragraph is None or not paragraph.text.strip():
            self.notify("No text to quote here", severity="warning", timeout=2)
            return
        self.selection = Selection.start(paragraph.text)
        self._selection_changed()
        self.notify(
            "Quote: w/b a word more/less, )/( a sentence, W/B move its start; a notes it, y copies it", timeout=5
        )

    def _selection_changed(self) -> None:
        self._prepare(force=True)
        self.refresh()
        self.post_message(self.Moved(self, self.current))

    def _with_selection(self, change: Callable[[Selection], None]) -> None:
        if self.selection is None:
            raise SkipAction()  # w, b and the rest mean nothing else here: their own keys elsewhere
        change(self.selection)
        self._selection_changed()

    def action_grow_word(self, step: int) -> None:
        self._with_selection(lambda s: s.grow_word(step))

    def action_grow_sentence(self, step: int) -> None:
        self._with_selection(lambda s: s.grow_sentence(step))

    def action_move_start(self, step: int) -> None:
        self._with_selection(lambda s: s.move_start(step))

    def action_clear_selection(self) -> None:
        if self.selection is None:
            raise SkipAction()  # escape then does what the screen does with it
        self.selection = None
        self._selection_changed()

    @property
    def quote(self) -> str | None:
        """The quote chosen in the paragraph under the cursor, if any."""
        return self.selection.quote if self.selection is not None else None

    def on_click(self, event: events.Click) -> None:
        line = self.scroll_offset.y + event.y
        if 0 <= line < len(self._owner) and self._owner[line] >= 0:
            self.move_to(self._owner[line])
        self.focus()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
