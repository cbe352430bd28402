"""Notes as a REFI-QDA project (`.qdpx`) or codebook (`.qdc`), the exchange formats of NVivo, ATLAS.ti, MAXQDA,
QualCoder and Taguette (QDA-XML 1.0, March 2019).

A `.qdpx` is a zip of `project.qde` (the XML) and `sources/`, each report's plain text (UTF-8, no byte order mark,
`\\n` line ends) as a TextSource. Each tag is a Code, nested as in the codebook, with its colour and description;
each note a PlainTextSelection over exactly its quote (or its paragraph) with a Coding per tag and the note as a
Note; memos are Notes on their report, or on their authority (referenced from its reports, and linked to its Case).
Every authority is a Case with Variables: region, LA type, and the framework and grades of its latest inspection in
the project; each report carries its own framework, date and grades.

Positions count characters (code points) of the source text, as Python's str does and QDA tools read them. Text
that XML 1.0 cannot carry (control characters) is replaced one for one by U+FFFD, so no position moves. GUIDs are
derived from the notes' ids (uuid5): exporting the same notes twice gives the same project, and a tool re-importing
it sees the same objects.
"""

from __future__ import annotations

import io
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .citation import CROWN_NOTICE, citation, dated, source_line
from .codebook import Code, colour_of, leaf, tree_order, under
from .coding import ReportFacts
from .export import related_memos
from .grades import grade_name
from .judgements import KEYS, SEND_KEY, SHORT
from .model import Report
from .notes import Memo, Note
from .safe_text import first_line
from .visits import KINDS
from .vocabulary import SEND_OUTCOME_NAMES, SEND_OUTCOMES

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "ofsted-reader"
_GUIDS = uuid.UUID("6f2d1b1e-4c1a-5b8e-9a57-0f5ed0c0de24")  # the namespace of every GUID this app writes
# Characters XML 1.0 may not hold (it has no escape for them): tab, newline and carriage return aside, the C0
# controls, lone surrogates and U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
JUDGEMENT_NAMES = {key: SHORT[key] for key, _, _ in KEYS}
REPORT_VARIABLES = ("Framework", "Report type", "Published")
CASE_VARIABLES = ("Region", "LA type")
# An area SEND inspection's outcome: a variable of its own (declared only where a report in the project has one),
# never one of the judgements' grades.
SEND_VARIABLE = "Area SEND outcome"


def guid(kind: str, key: str) -> str:
    return str(uuid.uuid5(_GUIDS, f"{kind}:{key}"))


def xml_safe(text: str) -> str:
    """Text XML can carry, of the same length: a carriage return as a newline (a parser would turn '\\r\\n' into
    one character and shift every position after it), what XML cannot hold as U+FFFD."""
    return _NOT_XML.sub("\ufffd", text.replace("\r", "\n"))


@dataclass
class SourceText:
    """A report as plain text, and where each paragraph's quotable text starts in it."""

    text: str
    starts: dict[str, int]


def source_text(report: Report) -> SourceText:
    """The report as one plain text: its title, where it was published, then its paragraphs under their section
    headings (a numbered one starts '12. '), a blank line between."""
    parts: list[str] = [report.title or report.authority, source_line(report), CROWN_NOTICE, ""]
    length = sum(len(p) + 1 for p in parts)
    starts: dict[str, int] = {}
    section = None
    for paragraph in report.paragraphs:
        if paragraph.section != section:
            section = paragraph.section
            found = report.section(section)
            if found is not None:
                heading = found.title + (f" ({grade_name(found.grade, report.framework)})" if found.grade else "")
                parts += [heading, ""]
                length += len(heading) + 2
        prefix = f"{paragraph.number}. " if paragraph.number is not None else ""
        starts[paragraph.id] = length + len(prefix)
        line = prefix + paragraph.full_text
        parts += [line, ""]
        length += len(line) + 2
    return SourceText(xml_safe("\n".join(parts)), starts)


@dataclass
class QdaExport:
    """What was written, for the one line said after: the file's bytes and its counts."""

    data: bytes
    reports: int = 0
    notes: int = 0
    codes: int = 0
    memos: int = 0
    cases: int = 0
    left_out: list[str] = field(default_factory=list)  # notes or memos that could not be placed, and why

    def summary(self) -> str:
        text = (
            f"{self.notes} coded passages from {self.reports} reports, {self.codes} codes, {self.memos} memos, "
            f"{self.cases} authorities"
        )
        if self.left_out:
            text += f"; {len(self.left_out)} left out ({self.left_out[0]}{', …' if len(self.left_out) > 1 else ''})"
        return text


