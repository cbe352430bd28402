"""A report's structure against what its pages print, for bench/corpus.py: the defect classes of issue 33, each
counted from the PDF's characters or from what the pages print, never from the importer's rules:
- breaks: paragraphs holding a printed paragraph break: a line set more than 1.25 of the page's line pitches below the
  one before (a box's paragraphs are set 1.4 apart, the body's 2), the line before ending a sentence, this one
  starting with a capital (bench/structure.py's "merged" sees only the body's wider spaces);
- footnote marks: a footnote's printed text inside a paragraph, a space left before a comma or full stop where a
  marker was taken out ("school , outside"), a marker left glued to a word ("decision-1 The");
- off contents: headings whose parent is not the one the contents page prints (its entries indented under their part)
  and contents entries with no heading;
- grade paragraphs: paragraphs that are a grade word or a judgement's label ("Inadequate", "The graded judgment for
  adoption performance good", "Headline findings.");
- split recommendations: a recommendation that is only the lead-in of its sub-bullets (ends with ":");
- team merged: a paragraph naming two inspectors' roles ("Lead inspector: … Deputy lead inspector: …");
- joins: a line-break join that is not the printed form ("2014– 15", "first-and second-line");
- second reports: a PDF printing a second report's cover after the first's closing page, whose judgement the parse
  does not hold.
"""

from __future__ import annotations

import re
from collections import Counter

from ofsted_reader.core.judgements import judgement_key
from ofsted_reader.core.model import Report
from ofsted_reader.importers.pdf_extract import Line

SENTENCE_END = re.compile(r"[.!?:]['’”\"]?$")
CAPITAL_START = re.compile(r"^['‘“\"(]?[A-Z]")
BOX_SPACE = 1.25  # of the page's pitch: a box's paragraph space (1.4) and the body's (2) are both above it
BLOCK_KEY = 40
TAIL_KEY = 20


def squash(text: str) -> str:
    return " ".join(text.split())


def _placed(page: list[str]) -> list[Line]:
    return [line for line in page if isinstance(line, Line) and hasattr(line, "baseline")]


def _texts(report: Report) -> list[tuple[str, str]]:
    return [(p.id, squash(text)) for p in report.paragraphs for text in [p.text, *p.items] if text]


def printed_breaks(report: Report, pages: list[list[str]]) -> list[str]:
    starts: list[tuple[int, str]] = []
    for number, page in enumerate(pages, start=1):
        lines = _placed(page)
        previous = None
        for line in lines:
            if previous is not None and line.advance and line.pitch:
                text = squash(line)
                if (
                    line.advance > BOX_SPACE * line.pitch
                    and SENTENCE_END.search(previous.strip())
                    and CAPITAL_START.match(text)
                    and len(text) >= 20
                ):
                    starts.append((number, squash(previous)[-TAIL_KEY:] + " " + text[:BLOCK_KEY]))
            previous = line
    out = []
    for paragraph in report.paragraphs:
        near = (paragraph.page, (paragraph.page or 0) + 1)
        for text in [paragraph.text, *paragraph.items]:
            text = squash(text)
            hit = next((s for page, s in starts if page in near and s in text), None)
            if hit:
                out.append(f"{paragraph.id}: {hit}")
                break
    return out


FOOTNOTE_START = re.compile(r"^(\d{1,2})\s+(\S.{14,})")


def printed_footnotes(pages: list[list[str]]) -> list[tuple[int, str, str]]:
    """(page, marker, first words) of each footnote a page prints: a line under the body in a smaller type, starting
    with its number."""
    out = []
    for number, page in enumerate(pages, start=1):
        lines = _placed(page)
        sizes = Counter(round(line.size) for line in lines)
        if not sizes:
            continue
        body = sizes.most_common(1)[0][0]
        last_body = min((line.baseline for line in lines if round(line.size) >= body), default=0.0)
        for line in lines:
            match = FOOTNOTE_START.match(line.strip())
            if match and line.size < body - 0.9 and line.baseline <= last_body + 1:
                out.append((number, match.group(1), squash(match.group(2))[:30]))
    return out


