"""The domain model every layer shares: a parsed report and its parts.

Importers build these, the store caches them as JSON, the app and the CLI read them.
Nothing here knows about files, Textual or TinyDB.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from . import vocabulary
from .judgements import SEND_KEY
from .vocabulary import Framework, ReportType, SendOutcome, Service, Timescale


@dataclass
class Section:
    id: str
    title: str
    parent: str | None = None
    grade: int | None = None
    label: str | None = None


@dataclass
class Paragraph:
    id: str
    number: int | None
    section: str | None
    text: str
    items: list[str] = field(default_factory=list)
    page: int | None = None  # the PDF page it starts on; None for text reports
    footnotes: list[str] = field(default_factory=list)  # the notes whose markers its text held, as printed

    @property
    def full_text(self) -> str:
        """What a note can quote (its span counts in this): the text and its bullet items, one a line."""
        return "\n".join([self.text, *self.items]) if self.items else self.text


@dataclass
class Judgement:
    service: Service
    group: str | None
    name: str
    grade: int
    label: str


@dataclass
class Recommendation:
    service: Service | None
    timescale: Timescale | None
    text: str


@dataclass
class PriorJudgement:
    """What a visit letter says the authority's last full inspection found."""

    judgement: str  # a key of ofsted_reader.core.judgements: "overall", "help_protection", ...
    grade: int
    inspected: str | None  # as printed: "November 2017", "2016"
    sentence: str


