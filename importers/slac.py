"""Text reports of the 2009-2012 framework: "Inspection of safeguarding and looked after children services".

The text was extracted from the published PDFs, so it carries the PDF's accidents: a page break splits a
paragraph (its text goes on after a blank line, with no number), grades stand on their own line or are glued to
their heading, sometimes in markdown bold. The rules below follow the layout Ofsted used for the whole framework
rather than any one report: the Contents list names the headings, numbered lines open paragraphs, everything
else that is not a heading continues the paragraph (or bullet item) before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ofsted_reader.core import authorities
from ofsted_reader.core.grades import SLAC_GRADE_WORDS, grade_from_word
from ofsted_reader.core.model import Judgement, Recommendation, Report
from ofsted_reader.core.vocabulary import SLAC_SERVICES, Framework, Service, Timescale

from .builder import Builder, build_sections
from .dates import iso, parse_date, parse_date_range
from .errors import ReportError
from .ids import normalise_title, report_id
from .patterns import TIMESCALE, read_timescale

FRAMEWORK: Framework = "slac"
TITLE = re.compile(r"inspection of safeguarding and looked after children services", re.I)

NUMBERED = re.compile(r"^(\d{1,3})\.(?:\s+|(?=[A-Z‘'\"“(]))(\S.*)$")
BULLET = re.compile(r"^[-•▪●·*]\s+(.*\S)\s*$")
FOOTNOTE = re.compile(r"^[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s*\S")
# "Grade 2 (Good)" alone, or after a heading: "Ambition and prioritisation**Grade 2 (Good)**".
GRADED = re.compile(r"^(?P<title>.*?)[\s*]*\bgrade\s*(?P<grade>[1-4])\s*\((?P<label>[^)]*)\)[\s*.]*$", re.I)
SCALE_ROW = re.compile(rf"^({SLAC_GRADE_WORDS})\s*\(grade\s*[1-4]\)", re.I)
# A Markdown table rule ('|---|:--|'). Two patterns, each linear: the single '[\s|:\-]*-{3,}[\s|:\-]*' took
# 20 s on a line of 3,000 dashes and a letter, its three runs matching the same dashes every way.
_RULE_CHARS = re.compile(r"[\s|:\-]+")
_DASHES = re.compile(r"-{3}")


class _TableRule:
    @staticmethod
    def match(line: str) -> bool:
        return bool(_RULE_CHARS.fullmatch(line)) and bool(_DASHES.search(line))


TABLE_RULE = _TableRule()
SERVICE = re.compile(
    r"^(?:the inspection outcomes:\s*)?(safeguarding services|services for looked after children)$", re.I
)
STRUCTURAL = re.compile(r"^(areas for improvement|record of main findings\b.*|contents)$", re.I)
CONTENTS_ENTRY = re.compile(
    r"^(?:(?P<num>\d{1,2}|[a-z])\.\s+)?(?P<title>\S.*?)[\s.]*(?:\t+|\s{2,}|\s)(?P<page>\d{1,3})$"
)
METADATA = re.compile(
    r"^(inspection dates?|reporting inspector|lead inspector|age group|published|©|website|"
    r"this document may be reproduced|further copies)",
    re.I,
)
# A table row may also end in the later scale's "requires improvement", matched as written (one space, no "to be good").
JUDGEMENT_ROW = re.compile(rf"^(?P<name>.*\S)\s+(?P<word>{SLAC_GRADE_WORDS}|requires improvement)$", re.I)


def service_of(title: str) -> Service:
    return "safeguarding" if "safeguarding" in title.lower() else "looked_after"


@dataclass
class _Heading:
    title: str
    grade: int | None = None
    label: str | None = None
    level: int | None = None  # from a numbered Contents list (2010 layout), else None
    service: Service | None = None
    is_service: bool = False
    parent: int | None = None
    line: int = 0


@dataclass
class _State:
    headings: list[_Heading] = field(default_factory=list)
    # Paragraphs, bullet items and continuation text, as the PDF importer collects them too.
    builder: Builder = field(default_factory=Builder)
    footnotes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # (paragraph index, item index, service, timescale) of bullets under "Areas for improvement".
    recommendations: list[tuple[int, int, Service | None, Timescale | None]] = field(default_factory=list)
    heading: int | None = None
    service: Service | None = None
    timescale: Timescale | None = None
    paragraph_since_heading: bool = False


def looks_like_slac(text: str) -> bool:
    head = "\n".join(text.split("\n", 60)[:60])
    return bool(TITLE.search(head))


def parse_text(text: str, source: str) -> Report:
    lines = [line.rstrip() for line in text.split("\n")]
    meta = _metadata(lines, source)
    contents, body_start = _contents(lines)
    if body_start is None:
        # No Contents list: the body starts under the cover page, whose lines are skipped as metadata.
        body_start = meta["title_line"] + 1
    state = _State()
    table_start = _body(lines, body_start, contents, state, meta["authority"])
    judgements = _judgements(lines[table_start:], state) if table_start is not None else []
    if not any(p.number is not None for p in state.builder.paragraphs):
        raise ReportError(source, "no numbered paragraphs found; is this a complete report?")
    _assign_parents(state, judgements, numbered_contents=any(level for level in contents.values()))
    _check_grades(state, judgements)

    found = authorities.identify(meta["authority"])
    if found is None:
        meta["warnings"].append(
            f"authority not identified: {meta['authority']!r} is not in the table of English local authorities"
        )
    else:
        meta["authority"] = found.name
    rid = report_id(
        meta["authority"] if found else f"{meta['authority']} unidentified", meta["published"], meta["inspection_end"]
    )
    sec_ids, sections = build_sections(rid, state.headings)
    paragraphs = state.builder.build_paragraphs(rid, sec_ids)
    recommendations = [
        Recommendation(service=service, timescale=timescale, text=paragraphs[pi].items[ii])
        for pi, ii, service, timescale in state.recommendations
    ]
    _check_numbering(state)
    return Report(
        id=rid,
        source=source,
        framework=FRAMEWORK,
        authority=meta["authority"],
        title=meta["title"],
        published=iso(meta["published"]),
        inspection_start=iso(meta["inspection_start"]),
        inspection_end=iso(meta["inspection_end"]),
        lead_inspector=meta["lead_inspector"],
        sections=sections,
        paragraphs=paragraphs,
        judgements=judgements,
        recommendations=recommendations,
        footnotes=state.footnotes,
        warnings=meta["warnings"] + state.warnings,
        authority_code=found.code if found else None,
        visits=[[iso(meta["inspection_start"]), iso(meta["inspection_end"])]] if meta["inspection_end"] else [],
    )


# --- front matter ---------------------------------------------------------------------------------------------


def _metadata(lines: list[str], source: str) -> dict:
    """Title, authority, dates and inspector from the cover page (the lines before Contents)."""
    found: dict = {"warnings": []}
    title_line = None
    for index, line in enumerate(lines[:80]):
        if TITLE.search(line):
            title_line = index
            break
    if title_line is None:
        raise ReportError(
            source,
            "not an Ofsted report of the 2009-2012 framework (no 'Inspection of safeguarding and looked after "
            "children services' title); give a report text or PDF",
        )
    line = lines[title_line].strip()
    match = TITLE.search(line)
    assert match is not None  # the line was chosen for holding the title
    found["title"] = match.group(0)
    authority = line[match.end() :].strip(" :–-\t")
    if not authority:
        # The 2011 Derby layout prints the authority on a line of its own under the title.
        for following in lines[title_line + 1 : title_line + 6]:
            if following.strip() and not METADATA.match(following.strip()):
                authority = following.strip()
                break
    if not authority:
        found["warnings"].append("no local authority named under the title")
        authority = "Unknown authority"
    found["authority"] = authority
    found["title_line"] = title_line

    def field_value(pattern: str) -> str | None:
        regex = re.compile(rf"^{pattern}\s*:?\s*(.*\S)\s*$", re.I)
        for candidate in lines[title_line : title_line + 60]:
            m = regex.match(candidate.strip())
            if m:
                return m.group(1)
        return None

    published_text = field_value(r"published")
    published = parse_date(published_text) if published_text else None
    if published_text and not published:
        found["warnings"].append(f"publication date not understood: {published_text!r}")
    found["published"] = published
    dates_text = field_value(r"inspection dates?")
    start = end = None
    if dates_text:
        start, end = parse_date_range(dates_text, published)
        if end is None:
            found["warnings"].append(f"inspection dates not understood: {dates_text!r}")
    found["inspection_start"], found["inspection_end"] = start, end
    inspector = field_value(r"(?:reporting|lead)\s+inspector")
    if inspector:
        inspector = re.sub(r",?\s+\b(HMI|Her Majesty's Inspector)\b\.?$", "", inspector).strip()
    found["lead_inspector"] = inspector or None
    return found


def _contents(lines: list[str]) -> tuple[dict[str, int | None], int | None]:
    """The Contents list: normalised title -> level from its numbering ('1.' 2, 'a.' 3, none None)."""
    entries: dict[str, int | None] = {}
    for index, line in enumerate(lines[:200]):  # noqa: B007 - index is read after the loop
        if line.strip().lower() == "contents":
            break
    else:
        return entries, None
    position = index + 1
    while position < len(lines):
        text = lines[position].strip()
        match = CONTENTS_ENTRY.match(text)
        if match and len(text) < 200:
            num = match.group("num")
            level = None if num is None else (3 if num.isalpha() else 2)
            entries.setdefault(normalise_title(match.group("title")), level)
        elif text and entries:
            break
        position += 1
    return entries, position


# --- body -----------------------------------------------------------------------------------------------------


def _matches_contents(title: str, contents: dict[str, int | None]) -> tuple[bool, int | None]:
    key = normalise_title(title)
    if not key:
        return False, None
    if key in contents:
        return True, contents[key]
    for entry, level in contents.items():
        if abs(len(entry) - len(key)) <= 12 and fuzz.ratio(entry, key) >= 90:
            return True, level
    return False, None


def _next_nonblank(lines: list[str], index: int) -> str:
    for line in lines[index + 1 : index + 4]:
        if line.strip():
            return line.strip()
    return ""


def _looks_like_heading(line: str, next_line: str, has_contents: bool) -> bool:
    """A heading the Contents does not name: short, unpunctuated, and followed by its grade or first paragraph."""
    if not _short_unpunctuated(line):
        return False
    graded = GRADED.match(next_line)
    if graded and not graded.group("title").strip(" *.:"):
        return True
    if has_contents:
        return False
    # Without a Contents list: a heading is followed by its first paragraph or by a subheading.
    return bool(NUMBERED.match(next_line) or GRADED.match(next_line) or _short_unpunctuated(next_line))


def _short_unpunctuated(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 14 and line[-1] not in ".,;:" and line[0].isupper()


def _body(lines: list[str], start: int, contents: dict[str, int | None], state: _State, authority: str) -> int | None:
    """Walk the body; returns the line where the record of main findings begins, if any."""
    after_blank = True
    for index in range(start, len(lines)):
        line = lines[index].strip()
        if not line:
            after_blank = True
            continue
        was_after_blank, after_blank = after_blank, False
        if TABLE_RULE.match(line):
            continue
        if SCALE_ROW.match(line):
            # The four-point scale under "The inspection judgements and what they mean": one row per item of the
            # paragraph that introduces it ("... using the following four point scale."), the grade and its meaning.
            _add_scale_row(state, line)
            continue
        if not state.builder.paragraphs and (METADATA.match(line) or line == authority):
            continue
        if FOOTNOTE.match(line):
            state.footnotes.append(line)
            continue
        numbered = NUMBERED.match(line)
        if numbered:
            _open_paragraph(state, int(numbered.group(1)), numbered.group(2))
            continue
        bullet = BULLET.match(line)
        if bullet:
            _add_item(state, bullet.group(1))
            continue
        timescale = TIMESCALE.match(line)
        if timescale:
            state.timescale = read_timescale(timescale)
            continue
        graded = GRADED.match(line)
        if graded and not graded.group("title").strip(" *.:"):
            _grade_heading(state, graded, index)
            continue
        title = graded.group("title").strip(" *.:\t") if graded else line
        in_contents, level = _matches_contents(title, contents)
        if (
            graded
            or in_contents
            or STRUCTURAL.match(line)
            or SERVICE.match(line)
            or (was_after_blank and _looks_like_heading(line, _next_nonblank(lines, index), bool(contents)))
        ):
            if re.match(r"^record of main findings", title, re.I):
                return index + 1
            if title.lower() == "contents":
                continue
            _open_heading(state, title, level, index)
            if graded:
                _grade_heading(state, graded, index)
            continue
        _continue_text(state, line)
    return None


def _open_heading(state: _State, title: str, level: int | None, line: int) -> None:
    is_service = bool(SERVICE.match(title))
    if is_service:
        state.service = service_of(title)
    state.headings.append(_Heading(title=title, level=level, service=state.service, is_service=is_service, line=line))
    state.heading = len(state.headings) - 1
    state.timescale = None
    state.paragraph_since_heading = False
    state.builder.section, state.builder.target = state.heading, None


def _grade_heading(state: _State, graded: re.Match, line: int) -> None:
    grade, label = int(graded.group("grade")), graded.group("label").strip()
    if state.heading is None or state.paragraph_since_heading:
        state.warnings.append(f"line {line + 1}: grade '{graded.group(0).strip()}' has no heading; ignored")
        return
    heading = state.headings[state.heading]
    if heading.grade is not None and heading.grade != grade:
        state.warnings.append(
            f"section '{heading.title}' is graded twice ({heading.grade} and {grade}); kept the first"
        )
        return
    heading.grade, heading.label = grade, label


def _open_paragraph(state: _State, number: int | None, text: str) -> None:
    state.builder.paragraph(number, text)
    state.paragraph_since_heading = True


def _add_item(state: _State, text: str) -> None:
    if state.builder.target is None:
        _open_paragraph(state, None, "")
    pi, ii = state.builder.item(text)
    heading = state.headings[state.heading] if state.heading is not None else None
    if heading is not None and heading.title.lower() == "areas for improvement":
        state.recommendations.append((pi, ii, state.service, state.timescale))


def _add_scale_row(state: _State, line: str) -> None:
    cells = [cell.strip(" |") for cell in re.split(r"\t+|\s{2,}|\s*\|\s*", line) if cell.strip(" |")]
    row = ": ".join(cells) if len(cells) > 1 else line.strip()
    if state.builder.target is None:
        _open_paragraph(state, None, "")
    state.builder.item(row)


def _continue_text(state: _State, text: str) -> None:
    """Text with no number: the rest of the paragraph or item a page break cut off."""
    if state.builder.target is None:
        _open_paragraph(state, None, text)
    else:
        state.builder.text(text)


# --- record of main findings ----------------------------------------------------------------------------------


def _judgements(lines: list[str], state: _State) -> list[Judgement]:
    """The tab-separated table at the end. Its group lines are unreliable: a block that begins with
    "Overall effectiveness" starts the next service, whatever the line above it says."""
    order: list[Service] = []
    for heading in state.headings:
        if heading.is_service and heading.service and heading.service not in order:
            order.append(heading.service)
    for known in SLAC_SERVICES:
        if known not in order:
            order.append(known)
    block, seen_in_block = 0, 0
    group: str | None = None
    judgements: list[Judgement] = []
    for raw in lines:
        text = raw.strip()
        if not text or TABLE_RULE.match(text):
            continue
        cells = [c.strip() for c in re.split(r"\t+|\s{2,}", text) if c.strip()]
        name, word = (cells[0], cells[-1]) if len(cells) >= 2 else (text, "")
        grade = grade_from_word(word)
        if grade is None:
            row = JUDGEMENT_ROW.match(text)
            if row:
                name, word, grade = row.group("name"), row.group("word"), grade_from_word(row.group("word"))
        if grade is None:
            group = None if SERVICE.match(text) else text
            continue
        if normalise_title(name) == "overall effectiveness" and seen_in_block:
            block, seen_in_block = block + 1, 0
        seen_in_block += 1
        service = order[block] if block < len(order) else order[-1]
        judgements.append(Judgement(service=service, group=group, name=name, grade=grade, label=word))
    return judgements


# --- tree and checks ------------------------------------------------------------------------------------------


def _assign_parents(state: _State, judgements: list[Judgement], numbered_contents: bool) -> None:
    """Services are roots; the 2010 layout numbers its Contents (1., a.) and so gives levels; otherwise an
    ungraded heading followed by graded ones opens a group, and the record of main findings says which
    sections belong to which group."""
    table_group = {
        (j.service, normalise_title(j.name)): normalise_title(j.group) if j.group else None for j in judgements
    }
    table_groups = {_without_article(normalise_title(j.group)) for j in judgements if j.group}
    service_idx = group_idx = level2_idx = None
    headings = state.headings
    for idx, heading in enumerate(headings):
        if heading.is_service:
            service_idx = group_idx = level2_idx = None
            heading.parent = None
            service_idx = idx
            continue
        if service_idx is None:
            heading.parent = None
            continue
        if numbered_contents and heading.level:
            if heading.level == 3 and level2_idx is not None:
                heading.parent = level2_idx
            else:
                heading.parent = service_idx
                level2_idx = idx
            continue
        key = (heading.service, normalise_title(heading.title))
        following = headings[idx + 1] if idx + 1 < len(headings) else None
        if heading.title.lower() == "areas for improvement":
            heading.parent, group_idx = service_idx, None
        elif (
            heading.grade is None and following is not None and following.grade is not None and not following.is_service
        ):
            heading.parent, group_idx = service_idx, idx
        elif _without_article(key[1]) in table_groups:
            # A heading the record of main findings uses as a group stands at the service's level.
            heading.parent, group_idx = service_idx, None
        elif key in table_group:
            wanted = table_group[key]
            heading.parent = service_idx
            if wanted:
                for candidate in range(service_idx + 1, idx):
                    if normalise_title(headings[candidate].title) == wanted:
                        heading.parent = candidate
        else:
            heading.parent = group_idx if group_idx is not None else service_idx


def _without_article(title: str) -> str:
    return title[4:] if title.startswith("the ") else title


def _check_grades(state: _State, judgements: list[Judgement]) -> None:
    """Where the body and the record of main findings disagree, keep both and say so."""
    for judgement in judgements:
        name = normalise_title(judgement.name)
        best, best_score = None, 0.0
        for heading in state.headings:
            if heading.service != judgement.service or heading.grade is None:
                continue
            title = normalise_title(heading.title)
            score = 100.0 if title == name else fuzz.token_set_ratio(title, name)
            if score > best_score:
                best, best_score = heading, score
        if best is not None and best_score >= 95 and best.grade != judgement.grade:
            state.warnings.append(
                f"'{best.title}' ({judgement.service}) is graded {best.grade} ({best.label}) in the text "
                f"but {judgement.grade} ({judgement.label}) in the record of main findings"
            )


def _check_numbering(state: _State) -> None:
    numbers = [p.number for p in state.builder.paragraphs if p.number is not None]
    seen: set[int] = set()
    for number in numbers:
        if number in seen:
            state.warnings.append(f"paragraph {number} appears more than once")
        seen.add(number)
    if numbers:
        missing = sorted(set(range(1, max(numbers) + 1)) - seen)
        if missing:
            shown = ", ".join(str(n) for n in missing[:10]) + (" ..." if len(missing) > 10 else "")
            state.warnings.append(f"paragraph numbers missing: {shown}")
