"""Bytes to text: the encodings and line endings report text files arrive in."""

from __future__ import annotations

from .errors import ReportError


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return bool(sample) and controls / len(sample) > 0.05


def decode_text(data: bytes, path: str) -> str:
    """Decode UTF-8 (with or without BOM) or Windows-1252, and normalise line endings."""
    if not data.strip():
        raise ReportError(path, "the file is empty; choose a report file")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with its byte order mark, as Windows Notepad saves it
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise ReportError(path, "a UTF-16 text file that cannot be decoded; save it again as UTF-8") from None
    if looks_binary(data):
        raise ReportError(path, "binary file, not a report; give a PDF or a text report")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Text saved by Windows tools; cp1252 leaves five bytes undefined, latin-1 takes those.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Non-breaking and other odd spaces would defeat the line patterns.
    return text.replace("\u00a0", " ").replace("\u200b", "")
