"""Stage 2: running headers and footers, page numbers, the contents and copyright pages, the closing boilerplate and
footnotes, taken out of the body."""

from __future__ import annotations

import re
from collections import Counter

from .builder import join_parts
from .patterns import BULLET
from .pdf_extract import Line, layout_of
from .pdf_patterns import END_OF_BODY, FOOTNOTE_RULE, NUMBERED

# The share of pages a line must recur on, at a page's top or foot, to count as a running header or footer.
RUNNING_SHARE = 0.3
RUNNING_MIN_PAGES = 3


# --- furniture ---------------------------------------------------------------------------------------------------


def _furniture_key(line: str) -> str:
    """A line's words without digits: the running title with its page number and dates matches on every page."""
    return " ".join(re.sub(r"[^a-z]+", " ", line.lower()).split())


def running_lines(pages: list[list[str]]) -> set[str]:
    """Keys of the lines that recur at the top (first four lines) or foot (last three) of many pages: running headers
    and footers, in whatever order or case a layout prints them."""
    seen: Counter[str] = Counter()
    for lines in pages:
        content = [line for line in lines if line.strip()]
        candidates = content[:4] + content[-3:]
        seen.update(
            {_furniture_key(line) for line in candidates if not NUMBERED.match(line.strip()) and not BULLET.match(line)}
        )
    needed = max(RUNNING_MIN_PAGES, int(len(pages) * RUNNING_SHARE))
    return {key for key, count in seen.items() if count >= needed and len(key.split()) >= 2}


def _placed_key(line: str) -> tuple[int, str] | None:
    placed = layout_of(line)
    if placed is None:
        return None
    return round(placed.baseline), re.sub(r"\d+", "#", " ".join(line.lower().split()))


def placed_running_lines(pages: list[list[str]]) -> set[tuple[int, str]]:
    """Lines printed at one height with the same words (digits aside) on many pages: running headers and footers
    wherever pdfium puts them in the text, and however short ('11 July 2022 2': a date and the page number)."""
    seen: Counter[tuple[int, str]] = Counter()
    for lines in pages:
        seen.update({key for key in map(_placed_key, lines) if key is not None})
    needed = max(RUNNING_MIN_PAGES, int(len(pages) * RUNNING_SHARE))
    return {key for key, count in seen.items() if count >= needed and re.search(r"[a-z]", key[1])}


def without_placed_running(lines: list[str], running: set[tuple[int, str]]) -> list[str]:
    if not running:
        return list(lines)
    heights = {height for height, _ in running}  # most lines are at no running line's height: no key to make
    return [
        line
        for line in lines
        if not (isinstance(line, Line) and round(line.baseline) in heights and _placed_key(line) in running)
    ]


def strip_page_edges(lines: list[str], running: set[str]) -> list[str]:
    """Drop page numbers and running lines from the top and foot of a page."""
    lines = list(lines)
    for edge in (0, -1):
        removed = 0
        while lines and removed < 5:
            text = lines[edge].strip()
            if not text or re.fullmatch(r"\d{1,3}", text) or _furniture_key(text) in running:
                lines.pop(edge)
                removed += bool(text)
                continue
            break
    return lines


def strip_furniture(pages: list[list[str]]) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """Remove running headers and footers, the contents and copyright pages, the closing boilerplate and footnotes
    (returned apart). Returns (page number, body lines) for the pages that keep any."""
    running = running_lines(pages)
    placed = placed_running_lines(pages)
    footnotes: list[str] = []
    cleaned: list[tuple[int, list[str]]] = []
    for number, lines in enumerate(pages, start=1):
        lines = strip_page_edges(without_placed_running(lines, placed), running)
        if lines and lines[0].strip() == "Contents":
            continue
        if lines and lines[0].startswith("© Crown copyright") and number <= 3:
            continue  # the 2013 layout puts its copyright page at the front
        body: list[str] = []
        notes: list[str] = []
        in_footnotes = False
        ended = False
        contents = False  # reading a contents list printed under page one's text (a report's own cover page)
        for position, line in enumerate(lines):
            if END_OF_BODY.match(line.strip()) and number > 1:
                ended = True
                break
            if number <= 3 and line.strip() == "Contents":
                contents = True
                continue
            if contents and (CONTENTS_ENTRY.match(line.strip()) or _wraps_entry(lines, position)):
                continue
            contents = False
            if not in_footnotes and body and _footnotes_start(line, lines, position):
                in_footnotes = True  # SIF: an empty line or a rule, then numbered notes to the foot of the page
                continue
            if in_footnotes:
                notes.append(line.strip())
                continue
            body.append(line)
        notes = [n for n in _merge_footnotes(notes) if n]
        if notes:
            # The notes' markers leave the text: glued to a word ('schools4') or alone on a line mid-paragraph.
            body = _without_markers(body, _by_number(notes))
            footnotes += notes
        cleaned.append((number, body))
        if ended:
            break
    return cleaned, footnotes