GLUED = re.compile(r"\b[a-z]{3,}-?(\d{1,2}) (?=[A-Z])")  # "decision-1 The": a note's number left on its word
SPACE_BEFORE = re.compile(r"[a-z] [,.;](?=\s|$)")  # "school , outside": a marker taken out with its space


def footnote_marks(report: Report, pages: list[list[str]]) -> list[str]:
    notes = printed_footnotes(pages)
    raw = " ".join(squash(line) for page in pages for line in page)
    out = []
    for pid, text in _texts(report):
        found = [f"note {marker} in text" for page, marker, start in notes if start in text]
        found += [f"glued {m.group(0)!r}" for m in GLUED.finditer(text) if any(m.group(1) == n[1] for n in notes)]
        # (a space the page itself prints before a comma, "mutilation , sexual", is no marker's)
        found += [
            f"space {m.group(0)!r}"
            for m in SPACE_BEFORE.finditer(text)
            if text[max(0, m.start() - 15) : m.end() + 1] not in raw
        ]
        out += [f"{pid}: {f}" for f in found]
    return out


CONTENTS_ENTRY = re.compile(r"^(?P<title>\S.*?\S)[\s.]*\s(?P<page>\d{1,3})$")


def contents_entries(pages: list[list[str]]) -> list[tuple[str, int]]:
    """The contents page's entries as (title, depth): an entry wrapped over two lines is one; depth 0 the largest
    type where the page sets two sizes (16 and 14 pt), else the leftmost indent, 1 the rest."""
    for page in pages[:6]:
        lines = _placed(page)
        start = next((i for i, line in enumerate(lines) if line.strip() == "Contents"), None)
        if start is None:
            continue
        entries: list[tuple[str, float, float]] = []
        pending: list[Line] = []
        rest = [line for line in lines[start + 1 :] if line.strip()]
        rest = [line for line in rest if rest and line.size > rest[0].size - 1.5]  # not a footnote under it
        for position, line in enumerate(rest):
            match = CONTENTS_ENTRY.match(line.strip())
            following = rest[position + 1].strip() if position + 1 < len(rest) else ""
            if line.strip().isdigit():  # a page number on its own line ends the entry above it
                if pending:
                    entries.append((" ".join(squash(p) for p in pending), pending[0].left, pending[0].size))
                pending = []
                continue
            if match is None and following[:1].islower():
                pending = [*pending, line][-2:]
                continue
            first = pending[0] if pending else line
            title = " ".join([*(squash(p) for p in pending), squash(match.group("title") if match else line)])
            if title != "Contents":  # (a page listing itself)
                entries.append((title, first.left, first.size))
            pending = []
        if len(entries) < 3:
            return []
        sizes = [size for _, _, size in entries]
        lefts = [left for _, left, _ in entries]
        if max(sizes) - min(sizes) >= 1:
            return [(title, 0 if size > max(sizes) - 1 else 1) for title, _, size in entries]
        if max(lefts) - min(lefts) < 5:
            return []  # a list set all alike prints no tree
        return [(title, 0 if left - min(lefts) < 5 else 1) for title, left, _ in entries]
    return []


def _norm(title: str) -> str:
    title = re.sub(r"\([^)]*\)", " ", title)  # "The Local Safeguarding Children Board (LSCB)"
    return re.sub(r"[^a-z]+", " ", title.lower().replace("judgment", "judgement")).strip()


