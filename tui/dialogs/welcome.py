"""The first run's welcome: what the library holds, how current it is, and how to bring it up to date."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ofsted_reader.core.citation import CROWN_NOTICE
from ofsted_reader.core.dates import long_date
from ofsted_reader.core.visits import KINDS
from ofsted_reader.store.library.library import Entry
from ofsted_reader.tui.key_hints import hint_line, key_of


class Welcome(ModalScreen[None]):
    """What a fresh install holds, how current it is, and how to bring it up to date."""

    CSS_PATH = "welcome.tcss"
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
