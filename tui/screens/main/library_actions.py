"""What the main screen asks of the library's long work (tui/services/library_work.py, the app's): import files (I),
fetch an authority's newer reports from Ofsted (F), open a report's original PDF (O); and a report's sources (i) and
the welcome of a first run.

It acts on the place the screen shows and the tree's cursor, through the screen's interface (parts.py)."""

from __future__ import annotations

from ofsted_reader.store.library.entry import Entry
from ofsted_reader.store.library.originals import local_pdf, online
from ofsted_reader.tui.dialogs.about import About
from ofsted_reader.tui.dialogs.confirm import Confirm
from ofsted_reader.tui.dialogs.path_prompt import PathPrompt
from ofsted_reader.tui.dialogs.welcome import Welcome
from ofsted_reader.tui.key_hints import key_of
from ofsted_reader.tui.services.library_work import LibraryWork

from .parts import MainView, Part


class LibraryActions(Part):
    def __init__(self, view: MainView, work: LibraryWork):
        super().__init__(view)
        self.work = work  # the app's

    # --- a first run ---

    def welcome(self) -> None:
        self.app.push_screen(Welcome(self.library.entries()))

    # --- a report's sources and its original ---

    def show_sources(self) -> None:
        report = self.view.report
        if report is None:
            self.app.notify("Open a report first (enter on a section in the tree)", severity="warning")
            return
        self.app.push_screen(About(report, self.library.entry(report.id)))

    def open_original(self) -> None:
        """The report's PDF in the user's viewer, at the page of the paragraph under the cursor."""
        report = self.view.report
        if report is None:
            self.app.notify(
                f"Open a report first, then {key_of(self.app, 'app.open_original')} opens its PDF at the "
                "paragraph's page",
                severity="warning",
            )
            return
        entry = self.library.entry(report.id)
        if entry is None:
            return
        paragraph = self.view.current()
        page = paragraph.page if paragraph is not None else None
        file = local_pdf(entry)
        if file is None:
            self._offer_download(entry, page)
            return
        self.work.open_pdf(file, page)

    def _offer_download(self, entry: Entry, page: int | None) -> None:
        """Most of the shipped record is its text alone: the PDF is fetched once from Ofsted when the user says so
        (the network is used only then), else its URL is said for a browser."""
        url = online(entry, page)
        if url is None:
            self.app.notify(
                "The library holds this report's text, not its PDF, and Ofsted's listing gives no URL for it",
                title="Cannot open the PDF",
                severity="warning",
            )
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.work.download_and_open(entry, page)
            else:
                self.app.notify(f"Ofsted publishes it at {url}", title="The PDF", timeout=15)

        self.app.push_screen(
            Confirm(
                f"The library holds this report's text, not its PDF. Download the PDF once from Ofsted "
                f"({entry.source_url}) into your library? This uses the network. (n: show the URL instead)"
            ),
            answered,
        )

    # --- importing ---

    def import_files(self) -> None:
        def chosen(path: str | None) -> None:
            if path:
                self.work.import_files(path)

        self.app.push_screen(
            PathPrompt("Import reports: a PDF or text report, or a folder of them", "~/Downloads/report.pdf"), chosen
        )

    def fetch_authority(self) -> None:
        authority = self.view.library_pane.authority_under_cursor()
        if authority is None:
            self.app.notify(
                f"Choose an authority in the tree first, then {key_of(self.app, 'app.fetch')} fetches its newer "
                "reports",
                severity="warning",
            )
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.work.fetch(authority)

        self.app.push_screen(
            Confirm(
                f"Fetch {authority.name}'s reports and visit letters that the library lacks from Ofsted's site? "
                "This uses the network (y/n)"
            ),
            answered,
        )
