"""Ofsted PDFs of three frameworks: 2013 looked after children ("lac"), the 2014-2018 single inspection framework
("sif") and the 2018- inspection of local authority children's services ("ilacs").

pypdfium2 extracts the text (about 16 times faster than pypdf on these files, same text; see bench/pdf.py). Its
lines follow the printed layout: paragraphs are not separated by blank lines, the footer (page number, running
title) comes out first on each page, a line-end hyphen pdfium judged soft comes out as U+FFFE with the break
removed. The rules below strip that furniture, then read the body as a stream of numbered paragraphs, bullets,
headings and continuation lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ofsted_reader.grades import grade_from_word
from ofsted_reader.model import Judgement, Recommendation, Report

from .builder import Builder, join_parts
from .dates import iso, parse_date, parse_date_range
from .errors import ReportError
from .ids import normalise_title, report_id

APOSTROPHE = "['’]"
GRADE_WORDS = r"outstanding|good|adequate|requires\s+improvement(?:\s+to\s+be\s+good)?|inadequate"
BULLET = re.compile(r"^\s*[\uf06e\uf0a7\uf02d\uf0b7◼■▪•●◦]\s*(.*)$")
ASCII_SUB_BULLET = re.compile(r"^- (\S.*)$")
NUMBERED = re.compile(r"^(\d{1,3})\.\s?(?=\S)(.*)$")
TIMESCALE = re.compile(r"^(immediately|within\s+(\w+)\s+months?)\b[\s:.]*$", re.I)
GRADE_LINE = re.compile(r"^grade\s*([1-4])\s*\(([^)]*)\)\s*$", re.I)
END_OF_BODY = re.compile(r"^(The Office for Standards in Education|Any complaints about the inspection)", re.I)
FOOTNOTE_RULE = re.compile(r"^_{5,}\s*$")
SENTENCE_END = re.compile(r"[.:?!)\]’'\"”]$")


def extract_pages(data: bytes, source: str) -> list[list[str]]:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise ReportError(source, f"cannot be opened as a PDF ({error}); download it again") from None
    pages = []
    try:
        for page in document:
            text = page.get_textpage().get_text_range()
            pages.append([normalise_line(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")])
    finally:
        document.close()
    if sum(len(line) for page in pages for line in page) < 200:
        raise ReportError(source, "this PDF has no text layer (a scan?); this app needs a PDF with text")
    return pages


def normalise_line(line: str) -> str:
    # U+FFFE is pdfium's mark for a line-end hyphen it joined: every one in Ofsted's PDFs is a real hyphen.
    line = line.replace("\ufffe", "-").replace("\u2011", "-").replace("\u2212", "-")
    return line.replace("\u202f", " ").replace("\u00a0", " ").rstrip()


def detect_framework(first_page: list[str]) -> str | None:
    head = " ".join(first_page[:40])
    if re.search(r"Judgement\s+Grade", head) or re.search(rf"local authority children{APOSTROPHE}s services", head) \
            or re.search(rf"Inspection of children{APOSTROPHE}s social care services", head):
        return "ilacs"
    if re.search(r"(Re-)?[Ii]nspection of services for children in need of help", head):
        return "sif"
    if re.search(r"Inspection of looked after children", head):
        return "lac"
    return None


# --- furniture ---------------------------------------------------------------------------------------------------


def strip_furniture(pages: list[list[str]], framework: str) -> tuple[list[list[str]], list[str]]:
    """Remove footers/running titles, the contents and copyright pages, and footnotes (returned apart)."""
    footnotes: list[str] = []
    cleaned: list[list[str]] = []
    ended = False
    for number, lines in enumerate(pages, start=1):
        lines = list(lines)
        # Footers come first in pdfium's order: the bare page number, or running title (+ dates and number).
        while lines and not lines[0].strip():
            lines.pop(0)
        if lines and re.fullmatch(r"\d{1,3}", lines[0].strip()):
            lines.pop(0)
        if lines and re.match(rf"^Inspection of .+ local authority children{APOSTROPHE}s services", lines[0]) and number > 1:
            title = lines.pop(0)
            if not re.search(r"\d+$", title) and lines and re.search(r"\d{4} \d{1,3}$", lines[0]):
                lines.pop(0)
        if lines and re.match(r"^.+ Inspection of looked after children services \d+$", lines[0]):
            lines.pop(0)
        if lines and lines[0].strip() == "Contents":
            continue
        if lines and lines[0].startswith("© Crown copyright") and number <= 3:
            continue  # the 2013 layout puts its copyright page at the front
        body: list[str] = []
        in_footnotes = False
        for line in lines:
            if ended:
                break
            if END_OF_BODY.match(line) and number > 1:
                ended = True
                break
            if not in_footnotes and (line == " " or FOOTNOTE_RULE.match(line)) and body:
                in_footnotes = True  # SIF: a space-only line or a rule separates footnotes from the body
                continue
            if in_footnotes:
                footnotes.append(line.strip())
                continue
            body.append(line)
        cleaned.append(body)
        if ended:
            break
    return cleaned, [f for f in _merge_footnotes(footnotes) if f]


def _merge_footnotes(lines: list[str]) -> list[str]:
    notes: list[str] = []
    for line in lines:
        if not line:
            continue
        if re.match(r"^(\d{1,2}|\[\d+\]|\(\d+\))(\s|$)", line) or not notes:
            notes.append(line)
        else:
            notes[-1] = join_parts([notes[-1], line])
    return notes


def split_glued_footnotes(pages: list[list[str]]) -> tuple[list[list[str]], list[str]]:
    """ILACS footnotes have no separator: a marker glued to a word ('improve?1') and, at the foot of the same
    page, a line starting with that number."""
    footnotes: list[str] = []
    out = []
    for lines in pages:
        markers = set()
        for line in lines:
            match = re.search(r"[A-Za-z?)](\d{1,2})$", line.strip())
            if match and len(line) < 90:
                markers.add(match.group(1))
        cut = None
        for index, line in enumerate(lines):
            match = re.match(r"^(\d{1,2}) [A-Z]", line)
            if match and match.group(1) in markers and index > 0:
                cut = index
        if cut is not None:
            footnotes.append(join_parts(lines[cut:]))
            lines = lines[:cut]
        out.append(lines)
    return out, footnotes


# --- metadata ----------------------------------------------------------------------------------------------------

AUTHORITY_NOISE = re.compile(
    r"^(the\s+)?(royal borough of|london borough of|city of|council of the)\s+|"
    r"\s+(metropolitan borough|borough|city|county|district)?\s*council$",
    re.I,
)


def canonical_authority(name: str) -> str:
    """'Birmingham City Council', 'the Royal Borough of Windsor and Maidenhead' -> 'Birmingham', 'Windsor and
    Maidenhead': one name per authority, so its reports from different years sit together."""
    name = re.sub(r"\s+", " ", name).strip(" ,")
    previous = None
    while previous != name:
        previous = name
        name = AUTHORITY_NOISE.sub("", name).strip()
    return name or previous


