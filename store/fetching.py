"""Fetching an authority's publications from Ofsted's reports site into the library: what to fetch (planning) and
the download itself. The one place the app uses the network, and only when the user asks (`ofsted-reader fetch`, or
F in the app)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ofsted_reader.core import locations
from ofsted_reader.core.authorities import Authority
from ofsted_reader.core.vocabulary import REPORT_TYPES, ReportType
from ofsted_reader.importers import ReportError
from ofsted_reader.importers.ofsted_site import Client, Publication, SiteError, Unreachable, provider_url, publications

from . import sources
from .library import Entry, Library

KINDS = REPORT_TYPES  # what fetch fetches by default: every kind


def already_have(entries: list[Entry], code: str, kind: ReportType, published: dt.date | None) -> bool:
    """A publication the library holds without fetch having recorded it (imported by hand, or shipped): the same
    authority and kind, published that day, or (ILACS PDFs print no publication date) inspected in the four months
    before."""
    for entry in entries:
        if entry.authority_code != code or entry.report_type != kind or published is None:
            continue
        if entry.published == published.isoformat():
            return True
        if entry.published is None and entry.inspected:
            gap = (published - dt.date.fromisoformat(entry.inspected)).days
            if 0 <= gap <= 120:
                return True
    return False


@dataclass
class Plan:
    items: list[tuple[Authority, Publication]] = field(default_factory=list)
    known: int = 0  # publications the library already holds
    problems: list[str] = field(default_factory=list)  # authorities whose page could not be read: one line each


def plan(
    library: Library, wanted: list[Authority], kinds: set[ReportType], client: Client, site: str, record: dict[str, Any]
) -> Plan:
    """What to download: every listed publication of these kinds the library does not hold. Raises Unreachable when
    offline (every other authority would fail the same way)."""
    result = Plan()
    entries = library.entries()  # what the library holds before this run: nothing is imported while planning
    for authority in wanted:
        page_url = provider_url(site, authority.urn)
        try:
            listed = publications(client.page(page_url), page_url)
        except Unreachable:
            raise
        except SiteError as error:
            result.problems.append(f"{authority.name}: {error}")
            continue
        for publication in listed:
            if publication.kind not in kinds:
                continue
            done = record["urls"].get(publication.url, {})
            if ("report_id" in done and library.entry(done["report_id"]) is not None) or already_have(
                entries, authority.code, publication.kind, publication.published
            ):
                result.known += 1
                continue
            result.items.append((authority, publication))
    return result


@dataclass
class Fetched:
    authority: Authority
    publication: Publication
    report_id: str | None = None
    error: str | None = None


def fetch_one(
    library: Library,
    client: Client,
    record: dict[str, Any],
    authority: Authority,
    publication: Publication,
    import_file: Callable | None = None,
) -> Fetched:
    """Download one publication, check it is a real report, import it and record where it came from; saved at once,
    so an interrupted run resumes where it stopped. `import_file` (default: the library's) lets the app run the
    import on its own thread while the download runs on a worker."""
    importer = import_file or (lambda path: library.import_file(path, save=False))
    try:
        data = client.pdf(publication.url)
        target = locations.downloads_dir() / f"{authority.urn}-{publication.url.rstrip('/').rsplit('/', 1)[-1]}.pdf"
        target.write_bytes(data)
        try:
            report, _ = importer(target)
        finally:
            target.unlink(missing_ok=True)
    except (SiteError, ReportError) as error:
        sources.record_refusal(record, publication.url, str(error))
        result = Fetched(authority, publication, error=f"{authority.name}: {error}; nothing was imported from it")
    else:
        sources.record_report(record, report.id, publication.url, authority.urn)
        report.source_url = publication.url
        result = Fetched(authority, publication, report_id=report.id)
    return result


def save(library: Library, record: dict[str, Any]) -> None:
    library.save()
    sources.save(record)
