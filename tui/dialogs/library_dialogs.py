"""Dialogs about the library itself: the first-run welcome, a report's sources and licence (i), and the path prompt
of import (I) with completion of folders and report files."""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label, Static

from ofsted_reader.core.citation import CROWN_NOTICE
from ofsted_reader.core.dates import long_date
from ofsted_reader.core.model import Report
from ofsted_reader.core.safe_text import visible
from ofsted_reader.core.visits import KINDS
from ofsted_reader.core.vocabulary import FRAMEWORK_NAMES, SEND_OUTCOME_NAMES
from ofsted_reader.store.library.library import Entry
from ofsted_reader.tui.key_hints import hint_line, key_of


def _field(text: Text, name: str, value: str | None) -> None:
    if value:
        text.append(f"{name:<14}", style="bold")
        text.append(visible(value) + "\n")


class Welcome(ModalScreen[None]):
    """What a fresh install holds, how current it is, and how to bring it up to date."""

    BINDINGS = [Binding("escape,enter,q,space", "close", "Close", id="welcome.close")]

    def __init__(self, entries: list[Entry]):
        super().__init__()
        self.entries = entries

    def body(self) -> Text:
        shipped = [e for e in self.entries if e.bundled]
        national = [e for e in shipped if e.framework != "slac"]
        inspections = [e for e in national if e.report_type == "inspection"]
        visits = [e for e in national if e.report_type in KINDS]
        historic = [e for e in shipped if e.framework == "slac"]
        newest = max((e.published or e.inspected or "" for e in national), default="")
        oldest = min((e.published or e.inspected or "" for e in inspections), default="")
        authorities = {e.authority_code or e.authority for e in inspections}
        text = Text()
        text.append(
            "The library holds, offline:\n\n"
            if not inspections
            else "The library opens with the complete record, offline:\n\n"
        )
        if inspections:
            text.append(f"  {len(authorities)} authorities", style="bold")
            text.append(
                f": every inspection of their children's services since {oldest[:4]} ({len(inspections)} reports)\n"
            )
        if visits:
            text.append(f"  {len(visits)} focused-visit letters", style="bold")
            text.append(" of the visits between those inspections\n")
        if historic:
            text.append(f"  {len(historic)} reports of 2010-2012", style="bold")
            text.append(", from the earlier framework\n")
        if newest:
            text.append(f"\nPublished up to {long_date(newest)}. ", style="bold")
        text.append("To bring an authority up to date, choose it in the tree and press ")
        text.append(key_of(self, "app.fetch"), style="bold")
        text.append(" (fetches its newer reports from Ofsted: the only use of the network), or run ")
        text.append("ofsted-reader fetch --all", style="bold")
        text.append(". ")
        text.append(key_of(self, "app.import"), style="bold")
        text.append(" imports PDFs you have (a file or a folder).\n\n")
        text.append("Keys: ")
        text.append_text(
            hint_line(
                self,
                ("=enter", "open"),
                ("app.search", "search"),
                ("app.add_note", "note"),
                ("app.matrix", "grades of all"),
                ("app.help", "help"),
            )
        )
        text.append("  ")
        text.append("\n\nSearch works at once; the first start indexes the reports in the background (the title bar ")
        text.append("shows how far).\n\n")
        text.append(CROWN_NOTICE, style="dim")
        return text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="welcome"):
            yield Label("Welcome to ofsted-reader", id="dialog-title")
            with VerticalScroll():
                yield Static(self.body())
            keys = key_of(self, "welcome.close", every=True).split(" / ")[:2]
            yield Static(f"{' or '.join(reversed(keys))} to start", classes="dialog-help")

    def action_close(self) -> None:
        self.dismiss(None)


