"""Export notes (x): a preview of the Markdown, a file name, ctrl+s to save. The file's suffix chooses the format:
.md, .csv for a spreadsheet, .qdpx a REFI-QDA project for QDA tools, .qdc the codebook alone (ctrl+f cycles them)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

from ofsted_reader.core.export import GROUPS
from ofsted_reader.store.atomic import write_atomic
from ofsted_reader.store.errors import StoreError
from ofsted_reader.store.library.library import Library
from ofsted_reader.store.notes.annotations import AnnotationStore
from ofsted_reader.tui.dialogs.confirm import unless_it_replaces
from ofsted_reader.tui.key_hints import hint_line

FORMATS = (".md", ".csv", ".qdpx", ".qdc")
FORMAT_NAMES = {
    ".md": "Markdown",
    ".csv": "CSV (a spreadsheet)",
    ".qdpx": "a REFI-QDA project (.qdpx)",
    ".qdc": "a REFI-QDA codebook (.qdc)",
}


def qda_bytes(library: Library, store: AnnotationStore, kind: str) -> bytes:
    """The notes as a REFI-QDA project (kind '.qdpx') or the codebook alone ('.qdc')."""
    from ofsted_reader.store import research

    return research.project(library, store).data if kind == ".qdpx" else research.codebook_file(store)


class ExportScreen(ModalScreen[Path | None]):
    CSS_PATH = "export.tcss"
    TYPED_INTO = "#export-path"  # keys typed while it opens are held for it (app.on_event)
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="export.save", priority=True),
        Binding("ctrl+g", "cycle_group", "Group by", id="export.group", priority=True),
        Binding("ctrl+f", "cycle_format", "Format", id="export.format", priority=True),
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    def __init__(
        self,
        render: Callable[[str], tuple[str, int]],
        default_path: Path,
        qda: Callable[[str], bytes] | None = None,
    ) -> None:
        super().__init__()
        self.render_export = render  # group_by -> (markdown, count)
        self.render_qda = qda  # suffix (.qdpx or .qdc) -> bytes
        self.default_path = default_path
        self.group_by = "report"
        self.shown = ".md"  # the format the title and preview show

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="export"):
            yield Label("Export notes to Markdown", id="dialog-title")
            yield TextArea("", read_only=True, id="export-preview", soft_wrap=True)
            yield Input(str(self.default_path), id="export-path")
            yield Static("", id="export-help", classes="dialog-help")

    def on_mount(self) -> None:
        self._refresh()
        self.query_one("#export-path").focus()

    def _suffix(self) -> str:
        suffix = Path(self.query_one("#export-path", Input).value.strip()).suffix.lower()
        return suffix if suffix in FORMAT_NAMES and (self.render_qda or suffix in FORMATS[:2]) else ".md"

    def on_input_changed(self, event: Input.Changed) -> None:
        """The title and the preview follow the file's suffix: what is shown is what will be written."""
        if self._suffix() != self.shown:
            self._refresh()

    def _refresh(self) -> None:
        suffix = self.shown = self._suffix()
        text, count = self.render_export(self.group_by)
        self.text = text
        self.query_one("#dialog-title", Label).update(f"Export notes to {FORMAT_NAMES[suffix]}")
        if suffix == ".csv":
            preview = self.render_export("csv")[0]
        elif suffix in (".qdpx", ".qdc"):
            what = "the codebook alone" if suffix == ".qdc" else "every report noted, with its notes and codes"
            preview = (
                f"{FORMAT_NAMES[suffix]}: {what}, for NVivo, ATLAS.ti, MAXQDA, QualCoder or Taguette.\n\n"
                f"{count} notes. ctrl+s writes it; there is no text to preview."
            )
        else:
            preview = text
        self.query_one("#export-preview", TextArea).load_text(preview)
        grouped = f", grouped by {self.group_by}" if suffix == ".md" else ""
        self.query_one("#export-help", Static).update(
            Text(f"{count} notes{grouped} · ").append_text(
                hint_line(
                    self,
                    ("export.group", "group by"),
                    ("export.format", "format (.md, .csv spreadsheet, .qdpx QDA project, .qdc codebook)"),
                    ("export.save", "save"),
                    ("export.cancel", "cancel"),
                    between=" · ",
                )
            )
        )

    def action_cycle_group(self) -> None:
        self.group_by = GROUPS[(GROUPS.index(self.group_by) + 1) % len(GROUPS)]
        self._refresh()

    def action_cycle_format(self) -> None:
        field = self.query_one("#export-path", Input)
        path = Path(field.value.strip() or str(self.default_path))
        suffix = path.suffix.lower()
        known = FORMATS if self.render_qda else FORMATS[:2]
        following = known[(known.index(suffix) + 1) % len(known)] if suffix in known else known[0]
        field.value = str(path.with_suffix(following))

    def action_save(self) -> None:
        path = Path(self.query_one("#export-path", Input).value.strip()).expanduser()
        if not path.name:
            self.notify("Give a file name", severity="warning")
            return
        unless_it_replaces(self, path, lambda: self._write(path))

    def _write(self, path: Path) -> None:
        if not path.parent.is_dir():
            self.notify(f"{path.parent} does not exist: give a file in a folder that does", severity="error")
            return
        suffix = path.suffix.lower()
        try:
            if suffix in (".qdpx", ".qdc") and self.render_qda is not None:
                data = self.render_qda(suffix)
            else:
                data = (self.render_export("csv")[0] if suffix == ".csv" else self.text).encode("utf-8")
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        try:
            write_atomic(path, data)
        except OSError as error:
            self.notify(f"Cannot write {path}: {error.strerror}", severity="error")
            return
        self.dismiss(path)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)