def _field(lines: list[str], label: str, stop: str = r"^[A-Z][A-Za-z ]+:") -> str | None:
    for index, line in enumerate(lines):
        match = re.match(rf"^{label}\s*:?\s*(.*)$", line.strip(), re.I)
        if match:
            value = [match.group(1)]
            for following in lines[index + 1: index + 3]:
                if re.match(stop, following.strip()) or not following.strip() or not re.search(r"\d", following):
                    break
                value.append(following.strip())
            return join_parts(value)
    return None


@dataclass
class Meta:
    authority: str
    title: str
    published: object = None
    start: object = None
    end: object = None
    lead: str | None = None
    warnings: list[str] = field(default_factory=list)


def read_metadata(pages: list[list[str]], framework: str, source: str) -> Meta:
    first = [line.strip() for line in pages[0] if line.strip() and not re.fullmatch(r"\d{1,3}", line.strip())]
    everything = [line.strip() for page in pages for line in page if line.strip()]
    authority, title = "", ""
    if framework == "ilacs":
        for index, line in enumerate(first):
            if re.match(rf"^Inspection of children{APOSTROPHE}s social care services", line):  # 2018-2019 layout
                authority, title = first[index - 1] if index else "", line
                break
            if line.startswith("Inspection of"):
                block = []
                for part in first[index:]:
                    if re.match(r"^Inspection dates?", part):
                        break
                    block.append(part)
                title = join_parts(block)
                match = re.match(rf"^Inspection of (.+?) local authority children{APOSTROPHE}s services", title)
                authority = match.group(1) if match else ""
                break
    elif framework == "sif":
        authority = first[0] if first else ""
        title = join_parts([line for line in first[1:4] if not line.startswith("Inspection date")][:2])
    else:  # lac
        for index, line in enumerate(first):
            if line.startswith("Inspection of looked after children"):
                title = "Inspection of looked after children services"
                following = [l for l in first[index + 1: index + 4] if l != "services"]
                authority = following[0] if following else ""
                break
    authority = re.sub(r"\d+$", "", authority).strip()  # a footnote marker glued on
    meta = Meta(authority=canonical_authority(authority) or "Unknown authority", title=title or "Inspection report")
    if not authority:
        meta.warnings.append("no local authority name found on page one")
    published_text = _field(first, r"(?:Report\s+)?published")
    meta.published = parse_date(published_text) if published_text else None
    dates_text = _field(first, r"Inspection dates?")
    if dates_text:
        meta.start, meta.end = parse_date_range(dates_text, meta.published)
        if meta.end is None:
            meta.warnings.append(f"inspection dates not understood: {dates_text!r}")
    else:
        meta.warnings.append("no inspection dates found")
    for line in everything:
        match = re.match(r"^(?:Lead|Reporting) inspector:?\s+(.+)$", line)
        if match:
            name = re.split(rf",\s*(?:Her|His) Majesty{APOSTROPHE}s Inspector", match.group(1))[0]
            meta.lead = re.sub(r"\s+HMI$", "", name).strip(" ,")
            break
    return meta


