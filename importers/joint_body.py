"""What joint inspections of an area print alike: a joint targeted area inspection's letter (importers/jtai.py) and
an area SEND inspection's report (importers/area_send.py) are read by the same rules.

Their pages lose their furniture by the PDF importer's rules (importers/pdf_furniture); their paragraphs are told
apart by the space the layout leaves (importers/pdf_extract.with_gaps), as the visit letters' are; a heading is a
short block set in bold, and its level is its size: the larger size opens a part, the smaller a sub-part of it
(the SEND reports repeat a part's title in small bold as the head of its table: that repeat is no sub-part). A table
of two columns (the responsible body, then what it must do) keeps its right-hand column. Every rule is measured over
all the sample reports with bench/corpus_other.py; none names a file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ofsted_reader.core import authorities
from ofsted_reader.core.authorities import Authority
from ofsted_reader.core.model import Paragraph, Recommendation, Section
from ofsted_reader.core.vocabulary import Timescale

from .builder import Builder, join_parts
from .dates import parse_date_range
from .ids import normalise_title, report_id, slug
from .patterns import BULLET
from .pdf_extract import layout_of, with_gaps
from .pdf_furniture import GLUED_MARKER, split_glued_footnotes, strip_furniture

MONTHS = r"January|February|March|April|May|June|July|August|September|October|November|December"
SENTENCE_END = re.compile(r"[.:?!)”’'\"]$")
# Parts that say what must improve: their paragraphs (or a lead-in's items) are the recommendations. A case study of
# an "area for improvement" is a story, not an ask.
TO_IMPROVE = re.compile(r"what needs to improve|areas? for (priority action|improvement)", re.I)
PRIORITY = re.compile(r"priority action", re.I)
# The parts these reports print, whatever their type size: a heading of these words is never a sub-part.
PART = re.compile(
    r"^((key )?strengths|headline findings|what needs to improve|areas? (for|of) (priority action|improvement|"
    r"strength)|main findings|(case|practice) study|next steps|context|places and spaces|inspection outcome|"
    r"information about|what is it like|what is the area|what does the area|local area partnership details|"
    r"inspection team)",
    re.I,
)
NONE_ASKED = re.compile(r"^There (are|were) no areas? for\b", re.I)  # "There are no areas for priority action"
CASE_STUDY = re.compile(r"\b(case|practice) study\b", re.I)
# The inspectorates, by the names and abbreviations the reports print, under one short name each.
INSPECTORATES: list[tuple[str, re.Pattern[str]]] = [
    ("Ofsted", re.compile(r"\bOfsted\b")),
    ("CQC", re.compile(r"Care Quality Commission|\bCQC\b")),
    ("HMICFRS", re.compile(r"\bHMICF?R?S?\b|Inspectorate of Constabulary|HMI Constabulary", re.I)),
    ("HMI Probation", re.compile(r"HMI ?Prob|Inspectorate of Probation|\bHMIP\b")),
]
# Where a table's right-hand column starts: this far right of the body's left edge.
COLUMN_GAP = 100.0


@dataclass
class Block:
    """A run of lines between two spaces of the layout, on the page it starts on."""

    page: int
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return join_parts(self.lines)

    @property
    def size(self) -> float:
        return max((placed.size for placed in map(layout_of, self.lines) if placed is not None), default=0.0)

    @property
    def heading(self) -> bool:
        """Set in bold, short and not a sentence's end: a heading ('What needs to improve?', 'Strengths')."""
        text = self.text
        return (
            bool(self.lines)
            and len(self.lines) <= 3
            and all((placed := layout_of(line)) is not None and placed.bold for line in self.lines)
            and len(text.split()) <= 24
            and not BULLET.match(self.lines[0])
            and not re.search(r"[.,;]$", text)
        )


def body_pages(pages: list[list[str]]) -> list[tuple[int, list[str]]]:
    """The pages' lines without running headers, page numbers, footnotes and the closing boilerplate, each page with
    an empty line where the layout leaves a space."""
    plain = [[line for line in page if line.strip()] for page in pages]  # spaces are marked anew below
    kept, _ = strip_furniture(plain)
    kept, _ = split_glued_footnotes(kept)
    kept = _without_small_footnotes(kept)
    return [(number, with_gaps([line for line in lines if line.strip()])) for number, lines in kept]


def _unmarked(line: str, notes: set[str]) -> str:
    """The line without these notes' markers glued to its words."""
    return GLUED_MARKER.sub(lambda m: "" if m.group(1) in notes else m.group(0), line)


