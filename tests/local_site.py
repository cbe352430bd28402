"""A web server on a free local port, standing for Ofsted's site in the tests of fetch and of `open --download`."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

Site = TypeVar("Site", bound="LocalSite")


class LocalSite(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, handler: type[http.server.BaseHTTPRequestHandler]):
        super().__init__(("127.0.0.1", 0), handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """Answers without a log line a request on stderr, which would bury what a failing test says."""

    def log_message(self, *args):
        pass


@contextmanager
def serving(site: Site) -> Iterator[Site]:
    """The site answering from a thread of its own until the block ends."""
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.shutdown()
        site.server_close()
