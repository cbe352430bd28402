"""Importers: turn a report file (text or PDF) into the shared model. No Textual here."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from ofsted_reader.core.bounded import InputError, read_bytes
from ofsted_reader.core.model import Report

from .decode import decode_text
from .errors import ReportError

__all__ = ["ReportError", "parse_bytes", "parse_file", "read_report_bytes", "report_files"]

REPORT_SUFFIXES = {".txt", ".pdf", ".text"}


def parse_bytes(data: bytes, source: str) -> Report:
    """Parse by content, not by file name: a PDF is a PDF whatever it is called.

    A layout the rules do not foresee must not stop a batch: any other failure becomes a ReportError too.
    """
    try:
        return _parse_bytes(data, source)
    except ReportError:
        raise
    except Exception as error:
        raise ReportError(
            source,
            f"could not be parsed ({type(error).__name__}: {error}); "
            "please report this file to the ofsted-reader maintainers",
        ) from error


def _parse_bytes(data: bytes, source: str) -> Report:
    if data.lstrip()[:5] == b"%PDF-":
        from .pdf import parse_pdf  # pypdfium2 loads only when a PDF comes
        from .pdf_budget import check_pdf_budget

        check_pdf_budget(data, source)
        return parse_pdf(data, source)
    head = data.lstrip()[:400].lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        raise ReportError(source, "this is an HTML page, not a report (a failed download?); download the PDF again")
    text = decode_text(data, source)
    from .slac import looks_like_slac, parse_text

    if looks_like_slac(text):
        return parse_text(text, source)
    raise ReportError(
        source,
        "not a report this app can read: expected an Ofsted PDF or the text of a 2009-2012 "
        "'Inspection of safeguarding and looked after children services' report",
    )


# The largest report file read: Ofsted's reports are under 5 MB; a path to /dev/zero or a 4 GB video is not read.
MAX_REPORT_BYTES = 100 * 1024 * 1024


def read_report_bytes(path: str | Path) -> bytes:
    """A report file's bytes, or a ReportError that names the file and what to do: read by the one bounded reader
    (ofsted_reader/core/bounded.py), so a FIFO cannot hang an import, /dev/zero cannot fill memory and a file that
    grows while it is read stops at the cap."""
    source = str(path)
    try:
        return read_bytes(path, MAX_REPORT_BYTES, "a report")
    except FileNotFoundError:
        raise ReportError(source, "no such file; check the path") from None
    except InputError as error:
        raise ReportError(source, str(error)) from None


def parse_file(path: str | Path) -> Report:
    return parse_bytes(read_report_bytes(path), str(path))


def report_files(path: str | Path, problems: list[str] | None = None) -> list[Path]:
    """A file as given, or the report files found under a directory (recursively, sorted). A folder that cannot be
    listed (no permission, or nested deeper than the system's longest path) gives what it can, and is said in
    `problems` when given."""
    path = Path(path)
    if path.is_dir():

        def unlisted(error: OSError) -> None:
            if problems is None:
                return
            where = str(error.filename or path)
            if error.errno == errno.ENAMETOOLONG:
                problems.append(
                    f"{where[:80]}…: a folder nested deeper than this system's longest path; its reports were not "
                    "read; move them to a shorter path"
                )
            else:
                problems.append(f"{where}: this folder cannot be read ({error.strerror}); check its permissions")

        # Regular files only (a FIFO named x.pdf is skipped).
        found = []
        for root, _, names in os.walk(path, onerror=unlisted):
            for name in names:
                candidate = Path(root) / name
                if candidate.suffix.lower() in REPORT_SUFFIXES and not name.startswith(".") and candidate.is_file():
                    found.append(candidate)
        return sorted(found)
    return [path]
