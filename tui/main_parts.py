"""What the main screen's parts (its mixins: NoteActions, AuthorityActions) may use of it, declared once for the type
checker: MainScreen defines them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from ofsted_reader.core.model import Report
from ofsted_reader.store.annotations import AnnotationStore
from ofsted_reader.store.library import Library


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
