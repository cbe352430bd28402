"""Notes as Markdown that stands on its own as cited evidence, and as CSV for spreadsheets.

Deterministic: the same notes give the same bytes (apart from the generated time in the front matter), in
report → service → section → paragraph order. A note's Markdown is kept as typed, except for the few line
starts that would break the document's structure (a heading, a quote marker, an unclosed code fence).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .citation import citation, dated, sources_markdown
from .grades import grade_name
from .model import Paragraph, Report
from .notes import Memo, Note

GROUPS = ("report", "tag", "section")


@dataclass
class Item:
    """One note with what it is about."""

    note: Note
    report: Report | None
    paragraph: Paragraph | None
    position: int

    @property
    def orphan(self) -> bool:
        return self.paragraph is None

    @property
    def place(self) -> tuple[Report, Paragraph]:
        """The report and paragraph of a note that is not an orphan."""
        if self.report is None or self.paragraph is None:
            raise ValueError(f"note {self.note.id} is an orphan")
        return self.report, self.paragraph


def collect(
    notes: list[Note],
    load: Callable[[str], Report | None],
    tags: list[str] | None = None,
    reports: list[str] | None = None,
) -> list[Item]:
    wanted_tags = {t.lstrip("#").lower() for t in tags or []}
    items = []
    for note in notes:
        if wanted_tags and not wanted_tags & set(note.tags):
            continue
        if reports and not any(note.report_id.startswith(r) for r in reports):
            continue
        report = load(note.report_id)
        paragraph = None
        position = 0
        if report is not None and note.attached:
            for index, candidate in enumerate(report.paragraphs):
                if candidate.id == note.paragraph_id:
                    paragraph, position = candidate, index
                    break
        items.append(Item(note, report, paragraph, position))
    items.sort(
        key=lambda i: (
            i.orphan,
            (i.report.authority.lower(), i.report.published or i.report.id) if i.report else ("", i.note.report_id),
            i.position,
            i.note.created,
            i.note.id,
        )
    )
    return items


_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_BLOCK_START = re.compile(r"^(\s{0,3})(#{1,6}(?=\s|$)|>|=+\s*$|-{3,}\s*$|_{3,}\s*$|\*{3,}\s*$)")


_HTML_START = re.compile(r"<(?=[A-Za-z/!?])")


def escape_html(text: str) -> str:
    """Raw HTML in Markdown is passed through by renderers: '<script>', '<img onerror=...>', and '<!--', which hides
    everything after it. Written as '&lt;' it shows as typed and does nothing."""
    return _HTML_START.sub("&lt;", text)


def safe_markdown(text: str) -> str:
    """Keep the note's Markdown, but let no line of it open a heading, a quote, a rule or an unclosed fence,
    which would swallow or restructure the rest of the export, and no raw HTML or comment."""
    lines = escape_html(text.strip("\n")).split("\n")
    fences = sum(1 for line in lines if _FENCE.match(line))
    out = []
    for line in lines:
        if fences % 2 and _FENCE.match(line):
            line = re.sub(r"^(\s*)([`~])", r"\1\\\2", line, count=1)
        else:
            line = _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line, count=1)
        out.append(line)
    return "\n".join(out)


def _blockquote(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in text.split("\n"))


def _section_chain(report: Report, paragraph: Paragraph) -> tuple[str, str]:
    """(service area, section with grade) for headings."""
    section = report.section(paragraph.section)
    if section is None:
        return "", "Unsectioned"
    root = report.root(section.id)
    title = section.title + (f" ({grade_name(section.grade, report.framework)})" if section.grade else "")
    return (root.title if root is not None and root is not section else ""), title


def _quote(item: Item) -> str:
    note, paragraph = item.note, item.paragraph
    if paragraph is not None and note.span:
        body = note.quote or paragraph.text
    elif paragraph is not None:
        body = paragraph.text + ("".join(f"\n- {i}" for i in paragraph.items) if paragraph.items else "")
    else:
        body = note.quote or ""
    cite = (
        citation(*item.place)
        if paragraph is not None
        else (
            f"{item.report.authority}, {dated(item.report)} (paragraph no longer found)"
            if item.report
            else f"report {note.report_id} (not in the library)"
        )
    )
    # The quoted report text is quoted, not interpreted: it may hold markdown-like characters of its own.
    return _blockquote(safe_markdown(body) + "\n\n— " + cite)


def _note_block(item: Item) -> str:
    parts = [_quote(item), safe_markdown(item.note.text)]
    tags = item.note.tags
    if tags:
        parts.append(" ".join(f"#{t}" for t in tags))
    return "\n\n".join(p for p in parts if p)


def _front_matter(items: list[Item], filters: dict, generated: str) -> str:
    reports = sorted({i.note.report_id for i in items})
    lines = [
        "---",
        f"generated: {json.dumps(generated)}",
        "filters:",
        f"  tags: {json.dumps(filters.get('tags') or [])}",
        f"  reports: {json.dumps(filters.get('reports') or [])}",
        f"  group_by: {json.dumps(filters.get('group_by', 'report'))}",
        "counts:",
        f"  notes: {len(items)}",
        f"  reports: {len(reports)}",
        f"  orphans: {sum(1 for i in items if i.orphan)}",
        "---",
    ]
    return "\n".join(lines)


@dataclass
class MemoItem:
    """A memo with what it is on, as an export names it ('Derby, 27 June 2011', or 'Derby' for the authority)."""

    memo: Memo
    about: str
    report: Report | None


def memo_items(memos: list[Memo], load: Callable[[str], Report | None]) -> list[MemoItem]:
    from .authorities import by_code

    out = []
    for memo in memos:
        report = load(memo.report_id) if memo.report_id else None
        if memo.report_id:
            about = (
                f"{report.authority}, {dated(report)}" if report else f"report {memo.report_id} (not in the library)"
            )
        else:
            found = by_code(memo.authority or "")
            about = f"{found.name if found else memo.authority} (the authority)"
        out.append(MemoItem(memo, about, report))
    return sorted(out, key=lambda m: (m.about.lower(), m.memo.created))


def _memos_markdown(memos: list[MemoItem]) -> list[str]:
    out = ["## Memos", ""]
    for item in memos:
        out += [f"### On {escape_html(item.about)}", "", safe_markdown(item.memo.text), ""]
    return out


def to_markdown(
    items: list[Item],
    group_by: str = "report",
    generated: str = "",
    filters: dict | None = None,
    memos: list[MemoItem] | None = None,
) -> str:
    filters = dict(filters or {}, group_by=group_by)
    out = [_front_matter(items, filters, generated), "", "# Notes from Ofsted reports", ""]
    placed = [i for i in items if not i.orphan]
    orphans = [i for i in items if i.orphan]
    if not items:
        out += ["No notes match these filters.", ""]
    if group_by == "tag":
        by_tag: dict[str, list[Item]] = {}
        for item in placed:
            for tag in item.note.tags or ["untagged"]:
                by_tag.setdefault(tag, []).append(item)
        for tag in sorted(by_tag, key=lambda t: (t == "untagged", t)):
            out += [f"## #{escape_html(tag)}" if tag != "untagged" else "## Untagged", ""]
            for item in by_tag[tag]:
                out += [_note_block(item), ""]
    elif group_by == "section":
        by_section: dict[str, list[Item]] = {}
        for item in placed:
            by_section.setdefault(_section_chain(*item.place)[1], []).append(item)
        for section in sorted(by_section, key=str.lower):
            out += [f"## {escape_html(section)}", ""]
            last = None
            for item in by_section[section]:
                report = item.place[0]
                heading = f"### {escape_html(report.authority)} ({dated(report)})"
                if heading != last:
                    out += [heading, ""]
                    last = heading
                out += [_note_block(item), ""]
    else:
        last_report = last_service = last_section = None
        for item in placed:
            report, paragraph = item.place
            report_heading = f"## {escape_html(report.authority)} ({dated(report)})"
            service, section = _section_chain(report, paragraph)
            if report_heading != last_report:
                out += [report_heading, ""]
                last_report, last_service, last_section = report_heading, None, None
            if service and service != last_service:
                out += [f"### {escape_html(service)}", ""]
                last_service, last_section = service, None
            if section != last_section:
                out += [f"{'####' if service else '###'} {escape_html(section)}", ""]
                last_section = section
            out += [_note_block(item), ""]
    if orphans:
        out += [
            "## Orphaned notes",
            "",
            "These notes' paragraphs could not be found after their report changed; re-attach them in the app.",
            "",
        ]
        for item in orphans:
            out += [_note_block(item), ""]
    if memos:
        out += _memos_markdown(memos)
    cited = [item.report for item in items if item.report is not None]
    cited += [m.report for m in memos or [] if m.report is not None]
    if cited:
        out += [escape_html(line) for line in sources_markdown(cited)] + [""]
    return "\n".join(out).rstrip("\n") + "\n"


CSV_FIELDS = [
    "id",
    "report_id",
    "authority",
    "published",
    "paragraph_id",
    "paragraph_number",
    "section",
    "grade",
    "citation",
    "quote",
    "note",
    "tags",
    "orphan",
    "created",
    "updated",
    "source_url",
]


def related_memos(
    memos: list[Memo], notes: Iterable[Note], authority_of: Callable[[str], str], reports: list[str] | None = None
) -> list[Memo]:
    """The memos that go with an export of some notes: those on the notes' reports (or on the reports asked for, by
    id or its start) and on their authorities."""
    report_ids = {n.report_id for n in notes}
    if reports:
        report_ids |= {m.report_id for m in memos if m.report_id and any(m.report_id.startswith(r) for r in reports)}
    places = {authority_of(r) for r in report_ids}
    return [m for m in memos if m.report_id in report_ids or m.authority in places]


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet would run as a formula ('=HYPERLINK(...)', '+1', '-2', '@SUM') starts with an
    apostrophe instead, so it is shown as text (OWASP's advice for CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(items: list[Item]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for item in items:
        note, report, paragraph = item.note, item.report, item.paragraph
        section = report.section(paragraph.section) if report and paragraph else None
        writer.writerow(
            {
                key: spreadsheet_safe(value)
                for key, value in {
                    "id": note.id,
                    "report_id": note.report_id,
                    "authority": report.authority if report else "",
                    "published": report.published if report else "",
                    "paragraph_id": note.paragraph_id or "",
                    "paragraph_number": paragraph.number if paragraph and paragraph.number is not None else "",
                    "section": section.title if section else "",
                    "grade": grade_name(section.grade, report.framework)
                    if report and section and section.grade
                    else "",
                    "citation": citation(report, paragraph) if report and paragraph else "",
                    "quote": note.quote if note.span else (paragraph.text if paragraph else note.quote or ""),
                    "note": note.text,
                    "tags": " ".join(note.tags),
                    "orphan": "yes" if item.orphan else "no",
                    "created": note.created,
                    "updated": note.updated,
                    "source_url": (report.source_url or "") if report else "",
                }.items()
            }
        )
    return buffer.getvalue()


def export_notes(
    notes: list[Note],
    load: Callable[[str], Report | None],
    group_by: str = "report",
    as_csv: bool = False,
    tags: list[str] | None = None,
    reports: list[str] | None = None,
    memos: list[Memo] | None = None,
) -> tuple[str, int]:
    """The notes as Markdown (grouped by report, tag or section) or CSV, and how many notes that is: what the app's
    export screen and `ofsted-reader export` both write. Memos (on reports and authorities) follow the notes in
    Markdown: all of them, or with a filter those on the reports and authorities of the notes kept."""
    import datetime as dt

    items = collect(notes, load, tags=tags, reports=reports)
    if as_csv:
        return to_csv(items), len(items)
    generated = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    if memos and (tags or reports):
        keys = {i.note.report_id: i.report.authority_code or i.report.authority for i in items if i.report}
        memos = related_memos(memos, [i.note for i in items], lambda r: keys.get(r, r), reports)
    shown = memo_items(memos, load) if memos else None
    return to_markdown(items, group_by, generated, {"tags": tags or [], "reports": reports or []}, shown), len(items)
