"""The reader part of the main screen: the heading (which authority, report, section and paragraph the cursor is on)
over the paragraph reader. It owns the report being read and its section, and marks each paragraph's notes,
bookmark and recommendations' timescales; its reader posts `Reader.Moved` as the cursor moves (the heading follows
here)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from ofsted_reader.core.grades import grade_name
from ofsted_reader.core.model import Paragraph, Report
from ofsted_reader.core.notes import Note
from ofsted_reader.store.uistate import UIState
from ofsted_reader.tui.key_hints import key_of
from ofsted_reader.tui.widgets import reader_heading
from ofsted_reader.tui.widgets.reader import Block, Reader


class ReaderPane(Vertical):
    def __init__(self, state: UIState, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.state = state  # the bookmarks it marks
        self.report: Report | None = None
        self.section_id: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="section-title")
        yield Reader(id="reader")

    @property
    def reader(self) -> Reader:
        return self.query_one(Reader)

    @property
    def current(self) -> Paragraph | None:
        """The paragraph under the cursor, when a report is open."""
        return self.reader.current if self.report is not None else None

    def show(
        self,
        report: Report,
        section_id: str | None,
        paragraphs: list[Paragraph],
        cursor: int,
        notes: list[Note],
        highlight: str | None = None,
    ) -> None:
        self.report, self.section_id = report, section_id
        self.reader.show(report, self.blocks(report, paragraphs, notes), cursor, highlight)
        self.update_heading()

    def show_notes(self, notes: list[Note]) -> None:
        """The marks again (notes or bookmarks changed), on the paragraphs shown."""
        if self.report is None:
            return
        reader = self.reader
        reader.update_blocks(self.blocks(self.report, [b.paragraph for b in reader.blocks], notes))
        self.update_heading()

    def blocks(self, report: Report, paragraphs: list[Paragraph], notes: list[Note]) -> list[Block]:
        bookmarks = set(self.state.bookmarks)
        notes_by_paragraph: dict[str, list[Note]] = {}
        for note in sorted(notes, key=lambda n: (n.position or 0, n.created)):
            if note.report_id == report.id and note.attached and note.paragraph_id:
                notes_by_paragraph.setdefault(note.paragraph_id, []).append(note)
        recommendations: dict[str, str | None] = {}
        for rec in report.recommendations:
            recommendations.setdefault(rec.text, rec.timescale)
        blocks = []
        previous_section = None
        several_sections = len({p.section for p in paragraphs}) > 1  # a single section's paragraphs need no headings
        for paragraph in paragraphs:
            heading = None
            if paragraph.section != previous_section and several_sections:
                section = report.section(paragraph.section)
                if section is not None:
                    heading = section.title + (
                        f"  [{grade_name(section.grade, report.framework)}]" if section.grade else ""
                    )
            previous_section = paragraph.section
            timescales = [recommendations.get(item, "") for item in paragraph.items]
            blocks.append(
                Block(
                    paragraph, notes_by_paragraph.get(paragraph.id, []), paragraph.id in bookmarks, timescales, heading
                )
            )
        return blocks

    def leaf_sections(self) -> list[str]:
        """The report's sections that hold paragraphs, in order ([ and ] step through them)."""
        if self.report is None:
            return []
        with_text = {p.section for p in self.report.paragraphs}
        return [s.id for s in self.report.sections if s.id in with_text]

    def current_section(self) -> str | None:
        """The section of the paragraph under the cursor (a parent section shows its subsections' paragraphs)."""
        current = self.reader.current
        return current.section if current else self.section_id

    def update_heading(self) -> None:
        heading = self.query_one("#section-title", Static)
        if self.report is None:
            heading.update(reader_heading.empty())
            return
        report = self.report
        reader = self.reader
        section = report.section(self.section_id)
        current = reader.current
        if current is not None and current.section != self.section_id:
            section = report.section(current.section) or section
        width = heading.content_region.width or self.app.size.width
        keys = (key_of(self, "app.add_note"), key_of(self, "reader.select_clear"))
        heading.update(reader_heading.heading(report, section, current, width, reader.quote, keys))

    @on(Reader.Moved)
    def _reader_moved(self, event: Reader.Moved) -> None:
        self.update_heading()
