"""Ofsted PDFs of three frameworks: 2013 looked after children ("lac"), the 2014-2018 single inspection framework
("sif", with standalone reviews of Local Safeguarding Children Boards) and the 2018- inspection of local authority
children's services ("ilacs").

pypdfium2 extracts the text (about 16 times faster than pypdf on these files, same text; see bench/pdf.py). Its
lines follow the printed layout: paragraphs are not separated by blank lines, running headers and footers come out
first on each page, a line-end hyphen pdfium judged soft comes out as U+FFFE with the break removed. The rules below
strip that furniture, then read the body as a stream of numbered paragraphs, bullets, headings and continuation
lines, each remembering the page it came from.

Every rule here is measured over whole folders of real reports with `bench/corpus.py`; none names a file.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from ofsted_reader.core import authorities
from ofsted_reader.core.grades import grade_from_word, known_grade
from ofsted_reader.core.judgements import judgement_key
from ofsted_reader.core.model import Judgement, Recommendation, Report

from .builder import Builder, join_parts
from .dates import iso, parse_date, parse_visits
from .errors import ReportError
from .ids import normalise_title, report_id, slug
from .letter import letter_kind, parse_letter
from .patterns import APOSTROPHE, BULLET, TIMESCALE

GRADE_WORDS = r"outstanding|good|adequate|requires?\s+improvement(?:\s+to\s+be\s+good)?|inadequate"
ASCII_SUB_BULLET = re.compile(r"^- (\S.*)$")
# "15. Text", "15.  Text", "15.Text", "46.. Text" and a number alone at the foot of a page ("89.").
NUMBERED = re.compile(r"^(\d{1,3})\.(?!\d)[.\s]*(.*)$")
GRADE_LINE = re.compile(r"^grade\s*([1-4])\s*\(([^)]*)\)\s*$", re.I)
END_OF_BODY = re.compile(
    r"^(The Office for Standards in Education|Any complaints about the inspection|"
    r"Ofsted has a duty to|If you would like a copy of this document)",
    re.I,
)
FOOTNOTE_RULE = re.compile(r"^_{5,}\s*$")
SENTENCE_END = re.compile(r"[.:?!)\]’'\"”]$")
DATES_FIELD = re.compile(r"^Inspection dates?\b", re.I)
# The share of pages a line must recur on, at a page's top or foot, to count as a running header or footer.
RUNNING_SHARE = 0.3
RUNNING_MIN_PAGES = 3


def extract_pages(data: bytes, source: str, gaps: bool = False) -> list[list[str]]:
    """Each page's text lines. With gaps, an empty line also marks each wider-than-usual vertical space between two
    lines: letters separate their unnumbered paragraphs only by space, which pdfium's text does not show."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        if "password" in str(error).lower():
            raise ReportError(
                source, "this PDF is password-protected; save a copy without the password and import that"
            ) from None
        raise ReportError(source, f"a damaged PDF, it cannot be opened ({error}); download it again") from None
    pages = []
    try:
        for index in range(len(document)):
            try:
                textpage = document[index].get_textpage()
                text = textpage.get_text_range()
                lines = (
                    _spaced_lines(textpage, text)
                    if gaps
                    else text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
                )
            except pypdfium2.PdfiumError:
                raise ReportError(
                    source, f"a damaged PDF: page {index + 1} cannot be read; download it again"
                ) from None
            pages.append([normalise_line(line) for line in lines])
    finally:
        document.close()
    if sum(len(line) for page in pages for line in page) < 200:
        raise ReportError(source, "this PDF has no text layer (a scan?); this app needs a PDF with text")
    return pages


# A vertical step this many times the page's usual line pitch is a paragraph space (measured on the 62 letters: lines
# step 14.5 pt within a paragraph, 17-30 pt between paragraphs and bullets).
GAP_FACTOR = 1.35


