"""What the main screen's action parts (notes, authorities, the library's work) use of the screen, as an interface:
the screen holds the parts (the tree and the reader panes) and the place being read; a part asks it to open a place,
to show notes changed, to run a store call that can be refused. MainScreen is one; the parts never import it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from textual.app import App

from ofsted_reader.core.model import Paragraph, Report
from ofsted_reader.core.notes import Note
from ofsted_reader.store.library.library import Library
from ofsted_reader.store.notes.annotations import AnnotationStore
from ofsted_reader.store.uistate import UIState

from .library_pane import LibraryPane
from .reader_pane import ReaderPane


class MainView(Protocol):
    library: Library
    store: AnnotationStore
    state: UIState

    @property
    def app(self) -> App[Any]: ...

    @property
    def report(self) -> Report | None: ...

    @property
    def section_id(self) -> str | None: ...

    @property
    def library_pane(self) -> LibraryPane: ...

    @property
    def reader_pane(self) -> ReaderPane: ...

    def current(self) -> Paragraph | None: ...

    def open_place(
        self,
        report_id: str,
        section_id: str | None = None,
        paragraph_id: str | None = None,
        push: bool = True,
        highlight: str | None = None,
        focus_reader: bool = True,
    ) -> bool: ...

    def notes_changed(self) -> None: ...

    def refresh_blocks(self) -> list[Note]: ...

    def store_call(self, call: Callable[[], object]) -> bool: ...

    def save_state(self) -> None: ...

    def return_here(self) -> None: ...


class Part:
    """One job of the main screen, done through its MainView: what every part reaches the same way."""

    def __init__(self, view: MainView):
        self.view = view

    @property
    def app(self) -> App[Any]:
        return self.view.app

    @property
    def library(self) -> Library:
        return self.view.library
