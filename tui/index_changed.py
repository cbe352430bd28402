"""The search index changed: one signal on the app (`index_changed`), published by the background indexing after each
batch and when it is done, and subscribed to by whatever searches (the search screen runs what is typed again over
the larger index). The indexing does not look for the screens that search.

A view subscribes once mounted and unsubscribes on unmount; the callback runs on the view's own message queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast

from textual.dom import DOMNode
from textual.signal import Signal

if TYPE_CHECKING:
    from ofsted_reader.core.search.engine import SearchIndex
    from ofsted_reader.store.library.warmup import Progress


@dataclass(frozen=True)
class IndexChange:
    """The index as it is now, and how far the indexing has gone (None: all of the library is in it)."""

    index: SearchIndex
    progress: Progress | None


class _HasIndexSignal(Protocol):
    index_changed: Signal[IndexChange]


def index_signal(node: DOMNode) -> Signal[IndexChange]:
    """The app's index-changed signal, for a screen or widget of the app (OfstedReaderApp makes it)."""
    return cast(_HasIndexSignal, node.app).index_changed
