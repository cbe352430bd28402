"""What the main screen's parts (its mixins: NoteActions, AuthorityActions) may use of it, declared once for the type
checker: MainScreen defines them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from ofsted_reader.core.model import Report
from ofsted_reader.store.library.library import Library
from ofsted_reader.store.notes.annotations import AnnotationStore


class MainParts(Screen):
    library: Library
    store: AnnotationStore
    report: Report | None
    section_id: str | None

    if TYPE_CHECKING:

        def open_place(
            self,
            report_id: str,
            section_id: str | None = None,
            paragraph_id: str | None = None,
            push: bool = True,
            highlight: str | None = None,
            focus_reader: bool = True,
        ) -> bool: ...
