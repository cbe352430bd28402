"""The library tree: authority → report (when there are several) → service area → section → subsection.

Built from the library manifest, so drawing it loads no report; each graded node carries a badge with the
grade word as well as its colour.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ofsted_reader.core import authorities, filters
from ofsted_reader.core.dates import list_date, short_date
from ofsted_reader.core.grades import badge_parts, grade_letter, grade_name
from ofsted_reader.core.judgements import SEND_KEY, SEND_WORDS
from ofsted_reader.core.safe_text import visible
from ofsted_reader.core.visits import KINDS, theme_label
from ofsted_reader.core.vocabulary import Framework, ReportType
from ofsted_reader.core.wording import elide
from ofsted_reader.store.library.entry import Entry, OutlineRow

BADGE_STYLES = {
    1: "bold #000000 on #4caf50",
    2: "bold #000000 on #4fc3f7",
    3: "bold #000000 on #ffb74d",
    4: "bold #ffffff on #e53935",
}
SEND_STYLES = {1: BADGE_STYLES[2], 2: BADGE_STYLES[3], 3: BADGE_STYLES[4]}  # an area SEND outcome (send_badge)


def badge(grade: int | None, framework: Framework) -> Text:
    if not grade:
        return Text()
    return Text(f" {grade_name(grade, framework)} ", style=BADGE_STYLES[grade])


VISIT_STYLE = "bold #000000 on #b0bec5"


# The badge of a report that grades nothing on the ILACS scale: a visit letter or a joint inspection of the area.
KIND_BADGES: dict[ReportType, str] = {"focused_visit": " visit ", "jtai": " JTAI ", "area_send": " SEND "}


def visit_badge(report_type: ReportType) -> Text:
    return Text().append(KIND_BADGES.get(report_type, " monitoring "), style=VISIT_STYLE)


def send_badge(grades: dict[str, int]) -> Text:
    """An area SEND inspection's outcome, coloured as the grade it is nearest (positive as good, inconsistent as
    requires improvement, failings as inadequate) but in its own words: never an ILACS grade."""
    outcome = grades.get(SEND_KEY)
    if outcome not in SEND_WORDS:
        return Text()
    return Text(f" {SEND_WORDS[outcome]} ", style=SEND_STYLES[outcome])


def report_label(entry: Entry) -> Text:
    """A report's row under its authority: its grades and framework, or for a visit letter a visit badge and the
    visit's theme, then its date."""
    if entry.report_type in KINDS:
        label = visit_badge(entry.report_type)
        label.append_text(send_badge(entry.grades))
        label.append(" " + short_date(list_date(entry)))
        if entry.theme:
            short = "" if entry.report_type == "jtai" else theme_label(entry.theme)  # a JTAI's in its own words
            label.append(f" · {short or elide(entry.theme, 40)}", style="dim")
        return label
    label = grades_badge(entry.grades, entry.framework, entry.overall)
    label.append(" " if label else "")
    label.append(short_date(list_date(entry)))
    kind = entry.framework.upper() if entry.report_type == "inspection" else entry.report_type.replace("_", " ")
    label.append(f"  {kind}", style="dim")
    return label


def grades_badge(
    grades: dict[str, int], framework: Framework, overall: list[tuple[str, int, str]] | None = None
) -> Text:
    """A report's grades at a glance (core.grades.badge_parts): its overall grade as a word; a 2009-2012 report's
    two, each with its service; after April 2026 (no overall grade) each judgement labelled, 'Le G HP RI ...'."""
    text = Text()
    for i, (words, grade) in enumerate(badge_parts(grades, framework, overall, compact=True)):
        if i:
            text.append(" ")
        text.append(f" {words} ", style=BADGE_STYLES[grade])  # a span: text appended after stays plain
    return text


def compact_badge(
    grades: dict[str, int], framework: Framework, overall: list[tuple[str, int, str]] | None = None
) -> Text:
    """A badge of several judgements as their letters alone, each on its colour ('OGOO'), for a tree too narrow for
    the labelled form ('Le O  HP G  IC O  CL O' took the authority's name off an 80-column screen). Empty when the
    badge is one word already."""
    parts = badge_parts(grades, framework, overall, compact=True)
    text = Text()
    if len(parts) > 1:
        for _, grade in parts:
            text.append(grade_letter(grade, framework), style=BADGE_STYLES[grade])
    return text


@dataclass(frozen=True)
class Compact:
    """A row's label with its badge compacted, and the cells its full badge and name need: fewer than that in the
    tree's width, the compact label is shown."""

    label: Text
    needs: int


