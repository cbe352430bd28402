"""Importers: turn a report file (text or PDF) into the shared model. No Textual here."""

from __future__ import annotations

from pathlib import Path

from ofsted_reader.model import Report

from .decode import decode_text
from .errors import ReportError

__all__ = ["ReportError", "parse_bytes", "parse_file", "report_files"]

REPORT_SUFFIXES = {".txt", ".pdf", ".text"}


def parse_bytes(data: bytes, source: str) -> Report:
    """Parse by content, not by file name: a PDF is a PDF whatever it is called.

    A layout the rules do not foresee must not stop a batch: any other failure becomes a ReportError too.
    """
    try:
        return _parse_bytes(data, source)
    except ReportError:
        raise
    except Exception as error:  # noqa: BLE001 - the batch goes on; the message names the file and the fault
        raise ReportError(source, f"could not be parsed ({type(error).__name__}: {error}); "
                                  "please report this file to the ofsted-reader maintainers") from error


def _parse_bytes(data: bytes, source: str) -> Report:
    if data.lstrip()[:5] == b"%PDF-":
        from .pdf import parse_pdf  # pypdfium2 loads only when a PDF comes

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


def parse_file(path: str | Path) -> Report:
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ReportError(source, "no such file; check the path") from None
    except IsADirectoryError:
        raise ReportError(source, "is a directory; give files, or a directory to search") from None
    except OSError as error:
        raise ReportError(source, f"cannot read the file ({error.strerror}); check its permissions") from None
    return parse_bytes(data, source)


def report_files(path: str | Path) -> list[Path]:
    """A file as given, or the report files found under a directory (recursively, sorted)."""
    path = Path(path)
    if path.is_dir():
        return sorted(
            p for p in path.rglob("*")
            if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES and not p.name.startswith(".")
        )
    return [path]
