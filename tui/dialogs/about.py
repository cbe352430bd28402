"""About a report (i): its facts, where it came from and its licence."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ofsted_reader.core.citation import CROWN_NOTICE
from ofsted_reader.core.dates import long_date
from ofsted_reader.core.model import Report
from ofsted_reader.core.safe_text import visible
from ofsted_reader.core.visits import KINDS
from ofsted_reader.core.vocabulary import FRAMEWORK_NAMES, SEND_OUTCOME_NAMES
from ofsted_reader.store.library.library import Entry


def _field(text: Text, name: str, value: str | None) -> None:
    if value:
        text.append(f"{name:<14}", style="bold")
        text.append(visible(value) + "\n")


class About(ModalScreen[None]):
    """One report's facts, source and licence (i in the reader)."""

    CSS_PATH = "about.tcss"
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
