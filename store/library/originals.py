"""Where the library's own copy of a report's original PDF is: what `O` in the app and `open` on the command line
show. Never the path as typed at import (relative to wherever the import ran, and a name such as `--help.pdf` that
a viewer would read as an option): the copy the import made in the data dir, the PDF the app ships beside the
record, or a copy downloaded once from Ofsted's URL when the user asked (most of the record ships as parsed text
alone: its PDFs are 230 MB)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ofsted_reader.host import locations
from ofsted_reader.reports import BUNDLED_DIR
from ofsted_reader.store.atomic import TEMP_PREFIX, remove_stale_temps
from ofsted_reader.store.errors import StoreError

from .entry import Entry


def downloaded(entry: Entry) -> Path:
    """Where a PDF downloaded for `O` or `open --download` is kept: beside the library, named by the report's id."""
    return locations.data_dir() / "originals" / f"{entry.id}.pdf"


def local_pdf(entry: Entry) -> Path | None:
    """The library's copy of the report's PDF, as an absolute path; None when it has none (a report shipped as
    text alone and never downloaded, or a copy lost from the data dir)."""
    if entry.original is not None:
        path = Path(entry.original).absolute()
        home = (BUNDLED_DIR if entry.shipped else locations.data_dir() / "library").absolute()
        if path.suffix.lower() == ".pdf" and path.is_relative_to(home) and path.is_file():
            return path
    copy = downloaded(entry).absolute()
    return copy if copy.is_file() else None


def online(entry: Entry, page: int | None) -> str | None:
    """Ofsted's URL of the PDF, at the page where a browser's viewer takes one."""
    if not entry.source_url:
        return None
    return f"{entry.source_url}#page={page}" if page else entry.source_url


def download(entry: Entry, timeout: float = 30.0, cancelled: Callable[[], bool] = lambda: False) -> Path:
    """The report's PDF fetched once from Ofsted's URL into the data dir (the network: only when the user asked).
    Streamed with the fetcher's size cap and deadline; a failure is a StoreError saying what to do."""
    from ofsted_reader.importers.ofsted_site import Client, SiteError

    if not entry.source_url:
        raise StoreError(f"{entry.id}: Ofsted's listing gives no URL for this report's PDF; `fetch` finds it by page")
    target = downloaded(entry)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target.parent)
    partial = target.with_name(f"{TEMP_PREFIX}{target.name}")
    try:
        with Client(delay=0, timeout=timeout, cancelled=cancelled) as client:
            client.pdf(entry.source_url, partial)
        partial.replace(target)  # whole or not at all: a cut download never passes for the PDF
    except SiteError as error:
        partial.unlink(missing_ok=True)
        raise StoreError(f"{entry.id}: {error}") from None
    return target.absolute()
