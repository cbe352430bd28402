"""Reports related to the one being read, found from the library's entries: the same authority's earlier or later
report, the candidates to compare a section with, every report of an authority, and what a typed paragraph reference
means. The app's keys (< > c : and the improvement trail) ask these; they are here so that they are tested without
the app, and so that no screen ranks or resolves reports itself."""

from __future__ import annotations

from dataclasses import dataclass

from ofsted_reader.core import authorities
from ofsted_reader.core.compare import matching_titles
from ofsted_reader.core.dates import list_date, short_date
from ofsted_reader.core.model import Report

from .entry import Entry
from .library import LOAD_FAULTS, Library


def _authority_of(item: Entry | Report) -> str:
    return item.authority_code or item.authority


def same_authority(library: Library, report: Report) -> list[Entry]:
    """Every report of the report's authority, oldest first (by inspection date, else publication)."""
    own = _authority_of(report)
    return sorted((e for e in library.entries() if _authority_of(e) == own), key=lambda e: e.date)


def other_report(library: Library, report: Report, step: int) -> Entry | None:
    """The same authority's report `step` places later (negative: earlier) than this one, or None past either end."""
    ids = [e.id for e in same_authority(library, report)]
    if report.id not in ids:
        return None
    index = ids.index(report.id) + step
    return library.entry(ids[index]) if 0 <= index < len(ids) else None


@dataclass(frozen=True)
class Candidate:
    """A report whose sections include one like the section being compared."""

    report_id: str
    label: str  # "neighbour · Durham (16 May 2016, North East): Leadership and management"
    relation: str  # "same authority", "neighbour" or ""


def compare_candidates(library: Library, report: Report, title: str) -> list[Candidate]:
    """The reports with a section like `title`: the same authority's other reports first, then its statistical
    neighbours in the DfE's order, then everyone else, each group by authority name and date. Read from the
    manifest's outlines: no report is loaded."""
    here = authorities.by_code(report.authority_code)
    neighbours = list(here.neighbours) if here else []
    own = _authority_of(report)
    ranked: list[tuple[tuple[int, int], str, str, Candidate]] = []
    for entry in library.entries():
        if entry.id == report.id:
            continue
        titles = [section_title for _, section_title, _, _ in library.outline(entry)]
        found = matching_titles(title, titles)
        if not found:
            continue
        if _authority_of(entry) == own:
            rank, relation = (0, 0), "same authority"
        elif entry.authority_code in neighbours:
            rank, relation = (1, neighbours.index(entry.authority_code)), "neighbour"
        else:
            rank, relation = (2, 0), ""
        place = authorities.by_code(entry.authority_code)
        region = place.region if place else ""
        kind = f"{relation} · " if relation else ""
        label = f"{kind}{entry.authority} ({short_date(list_date(entry))}, {region}): {titles[found[0]]}"
        ranked.append((rank, entry.authority.lower(), entry.date, Candidate(entry.id, label, relation)))
    return [candidate for *_, candidate in sorted(ranked, key=lambda r: (r[0], r[1], r[2]))]


def without_equivalent(library: Library, report: Report, title: str) -> list[Entry]:
    """The same authority's other inspections that have no section like `title` (an LSCB review beside an ILACS
    inspection, which judges no board): said beside the candidates, so a missing report is not a silent gap."""
    return [
        entry
        for entry in same_authority(library, report)
        if entry.id != report.id
        and entry.report_type == "inspection"
        and not matching_titles(title, [section_title for _, section_title, _, _ in library.outline(entry)])
    ]


def authority_reports(library: Library, authority: str) -> list[Report]:
    """Every report of one authority (its name, an alias or its code) that loads."""
    found = authorities.identify(authority)
    reports = []
    for entry in library.entries():
        if (found is not None and entry.authority_code == found.code) or entry.authority == authority:
            try:
                reports.append(library.load(entry.id))
            except LOAD_FAULTS:
                continue
    return reports


def resolve_reference(library: Library, text: str, current: Report | None) -> tuple[str, str] | None:
    """What a typed reference points at: 'warwickshire-2011-12-16/p71' (any report), 'p71', '¶71' or '71' (in the
    open report) give (report id, paragraph id); a section id gives (report id, ""). None when nothing matches."""
    text = text.strip()
    if "/" in text:
        report_id = text.split("/", 1)[0]
        if library.entry(report_id) is None:
            return None
        report = library.load(report_id)
        if report.paragraph(text):
            return report_id, text
        if any(section.id == text for section in report.sections):
            return report_id, ""
        return None
    if current is None:
        return None
    candidate = f"{current.id}/p{text.lstrip('pP¶').strip()}"
    return (current.id, candidate) if current.paragraph(candidate) else None
