"""The authorities part of the main screen: an authority's overview (o, or enter on its row in the tree), its earlier
or later report (< >), compare (c), the codebook, the latest grades (M) and every report's grades (h there), the map
(E) and trends.

It owns the authority overview it installs once and refills; it acts on the place the screen shows, through the
screen's interface (parts.py)."""

from __future__ import annotations

from ofsted_reader.core.compare import compare, find_section
from ofsted_reader.core.dates import list_date, short_date
from ofsted_reader.core.model import Report
from ofsted_reader.store.library.library import LOAD_FAULTS
from ofsted_reader.store.library.related import compare_candidates, other_report, without_equivalent
from ofsted_reader.tui.dialogs.multi_chooser import MultiChooser
from ofsted_reader.tui.key_hints import key_of
from ofsted_reader.tui.screens.authority import AuthorityScreen
from ofsted_reader.tui.screens.codebook import CodebookScreen
from ofsted_reader.tui.screens.compare import CompareScreen
from ofsted_reader.tui.screens.grades import GradesScreen
from ofsted_reader.tui.screens.map import MapScreen
from ofsted_reader.tui.screens.matrix import CellChoice, MatrixScreen
from ofsted_reader.tui.screens.trends import TrendsScreen

from .parts import MainView, Part


class AuthorityActions(Part):
    def __init__(self, view: MainView):
        super().__init__(view)
        self.authority_screen: AuthorityScreen | None = None  # made once, refilled for each authority
        self.map_screen: MapScreen | None = None  # the same

    def show_authority(self, authority: str) -> None:

        def load(report_id: str) -> Report | None:
            try:
                return self.library.load(report_id)
            except LOAD_FAULTS:
                return None

        entries = self.library.entries()
        if self.authority_screen is None:
            # Installed, so popping it keeps its widgets for the next authority.
            self.authority_screen = AuthorityScreen(authority, entries, load)
            self.app.install_screen(self.authority_screen, name="authority")
        else:
            self.authority_screen.show(authority, entries)
        if self.app.screen is not self.authority_screen:
            self.app.push_screen("authority")

    def overview(self) -> None:
        """The overview of the authority under the tree's cursor (when the tree has the focus), else of the report
        being read."""
        report = self.view.report
        if report is not None and not self.view.library_pane.library_tree.has_focus:
            self.show_authority(report.authority)
            return
        place = self.view.library_pane.place_under_cursor()
        if place is not None:
            entry = self.library.entry(place.report_id)
            if entry is not None:
                self.show_authority(place.authority or entry.authority)
                return
        if report is not None:
            self.show_authority(report.authority)
            return
        self.app.notify("Choose an authority in the tree first", severity="warning")

    def other_inspection(self, step: int) -> None:
        """The same authority's earlier or later report, on the section that matches the one being read."""
        report = self.view.report
        if report is None:
            self.app.notify("Open a report first", severity="warning")
            return

        entry = other_report(self.library, report, step)
        if entry is None:
            self.app.notify(f"No {'earlier' if step < 0 else 'later'} report of {report.authority}", timeout=3)
            return
        current = report.section(self.view.section_id)
        target = self.library.load(entry.id)
        section = find_section(target, current.title) if current is not None else None
        self.view.open_place(target.id, section.id if section else None)
        if current is not None and section is None:
            self.app.notify(f"No section like “{current.title}” there: opened its first section", timeout=4)

    # --- compare and grades ---

    def compare_section(self) -> None:

        report = self.view.report
        section = report.section(self.view.section_id) if report is not None else None
        if report is None or section is None:
            self.app.notify(
                f"Open a section first, then {key_of(self.app, 'app.compare')} compares it across reports",
                severity="warning",
            )
            return
        options = [(c.report_id, c.label) for c in compare_candidates(self.library, report, section.title)]
        missing = without_equivalent(self.library, report, section.title)
        unmatched = (
            "; no equivalent in " + ", ".join(f"{short_date(list_date(e))} ({e.framework.upper()})" for e in missing)
            if missing
            else ""
        )

        def chosen(selected: list[str] | None) -> None:
            if not selected:
                return
            reports = [report, *(self.library.load(r) for r in selected[:3])]

            self.app.push_screen(CompareScreen(compare(reports, section.title)))

        self.app.push_screen(
            MultiChooser(
                f"Compare “{section.title}” with (type to filter, space picks up to 3, enter){unmatched}",
                options,
                filterable=True,
                limit=3,
            ),
            chosen,
        )

    def show_codebook(self) -> None:

        self.app.push_screen(CodebookScreen(self.library, self.view.store))

    def show_grades(self) -> None:
        """The latest grades of every authority. Its overviews (enter) and the history of every report (h) open
        above it, so escape comes back to it as it was, filter and all."""

        self.app.push_screen(GradesScreen(self.library.entries()))

    def show_map(self) -> None:
        """England by grade; installed once and refilled, as the overview is."""

        if self.map_screen is None:
            self.map_screen = MapScreen(self.library.entries())
            self.app.install_screen(self.map_screen, name="map")
        else:
            self.map_screen.set_entries(self.library.entries())
        self.app.push_screen("map")

    def show_trends(self) -> None:

        self.app.push_screen(TrendsScreen(self.library.entries()))

    def show_history(self) -> None:

        def done(cell: CellChoice | None) -> None:
            if cell is None:
                return
            report_id, name = cell.report_id, cell.section_title

            report = self.library.load(report_id)
            section = find_section(report, name) if name else None
            self.view.return_here()
            self.view.open_place(report_id, section.id if section else None)

        self.app.push_screen(MatrixScreen(self.library.reports()), done)
