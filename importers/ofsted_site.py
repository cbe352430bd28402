"""Ofsted's reports site, read only when the user runs `ofsted-reader fetch`: an authority's provider page lists its
publications; each children's-services report is a PDF link.

The page structure (as the public JT-39/ofsted-ilacs-scrape-tool reads it, written anew here): the provider page of
a local authority is `<site>/provider/44/<URN>`; each publication is an `a.publication-link` whose hidden
`span.nonvisual` text names it and its publication date: "Children's services focused visit, PDF - 04 December 2024".
Links point at `https://files.ofsted.gov.uk/v1/file/<id>`. Nothing here touches the store or the screen.

The site is input from outside like any file, so every request is bounded: a total deadline (not a timeout per read,
which a server sending a byte a second never trips), a deadline for the whole run, a size cap counted while the body
streams (a page into memory, a PDF into a file), a cap on the links a page may list, and every failure (a redirect
loop too) a SiteError of one line. A caller can cancel at any moment (the app, when it quits): the request runs on a
thread of its own that the caller waits for in short slices.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urljoin

from ofsted_reader.core.about import version
from ofsted_reader.core.vocabulary import REPORT_TYPES, ReportType

SITE = "https://reports.ofsted.gov.uk"
USER_AGENT = "ofsted-reader/{version} (an offline reader of Ofsted reports; fetches only when its user runs 'fetch')"
# The local authority children's services provider category in the site's URLs.
PROVIDER_PATH = "/provider/44/{urn}"
MAX_PDF_BYTES = 100 * 1024 * 1024  # Ofsted's reports are under 5 MB
MAX_PAGE_BYTES = 8 * 1024 * 1024  # a provider page is tens of kilobytes
MAX_LINKS_PER_PAGE = 1_000  # an authority's page lists tens of publications
MAX_ITEMS_PER_RUN = 5_000  # every authority's every publication is about 2,000
RUN_LIMIT = 3 * 3600.0  # seconds: `fetch --all` at one request a second takes about an hour

# What fetch can bring in: the app's kinds of report, and the other inspections an authority is judged by (joint
# targeted area inspections and area SEND inspections), fetched when asked for with --kind (their importers read
# them as their own kinds of report).
# A kind of publication is the kind of report its importer makes, so "already in the library" compares like with like.
FetchKind = ReportType
OTHER_KINDS: tuple[FetchKind, ...] = ("jtai", "area_send")
FETCH_KINDS: tuple[FetchKind, ...] = REPORT_TYPES
DEFAULT_KINDS: tuple[FetchKind, ...] = tuple(k for k in REPORT_TYPES if k not in OTHER_KINDS)
# What `--kind` also takes: the short name users say.
KIND_ALIASES: dict[str, FetchKind] = {"send": "area_send"}

# The kinds of publication fetched, by the words of their link text, first match wins; the rest (children's homes,
# schools) is not a report of this app's kinds.
KINDS: list[tuple[FetchKind, str]] = [
    ("jtai", r"\bjoint targeted area inspection|\bjtai\b|\bjoint area review"),
    ("area_send", r"\bsend\b|special educational needs"),
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


class Stopped(SiteError):
    """The run stops: its time is up, or the user cancelled (the app quit). Nothing further is requested."""


@dataclass
class Publication:
    url: str
    title: str
    kind: FetchKind
    published: dt.date | None


def provider_url(site: str, urn: str) -> str:
    return site.rstrip("/") + PROVIDER_PATH.format(urn=urn)


def kind_of(title: str) -> FetchKind | None:
    text = title.lower().replace("’", "'")
    if "children's home" in text:
        return None
    return next((kind for kind, pattern in KINDS if re.search(pattern, text)), None)


def publications(html: str, page_url: str) -> list[Publication]:
    """The children's-services publications a provider page lists, newest first as the page orders them."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    found: list[Publication] = []
    seen: set[str] = set()
    links = tree.css("a.publication-link")
    if len(links) > MAX_LINKS_PER_PAGE:
        raise SiteError(
            f"{page_url}: lists {len(links):,} publications, more than an authority's page ever does "
            f"(at most {MAX_LINKS_PER_PAGE:,}); not read"
        )
    for link in links:
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
    connection. `timeout` is each request's whole time, `run_limit` the whole run's; `cancelled` is asked every
    tenth of a second while a request waits."""

    def __init__(
        self,
        delay: float = 1.0,
        timeout: float = 30.0,
        retries: int = 2,
        run_limit: float = RUN_LIMIT,
        cancelled: Callable[[], bool] = lambda: False,
    ):
        import httpx

        self._httpx = httpx
        self.delay, self.retries, self.timeout = delay, retries, timeout
        self.cancelled = cancelled
        self.run_limit = run_limit
        self._run_ends = time.monotonic() + run_limit
        agent = USER_AGENT.format(version=version())
        self._client = httpx.Client(headers={"User-Agent": agent}, timeout=timeout, follow_redirects=True)
        self._last = 0.0

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _pause(self, seconds: float) -> None:
        """Sleep, but answer a cancel or the run's end at once."""
        ends = time.monotonic() + seconds
        while (left := ends - time.monotonic()) > 0:
            self._check_run()
            time.sleep(min(left, 0.1))
        self._check_run()

    def _check_run(self) -> None:
        if self.cancelled():
            raise Stopped("cancelled; run fetch again to go on (it resumes)")
        if time.monotonic() > self._run_ends:
            limit = f"{self.run_limit / 60:,.0f} minutes" if self.run_limit >= 120 else f"{self.run_limit:g} s"
            raise Stopped(f"the run's time limit ({limit}) is up; run fetch again to go on (it resumes)")

    def _get(self, url: str, sink: IO[bytes] | bytearray, limit: int) -> str:
        """The body of url into sink, at most `limit` bytes; its content type. Raises SiteError in one line."""
        for attempt in range(self.retries + 1):
            self._pause(self.delay - (time.monotonic() - self._last))
            try:
                return self._attempt(url, sink, limit)
            except _Dropped as dropped:
                failure = str(dropped)
            finally:
                self._last = time.monotonic()
            if attempt < self.retries:
                self._pause(min(2.0**attempt, 8.0) * (self.delay > 0))
        raise Unreachable(f"{url}: {failure}; check your connection and run fetch again (it resumes)")

    def _attempt(self, url: str, sink: IO[bytes] | bytearray, limit: int) -> str:
        """One request on a thread of its own, waited for in slices: the deadline and a cancel are kept whatever the
        server does (a byte every two seconds never trips a timeout per read)."""
        if isinstance(sink, bytearray):  # a retry starts afresh
            sink.clear()
        else:
            sink.seek(0)
            sink.truncate()
        transfer = _Transfer(self, url, sink, limit)
        thread = threading.Thread(target=transfer.run, name="ofsted-fetch", daemon=True)
        ends = time.monotonic() + self.timeout
        thread.start()
        while not transfer.done.wait(0.1):
            try:
                self._check_run()
            except Stopped:
                transfer.stop.set()
                raise
            if time.monotonic() > ends:
                transfer.stop.set()
                raise SiteError(f"{url}: timed out ({self.timeout:g} s); try again later, or raise --timeout")
        if transfer.error is not None:
            raise transfer.error
        return transfer.content_type

    def page(self, url: str) -> str:
        body = bytearray()
        self._get(url, body, MAX_PAGE_BYTES)
        return body.decode("utf-8", errors="replace")

    def pdf(self, url: str, target: Path) -> None:
        """A PDF's bytes into target (streamed: never the whole file in memory); an HTML error page served under a
        PDF's link is refused, not imported."""
        with open(target, "wb") as sink:
            self._get(url, sink, MAX_PDF_BYTES)
        with open(target, "rb") as written:
            head = written.read(2000)
        if head.lstrip()[:5] != b"%PDF-":
            what = "an HTML page" if b"<html" in head.lower() else "not a PDF"
            raise SiteError(f"{url}: the site sent {what} instead of the report's PDF; try again later")