# --- judgements on page one --------------------------------------------------------------------------------------

ILACS_LABELS = [
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care and care leavers",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
    "Overall effectiveness",
]


def ilacs_judgements(first_page: list[str]) -> list[Judgement]:
    text = join_parts(first_page)
    start = re.search(r"Judgement\s+Grade", text)
    text = text[start.end():] if start else text
    found = []
    for label in ILACS_LABELS:
        pattern = re.escape(label).replace(r"\ ", r"\s+") + rf"\s+({GRADE_WORDS})\b"
        match = re.search(pattern, text, re.I)
        if match:
            word = re.sub(r"\s+", " ", match.group(1))
            found.append((match.start(), Judgement("children", None, label, grade_from_word(word), word)))
    return [j for _, j in sorted(found, key=lambda pair: pair[0])]


def sif_judgements(first_page: list[str], body_lines: list[str]) -> list[Judgement]:
    text = join_parts(first_page)
    judgements = []
    parent = None
    for match in re.finditer(rf"(?<![\d.])(\d(?:\.\d)?)\.?\s+([A-Z][^\d]*?)\s+({GRADE_WORDS})\b", text, re.I):
        number, name, word = match.group(1), re.sub(r"\s+", " ", match.group(2)).strip(), re.sub(r"\s+", " ", match.group(3))
        if "." not in number:
            parent = name
        judgements.append(Judgement("children", parent if "." in number else None, name, grade_from_word(word), word))
    overall = re.search(rf"(?:The overall judgement is|Children{APOSTROPHE}s services in .+? (?:are|is))\s+"
                        rf"(?:that they\s+)?({GRADE_WORDS}|require improvement(?: to be good)?)\b", text, re.I)
    if overall:
        word = overall.group(1)
        grade = grade_from_word(word) or grade_from_word(word.replace("require ", "requires "))
        judgements.insert(0, Judgement("children", None, "Overall effectiveness", grade, word))
    lscb = re.search(rf"(?:effectiveness of the (?:Local Safeguarding Children Board|LSCB)(?: \(LSCB\))? is|"
                     rf"The Local Safeguarding Children Board is)\s+({GRADE_WORDS})", join_parts(first_page + body_lines), re.I)
    if lscb:
        judgements.append(Judgement("lscb", None, "The effectiveness of the Local Safeguarding Children Board",
                                    grade_from_word(lscb.group(1)), lscb.group(1)))
    return judgements


