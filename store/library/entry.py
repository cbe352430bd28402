"""What the library knows of a report without opening it: one summary row, the same for shipped and imported
reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any

from ofsted_reader.core.model import Report
from ofsted_reader.core.vocabulary import Framework, ReportType, framework_of, report_type_of

# One section of a report's tree, so the app can draw the library without loading any report: (id, title, parent,
# grade).
OutlineRow = tuple[str, str, str | None, int | None]


@dataclass
class Entry:
    id: str
    authority: str
    published: str | None
    framework: Framework
    # What the library reads the report from: an imported copy (a PDF or text file, parsed into the cache) or a
    # shipped record file (reports/record/<id>.json.gz, the parse itself).
    source: str
    sha256: str
    size: int
    mtime_ns: int
    bundled: bool
    overall: list[tuple[str, int, str]] = field(default_factory=list)  # (service, grade, label)
    paragraphs: int = 0
    # The section tree, read on first use (`Library.outline`): at 870 reports it would be most of the manifest.
    sections: list[OutlineRow] | None = None
    inspected: str | None = None  # inspection end date: ILACS PDFs print no publication date
    inspection_start: str | None = None
    authority_code: str | None = None
    report_type: ReportType = "inspection"
    # Each judgement's grade by its key (ofsted_reader.core.judgements): the grades tables and the tree's badges.
    grades: dict[str, int] = field(default_factory=dict)
    theme: str | None = None  # a visit letter's theme, in its words
    # Where the report was published: Ofsted's download URL and the provider's URN (the shipped record knows both;
    # fetched reports from store/library/sources.py).
    source_url: str | None = None
    urn: str | None = None
    # From the shipped record (reports/manifest.json): never written to the user's own manifest.
    shipped: bool = False
    # A copy of the report as published that the app holds (`O` opens it): an imported file, or an original shipped
    # beside the record (the latest inspections' PDFs); None when only Ofsted's URL has it.
    original: str | None = None

    @property
    def outline_key(self) -> str:
        # Id and content: a shipped report and an imported copy that shadows it share the id, not the content.
        return f"{self.id} {self.sha256}"

    def identity(self) -> tuple[str, str, str | None, str | None]:
        """As Report.identity: the same report whatever file it came from."""
        return (
            self.authority_code or self.authority,
            self.report_type,
            self.inspection_start or self.published,
            self.inspected or self.published,
        )

    @property
    def date(self) -> str:
        """For sorting: publication date, else inspection date."""
        return self.published or self.inspected or ""


def outline_of(report: Report) -> list[OutlineRow]:
    return [(sec.id, sec.title, sec.parent, sec.grade) for sec in report.sections]


def summary(report: Report) -> dict[str, Any]:
    """The entry fields a report's parse gives (the rest say where this install keeps it)."""
    return {
        "id": report.id,
        "authority": report.authority,
        "published": report.published,
        "framework": report.framework,
        "overall": [(j.service, j.grade, j.label) for j in report.overall_judgements()],
        "paragraphs": len(report.paragraphs),
        "inspected": report.inspection_end,
        "inspection_start": report.inspection_start,
        "authority_code": report.authority_code,
        "report_type": report.report_type,
        "grades": report.grades_by_key(),
        "theme": report.theme,
    }


def entry_of(report: Report, *, source: Path, sha256: str, bundled: bool) -> Entry:
    """The summary row of a parsed report read from `source` (whose bytes hash to sha256)."""
    stat = source.stat()
    return Entry(
        **summary(report),
        source=str(source),
        sha256=sha256,
        size=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
        bundled=bundled,
        sections=outline_of(report),
        original=None if bundled else str(source),
    )


def entry_from_row(row: dict, **local: object) -> Entry:
    """An entry read back from a manifest row (JSON), its names narrowed to their types: a ValueError, KeyError or
    TypeError for a damaged row. `local` gives the fields the row does not hold."""
    fields = {k: v for k, v in row.items() if k in _NAMES and k != "sections"}
    fields["framework"] = framework_of(row["framework"])
    fields["report_type"] = report_type_of(row.get("report_type", "inspection"))
    fields["overall"] = [tuple(o) for o in row.get("overall", [])]
    fields.update(local)
    fields.setdefault("sections", None)
    return Entry(**fields)


_NAMES = frozenset(f.name for f in dataclass_fields(Entry))
