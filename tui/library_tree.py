"""The library tree: authority → report (when there are several) → service area → section → subsection.

Built from the library manifest, so drawing it loads no report; each graded node carries a badge with the
grade word as well as its colour.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ofsted_reader.core import authorities
from ofsted_reader.core.citation import report_date
from ofsted_reader.core.grades import grade_name
from ofsted_reader.core.safe_text import visible
from ofsted_reader.core.visits import KINDS, theme_label
from ofsted_reader.store.library import Entry

BADGE_STYLES = {
    1: "bold #000000 on #4caf50",
    2: "bold #000000 on #4fc3f7",
    3: "bold #000000 on #ffb74d",
    4: "bold #ffffff on #e53935",
}


def badge(grade: int | None, framework: str) -> Text:
    if not grade:
        return Text()
    return Text(f" {grade_name(grade, framework)} ", style=BADGE_STYLES[grade])


LETTERS = {1: "O", 2: "G", 3: "RI", 4: "I"}
# The judgements a report without an overall grade (ILACS after April 2026) shows instead, in this order.
FOUR = ("leaders", "help_protection", "in_care", "care_leavers")


VISIT_STYLE = "bold #000000 on #b0bec5"


def visit_badge(report_type: str) -> Text:
    return Text().append(" visit " if report_type == "focused_visit" else " monitoring ", style=VISIT_STYLE)


def report_label(entry: Entry) -> Text:
    """A report's row under its authority: its grades and framework, or for a visit letter a visit badge and the
    visit's theme, then its date."""
    if entry.report_type in KINDS:
        label = visit_badge(entry.report_type)
        label.append(" " + report_date(entry.published, entry.inspected))
        if entry.theme:
            label.append(f" · {theme_label(entry.theme) or entry.theme[:40]}", style="dim")
        return label
    label = grades_badge(entry.grades, entry.framework)
    label.append(" " if label else "")
    label.append(report_date(entry.published, entry.inspected))
    kind = entry.framework.upper() if entry.report_type == "inspection" else entry.report_type.replace("_", " ")
    label.append(f"  {kind}", style="dim")
    return label


def grades_badge(grades: dict[str, int], framework: str) -> Text:
    """A report's grades at a glance: its overall grade as a word, or (with no overall judgement) each judgement as
    a coloured letter: O outstanding, G good, RI requires improvement, I inadequate."""
    if grades.get("overall"):
        grade = grades["overall"]
        # "RI", as the sector writes it: "Requires improvement" would take half a narrow tree.
        word = "RI" if grade == 3 and framework != "slac" else grade_name(grade, framework)
        return Text().append(f" {word} ", style=BADGE_STYLES[grade])  # a span: text appended after stays plain
    keys = [k for k in FOUR if grades.get(k)] or ([k for k in ("in_care_and_care_leavers",) if grades.get(k)])
    text = Text()
    for key in keys:
        text.append(f"{LETTERS[grades[key]]:^3}", style=BADGE_STYLES[grades[key]])
    return text


class TreeFilter:
    """A tree filter as typed: field filters and the remaining words."""

    FIELD = re.compile(r"\b(region|grade|framework):(\S+)", re.I)

    def __init__(self, text: str, region: str | None, grade: int | None, framework: str | None, year: str | None):
        self.text, self.region, self.grade, self.framework, self.year = text, region, grade, framework, year

    @classmethod
    def parse(cls, typed: str) -> TreeFilter:
        fields = {name.lower(): value.lower() for name, value in cls.FIELD.findall(typed)}
        rest = cls.FIELD.sub(" ", typed)
        year = next(iter(re.findall(r"\b(?:19|20)\d\d\b", rest)), None)
        if year:
            rest = rest.replace(year, " ")
        grade = fields.get("grade", "")
        return cls(
            " ".join(rest.lower().split()),
            fields.get("region", "").replace("-", " ") or None,
            int(grade) if grade.isdigit() else None,
            fields.get("framework") or None,
            year,
        )

    def keeps_report(self, entry: Entry) -> bool:
        return (not self.framework or entry.framework == self.framework) and (
            not self.year or entry.date[:4] == self.year
        )

    def keeps_authority(self, latest: Entry) -> bool:
        if self.grade is not None and latest.grades.get("overall") != self.grade:
            return False
        if self.region:
            found = authorities.by_code(latest.authority_code)
            return bool(found) and found.region.lower().startswith(self.region)  # type: ignore[union-attr]
        return True