def lac_judgements(lines: list[str]) -> list[Judgement]:
    """The record of main findings on the last page: a name, then its grade word, wrapped anyhow."""
    start = next((i for i, line in enumerate(lines) if line.strip().lower().startswith("record of main findings")), None)
    if start is None:
        return []
    judgements, pending = [], []
    for line in lines[start + 1:]:
        text = line.strip()
        if not text:
            continue
        match = re.match(rf"^(.*?)\s*\b({GRADE_WORDS})\.?$", text, re.I)
        if match:
            name = join_parts(pending + [match.group(1)])
            if name:
                judgements.append(Judgement("looked_after", None, name, grade_from_word(match.group(2)), match.group(2)))
            pending = []
        elif text.lower().startswith("services for looked after children"):
            pending = []
        else:
            pending.append(text)
    return judgements


# --- body ----------------------------------------------------------------------------------------------------------


ILACS_HEADING = re.compile(
    rf"^(?P<title>The (?:experiences and progress of .+?|impact of leaders on social work practice with children and "
    rf"families))(?::|\s+is:?|\s+are:?)?\s+(?P<word>{GRADE_WORDS})\s*$",
    re.I,
)
SIF_BOX_HEADING = re.compile(
    rf"^(?P<title>The experiences and progress of .+?|Leadership, management and governance)\s+(?P<word>{GRADE_WORDS})$",
    re.I,
)
SENTENCE_HEADING = re.compile(
    rf"^(?P<title>The .+?|Leadership, management and governance)\s+(?:is|are)(?:\s+that\s+it)?(?:\s+is)?\s+"
    rf"(?P<word>{GRADE_WORDS})$",
    re.I,
)
KNOWN_HEADINGS = {
    normalise_title(t) for t in [
        "Executive summary", "The local authority", "Information about this local authority area", "Recommendations",
        "Summary for children and young people", "Information about this inspection", "Summary", "Inspection findings",
        "What needs to improve", "What needs to improve?", "What does the Local Authority need to improve?",
        "Areas for improvement", "Priority and immediate action", "About this inspection", "Service information",
        "Record of main findings", "The inspection team", "Key strengths and weaknesses of the LSCB",
        "Summary of key findings", "The Local Safeguarding Children Board (LSCB)", "Inspection judgements about the Local Authority",
    ]
}
RECOMMENDATION_HEADINGS = re.compile(r"^(what needs to improve|what does the local authority need to improve|"
                                     r"areas for improvement|recommendations|priority and immediate action)", re.I)


