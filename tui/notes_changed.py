"""Notes changed: one signal on the app (`notes_changed`), published wherever notes change (added, edited, tagged,
deleted, restored, attached, a code renamed, or the notes file changed on disk by another process) and subscribed to
by every view of notes (the main screen's reader and counts, the notes panel, the codebook, an authority's memos). No
screen reaches into another to refresh it.

A view subscribes once mounted and unsubscribes on unmount; the callback runs on the view's own message queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, cast

from textual.dom import DOMNode
from textual.signal import Signal

from ofsted_reader.core.notes import Note


@dataclass(frozen=True)
class NotesChange:
    """The notes as they are now, and the screen that changed them (or found them changed on disk): it has shown the
    change already, so it may skip its own."""

    notes: list[Note]
    by: DOMNode


class _HasNotesSignal(Protocol):
    notes_changed: Signal[NotesChange]


def notes_signal(node: DOMNode) -> Signal[NotesChange]:
    """The app's notes-changed signal, for a screen or widget of the app (OfstedReaderApp makes it)."""
    return cast(_HasNotesSignal, node.app).notes_changed


def publish_notes_changed(node: DOMNode, notes: list[Note]) -> None:
    """Tell every view of notes that they changed: `node` made the change (and has shown it)."""
    notes_signal(node).publish(NotesChange(notes, node))