class TreeFilter:
    """A tree filter as typed, in the one grammar (core.filters): words of authority or section names (each the
    start of a word, or a near spelling: "hamersmith"), `region:` (`region:"north east"`), `grade:` (any judgement of
    the latest inspection), `overall:` (its overall grade), `framework:`, `authority:`, `neighbours:`, `year:` or a bare
    year, `kind:` (jtai, send, visit, ...), `outcome:` (an area SEND outcome), `-` to exclude."""

    FIELDS = ("region", "grade", "overall", "framework", "authority", "neighbours", "year", "kind", "outcome")

    def __init__(self, typed: str = ""):
        self.problem: str | None = None
        self.words: list[filters.Term] = []
        self.grades: list[filters.GradeCheck] = []
        self.scope = filters.Scope()
        self.years: list[str] = []
        try:
            terms = filters.parse(typed, self.FIELDS)
            for term in terms:
                if term.field is None and re.fullmatch(r"(19|20)\d\d", term.value):
                    terms[terms.index(term)] = filters.Term("year", term.value, term.negated)
            self.words = [t for t in terms if t.field is None]
            named = " ".join(t.value for t in self.words if not t.negated)
            exact = authorities.alias_table().get(authorities.normalise(named)) if named else None
            if exact is not None:  # "derby" names Derby: Derbyshire is not a match for it, only for "derb"
                terms = [t for t in terms if t.field is not None or t.negated] + [filters.Term("authority", exact)]
                self.words = [t for t in self.words if t.negated]
            self.grades = filters.grade_checks(terms)
            self.scope = filters.Scope.of([t for t in terms if t.field in filters.Scope.FIELDS])
        except filters.FilterError as error:
            self.problem = str(error)

    @classmethod
    def parse(cls, typed: str) -> TreeFilter:
        return cls(typed)

    @property
    def text(self) -> bool:
        return bool(self.words)

    def keeps_report(self, entry: Entry) -> bool:
        return self.problem is None and self.scope.keeps_entry(entry)

    def keeps_authority(self, latest: Entry) -> bool:
        return filters.grades_hold(self.grades, latest.grades)

    def names(self, text: str) -> bool:
        """Whether every kept word is in `text` (and no excluded one)."""
        return all(filters.word_matches(t.value, text) != t.negated for t in self.words)


def _sort_key(sort: str, authority: str, latest: Entry) -> tuple:
    if sort == "region":
        found = authorities.by_code(latest.authority_code)
        return (found.region if found else "~", authority.lower())
    if sort == "grade":  # worst first: where attention is needed
        # After April 2026 there is no overall grade: the leaders judgement stands in
        return (-(latest.grades.get("overall") or latest.grades.get("leaders") or 0), authority.lower())
    if sort == "year":  # longest since the last inspection first
        return (latest.date, authority.lower())
    return (authority.lower(),)


def _latest(reports: list[Entry]) -> Entry:
    inspections = [e for e in reports if e.report_type == "inspection" and e.grades]
    return max(inspections or reports, key=lambda e: e.date)


@dataclass
class Place:
    """What a tree node stands for."""

    report_id: str
    section_id: str | None = None
    authority: str | None = None  # set on an authority's own row: choosing it opens the authority overview


