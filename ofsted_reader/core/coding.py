"""Coded retrieval: the notes read as codings of report passages, across reports.

A tag counts every note under it (a note tagged `practice/supervision` is coded `practice` too). A passage is a
paragraph: two notes on one paragraph code one passage. Counts need only what the library knows of each report
without loading it (`ReportFacts`); reading passages loads the reports they are in, for the text, the citation and
the section's grade.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ofsted_reader.core.search.text import tokens, whole_words

from . import authorities
from .citation import citation, dated, place
from .codebook import SEPARATOR, with_ancestors
from .export import spreadsheet_safe
from .grades import grade_from_word, grade_name
from .model import Paragraph, Report
from .notes import Note
from .vocabulary import Framework, ReportType

DIMENSIONS = ("authority", "region", "grade", "framework", "year")


@dataclass(frozen=True)
class ReportFacts:
    """What coded retrieval needs of a report without loading it, read from a library entry."""

    report_id: str
    authority: str  # the name shown
    authority_key: str  # DfE code, else the printed name: what counts authorities
    region: str
    la_type: str
    framework: Framework | None  # None for a report no longer in the library (unknown_facts)
    date: str  # ISO, publication else inspection
    report_type: ReportType | None
    grades: dict[str, int] = field(default_factory=dict)

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def overall(self) -> int | None:
        return self.grades.get("overall")

    @classmethod
    def of(cls, entry: Any) -> ReportFacts:
        """From a store.library.Entry (taken by its attributes: this layer does not know the store)."""
        found = authorities.by_code(entry.authority_code) if entry.authority_code else None
        return cls(
            report_id=entry.id,
            authority=found.name if found else entry.authority,
            authority_key=entry.authority_code or entry.authority,
            region=found.region if found else "",
            la_type=found.la_type if found else "",
            framework=entry.framework,
            date=entry.published or entry.inspected or "",
            report_type=entry.report_type,
            grades=dict(entry.grades or {}),
        )


def unknown_facts(report_id: str) -> ReportFacts:
    """A note's report that is no longer in the library: counted under its id, matching no filter but words."""
    return ReportFacts(report_id, report_id, report_id, "", "", None, "", None)


@dataclass(frozen=True)
class Counts:
    notes: int
    reports: int
    authorities: int


def codes_of(note: Note) -> set[str]:
    """Every code a note is coded with: its tags and every tag above them."""
    return with_ancestors(note.tags)


def tag_counts(notes: Iterable[Note], facts: Callable[[str], ReportFacts]) -> dict[str, Counts]:
    """For each tag and every tag above one: its notes, reports and authorities, the tags under it included."""
    seen: dict[str, tuple[set[str], set[str], set[str]]] = {}
    for note in notes:
        about = facts(note.report_id)
        for code in codes_of(note):
            ids, reports, places = seen.setdefault(code, (set(), set(), set()))
            ids.add(note.id)
            reports.add(note.report_id)
            places.add(about.authority_key)
    return {code: Counts(len(ids), len(r), len(a)) for code, (ids, r, a) in seen.items()}


def coded(notes: Iterable[Note], tag: str) -> list[Note]:
    """The notes coded with tag or a tag under it."""
    return [n for n in notes if any(t == tag or t.startswith(tag + SEPARATOR) for t in n.tags)]


@dataclass
class Passage:
    """One note read as a coded passage: the paragraph (None for an orphan) and what it is cited and filtered by."""

    note: Note
    facts: ReportFacts
    report: Report | None
    paragraph: Paragraph | None

    @property
    def text(self) -> str:
        """The coded words: the quote, else the paragraph (an orphan keeps its quote)."""
        if self.paragraph is not None and not self.note.span:
            return self.paragraph.full_text
        return self.note.quote or ""

    @property
    def key(self) -> str:
        """The passage: its paragraph, or the note itself for an orphan."""
        return passage_key(self.note)

    @property
    def section_grade(self) -> int | None:
        if self.report is None or self.paragraph is None:
            return None
        section = self.report.section(self.paragraph.section)
        return section.grade if section else None

    def to_dict(self) -> dict[str, Any]:
        """The passage as `codebook passages --json` gives it."""
        return {
            "note_id": self.note.id,
            "report_id": self.note.report_id,
            "paragraph_id": self.note.paragraph_id,
            "authority": self.facts.authority,
            "citation": self.citation,
            "text": self.text,
            "note": self.note.text,
            "tags": self.note.tags,
        }

    @property
    def citation(self) -> str:
        if self.report is not None and self.paragraph is not None:
            return citation(self.report, self.paragraph)
        if self.report is not None:
            return f"{self.report.authority}, {dated(self.report)} (paragraph no longer found)"
        return f"report {self.note.report_id} (not in the library)"

    @property
    def place(self) -> str:
        """Where the passage is, shorter than its citation, for a list in the app: 'Derby, 27 June 2011, para 4'."""
        if self.report is not None and self.paragraph is not None:
            return place(self.report, self.paragraph)
        return self.citation


