"""Letters Ofsted writes to an authority after a focused visit (2018-) or a monitoring visit (for authorities judged
inadequate): no grades, unnumbered paragraphs separated only by space, a few headings ("Headline findings",
"What needs to improve in this area of social work practice?", "Main findings").

The text comes from importers.pdf_extract.with_gaps, where an empty line marks each paragraph space. The
rules read the letter's own words: the visit, its inspectors and its theme from the opening paragraphs, the
signatory as lead inspector, what the last inspection found where the letter says so. Every rule is measured over
all the sample letters with bench/corpus.py; none names a file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from ofsted_reader.core import authorities
from ofsted_reader.core.grades import GOOD, INADEQUATE, OUTSTANDING, grade_from_word
from ofsted_reader.core.judgements import judgement_key
from ofsted_reader.core.model import PriorJudgement, Recommendation, Report
from ofsted_reader.core.vocabulary import Framework, ReportType, Timescale

from .builder import Builder, join_parts
from .dates import iso, parse_date, parse_visits
from .errors import ReportError
from .ids import report_id, slug
from .patterns import APOSTROPHE, BULLET
from .pdf_extract import layout_of

LETTER_KIND = re.compile(r"\b(Focused|Monitoring) visit (?:to|of)\b")
KIND_OF: dict[str, ReportType] = {"focused": "focused_visit", "monitoring": "monitoring_visit"}  # LETTER_KIND's words
DEAR = re.compile(r"^\s*Dear\b")
SIGN_OFF = re.compile(r"^\s*Yours?\s+(sincerely|faithfully)\b", re.I)
MONTHS = r"January|February|March|April|May|June|July|August|September|October|November|December"
DATE_LINE = re.compile(rf"^\s*\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\s+\d{{4}}\s*$")
ROLE = re.compile(
    rf"^\s*((Her|His) Majesty{APOSTROPHE}s\s+)?(Senior\s+|Lead\s+)?(Inspector|HMI)s?\b|"
    rf"^\s*(Regulatory|Social Care) Inspector\b",
    re.I,
)
# The letterhead and the page numbers, wherever the layout puts them: a line made only of these pieces is furniture.
LETTERHEAD = re.compile(
    r"(?:Ofsted|Piccadilly Gate|Store Street|Manchester|Agora|Cumberland Place|Nottingham|Clive House|Petty France|"
    r"London|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|T\s*0\d{3}\s*\d{3}\s*\d{4}|Textphone\s*[\d ]+|"
    r"[\w.]+@ofsted\.gov\.uk|www\.gov\.uk/ofsted|www\.ofsted\.gov\.uk|https?://\S+|[,\s]+)+"
)
GLUED_LETTERHEAD = re.compile(
    r"^\s*(www\.ofsted\.gov\.uk|www\.gov\.uk/ofsted)\s+|\s+(www\.ofsted\.gov\.uk|"
    r"www\.gov\.uk/ofsted)\s*$"
)
NUMBERED = re.compile(r"^(\d{1,2})\.\s*([A-Z‘'\"].*)$")
CONTACT = re.compile(
    r"(T\s*0\d{3}\s*\d{3}\s*\d{4}|[\w.]+@ofsted\.gov\.uk|www\.gov\.uk/ofsted|www\.ofsted\.gov\.uk)"
    r"(\s.*)?",
    re.I,
)
PAGE_NUMBER = re.compile(r"^\s*(?:Page\s+)?\d{1,2}(?:\s+of\s+\d{1,2})?\s*$", re.I)
# Headings that open a part of the letter; any other heading is a sub-heading of the part it is in.
PART = re.compile(
    r"^(overview|headline findings|(main )?findings|what needs to improve|areas? (for|of) "
    r"(priority action|improvement|strength)|priority action|next steps|summary|areas covered|"
    r"(findings and )?evaluation of progress|progress)\b",
    re.I,
)
TO_IMPROVE = re.compile(r"what needs to improve|priority action|areas? for improvement|need(s)? to improve", re.I)
INTRODUCTION = "Introduction"
# What the visit looked at, in the letter's words: "Inspectors looked at the local authority's arrangements for X".
THEME = re.compile(
    rf"\b(?:inspectors|this visit|the visit|they)\s+(?:looked at|considered|evaluated|reviewed|"
    rf"focused on|examined)\s+(?:the\s+(?:local\s+authority{APOSTROPHE}s\s+)?arrangements\s+"
    rf"(?:for|at|to)\s+)?(.+)",
    re.I,
)
# The visits of 2020-2021 looked at the pandemic: "... is leading Ofsted's work into how England's social care system
# has delivered child-centred practice and care within the context of the restrictions ... COVID-19 ... pandemic".
PANDEMIC_THEME = re.compile(
    rf"\bleading Ofsted{APOSTROPHE}s work into how .*? has delivered (.+?)(?: within the context "
    rf"of the restrictions placed on society)? during (?:the )?COVID-19",
    re.I,
)
THEME_END = re.compile(
    r",?\s+(in accordance with|in line with)\b.*$|,?\s+(with|which included) a (specific|particular|"
    r"primary) focus\b.*$|\s*:\s*$",
    re.I,
)
# The grade words of 2013 on, without GRADE_WORDS' "adequate" (2009-2012's, prose in a letter) and with "requires
# improvement" in any tense ("was judged to require improvement", "required improvement").
GRADE_PHRASE = re.compile(
    r"\b(?:judged|found|rated|graded|were|was)\b(?:\s+(?:as|to\s+be|to|the\s+service|overall|"
    rf"services?))*\s+({OUTSTANDING}|{GOOD}|{INADEQUATE}|requir(?:es|ed|ing|e)\s+improvement"
    r"(?:\s+to\s+be\s+good)?)",
    re.I,
)
LAST_INSPECTION = re.compile(
    r"\b(last|previous)\b[^.]{0,40}\binspect|\blast inspected\b|\bsince the inspection\b|"
    r"\bat the ILACS inspection\b|\binspection of [^.]{0,60}\btook place\b",
    re.I,
)
# Ofsted's closing line, wherever the letter puts it: not something the authority must improve.
CLOSING = re.compile(r"^Ofsted will take the findings\b|^The findings of this visit will\b", re.I)
WHEN = re.compile(rf"\b((?:{MONTHS})(?:/(?:{MONTHS}))?\s+\d{{4}}|(?<=in )\d{{4}})\b")


def letter_kind(first_page: list[str]) -> ReportType | None:
    """The kind of visit letter page one is ("focused_visit", "monitoring_visit": its title and a "Dear ..." line),
    or None."""
    head = [line.strip() for line in first_page[:60]]
    match = LETTER_KIND.search(" ".join(head))
    if match and any(DEAR.match(line) for line in head):
        return KIND_OF[match.group(1).lower()]
    return None


def _without_furniture(pages: list[list[str]]) -> list[tuple[int, str]]:
    """Every line with its page number, without the letterhead (wherever the layout puts it) or the page numbers
    (only near a page's top or foot: a wrapped line can be a bare number too).

    The letterhead is found by its contact lines (Ofsted's phone, e-mail, web address): with them goes the run of
    short address lines around them, whatever the office ('Piccadilly Gate', 'Aviation House, 125 Kingsway')."""
    out = []
    for number, page in enumerate(pages, 1):
        filled = [i for i, line in enumerate(page) if line.strip()]
        edges = set(filled[:3] + filled[-3:])
        dropped = set()
        for i, line in enumerate(page):
            if CONTACT.fullmatch(line.strip()):
                for step in (-1, 1):
                    j = i
                    while 0 <= j < len(page) and _address_like(page[j]):
                        dropped.add(j)
                        j += step
        for i, line in enumerate(page):
            stripped = line.strip()
            if (i in dropped and stripped) or (
                stripped and (LETTERHEAD.fullmatch(stripped) or (i in edges and PAGE_NUMBER.match(stripped)))
            ):
                continue
            before = next((page[j] for j in range(i - 1, -1, -1) if page[j].strip()), "")
            if _superscript_marker(line, before):
                continue  # a footnote's marker ("What needs to improve in this area of social work practice?¹")
            unglued = GLUED_LETTERHEAD.sub("", line)
            out.append((number, line if unglued == line else unglued))
    return out


def _letter_footnotes(pages: list[list[str]]) -> tuple[list[list[str]], list[tuple[str, str]]]:
    """The pages without their footnotes (a number, then the note, in type smaller than the letter's, at a page's
    foot), and each note with the line its marker follows."""
    out_pages: list[list[str]] = []
    notes: list[tuple[str, str]] = []
    for page in pages:
        sizes = Counter(round(placed.size) for placed in map(layout_of, page) if placed is not None)
        body = sizes.most_common(1)[0][0] if sizes else 0
        markers = {}  # marker -> the line it follows
        for i, line in enumerate(page):
            before = next((page[j] for j in range(i - 1, -1, -1) if page[j].strip()), "")
            if _superscript_marker(line, before):
                markers[line.strip()] = before.strip()
        kept: list[str] = []
        note: list[str] = []
        for line in page:
            placed = layout_of(line)
            small = placed is not None and placed.size <= body - 1.5
            start = re.match(r"^(\d{1,2})\s+\S", line.strip())
            if small and start and start.group(1) in markers:
                if note:
                    notes.append((join_parts(note), markers[note[0].split()[0]]))
                note = [line.strip()]
                continue
            if note and small and not CONTACT.fullmatch(line.strip()) and not _address_like(line):
                note.append(line.strip())
                continue
            if note:
                notes.append((join_parts(note), markers[note[0].split()[0]]))
                note = []
            kept.append(line)
        if note:
            notes.append((join_parts(note), markers[note[0].split()[0]]))
        out_pages.append(kept)
    return out_pages, notes


def _attach_footnotes(paragraphs: list, sections: list, notes: list[tuple[str, str]]) -> None:
    """Each note to the paragraph holding the line its marker follows, or to the first paragraph under that line
    where it is a heading."""
    for note, before in notes:
        key = " ".join(before.split())
        holder = next((p for p in paragraphs if key and key in " ".join(p.full_text.split())), None)
        if holder is None:
            titled = next((s.id for s in sections if key.rstrip(" :?") and s.title.startswith(key.rstrip(" :?"))), None)
            holder = next((p for p in paragraphs if p.section == titled), None)
        if holder is not None:
            holder.footnotes.append(note)


def _superscript_marker(line: str, before: str) -> bool:
    """A footnote marker pdfium gives as a line of its own: a number in small type, printed level with or above the
    line before it."""
    placed, above = layout_of(line), layout_of(before)
    return (
        placed is not None
        and above is not None
        and re.fullmatch(r"\d{1,2}", line.strip()) is not None
        and placed.size < 0.8 * above.size
        and placed.baseline >= above.baseline - 1
    )


def _address_like(line: str) -> bool:
    text = line.strip()
    if not text or (len(text) <= 40 and re.search(r"@|gov\.uk|ofsted", text, re.I)):
        return True
    return (
        len(text) <= 40
        and not re.search(r"[.:;?!]$", text)
        and not PART.match(text)
        and not DATE_LINE.match(text)
        and not DEAR.match(text)
    )


def _blocks(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """The letter's paragraphs (and headings, and bullet runs) as runs of lines between spaces. A letter read
    without spaces (no layout) falls back to the line-length rule: a short line that ends a sentence ends a block."""
    if not any(not line.strip() for _, line in lines):
        lengths = sorted(len(line.strip()) for _, line in lines)
        width = lengths[int(len(lengths) * 0.9)] if lengths else 0  # a full line (pdfium joins a few lines in two)
        spaced: list[tuple[int, str]] = []
        ended = True  # the line before ended a paragraph (or there was none)
        for index, (page, line) in enumerate(lines):
            following = lines[index + 1][1].strip() if index + 1 < len(lines) else ""
            heading = (
                ended
                and len(line.strip()) < 0.75 * width
                and following[:1].isupper() | bool(BULLET.match(following))
                and (_heading_like(line) or _heading([(page, line.strip())]) is not None)
            )
            if (BULLET.match(line) or heading) and spaced:
                spaced.append((page, ""))
            spaced.append((page, line))
            ended = heading or (len(line.strip()) < 0.8 * width and re.search(r"[.:?!]\s*$", line) is not None)
            if ended:
                spaced.append((page, ""))
        lines = spaced
    blocks: list[list[tuple[int, str]]] = [[]]
    for page, line in lines:
        if blocks[-1] and page != blocks[-1][-1][0]:
            blocks.append([])  # a new page starts a block; _runs_over_page joins a paragraph the break cut
        if line.strip():
            blocks[-1].append((page, line.strip()))
        elif blocks[-1]:
            blocks.append([])
    joined: list[list[tuple[int, str]]] = []
    for block in (b for b in blocks if b):
        if joined and _runs_over_page(joined[-1], block):
            joined[-1].extend(block)
        else:
            joined.append(block)
    return joined


def _runs_over_page(before: list[tuple[int, str]], after: list[tuple[int, str]]) -> bool:
    """A paragraph cut by a page break: the page's foot leaves a sentence unfinished, or the next page goes on in
    lower case. A heading or a bullet on the new page is never a continuation."""
    if after[0][0] <= before[-1][0]:
        return False
    last, first = before[-1][1], after[0][1]
    if BULLET.match(first) or _heading(after) is not None:
        return False
    if first[:1].islower():
        return True
    return not re.search(r"[.:?!)”’'\"]$", last) and not (len(before) == 1 and _heading_like(last))


def _heading_like(line: str) -> bool:
    text = line.strip()
    return (
        0 < len(text) <= 110
        and text[0].isupper()
        and not BULLET.match(text)
        and len(text.split()) <= 16
        and not re.search(r"[.,;:]$", text)
        and not DATE_LINE.match(text)
        and not SIGN_OFF.match(text)
        and (not text.endswith("?") or re.match(r"(What|How|Why)\b", text) is not None)
    )


def _heading(block: list[tuple[int, str]]) -> str | None:
    """The heading a block is or starts with: a line on its own that looks like one, or a part's title ('Findings',
    'What needs to improve ...:') that the layout set close above its first paragraph."""
    first = block[0][1]
    part = (
        PART.match(first) is not None
        and len(first) <= 110
        and len(first.split()) <= 14
        # "Headline Findings." alone on its line is its part's title all the same
        and (re.search(r"[.,;]$", first) is None or (len(block) == 1 and len(first.split()) <= 4))
    )
    if len(block) == 1 and (_heading_like(first) or part):
        return first
    if len(block) > 1 and part and (BULLET.match(block[1][1]) or block[1][1][:1].isupper()):
        return first
    return None


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z‘'\"◼])", text) if s.strip()]


def people_named(text: str) -> list[str]:
    """People named in 'A, B and C, Her Majesty's Inspectors' or 'A, HMI, and B, HMI'."""
    text = re.sub(
        rf"\((?:S?HMIs?|OIs?)\)|\([^()]*\binspectors?\)|\bAI\b|\b(Her|His)\s+Majesty{APOSTROPHE}s\s+[Ii]nspectors?\b|\bS?HMIs?\b|\bOI\b|"
        rf"\bOfsted\s+Inspectors?\b|\bSenior\b|"
        r"\b(?:lead|team|senior|regulatory|social care)\s+inspectors?\b",
        ",",
        text,
        flags=re.I,
    )
    names = []
    for part in re.split(r",|\band\b", text):
        part = part.strip(" .;:")
        if re.fullmatch(r"[A-Z][\w’'\-]+(?:\s+(?:[A-Z][\w’'\-]+|de|van|von|da|le))*\s+[A-Z][\w’'\-]+", part):
            names.append(part)
    return names


def inspectors_named(sentences: list[str]) -> list[str]:
    """'The inspectors were ...', 'His Majesty's Inspectors for this visit were ...', '... carried out by Her
    Majesty's Inspectors A and B'."""
    for sentence in sentences:
        match = re.search(
            rf"\b(?:(?:inspectors?|HMIs?)(?:\s+for\s+(?:this|the)\s+visit)?\s+(?:were|was)|(?:carried out|undertaken|"
            rf"conducted|completed|led) by(?:\s+(?:Her|His)\s+Majesty{APOSTROPHE}s\s+Inspectors)?)\s+(.+)$",
            sentence,
            re.I,
        )
        if match:
            names = people_named(match.group(1))
            if names:
                return names
    return []


def visit_windows(sentences: list[str], published: dt.date | None) -> list[tuple[dt.date | None, dt.date | None]]:
    """The visit's dates from the sentence that reports it: '... children's services on 27 and 28 October 2021'."""
    for sentence in sentences:
        if not re.search(r"\bvisit\b", sentence, re.I):
            continue
        # "on the 15 and 16 of May 2018" as "on 15 and 16 May 2018"
        sentence = re.sub(r"\b(on|between|from) the (?=\d)", r"\1 ", sentence)
        sentence = re.sub(rf"(\d)(st|nd|rd|th)? of (?={MONTHS})", r"\1\2 ", sentence)
        for pattern in (r"\d{4}", rf"(?:{MONTHS})"):
            match = re.search(
                rf"\b(?:on|between|from)\s+(\d{{1,2}}(?:st|nd|rd|th)?\b[^.]{{0,45}}{pattern})\b", sentence
            )
            if match:
                windows = parse_visits(match.group(1), published)
                if windows and windows[0][1] is not None:
                    return [_plausible(start, end) for start, end in windows]
    return []


def _plausible(start: dt.date | None, end: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """A visit lasts days: '24 October 2022 to 25 October 2023' is a typed year, read in the end's year."""
    if start is not None and end is not None and (end - start).days > 31 and start.year < end.year:
        try:
            moved = start.replace(year=end.year)
        except ValueError:
            return start, end
        if 0 <= (end - moved).days <= 31:
            return moved, end
    return start, end


def theme_of(sentences: list[str]) -> str | None:
    """What the visit looked at, in the letter's own words ('care leavers', 'services delivered at the front
    door'), without its evidence sentences ('a range of evidence')."""
    for sentence in sentences:
        match = THEME.search(sentence)
        if not match:
            continue
        phrase = match.group(1).strip()
        if re.match(r"(a range of|a sample of|children['’]s case records|evidence)\b", phrase, re.I):
            continue
        phrase = BULLET.split(phrase)[0] if BULLET.search(phrase) else phrase
        phrase = re.split(r"\s*◼", phrase)[0]
        phrase = THEME_END.sub("", phrase).rstrip(" .:;,")
        if phrase:
            return phrase[:1].lower() + phrase[1:] if not phrase[:2].isupper() else phrase
    for sentence in sentences:
        match = PANDEMIC_THEME.search(sentence)
        if match:
            return f"{match.group(1)} during the COVID-19 pandemic"
    return None


def prior_judgement(sentences: list[str]) -> PriorJudgement | None:
    """What the letter says the last inspection found: 'Somerset children's services were last inspected by Ofsted
    in November 2017, when the overall effectiveness of services was judged to require improvement to be good.'"""
    for sentence in sentences:
        if not LAST_INSPECTION.search(sentence):
            continue
        match = GRADE_PHRASE.search(sentence)
        if not match:
            continue
        words = re.sub(r"requir\w+\s+improvement", "requires improvement", match.group(1).lower())
        grade = grade_from_word(words)
        if grade is None:
            continue
        # The judgement is the one the sentence names before its grade ("the adoption service, which was judged
        # inadequate"); the local authority or its services as a whole is the overall judgement.
        if re.search(r"\boverall\b", sentence[: match.end() + 10], re.I):
            key = "overall"
        else:
            key = judgement_key(sentence[: match.start()]) or "overall"
        when = WHEN.search(sentence)
        return PriorJudgement(judgement=key, grade=grade, inspected=when.group(1) if when else None, sentence=sentence)
    return None


def parse_letter(pages: list[list[str]], source: str, kind: ReportType) -> Report:
    pages, notes = _letter_footnotes(pages)
    lines = _without_furniture(pages)
    dear = next((i for i, (_, line) in enumerate(lines) if DEAR.match(line)), None)
    if dear is None:
        raise ReportError(source, "a visit letter without its 'Dear ...' line; this layout is not one this app reads")
    # pdfium can give the letter's date and addressee after its body: where the page prints them above "Dear", they
    # are its header all the same.
    salutation = layout_of(lines[dear][1])
    raised = {
        i
        for i, (page, line) in enumerate(lines)
        if i > dear
        and salutation is not None
        and page == lines[dear][0]
        and (placed := layout_of(line)) is not None
        and placed.baseline > salutation.baseline + 1
    }
    header = [line.strip() for _, line in lines[:dear]] + [lines[i][1].strip() for i in sorted(raised)]
    lines = [entry for i, entry in enumerate(lines) if i not in raised]
    published = next((parse_date(line) for line in header if DATE_LINE.match(line)), None)
    end = next((i for i, (_, line) in enumerate(lines) if i > dear and SIGN_OFF.match(line)), None)
    if end is None:
        end = _unsigned_off(lines)
        signature = [line.strip() for _, line in lines[end:] if line.strip()]
    else:
        signature = [line.strip() for _, line in lines[end + 1 :] if line.strip()]
    signatory = signature[0] if signature and not ROLE.match(signature[0]) and len(signature[0].split()) <= 5 else None

    blocks = _blocks(lines[dear + 1 : end])
    if not blocks or not LETTER_KIND.search(blocks[0][0][1]):
        raise ReportError(source, "a visit letter without its title line; this layout is not one this app reads")
    # The title may wrap; without the layout's spaces, the opening paragraph follows it in the same block.
    taken = 1
    while taken < min(3, len(blocks[0])) and not re.search(r"services\.?$", blocks[0][taken - 1][1]):
        taken += 1
    title = join_parts([line for _, line in blocks[0][:taken]]).rstrip(".")
    body = ([blocks[0][taken:]] if blocks[0][taken:] else []) + blocks[1:]

    builder, recommending, dashed = _read_parts(body)

    sentences = [s for p in builder.paragraphs if p.section == 0 for s in _sentences(join_parts(p.parts))]
    all_sentences = [s for p in builder.paragraphs for s in _sentences(join_parts(p.parts))]
    warnings: list[str] = []
    authority = (
        authorities.find_in(title)
        or authorities.find_in(" ".join(sentences[:2]))
        or authorities.find_in(" ".join(header))
    )
    if authority is not None:
        name, code = authority.name, authority.code
    else:
        printed = re.search(
            rf"visit (?:to|of) (?:the )?(.+?)(?:{APOSTROPHE}s)?\s+(?:local authority\s+)?children", title
        )
        name, code = (printed.group(1) if printed else "Unknown authority"), None
        warnings.append(f"authority not identified: {name!r} is not in the LA table")
    windows = visit_windows(sentences or all_sentences, published)
    if not windows:
        warnings.append("no visit dates found")
    named = inspectors_named(sentences or all_sentences)
    if not named:
        warnings.append("no inspectors named")
    lead_inspector = (
        signatory if signatory and (not named or signatory in named) else (named[0] if named else signatory)
    )
    theme = theme_of(sentences or all_sentences)
    if theme is None:
        warnings.append("the theme of the visit was not found")
    prior = prior_judgement(all_sentences)
    start = windows[0][0] if windows else None
    finish = windows[-1][1] if windows else None
    framework: Framework = "ilacs" if (published or finish or dt.date.max) >= dt.date(2018, 1, 1) else "sif"

    label = kind.replace("_", "-")
    rid = report_id(name if code else f"{name} unidentified", published, finish)
    rid = rid.replace(slug(name), f"{slug(name)}-{label}", 1)
    to_improve = [
        p for p in builder.paragraphs if recommending[p.section or 0] and not CLOSING.match(join_parts(p.parts))
    ]
    sections, paragraphs = builder.build(rid)
    paragraphs = _ids_by_section(paragraphs, rid)
    _attach_footnotes(paragraphs, sections, notes)
    kept = {id(p): i for i, p in enumerate(builder.paragraphs)}
    recommendations = []
    for raw in to_improve:
        if id(raw) not in kept:
            continue
        paragraph = paragraphs[kept[id(raw)]]
        timescale: Timescale | None = (
            "immediately" if re.search(r"priority action", (sections[raw.section or 0].title), re.I) else None
        )
        if id(raw) in dashed:  # one recommendation and its dashed parts
            texts = ["\n".join([paragraph.text, *(f"- {item}" for item in paragraph.items)])]
        else:
            texts = paragraph.items or [paragraph.text]
        for text in texts:
            recommendations.append(Recommendation("children", timescale, text))
    return Report(
        id=rid,
        source=source,
        framework=framework,
        authority=name,
        title=title,
        published=iso(published),
        inspection_start=iso(start),
        inspection_end=iso(finish),
        lead_inspector=lead_inspector,
        sections=sections,
        paragraphs=paragraphs,
        judgements=[],
        recommendations=recommendations,
        warnings=warnings,
        footnotes=[note for note, _ in notes],
        authority_code=code,
        report_type=kind,
        visits=[[iso(a), iso(b)] for a, b in windows],
        inspectors=named or ([signatory] if signatory else []),
        theme=theme,
        prior=prior,
    )


DASH_ITEM = re.compile(r"^[⎯–‒]\s+(.*)$")
SIGNING_OFF = re.compile(rf"{CLOSING.pattern}|^I am copying this letter\b", re.I)


def _closing_apart(block: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """The letter's closing words ("Ofsted will take the findings …", "I am copying this letter …") are paragraphs
    of their own, which a layout can set as close under the last finding as its lines."""
    cuts = [i for i, (_, line) in enumerate(block) if i and SIGNING_OFF.match(line.strip())]
    return [block[a:b] for a, b in zip([0, *cuts], [*cuts, len(block)])]


def _unsigned_off(lines: list[tuple[int, str]]) -> int:
    """Where a letter printed without "Yours sincerely" ends: before its signature, a name over the inspector's role
    ("Kate Malleson" / "Her Majesty's Inspector"); else at its end."""
    printed = [i for i, (_, line) in enumerate(lines) if line.strip()]
    if len(printed) >= 2:
        name, role = (lines[i][1].strip() for i in printed[-2:])
        if ROLE.match(role) and len(name.split()) <= 5 and not re.search(r"[.,;:]$", name) and not ROLE.match(name):
            return printed[-2]
    return len(lines)


def _read_parts(body: list[list[tuple[int, str]]]) -> tuple[Builder, list[bool], set[int]]:
    """The letter's blocks as sections and paragraphs. Its opening is the "Introduction"; a part's heading
    (PART) starts a section, any other heading is a sub-heading of the part it is in. Also, per section, whether it
    lists what needs to improve, and the paragraphs (by id()) whose items are dashed parts of it."""
    builder = Builder()
    top = builder.heading(INTRODUCTION, None)
    in_part = False
    dashed: int | None = None  # the paragraph whose items are dashed parts ("⎯ the child's written plan")
    parts: set[int] = set()  # every such paragraph
    recommending: list[bool] = [False]  # per section: does it list what needs to improve?
    for block in [part for whole in body for part in _closing_apart(whole)]:
        builder.page = block[0][0]
        heading = _heading(block)
        if heading is not None:
            title_text = heading.rstrip(" :.")
            block = block[1:]
            if PART.match(title_text) or not in_part:
                top = builder.heading(title_text, None)
                in_part = True
                recommending.append(bool(TO_IMPROVE.search(title_text)))
            else:
                builder.heading(title_text, top)
                recommending.append(recommending[top])
            if not block:
                continue
        lead = [
            line
            for _, line in block[: next((i for i, (_, text) in enumerate(block) if BULLET.match(text)), len(block))]
        ]
        rest = block[len(lead) :]
        previous = builder.paragraphs[-1] if builder.paragraphs else None
        as_items = bool(lead)
        numbered = NUMBERED.match(lead[0]) if lead else None
        dash = DASH_ITEM.match(lead[0]) if lead else None
        if (
            dash
            and previous is not None
            and previous.section == builder.section
            and (join_parts(previous.parts).endswith(":") or previous.items)
        ):
            # "⎯ the child's written plan": a part of the item before it ("…, including:"), set apart by space.
            builder.target = (len(builder.paragraphs) - 1, None)
            builder.item(join_parts([dash.group(1)] + lead[1:]))
            dashed = len(builder.paragraphs) - 1
            parts.add(dashed)
            lead = []
        elif numbered:  # a few letters number their findings
            builder.paragraph(int(numbered.group(1)), join_parts([numbered.group(2)] + lead[1:]))
        elif lead:
            builder.paragraph(None, join_parts(lead))
        elif (
            previous is not None
            and previous.section == builder.section
            and join_parts(previous.parts).endswith(":")
            and dashed != len(builder.paragraphs) - 1  # its list was of dashes: a bullet now is the next finding
        ):  # (bullets set apart by space each come as a block: all go on the list their lead-in opened)
            builder.target = (len(builder.paragraphs) - 1, None)  # bullets after a lead-in ending in ':' are its items
            as_items = True
        # Bullets under a lead-in are its items; bullets straight under a heading are paragraphs in their own right
        # (the 2018-2019 letters write every finding as one).
        for page, line in rest:
            bullet = BULLET.match(line)
            builder.page = page
            if bullet and as_items:
                builder.item(bullet.group(1))
            elif bullet:
                builder.paragraph(None, bullet.group(1))
            else:
                builder.text(line)

    return builder, recommending, {id(p) for i, p in enumerate(builder.paragraphs) if i in parts}


def _ids_by_section(paragraphs: list, rid: str) -> list:
    """Unnumbered paragraphs keep ids that name their section: '<report>/headline-findings/para-2'. An edit the
    importer learns in one part of a letter then moves no note in another."""
    counts: dict[str | None, int] = {}
    for paragraph in paragraphs:
        if paragraph.number is not None:
            continue
        counts[paragraph.section] = counts.get(paragraph.section, 0) + 1
        paragraph.id = f"{paragraph.section or rid}/para-{counts[paragraph.section]}"
    return paragraphs