def _sort_key(sort: str, authority: str, latest: Entry) -> tuple:
    if sort == "region":
        found = authorities.by_code(latest.authority_code)
        return (found.region if found else "~", authority.lower())
    if sort == "grade":  # worst first: where attention is needed
        return (-(latest.grades.get("overall") or 0), authority.lower())
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

    def __init__(self, **kwargs):
        super().__init__("Library", **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self.entries: list[Entry] = []
        self._places: dict[tuple[str, str | None], TreeNode[Place]] = {}
        # Report nodes whose sections are not added yet: with 500 reports, adding every section up front was 14,000
        # nodes and most of the start-up time. They are added when a report is expanded or a place in it is shown.
        self._pending: dict[int, tuple[Entry, set[str] | None]] = {}
        self.shown = 0  # authorities the filter left

    SORTS = ("name", "region", "grade", "year")

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
        spec = TreeFilter.parse(needle)
        needle = spec.text
        by_authority: dict[str, list[Entry]] = {}
        for entry in entries:
            if spec.keeps_report(entry):
                by_authority.setdefault(entry.authority, []).append(entry)
        by_authority = {a: r for a, r in by_authority.items() if spec.keeps_authority(_latest(r))}
        self.shown = len(by_authority)
        for authority in sorted(by_authority, key=lambda a: _sort_key(sort, a, _latest(by_authority[a]))):
            reports = sorted(by_authority[authority], key=lambda e: e.date, reverse=True)
            authority_match = not needle or needle in authority.lower()
            shown = [(e, self._matching_sections(e, needle)) for e in reports]
            if not authority_match and not any(matches for _, matches in shown):
                continue
            latest = _latest(reports)
            # The authority's row: its latest grade first (a narrow tree still shows it), then the year.
            heading = grades_badge(latest.grades, latest.framework)
            heading.append(" " if heading else "")
            heading.append(visible(authority), style="bold")
            if len(reports) == 1:
                entry, matches = shown[0]
                heading.append(f"  {report_date(entry.published, entry.inspected)}", style="dim")
                if entry.report_type in KINDS:
                    heading.append(f"  {KINDS[entry.report_type]}", style="dim")
                node = self.root.add(
                    heading, data=Place(entry.id, authority=authority), expand=bool(needle), allow_expand=True
                )
                self._places[(entry.id, None)] = node
                self._defer_sections(node, entry, None if authority_match else matches, bool(needle))
            else:
                heading.append(f"  {latest.date[:4]}", style="dim")
                parent = self.root.add(heading, data=Place(latest.id, authority=authority), expand=bool(needle))
                for entry, matches in shown:
                    if not authority_match and not matches:
                        continue
                    node = parent.add(report_label(entry), data=Place(entry.id), expand=bool(needle), allow_expand=True)
                    self._places[(entry.id, None)] = node
                    self._defer_sections(node, entry, None if authority_match else matches, bool(needle))

        self.cursor_line = 0

    def _defer_sections(self, node: TreeNode[Place], entry: Entry, only: set[str] | None, now: bool) -> None:
        if now:  # a filter shows its matches opened
            self._add_sections(node, entry, only)
        else:
            self._pending[node.id] = (entry, only)

    def _populate(self, node: TreeNode[Place]) -> None:
        pending = self._pending.pop(node.id, None)
        if pending is not None:
            self._add_sections(node, *pending)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Place]) -> None:
        self._populate(event.node)

    def _matching_sections(self, entry: Entry, needle: str) -> set[str]:
        if not needle:
            return set()
        hits = {sid for sid, title, _, _ in entry.outline() if needle in title.lower()}
        parents = {sid: parent for sid, _, parent, _ in entry.outline()}
        keep = set(hits)
        for sid in hits:
            parent = parents.get(sid)
            while parent:
                keep.add(parent)
                parent = parents.get(parent)
        return keep

    def _add_sections(self, node: TreeNode[Place], entry: Entry, only: set[str] | None) -> None:
        children: dict[str | None, list[tuple[str, str, int | None]]] = {}
        for sid, title, parent, grade in entry.outline():
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