class BodyReader:
    def __init__(self, framework: str, lines: list[str]):
        self.framework = framework
        self.lines = lines
        self.builder = Builder()
        self.last_number = 0
        self.root: int | None = None  # the section graded headings hang under (SIF: the local authority)
        self.recommendations: list[tuple[int, int | None, str | None]] = []  # (paragraph, item, timescale)
        self.timescale: str | None = None
        self.in_recommendations = False
        widths = sorted(len(line) for line in lines if line.strip())
        self.full_width = widths[int(len(widths) * 0.9)] if widths else 90

    def graded_heading(self, index: int) -> tuple[str, str, int] | None:
        """A graded heading over one to four lines: (title, grade word, lines used)."""
        line = self.lines[index].strip()
        if not re.match(r"^(The |Leadership, management)", line):
            return None
        for span in range(1, 5):
            if index + span > len(self.lines):
                break
            joined = join_parts(self.lines[index:index + span])
            for pattern in (ILACS_HEADING, SIF_BOX_HEADING, SENTENCE_HEADING):
                match = pattern.match(joined)
                if match and not joined.endswith("."):
                    title = re.sub(r"\s+", " ", match.group("title"))
                    return title, re.sub(r"\s+", " ", match.group("word")), span
            if joined.endswith("."):
                break
        return None

    def plain_heading(self, index: int, previous: str) -> int:
        """Lines used by an ungraded heading here (0: not a heading)."""
        line = self.lines[index].strip()
        if self._is_heading_line(line):
            return 1
        if NUMBERED.match(line) or BULLET.match(line) or TIMESCALE.match(line):
            return 0
        if not line or len(line) > 70 or not line[0].isupper() or re.search(r"[.,;:]$", line):
            return 0
        if re.match(r"^[A-Z][\w ]+: ", line):
            return 0  # "Lead inspector: Tracey Metcalfe" is a field, not a heading
        if previous and not SENTENCE_END.search(previous.strip()) and not self._is_heading_line(previous):
            return 0
        following = self.lines[index + 1].strip() if index + 1 < len(self.lines) else ""
        if not following:
            return 0
        if following[0].isupper() or NUMBERED.match(following) or BULLET.match(following) or GRADE_LINE.match(following):
            if len(line.split()) > 12:
                return 0
            return 1
        return 0

    def _is_heading_line(self, line: str) -> bool:
        line = line.strip()
        if not line or not line[0].isupper() or line.endswith("."):
            return False
        return normalise_title(re.sub(r"\d+$", "", line)) in KNOWN_HEADINGS

    def _headings_over_grade_lines(self) -> dict[int, tuple[str, int, str, int]]:
        """The 2013 layout: a heading wrapped over one to three short lines, then "Grade 4 (inadequate)".
        Returns {first line: (title, grade, word, lines used including the grade line)}."""
        found = {}
        for index, line in enumerate(self.lines):
            grade = GRADE_LINE.match(line.strip())
            if not grade:
                continue
            start = index
            while start > 0 and index - start < 3:
                candidate = self.lines[start - 1].strip()
                if not candidate or NUMBERED.match(candidate) or BULLET.match(candidate) or candidate.endswith(".") \
                        or len(candidate) > 70 or GRADE_LINE.match(candidate):
                    break
                start -= 1
                if candidate[0].isupper():
                    break
            if start < index:
                title = join_parts(self.lines[start:index])
                found[start] = (title, int(grade.group(1)), grade.group(2), index - start + 1)
        return found

    def run(self) -> Builder:
        builder = self.builder
        previous = ""
        index = 0
        if self.framework == "ilacs":
            builder.heading("Summary", None)
        over_grades = self._headings_over_grade_lines()
        while index < len(self.lines):
            line = self.lines[index].strip()
            if not line:
                index += 1
                continue
            if index in over_grades:
                title, grade, word, used = over_grades[index]
                self._open(title, grade, word)
                index += used
                previous = line
                continue
            graded = None if self._is_heading_line(line) else self.graded_heading(index)
            if graded:
                title, word, used = graded
                self._open(title, grade_from_word(word), word)
                index += used
                previous = title
                continue
            grade_line = GRADE_LINE.match(line)
            if grade_line and builder.section is not None and builder.sections[builder.section].grade is None:
                builder.sections[builder.section].grade = int(grade_line.group(1))
                builder.sections[builder.section].label = grade_line.group(2)
                index += 1
                previous = line
                continue
            numbered = NUMBERED.match(line)
            if numbered and self._next_number(int(numbered.group(1)), previous):
                self.last_number = int(numbered.group(1))
                p = builder.paragraph(self.last_number, numbered.group(2))
                if self.in_recommendations and self.framework == "sif":
                    self.recommendations.append((p, None, None))
                index += 1
                previous = line
                continue
            bullet = BULLET.match(line) or (ASCII_SUB_BULLET.match(line) if self.framework == "sif" else None)
            if bullet:
                p, item = builder.item(bullet.group(1))
                if self.in_recommendations:
                    self.recommendations.append((p, item, self.timescale))
                index += 1
                previous = line
                continue
            timescale = TIMESCALE.match(line)
            if timescale:
                self.timescale = _timescale(timescale)
                index += 1
                previous = line
                continue
            used = self.plain_heading(index, previous)
            if used:
                title = re.sub(r"(?<=[A-Za-z?])\d{1,2}$", "", line)  # glued footnote marker
                self._open(title, None, None)
                index += used
                previous = line
                continue
            # Text: continues the paragraph or item, unless an unnumbered paragraph just ended.
            if builder.target is not None and builder.current_number is None and self._paragraph_ended(previous):
                builder.paragraph(None, line)
            else:
                builder.text(line)
            index += 1
            previous = line
        return builder

    def _next_number(self, number: int, previous: str) -> bool:
        # Numbers run on across sections; a wrapped line that happens to start "25." does not break the run.
        return number == self.last_number + 1 or (self.last_number == 0 and number == 1)

    def _paragraph_ended(self, previous: str) -> bool:
        previous = previous.rstrip()
        return bool(SENTENCE_END.search(previous)) and len(previous) < 0.8 * self.full_width

    def _open(self, title: str, grade: int | None, word: str | None) -> None:
        builder = self.builder
        self.in_recommendations = bool(RECOMMENDATION_HEADINGS.match(title))
        if not re.match(r"^(priority and immediate action|areas for improvement)", title, re.I):
            self.timescale = None
        if re.match(r"^priority and immediate action", title, re.I):
            self.timescale = "immediately"
        parent = None
        key = normalise_title(title)
        if self.framework == "sif" and key in {"summary", "inspection findings"} and builder.sections:
            parent = self._last_graded_or_top()
        elif self.framework == "ilacs" and key != "summary":
            parent = None
        builder.heading(title, parent, grade, word)

    def _last_graded_or_top(self) -> int | None:
        for index in range(len(self.builder.sections) - 1, -1, -1):
            section = self.builder.sections[index]
            if section.parent is None:
                return index
        return None


