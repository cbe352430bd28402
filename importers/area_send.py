"""Area SEND inspections: Ofsted and the CQC on a local area partnership's arrangements for children and young people
with special educational needs and/or disabilities.

Since 2023 a report: "Area SEND inspection of Bedford Borough Local Area Partnership" in large type, the inspection
dates, the outcome (one of three, in fixed words) and when the next full inspection will be, then its parts ("What is
it like to be a child or young person with SEND in this area?", "What is the area partnership doing that is
effective?", "What does the area partnership need to do better?", "Areas for priority action", "Areas for
improvement", the partnership's details and the inspection team). The 2016-2022 framework wrote letters instead
("Joint local area SEND inspection in ...", and revisits), with no outcome of the three: they are read as letters
(importers/jtai.py) as far as they go, their missing outcome said in a warning.

Every rule is measured over all the sample reports with bench/corpus_other.py; none names a file.
"""

from __future__ import annotations

import datetime as dt
import re

from ofsted_reader.core.model import Report
from ofsted_reader.core.vocabulary import Framework, SendOutcome

from .dates import iso
from .errors import ReportError
from .joint_body import (
    Block,
    blocks_of,
    body_pages,
    inspection_window,
    inspectorates_in,
    partnership_authorities,
    read_report_body,
)
from .jtai import DEAR, parse_area_letter
from .pdf_extract import layout_of

# "Area SEND inspection of ...", and the monitoring inspection that follows an outcome of failings.
TITLE = re.compile(r"\bArea SEND (?:monitoring )?inspection of\b", re.I)
# The 2016-2022 framework's letters: "Joint local area SEND inspection in Derbyshire", "... SEND revisit in ...".
OLD_TITLE = re.compile(r"^\s*(?:Joint\s+)?local area SEND (?:inspection|re-?visit)\b", re.I)
# The three outcomes' fixed words.
OUTCOMES: list[tuple[SendOutcome, re.Pattern[str]]] = [
    ("positive", re.compile(r"typically lead to positive experiences and outcomes", re.I)),
    ("inconsistent", re.compile(r"lead to inconsistent experiences and outcomes", re.I)),
    ("failings", re.compile(r"widespread and/or systemic failings", re.I)),
]
NEXT = re.compile(
    r"next full (?:area SEND )?(?:re-?)?inspection will be (within approximately (\w+) (years?|months?))", re.I
)
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eighteen": 18}
PARTNERSHIP = re.compile(r"\s*\b(?:local\s+area\s+)?partnership\b.*$", re.I)
LARGE = 15.0  # points: the title's type is 16 to 26; the body's is 12


def is_area_send(first_page: list[str]) -> bool:
    """Page one is an area SEND inspection: the 2023 report's title, or a 2016-2022 letter's."""
    head = [line.strip() for line in first_page[:60] if line.strip()]
    joined = " ".join(head[:12])
    return bool(TITLE.search(joined)) or (
        any(DEAR.match(line) for line in head) and any(OLD_TITLE.match(line) for line in head)
    )


def parse_area_send(pages: list[list[str]], source: str) -> Report:
    head = [line.strip() for line in pages[0][:60] if line.strip()]
    if not TITLE.search(" ".join(head[:12])):
        report = parse_area_letter(pages, source, "area_send", OLD_TITLE)
        report.warnings.append(
            "an area SEND inspection of the 2016-2022 framework: it gives none of the three outcomes published "
            "since 2023, so it has no outcome here"
        )
        return report
    blocks = blocks_of(body_pages(pages))
    titled = [b for b in blocks[:6] if b.page == 1 and b.size >= LARGE]
    if not titled:
        raise ReportError(source, "an area SEND inspection without its title; this layout is not one this app reads")
    title = " ".join(b.text for b in titled)
    body = [b for b in blocks if b not in titled and not _kicker(b, titled)]
    fields, body = _fields(body)
    warnings: list[str] = []

    partnership = PARTNERSHIP.sub("", re.sub(r"^.*?\binspection of\s+(?:the\s+)?", "", title, flags=re.I))
    found = partnership_authorities(partnership) or partnership_authorities(title)
    if found:
        name, code = found[0].name, found[0].code
        if len(found) > 1:
            warnings.append(f"the partnership also covers {', '.join(a.name for a in found[1:])}")
    else:
        name, code = partnership.strip() or "Unknown authority", None
        warnings.append(f"authority not identified: {name!r} is not in the LA table")

    start, finish = inspection_window(fields.get("dates", ""))
    if finish is None:
        warnings.append("no inspection dates found")
    text = " ".join(b.text for b in body)
    outcome = next((o for o, pattern in OUTCOMES if pattern.search(text)), None)
    if outcome is None:
        monitoring = re.search(r"\bmonitoring inspection of\b", title, re.I)
        warnings.append(
            "a monitoring inspection: it gives none of the three outcomes"
            if monitoring
            else "the inspection outcome was not found"
        )
    nxt = NEXT.search(text)
    next_inspection = nxt.group(1) if nxt else None
    next_by = _after(finish, nxt.group(2), nxt.group(3)) if nxt else None
    inspectorates = inspectorates_in(text)

    rid, read = read_report_body(body, name, code, None, finish, "area-send", None, warnings)
    team = _team(body)
    framework: Framework = "ilacs"
    return Report(
        id=rid,
        source=source,
        framework=framework,
        authority=name,
        title=title,
        published=None,
        inspection_start=iso(start),
        inspection_end=iso(finish),
        lead_inspector=team[0] if team else None,
        sections=read.sections,
        paragraphs=read.paragraphs,
        judgements=[],
        recommendations=read.recommendations,
        warnings=warnings,
        authority_code=code,
        report_type="area_send",
        visits=[[iso(start), iso(finish)]] if finish else [],
        inspectors=team,
        inspectorates=inspectorates,
        outcome=outcome,
        next_inspection=next_inspection,
        next_inspection_by=iso(next_by),
    )