def _without_small_footnotes(pages: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Footnotes in type smaller than the body's at a page's foot ('1 This joint inspection was conducted under
    section 20 ...'), and their markers in the text: glued to a word ('Cornwall.1') or, where pdfium puts a raised
    number, at the start of the next line ('1 This inspection included ...')."""
    sizes = sorted(p.size for _, lines in pages for line in lines if (p := layout_of(line)) is not None)
    body = sizes[len(sizes) // 2] if sizes else 0.0
    out = []
    for number, lines in pages:
        small = [(p := layout_of(line)) is not None and p.size <= 0.85 * body for line in lines]
        cut = len(lines)
        while cut > 0 and small[cut - 1]:
            cut -= 1
        notes = {m.group(1) for line in lines[cut:] if (m := re.match(r"^\s*(\d{1,2})\s", line))}
        if not notes:
            out.append((number, lines))
            continue
        kept: list[str] = []
        for line in lines[:cut]:
            text = _unmarked(line, notes)
            raised = re.match(r"^\s*(\d{1,2})\s+(?=[A-Z‘'“])", text)
            if raised and raised.group(1) in notes and kept and SENTENCE_END.search(kept[-1].strip()):
                text = text[raised.end() :]
            placed = layout_of(line)
            kept.append(line if text == line else placed.with_text(text) if placed is not None else text)
        out.append((number, kept))
    return out


def blocks_of(pages: Iterable[tuple[int, list[str]]]) -> list[Block]:
    """The body as blocks: a space, a new page, a bullet or a change between bold and plain type ends one. A block
    that goes on over a page break (its sentence unfinished, or the next page going on in lower case) is one."""
    out: list[Block] = []
    for number, lines in pages:
        current: Block | None = None
        for line in lines:
            text = line.strip()
            if not text:
                current = None
                continue
            if current is not None and (BULLET.match(text) or _bold(line) != _bold(current.lines[-1])):
                current = None
            if current is None:
                current = Block(number)
                out.append(current)
            current.lines.append(line)
    joined: list[Block] = []
    for block in out:
        if re.fullmatch(r"[\d\s.]{1,3}", block.text):
            continue  # a footnote's marker or a stray full stop, set apart on a line of its own
        if joined and _runs_over(joined[-1], block):
            joined[-1].lines.extend(block.lines)
        else:
            joined.append(block)
    return _boxes_moved(joined)


def _boxes_moved(blocks: list[Block]) -> list[Block]:
    """A boxed insert (a practice study) that pdfium gives in the middle of a paragraph cut by a page break: the
    paragraph goes on, in lower case, on the page after the box. The paragraph is joined again, and the box, from
    its heading, follows the part it interrupted."""
    index = 1
    while index < len(blocks):
        block = blocks[index]
        lower = block.lines[0].strip()[:1].islower() and block.page > blocks[index - 1].page
        cut = _cut_before(blocks, index) if lower else None
        if cut is None:
            if lower:  # a sentence that went on over the page after all ('... the U.K.' ended no sentence)
                blocks[index - 1].lines.extend(block.lines)
                del blocks[index]
                continue
            index += 1
            continue
        stop = next((k for k in range(index + 1, len(blocks)) if blocks[k].heading), len(blocks))
        box = blocks[cut + 1 : index]
        blocks[cut].lines.extend(block.lines)
        blocks = blocks[: cut + 1] + blocks[index + 1 : stop] + box + blocks[stop:]
        index = cut + 1
    return blocks


def _cut_before(blocks: list[Block], index: int) -> int | None:
    """The paragraph a lower-case block on a later page goes on from, past a box that starts with a heading."""
    for back in range(index - 1, max(index - 40, 0) - 1, -1):
        candidate = blocks[back]
        if candidate.heading or candidate.page >= blocks[index].page:
            continue
        if SENTENCE_END.search(candidate.lines[-1].strip()):
            continue
        between = blocks[back + 1 : index]
        return back if between and between[0].heading else None
    return None


def _bold(line: str) -> bool:
    placed = layout_of(line)
    return placed is not None and placed.bold


def _runs_over(before: Block, after: Block) -> bool:
    if after.page <= before.page or before.heading or after.heading or BULLET.match(after.lines[0]):
        return False
    # A lower-case start after a finished sentence is a paragraph a box cut in two: _boxes_moved joins it.
    return SENTENCE_END.search(before.lines[-1].strip()) is None


def two_columns(blocks: list[Block]) -> list[Block]:
    """A table of two columns (the responsible body | what it must do) as its right-hand column: in a part on what
    must improve, a block set well right of the body's left edge is the column, and the short lines at the left edge
    beside it are its row labels."""
    lefts = [placed.left for block in blocks for line in block.lines if (placed := layout_of(line)) is not None]
    if not lefts:
        return blocks
    margin = min(lefts)
    out: list[Block] = []
    asking = False  # in a part on what must improve, where the table of responsible bodies is
    for index, block in enumerate(blocks):
        if block.heading:
            asking = TO_IMPROVE.search(block.text) is not None or (asking and PART.match(block.text) is None)
        starts = [p.left for p in map(layout_of, block.lines) if p is not None]
        right_column = bool(starts) and min(starts) > margin + COLUMN_GAP
        if asking and not right_column:
            column = next((b for b in blocks[index + 1 : index + 4] if _column_left(b, margin) is not None), None)
            if column is not None and _labels(block, column, margin):
                continue  # a row's label: the responsible body beside its ask
        out.append(block)
    return out


def _column_left(block: Block, margin: float) -> float | None:
    """Where a block set as a table's right-hand column starts; None for a block at the body's left edge."""
    starts = [p.left for p in map(layout_of, block.lines) if p is not None]
    return min(starts) if starts and min(starts) > margin + COLUMN_GAP and not block.heading else None


def _labels(block: Block, column: Block, margin: float) -> bool:
    """A block of a few short lines at the left edge, each ending before the column beside it starts."""
    left = _column_left(column, margin)
    ends = [p.right for p in map(layout_of, block.lines) if p is not None]
    return left is not None and bool(ends) and max(ends) < left and len(block.lines) <= 6 and not block.heading


@dataclass
class Body:
    """The body as sections and paragraphs (with their ids) and the recommendations its parts on improvement give."""

    sections: list[Section]
    paragraphs: list[Paragraph]
    recommendations: list[Recommendation]


def read_body(blocks: list[Block], rid: str, opening: str | None) -> Body:
    """Sections and paragraphs from blocks. The first part is `opening` (the letter's introduction) until a heading
    comes. A bullet after a lead-in ending in ':' is its item; any other bullet is a paragraph of its own."""
    builder = Builder()
    sizes = sorted({round(b.size) for b in blocks if b.heading})
    part_size = sizes[-1] if sizes else 0
    parts: list[int] = []  # the sections that are parts, not sub-parts
    if opening:
        parts.append(builder.heading(opening, None))
    holding = False  # the part opened with a heading of its own size: those after it are its sub-parts
    previous_heading = False
    for block in blocks:
        builder.page = block.page
        if block.heading:
            title = block.text.rstrip(" :")
            known = PART.match(title) is not None
            if parts and normalise_title(title) == normalise_title(builder.sections[parts[-1]].title):
                pass  # a part's title repeated in small bold as the head of its table
            elif not parts or known:
                parts.append(builder.heading(title, None))
                holding = False
            elif round(block.size) < part_size or holding or previous_heading:
                if normalise_title(title) != normalise_title(builder.sections[parts[-1]].title):
                    builder.heading(title, parts[-1])
                holding = holding or round(block.size) >= part_size
            else:
                parts.append(builder.heading(title, None))
                holding = False
            previous_heading = True
            continue
        previous_heading = False
        first = BULLET.match(block.lines[0])
        previous = builder.paragraphs[-1] if builder.paragraphs else None
        if first and previous is not None and previous.section == builder.section and _opens_list(previous.parts):
            builder.target = (len(builder.paragraphs) - 1, None)
            builder.item(first.group(1))
            for line in block.lines[1:]:
                builder.text(line.strip())
            continue
        builder.paragraph(None, first.group(1) if first else block.lines[0].strip())
        for line in block.lines[1:]:
            builder.text(line.strip())
    improving = {i for i, s in enumerate(builder.sections) if _improving(builder, i)}
    asked = [(index, p) for index, p in enumerate(builder.paragraphs) if p.section in improving]
    sections, paragraphs = builder.build(rid)
    kept = {id(p): i for i, p in enumerate(builder.paragraphs)}
    recommendations = []
    for _, raw in asked:
        if id(raw) not in kept:
            continue
        paragraph = paragraphs[kept[id(raw)]]
        title = builder.sections[raw.section].title if raw.section is not None else ""
        timescale: Timescale | None = "immediately" if PRIORITY.search(title) else None
        for text in asks(paragraph):
            if NONE_ASKED.match(text):
                continue
            recommendations.append(Recommendation("children", timescale, text))
    return Body(sections, ids_by_section(paragraphs, rid), recommendations)


def read_report_body(
    blocks: list[Block],
    name: str,
    code: str | None,
    published: dt.date | None,
    finish: dt.date | None,
    label: str,
    opening: str | None,
    warnings: list[str],
) -> tuple[str, Body]:
    """A joint inspection's id (the authority's, dated, with the kind of report after the name: `lewisham-jtai-…`)
    and its body read from its two columns; too few paragraphs are said in `warnings`."""
    rid = report_id(name if code else f"{name} unidentified", published, finish)
    rid = rid.replace(slug(name), f"{slug(name)}-{label}", 1)
    read = read_body(two_columns(blocks), rid, opening)
    if len(read.paragraphs) < 8:
        warnings.append(f"only {len(read.paragraphs)} paragraphs read")
    return rid, read


def _opens_list(parts: list[str]) -> bool:
    return join_parts(parts).endswith(":")


def _improving(builder: Builder, index: int) -> bool:
    section = builder.sections[index]
    titles = [section.title]
    if section.parent is not None:
        titles.append(builder.sections[section.parent].title)
    return any(TO_IMPROVE.search(t) for t in titles) and not any(CASE_STUDY.search(t) for t in titles)


def asks(paragraph: Paragraph) -> list[str]:
    """What a paragraph asks: itself, or each of its items after a short lead-in ('Area leaders need to urgently,
    jointly and accurately:'), the lead-in kept in front so each ask reads whole; after a long one, the lead-in with
    its items is one ask."""
    if not paragraph.items:
        return [paragraph.text]
    lead = paragraph.text
    if len(lead) > 160:  # a long lead-in is an ask of its own; its items say what it includes
        return [f"{lead} {'; '.join(paragraph.items)}"]
    return [f"{lead} {item}".strip() for item in paragraph.items if item.strip()]


def ids_by_section(paragraphs: list[Paragraph], rid: str) -> list[Paragraph]:
    """Unnumbered paragraphs get ids that name their section ('<report>/headline-findings/para-2'), as the visit
    letters' do: a change the importer learns in one part moves no note in another."""
    counts: dict[str | None, int] = {}
    for paragraph in paragraphs:
        counts[paragraph.section] = counts.get(paragraph.section, 0) + 1
        paragraph.id = f"{paragraph.section or rid}/para-{counts[paragraph.section]}"
    return paragraphs


def inspectorates_in(text: str) -> list[str]:
    """The inspectorates a passage names, in the order of INSPECTORATES."""
    return [name for name, pattern in INSPECTORATES if pattern.search(text)]


def partnership_authorities(text: str) -> list[Authority]:
    """The authorities a partnership's name or a passage names, in the order printed: 'Bedford Borough Local Area
    Partnership' is Bedford; a partnership of two names both."""
    found: list[Authority] = []
    rest = authorities.normalise(text)
    while rest:
        authority = authorities.find_in(rest)
        if authority is None or authority in found:
            break
        found.append(authority)
        for alias, code in authorities.alias_table().items():
            if code == authority.code:
                rest = re.sub(rf"\b{re.escape(alias)}\b", " ", rest)
    order = authorities.normalise(text)
    return sorted(found, key=lambda a: min((order.find(x) for x in _aliases(a) if x in order), default=len(order)))


def _aliases(authority: Authority) -> list[str]:
    return [alias for alias, code in authorities.alias_table().items() if code == authority.code]


# "took place from 9 to 13 October 2023", "Between 20 and 24 January 2020", "between 8 October 2018 and 12 October
# 2018", "Inspection dates: 18 to 22 November 2024"; "Between 16 May and 20 May" takes its year from the letter's date.
WINDOW = re.compile(
    rf"\b(?:between|from|on|dates?:)\s+(\d{{1,2}}(?:st|nd|rd|th)?(?:\s+(?:{MONTHS})(?:\s+\d{{4}})?)?\s+"
    rf"(?:and|to|-|–)\s+\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})(?:\s+\d{{4}})?)",
    re.I,
)


def inspection_window(text: str, published: dt.date | None = None) -> tuple[dt.date | None, dt.date | None]:
    """The first span of dates a passage gives, as (start, end)."""
    match = WINDOW.search(text)
    if match is None:
        return None, None
    span = re.sub(r"\s+(?:and|-|–)\s+", " to ", match.group(1))
    return parse_date_range(span, published)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z‘'\"])", text) if s.strip()]