CONTENTS_ENTRY = re.compile(r"^\S.*?\S[\s.…]*\s\d{1,3}$")


def _wraps_entry(lines: list[str], position: int) -> bool:
    """A contents entry's first line, its page number on the next ("The experiences … achieving" / "permanence
    17")."""
    following = lines[position + 1].strip() if position + 1 < len(lines) else ""
    return bool(lines[position].strip()) and bool(CONTENTS_ENTRY.match(following)) and len(following.split()) <= 4


def _footnotes_start(line: str, lines: list[str], index: int) -> bool:
    if FOOTNOTE_RULE.match(line):
        return True
    if line.strip():
        return False
    following = [text.strip() for text in lines[index + 1 :] if text.strip()]
    return bool(following) and bool(re.match(r"^(\d{1,2}|\[\d{1,2}\])(\s+\S|$)", following[0])) and len(following) <= 12


def _merge_footnotes(lines: list[str]) -> list[str]:
    notes: list[str] = []
    for line in lines:
        if not line:
            continue
        if re.match(r"^(\d{1,2}|\[\d+\]|\(\d+\))(\s|$)", line) or not notes:
            notes.append(line)
        else:
            notes[-1] = join_parts([notes[-1], line])
    return notes


FOOTNOTE_LINE = re.compile(r"^(\d{1,2}) (?=[A-Z‘'“\"(]|[a-z]+:|www\.|https?:)")
# A note's number glued to the word or sentence it annotates ('schools4', 'improve?1', 'protection.2'); never a
# number after a digit ('2.1 Adoption performance').
GLUED_MARKER = re.compile(r"(?:(?<=[A-Za-z?)’'”,;:])|(?<=[A-Za-z]\.))(\d{1,2})(?=[\s.,;:)]|$)")


def split_glued_footnotes(pages: list[tuple[int, list[str]]]) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """Footnotes with no separator: a marker glued to a word ('schools3', 'improve?1') or alone on a line, and at the
    foot of the same page the lines starting with that number. The notes go apart; the markers leave the text."""
    footnotes: list[str] = []
    out = []
    for number, lines in pages:
        tail = range(max(1, len(lines) - 12), len(lines))
        if not any(FOOTNOTE_LINE.match(lines[i].strip()) for i in tail):
            out.append((number, lines))
            continue
        markers: set[str] = set()
        for line in lines:
            text = line.strip()
            if re.fullmatch(r"\d{1,2}", text):
                markers.add(text)
            markers.update(
                m.group(1) for m in GLUED_MARKER.finditer(text) if not re.search(r"\d", text[: m.start(1)][-3:])
            )
        cut = None
        for index, line in enumerate(lines):
            match = FOOTNOTE_LINE.match(line.strip())
            if match and match.group(1) in markers and index > 0 and cut is None and index >= len(lines) - 12:
                cut = index
        if cut is not None:
            notes = _merge_footnotes([line.strip() for line in lines[cut:]])
            footnotes += notes
            lines = _without_markers(lines[:cut], _by_number(notes))
        out.append((number, lines))
    return out, footnotes


def _by_number(notes: list[str]) -> dict[str, str]:
    """A page's notes by the number that marks them in the text."""
    return {m.group(1): note for note in notes if (m := re.match(r"^\[?(\d{1,2})\]?(\s|$)", note))}


def _without_markers(lines: list[str], notes: dict[str, str]) -> list[str]:
    """The lines with these notes' markers taken out: alone on a line, or glued to the word they annotate. A line
    that held a marker carries its note (`Line.notes`), for the body to attach to the paragraph it falls in."""
    out: list[str] = []
    for line in lines:
        if line.strip() in notes:
            if out:
                out[-1] = _with_notes(out[-1], [notes[line.strip()]])
            continue
        out.append(_unglue(line, notes))
    return out


def _with_notes(line: str, notes: list[str]) -> str:
    placed = layout_of(line)
    if placed is None:
        return line
    placed = placed.with_text(str(placed))
    placed.notes = (*placed.notes, *notes)
    return placed


def _unglue(line: str, notes: dict[str, str]) -> str:
    found: list[str] = []

    def drop(match: re.Match[str]) -> str:
        if match.group(1) not in notes:
            return match.group(0)
        found.append(notes[match.group(1)])
        return ""

    text = re.sub(r"\[(\d{1,2})\]", drop, line)
    text = GLUED_MARKER.sub(drop, text)
    if text == line:
        return line
    if found:  # the marker printed raised, pdfium spaced it from what follows: "schools3 , all"
        text = re.sub(r"(?<=\w) (?=[,.;:](\s|$))", "", text)
    placed = layout_of(line)
    return _with_notes(placed.with_text(text), found) if placed is not None else text
