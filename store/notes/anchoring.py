"""Re-anchoring notes when a report's text changes, after Hypothesis's approach (quote + context + position).

A note keeps its paragraph if its quote is still there (exactly, or nearly: a slight edit). Otherwise the
quote is looked for across the report, exactly and then fuzzily, and each candidate is scored on quote
similarity, similarity of the 32 characters around it, and nearness to where the note was. Below the
threshold the note becomes an orphan: shown to the user, never attached to the wrong paragraph, never dropped.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from types import ModuleType

from ofsted_reader.core.model import Paragraph, Report

CONTEXT = 32
# A slight edit inside the note's own paragraph still counts as the same place.
SAME_PARAGRAPH_MIN = 85.0
# Elsewhere the quote must match closely *and* its surroundings must agree, so a lookalike sentence in
# another paragraph does not capture the note.
ELSEWHERE_QUOTE_MIN = 90.0
ELSEWHERE_CONTEXT_MIN = 70.0
MIN_SCORE = 80.0
# A note on a whole paragraph keeps the paragraph's hash and its first and last EXCERPT characters, not the whole
# text: at 10k notes the copies made the notes file 10 MB, rewritten on every change.
EXCERPT = 60
ELLIPSIS = " … "


def paragraph_text(paragraph: Paragraph) -> str:
    """What a note can quote: the paragraph text and its bullet items, as one string."""
    return paragraph.full_text


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def excerpt(text: str) -> str:
    """A paragraph's start and end: what a whole-paragraph note keeps to know it again, and shows when orphaned."""
    if len(text) <= 2 * EXCERPT + len(ELLIPSIS):
        return text
    return text[:EXCERPT] + ELLIPSIS + text[-EXCERPT:]


@dataclass
class Anchor:
    paragraph_id: str
    span: tuple[int, int] | None
    quote: str  # the quoted words; for a whole paragraph, its excerpt()
    prefix: str
    suffix: str
    position: int  # index of the paragraph in the report, for nearness
    digest: str | None = None  # a whole paragraph's hash


def make_anchor(report: Report, paragraph_id: str, quote: str | None = None) -> Anchor:
    """Anchor a note on a paragraph, or on a quoted part of it."""
    index = next(i for i, p in enumerate(report.paragraphs) if p.id == paragraph_id)
    text = paragraph_text(report.paragraphs[index])
    if quote:
        start = text.find(quote)
        if start < 0:
            raise ValueError("the quoted text is not in that paragraph")
        end = start + len(quote)
        return Anchor(
            paragraph_id, (start, end), quote, text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT], index
        )
    before = paragraph_text(report.paragraphs[index - 1])[-CONTEXT:] if index > 0 else ""
    after = paragraph_text(report.paragraphs[index + 1])[:CONTEXT] if index + 1 < len(report.paragraphs) else ""
    return Anchor(paragraph_id, None, excerpt(text), before, after, index, digest(text))


def _fuzz() -> ModuleType:
    from rapidfuzz import fuzz  # only re-anchoring compares texts: adding a note does not pay for the import

    return fuzz


def _context_similarity(
    prefix: str, suffix: str, text: str, start: int, end: int, before: str = "", after: str = ""
) -> float | None:
    """How well the text around a candidate agrees with the note's recorded context (None: no context)."""
    fuzz = _fuzz()
    scores = []
    if prefix:
        scores.append(fuzz.ratio(prefix, (before + text[:start])[-len(prefix) :]))
    if suffix:
        scores.append(fuzz.ratio(suffix, (text[end:] + after)[: len(suffix)]))
    return sum(scores) / len(scores) if scores else None