def off_contents(report: Report, pages: list[list[str]]) -> list[str]:
    entries = contents_entries(pages)
    if not entries:
        return []
    by_id = {s.id: s for s in report.sections}
    out = []
    after = 0  # the entries are in the report's order: each is found after the one before
    part: str | None = None
    for title, depth in entries:
        key = _norm(title)
        found = next((i for i, s in enumerate(report.sections[after:], after) if _norm(s.title).startswith(key)), None)
        if depth == 0:
            part = key
        if found is None:
            out.append(f"no heading for {title!r}")
            continue
        after = found + 1
        section = report.sections[found]
        parent = by_id[section.parent].title if section.parent in by_id else None
        want = None if depth == 0 else part
        if (_norm(parent) if parent else None) != want and not (want and parent and _norm(parent).startswith(want)):
            out.append(f"{section.title!r} under {parent!r}, printed under {want!r}")
    return out


GRADE_TEXT = re.compile(
    r"^(outstanding|good|adequate|inadequate|requires improvement( to be good)?|"
    r"the graded judge?ment for .*|headline findings)\.?$",
    re.I,
)


def grade_paragraphs(report: Report) -> list[str]:
    return [f"{p.id}: {p.text}" for p in report.paragraphs if not p.items and GRADE_TEXT.match(p.text.strip())]


def split_recommendations(report: Report) -> list[str]:
    return [r.text[:60] for r in report.recommendations if r.text.rstrip().endswith(":")]


ROLE = re.compile(r"\b(lead|deputy lead|team|shadow|senior)?\s*inspectors?\s*:", re.I)


def team_merged(report: Report) -> list[str]:
    return [f"{pid}: {text[:60]}" for pid, text in _texts(report) if len(ROLE.findall(text)) >= 2]


BAD_JOIN = re.compile(r"\d[–-] \d|\b[a-z]+-(?:and|or) [a-z]+-")


def bad_joins(report: Report, pages: list[list[str]] | None) -> list[str]:
    """Joins not as printed: a form found in no printed line (one a line prints, "single-and multi-agency", is the
    report's own)."""
    printed = {m.group(0) for page in pages or [] for line in page for m in BAD_JOIN.finditer(squash(line))}
    return [
        f"{pid}: {m.group(0)!r}"
        for pid, text in _texts(report)
        for m in BAD_JOIN.finditer(text)
        if m.group(0) not in printed
    ]


CLOSING = re.compile(r"^(The Office for Standards in Education|Any complaints about the inspection|Ofsted has a duty)")
SECOND_COVER = re.compile(r"^(Review of the effectiveness of the Local Safeguarding|Inspection dates?\b)", re.I)


def second_start(pages: list[list[str]]) -> int | None:
    """The index of the page where a second report's cover is printed after a closing page, if any."""
    closed = False
    for index, page in enumerate(pages):
        texts = [line.strip() for line in page]
        if closed and any(SECOND_COVER.match(text) for text in texts[:25]):
            return index
        if index > 0 and any(CLOSING.match(text) for text in texts):
            closed = True
    return None


def second_reports(report: Report, pages: list[list[str]]) -> list[str]:
    """A second report in the same file is read if the parse holds its LSCB judgement."""
    start = second_start(pages)
    if start is None or "lscb" in {judgement_key(j.name) for j in report.judgements}:
        return []
    return [f"a second report from p{start + 1}, its judgement not read"]


def printed(report: Report, pages: list[list[str]] | None) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {
        "grade_paragraphs": grade_paragraphs(report),
        "split_recommendations": split_recommendations(report),
        "team_merged": team_merged(report),
        "bad_joins": bad_joins(report, pages),
        "breaks": [],
        "footnote_marks": [],
        "off_contents": [],
        "second_reports": [],
    }
    if pages is not None:
        result.update(
            breaks=printed_breaks(report, pages),
            footnote_marks=footnote_marks(report, pages),
            off_contents=off_contents(report, pages),
            second_reports=second_reports(report, pages),
        )
    return result


PRINTED_COUNTS = [
    "breaks",
    "footnote_marks",
    "off_contents",
    "grade_paragraphs",
    "split_recommendations",
    "team_merged",
    "bad_joins",
    "second_reports",
]
