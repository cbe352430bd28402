"""Stage 3: page one's front matter: the framework, the title block, the authority, the dates and the lead inspector."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ofsted_reader.core import authorities
from ofsted_reader.core.vocabulary import Framework, ReportType

from .builder import join_parts
from .dates import parse_date, parse_visits
from .letter import people_named
from .patterns import APOSTROPHE
from .pdf_patterns import DATES_FIELD


def page_head(first_page: list[str]) -> str:
    """Page one's first 40 lines as one string: where the title block names the framework and the kind of report."""
    return " ".join(line.strip() for line in first_page[:40])


def detect_framework(first_page: list[str]) -> tuple[Framework, ReportType] | None:
    """(framework, report type) from page one's title block, or None for a PDF that is not one of these reports."""
    head = page_head(first_page)
    if (
        re.search(r"Judgement\s+Grade", head)
        or re.search(rf"local authority children{APOSTROPHE}s services", head)
        or re.search(rf"Inspection of children{APOSTROPHE}s social care services", head)
        or re.search(rf"^Inspection of .{{2,80}}? children{APOSTROPHE}s services\b", head)
    ):
        return "ilacs", "inspection"
    if re.search(r"(Re-)?[Ii]nspection of services for children in need of help", head):
        return "sif", "inspection"
    if re.search(
        r"(Review|Inspection) of the effectiveness of the\s+(Local Safeguarding Children Board|LSCB)", head, re.I
    ):
        return "sif", "lscb_review"
    if re.search(r"Inspection of looked after children", head):
        return "lac", "inspection"
    return None


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


def read_metadata(pages: list[list[str]], framework: Framework) -> Meta:
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


def meta_lines(first_page: list[str]) -> set[str]:
    """Page one's title block and fields: not body text."""
    block = set(title_block(first_page))
    return block | {
        line.strip()
        for line in first_page
        if re.match(r"^(Inspection dates?|Report published|Lead inspector)", line.strip(), re.I)
    }


# A label of the inspection team's list: "Lead inspector:", "Deputy lead inspector:", "Team inspectors:", "Senior data
# analyst:"; only those that name inspectors count.
TEAM_LABEL = re.compile(
    r"((?:(?:lead|deputy|team|shadow|assistant|senior|data|quality|assurance|regulatory|inspection|social|care|supernumerary|"
    r"performance|research|additional|report)\s+){0,4}(?:inspectors?(?:\s+on\s+site)?|analysts?|managers?|officers?|"
    r"authors?))\s*:\s*",
    re.I,
)


UNMARKED_LABEL = re.compile(
    r"^((?:(?:lead|deputy|team|shadow|assistant|senior|data|quality|assurance|additional)\s+){1,4}"
    r"(?:inspectors?|analysts?|managers?))\s+(?=[A-Z])",
    re.I,
)


def inspection_team(texts: list[str]) -> list[str]:
    """Everyone a report's inspection team names as an inspector (lead, deputy lead, team and shadow inspectors, not
    the analysts or managers who worked with them), in the order printed: the SIF reports' 'The inspection team'."""
    for start, text in enumerate(texts):
        lead = re.search(r"\b(Lead|Reporting) inspectors?(\s+on\s+site)?\s*:", text, re.I)
        if lead is None:
            continue
        # The list, in one paragraph or one per line: the paragraphs that go on giving labels.
        listed = [text[lead.start() :]]
        for following in texts[start + 1 : start + 8]:
            # A role printed without its colon ("Deputy lead inspector Mike Ferguson") is a label all the same.
            following = UNMARKED_LABEL.sub(r"\1: ", following, count=1)
            if not TEAM_LABEL.match(following):
                break
            listed.append(following)
        text = ", ".join(listed)
        if not re.search(r"\b(Team|Deputy lead) inspectors?\s*:", text, re.I):
            continue
        parts = TEAM_LABEL.split(text)
        names: list[str] = []
        for label, value in zip(parts[1::2], parts[2::2]):
            if re.search(r"\binspectors?\b", label, re.I):
                value = re.sub(r"\b(?:(?:Regulatory|Social Care|Senior)\s+)?(?:Inspection\s+)?Manager\s+", ",", value)
                names += [name for name in people_named(value) if name not in names]
        return names
    return []