def reanchor(note: dict, report: Report) -> Anchor | None:
    """Where the note belongs in this version of the report, or None if it must become an orphan."""
    fuzz = _fuzz()
    quote, prefix, suffix = note.get("quote") or "", note.get("prefix") or "", note.get("suffix") or ""
    whole = note.get("span") is None
    texts = [paragraph_text(p) for p in report.paragraphs]
    hashed = whole and bool(note.get("digest"))  # notes written before 0.2 keep the whole paragraph as their quote
    compared = [excerpt(text) for text in texts] if hashed else texts
    old_position = note.get("position") or 0
    count = max(len(texts), 1)

    def neighbours(i: int) -> tuple[str, str]:
        return (texts[i - 1] if i > 0 else ""), (texts[i + 1] if i + 1 < len(texts) else "")

    def anchor_at(i: int, span: tuple[int, int] | None) -> Anchor:
        text = texts[i]
        if whole or span is None:
            before, after = neighbours(i)
            return Anchor(
                report.paragraphs[i].id, None, excerpt(text), before[-CONTEXT:], after[:CONTEXT], i, digest(text)
            )
        start, end = span
        return Anchor(
            report.paragraphs[i].id,
            (start, end),
            text[start:end],
            text[max(0, start - CONTEXT) : start],
            text[end : end + CONTEXT],
            i,
        )

    # 1. Its own paragraph still holds the quote, exactly or after a slight edit.
    own = next((i for i, p in enumerate(report.paragraphs) if p.id == note.get("paragraph_id")), None)
    if own is not None and quote:
        text = texts[own]
        if whole:
            if (hashed and digest(text) == note["digest"]) or fuzz.ratio(quote, compared[own]) >= SAME_PARAGRAPH_MIN:
                return anchor_at(own, None)
        else:
            start = text.find(quote)
            if start >= 0:
                return anchor_at(own, (start, start + len(quote)))
            # A near match in its own paragraph counts only if no paragraph holds the quote exactly: a short quote
            # whose paragraph was split off (a missed break mended) nearly matches what stayed behind.
            alignment = None if any(quote in t for t in texts) else fuzz.partial_ratio_alignment(quote, text)
            if alignment and alignment.score >= SAME_PARAGRAPH_MIN:
                return anchor_at(own, (alignment.dest_start, alignment.dest_end))
    if not quote:
        return None

    # 2. Exact, then fuzzy, elsewhere; scored on quote, context and nearness.
    best: tuple[float, int, tuple[int, int] | None] | None = None
    for i, text in enumerate(texts):
        span: tuple[int, int] | None = None
        if whole:
            same = digest(text) == note["digest"] if hashed else text == quote
            similarity = 100.0 if same else fuzz.ratio(quote, compared[i], score_cutoff=ELSEWHERE_QUOTE_MIN)
        else:
            start = text.find(quote)
            if start >= 0:
                similarity, span = 100.0, (start, start + len(quote))
            else:
                alignment = fuzz.partial_ratio_alignment(quote, text, score_cutoff=ELSEWHERE_QUOTE_MIN)
                if not alignment:
                    continue
                similarity, span = alignment.score, (alignment.dest_start, alignment.dest_end)
        if similarity < ELSEWHERE_QUOTE_MIN:
            continue
        before, after = neighbours(i)
        if span is None:
            context = _context_similarity(prefix, suffix, "", 0, 0, before, after)
        else:  # a quote now at a paragraph's edge (the paragraph was split) has its context in the neighbour
            context = _context_similarity(
                prefix, suffix, text, *span, before + " " if before else "", " " + after if after else ""
            )
        if context is not None and context < ELSEWHERE_CONTEXT_MIN:
            continue
        nearness = 100.0 * (1 - min(abs(i - old_position), count) / count)
        score = 0.6 * similarity + 0.3 * (context if context is not None else similarity) + 0.1 * nearness
        if score >= MIN_SCORE and (best is None or score > best[0]):
            best = (score, i, span)
    if best is None:
        moved = _moved_whole_paragraph(quote, texts, old_position) if hashed else None
        return anchor_at(moved, None) if moved is not None else None
    return anchor_at(best[1], best[2])


# How far on a paragraph's end is looked for once its start is found: a paragraph the importer now reads as several.
SPLIT_REACH = 12


def _moved_whole_paragraph(quote: str, texts: list[str], old_position: int) -> int | None:
    """A whole paragraph whose text is still there but no longer as one paragraph: split into several (the note goes
    to the part that holds its start) or merged into a longer one (the note goes to that). The start and end the note
    keeps (its excerpt) must both be found, in order, within SPLIT_REACH paragraphs; the nearest such place wins."""
    head, _, tail = quote.partition(ELLIPSIS)
    head, tail = head[:EXCERPT], (tail or quote)[-EXCERPT:]
    found = []
    for i, text in enumerate(texts):
        # The note's start may run on past a short first part ("Lead inspector: X" split from the team it headed):
        # it is looked for across the paragraphs that follow, and must begin in this one.
        window = " ".join(texts[i : i + SPLIT_REACH])
        start = window.find(head)
        if 0 <= start < len(text) and tail in window[start:]:
            found.append(i)
    return min(found, key=lambda i: abs(i - old_position)) if found else None
