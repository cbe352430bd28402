"""Ofsted PDFs of three frameworks: 2013 looked after children ("lac"), the 2014-2018 single inspection framework
("sif", with standalone reviews of Local Safeguarding Children Boards) and the 2018- inspection of local authority
children's services ("ilacs").

pypdfium2 extracts the text (about 16 times faster than pypdf on these files, same text; see bench/pdf.py). Its
lines follow the printed layout but say nothing of it: paragraphs are not separated by blank lines, running headers
and footers come out anywhere on a page, a line-end hyphen pdfium judged soft comes out as U+FFFE with the break
removed. The stages, one module each:
1. pdf_extract: each page's lines, each a `Line` that knows where the page prints it (the space above it, its indent,
   its font size and weight, the cells of a table row);
2. pdf_furniture: running headers and footers (recurring at a page's edge, or at one height on many pages), the
   contents and copyright pages, the closing boilerplate and the footnotes go;
3. pdf_front: the framework, the title block, the authority, the dates, the lead inspector and the inspection team;
4. pdf_tables: the judgements page one prints (ILACS table, SIF cover and verdicts, 2013 record of main findings);
5. pdf_body: the body read as numbered paragraphs, bullets, headings and continuation lines, each remembering its
   page: paragraphs break where the layout leaves a space, headings are known by weight and words (pdf_headings),
   their level by size; what one framework's body prints and the others' do not is its table, pdf_body.RULES;
6. here: the stages assembled into a Report, each framework's way of doing it one row of ASSEMBLIES.

Every rule here is measured over whole folders of real reports with `bench/corpus.py`; none names a file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from ofsted_reader.core.grades import grade_name
from ofsted_reader.core.judgements import judgement_key
from ofsted_reader.core.model import Judgement, Recommendation, Report, Section
from ofsted_reader.core.vocabulary import Framework, ReportType, Service

from .dates import iso
from .errors import ReportError
from .ids import normalise_title, report_id, slug
from .joint import joint_parser
from .letter import letter_kind, parse_letter
from .pdf_body import BodyReader
from .pdf_contents import contents_entries
from .pdf_extract import extract_pages, leading_of, with_gaps
from .pdf_front import detect_framework, inspection_team, page_head, read_metadata
from .pdf_furniture import running_lines, split_glued_footnotes, strip_furniture, strip_page_edges
from .pdf_patterns import END_OF_BODY
from .pdf_tables import ilacs_table, lac_judgements, sif_cover, sif_judgements, sif_row

# The stages live in pdf_extract, pdf_furniture, pdf_front, pdf_tables and pdf_body; other code imports them from here.
__all__ = [
    "BodyReader",
    "detect_framework",
    "extract_pages",
    "ilacs_table",
    "lac_judgements",
    "parse_pages",
    "parse_pdf",
    "read_metadata",
    "running_lines",
    "sif_judgements",
    "strip_furniture",
]

# --- the whole report ----------------------------------------------------------------------------------------------


def parse_pdf(data: bytes, source: str) -> Report:
    pages = extract_pages(data, source)
    if letter_kind(pages[0]):  # a letter's paragraphs are told apart only by space: mark the spaces
        leading = leading_of(pages)
        pages = [with_gaps(page, leading) for page in pages]
    return parse_pages(pages, source)


def parse_pages(pages: list[list[str]], source: str) -> Report:
    """A report from its pages' text lines (as extract_pages gives them)."""
    kind = letter_kind(pages[0])
    if kind:
        return parse_letter(pages, source, kind)
    joint = joint_parser(pages[0])  # a joint inspection of the area (JTAI, area SEND): importers/joint.py
    if joint is not None:
        return joint(pages, source)
    detected = detect_framework(pages[0])
    if detected is None and re.search(r"Inspection of safeguarding and looked after children", page_head(pages[0])):
        return _slac_pdf(pages, source)
    if detected is None:
        raise ReportError(
            source,
            "a PDF, but not an Ofsted inspection of local authority children's services "
            "(2013 looked after children, 2014-2018 single inspection or 2018- ILACS)",
        )
    framework, report_type = detected
    second = _second_report_start(pages) if report_type == "inspection" else None
    if second is not None:
        later = parse_pages(pages[second:], source)
        title = _cover_title(pages[second]) or later.title
        return _with_second(parse_pages(pages[:second], source), later, title, second)
    meta = read_metadata(pages, framework)
    body_pages, footnotes = strip_furniture(pages)
    body_pages, glued = split_glued_footnotes(body_pages)
    footnotes += glued
    first_number, first_page = body_pages[0] if body_pages else (1, [])
    rest = [(number, line) for number, page in body_pages[1:] for line in page]
    assembly = ASSEMBLIES[framework]
    judgements, numbered = assembly.front(first_number, first_page, pages[0], rest, report_type)
    reader = BodyReader(
        framework,
        [line for _, line in numbered],
        [number for number, _ in numbered],
        assembly.opening,
        contents_entries(pages),
    )
    builder = reader.run()
    rid = report_id(meta.authority if meta.code else f"{meta.authority} unidentified", meta.published, meta.end)
    if report_type != "inspection":
        rid = rid.replace(slug(meta.authority), f"{slug(meta.authority)}-{report_type.replace('_', '-')}", 1)
    recommended = [
        (builder.paragraphs[p_index], item, timescale) for p_index, item, timescale in reader.recommendations
    ]
    sections, paragraphs = builder.build(rid)  # drops empty paragraphs, so indices are taken above
    kept = {id(p): i for i, p in enumerate(builder.paragraphs)}
    recommendations = []
    service = assembly.service
    for raw, item, timescale in recommended:
        if id(raw) not in kept:
            continue
        paragraph = paragraphs[kept[id(raw)]]
        # A numbered recommendation keeps the bullets it lists ("…; this to include" / "- comprehensive data").
        text = (
            paragraph.items[item]
            if item is not None
            else "\n".join([paragraph.text, *(f"- {i}" for i in paragraph.items)])
        )
        recommendations.append(Recommendation(service, timescale, text))
    if not judgements and assembly.judgements_from_headings:
        judgements = graded_sections(sections, service, framework)
    if not assembly.judgements_from_headings:
        # A verdict page one prints as a heading with nothing under it ("The effectiveness of the Local
        # Safeguarding Children Board (LSCB) is good"): its grade is a judgement, the section would be empty.
        holding = {p.section for p in paragraphs} | {s.parent for s in sections}
        judged = {judgement_key(j.name) for j in judgements} - {None}
        sections = [s for s in sections if s.id in holding or s.grade is None or judgement_key(s.title) not in judged]
    warnings = list(meta.warnings)
    keys = {judgement_key(j.name) for j in judgements}
    if report_type == "inspection" and framework in {"ilacs", "sif"} and "overall" not in keys:
        after_reform = framework == "ilacs" and meta.end is not None and meta.end >= dt.date(2026, 4, 1)
        warnings.append(
            "no overall effectiveness judgement in this report (none is given after April 2026)"
            if after_reform
            else "no overall effectiveness judgement found"
        )
    if not judgements:
        warnings.append("no judgements found")
    if not numbered_from_one([p.number for p in paragraphs]):
        warnings.append("paragraph numbers are not contiguous from 1")
    return Report(
        id=rid,
        source=source,
        framework=framework,
        authority=meta.authority,
        title=meta.title,
        published=iso(meta.published),
        inspection_start=iso(meta.start),
        inspection_end=iso(meta.end),
        lead_inspector=meta.lead,
        sections=sections,
        paragraphs=paragraphs,
        judgements=judgements,
        recommendations=recommendations,
        footnotes=footnotes,
        warnings=warnings,
        authority_code=meta.code,
        report_type=report_type,
        visits=[[iso(start), iso(end)] for start, end in meta.visits if end is not None],
        inspectors=inspection_team([t for p in paragraphs for t in (p.text, *p.items)])
        or ([meta.lead] if meta.lead else []),
    )