def _spaced_lines(textpage, text: str) -> list[str]:
    """The page's lines with "" where the layout leaves a gap. pdfium's text and its characters share indices, so a
    line's vertical place is that of its first and last visible characters ('loose' boxes: the font's full height,
    the same for every glyph of a line)."""
    count = textpage.count_chars()
    spans: list[tuple[str, float | None, float | None]] = []
    start = 0
    while start <= len(text):
        end = text.find("\r\n", start)
        end = len(text) if end == -1 else end
        line = text[start:end]
        visible = [start + k for k, char in enumerate(line) if not char.isspace() and start + k < count]
        if visible:
            spans.append(
                (
                    line,
                    textpage.get_charbox(visible[0], loose=True)[1],
                    textpage.get_charbox(visible[-1], loose=True)[1],
                )
            )
        else:
            spans.append((line, None, None))
        start = end + 2
    steps = [
        previous[2] - current[1]
        for previous, current in itertools.pairwise(spans)
        if previous[2] is not None and current[1] is not None and previous[2] > current[1]
    ]
    if not steps:
        return [line for line, _, _ in spans]
    pitch = sorted(steps)[len(steps) // 2]
    out: list[str] = []
    last_bottom: float | None = None
    for line, top, bottom in spans:
        if top is not None and last_bottom is not None:
            step = last_bottom - top
            if step > pitch * GAP_FACTOR or step < 0:  # a wide space, or a jump back up the page (a side block)
                out.append("")
        out.append(line)
        if bottom is not None:
            last_bottom = bottom
    return out


def normalise_line(line: str) -> str:
    # U+FFFE is pdfium's mark for a line-end hyphen it joined: every one in Ofsted's PDFs is a real hyphen.
    line = line.replace("\ufffe", "-").replace("\u2011", "-").replace("\u2212", "-")
    return line.replace("\u202f", " ").replace("\u00a0", " ").rstrip()


def _head(first_page: list[str]) -> str:
    return " ".join(line.strip() for line in first_page[:40])


def detect_framework(first_page: list[str]) -> tuple[str, str] | None:
    """(framework, report type) from page one's title block, or None for a PDF that is not one of these reports."""
    head = _head(first_page)
    if (
        re.search(r"Judgement\s+Grade", head)
        or re.search(rf"local authority children{APOSTROPHE}s services", head)
        or re.search(rf"Inspection of children{APOSTROPHE}s social care services", head)
        or re.search(rf"^Inspection of .{{2,80}}? children{APOSTROPHE}s services\b", head)
    ):
        return "ilacs", "inspection"
    if re.search(r"(Re-)?[Ii]nspection of services for children in need of help", head):
        return "sif", "inspection"
    if re.search(r"Review of the effectiveness of the\s+(Local Safeguarding Children Board|LSCB)", head):
        return "sif", "lscb_review"
    if re.search(r"Inspection of looked after children", head):
        return "lac", "inspection"
    return None


# --- furniture ---------------------------------------------------------------------------------------------------


def _furniture_key(line: str) -> str:
    """A line's words without digits: the running title with its page number and dates matches on every page."""
    return " ".join(re.sub(r"[^a-z]+", " ", line.lower()).split())


def running_lines(pages: list[list[str]]) -> set[str]:
    """Keys of the lines that recur at the top (first four lines) or foot (last three) of many pages: running headers
    and footers, in whatever order or case a layout prints them."""
    seen: Counter[str] = Counter()
    for lines in pages:
        content = [line for line in lines if line.strip()]
        candidates = content[:4] + content[-3:]
        seen.update(
            {_furniture_key(line) for line in candidates if not NUMBERED.match(line.strip()) and not BULLET.match(line)}
        )
    needed = max(RUNNING_MIN_PAGES, int(len(pages) * RUNNING_SHARE))
    return {key for key, count in seen.items() if count >= needed and len(key.split()) >= 2}


def _strip_page_edges(lines: list[str], running: set[str]) -> list[str]:
    """Drop page numbers and running lines from the top and foot of a page."""
    lines = list(lines)
    for edge in (0, -1):
        removed = 0
        while lines and removed < 5:
            text = lines[edge].strip()
            if not text or re.fullmatch(r"\d{1,3}", text) or _furniture_key(text) in running:
                lines.pop(edge)
                removed += bool(text)
                continue
            break
    return lines


def strip_furniture(pages: list[list[str]]) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """Remove running headers and footers, the contents and copyright pages, the closing boilerplate and footnotes
    (returned apart). Returns (page number, body lines) for the pages that keep any."""
    running = running_lines(pages)
    footnotes: list[str] = []
    cleaned: list[tuple[int, list[str]]] = []
    for number, lines in enumerate(pages, start=1):
        lines = _strip_page_edges(lines, running)
        if lines and lines[0].strip() == "Contents":
            continue
        if lines and lines[0].startswith("© Crown copyright") and number <= 3:
            continue  # the 2013 layout puts its copyright page at the front
        body: list[str] = []
        notes: list[str] = []
        in_footnotes = False
        ended = False
        for position, line in enumerate(lines):
            if END_OF_BODY.match(line.strip()) and number > 1:
                ended = True
                break
            if not in_footnotes and body and _footnotes_start(line, lines, position):
                in_footnotes = True  # SIF: an empty line or a rule, then numbered notes to the foot of the page
                continue
            if in_footnotes:
                notes.append(line.strip())
                continue
            body.append(line)
        notes = [n for n in _merge_footnotes(notes) if n]
        if notes:
            # The notes' markers leave the text: glued to a word ('schools4') or alone on a line mid-paragraph.
            numbers = {m.group(1) for m in (re.match(r"^\[?(\d{1,2})\]?(\s|$)", n) for n in notes) if m}
            body = _without_markers(body, numbers)
            footnotes += notes
        cleaned.append((number, body))
        if ended:
            break
    return cleaned, footnotes


def _footnotes_start(line: str, lines: list[str], index: int) -> bool:
    if FOOTNOTE_RULE.match(line):
        return True
    if line.strip():
        return False
    following = [text.strip() for text in lines[index + 1 :] if text.strip()]
    return bool(following) and bool(re.match(r"^(\d{1,2}|\[\d{1,2}\])(\s+\S|$)", following[0])) and len(following) <= 12


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


FOOTNOTE_LINE = re.compile(r"^(\d{1,2}) (?=[A-Z‘'“\"(]|[a-z]+:|www\.|https?:)")
# A note's number glued to the word or sentence it annotates ('schools4', 'improve?1', 'protection.2'); never a
# number after a digit ('2.1 Adoption performance').
GLUED_MARKER = re.compile(r"(?:(?<=[A-Za-z?)’'”,;:])|(?<=[A-Za-z]\.))(\d{1,2})(?=[\s.,;:)]|$)")


def split_glued_footnotes(pages: list[tuple[int, list[str]]]) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """Footnotes with no separator: a marker glued to a word ('schools3', 'improve?1') or alone on a line, and at the
    foot of the same page the lines starting with that number. The notes go apart; the markers leave the text."""
    footnotes: list[str] = []
    out = []
    for number, lines in pages:
        tail = range(max(1, len(lines) - 12), len(lines))
        if not any(FOOTNOTE_LINE.match(lines[i].strip()) for i in tail):
            out.append((number, lines))
            continue
        markers: set[str] = set()
        for line in lines:
            text = line.strip()
            if re.fullmatch(r"\d{1,2}", text):
                markers.add(text)
            markers.update(
                m.group(1) for m in GLUED_MARKER.finditer(text) if not re.search(r"\d", text[: m.start(1)][-3:])
            )
        cut = None
        for index, line in enumerate(lines):
            match = FOOTNOTE_LINE.match(line.strip())
            if match and match.group(1) in markers and index > 0 and cut is None and index >= len(lines) - 12:
                cut = index
        if cut is not None:
            notes = _merge_footnotes([line.strip() for line in lines[cut:]])
            numbers = {re.match(r"^(\d{1,2})", n).group(1) for n in notes if re.match(r"^\d{1,2}\s", n)}  # type: ignore[union-attr]
            footnotes += notes
            lines = _without_markers(lines[:cut], numbers)
        out.append((number, lines))
    return out, footnotes


def _without_markers(lines: list[str], numbers: set[str]) -> list[str]:
    """The lines with these notes' markers taken out: alone on a line, or glued to the word they annotate."""
    return [_unglue(line, numbers) for line in lines if line.strip() not in numbers]


def _unglue(line: str, numbers: set[str]) -> str:
    line = re.sub(r"\[(\d{1,2})\]", lambda m: "" if m.group(1) in numbers else m.group(0), line)
    return GLUED_MARKER.sub(lambda m: "" if m.group(1) in numbers else m.group(0), line)


# --- metadata ----------------------------------------------------------------------------------------------------

AUTHORITY_NOISE = re.compile(
    r"^(the\s+)?(royal borough of|london borough of|city of|council of the|metropolitan borough of)\s+|"
    r"\s+(metropolitan borough|borough|city|county|district)?\s*council$|\s+children.s services$",
    re.I,
)


def printed_authority(name: str) -> str:
    """A printed name with the council's style taken off: the name shown when no authority in the table matches."""
    name = re.sub(r"\s+", " ", name).strip(" ,")
    previous = None
    while previous != name:
        previous = name
        name = AUTHORITY_NOISE.sub("", name).strip()
    return name or previous


def title_block(first_page: list[str]) -> list[str]:
    """Page one's lines above the inspection dates: authority and title, however they are laid out."""
    block = []
    for line in first_page:
        text = line.strip()
        if not text or re.fullmatch(r"\d{1,3}", text):
            continue
        if DATES_FIELD.match(text) or re.match(r"^(Report published|Lead inspector|Judgement\s+Grade)", text, re.I):
            break
        block.append(text)
        if len(block) > 12:
            break
    return block


def _field(lines: list[str], label: str) -> str | None:
    """A page-one field, with its value's continuation lines (a second visit wraps onto the next line)."""
    for index, line in enumerate(lines):
        match = re.match(rf"^{label}\s*:?\s*(.*)$", line.strip(), re.I)
        if match:
            value = [match.group(1)]
            for following in lines[index + 1 : index + 3]:
                text = following.strip()
                if (
                    re.match(r"^[A-Z][A-Za-z ]+:", text)
                    or not text
                    or not re.search(r"\d", text)
                    or not re.match(r"^(and\b|to\b|\d|[A-Z][a-z]+ \d{4})", text)
                ):
                    break
                value.append(text)
            return join_parts(value)
    return None


@dataclass
class Meta:
    authority: str
    title: str
    code: str | None = None
    published: dt.date | None = None
    visits: list[tuple[dt.date | None, dt.date | None]] = field(default_factory=list)
    lead: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def start(self) -> dt.date | None:
        return self.visits[0][0] if self.visits else None

    @property
    def end(self) -> dt.date | None:
        return self.visits[-1][1] if self.visits else None


def _printed_name_and_title(block: list[str]) -> tuple[str, str]:
    """Split the title block into the authority as printed and the report's title."""
    text = join_parts(block)
    text = re.sub(r"(?<=[a-z])\d{1,2}\b", "", text)  # a footnote marker glued to the title ("Board1")
    match = re.match(
        rf"^Inspection of (?:the\s+)?(.+?)\s+(?:local authority\s+)?children{APOSTROPHE}s services\b(.*)$", text
    )
    if match and not match.group(1).lower().startswith(("services for", "looked after", "local authority")):
        return match.group(1), text
    match = re.search(r"\b(Inspection of|Review of|Re-inspection of)\b", text)
    if match and match.start() > 0:
        return text[: match.start()].strip(" ,"), text[match.start() :].strip()
    if match:  # 2013: "Inspection of looked after children services" then the authority
        after = re.sub(r"^Inspection of looked after children\s+services\s*", "", text[match.start() :])
        return after, "Inspection of looked after children services"
    return text, "Inspection report"


def read_metadata(pages: list[list[str]], framework: str) -> Meta:
    first = [line.strip() for line in pages[0] if line.strip() and not re.fullmatch(r"\d{1,3}", line.strip())]
    block = title_block(pages[0])
    printed, title = _printed_name_and_title(block)
    if framework == "lac" and not printed:
        printed = first[1] if len(first) > 1 else ""
    found = authorities.find_in(" ".join(block)) or authorities.find_in(printed)
    meta = Meta(
        authority=found.name if found else printed_authority(printed), title=title, code=found.code if found else None
    )
    if found is None:
        meta.warnings.append(
            f"authority not identified: {printed or 'no name on page one'!r} is not in the table "
            "of English local authorities"
        )
        if not meta.authority:
            meta.authority = "Unidentified authority"
    published_text = _field(first, r"(?:Report\s+)?published")
    meta.published = parse_date(published_text) if published_text else None
    dates_text = _field(first, r"Inspection dates?")
    if dates_text:
        meta.visits = parse_visits(dates_text, meta.published)
        if meta.end is None:
            meta.warnings.append(f"inspection dates not understood: {dates_text!r}")
    else:
        meta.warnings.append("no inspection dates found")
    meta.lead = lead_inspector([line.strip() for page in pages for line in page if line.strip()])
    return meta


def lead_inspector(lines: list[str]) -> str | None:
    """'Lead inspector: Nick Stacey, Her Majesty's Inspector', 'Lead inspectors: A and B', 'Lead inspector on site:
    Pietro Battista', 'Reporting inspector Gary Lamb HMI': the names alone."""
    for line in lines:
        match = re.match(r"^(?:Lead|Reporting) inspectors?(?: on site)?\s*:?\s+(.+)$", line)
        if match:
            name = re.split(rf",?\s*(?:Her|His) Majesty{APOSTROPHE}s Inspectors?", match.group(1))[0]
            name = re.sub(r"[\s,]+(HMI|\(HMI\)|Senior HMI|Ofsted Inspector|OI)$", "", name.strip())
            return name.strip(" ,") or None
    return None


# --- judgements on page one --------------------------------------------------------------------------------------

ILACS_NAMES = {
    "leaders": "The impact of leaders on social work practice with children and families",
    "help_protection": "The experiences and progress of children who need help and protection",
    "in_care_and_care_leavers": "The experiences and progress of children in care and care leavers",
    "in_care": "The experiences and progress of children in care",
    "care_leavers": "The experiences and progress of care leavers",
    "overall": "Overall effectiveness",
}
GRADE_AT_END = re.compile(rf"^(?P<label>.*?)[\s:.]*\b(?P<word>{GRADE_WORDS})\.?$", re.I)
GRADE_TAIL = re.compile(r"^(to be good|improvement to be good|improvement)\.?$", re.I)


def ilacs_table(first_page: list[str]) -> tuple[list[Judgement], int]:
    """The page-one table: labels wrapped over lines, each followed by its grade (on the label's last line or its own
    line, "Requires improvement / to be good" over two). Returns the judgements and the index of the first line after
    the table, where the summary starts."""
    lines = [line.strip() for line in first_page]
    start = next((i for i, line in enumerate(lines) if re.match(r"^Judgement\s+Grade", line)), None)
    if start is None:  # no header row: the table starts at its first label
        first = next(
            (
                i
                for i, line in enumerate(lines)
                if re.match(r"^(The )?(impact of leaders|experiences? and progress)", line, re.I)
            ),
            None,
        )
        if first is None:
            return [], 0
        start = first - 1
    judgements: list[Judgement] = []
    pending: list[str] = []
    index = start + 1
    end = index
    while index < len(lines):
        text = lines[index]
        if not text:
            index += 1
            continue
        if (
            not pending
            and judgements
            and len(text) > 60
            and not re.match(r"^(The\s+)?(experiences?|impact|overall)", text, re.I)
        ):
            break  # the summary's prose: the table has ended
        match = GRADE_AT_END.match(text)
        if match:
            word = re.sub(r"\s+", " ", match.group("word"))
            label = join_parts(pending + [match.group("label")])
            if (
                re.match(r"^requires?\s+improvement$", word, re.I)
                and index + 1 < len(lines)
                and GRADE_TAIL.match(lines[index + 1])
            ):
                word += " " + lines[index + 1].rstrip(".")
                index += 1
            key = judgement_key(label)
            if key in ILACS_NAMES:
                judgements.append(Judgement("children", None, ILACS_NAMES[key], known_grade(word), word))
            pending = []
            index += 1
            end = index
            if key == "overall":
                break
            continue
        if len(pending) > 4:
            break
        pending.append(text)
        index += 1
    return judgements, end


SIF_ROW = re.compile(rf"(?<![\d.])(\d(?:\.\d)?)\.?\s+([A-Z][^\d]*?)\s+({GRADE_WORDS})\b", re.I)
SIF_OVERALL = re.compile(
    rf"(?:The overall judgement is|Children{APOSTROPHE}s services? in)\b(?P<between>.{{0,160}}?)"
    rf"\b(?P<word>{GRADE_WORDS})\b",
    re.I,
)
LSCB = re.compile(
    rf"(?:The effectiveness of the |The )?(?:Local Safeguarding Children{APOSTROPHE}?s? Board|LSCB)"
    rf"(?:\s*\((?:the\s+)?LSCB\))?(?:,[^,.]{{3,80}},)?\s+(?:is|are)?\s*(?:that it is\s+|judged to be\s+|judged\s+)?"
    rf"(?P<word>{GRADE_WORDS})\b",
    re.I,
)


def sif_judgements(first_page: list[str], body_lines: list[str], report_type: str) -> list[Judgement]:
    text = join_parts(first_page)
    judgements = []
    parent = None
    if report_type == "inspection":
        for match in SIF_ROW.finditer(text):
            number, name = match.group(1), re.sub(r"\s+", " ", match.group(2)).strip()
            word = re.sub(r"\s+", " ", match.group(3))
            if judgement_key(name) is None or judgement_key(name) == "lscb":
                continue
            if "." not in number:
                parent = name
            judgements.append(Judgement("children", parent if "." in number else None, name, known_grade(word), word))
        overall = SIF_OVERALL.search(text)
        if overall is None:  # a cover without its verdict: the executive summary opens with it
            overall = SIF_OVERALL.search(join_parts(body_lines[:60]))
        if overall and not re.search(r"\b(not|no longer)\b", overall.group("between")):
            word = re.sub(r"\s+", " ", overall.group("word"))
            judgements.insert(0, Judgement("children", None, "Overall effectiveness", known_grade(word), word))
    # Only the lines near a mention of the board are searched: the whole body joined is slow to scan.
    near = [
        " ".join(body_lines[max(0, i - 1) : i + 3])
        for i, line in enumerate(body_lines)
        if re.search(r"Board|LSCB|SCB\b", line)
    ]
    lscb = LSCB.search(join_parts(first_page)) or next((m for m in map(LSCB.search, near) if m), None)
    if lscb:
        word = re.sub(r"\s+", " ", lscb.group("word"))
        judgements.append(
            Judgement(
                "lscb", None, "The effectiveness of the Local Safeguarding Children Board", known_grade(word), word
            )
        )
    return judgements


def lac_judgements(lines: list[str]) -> list[Judgement]:
    """The record of main findings on the last page: a name, then its grade word, wrapped anyhow."""
    start = next(
        (i for i, line in enumerate(lines) if line.strip().lower().startswith("record of main findings")), None
    )
    if start is None:
        return []
    judgements: list[Judgement] = []
    pending: list[str] = []
    for line in lines[start + 1 :]:
        text = line.strip()
        if not text:
            continue
        match = re.match(rf"^(.*?)\s*\b({GRADE_WORDS})\.?$", text, re.I)
        if match:
            name = join_parts(pending + [match.group(1)])
            if name:
                judgements.append(Judgement("looked_after", None, name, known_grade(match.group(2)), match.group(2)))
            pending = []
        elif text.lower().startswith("services for looked after children"):
            pending = []
        else:
            pending.append(text)
    return judgements


# --- body ----------------------------------------------------------------------------------------------------------

VERB = r"(?:\s+(?:is|are)(?:\s+judged(?:\s+to\s+be)?)?(?:\s+that\s+it)?(?:\s+is)?)?"
ILACS_HEADING = re.compile(
    rf"^(?P<title>(?:The\s+)?(?:experiences?\s+and\s+progress\s+of\s+.+?|impact\s+of\s+leaders\s+(?:on\s+.+?\s+)?with\s+"
    rf"children\s+and\s+families))\s*{VERB}\s*:?\s*(?P<word>{GRADE_WORDS})\.?$",
    re.I,
)
SIF_BOX_HEADING = re.compile(
    rf"^(?P<title>The experiences and progress of .+?|Leadership, management and governance)"
    rf"\s+(?P<word>{GRADE_WORDS})$",
    re.I,
)
SENTENCE_HEADING = re.compile(
    rf"^(?P<title>The [^.!?:;]+?|Leadership, management and governance)\s+(?:is|are)(?:\s+that\s+it)?(?:\s+is)?\s+"
    rf"(?P<word>{GRADE_WORDS})\.?$",
    re.I,
)
# Words a heading never ends on: a line ending in one runs on ("...in the London Borough of Hammersmith and").
RUNS_ON = re.compile(
    r"\b(and|or|of|in|on|the|a|an|to|for|with|that|by|from|at|as|is|are|was|were|their|its|has|have)$", re.I
)
# The most a graded heading is, joined over its lines: longer is a paragraph that happens to end in a grade word.
GRADED_HEADING_MAX = 160
KNOWN_HEADINGS = {
    normalise_title(t)
    for t in [
        "Executive summary",
        "The local authority",
        "Information about this local authority area",
        "Recommendations",
        "Summary for children and young people",
        "Information about this inspection",
        "Summary",
        "Inspection findings",
        "What needs to improve",
        "What needs to improve?",
        "What does the Local Authority need to improve?",
        "Areas for improvement",
        "Priority and immediate action",
        "About this inspection",
        "Service information",
        "Record of main findings",
        "The inspection team",
        "Key strengths and weaknesses of the LSCB",
        "Summary of key findings",
        "The Local Safeguarding Children Board (LSCB)",
        "Inspection judgements about the Local Authority",
        "What the inspection judgements mean",
        "Summary of findings",
    ]
}
# Headings that wrap onto a second line, known by how they start.
WRAPPING_HEADINGS = re.compile(
    r"^(What the inspection judgements mean|Inspection judgements about|"
    r"Inspection findings\s*[–-]|Section \d:)",
    re.I,
)
RECOMMENDATION_HEADINGS = re.compile(
    r"^(what needs to improve|what does the local authority need to improve|"
    r"areas for improvement|recommendations|priority and immediate action)",
    re.I,
)
# Headings that end a recommendations list; any other ungraded heading inside one is a topic within it.
TOP_LEVEL = re.compile(
    r"^(section \d|inspection findings|summary|executive summary|information about|"
    r"the local authority|what the inspection judgements mean|inspection judgements? about|"
    r"the local safeguarding children board|review of the effectiveness|record of main|"
    r"(the )?(lscb|local authority).s strengths|the local authority has the following strengths|"
    r"key strengths|progress since)",
    re.I,
)


class BodyReader:
    def __init__(self, framework: str, lines: list[str], pages: list[int] | None = None, opening: str | None = None):
        self.framework = framework
        self.opening = opening  # the section the first lines belong to, before any heading
        self.lines = lines
        self.pages = pages or [0] * len(lines)
        self.builder = Builder()
        self.last_number = 0
        self.recommendations: list[tuple[int, int | None, str | None]] = []  # (paragraph, item, timescale)
        self.timescale: str | None = None
        self.in_recommendations = False
        self.recommendation_section: int | None = None
        widths = sorted(len(line) for line in lines if line.strip())
        self.full_width = widths[int(len(widths) * 0.9)] if widths else 90

    def _next_is_paragraph(self, index: int) -> bool:
        following = next((line.strip() for line in self.lines[index:] if line.strip()), "")
        match = NUMBERED.match(following)
        return bool(match and int(match.group(1)) == self.last_number + 1) or bool(BULLET.match(following))

    def graded_heading(self, index: int) -> tuple[str, str, int] | None:
        """A graded heading over one to four lines: (title, grade word, lines used)."""
        line = self.lines[index].strip()
        # Capital letters: a heading starts one ("the CiCC told inspectors…" is a paragraph's wrapped line).
        if not re.match(r"^(The |Leadership, management|Experiences? and progress|Impact of leaders)", line):
            return None
        for span in range(1, 5):
            if index + span > len(self.lines):
                break
            joined = join_parts(self.lines[index : index + span])
            for pattern in (ILACS_HEADING, SIF_BOX_HEADING, SENTENCE_HEADING):
                match = pattern.match(joined)
                # A sentence ending in a full stop is a heading only where a paragraph starts right after it.
                if (
                    match
                    and (not joined.endswith(".") or self._next_is_paragraph(index + span))
                    and len(joined) <= GRADED_HEADING_MAX
                    and not re.search(r"[.!?]\s", match.group("title"))
                ):
                    title = re.sub(r"\s+", " ", match.group("title"))
                    if re.match(r"^(experiences?|impact)\b", title, re.I):  # printed without its leading "The"
                        title = "The " + title
                    return title, re.sub(r"\s+", " ", match.group("word")), span
            if joined.endswith(".") and not re.search(rf"({GRADE_WORDS})\.$", joined, re.I):
                break
        return None

    def plain_heading(self, index: int, previous: str) -> int:
        """Lines used by an ungraded heading here (0: not a heading)."""
        line = self.lines[index].strip()
        if WRAPPING_HEADINGS.match(line):
            following = self.lines[index + 1].strip() if index + 1 < len(self.lines) else ""
            return 2 if following and following[0].islower() and len(following) < 40 else 1
        if self._is_heading_line(line):
            return 1
        if NUMBERED.match(line) or BULLET.match(line) or TIMESCALE.match(line):
            return 0
        if not line or len(line) > 70 or not line[0].isupper() or re.search(r"[.,;:]$", line):
            return 0
        if re.match(r"^[A-Z][\w ]+: ", line):
            return 0  # "Lead inspector: Tracey Metcalfe" is a field, not a heading
        if (
            RUNS_ON.search(line)
            or re.search(r"[.!?]\s+\S", line)
            or line.count("(") != line.count(")")
            or line.count("(") > 1
        ):
            return 0  # a sentence that runs on, two sentences, "National Framework)", a list of names
        if re.search(rf"\b({GRADE_WORDS})$", line, re.I):
            return 0  # a verdict ("Children's services in X are good"): graded headings were read above
        if previous and not SENTENCE_END.search(previous.strip()) and not self._is_heading_line(previous):
            return 0
        following = self.lines[index + 1].strip() if index + 1 < len(self.lines) else ""
        if not following:
            return 0
        if (
            following[0].isupper()
            or NUMBERED.match(following)
            or BULLET.match(following)
            or GRADE_LINE.match(following)
        ):
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
                if (
                    not candidate
                    or NUMBERED.match(candidate)
                    or BULLET.match(candidate)
                    or candidate.endswith(".")
                    or len(candidate) > 70
                    or GRADE_LINE.match(candidate)
                ):
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
        if self.opening:
            builder.heading(self.opening, None)
        over_grades = self._headings_over_grade_lines()
        while index < len(self.lines):
            if self.lines[index] == PARAGRAPH_BREAK:
                builder.target = None
                index += 1
                continue
            line = self.lines[index].strip()
            builder.page = self.pages[index] or None
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
            if numbered and self._next_number(int(numbered.group(1))):
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
                title = re.sub(r"(?<=[A-Za-z?])\d{1,2}$", "", join_parts(self.lines[index : index + used]))
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

    def _next_number(self, number: int) -> bool:
        # Numbers run on across sections; a wrapped line that happens to start "25." does not break the run.
        return number == self.last_number + 1 or (self.last_number == 0 and number == 1)

    def _paragraph_ended(self, previous: str) -> bool:
        previous = previous.rstrip()
        return bool(SENTENCE_END.search(previous)) and len(previous) < 0.8 * self.full_width

    def _open(self, title: str, grade: int | None, word: str | None) -> None:
        builder = self.builder
        is_recommendations = bool(RECOMMENDATION_HEADINGS.match(title))
        if self.in_recommendations and not is_recommendations and grade is None and not TOP_LEVEL.match(title):
            # A topic inside a list of recommendations ("Children who need help and protection"): the list goes on.
            builder.heading(title, self.recommendation_section)
            return
        self.in_recommendations = is_recommendations
        if not re.match(r"^(priority and immediate action|areas for improvement)", title, re.I):
            self.timescale = None
        if re.match(r"^priority and immediate action", title, re.I):
            self.timescale = "immediately"
        parent = None
        key = normalise_title(title)
        if self.framework == "sif" and key in {"summary", "inspection findings"} and builder.sections:
            parent = self._last_graded_or_top()
        builder.heading(title, parent, grade, word)
        if is_recommendations:
            self.recommendation_section = builder.section

    def _last_graded_or_top(self) -> int | None:
        for index in range(len(self.builder.sections) - 1, -1, -1):
            section = self.builder.sections[index]
            if section.parent is None:
                return index
        return None


def _timescale(match: re.Match[str]) -> str | None:
    if match.group(1).lower() == "immediately":
        return "immediately"
    return {
        "three": "within_three_months",
        "3": "within_three_months",
        "six": "within_six_months",
        "6": "within_six_months",
    }.get((match.group(2) or "").lower())


# --- the whole report ----------------------------------------------------------------------------------------------


def parse_pdf(data: bytes, source: str) -> Report:
    pages = extract_pages(data, source)
    if letter_kind(pages[0]):  # a letter's paragraphs are told apart only by space: read it again with the spaces
        pages = extract_pages(data, source, gaps=True)
    return parse_pages(pages, source)


def parse_pages(pages: list[list[str]], source: str) -> Report:
    """A report from its pages' text lines (as extract_pages gives them)."""
    kind = letter_kind(pages[0])
    if kind:
        return parse_letter(pages, source, kind)
    letter = re.search(r"\bJoint targeted area inspection (to|of)\b", _head(pages[0][:30]))
    if letter and re.search(r"^Dear\b", "\n".join(line.strip() for line in pages[0][:30]), re.M):
        raise ReportError(
            source,
            "a letter after a joint targeted area inspection, not an inspection report of the "
            "authority; this version imports inspection reports and visit letters",
        )
    detected = detect_framework(pages[0])
    if detected is None and re.search(r"Inspection of safeguarding and looked after children", _head(pages[0])):
        return _slac_pdf(pages, source)
    if detected is None:
        raise ReportError(
            source,
            "a PDF, but not an Ofsted inspection of local authority children's services "
            "(2013 looked after children, 2014-2018 single inspection or 2018- ILACS)",
        )
    framework, report_type = detected
    meta = read_metadata(pages, framework)
    body_pages, footnotes = strip_furniture(pages)
    body_pages, glued = split_glued_footnotes(body_pages)
    footnotes += glued
    first_number, first_page = body_pages[0] if body_pages else (1, [])
    rest = [(number, line) for number, page in body_pages[1:] for line in page]
    if framework == "ilacs":
        judgements, start = ilacs_table(first_page)
        numbered = [(first_number, line) for line in first_page[start:]] + rest
    elif framework == "sif":
        judgements = sif_judgements(first_page, [line for _, line in rest], report_type)
        numbered = [(first_number, line) for line in sif_cover(first_page, pages[0])] + rest
    else:
        judgements = lac_judgements([line for _, line in rest])
        end = next(
            (i for i, (_, line) in enumerate(rest) if line.strip().lower().startswith("record of main findings")),
            len(rest),
        )
        numbered = rest[:end]
    opening = {"ilacs": "Summary", "sif": "Judgements"}.get(framework)
    reader = BodyReader(framework, [line for _, line in numbered], [number for number, _ in numbered], opening)
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
    service = {"ilacs": "children", "sif": "children", "lac": "looked_after"}[framework]
    for raw, item, timescale in recommended:
        if id(raw) not in kept:
            continue
        paragraph = paragraphs[kept[id(raw)]]
        text = paragraph.items[item] if item is not None else paragraph.text
        recommendations.append(Recommendation(service, timescale, text))
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
    numbers = [p.number for p in paragraphs if p.number is not None]
    if numbers and numbers != list(range(1, len(numbers) + 1)):
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
    )


