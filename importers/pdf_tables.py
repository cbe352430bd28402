"""Stage 4: the judgement tables: ILACS's page-one table, the SIF cover and its verdicts, the 2013 record of main
findings."""

from __future__ import annotations

import re

from ofsted_reader.core.grades import GRADE_WORDS, known_grade
from ofsted_reader.core.judgements import judgement_key
from ofsted_reader.core.model import Judgement
from ofsted_reader.core.vocabulary import ReportType

from .builder import join_parts
from .patterns import APOSTROPHE
from .pdf_front import meta_lines
from .pdf_patterns import (
    GRADE_ONLY,
    GRADE_TAIL,
    PARAGRAPH_BREAK,
    SENTENCE_END,
    SIF_ROW_START,
    VERDICT_START,
)

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


# A grade cut by its cell's width, and what it must be once joined to the next line.
WRAPPED_GRADE = re.compile(r"\brequires?(\s+improvement\s+to(\s+be)?)?$", re.I)
GRADE_REST = re.compile(r"^(improvement(\s+to\s+be\s+good)?|to\s+be\s+good|be\s+good|good)\.?$", re.I)
FULL_GRADE = re.compile(r"\brequires?\s+improvement(\s+to\s+be\s+good)?\.?$", re.I)


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
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if WRAPPED_GRADE.search(text) and GRADE_REST.match(following) and FULL_GRADE.search(f"{text} {following}"):
            text, index = f"{text} {following}", index + 1  # "Requires improvement to / be good": not Good
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


def sif_row(line: str) -> bool:
    """A row of the SIF judgement table on a line of its own: its number, a judgement's name and its grade."""
    match = SIF_ROW.fullmatch(line.strip().rstrip("."))
    return bool(match and judgement_key(match.group(2)) not in (None, "lscb"))


def sif_judgements(first_page: list[str], body_lines: list[str], report_type: ReportType) -> list[Judgement]:
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
