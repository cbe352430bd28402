"""Errors the store raises for the user to read, apart from the store itself so a caller can catch them without
loading TinyDB and the file lock (the CLI's start stays light)."""

from __future__ import annotations


class StoreError(Exception):
    """A request the store refuses; the message says what and what to do."""