SIF_ROW_START = re.compile(r"^\d(?:\.\d)?\.?\s+[A-Z]")
GRADE_ONLY = re.compile(
    rf"^((?:{GRADE_WORDS})|requires?|improvement(?: to(?: be)?)?|to be good|be good|good)\.?$", re.I
)


PARAGRAPH_BREAK = "\x00"  # a line the body reader takes as the end of a paragraph, where the layout gives no sign
VERDICT_START = re.compile(
    rf"^(The overall judgement is|Children{APOSTROPHE}s services? in|The effectiveness of the|"
    rf"The Local Safeguarding Children)",
    re.I,
)


def sif_cover(first_page: list[str], raw_first_page: list[str]) -> list[str]:
    """Page one of a SIF report without its title, fields and judgement table: the verdicts and what they mean, kept
    as text (the grades themselves are read into judgements), each verdict a paragraph of its own."""
    skip = {re.sub(r"\d+$", "", line) for line in meta_lines(raw_first_page)}
    out: list[str] = []
    in_row = False
    for line in first_page:
        text = line.strip()
        if not text or re.sub(r"\d+$", "", text) in skip:
            continue
        if SIF_ROW_START.match(text) and judgement_key(re.sub(r"^[\d.]+\s*", "", text)):
            in_row = not GRADE_AT_END.match(text) or bool(re.search(r"requires?$", text, re.I))
            continue
        if GRADE_ONLY.match(text) and not in_row and out and not SENTENCE_END.search(out[-1].strip()):
            out += [
                line,
                PARAGRAPH_BREAK,
            ]  # the end of a wrapped verdict: "... children's services require / improvement"
            continue
        if in_row or GRADE_ONLY.match(text):
            in_row = in_row and not (GRADE_AT_END.match(text) and not re.search(r"requires?$", text, re.I))
            continue
        if VERDICT_START.match(text):
            out.append(PARAGRAPH_BREAK)
        out.append(line)
        if VERDICT_START.match(text) and GRADE_AT_END.match(text):
            out.append(PARAGRAPH_BREAK)
    return _join_verdicts(out)