def numbered_from_one(numbers: list[int | None]) -> bool:
    """Whether the numbered paragraphs run 1, 2, 3 … (a second report in the file counts again from 1)."""
    expected = 1
    for number in numbers:
        if number is None:
            continue
        if number not in (expected, 1):
            return False
        expected = number + 1
    return True


def _second_report_start(pages: list[list[str]]) -> int | None:
    """The page where a second report begins after the first's closing page (a 2015 LSCB review printed after the
    local authority's report, with its own cover, judgement and numbering), or None."""
    closed = False
    for index, page in enumerate(pages[1:], start=1):
        if closed and len(pages) - index >= SECOND_REPORT_PAGES and detect_framework(page) is not None:
            return index
        closed = closed or any(END_OF_BODY.match(line.strip()) for line in page)
    return None


SECOND_REPORT_PAGES = 3  # the fewest pages a report takes: a back cover after the closing page is none


def _cover_title(page: list[str]) -> str | None:
    match = re.search(
        r"(Review|Inspection) of the effectiveness of the\s+(local\s+safeguarding\s+children\s+board|LSCB)",
        page_head(page),
        re.I,
    )
    if match is None:
        return None
    title = " ".join(match.group(0).split())
    return title[:1].upper() + title[1:]


def _with_second(first: Report, second: Report, title: str, offset: int) -> Report:
    """One report holding both: the second's sections under one of its title, its paragraphs' and sections' ids
    under that section's (so they never clash with the first's), its judgements, recommendations and footnotes."""
    top = f"{first.id}/{slug(title)}"

    def moved(old: str) -> str:
        return top + old[len(second.id) :] if old.startswith(second.id + "/") else old

    sections = [Section(id=top, title=title, parent=None)]
    for section in second.sections:
        parent = moved(section.parent) if section.parent is not None else top
        sections.append(Section(moved(section.id), section.title, parent, section.grade, section.label))
    for paragraph in second.paragraphs:
        paragraph.id = moved(paragraph.id)
        paragraph.section = moved(paragraph.section) if paragraph.section is not None else top
        paragraph.page = paragraph.page + offset if paragraph.page is not None else None  # pages of the whole file
    names = {j.name for j in first.judgements}
    first.sections += sections
    first.paragraphs += second.paragraphs
    first.judgements += [j for j in second.judgements if j.name not in names]
    first.recommendations += [
        Recommendation("lscb" if second.report_type == "lscb_review" else r.service, r.timescale, r.text)
        for r in second.recommendations
    ]
    first.footnotes += second.footnotes
    first.inspectors += [name for name in second.inspectors if name not in first.inspectors]
    first.warnings = [w for w in first.warnings if w != "no judgements found"] + [
        w for w in second.warnings if w not in first.warnings and "overall" not in w
    ]
    return first


