"""Ofsted's reports site, read only when the user runs `ofsted-reader fetch`: an authority's provider page lists its
publications; each children's-services report is a PDF link.

The page structure (as the public JT-39/ofsted-ilacs-scrape-tool reads it, written anew here): the provider page of
a local authority is `<site>/provider/44/<URN>`; each publication is an `a.publication-link` whose hidden
`span.nonvisual` text names it and its publication date: "Children's services focused visit, PDF - 04 December 2024".
Links point at `https://files.ofsted.gov.uk/v1/file/<id>`. Nothing here touches the store or the screen.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from ofsted_reader.core.about import version
from ofsted_reader.core.vocabulary import ReportType

if TYPE_CHECKING:  # imported where used: only fetch needs httpx
    import httpx

SITE = "https://reports.ofsted.gov.uk"
USER_AGENT = "ofsted-reader/{version} (an offline reader of Ofsted reports; fetches only when its user runs 'fetch')"
# The local authority children's services provider category in the site's URLs.
PROVIDER_PATH = "/provider/44/{urn}"
MAX_PDF_BYTES = 100 * 1024 * 1024

# The kinds of publication fetched, by the words of their link text; the rest (SEND, JTAI, children's homes) is not
# a report of this app's kinds.
KINDS: list[tuple[ReportType, str]] = [
    ("focused_visit", r"\bfocused visit\b"),
    ("monitoring_visit", r"\bmonitoring visit\b"),
    ("lscb_review", r"safeguarding children board|\blscb\b"),
    (
        "inspection",
        r"children.s services inspection|inspection of (local authority )?children.s services|"
        r"children.s social care services|single inspection|services for children in need",
    ),
]


class SiteError(Exception):
    """A fetch that failed, in words for the user: what, which address, what to do."""


class Unreachable(SiteError):
    """No answer at all (offline, or the site down): every further request would fail the same way."""


@dataclass
class Publication:
    url: str
    title: str
    kind: ReportType
    published: dt.date | None


def provider_url(site: str, urn: str) -> str:
    return site.rstrip("/") + PROVIDER_PATH.format(urn=urn)


def kind_of(title: str) -> ReportType | None:
    text = title.lower().replace("’", "'")
    if "send" in text.split() or "joint targeted" in text or "children's home" in text:
        return None
    return next((kind for kind, pattern in KINDS if re.search(pattern, text)), None)


def publications(html: str, page_url: str) -> list[Publication]:
    """The children's-services publications a provider page lists, newest first as the page orders them."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    found: list[Publication] = []
    seen: set[str] = set()
    for link in tree.css("a.publication-link"):
        href = (link.attributes.get("href") or "").strip()
        hidden = link.css_first("span.nonvisual")
        title = " ".join((hidden.text() if hidden is not None else link.text()).split())
        kind = kind_of(title)
        if not href or kind is None:
            continue
        url = urljoin(page_url, href)
        if url in seen:
            continue
        seen.add(url)
        date = re.search(r"-\s*(\d{1,2} \w+ \d{4})\s*$", title)
        published = None
        if date:
            try:
                published = dt.datetime.strptime(date.group(1), "%d %B %Y").date()
            except ValueError:
                published = None
        name = re.sub(r",?\s*pdf\s*-\s*\d{1,2} \w+ \d{4}\s*$", "", title, flags=re.I)
        found.append(Publication(url, name, kind, published))
    return found


class Client:
    """One request at a time, a pause between requests, a user agent that names the tool, and a retry on a dropped
    connection or a timeout."""

    def __init__(self, delay: float = 1.0, timeout: float = 30.0, retries: int = 2):
        import httpx

        self._httpx = httpx
        self.delay, self.retries = delay, retries
        agent = USER_AGENT.format(version=version())
        self._client = httpx.Client(headers={"User-Agent": agent}, timeout=timeout, follow_redirects=True)
        self._last = 0.0

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _get(self, url: str) -> httpx.Response:
        httpx = self._httpx
        for attempt in range(self.retries + 1):
            wait = self.delay - (time.monotonic() - self._last)
            if wait > 0:
                time.sleep(wait)
            try:
                response = self._client.get(url)
            except httpx.TimeoutException:
                failure = "timed out"
            except httpx.TransportError as error:
                failure = f"cannot connect ({type(error).__name__})"
            else:
                self._last = time.monotonic()
                if response.status_code == 404:
                    raise SiteError(f"{url}: not found on the site (404); it may have moved")
                if response.status_code >= 400:
                    raise SiteError(f"{url}: the site answered {response.status_code}; try again later")
                return response
            self._last = time.monotonic()
            if attempt < self.retries:
                time.sleep(min(2.0**attempt, 8.0) * (self.delay > 0))
        raise Unreachable(f"{url}: {failure}; check your connection and run fetch again (it resumes)")

    def page(self, url: str) -> str:
        return self._get(url).text

    def pdf(self, url: str) -> bytes:
        """A PDF's bytes; an HTML error page served under a PDF's link is refused, not imported."""
        response = self._get(url)
        data = response.content
        if len(data) > MAX_PDF_BYTES:
            raise SiteError(f"{url}: {len(data) // (1024 * 1024)} MB, too large for a report; not imported")
        if data.lstrip()[:5] != b"%PDF-":
            what = "an HTML page" if b"<html" in data[:2000].lower() else "not a PDF"
            raise SiteError(f"{url}: the site sent {what} instead of the report's PDF; try again later")
        return data
