"""Letters after a joint targeted area inspection (JTAI, 2016-): Ofsted with the CQC, HMICFRS and HMI Probation on the
multi-agency response to one theme in an area, written to its safeguarding partnership. No grades: the letter's
date, its addressees, "Dear ...", a bold title ("Joint targeted area inspection of Barnsley", or before 2021 "... of
the multi-agency response to abuse and neglect in Central Bedfordshire"), an opening that names the theme, the
dates and the inspectorates, then its parts ("Headline findings", "What needs to improve?", "Strengths", "Main
findings", "Key strengths", "Areas for improvement", practice studies, "Next steps") and the inspectorates'
signatures.

The area SEND inspections of 2016-2022 wrote letters of the same shape (importers/area_send.py reads them here).
Every rule is measured over all the sample letters with bench/corpus_other.py; none names a file.
"""

from __future__ import annotations

import datetime as dt
import re

from ofsted_reader.core.model import Report
from ofsted_reader.core.vocabulary import Framework, ReportType

from .builder import join_parts
from .dates import iso, parse_date
from .errors import ReportError
from .joint_body import (
    MONTHS,
    Block,
    blocks_of,
    body_pages,
    inspection_window,
    inspectorates_in,
    partnership_authorities,
    read_report_body,
    sentences,
)

TITLE = re.compile(r"^\s*Joint targeted area inspection\b", re.I)
DEAR = re.compile(r"^\s*Dear\b")
SIGN_OFF = re.compile(r"^\s*Yours?\s+(sincerely|faithfully)\b", re.I)
DATE_LINE = re.compile(rf"^\s*\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\s+\d{{4}}\s*$")
# The theme in the letter's words: "... (JTAI) of the multi-agency response to serious youth violence in Manchester."
THEME = re.compile(r"\bmulti-agency\s+(?:(?P<also>\w+)\s+and\s+)?responses?\s+to\s+(?P<theme>.+)$", re.I | re.S)
# Next steps name the authority that answers for the area: "We have determined that Manchester local authority is the
# principal authority".
PRINCIPAL = re.compile(r"\bthat\s+(?:the\s+)?(.{3,80}?)\s+is\s+the\s+principal\s+authority", re.I)
# The area the theme is "in" at the end of a title or sentence: "in Bexley", "in the London Borough of Croydon".
PLACE = re.compile(r"\s+in\s+(?:the\s+)?[A-Z][\w'’-]*(?:[\s,-]+(?:of|and|upon|on|the|[A-Z][\w'’-]*))*\s*\.?$")
OPENING = "Introduction"


def is_jtai(first_page: list[str]) -> bool:
    """Page one is a JTAI letter: its bold title under a 'Dear ...' line."""
    head = [line.strip() for line in first_page[:60] if line.strip()]
    dear = next((i for i, line in enumerate(head) if DEAR.match(line)), None)
    return dear is not None and any(TITLE.match(line) for line in head[dear + 1 : dear + 4])


def parse_jtai(pages: list[list[str]], source: str, kind: ReportType = "jtai") -> Report:
    return parse_area_letter(pages, source, kind, TITLE)


