"""Fetching an authority's publications from Ofsted's reports site into the library: what to fetch (planning) and
the download itself. The one place the app uses the network, and only when the user asks (`ofsted-reader fetch`, or
F in the app)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ofsted_reader.core import authorities
from ofsted_reader.core.authorities import Authority
from ofsted_reader.host import locations
from ofsted_reader.importers import ReportError
from ofsted_reader.importers.ofsted_site import (
    DEFAULT_KINDS,
    MAX_ITEMS_PER_RUN,
    Client,
    FetchKind,
    Publication,
    SiteError,
    Stopped,
    Unreachable,
    provider_url,
    publications,
)

from . import sources
from .library import Entry, Library

KINDS = DEFAULT_KINDS  # what fetch fetches by default: the app's own kinds (JTAI and area SEND when asked for)


def already_have(entries: list[Entry], code: str, kind: FetchKind, published: dt.date | None) -> bool:
    """A publication the library holds without fetch having recorded it (imported by hand, or shipped): the same
    authority and kind, published that day, or (ILACS PDFs print no publication date) inspected in the four months
    before."""
    for entry in entries:
        if entry.authority_code != code or str(entry.report_type) != kind or published is None:
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
    library: Library, wanted: list[Authority], kinds: set[FetchKind], client: Client, site: str, record: dict[str, Any]
) -> Plan:
    """What to download: every listed publication of these kinds the library does not hold. An authority whose page
    cannot be read is a problem of one line and the plan goes on to the next; raises Unreachable when offline (every
    other authority would fail the same way) and Stopped when the run's time is up or it is cancelled."""
    result = Plan()
    entries = library.entries()  # what the library holds before this run: nothing is imported while planning
    for authority in wanted:
        page_url = provider_url(site, authority.urn)
        try:
            listed = publications(client.page(page_url), page_url)
        except (Unreachable, Stopped):
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
            if len(result.items) >= MAX_ITEMS_PER_RUN:
                result.problems.append(
                    f"more than {MAX_ITEMS_PER_RUN:,} publications to fetch in one run; the first "
                    f"{MAX_ITEMS_PER_RUN:,} are fetched, run fetch again for the rest"
                )
                return result
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
    # A name of our making: the URL's last part can be anything (300 characters, "..", a query); the library names
    # its copy after the report.
    name = hashlib.sha256(publication.url.encode("utf-8")).hexdigest()[:24]
    target = locations.downloads_dir() / f"fetch-{name}.pdf"
    try:
        try:
            client.pdf(publication.url, target)
            report, _ = importer(target)
        finally:
            target.unlink(missing_ok=True)
    except Stopped:
        raise
    except (SiteError, ReportError) as error:
        sources.record_refusal(record, publication.url, str(error))
        return Fetched(authority, publication, error=f"{authority.name}: {error}; nothing was imported from it")
    except OSError as error:  # the data dir full or read-only: said, and the next one is tried
        reason = f"{publication.url}: cannot be saved ({error.strerror or error})"
        return Fetched(authority, publication, error=f"{authority.name}: {reason}; nothing was imported from it")
    # The report's own authority, not the page's: a page can list another authority's report.
    own = authorities.by_code(report.authority_code) if report.authority_code else None
    urn = own.urn if own is not None else None
    sources.record_report(record, report.id, publication.url, urn)
    report.source_url = publication.url
    return Fetched(authority, publication, report_id=report.id)


def save(library: Library, record: dict[str, Any]) -> None:
    library.save()
    sources.save(record)