def _element(parent: ET.Element, element_name: str, text: str | None = None, **attributes: str | None) -> ET.Element:
    # Prose (a note, a description) has no positions counted in it: a Windows line end is one newline.
    element = ET.SubElement(
        parent, element_name, {k: xml_safe(v.replace("\r\n", "\n")) for k, v in attributes.items() if v is not None}
    )
    if text is not None:
        element.text = xml_safe(text.replace("\r\n", "\n"))
    return element


def _codes(parent: ET.Element, tags: Iterable[str], codes: dict[str, Code]) -> int:
    """The codes as nested Code elements, each parent before its children; returns how many."""
    ordered = tree_order(tags)
    made: dict[str, ET.Element] = {}
    for tag in ordered:
        head = tag.rpartition("/")[0]
        code = codes.get(tag)
        element = _element(
            made[head] if head else parent,
            "Code",
            guid=guid("code", tag),
            name=xml_safe(leaf(tag)),
            isCodable="true",
            color=colour_of(tag, codes),
        )
        if code is not None and code.description:
            # Description must come before any child Code: the children are added after this, in tree order.
            _element(element, "Description", code.description)
        made[tag] = element
    return len(ordered)


def _xml(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def codebook_xml(codes: dict[str, Code], tags: Iterable[str]) -> bytes:
    """A `.qdc`: the codebook alone (every tag in use and every entry), for another tool or another project."""
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": ORIGIN})
    _codes(_element(root, "Codes"), set(tags) | set(codes), codes)
    return _xml(root)


@dataclass
class ProjectInput:
    """What a project is made of. `load` gives a report (None when it is gone), `facts` what the library knows of
    it; `authority_name` names an authority memo's authority (a DfE code or a printed name)."""

    notes: list[Note]
    memos: list[Memo]
    codes: dict[str, Code]
    load: Callable[[str], Report | None]
    facts: Callable[[str], ReportFacts]
    authority_name: Callable[[str], str]
    created: str  # ISO time with zone
    tag: str | None = None
    reports: list[str] | None = None


def _wanted(given: ProjectInput) -> tuple[list[Note], list[Memo]]:
    notes = given.notes
    if given.tag:
        notes = [n for n in notes if any(under(t, given.tag) for t in n.tags)]
    if given.reports:
        notes = [n for n in notes if any(n.report_id.startswith(r) for r in given.reports)]
    memos = given.memos
    if given.tag or given.reports:
        memos = related_memos(memos, notes, lambda r: given.facts(r).authority_key, given.reports)
    return notes, memos


def build_project(given: ProjectInput) -> QdaExport:
    """The `.qdpx` of the notes and memos (those of one tag, or on some reports, when asked)."""
    notes, memos = _wanted(given)
    result = QdaExport(b"")
    user = guid("user", ORIGIN)
    root = ET.Element("Project", {"xmlns": PROJECT_NS, "name": "Notes from Ofsted reports", "origin": ORIGIN})
    root.set("creatingUserGUID", user)
    root.set("creationDateTime", given.created)
    _element(_element(root, "Users"), "User", guid=user, name=ORIGIN)

    reports: dict[str, Report] = {}
    for report_id in sorted({n.report_id for n in notes} | {m.report_id for m in memos if m.report_id}):
        report = given.load(report_id)
        if report is not None:
            reports[report_id] = report
    placed: list[tuple[Note, int, int]] = []
    texts: dict[str, SourceText] = {rid: source_text(r) for rid, r in reports.items()}
    for note in notes:
        where = _place(note, reports.get(note.report_id), texts.get(note.report_id))
        if isinstance(where, str):
            result.left_out.append(f"note {note.id[:8]}: {where}")
        else:
            placed.append((note, *where))
    used_reports = sorted({n.report_id for n, _, _ in placed} | {m.report_id for m in memos if m.report_id in reports})

    tags = {t for n, _, _ in placed for t in n.tags}
    if given.tag:
        tags |= {t for t in given.codes if under(t, given.tag)} | {given.tag}
    else:
        tags |= set(given.codes)
    if tags:
        result.codes = _codes(_element(_element(root, "CodeBook"), "Codes"), tags, given.codes)

    facts = {rid: given.facts(rid) for rid in used_reports}
    by_authority: dict[str, list[str]] = {}
    for rid in used_reports:
        by_authority.setdefault(facts[rid].authority_key, []).append(rid)
    for memo in memos:
        if memo.authority and memo.authority not in by_authority:
            by_authority[memo.authority] = []
    judgements = sorted(
        {k for f in facts.values() for k in f.grades if k in JUDGEMENT_NAMES}, key=list(JUDGEMENT_NAMES).index
    )
    variables = [*REPORT_VARIABLES, *CASE_VARIABLES, *(JUDGEMENT_NAMES[k] for k in judgements)]
    if any(f.grades.get(SEND_KEY) for f in facts.values()):
        variables.append(SEND_VARIABLE)
    if by_authority:
        holder = _element(root, "Variables")
        for name in variables:
            _element(
                holder,
                "Variable",
                guid=guid("variable", name),
                name=name,
                typeOfVariable="Date" if name == "Published" else "Text",
            )
        cases = _element(root, "Cases")
        for key in sorted(by_authority, key=lambda k: given.authority_name(k).lower()):
            _case(cases, key, by_authority[key], facts, given.authority_name(key), judgements)
        result.cases = len(by_authority)

    memo_guids = {m.id: guid("memo", m.id) for m in memos}
    selections: dict[str, list[tuple[Note, int, int]]] = {}
    for item in placed:
        selections.setdefault(item[0].report_id, []).append(item)
    files: dict[str, str] = {}
    if used_reports:
        sources = _element(root, "Sources")
        for rid in used_reports:
            report, text = reports[rid], texts[rid]
            source_guid = guid("source", rid)
            files[f"sources/{source_guid}.txt"] = text.text
            element = _element(
                sources, "TextSource", guid=source_guid, name=f"{report.authority}, {dated(report)}",
                plainTextPath=f"internal://{source_guid}.txt", creatingUser=user, creationDateTime=given.created,
            )  # fmt: skip
            _element(element, "Description", f"{source_line(report)}. {CROWN_NOTICE}")
            for note, start, end in sorted(selections.get(rid, []), key=lambda item: (item[1], item[2])):
                _selection(element, report, note, start, end, user)
            key = facts[rid].authority_key
            for memo in memos:
                if memo.report_id == rid or (memo.authority and memo.authority == key):
                    _element(element, "NoteRef", targetGUID=memo_guids[memo.id])
            _report_values(element, report, facts[rid], judgements)
    result.reports, result.notes = len(used_reports), len(placed)

    written = [n for n, _, _ in placed if n.text.strip()]
    placed_memos = [m for m in memos if m.report_id in reports or m.authority]
    for memo in memos:
        if memo not in placed_memos:
            result.left_out.append(f"memo {memo.id[:8]}: its report is not in the library")
    if written or placed_memos:
        holder = _element(root, "Notes")
        for note in written:
            _note(holder, guid("note", note.id), note.summary(60), note.text, note.created, note.updated, user)
        for memo in placed_memos:
            about = (
                f"{reports[memo.report_id].authority}, {dated(reports[memo.report_id])}"
                if memo.report_id
                else given.authority_name(memo.authority or "")
            )
            _note(holder, memo_guids[memo.id], f"Memo on {about}", memo.text, memo.created, memo.updated, user)
    result.memos = len(placed_memos)
    authority_memos = [m for m in placed_memos if m.authority]
    if authority_memos:
        links = _element(root, "Links")
        for memo in authority_memos:
            _element(
                links, "Link", guid=guid("link", memo.id), name="memo on", direction="OneWay",
                originGUID=memo_guids[memo.id], targetGUID=guid("case", memo.authority or ""),
            )  # fmt: skip
    filters = [f"tag {given.tag}" if given.tag else "", f"reports {', '.join(given.reports)}" if given.reports else ""]
    chosen = " and ".join(f for f in filters if f)
    _element(
        root,
        "Description",
        f"Notes on Ofsted reports, exported by ofsted-reader{' (' + chosen + ')' if chosen else ''}. {CROWN_NOTICE}",
    )

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", _xml(root))
        for name, plain in files.items():
            archive.writestr(name, plain.encode("utf-8"))
    result.data = buffer.getvalue()
    return result


def _place(note: Note, report: Report | None, text: SourceText | None) -> tuple[int, int] | str:
    """Where a note's quote (or paragraph) is in its report's source text, or why it has no place."""
    if report is None or text is None:
        return "its report is not in the library"
    paragraph = report.paragraph(note.paragraph_id) if note.attached and note.paragraph_id else None
    if paragraph is None or paragraph.id not in text.starts:
        return "its paragraph could not be found after the report changed (an orphan)"
    body, start = xml_safe(paragraph.full_text), text.starts[paragraph.id]
    if not note.span:
        return start, start + len(body)
    begin, end = note.span
    quote = xml_safe(note.quote or "")
    if body[begin:end] != quote:  # a span from before the text moved: the quote itself is what counts
        begin = body.find(quote)
        if begin < 0 or not quote:
            return "its quote is no longer in its paragraph"
        end = begin + len(quote)
    return start + begin, start + end


def _selection(parent: ET.Element, report: Report, note: Note, start: int, end: int, user: str) -> None:
    paragraph = report.paragraph(note.paragraph_id)  # type: ignore[arg-type]
    name = first_line(note.quote if note.span and note.quote else (paragraph.text if paragraph else ""), 60)
    element = _element(
        parent, "PlainTextSelection", guid=guid("selection", note.id), name=name, startPosition=str(start),
        endPosition=str(end), creatingUser=user, creationDateTime=note.created, modifiedDateTime=note.updated,
    )  # fmt: skip
    if paragraph is not None:
        _element(element, "Description", citation(report, paragraph))
    for tag in note.tags:
        coding = _element(element, "Coding", guid=guid("coding", f"{note.id} {tag}"), creatingUser=user)
        _element(coding, "CodeRef", targetGUID=guid("code", tag))
    if note.text.strip():
        _element(element, "NoteRef", targetGUID=guid("note", note.id))


def _note(parent: ET.Element, note_guid: str, name: str, text: str, created: str, updated: str, user: str) -> None:
    element = _element(
        parent, "Note", guid=note_guid, name=first_line(name, 80), creatingUser=user, creationDateTime=created,
        modifiedDateTime=updated,
    )  # fmt: skip
    _element(element, "PlainTextContent", text)


def _value(parent: ET.Element, name: str, value: str | None, kind: str = "TextValue") -> None:
    if value:
        holder = _element(parent, "VariableValue")
        _element(holder, "VariableRef", targetGUID=guid("variable", name))
        _element(holder, kind, value)


def _report_values(parent: ET.Element, report: Report, facts: ReportFacts, judgements: list[str]) -> None:
    _value(parent, "Framework", report.framework.upper())
    _value(parent, "Report type", KINDS.get(report.report_type, report.report_type.replace("_", " ")))
    if report.published and re.fullmatch(r"\d{4}-\d\d-\d\d", report.published):
        _value(parent, "Published", report.published, "DateValue")
    for key in judgements:
        grade = facts.grades.get(key)
        _value(parent, JUDGEMENT_NAMES[key], grade_name(grade, report.framework) if grade else None)
    _value(parent, SEND_VARIABLE, _send_outcome(facts))


def _case(
    parent: ET.Element, key: str, report_ids: list[str], facts: dict[str, ReportFacts], name: str, judgements: list[str]
) -> None:
    """An authority: its region and type, and the framework and grades of its latest inspection in the project."""
    element = _element(parent, "Case", guid=guid("case", key), name=name)
    mine = [facts[r] for r in report_ids]
    about = mine[0] if mine else None
    if about is not None and (about.region or about.la_type):
        _element(element, "Description", " · ".join(p for p in (about.region, about.la_type) if p))
    latest = max((f for f in mine if f.report_type == "inspection" and f.grades), key=lambda f: f.date, default=None)
    if about is not None:
        _value(element, "Region", about.region)
        _value(element, "LA type", about.la_type)
    if latest is not None and latest.framework is not None:  # an inspection the library holds: it has both
        _value(element, "Framework", latest.framework.upper())
        for judgement in judgements:
            grade = latest.grades.get(judgement)
            _value(element, JUDGEMENT_NAMES[judgement], grade_name(grade, latest.framework) if grade else None)
    send = max((f for f in mine if f.grades.get(SEND_KEY)), key=lambda f: f.date, default=None)
    if send is not None:  # the latest area SEND outcome in the project
        _value(element, SEND_VARIABLE, _send_outcome(send))
    for report_id in report_ids:
        _element(element, "SourceRef", targetGUID=guid("source", report_id))


def _send_outcome(facts: ReportFacts) -> str | None:
    outcome = facts.grades.get(SEND_KEY)
    return SEND_OUTCOME_NAMES[SEND_OUTCOMES[outcome - 1]] if outcome in (1, 2, 3) else None