class About(ModalScreen[None]):
    """One report's facts, source and licence (i in the reader)."""

    BINDINGS = [Binding("escape,enter,q,i", "close", "Close", id="about.close")]

    def __init__(self, report: Report, entry: Entry | None):
        super().__init__()
        self.report = report
        self.entry = entry

    def body(self) -> Text:
        report = self.report
        text = Text()
        kind = KINDS.get(report.report_type) or report.report_type.replace("_", " ")
        _field(text, "Authority", report.authority)
        joint = report.report_type in ("jtai", "area_send")  # a joint inspection of the area: no ILACS framework
        _field(text, "Report", kind if joint else f"{kind} · {FRAMEWORK_NAMES.get(report.framework, report.framework)}")
        _field(text, "Title", report.title)
        if report.inspection_start or report.inspection_end:
            start, end = report.inspection_start, report.inspection_end
            _field(
                text,
                "Inspected",
                f"{long_date(start)} to {long_date(end)}" if start and start != end else long_date(end),
            )
        _field(text, "Published", long_date(report.published) if report.published else "not printed in the report")
        _field(text, "Lead", report.lead_inspector)
        if report.inspectors:
            _field(text, "Inspectors", ", ".join(report.inspectors))
        if report.inspectorates:  # a joint inspection of the area
            _field(text, "Inspectorates", ", ".join(report.inspectorates))
        if report.report_type == "jtai":
            _field(text, "Theme", report.theme)
        if report.outcome is not None:
            _field(text, "SEND outcome", SEND_OUTCOME_NAMES[report.outcome])
        if report.next_inspection:
            due = f" (by {long_date(report.next_inspection_by)})" if report.next_inspection_by else ""
            _field(text, "Next due", f"{report.next_inspection}{due}")
        _field(text, "Ofsted URN", report.urn)
        if report.source_url:
            _field(text, "Source", report.source_url)
        elif report.urn:  # Ofsted's listing gives no file URL for some letters: its page lists them all
            from ofsted_reader.importers.ofsted_site import SITE, provider_url

            _field(text, "Source", f"{provider_url(SITE, report.urn)} (the authority's page on Ofsted's site)")
        where = "shipped with the app" if self.entry is not None and self.entry.bundled else "imported"
        _field(text, "File", f"{report.source} ({where})")
        _field(text, "Report id", report.id)
        for warning in report.warnings:
            _field(text, "Warning", warning)
        text.append("\n")
        text.append(CROWN_NOTICE, style="dim")
        text.append(
            "\n\nO opens the original PDF at the paragraph's page; y copies a paragraph with its citation.", style="dim"
        )
        return text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="about"):
            yield Label("About this report", id="dialog-title")
            with VerticalScroll():
                yield Static(self.body())

    def action_close(self) -> None:
        self.dismiss(None)


class PathSuggester(Suggester):
    """Completes the last part of a path from the folders and report files (.pdf, .txt) that exist there."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        expanded = os.path.expanduser(value)
        folder, _, start = expanded.rpartition(os.sep)
        base = Path(folder or (os.sep if expanded.startswith(os.sep) else "."))
        try:
            names = sorted(os.scandir(base), key=lambda e: e.name)
        except OSError:
            return None
        for entry in names:
            if not entry.name.startswith(start) or entry.name == start or entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir or entry.name.lower().endswith((".pdf", ".txt")):
                return value[: len(value) - len(start)] + entry.name + (os.sep if is_dir else "")
        return None


class PathPrompt(ModalScreen[str | None]):
    """A file or folder to import; tab or → takes the completion shown."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="import.cancel"),
        Binding("tab", "complete", "Complete", id="import.complete", priority=True),
    ]
    TYPED_INTO = "#path-input"  # keys typed while it opens are held for it (app.on_event)

    def __init__(self, title: str, hint: str):
        super().__init__()
        self.title_text = title
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="import"):
            yield Label(self.title_text, id="dialog-title")
            yield Input(placeholder=self.hint, suggester=PathSuggester(), id="path-input")
            yield Static(
                hint_line(
                    self,
                    ("import.complete", "completes"),
                    ("=enter", "imports"),
                    ("import.cancel", "cancels"),
                    between=" · ",
                ),
                classes="dialog-help",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_complete(self) -> None:
        field = self.query_one(Input)
        field.cursor_position = len(field.value)
        field.action_cursor_right()  # at the end of the text, → takes the suggestion shown

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
