"""Every hit of a search written out: Markdown with a citation under each paragraph (and the sources cited), or CSV
for a spreadsheet. The same from the app and from `ofsted-reader search --all --md|--csv`."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from ofsted_reader.core.citation import citation, sources_markdown
from ofsted_reader.core.export import safe_markdown, spreadsheet_safe
from ofsted_reader.core.model import Paragraph, Report
from ofsted_reader.core.search.hits import Hit, SearchResult, grade_label

CSV_FIELDS = [
    "rank",
    "authority",
    "report_id",
    "paragraph_id",
    "paragraph_number",
    "page",
    "section",
    "grade",
    "matched",
    "text",
    "citation",
    "source_url",
]

Load = Callable[[str], Report | None]


def _located(hit: Hit, load: Load, reports: dict[str, Report | None]) -> tuple[Report | None, Paragraph | None]:
    report_id = hit.doc.report_id
    if report_id not in reports:
        reports[report_id] = load(report_id)
    report = reports[report_id]
    if report is None:
        return None, None
    return report, next((p for p in report.paragraphs if p.id == hit.doc.paragraph_id), None)


def _text(hit: Hit) -> str:
    return "\n".join([hit.doc.text, *(f"- {item}" for item in hit.doc.items)])


def hits_markdown(query: str, result: SearchResult, hits: Sequence[Hit], load: Load, generated: str) -> str:
    """'# Search: "exploitation"', how many matched (and the other spellings taken), then each paragraph quoted
    with its citation, best first, and the sources."""
    reports: dict[str, Report | None] = {}
    lines = [
        f"# Search: {safe_markdown(query)}",
        "",
        f"{result.total} paragraphs match; {len(hits)} below, best first. Searched {generated}.",
    ]
    if result.also:
        lines += ["", safe_markdown(result.also_said(most=len(result.also))) + " (quote a word to leave these out)"]
    lines.append("")
    for rank, hit in enumerate(hits, 1):
        report, paragraph = _located(hit, load, reports)
        cited = citation(report, paragraph) if report and paragraph else hit.doc.paragraph_id
        lines += [f"## {rank}. {safe_markdown(hit.doc.authority)}, {hit.doc.paragraph_id}", ""]
        lines += ["> " + line if line else ">" for line in safe_markdown(_text(hit)).splitlines()]
        lines += ["", f"— {safe_markdown(cited)}", ""]
    lines += sources_markdown([r for r in reports.values() if r is not None])
    return "\n".join(lines) + "\n"


def hits_csv(hits: Sequence[Hit], load: Load) -> str:
    """A row a hit, best first; cells a spreadsheet would run as formulas are neutralised."""
    reports: dict[str, Report | None] = {}
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for rank, hit in enumerate(hits, 1):
        report, paragraph = _located(hit, load, reports)
        doc = hit.doc
        row: dict[str, object] = {
            "rank": rank,
            "authority": doc.authority,
            "report_id": doc.report_id,
            "paragraph_id": doc.paragraph_id,
            "paragraph_number": doc.number if doc.number is not None else "",
            "page": paragraph.page if paragraph and paragraph.page is not None else "",
            "section": doc.section or "",
            "grade": grade_label(doc),
            "matched": " ".join(hit.terms),
            "text": _text(hit),
            "citation": citation(report, paragraph) if report and paragraph else "",
            "source_url": (report.source_url or "") if report else "",
        }
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
    return buffer.getvalue()