def parse_area_letter(pages: list[list[str]], source: str, kind: ReportType, title_pattern: re.Pattern[str]) -> Report:
    """A letter to an area's partnership: its header (the date and the addressees) down to "Dear ...", its title,
    its parts, down to the sign-off."""
    blocks = _salutation_apart(blocks_of(body_pages(pages)))
    dear = next((i for i, b in enumerate(blocks) if DEAR.match(b.lines[0])), None)
    if dear is None:
        raise ReportError(source, "a letter without its 'Dear ...' line; this layout is not one this app reads")
    header = [line.strip() for block in blocks[:dear] for line in block.lines]
    published = next((parse_date(line) for line in header if DATE_LINE.match(line)), None)
    end = next((i for i, b in enumerate(blocks) if i > dear and SIGN_OFF.match(b.lines[0])), len(blocks))
    body = blocks[dear + 1 : end]
    titled = next((i for i, b in enumerate(body[:3]) if title_pattern.match(b.lines[0])), None)
    if titled is None:
        raise ReportError(source, "a letter without its title line; this layout is not one this app reads")
    title_block, after_title = _split_title(body[titled])
    title = re.sub(r"\s*\.$", "", title_block.text)
    rest = body = after_title + body[titled + 1 :]
    opening = _opening(rest)
    opening_text = " ".join(b.text for b in opening)
    salutation = blocks[dear].text
    warnings: list[str] = []

    found = (
        partnership_authorities(_place(title) or "")
        or partnership_authorities(_after_of(title))
        or partnership_authorities(re.sub(r"^\s*Dear\s+", "", salutation))
        or partnership_authorities(" ".join(m.group(1) for b in rest if (m := PRINCIPAL.search(b.text))))
        or partnership_authorities(" ".join(sentences(opening_text)[:2]))
        or partnership_authorities(" ".join(s for s in sentences(opening_text) if re.search(r"\bfindings\b", s)))
    )
    if found:
        name, code = found[0].name, found[0].code
        if len(found) > 1:
            warnings.append(f"the partnership also covers {', '.join(a.name for a in found[1:])}")
    else:
        name, code = (_place(title) or _after_of(title) or "Unknown authority").strip(), None
        warnings.append(f"authority not identified: {name!r} is not in the LA table")

    start, finish = inspection_window(opening_text, published)
    if finish is None:
        warnings.append("no inspection dates found")
    theme = theme_of(title) or next((t for s in sentences(opening_text) if (t := theme_of(s))), None)
    if theme is None and kind == "jtai":
        warnings.append("the theme of the inspection was not found")
    inspectorates = inspectorates_in(opening_text) or inspectorates_in(title)
    if not inspectorates:
        warnings.append("the inspectorates were not found")

    rid, read = read_report_body(body, name, code, published, finish, kind.replace("_", "-"), OPENING, warnings)
    framework: Framework = "ilacs" if (published or finish or dt.date.max) >= dt.date(2018, 1, 1) else "sif"
    return Report(
        id=rid,
        source=source,
        framework=framework,
        authority=name,
        title=title,
        published=iso(published),
        inspection_start=iso(start),
        inspection_end=iso(finish),
        lead_inspector=None,
        sections=read.sections,
        paragraphs=read.paragraphs,
        judgements=[],
        recommendations=read.recommendations,
        warnings=warnings,
        authority_code=code,
        report_type=kind,
        visits=[[iso(start), iso(finish)]] if finish else [],
        theme=theme,
        inspectorates=inspectorates,
    )


def _salutation_apart(blocks: list[Block]) -> list[Block]:
    """The 'Dear ...' line and the title after it as blocks of their own, where no space of the layout set them apart
    (a letter read without its layout)."""
    out: list[Block] = []
    for block in blocks:
        at = next((i for i, line in enumerate(block.lines) if DEAR.match(line)), None)
        if at is None or (out and any(DEAR.match(b.lines[0]) for b in out)):
            out.append(block)
            continue
        pieces = [block.lines[:at], block.lines[at : at + 1], block.lines[at + 1 : at + 2], block.lines[at + 2 :]]
        out += [Block(block.page, piece) for piece in pieces if piece]
    return out


def _split_title(block: Block) -> tuple[Block, list[Block]]:
    """The title, and what the layout set close below it in the same block: the bold lines are the title; with no
    bold (a letter read without its layout), its first line."""
    bold = [line for line in block.lines if getattr(line, "bold", False)]
    cut = len(bold) if bold and block.lines[: len(bold)] == bold else 1
    if cut >= len(block.lines):
        return block, []
    return Block(block.page, block.lines[:cut]), [Block(block.page, block.lines[cut:])]


def _opening(blocks: list[Block]) -> list[Block]:
    """The letter's opening: its paragraphs before the first heading."""
    out = []
    for block in blocks:
        if block.heading:
            break
        out.append(block)
    return out or blocks[:3]


def _place(title: str) -> str | None:
    match = PLACE.search(title)
    return re.sub(r"^\s+in\s+", "", match.group(0)).strip(" .") if match else None


def _after_of(title: str) -> str:
    """'Joint targeted area inspection of Barnsley' -> 'Barnsley' (not a theme: no 'multi-agency response')."""
    match = re.search(r"\b(?:inspection|revisit)\s+(?:of|in)\s+(.+)$", title, re.I)
    return match.group(1) if match and not THEME.search(title) else ""


# A letter that names its theme without "multi-agency": "the joint targeted area inspection (JTAI) of the response to
# ...". Read only in a sentence that names the inspection, where "response to" can mean nothing else.
LOOSE_THEME = re.compile(
    r"\b(?:joint targeted area inspection|JTAI)\b.*?\bof\s+the\s+(?:(?P<also>\w+)\s+and\s+)?responses?\s+to\s+"
    r"(?P<theme>.+)$",
    re.I | re.S,
)


def theme_of(text: str) -> str | None:
    """What the inspection looked at, in the letter's words: 'serious youth violence', 'abuse and neglect'."""
    joined = join_parts([text])
    match = THEME.search(joined) or LOOSE_THEME.search(joined)
    if match is None:
        return None
    theme = re.split(r"\.\s", match.group("theme"))[0]
    theme = PLACE.sub("", theme).strip(" .,;")
    if match.group("also"):  # "the multi-agency identification and response to initial need and risk"
        theme = f"{match.group('also')} of {theme}"
    if not theme:
        return None
    return theme if theme[:2].isupper() else theme[:1].lower() + theme[1:]
