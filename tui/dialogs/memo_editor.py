"""The memo editor: the note editor (drafts kept while typing, escape asks before discarding, a failed save keeps
it open) without the tag line, for a memo on a report or an authority."""

from __future__ import annotations

from .note_editor import NoteEditor


class MemoEditor(NoteEditor):
    def on_mount(self) -> None:
        self.query_one("#note-tags").display = False  # a memo is not coded: it has no tags
        super().on_mount()