def _timescale(match: re.Match) -> str | None:
    if match.group(1).lower() == "immediately":
        return "immediately"
    return {"three": "within_three_months", "3": "within_three_months",
            "six": "within_six_months", "6": "within_six_months"}.get((match.group(2) or "").lower())


# --- the whole report ----------------------------------------------------------------------------------------------


def parse_pdf(data: bytes, source: str) -> Report:
    pages = extract_pages(data, source)
    framework = detect_framework(pages[0])
    if framework is None:
        raise ReportError(source, "a PDF, but not an Ofsted inspection of local authority children's services "
                                  "(2013 looked after children, 2014-2018 single inspection or 2018- ILACS)")
    meta = read_metadata(pages, framework, source)
    body_pages, footnotes = strip_furniture(pages, framework)
    body_pages, glued = split_glued_footnotes(body_pages)
    footnotes += glued
    first_page = body_pages[0] if body_pages else []
    if framework == "ilacs":
        judgements = ilacs_judgements(first_page)
        start = _after_ilacs_table(first_page)
        lines = first_page[start:] + [line for page in body_pages[1:] for line in page]
    elif framework == "sif":
        rest = [line for page in body_pages[1:] for line in page]
        judgements = sif_judgements(first_page, rest)
        lines = rest
    else:
        rest = [line for page in body_pages[1:] for line in page]
        judgements = lac_judgements(rest)
        end = next((i for i, line in enumerate(rest) if line.strip().lower().startswith("record of main findings")), len(rest))
        lines = rest[:end]
    reader = BodyReader(framework, lines)
    builder = reader.run()
    rid = report_id(meta.authority, meta.published, meta.end)
    recommended = [(builder.paragraphs[p_index], item, timescale) for p_index, item, timescale in reader.recommendations]
    sections, paragraphs = builder.build(rid)  # drops empty paragraphs, so indices are taken above
    kept = {id(p): i for i, p in enumerate(builder.paragraphs)}
    recommendations = []
    service = {"ilacs": "children", "sif": "children", "lac": "looked_after"}[framework]
    for raw, item, timescale in recommended:
        if id(raw) not in kept:
            continue
        paragraph = paragraphs[kept[id(raw)]]
        text = paragraph.items[item] if item is not None else paragraph.text
        recommendations.append(Recommendation(service, timescale, text))
    warnings = list(meta.warnings)
    if framework == "ilacs" and not any(j.name == "Overall effectiveness" for j in judgements):
        warnings.append("no overall effectiveness judgement in this report (none is given after April 2026)")
    if not judgements:
        warnings.append("no judgements found")
    numbers = [p.number for p in paragraphs if p.number is not None]
    if numbers and numbers != list(range(1, len(numbers) + 1)):
        warnings.append("paragraph numbers are not contiguous from 1")
    return Report(
        id=rid, source=source, framework=framework, authority=meta.authority, title=meta.title,
        published=iso(meta.published), inspection_start=iso(meta.start), inspection_end=iso(meta.end),
        lead_inspector=meta.lead, sections=sections, paragraphs=paragraphs, judgements=judgements,
        recommendations=recommendations, footnotes=footnotes, warnings=warnings,
    )


def _after_ilacs_table(lines: list[str]) -> int:
    """The summary starts after the last grade of the page-one table."""
    last = 0
    started = False
    for index, line in enumerate(lines):
        text = line.strip()
        if re.match(r"^Judgement\s+Grade", text):
            started = True
        if started and re.search(rf"(^|\s)({GRADE_WORDS})$", text, re.I):
            last = index + 1
        if started and text and len(text) > 75 and index > last + 2 and last:
            break
    return last
