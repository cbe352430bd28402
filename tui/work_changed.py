"""The library's long work moved on: one signal on the app (`work_changed`), published by the services
(tui/services/) when an import or fetch starts, moves on or ends, when reports join the library, and when the
indexing stops on a failure; the main screen subscribes (its title bar says what runs, its tree lists what joined).

A view subscribes once mounted and unsubscribes on unmount; the callback runs on the view's own message queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, cast

from textual.dom import DOMNode
from textual.signal import Signal


@dataclass(frozen=True)
class WorkChange:
    """What the long work changed: `reports_added`, reports joined the library (the tree lists them again); always,
    what the title bar says runs."""

    reports_added: bool = False


class _HasWorkSignal(Protocol):
    work_changed: Signal[WorkChange]


def work_signal(node: DOMNode) -> Signal[WorkChange]:
    """The app's work-changed signal, for a screen or widget of the app (OfstedReaderApp makes it)."""
    return cast(_HasWorkSignal, node.app).work_changed