def _join_verdicts(lines: list[str]) -> list[str]:
    """A verdict wrapped over lines ("The overall judgement is that children's services" / "require improvement")
    becomes one line, so its first line cannot pass for a heading."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if VERDICT_START.match(line.strip()) and not GRADE_AT_END.match(line.strip()):
            end = next(
                (
                    j
                    for j in range(index + 1, min(index + 4, len(lines)))
                    if lines[j] != PARAGRAPH_BREAK and GRADE_AT_END.match(lines[j].strip())
                ),
                None,
            )
            if end is not None and PARAGRAPH_BREAK not in lines[index + 1 : end]:
                out.append(join_parts(lines[index : end + 1]))
                index = end + 1
                continue
        out.append(line)
        index += 1
    return out


def _slac_pdf(pages: list[list[str]], source: str) -> Report:
    """A 2009-2012 'Inspection of safeguarding and looked after children services' report as a PDF: its running
    header ('Medway Council Inspection of safeguarding and looked after children 1') and page numbers go, and the
    text is read by the importer of the same reports as text. Paragraphs record their pages."""
    from .slac import parse_text

    running = running_lines(pages)
    kept = [(number, _strip_page_edges(lines, running)) for number, lines in enumerate(pages, start=1)]
    report = parse_text("\n".join(line for _, lines in kept for line in lines), source)
    starts = [(number, " ".join(lines)) for number, lines in kept]
    for paragraph in report.paragraphs:
        probe = paragraph.text[:40]
        paragraph.page = next((number for number, text in starts if probe and probe in text), None)
    return report


def meta_lines(first_page: list[str]) -> set[str]:
    """Page one's title block and fields: not body text."""
    block = set(title_block(first_page))
    return block | {
        line.strip()
        for line in first_page
        if re.match(r"^(Inspection dates?|Report published|Lead inspector)", line.strip(), re.I)
    }