def _kicker(block: Block, titled: list[Block]) -> bool:
    """The small line above the title ('Local area partnership report')."""
    return block.page == 1 and bool(titled) and block.size < LARGE and block is not titled[0] and _before(block, titled)


def _before(block: Block, titled: list[Block]) -> bool:
    first, mine = layout_of(titled[0].lines[0]), layout_of(block.lines[0])
    return first is not None and mine is not None and mine.baseline > first.baseline


def _fields(blocks: list[Block]) -> tuple[dict[str, str], list[Block]]:
    """Page one's fields ('Inspection dates: ...', 'Dates of previous inspection: ...') apart from the body."""
    fields: dict[str, str] = {}
    out = []
    for block in blocks:
        match = re.match(r"^\s*(Inspection dates?|Dates? of previous inspections?)\s*:\s*(.*)$", block.text, re.I)
        if block.page == 1 and match:
            fields["dates" if match.group(1).lower().startswith("inspection") else "previous"] = block.text
            continue
        out.append(block)
    return fields, out


def _after(end: dt.date | None, number: str, unit: str) -> dt.date | None:
    """The day `number` years or months after the inspection's last day."""
    count = int(number) if number.isdigit() else NUMBERS.get(number.lower())
    if end is None or count is None:
        return None
    months = count * 12 if unit.lower().startswith("year") else count
    year, month = divmod(end.month - 1 + months, 12)
    day = min(end.day, 28) if month + 1 == 2 else min(end.day, 30) if end.day == 31 else end.day
    return dt.date(end.year + year, month + 1, day)


TEAM_ROLE = re.compile(r",?\s*(?:Ofsted\s+)?(?:HMI|Ofsted Inspector|CQC\b|Lead inspector|inspector)\b.*$", re.I)


def _team(blocks: list[Block]) -> list[str]:
    """The inspection team's names, the Ofsted lead first: the table under 'Inspection team' (Ofsted | CQC)."""
    start = next((i for i, b in enumerate(blocks) if b.heading and re.match(r"inspection team", b.text, re.I)), None)
    if start is None:
        return []
    names: list[str] = []
    lead: str | None = None
    for block in blocks[start + 1 :]:
        if block.heading and not re.search(r"ofsted|care quality", block.text, re.I):
            break
        for line in block.lines:
            placed = layout_of(line)
            cells = placed.cells if placed is not None and placed.cells else _halves(line)
            for cell in cells:
                name = TEAM_ROLE.sub("", cell).strip(" ,")
                if re.search(r"\b(Ofsted|Commission|Quality)\b", name):
                    continue  # the table's head
                if re.fullmatch(r"[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)+", name):
                    names.append(name)
                    if lead is None and re.search(r"HMI.*lead inspector", cell, re.I):
                        lead = name
    if lead is not None:
        names.remove(lead)
        names.insert(0, lead)
    return names


def _halves(line: str) -> list[str]:
    """A row of the two-column team table pdfium gave as one line: 'A, HMI, Lead inspector B, CQC Lead inspector'."""
    return re.split(r"(?<=inspector|Inspector)\s+(?=[A-Z])|(?<=HMI)\s+(?=[A-Z][a-z]+\s+[A-Z])", line.strip())