def passages(
    notes: Iterable[Note], facts: Callable[[str], ReportFacts], load: Callable[[str], Report | None]
) -> list[Passage]:
    """Notes as passages, in reading order: by authority, report date, then place in the report."""
    out = []
    for note in notes:
        report = load(note.report_id)
        paragraph = report.paragraph(note.paragraph_id) if report is not None and note.paragraph_id else None
        out.append(Passage(note, facts(note.report_id), report, paragraph))
    out.sort(key=lambda p: (p.facts.authority.lower(), p.facts.date, p.note.position or 0, p.note.created))
    return out


# --- filters ---

_FIELD = re.compile(r"^(grade|section-grade|region|framework|year|authority):(.+)$", re.I)


@dataclass
class PassageFilter:
    """`grade:4` (the report's overall grade; a word too: grade:inadequate), `section-grade:3` (the graded section
    the passage is in), `region:london` (`region:north-west`), `framework:ilacs`, `year:2019` or `2019`,
    `authority:derby`, and words of the note, its quote or its citation (whole words, any case, as a quoted word
    is in search; a "quoted phrase" its words in order); all must hold."""

    grade: int | None = None
    section_grade: int | None = None
    region: str | None = None
    framework: str | None = None
    year: str | None = None
    authority: str | None = None
    words: list[list[str]] = field(default_factory=list)  # each a word, or a phrase's words in order
    problems: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, typed: str) -> PassageFilter:
        wanted = cls()
        for quoted, word in re.findall(r'"([^"]*)"?|(\S+)', typed):
            match = _FIELD.match(word) if word else None
            if match is None:
                if re.fullmatch(r"(19|20)\d\d", word):
                    wanted.year = word
                elif quoted:
                    wanted.words.append(tokens(quoted))
                else:
                    wanted.words += [[token] for token in tokens(word)]
                continue
            name, value = match.group(1).lower(), match.group(2)
            if name in ("grade", "section-grade"):
                grade = int(value) if value in ("1", "2", "3", "4") else grade_from_word(value.replace("-", " "))
                if grade is None:
                    wanted.problems.append(f"{word!r}: a grade is 1-4 or a word (good, inadequate)")
                elif name == "grade":
                    wanted.grade = grade
                else:
                    wanted.section_grade = grade
            elif name == "region":
                wanted.region = value.replace("-", " ").lower()
            elif name == "authority":
                wanted.authority = value.replace("-", " ").lower()
            elif name == "year":
                wanted.year = value
            else:
                wanted.framework = value.lower()
        return wanted

    def keeps_facts(self, facts: ReportFacts) -> bool:
        """The part of the filter the library's facts answer: grade, region, framework, year, authority."""
        if self.grade is not None and facts.overall != self.grade:
            return False
        if self.region and not facts.region.lower().startswith(self.region):
            return False
        if self.framework and facts.framework != self.framework:
            return False
        if self.year and facts.year != self.year:
            return False
        return not (self.authority and not _name_matches(facts.authority, self.authority))

    def keeps(self, passage: Passage) -> bool:
        if not self.keeps_facts(passage.facts):
            return False
        if self.section_grade is not None and passage.section_grade != self.section_grade:
            return False
        if self.words:
            haystack = " ".join((passage.note.text, passage.text, passage.facts.authority)).lower().replace("’", "'")
            return all(whole_words(words).search(haystack) for words in self.words if words)
        return True


def _name_matches(name: str, wanted: str) -> bool:
    """Whole words of the name, in order: 'derby' finds Derby and never Derbyshire, 'milton keynes' Milton Keynes."""
    return f" {authorities.normalise(wanted)} " in f" {authorities.normalise(name)} "


# --- co-occurrence ---


def passage_key(note: Note) -> str:
    """The passage a note codes, without loading its report: its paragraph (an orphan is a passage of its own)."""
    return note.paragraph_id if note.attached and note.paragraph_id else note.id