@dataclass
class Report:
    id: str
    source: str
    framework: Framework
    authority: str
    title: str
    published: str | None
    inspection_start: str | None
    inspection_end: str | None
    lead_inspector: str | None
    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    judgements: list[Judgement] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # DfE code of the authority in the bundled LA table (ofsted_reader.core.authorities); None when not identified.
    authority_code: str | None = None
    report_type: ReportType = "inspection"
    # Every inspection window as [start, end]: some inspections were done in two visits months apart.
    visits: list[list[str | None]] = field(default_factory=list)
    # Everyone the report names as its inspectors (visit letters name them in prose); the lead is lead_inspector.
    inspectors: list[str] = field(default_factory=list)
    # Visit letters: what the visit looked at, in the letter's words ("care leavers aged 18 to 25").
    theme: str | None = None
    # Visit letters: what the last inspection found, where the letter says so.
    prior: PriorJudgement | None = None
    # Joint inspections (JTAI, area SEND): the inspectorates that did it, as short names ("Ofsted", "CQC",
    # "HMICFRS", "HMI Probation").
    inspectorates: list[str] = field(default_factory=list)
    # Area SEND inspections since 2023: which of the three outcomes, never an ILACS grade (grades_by_key gives it
    # under the key "send" as its number, 1-3, for filters and the map).
    outcome: SendOutcome | None = None
    # When the next full inspection is due, in the report's words ("within approximately three years"), and that
    # counted from the inspection's last day (ISO).
    next_inspection: str | None = None
    next_inspection_by: str | None = None
    # Where the report was fetched from (Ofsted's file URL), so a citation can link to the page; None when imported
    # from a file. Kept by the store beside the report, not in the parse.
    source_url: str | None = None
    # The provider's Ofsted URN, where known (shipped and fetched reports); kept by the store, as source_url is.
    urn: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        # The cache is JSON: its names are narrowed here, once, and a damaged one refused (a ValueError, which the
        # store takes as a cache fault and parses the report again).
        fields = dict(data)
        fields["framework"] = vocabulary.framework_of(data["framework"])
        fields["report_type"] = vocabulary.report_type_of(data.get("report_type", "inspection"))
        fields["sections"] = [Section(**s) for s in data.get("sections", [])]
        fields["paragraphs"] = [Paragraph(**p) for p in data.get("paragraphs", [])]
        fields["judgements"] = [
            Judgement(**{**j, "service": vocabulary.service_of(j["service"])}) for j in data.get("judgements", [])
        ]
        fields["recommendations"] = [_recommendation(r) for r in data.get("recommendations", [])]
        fields["prior"] = PriorJudgement(**data["prior"]) if data.get("prior") else None
        fields["outcome"] = vocabulary.send_outcome_of(data["outcome"]) if data.get("outcome") else None
        return cls(**fields)

    def identity(self) -> tuple[str, str, str | None, str | None]:
        """What makes two files the same report: the authority, the kind of report and when it was inspected (or,
        for a report with no dates, published). Two reports with one identity are one report imported twice."""
        return (
            self.authority_code or self.authority,
            self.report_type,
            self.inspection_start or self.published,
            self.inspection_end or self.published,
        )

    def with_id(self, new_id: str) -> Report:
        """The same report under another id: its sections and paragraphs move with it."""
        old = self.id

        def moved(value: str | None) -> str | None:
            return new_id + value[len(old) :] if value is not None and value.startswith(old + "/") else value

        data = self.to_dict()
        data["id"] = new_id
        for section in data["sections"]:
            section["id"], section["parent"] = moved(section["id"]), moved(section["parent"])
        for paragraph in data["paragraphs"]:
            paragraph["id"], paragraph["section"] = moved(paragraph["id"]), moved(paragraph["section"])
        return Report.from_dict(data)

    # Lookups the store, the CLI and the app all need.

    def section(self, section_id: str | None) -> Section | None:
        for section in self.sections:
            if section.id == section_id:
                return section
        return None

    def paragraph(self, paragraph_id: str) -> Paragraph | None:
        for paragraph in self.paragraphs:
            if paragraph.id == paragraph_id:
                return paragraph
        return None

    def paragraph_label(self, paragraph: Paragraph) -> str:
        """How people cite a paragraph: 'paragraph 12'; an unnumbered one (visit letters number none) by its place in
        its section: 'Headline findings, para 2'."""
        if paragraph.number is not None:
            return f"paragraph {paragraph.number}"
        section = self.section(paragraph.section)
        place = self.paragraph_place(paragraph)
        return f"{section.title}, {place}" if section is not None else place

    def paragraph_place(self, paragraph: Paragraph) -> str:
        """An unnumbered paragraph's place in its section: 'para 2'."""
        siblings = [p.id for p in self.paragraphs if p.section == paragraph.section and p.number is None]
        return f"para {siblings.index(paragraph.id) + 1}" if paragraph.id in siblings else "unnumbered paragraph"

    def children(self, section_id: str | None) -> list[Section]:
        return [s for s in self.sections if s.parent == section_id]

    def root(self, section_id: str | None) -> Section | None:
        """The top-level section (a service area, in the 2009-2012 layout) a section sits under."""
        section = self.section(section_id)
        while section is not None and section.parent and self.section(section.parent) is not None:
            section = self.section(section.parent)
        return section

    def service_of(self, section_id: str | None) -> Service | None:
        """Which service a section reports on: the 2009-2012 reports have two, named by their top sections."""
        if self.framework == "slac":
            root = self.root(section_id)
            title = root.title.lower() if root else ""
            if "looked after children" in title:
                return "looked_after"
            if "safeguarding services" in title:
                return "safeguarding"
            return None
        return "looked_after" if self.framework == "lac" else "children"

    def paragraphs_under(self, section_id: str | None) -> list[Paragraph]:
        """A section's paragraphs with those of its subsections, in document order."""
        if section_id is None:
            return []
        wanted = {section_id}
        for section in self.sections:  # document order: parents come before their children
            if section.parent in wanted:
                wanted.add(section.id)
        return [p for p in self.paragraphs if p.section in wanted]

    def grades_by_key(self) -> dict[str, int]:
        """Each judgement's grade under its key ('overall', 'leaders', ...), the first of each when a 2009-2012
        report grades a topic for both services."""
        from .judgements import judgement_key

        out: dict[str, int] = {}
        for judgement in self.judgements:
            key = judgement_key(judgement.name)
            if key and judgement.grade and key not in out:
                out[key] = judgement.grade
        if self.outcome is not None:
            out[SEND_KEY] = vocabulary.SEND_OUTCOME_NUMBERS[self.outcome]
        return out

    def overall_judgements(self) -> list[Judgement]:
        return [j for j in self.judgements if j.name.strip().lower().startswith("overall effectiveness")]


def _recommendation(data: dict[str, Any]) -> Recommendation:
    service, timescale = data.get("service"), data.get("timescale")
    return Recommendation(
        **{
            **data,
            "service": vocabulary.service_of(service) if service is not None else None,
            "timescale": vocabulary.timescale_of(timescale) if timescale is not None else None,
        }
    )
