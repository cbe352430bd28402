"""`fetch` against a hostile local site (issue 37): a server that sends a byte every few tenths of a second, a PDF
and a listing page far too big, a page of tens of thousands of links, a redirect loop, a link with a 300-character
name, another authority's report on a page; and the kinds `jtai` and `send` (issue 34). Every request has a total
deadline and a size cap counted while it streams; every failure is one line and the run goes on. No test touches the
internet; each ends in seconds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest

from ofsted_reader.core import authorities

from .conftest import FOCUSED, ROOT, VISITS, run_cli
from .local_site import LocalSite, QuietHandler, serving
from .test_bounded_input import PEAK_MB, one_line, peak_run

LAMBETH = authorities.identify("Lambeth")
MEDWAY = authorities.identify("Medway")
BARNSLEY = authorities.identify("Barnsley")
LAMBETH_PDF = FOCUSED / "lambeth-focused-visit-2021-dec-01.pdf"
MEDWAY_PDF = VISITS / "medway-focused-visit-2025-06-02.pdf"
LONG = "a" * 300
HUGE = 400 * 1024 * 1024


def link(href: str, text: str) -> str:
    return (
        f'<li><a class="publication-link" href="{href}">{text} <span class="nonvisual">{text}, PDF - 01 August 2023'
        "</span></a></li>"
    )


def page(*links: str) -> bytes:
    return ("<html><body><ol class='timeline'>" + "".join(links) + "</ol></body></html>").encode()


class Hostile(LocalSite):
    def __init__(self):
        super().__init__(Handler)
        self.pages: dict[str, bytes | str] = {}  # path: a body, or one of "trickle", "huge-page", "many-links"
        self.requests: list[str] = []
        self.stop = threading.Event()

    def provider(self, authority) -> str:
        return f"/provider/44/{authority.urn}"


class Handler(QuietHandler):
    def do_GET(self):
        site: Hostile = self.server  # type: ignore[assignment]
        site.requests.append(self.path)
        what = site.pages.get(self.path)
        try:
            if what is None:
                self._head(404, "text/html", 9)
                self.wfile.write(b"not found")
            elif what == "trickle":  # a byte every 0.3 s for a minute: no read ever times out
                self._head(200, "text/html", 10_000)
                for _ in range(200):
                    if site.stop.is_set():
                        return
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.3)
            elif what == "loop":
                self.send_response(302)
                self.send_header("Location", self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif what in ("huge-pdf", "huge-page"):
                start = b"%PDF-1.4\n" if what == "huge-pdf" else b"<html><body>"
                self._head(200, "application/pdf" if what == "huge-pdf" else "text/html", HUGE)
                self.wfile.write(start)
                chunk = b"\0" * (1 << 20)
                sent = len(start)
                while sent < HUGE and not site.stop.is_set():
                    self.wfile.write(chunk[: HUGE - sent])
                    sent += len(chunk)
            else:
                body = what if isinstance(what, bytes) else what.encode()
                kind = "application/pdf" if body[:5] == b"%PDF-" else "text/html; charset=utf-8"
                self._head(200, kind, len(body))
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _head(self, code, kind, length):
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(length))
        self.end_headers()


@pytest.fixture
def hostile():
    with serving(Hostile()) as server:
        yield server
        server.stop.set()  # a trickle or a huge body still being sent ends now


def fetch(site, *args, timeout="2"):
    return run_cli("fetch", "--site", site.url, "--delay", "0", "--timeout", timeout, *args)


def fetch_measured(site, *args: str, timeout: str = "2") -> tuple[int, str, str, float]:
    return peak_run(["fetch", "--site", site.url, "--delay", "0", "--timeout", timeout, *args], timeout=60)


@pytest.mark.subprocess
def test_a_page_sent_a_byte_at_a_time_times_out_whole_and_the_run_goes_on(hostile):
    hostile.pages[hostile.provider(LAMBETH)] = "trickle"
    hostile.pages[hostile.provider(MEDWAY)] = page(link("/v1/file/2001", "Children's services focused visit"))
    started = time.monotonic()
    status, out, err, _ = fetch_measured(hostile, "Lambeth", "Medway", "--dry-run")
    assert time.monotonic() - started < 30
    assert status == 2 and "timed out" in one_line(err) and "Lambeth" in err
    assert "would fetch Medway" in out and "1 to fetch" in out


def test_the_whole_run_has_a_deadline_too(hostile):
    hostile.pages[hostile.provider(LAMBETH)] = "trickle"
    started = time.monotonic()
    result = run_cli(
        "fetch", "Lambeth", "Medway", "--site", hostile.url, "--delay", "0", "--timeout", "30", "--max-time", "1.5"
    )
    assert time.monotonic() - started < 10
    assert result.returncode == 2 and "the run's time limit" in one_line(result.stderr)
    assert hostile.provider(MEDWAY) not in hostile.requests


@pytest.mark.subprocess
def test_a_huge_pdf_is_refused_while_it_streams_in_little_memory(hostile, isolated_home):
    hostile.pages[hostile.provider(MEDWAY)] = page(
        link("/v1/file/huge", "Children's services inspection"),
        link("/v1/file/2001", "Children's services focused visit"),
    )
    hostile.pages["/v1/file/huge"] = "huge-pdf"
    hostile.pages["/v1/file/2001"] = MEDWAY_PDF.read_bytes()
    status, out, err, peak = fetch_measured(hostile, "Medway", timeout="30")
    assert status == 2 and "too large for a report" in one_line(err) and "/v1/file/huge" in err
    assert "1 fetched" in out and "1 failed" in out
    assert peak <= PEAK_MB, f"{peak:.0f} MB"
    assert not [p for p in isolated_home.rglob("fetch-*")]  # the part downloaded is not left behind


@pytest.mark.subprocess
def test_a_huge_listing_page_is_one_line_and_a_failed_run(hostile):
    hostile.pages[hostile.provider(LAMBETH)] = "huge-page"
    status, _, err, peak = fetch_measured(hostile, "Lambeth", timeout="30")
    assert status == 2 and "too large for a page" in one_line(err)
    assert peak <= PEAK_MB, f"{peak:.0f} MB"


def test_a_page_of_tens_of_thousands_of_links_is_refused_before_any_request(hostile):
    links = "".join(
        f'<a class="publication-link" href="/v1/file/{i}">Children\'s services focused visit</a>' for i in range(50_000)
    )
    hostile.pages[hostile.provider(LAMBETH)] = f"<html><body>{links}</body></html>"
    hostile.pages[hostile.provider(MEDWAY)] = page(link("/v1/file/2001", "Children's services focused visit"))
    result = fetch(hostile, "Lambeth", "Medway", "--dry-run")
    assert result.returncode == 2 and "lists 50,000 publications" in one_line(result.stderr)
    assert "would fetch Medway" in result.stdout and "1 to fetch" in result.stdout
    assert not any(path.startswith("/v1/file/") for path in hostile.requests)


def test_a_run_plans_at_most_its_cap_of_publications_and_says_so(hostile, monkeypatch):
    from ofsted_reader.store.library import fetching

    monkeypatch.setattr(fetching, "MAX_ITEMS_PER_RUN", 2)
    hostile.pages[hostile.provider(LAMBETH)] = page(
        *(link(f"/v1/file/{i}", "Children's services focused visit") for i in range(5))
    )
    result = fetch(hostile, "Lambeth", "--dry-run")
    assert result.returncode == 2 and "more than 2 publications to fetch in one run" in one_line(result.stderr)
    assert "2 to fetch" in result.stdout


def test_a_redirect_loop_is_one_line_and_a_long_link_name_is_fetched(hostile):
    hostile.pages[hostile.provider(LAMBETH)] = page(
        link("/v1/file/loop", "Children's services inspection"),
        link(f"/v1/file/{LONG}", "Children's services focused visit"),
    )
    hostile.pages["/v1/file/loop"] = "loop"
    hostile.pages[f"/v1/file/{LONG}"] = LAMBETH_PDF.read_bytes()
    result = fetch(hostile, "Lambeth")
    assert result.returncode == 2 and "redirects in a loop" in one_line(result.stderr)
    assert "1 fetched, 0 already in the library, 1 failed" in result.stdout
    ids = [r["report_id"] for r in json.loads(run_cli("list", "--json").stdout)]
    assert "lambeth-focused-visit-2021-12-01" in ids


def test_a_report_listed_on_another_authoritys_page_gets_its_own_urn(hostile):
    hostile.pages[hostile.provider(LAMBETH)] = page(link("/v1/file/2001", "Children's services focused visit"))
    hostile.pages["/v1/file/2001"] = MEDWAY_PDF.read_bytes()
    result = fetch(hostile, "Lambeth")
    assert result.returncode == 0, result.stderr
    listed = {r["report_id"]: r for r in json.loads(run_cli("list", "--json").stdout)}
    assert listed["medway-focused-visit-2025-06-02"]["urn"] == MEDWAY.urn != LAMBETH.urn


def test_fetch_kind_jtai_and_send_list_and_download_the_other_inspections(hostile):
    hostile.pages[hostile.provider(BARNSLEY)] = page(
        link("/v1/file/3001", "Joint targeted area inspection of Barnsley"),
        link("/v1/file/3002", "Area SEND full inspection"),
        link("/v1/file/3003", "Children's services focused visit"),
        link("/v1/file/3004", "Children's home inspection"),
    )
    default = fetch(hostile, "Barnsley", "--dry-run")
    assert default.returncode == 0 and "1 to fetch" in default.stdout and "/v1/file/3003" in default.stdout
    both = fetch(hostile, "Barnsley", "--kind", "jtai", "--kind", "send", "--dry-run")
    assert both.returncode == 0 and "2 to fetch" in both.stdout
    assert "/v1/file/3001" in both.stdout and "/v1/file/3002" in both.stdout and "3004" not in both.stdout
    hostile.pages["/v1/file/3001"] = b"<html><body>Sorry, something went wrong</body></html>"
    jtai = fetch(hostile, "Barnsley", "--kind", "jtai")
    assert "/v1/file/3001" in hostile.requests and "/v1/file/3002" not in hostile.requests
    assert jtai.returncode == 2 and "an HTML page instead of the report's PDF" in one_line(jtai.stderr)


QUIT_DURING_FETCH = """
import asyncio, sys, time
from tests.conftest import make_app, settle
from ofsted_reader.core import authorities

async def main():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.library_work.fetch_site, app.library_work.fetch_delay = sys.argv[1], 0
        app.library_work.fetch(authorities.identify("Lambeth"))
        await asyncio.sleep(1.5)  # the request is made; the server sends a byte now and then
        print("quit", time.time(), flush=True)

asyncio.run(main())
"""


@pytest.mark.subprocess
def test_quitting_the_app_cancels_a_fetch_at_once(isolated_home, hostile):
    hostile.pages[hostile.provider(LAMBETH)] = "trickle"
    process = subprocess.run(
        [sys.executable, "-c", QUIT_DURING_FETCH, hostile.url],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={**os.environ},
    )
    ended = time.time()
    assert process.returncode == 0, process.stderr
    assert hostile.provider(LAMBETH) in hostile.requests
    quit_at = float(process.stdout.split()[1])
    # The process ends as the app does, not when the server is done sending, a minute later.
    assert ended - quit_at < 3, f"{ended - quit_at:.1f} s"
