"""Collects sections and paragraphs while an importer walks a report, then gives them stable ids."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from ofsted_reader.core.model import Paragraph, Section

from .ids import paragraph_ids, section_ids


@dataclass
class _Section:
    title: str
    parent: int | None
    grade: int | None = None
    label: str | None = None


class Heading(Protocol):
    """A section as an importer collects it: its parent by index in the list."""

    title: str
    parent: int | None
    grade: int | None
    label: str | None


def build_sections(rid: str, headings: Sequence[Heading]) -> tuple[list[str], list[Section]]:
    """Sections with ids from headings that know their parent by index (title, parent, grade, label), and the ids
    in heading order for the paragraphs to refer to."""
    sec_ids = section_ids(rid, [(h.title, h.parent) for h in headings])
    sections = [
        Section(
            id=sec_ids[i],
            title=h.title,
            parent=sec_ids[h.parent] if h.parent is not None else None,
            grade=h.grade,
            label=h.label,
        )
        for i, h in enumerate(headings)
    ]
    return sec_ids, sections


@dataclass
class _Paragraph:
    number: int | None
    section: int | None
    parts: list[str] = field(default_factory=list)
    items: list[list[str]] = field(default_factory=list)
    page: int | None = None
    footnotes: list[str] = field(default_factory=list)


SUSPENDED = re.compile(r"^(and|or|to|nor)\b")


def join_parts(parts: list[str]) -> str:
    """Rejoin wrapped lines: a space between them, none after a line that ends in a hyphen ('17-' 'year-olds')."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if not out:
            out = part
        elif part[:1] in ",.;:)":
            out += part  # the text after a footnote's marker, which pdfium gives as a line of its own
        elif out.endswith("-") and not out.endswith(" -") and not SUSPENDED.match(part):
            out += part
        elif out[-2:-1].isdigit() and out[-1:] in "–-" and part[:1].isdigit():
            out += part  # "2013–" "14": a span of years
        else:
            out += " " + part  # "first-" "and second-line": a suspended hyphen keeps its space
    return out


class Builder:
    def __init__(self) -> None:
        self.sections: list[_Section] = []
        self.paragraphs: list[_Paragraph] = []
        self.section: int | None = None
        self.target: tuple[int, int | None] | None = None  # (paragraph, item) continuation text goes to
        self.page: int | None = None  # the page the importer is reading: a new paragraph starts on it

    def heading(self, title: str, parent: int | None, grade: int | None = None, label: str | None = None) -> int:
        self.sections.append(_Section(title.strip(), parent, grade, label))
        self.section = len(self.sections) - 1
        self.target = None
        return self.section

    def paragraph(self, number: int | None, text: str) -> int:
        self.paragraphs.append(_Paragraph(number, self.section, [text] if text else [], page=self.page))
        self.target = (len(self.paragraphs) - 1, None)
        return len(self.paragraphs) - 1

    def item(self, text: str) -> tuple[int, int]:
        if self.target is None:
            self.paragraph(None, "")
        assert self.target is not None  # paragraph() set it
        index = self.target[0]
        self.paragraphs[index].items.append([text])
        self.target = (index, len(self.paragraphs[index].items) - 1)
        return self.target

    def text(self, text: str) -> None:
        if self.target is None:
            self.paragraph(None, text)
            return
        index, item = self.target
        if item is None:
            self.paragraphs[index].parts.append(text)
        else:
            self.paragraphs[index].items[item].append(text)

    @property
    def current_number(self) -> int | None:
        return self.paragraphs[self.target[0]].number if self.target else None

    def build(self, rid: str) -> tuple[list[Section], list[Paragraph]]:
        sec_ids, sections = build_sections(rid, self.sections)
        self.paragraphs = [p for p in self.paragraphs if p.parts or p.items]
        return sections, self.build_paragraphs(rid, sec_ids)

    def build_paragraphs(self, rid: str, sec_ids: list[str]) -> list[Paragraph]:
        """The paragraphs, in order, with ids; `section` indices are resolved through sec_ids."""
        par_ids = paragraph_ids(rid, [p.number for p in self.paragraphs])
        return [
            Paragraph(
                id=par_ids[i],
                number=p.number,
                section=sec_ids[p.section] if p.section is not None else None,
                text=join_parts(p.parts),
                items=[join_parts(item) for item in p.items],
                page=p.page,
                footnotes=list(p.footnotes),
            )
            for i, p in enumerate(self.paragraphs)
        ]
