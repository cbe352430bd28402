"""A report's structure measured against its PDF's layout, for bench/corpus.py: what a reader and a note depend on.

Each count is taken from the PDF's characters (where pdfium prints each line) or from the model's own consistency,
never from the importer's rules:
- merged: paragraphs holding, past their start, the first words of a block the PDF sets apart: a line dropped more
  than 1.5 line pitches below the one before, which ends a sentence, the line itself starting with a capital;
- cell titles: section titles made of two cells of one table row (lines printed side by side on one baseline, or
  one line with a jump across the page between its words);
- empty leaves: sections with neither paragraphs nor sub-sections;
- grade disagreements: a graded section whose grade is not the page-one judgement of the same name;
- fragments: unnumbered paragraphs of at most six words, no bullets, that end no sentence ("to be good",
  "Children Board", a footnote marker);
- dated footers: lines printed at the same height on three or more pages, digits aside, with a date, found in a
  paragraph or a section title.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict

from ofsted_reader.core.judgements import judgement_key
from ofsted_reader.core.model import Report
from ofsted_reader.importers.pdf_extract import Line

SENTENCE_END = re.compile(r"[.!?:]['’”\"]?$")
CAPITAL_START = re.compile(r"^['‘“\"(]?[A-Z]")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATED = re.compile(rf"\b({MONTHS})\s+\d{{4}}\b")
BLOCK_KEY = 40  # characters of a block's first line that name it: enough not to recur by chance
TAIL_KEY = 20  # and of the line before it


def squash(text: str) -> str:
    return " ".join(text.split())


def placed(page: list[str]) -> list[Line]:
    return [line for line in page if isinstance(line, Line) and hasattr(line, "baseline")]


def block_starts(pages: list[list[str]]) -> list[tuple[int, str]]:
    """Every block the layout sets apart after a finished sentence, as the last words before it and its first words:
    a paragraph holding both holds two blocks."""
    starts = []
    for number, page in enumerate(pages, start=1):
        lines = placed(page)
        for before, line in itertools.pairwise(lines):
            text = squash(line)
            if line.spaced and SENTENCE_END.search(before.strip()) and CAPITAL_START.match(text) and len(text) >= 20:
                # With the end of the block before it: an executive summary can repeat the words of a later block.
                starts.append((number, squash(before)[-TAIL_KEY:] + " " + text[:BLOCK_KEY]))
    return starts


def merged_paragraphs(report: Report, pages: list[list[str]]) -> list[str]:
    starts = block_starts(pages)
    out = []
    for paragraph in report.paragraphs:
        for text in [paragraph.text, *paragraph.items]:
            text = squash(text)
            # On the paragraph's own pages: a summary can repeat, across two blocks, words that a later paragraph
            # prints as one.
            hit = next(
                (s for page, s in starts if s in text and page in (paragraph.page, (paragraph.page or 0) + 1)), None
            )
            if hit:
                out.append(f"{paragraph.id}: {hit}")
                break
    return out


def row_cells(pages: list[list[str]]) -> list[tuple[str, str]]:
    """Pairs of lines printed side by side on one baseline, left first, and of the cells pdfium gave as one line:
    cells of one table row."""
    pairs = []
    for page in pages:
        lines = placed(page)
        for line in lines:
            pairs += [(squash(a), squash(b)) for a, b in itertools.pairwise(line.cells)]
        by_height: dict[int, list[Line]] = defaultdict(list)
        for line in lines:
            by_height[round(line.baseline)].append(line)
        for row in by_height.values():
            row = sorted(row, key=lambda line: line.left)
            for left, right in itertools.pairwise(row):
                if left.right < right.left:
                    pairs.append((squash(left), squash(right)))
    return pairs


def cell_titles(report: Report, pages: list[list[str]]) -> list[str]:
    pairs = [(a, b) for a, b in row_cells(pages) if len(a) >= 4 and len(b) >= 4]
    out = []
    for section in report.sections:
        title = squash(section.title)
        if any(a in title and b in title and title.find(a) < title.find(b) for a, b in pairs):
            out.append(section.title)
    return out


def empty_leaves(report: Report) -> list[str]:
    holding = {p.section for p in report.paragraphs}
    parents = {s.parent for s in report.sections}
    return [s.title for s in report.sections if s.id not in holding and s.id not in parents]


def grade_disagreements(report: Report) -> list[str]:
    page_one = {judgement_key(j.name): j.grade for j in report.judgements}
    out = []
    for section in report.sections:
        key = judgement_key(section.title) if section.grade else None
        if key and key in page_one and page_one[key] != section.grade:
            out.append(f"{section.title}: heading {section.grade}, page one {page_one[key]}")
    return out


GRADE_PIECE = re.compile(r"^(requires?|improvement|to be good|be good|good|outstanding|inadequate|\W)+$", re.I)
SMALL_WORDS = {"and", "of", "the", "for", "in", "to", "on", "a"}
VERB = re.compile(r"\b(is|are|was|were|has|have|requires?)\b", re.I)


def fragments(report: Report) -> list[str]:
    """Short paragraphs that end no sentence and are pieces of something else: a marker, a date or a page number
    alone, a piece of a grade, a heading's wrapped tail (capitalised words: "Children Board"), or a line's wrapped
    tail (lower case, after a paragraph that does not end a sentence). A short item of a list set as a paragraph
    ("the effectiveness of PLO processes.", "learning from case file audits") or a verdict ("Children's services
    in York are good") is none of these."""
    out = []
    before = ""
    for p in report.paragraphs:
        text = p.text.strip()
        words = text.split()
        if p.number is None and not p.items and len(words) <= 6 and not re.search(r"[.!?:;)’”'\"]$", text):
            piece = (
                not re.search(r"[A-Za-z]{3}", text.replace("January", "").replace("October", ""))
                or re.fullmatch(rf"[\d\s–-]*({MONTHS})?[\d\s–-]*", text) is not None
                or GRADE_PIECE.match(text) is not None
                or (not VERB.search(text) and all(w[:1].isupper() or w in SMALL_WORDS for w in words))
                or (text[:1].islower() and not re.search(r"[.!?:;]['’”\"]?$", before))
            )
            if piece:
                out.append(f"{p.id}: {p.text}")
        before = (p.items[-1] if p.items else p.text).strip()
    return out


def placed_key(line: str) -> str | None:
    """Where a line is printed and its words, digits aside: '@35|# july # #'."""
    if not isinstance(line, Line) or not hasattr(line, "baseline"):
        return None
    return f"@{round(line.baseline)}|{re.sub(r'[0-9]+', '#', squash(line).lower())}"


def recurring_placed(pages: list[list[str]], needed: int = 3) -> set[str]:
    """placed_key()s of the lines printed at one height with the same words on `needed` pages or more."""
    seen: dict[str, set[int]] = defaultdict(set)
    for number, page in enumerate(pages):
        for line in placed(page):
            key = placed_key(line)
            if key and re.search(r"[a-z]", key.split("|", 1)[1]):
                seen[key].add(number)
    return {key for key, on in seen.items() if len(on) >= needed}


def dated_footers(pages: list[list[str]]) -> set[str]:
    """Lines at one height on three or more pages (their digits aside) that carry a date: running footers."""
    recurring = recurring_placed(pages)
    return {
        squash(line) for page in pages for line in placed(page) if DATED.search(line) and placed_key(line) in recurring
    }


def footers_in_text(report: Report, pages: list[list[str]]) -> list[str]:
    footers = dated_footers(pages)
    if not footers:
        return []
    out = []
    for paragraph in report.paragraphs:
        for text in [paragraph.text, *paragraph.items]:
            out += [f"{paragraph.id}: {f}" for f in footers if f in squash(text)]
    out += [f"title {s.title}" for s in report.sections for f in footers if f in squash(s.title)]
    return out


def structure(report: Report, pages: list[list[str]] | None) -> dict[str, list[str]]:
    """Every count of this module for one report (the layout counts need its pages)."""
    result = {
        "empty_leaves": empty_leaves(report),
        "grade_disagreements": grade_disagreements(report),
        "fragments": fragments(report),
        "merged": [],
        "cell_titles": [],
        "dated_footers": [],
    }
    if pages is not None:
        result.update(
            merged=merged_paragraphs(report, pages),
            cell_titles=cell_titles(report, pages),
            dated_footers=footers_in_text(report, pages),
        )
    return result


COUNTS = ["merged", "cell_titles", "empty_leaves", "grade_disagreements", "fragments", "dated_footers"]