class LibraryTree(Tree[Place]):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="tree.down"),
        Binding("k", "cursor_up", "Up", show=False, id="tree.up"),
        Binding("g", "scroll_home", "Top", show=False, id="tree.top"),
        Binding("G", "scroll_end", "Bottom", show=False, id="tree.bottom"),
        Binding("l,right", "expand", "Expand", show=False, id="tree.expand"),
        Binding("h,left", "collapse", "Collapse", show=False, id="tree.collapse"),
    ]

    class SectionChosen(Message):
        def __init__(self, place: Place):
            super().__init__()
            self.place = place

    def __init__(self, outline: Callable[[Entry], list[OutlineRow]], **kwargs: Any) -> None:
        super().__init__("Library", **kwargs)
        self.outline = outline  # a report's section tree, from the library's manifests: drawing loads no report
        self.show_root = False
        self.guide_depth = 2
        self.entries: list[Entry] = []
        self._places: dict[tuple[str, str | None], TreeNode[Place]] = {}
        # Report nodes whose sections are not added yet: with 500 reports, adding every section up front was 14,000
        # nodes and most of the start-up time. They are added when a report is expanded or a place in it is shown.
        self._pending: dict[int, tuple[Entry, set[str] | None]] = {}
        # Authority nodes whose report rows are not added yet, and which node holds each report: with the complete
        # record (868 reports), adding every report row up front was most of the first paint. They are added when
        # an authority is expanded or a place in one of its reports is shown.
        self._pending_reports: dict[int, list[tuple[Entry, set[str]]]] = {}
        self._authority_nodes: dict[str, TreeNode[Place]] = {}
        self._compact: dict[int, Compact] = {}  # rows whose badge of several grades gives way in a narrow tree
        self.shown = 0  # authorities the filter left
        self.total = 0  # authorities in the library
        self.shown_reports = 0
        self.problem: str | None = None  # what in the filter means nothing, said under it

    SORTS = ("name", "region", "grade", "year")
    # How each sort orders authorities, said beside the count (the arrow: which way it runs).
    SORT_NAMES = {
        "name": "by name A→Z",
        "region": "by region, then name",
        "grade": "by latest grade, worst first ↓",
        "year": "by latest inspection, oldest first ↑",
    }

    def get_label_width(self, node: TreeNode[Place]) -> int:
        """The label's width without rendering it (Textual's default renders every label to measure it: at 1,000
        authorities that was a quarter of the start-up, done again on each resize)."""
        icon = len(self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE) if node.allow_expand else 0
        label = node.label
        return icon + (label.cell_len if isinstance(label, Text) else cell_len(label))

    def load(self, entries: list[Entry], needle: str = "", sort: str = "name") -> None:
        """Authorities as rows. The filter takes words of authority or section names and `region:london`
        (`region:north-west`), `grade:4` (latest overall grade), `framework:sif`, and a year (`2019`: a report of that
        year), all of which must hold. `sort` orders authorities by name, region, latest grade or latest year."""
        self._batched = True
        try:
            self._load(entries, needle, sort)
        finally:
            self._batched = False
            super()._invalidate()

    def _invalidate(self) -> None:
        # Textual's Tree redraws itself after every node added; while load() adds a thousand, once at the end does.
        if not getattr(self, "_batched", False):
            super()._invalidate()

    def _load(self, entries: list[Entry], needle: str, sort: str) -> None:
        self.entries = entries
        self.clear()
        self.root.expand()
        self._places.clear()
        self._pending.clear()
        self._pending_reports.clear()
        self._authority_nodes.clear()
        self._compact.clear()
        spec = TreeFilter.parse(needle)
        self.problem = spec.problem
        filtering = spec.text
        by_authority: dict[str, list[Entry]] = {}
        for entry in entries:
            if spec.keeps_report(entry):
                by_authority.setdefault(entry.authority, []).append(entry)
        by_authority = {a: r for a, r in by_authority.items() if spec.keeps_authority(_latest(r))}
        self.shown = 0
        self.shown_reports = 0
        self.total = len({e.authority_code or e.authority for e in entries})
        for authority in sorted(by_authority, key=lambda a: _sort_key(sort, a, _latest(by_authority[a]))):
            reports = sorted(by_authority[authority], key=lambda e: e.date, reverse=True)
            authority_match = not filtering or spec.names(authority)
            shown = [(e, self._matching_sections(e, spec) if not authority_match else set()) for e in reports]
            if not authority_match and not any(matches for _, matches in shown):
                continue
            self.shown += 1
            self.shown_reports += len(reports) if authority_match else sum(1 for _, m in shown if m)
            latest = _latest(reports)
            # The authority's row: its latest grade first (a narrow tree still shows it), then the year.
            heading = grades_badge(latest.grades, latest.framework, latest.overall)
            heading.append(" " if heading else "")
            heading.append(visible(authority), style="bold")
            if len(reports) == 1:
                entry, matches = shown[0]
                heading.append(f"  {short_date(list_date(entry))}", style="dim")
                if entry.report_type in KINDS:
                    heading.append(f"  {KINDS[entry.report_type]}", style="dim")
                node = self.root.add(
                    heading, data=Place(entry.id, authority=authority), expand=filtering, allow_expand=True
                )
                self._allow_compact(node, latest, authority)
                self._places[(entry.id, None)] = node
                self._defer_sections(node, entry, None if authority_match else matches, filtering)
            else:
                heading.append(f"  {short_date(list_date(latest))}", style="dim")
                parent = self.root.add(
                    heading, data=Place(latest.id, authority=authority), expand=filtering, allow_expand=True
                )
                self._allow_compact(parent, latest, authority)
                kept = [(entry, matches) for entry, matches in shown if authority_match or matches]
                if filtering:
                    self._add_reports(parent, kept, authority_match, True)
                else:
                    self._pending_reports[parent.id] = kept
                    for entry, _ in kept:
                        self._authority_nodes[entry.id] = parent

        self.cursor_line = 0

    def _allow_compact(self, node: TreeNode[Place], entry: Entry, name: str) -> None:
        """A row led by a badge of several grades may show them as letters alone where the tree is narrow: its label
        is the badge, a space, then `name` (the authority's, or a report's date) and the rest."""
        compact = compact_badge(entry.grades, entry.framework, entry.overall)
        if compact:
            full = grades_badge(entry.grades, entry.framework, entry.overall).cell_len
            label = node.label if isinstance(node.label, Text) else Text(str(node.label))
            self._compact[node.id] = Compact(compact + label[full:], full + 1 + cell_len(visible(name)))

    def render_label(self, node: TreeNode[Place], base_style: Style, style: Style) -> Text:
        """The label, with its badge compacted where the full badge and the name do not fit the tree's width."""
        text = super().render_label(node, base_style, style)
        compact = self._compact.get(node.id)
        if compact is None:
            return text
        depth = 0
        parent = node.parent
        while parent is not None and parent is not self.root:
            depth, parent = depth + 1, parent.parent
        icon = len(text) - len(node.label)
        if icon + depth * self.guide_depth + compact.needs <= self.scrollable_content_region.width:
            return text
        label = compact.label.copy()
        label.stylize(style)
        return text[:icon] + label

    def _defer_sections(self, node: TreeNode[Place], entry: Entry, only: set[str] | None, now: bool) -> None:
        if now:  # a filter shows its matches opened
            self._add_sections(node, entry, only)
        else:
            self._pending[node.id] = (entry, only)

    def _add_reports(
        self, parent: TreeNode[Place], shown: list[tuple[Entry, set[str]]], authority_match: bool, filtering: bool
    ) -> None:
        for entry, matches in shown:
            node = parent.add(report_label(entry), data=Place(entry.id), expand=filtering, allow_expand=True)
            self._allow_compact(node, entry, short_date(list_date(entry)))
            self._places[(entry.id, None)] = node
            self._defer_sections(node, entry, None if authority_match else matches, filtering)

    def _populate(self, node: TreeNode[Place]) -> None:
        reports = self._pending_reports.pop(node.id, None)
        if reports is not None:
            self._add_reports(node, reports, True, False)
        pending = self._pending.pop(node.id, None)
        if pending is not None:
            self._add_sections(node, *pending)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Place]) -> None:
        self._populate(event.node)

    def _matching_sections(self, entry: Entry, spec: TreeFilter) -> set[str]:
        if not spec.text:
            return set()
        hits = {sid for sid, title, _, _ in self.outline(entry) if spec.names(title)}
        parents = {sid: parent for sid, _, parent, _ in self.outline(entry)}
        keep = set(hits)
        for sid in hits:
            parent = parents.get(sid)
            while parent:
                keep.add(parent)
                parent = parents.get(parent)
        return keep

    def _add_sections(self, node: TreeNode[Place], entry: Entry, only: set[str] | None) -> None:
        children: dict[str | None, list[tuple[str, str, int | None]]] = {}
        for sid, title, parent, grade in self.outline(entry):
            if only is not None and sid not in only:
                continue
            children.setdefault(parent, []).append((sid, title, grade))

        def add(parent_node: TreeNode[Place], parent_id: str | None) -> None:
            for sid, title, grade in children.get(parent_id, []):
                # The badge goes first so a narrow tree still shows the grade.
                label = Text()
                if grade:
                    label.append_text(badge(grade, entry.framework))
                    label.append(" ")
                label.append(visible(title))
                if sid in children:
                    child = parent_node.add(label, data=Place(entry.id, sid), expand=only is not None)
                    add(child, sid)
                else:
                    child = parent_node.add_leaf(label, data=Place(entry.id, sid))
                self._places[(entry.id, sid)] = child

        add(node, None)

    def select_place(self, report_id: str, section_id: str | None) -> None:
        """Move the tree cursor to a place chosen elsewhere (search, go to, history), opening its parents."""
        authority_node = self._authority_nodes.get(report_id)
        if authority_node is not None:
            self._populate(authority_node)
        report_node = self._places.get((report_id, None))
        if report_node is not None:
            self._populate(report_node)
        node = self._places.get((report_id, section_id)) or report_node
        if node is None:
            return
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        self.call_after_refresh(self._move_cursor_to, node)

    def _move_cursor_to(self, node: TreeNode[Place]) -> None:
        if node.line >= 0:
            self.cursor_line = node.line
            self.scroll_to_line(node.line)

    def action_expand(self) -> None:
        if self.cursor_node is not None:
            self.cursor_node.expand()

    def action_collapse(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded and node.children:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self._move_cursor_to(node.parent)

    def on_tree_node_selected(self, event: Tree.NodeSelected[Place]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.SectionChosen(event.node.data))