def co_coded(notes: Iterable[Note], tag: str) -> dict[str, int]:
    """For each other code, how many passages are coded with it and with tag (codes above tag left out)."""
    codes_by_passage: dict[str, set[str]] = {}
    for note in notes:
        codes_by_passage.setdefault(passage_key(note), set()).update(codes_of(note))
    above = with_ancestors([tag])
    counts: dict[str, int] = {}
    for codes in codes_by_passage.values():
        if tag in codes:
            for code in codes - above:
                if not code.startswith(tag + SEPARATOR):
                    counts[code] = counts.get(code, 0) + 1
    return counts


@dataclass
class CoOccurrence:
    """Two codes together: the passages coded with both (one note with both tags, or two notes on one paragraph),
    and the authorities coded with both anywhere in their reports."""

    first: str
    second: str
    passages: list[tuple[Passage, ...]]  # the passages of each shared paragraph, first code's notes first
    authorities: list[str]  # their names, alphabetically
    first_only: int  # authorities with the first code and not the second
    second_only: int


def co_occurrence(items: list[Passage], first: str, second: str) -> CoOccurrence:
    """Co-occurrence of two codes among passages (each with its note's codes)."""

    def has(passage: Passage, tag: str) -> bool:
        return tag in codes_of(passage.note)

    by_key: dict[str, list[Passage]] = {}
    for passage in items:
        by_key.setdefault(passage.key, []).append(passage)
    shared = []
    for group in by_key.values():
        if any(has(p, first) for p in group) and any(has(p, second) for p in group):
            shared.append(tuple(sorted(group, key=lambda p: not has(p, first))))
    names = {p.facts.authority_key: p.facts.authority for p in items}
    with_first = {p.facts.authority_key for p in items if has(p, first)}
    with_second = {p.facts.authority_key for p in items if has(p, second)}
    both = with_first & with_second
    return CoOccurrence(
        first,
        second,
        shared,
        sorted((names[k] for k in both), key=str.lower),
        len(with_first - both),
        len(with_second - both),
    )


# --- tables ---


def dimension_value(facts: ReportFacts, dimension: str) -> str:
    """The column a report falls in for a table by authority, region, grade, framework or year."""
    if dimension == "authority":
        return facts.authority
    if dimension == "region":
        return facts.region or "(not identified)"
    if dimension == "grade":
        # a report no longer in the library (no framework) has no grades either
        return grade_name(facts.overall, facts.framework) if facts.overall and facts.framework else "Not graded"
    if dimension == "framework":
        return facts.framework or "(unknown)"
    if dimension == "year":
        return facts.year or "(undated)"
    raise ValueError(f"no table by {dimension!r}; choose one of {', '.join(DIMENSIONS)}")


GRADE_ORDER = ["Outstanding", "Good", "Requires improvement", "Adequate", "Inadequate", "Not graded"]


@dataclass
class CodeTable:
    """Codes (rows, in tree order) by the values of a dimension (columns): how many notes of each."""

    dimension: str
    columns: list[str]
    rows: list[tuple[str, list[int], int]]  # (code, a count per column, total)

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([spreadsheet_safe(v) for v in ["code", *self.columns, "total"]])
        for code, counts, total in self.rows:
            writer.writerow([spreadsheet_safe(code), *counts, total])
        return buffer.getvalue()


# What a column of the codes table counts, where it could be misread: said under the table and by the CLI.
DIMENSION_NOTES = {
    "grade": "Notes by the overall grade of their report (a passage in a section graded otherwise counts under its "
    "report's overall grade; the filter section-grade:N takes the section's own)",
}


def code_table(
    notes: Iterable[Note], facts: Callable[[str], ReportFacts], dimension: str, codes: list[str]
) -> CodeTable:
    """Each code's notes (those under it included) counted by the dimension's value of their report."""
    cells: dict[str, dict[str, int]] = {}
    columns: set[str] = set()
    for note in notes:
        value = dimension_value(facts(note.report_id), dimension)
        columns.add(value)
        for code in codes_of(note):
            row = cells.setdefault(code, {})
            row[value] = row.get(value, 0) + 1
    if dimension == "grade":
        ordered = [c for c in GRADE_ORDER if c in columns] + sorted(columns - set(GRADE_ORDER))
    else:
        ordered = sorted(columns, key=str.lower)
    rows = []
    for code in codes:
        row = cells.get(code, {})
        counts = [row.get(column, 0) for column in ordered]
        rows.append((code, counts, sum(counts)))
    return CodeTable(dimension, ordered, rows)