Lines = list[tuple[int, str]]  # (page number, line)


def _ilacs_front(
    number: int, first: list[str], raw_first: list[str], rest: Lines, report_type: ReportType
) -> tuple[list[Judgement], Lines]:
    judgements, start = ilacs_table(first)
    return judgements, [(number, line) for line in first[start:]] + rest


def _sif_front(
    number: int, first: list[str], raw_first: list[str], rest: Lines, report_type: ReportType
) -> tuple[list[Judgement], Lines]:
    # The judgement table can run on at the top of page two ("2.2 Experiences and progress of care leavers
    # Requires improvement"): its rows are read with page one's, never as text.
    carried = 0
    while carried < len(rest) and (not rest[carried][1].strip() or sif_row(rest[carried][1])):
        carried += 1
    table = first + [line for _, line in rest[:carried] if line.strip()]
    judgements = sif_judgements(table, [line for _, line in rest[carried:]], report_type)
    return judgements, [(number, line) for line in sif_cover(first, raw_first)] + rest[carried:]


def _lac_front(
    number: int, first: list[str], raw_first: list[str], rest: Lines, report_type: ReportType
) -> tuple[list[Judgement], Lines]:
    """The 2013 layout: a cover of its own, and the judgements at the end, in the record of main findings."""
    judgements = lac_judgements([line for _, line in rest])
    end = next(
        (i for i, (_, line) in enumerate(rest) if line.strip().lower().startswith("record of main findings")),
        len(rest),
    )
    return judgements, rest[:end]


@dataclass(frozen=True)
class Assembly:
    """How a framework's report is assembled: its page one read for judgements (and what of it is body), the section
    its body opens in, whose services it judges, and whether its headings stand in for a missing table."""

    front: Callable[[int, list[str], list[str], Lines, ReportType], tuple[list[Judgement], Lines]]
    opening: str | None
    service: Service
    judgements_from_headings: bool = False


# "slac" has none: its PDFs are read as text by importers/slac.py (_slac_pdf).
ASSEMBLIES: dict[Framework, Assembly] = {
    "ilacs": Assembly(_ilacs_front, "Summary", "children"),
    "sif": Assembly(_sif_front, "Judgements", "children"),
    "lac": Assembly(_lac_front, None, "looked_after", judgements_from_headings=True),
}


def graded_sections(sections: list[Section], service: Service, framework: Framework) -> list[Judgement]:
    """Judgements from the grades the headings carry ("Overall effectiveness  Grade 3 (Adequate)"), for a report
    whose table of judgements is missing: its sections say what it found all the same."""
    judgements: dict[str, Judgement] = {}  # a judgement's name printed twice (its section, a table's row) is one
    for s in sections:
        if s.grade is not None and normalise_title(s.title) not in judgements:
            label = s.label or grade_name(s.grade, framework)
            judgements[normalise_title(s.title)] = Judgement(service, None, s.title, s.grade, label)
    return list(judgements.values())


def _slac_pdf(pages: list[list[str]], source: str) -> Report:
    """A 2009-2012 'Inspection of safeguarding and looked after children services' report as a PDF: its running
    header ('Medway Council Inspection of safeguarding and looked after children 1') and page numbers go, and the
    text is read by the importer of the same reports as text. Paragraphs record their pages."""
    from .slac import parse_text

    running = running_lines(pages)
    kept = [(number, strip_page_edges(lines, running)) for number, lines in enumerate(pages, start=1)]
    report = parse_text("\n".join(line for _, lines in kept for line in lines), source)
    if not report.judgements:
        report.judgements = graded_sections(report.sections, "children", report.framework)
    starts = [(number, " ".join(lines)) for number, lines in kept]
    for paragraph in report.paragraphs:
        probe = paragraph.text[:40]
        paragraph.page = next((number for number, text in starts if probe and probe in text), None)
    return report
