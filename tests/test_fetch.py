"""`ofsted-reader fetch` against a local HTTP server shaped like Ofsted's reports site: provider pages listing
publications, real PDFs from tests/data, an HTML error page under a PDF link, a 404 and a link that never answers.
No test touches the internet."""

from __future__ import annotations

import json
import socket
import time
from collections import Counter

import pytest

from ofsted_reader.core import authorities

from .conftest import CORPUS, FOCUSED, VISITS
from .conftest import run_cli as cli
from .local_site import LocalSite, QuietHandler, serving

LAMBETH = authorities.identify("Lambeth")
MEDWAY = authorities.identify("Medway")

FILES = {
    "1001": FOCUSED / "lambeth-focused-visit-2021-dec-01.pdf",
    "1002": FOCUSED / "lambeth-focused-visit-2023-aug-01.pdf",
    "1003": CORPUS / "lambeth-2018-may-09.pdf",
    "2001": VISITS / "medway-focused-visit-2025-06-02.pdf",
}
HTML_ERROR = b"<!DOCTYPE html><html><head><title>Error</title></head><body>Sorry, something went wrong</body></html>"


def link(file_id: str, text: str) -> str:
    return (
        f'<li class="timeline__day"><a class="publication-link" href="/v1/file/{file_id}" target="_blank">{text} '
        f'<span class="nonvisual">{text}, PDF - 01 August 2023</span></a></li>'
    )


PAGES = {
    f"/provider/44/{LAMBETH.urn}": "<html><body><h1>London Borough of Lambeth</h1><ol class='timeline'>"
    + link("1002", "Children&#8217;s services focused visit")
    + link("1001", "Children's services focused visit")
    + link("9001", "Area SEND full inspection")  # not a children's services report: never fetched
    + link("1003", "Children's services inspection")
    + "</ol></body></html>",
    f"/provider/44/{MEDWAY.urn}": "<html><body><ol class='timeline'>"
    + link("2001", "Children's services focused visit")
    + link("2002", "Children's services focused visit")  # an HTML error page under a PDF link
    + link("2003", "Monitoring visit")  # gone: 404
    + link("2004", "Children's services inspection")  # never answers in time
    + "</ol></body></html>",
}


class Site(LocalSite):
    def __init__(self):
        super().__init__(Handler)
        self.requests: Counter = Counter()
        self.agents: set[str] = set()
        self.fail: set[str] = set()  # paths that answer 500 this time (an interrupted run)


class Handler(QuietHandler):
    def do_GET(self):
        site: Site = self.server  # type: ignore[assignment]
        site.requests[self.path] += 1
        site.agents.add(self.headers.get("User-Agent", ""))
        if self.path in site.fail:
            return self._send(500, b"busy", "text/plain")
        if self.path in PAGES:
            return self._send(200, PAGES[self.path].encode(), "text/html; charset=utf-8")
        file_id = self.path.rsplit("/", 1)[-1]
        if file_id in FILES:
            return self._send(200, FILES[file_id].read_bytes(), "application/pdf")
        if file_id == "2002":
            return self._send(200, HTML_ERROR, "application/pdf")
        if file_id == "2004":
            time.sleep(3)
            return self._send(200, b"%PDF-1.4 too late", "application/pdf")
        return self._send(404, b"<html>Not found</html>", "text/html")

    def _send(self, code, body, kind):
        try:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def site():
    with serving(Site()) as server:
        yield server


def fetch(site_url, *args):
    return cli("fetch", "--site", site_url, "--delay", "0", "--timeout", "1", *args)


def pdf_requests(site):
    return sum(n for path, n in site.requests.items() if path.startswith("/v1/file/"))


def test_dry_run_lists_the_new_childrens_services_publications_and_downloads_nothing(site):
    result = fetch(site.url, "Lambeth", "--dry-run")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("would fetch")]
    assert len(lines) == 3 and not any("SEND" in line for line in lines)
    assert f"{site.url}/v1/file/1001" in result.stdout
    assert pdf_requests(site) == 0
    assert json.loads(cli("list", "--json").stdout) and not any(
        r["report_id"].startswith("lambeth") for r in json.loads(cli("list", "--json").stdout)
    )
    assert any(agent.startswith("ofsted-reader/") for agent in site.agents)


def test_fetch_imports_new_reports_records_their_source_and_a_second_run_downloads_nothing(site):
    result = fetch(site.url, "Lambeth")
    assert result.returncode == 0, result.stderr
    assert "3 fetched, 0 already in the library, 0 failed" in result.stdout
    listed = {r["report_id"]: r for r in json.loads(cli("list", "--json").stdout)}
    visit = listed["lambeth-focused-visit-2021-12-01"]
    assert visit["source_url"] == f"{site.url}/v1/file/1001" and visit["urn"] == LAMBETH.urn
    assert listed["lambeth-2018-05-09"]["report_type"] == "inspection"
    # Citations link to the source's page.
    pid = "lambeth-focused-visit-2021-12-01/headline-findings/para-2"
    assert cli("note", "add", pid, "--text", "assessments", "--tag", "fd").returncode == 0
    assert f"{site.url}/v1/file/1001#page=1" in cli("export", "--tag", "fd").stdout

    before = pdf_requests(site)
    again = fetch(site.url, "Lambeth")
    assert again.returncode == 0 and "0 fetched, 3 already in the library" in again.stdout
    assert pdf_requests(site) == before


def test_html_error_pages_404s_and_timeouts_are_refused_in_one_line_each_and_the_rest_imported(site):
    result = fetch(site.url, "Medway")
    assert result.returncode == 2
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 3 and "Traceback" not in result.stderr
    assert any("an HTML page instead of the report's PDF" in e and "/v1/file/2002" in e for e in errors)
    assert any("404" in e and "/v1/file/2003" in e for e in errors)
    assert any("timed out" in e and "/v1/file/2004" in e for e in errors)
    assert "1 fetched" in result.stdout
    ids = [r["report_id"] for r in json.loads(cli("list", "--json").stdout)]
    assert "medway-focused-visit-2025-06-02" in ids and len([i for i in ids if i.startswith("medway")]) == 1


def test_an_interrupted_run_resumes_with_what_it_had_not_fetched(site):
    site.fail = {"/v1/file/1002", "/v1/file/1003"}
    first = fetch(site.url, "Lambeth")
    assert first.returncode == 2 and "1 fetched" in first.stdout
    site.fail = set()
    before = Counter(site.requests)
    second = fetch(site.url, "Lambeth")
    assert second.returncode == 0 and "2 fetched, 1 already in the library" in second.stdout
    assert site.requests["/v1/file/1001"] == before["/v1/file/1001"]  # not downloaded again


def test_offline_is_one_clear_line_and_changes_nothing():
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = fetch(f"http://127.0.0.1:{port}", "Lambeth", "Medway")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "check your connection" in result.stderr


def test_an_unknown_authority_is_refused_before_any_request(site):
    result = fetch(site.url, "Gotham")
    assert result.returncode == 2 and "'Gotham' is not an English local authority" in result.stderr
    assert not site.requests
