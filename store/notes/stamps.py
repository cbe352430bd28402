"""What every stored document (note, memo, codebook entry) is stamped and checked with on its way in."""

from __future__ import annotations

import datetime as dt

from ofsted_reader.store.errors import StoreError


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def checked_text(text: str, what: str = "the note's text") -> str:
    """Text that can be stored: a command-line argument that was not UTF-8 arrives with lone surrogates."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise StoreError(f"{what} is not valid text (it holds bytes that are not UTF-8); nothing was saved") from None
    return text
