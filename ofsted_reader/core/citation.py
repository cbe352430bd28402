"""How a paragraph is cited: the same words in the app's copy, in exports and in comparisons."""

from __future__ import annotations

from .dates import long_date
from .grades import grade_name
from .model import Paragraph, Report, Section
from .visits import KINDS


def report_date(published: str | None, inspected: str | None = None) -> str:
    """How a report is dated for people: its publication date, or (ILACS PDFs print none) when it was inspected."""
    if published:
        return long_date(published)
    if inspected:
        return f"inspected {long_date(inspected)}"
    return "undated"


def dated(report: Report) -> str:
    return report_date(report.published, report.inspection_end)


def report_title(report: Report) -> str:
    """The report as Ofsted titled it, naming the authority: 'Inspection of Barnsley local authority children's
    services'; 'Warwickshire: Inspection of safeguarding and looked after children services' where the title does
    not name it (2009-2012); the authority and the kind of report where nothing was printed."""
    title = " ".join(report.title.split())
    if not title:
        return ", ".join([report.authority, *([KINDS[report.report_type]] if report.report_type in KINDS else [])])
    if report.authority.lower() in title.lower():
        return title
    return f"{report.authority}: {title}"


def citation(report: Report, paragraph: Paragraph) -> str:
    """Whose report, which, when, where in it: 'Ofsted, Warwickshire: Inspection of safeguarding and looked after
    children services, 16 December 2011, paragraph 71, The contribution of health agencies ... (Adequate)'; a
    paragraph of a PDF also gives its page, and a report whose address is known links to it:
    'Ofsted, Inspection of Bury ..., inspected 5 November 2021, paragraph 12, p. 4, ..., https://...#page=4'."""
    parts = ["Ofsted", report_title(report), dated(report), *_within(report, paragraph)]
    if report.source_url:  # a fetched report links to its page: PDF viewers open '#page=N' there
        parts.append(report.source_url + (f"#page={paragraph.page}" if paragraph.page else ""))
    return ", ".join(parts)


def place(report: Report, paragraph: Paragraph) -> str:
    """Where a paragraph is, for a heading in the app (the citation, shorter): 'Warwickshire, 16 December 2011,
    paragraph 71, The contribution of health agencies ... (Adequate)'."""
    kind = [KINDS[report.report_type]] if report.report_type in KINDS else []
    return ", ".join([report.authority, *kind, dated(report), *_within(report, paragraph)])


def _within(report: Report, paragraph: Paragraph) -> list[str]:
    """The paragraph, its page and its section (under the judgement it is about)."""
    parts = [report.paragraph_label(paragraph)]
    if paragraph.page is not None:
        parts.append(f"p. {paragraph.page}")
    section = report.section(paragraph.section)
    if section is not None and paragraph.number is not None:
        graded = f" ({grade_name(section.grade, report.framework)})" if section.grade else ""
        area = judgement_area(report, section.id) if not section.grade else None
        if area is not None and area is not section:
            # "Inspection findings" alone does not say which judgement: the graded section it sits under does.
            parts.append(f"{area.title} ({grade_name(area.grade, report.framework)}): {section.title}")
        else:
            parts.append(section.title + graded)
    return parts


def judgement_area(report: Report, section_id: str | None) -> Section | None:
    """The graded section a section is part of (itself, when graded): what a SIF report's "Inspection findings"
    are findings about."""
    section = report.section(section_id)
    while section is not None and not section.grade:
        section = report.section(section.parent) if section.parent else None
    return section


# How the reports may be reproduced (Crown copyright; the Open Government Licence covers recent reports): shown with
# every shipped report and written into every export.
CROWN_NOTICE = (
    "© Crown copyright (Ofsted). Source: Ofsted, www.ofsted.gov.uk. Reproduced without adaptation; licensed under the "
    "Open Government Licence v3.0 where the report says so, and otherwise for non-commercial purposes with the "
    "source and date of publication stated."
)


def source_line(report: Report) -> str:
    """Where a report was published and when: 'Barnsley, inspection, inspected 11-15 September 2023, published 27
    October 2023, Ofsted URN 80426, https://files.ofsted.gov.uk/v1/file/50231520'."""
    parts = [report.authority, KINDS.get(report.report_type, report.report_type.replace("_", " "))]
    if report.inspection_end:
        parts.append(f"inspected {long_date(report.inspection_end)}")
    parts.append(f"published {long_date(report.published)}" if report.published else "publication date not printed")
    if report.urn:
        parts.append(f"Ofsted URN {report.urn}")
    if report.source_url:
        parts.append(report.source_url)
    return ", ".join(parts)


def sources_markdown(reports: list[Report]) -> list[str]:
    """The closing 'Sources' section of a Markdown export: each report once, by authority, with where and when it was
    published, then the Crown copyright notice. Every Markdown the app writes ends with it."""
    by_id = {report.id: report for report in reports}
    lines = ["## Sources", ""]
    lines += [f"- {source_line(by_id[rid])}" for rid in sorted(by_id, key=lambda r: (by_id[r].authority, r))]
    return lines + ["", CROWN_NOTICE]


def quoted_with_citation(report: Report, paragraph: Paragraph) -> str:
    body = paragraph.text
    if paragraph.items:
        body += "\n" + "\n".join(f"- {item}" for item in paragraph.items)
    return f"{body}\n\n({citation(report, paragraph)})"
