"""What every command shares: the exit status and error type a user can put right, output helpers, the notes store
opened once per command (its notices said as the command ends), and how a report is named on the command line."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from ofsted_reader.core.safe_text import visible
from ofsted_reader.store.errors import StoreError

if TYPE_CHECKING:
    from rich.text import Text

    from ofsted_reader.store.library.library import Entry, Library
    from ofsted_reader.store.notes.annotations import AnnotationStore

EXIT_USAGE = 2


class UserError(Exception):
    """Something the user can put right; the message says what and how."""


def print_json(data: object, compact: bool = False) -> None:
    import json

    if compact:
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def say_error(message: str) -> None:
    sys.stderr.write(f"ofsted-reader: {visible(message, keep_newlines=False)}\n")


def cell(value: object) -> Text:
    """A table cell shown as it is: never read as rich markup, control characters made visible."""
    from rich.text import Text

    return Text(visible(str(value), keep_newlines=False))


_STORES: list[AnnotationStore] = []  # the notes stores this command opened: what they found to tell is said as it ends


def open_store() -> AnnotationStore:
    from ofsted_reader.store.notes.annotations import AnnotationStore

    store = AnnotationStore()
    _STORES.append(store)
    return store


def say_store_notices() -> None:
    """A journal cut short and kept aside, and the like: said on stderr once the command is done, whatever its end."""
    for store in _STORES:
        for notice in store.notices():
            say_error(f"warning: {notice}")
    _STORES.clear()


def readable_store() -> AnnotationStore:
    """The store, for a command whose answer would be wrong from a damaged file ('no notes', an empty export)."""
    store = open_store()
    if store.damaged:
        raise StoreError(
            f"annotations file {store.damaged}. `ofsted-reader note restore` shows the previous version "
            "and can put it back"
        )
    return store


def resolve_report(library: Library, given: str) -> Entry:
    """A report as `search` and `open` take it: an id, the unique start of one, or an authority (its name, the start
    of it, a near spelling: its latest inspection)."""
    from ofsted_reader.core.filters import FilterError, resolve_authority

    try:
        return library.resolve(given)
    except LookupError as error:
        try:
            return library.resolve(resolve_authority(given, "report").name)
        except (LookupError, FilterError):
            raise UserError(f"{error}; see `ofsted-reader list`") from None