class _Dropped(Exception):
    """A connection that failed before any answer: worth a retry."""


class _Transfer:
    """One GET streamed into a sink, on its own thread; stops between chunks when asked."""

    def __init__(self, client: Client, url: str, sink: IO[bytes] | bytearray, limit: int):
        self.client, self.url, self.sink, self.limit = client, url, sink, limit
        self.done, self.stop = threading.Event(), threading.Event()
        self.error: Exception | None = None
        self.content_type = ""

    def run(self) -> None:
        try:
            self._run()
        except Exception as error:  # said by the waiting thread, in one line
            self.error = error
        finally:
            self.done.set()

    def _run(self) -> None:
        httpx, url = self.client._httpx, self.url
        try:
            with self.client._client.stream("GET", url) as response:
                if response.status_code == 404:
                    raise SiteError(f"{url}: not found on the site (404); it may have moved")
                if response.status_code >= 400:
                    raise SiteError(f"{url}: the site answered {response.status_code}; try again later")
                self.content_type = response.headers.get("content-type", "")
                size = 0
                for chunk in response.iter_bytes(64 * 1024):
                    if self.stop.is_set():
                        return
                    size += len(chunk)
                    if size > self.limit:
                        what = "a page" if isinstance(self.sink, bytearray) else "a report"
                        raise SiteError(f"{url}: larger than {self.limit // (1024 * 1024)} MB, too large for {what}")
                    if isinstance(self.sink, bytearray):
                        self.sink += chunk
                    else:
                        self.sink.write(chunk)
        except httpx.TooManyRedirects:
            raise SiteError(f"{url}: the site redirects in a loop; try again later") from None
        except httpx.TimeoutException:
            raise SiteError(f"{url}: timed out; try again later, or raise --timeout") from None
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as error:
            raise _Dropped(f"cannot connect ({type(error).__name__})") from None
        except httpx.HTTPError as error:
            raise SiteError(f"{url}: cannot be fetched ({type(error).__name__}: {error})") from None
        except OSError as error:
            raise SiteError(f"{url}: cannot be saved ({error.strerror or error})") from None
