"""Stage 5: the body read as a stream of numbered paragraphs, bullets, headings and continuation lines. A paragraph
ends where the layout leaves a space (the text's own signs where it cannot say); a heading is known by its weight or
its words, its level by its size; what one framework prints and the others do not is in RULES."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from ofsted_reader.core.grades import GRADE_WORDS, grade_from_word
from ofsted_reader.core.judgements import judgement_key
from ofsted_reader.core.vocabulary import Framework, Timescale

from .builder import Builder, join_parts
from .ids import normalise_title
from .patterns import BULLET, TIMESCALE, read_timescale
from .pdf_contents import Entry
from .pdf_extract import Line, layout_of
from .pdf_headings import (
    BOLD_RANK,
    BOLD_REQUIRES,
    BOLD_VERDICT,
    GRADED_FOR,
    GRADED_HEADING_LINES,
    GRADED_HEADING_MAX,
    HEADER_CELL,
    HEADING_LEADING,
    ILACS_HEADING,
    INDENT,
    KNOWN_HEADINGS,
    NEXT_LINE,
    NUMBER_WITHOUT_STOP,
    RECOMMENDATION_HEADINGS,
    RESYNC_GAP,
    RUNS_ON,
    SCALE_ROW,
    SENTENCE_HEADING,
    SIF_BOX_HEADING,
    TEAM_LABEL_LINE,
    TEAM_ROLE,
    TOP_LEVEL,
    WRAPPING_HEADINGS,
)
from .pdf_patterns import (
    ASCII_SUB_BULLET,
    GRADE_LINE,
    GRADE_ONLY,
    GRADE_TAIL,
    NUMBERED,
    PARAGRAPH_BREAK,
    SENTENCE_END,
)


@dataclass(frozen=True)
class BodyRules:
    """What a framework's body prints that the others' do not."""

    numbered_recommendations: bool = False  # recommendations numbered as paragraphs, not bullets
    dash_sub_bullets: bool = False  # sub-bullets printed "- text"
    summary_boxes: bool = False  # each judgement opens with a "Summary" box of unnumbered paragraphs
    findings_under_judgement: bool = False  # without the layout, "Summary" and "Inspection findings" nest in it


RULES: dict[Framework, BodyRules] = {
    "sif": BodyRules(
        numbered_recommendations=True, dash_sub_bullets=True, summary_boxes=True, findings_under_judgement=True
    ),
    "ilacs": BodyRules(),
    "lac": BodyRules(),
}


CONTENTS_LOOKAHEAD = 4  # entries a heading may skip to find its own: entries whose heading the body words otherwise
LEAD_IN_VERB = re.compile(r"\b(is|are|because|requires?)\b", re.I)
# A paragraph's space, in the page's line pitches: the body sets its paragraphs two apart, a SIF summary box and
# page one's summary 1.4 (6 pt in 12 pt Tahoma); a wrapped line drops one, a line with a taller glyph at most 1.2.
BOX_SPACE = 1.25
SHORT_LINE = 0.8  # a line this much of the full measure or less ends its paragraph, if it ends a sentence


class BodyReader:
    def __init__(
        self,
        framework: Framework,
        lines: list[str],
        pages: list[int] | None = None,
        opening: str | None = None,
        contents: list[Entry] | None = None,
    ):
        self.framework = framework
        self.contents = contents or []  # the contents page's entries, where the report prints one
        self.next_entry = 0  # the first entry no heading has taken yet
        self.part: int | None = None  # the section of the last part (depth 0) the contents names
        self.last_named: int | None = None  # the section of the last heading it names
        self.item_left: float | None = None  # where the last recommendation's bullet is printed
        self.bullet_left: float | None = None  # where the last item's bullet is printed, or the margin if further in
        self.rules = RULES.get(framework, BodyRules())
        self.opening = opening  # the section the first lines belong to, before any heading
        self.lines = lines
        self.pages = pages or [0] * len(lines)
        self.builder = Builder()
        self.last_number = 0
        self.recommendations: list[tuple[int, int | None, Timescale | None]] = []  # (paragraph, item, timescale)
        self.timescale: Timescale | None = None
        self.in_recommendations = False
        self.recommendation_section: int | None = None
        widths = sorted(len(line) for line in lines if line.strip())
        self.full_width = widths[int(len(widths) * 0.9)] if widths else 90
        sizes = Counter(placed.size for placed in map(layout_of, lines) if placed is not None)
        self.body_size = sizes.most_common(1)[0][0] if sizes else None
        lefts = Counter(round(placed.left) for placed in map(layout_of, lines) if placed is not None)
        self.margin = lefts.most_common(1)[0][0] if lefts else None  # where the body's lines start
        margin = self.margin or 0
        measures = sorted(placed.right - margin for placed in map(layout_of, lines) if placed is not None)
        self.full_measure = measures[int(len(measures) * 0.9)] if measures else 0.0
        # Each type size's usual drop to the next line, over the whole body: a page's own median is skewed where
        # titles and tables fill it (page one), and a box's paragraph space then passes for a wrapped line.
        drops: dict[float, Counter[float]] = defaultdict(Counter)
        for placed in map(layout_of, lines):
            if placed is not None and placed.advance:
                drops[placed.size][round(placed.advance * 2) / 2] += 1
        self.leading = {size: counted.most_common(1)[0][0] for size, counted in drops.items()}
        self.heading_sizes: list[float | None] = []  # per section: its heading's font size, where the layout gives it

    def _next_is_paragraph(self, index: int) -> bool:
        following = next((line.strip() for line in self.lines[index:] if line.strip()), "")
        match = NUMBERED.match(following)
        return bool(match and int(match.group(1)) == self.last_number + 1) or bool(BULLET.match(following))

    def graded_heading(self, index: int) -> tuple[str, str, int] | None:
        """A graded heading over one to GRADED_HEADING_LINES lines: (title, grade word, lines used)."""
        line = self.lines[index].strip()
        placed = layout_of(self.lines[index])
        bold = placed is not None and placed.bold and not placed.cells
        # Capital letters: a heading starts one ("the CiCC told inspectors…" is a paragraph's wrapped line). A line
        # the layout sets in bold may start with any ("Adoption performance is good").
        if not re.match(r"^(The |Leadership, management|Experiences? and progress|Impact of leaders)", line) and not (
            bold and line[:1].isupper()
        ):
            return None
        patterns = (ILACS_HEADING, SIF_BOX_HEADING, SENTENCE_HEADING) + (
            (BOLD_VERDICT, BOLD_REQUIRES, GRADED_FOR) if bold else ()
        )
        for span in range(1, GRADED_HEADING_LINES + 1):
            if index + span > len(self.lines):
                break
            added = layout_of(self.lines[index + span - 1])
            if (
                span > 1
                and placed is not None
                and added is not None
                and abs(added.size - placed.size) > 0.3
                and not (added.advance is None and placed.bold and GRADE_ONLY.match(added.strip()))
            ):
                # A line set in another size is not this heading's ("The LSCB" over its verdict), but for the grade
                # in the cell beside it, printed level with its first lines ("The experiences … / Inadequate").
                break
            joined = join_parts(self.lines[index : index + span])
            for pattern in patterns:
                match = pattern.match(joined)
                # A sentence ending in a full stop is a heading only where a paragraph starts right after it.
                if (
                    match
                    and (not joined.endswith(".") or bold or self._next_is_paragraph(index + span))
                    and len(joined) <= GRADED_HEADING_MAX
                    and not re.search(r"[.!?]\s", match.group("title"))
                ):
                    title = re.sub(r"\s+", " ", match.group("title"))
                    if re.match(r"^(experiences?|impact)\b", title, re.I):  # printed without its leading "The"
                        title = "The " + title
                    word = re.sub(r"\s+", " ", match.group("word"))
                    tail = self.lines[index + span].strip() if index + span < len(self.lines) else ""
                    if re.fullmatch(r"because:?", tail, re.I):
                        return None  # a lead-in to its reasons ("… requires improvement / because:"), not a heading
                    if re.fullmatch(r"requires?\s+improvement", word, re.I) and GRADE_TAIL.match(tail):
                        return title, f"{word} {tail.rstrip('.')}", span + 1  # its grade beside it, wrapped
                    return title, word, span
            if joined.endswith(".") and not re.search(rf"({GRADE_WORDS})\.$", joined, re.I):
                break
        return None

    def _wrapped_heading(self, index: int, used: int) -> int:
        """The lines a heading takes, with those the layout sets as its continuation: the same size and weight, one
        line's height below ("Section 2: The effectiveness of the Local Safeguarding / Children Board")."""
        first = layout_of(self.lines[index])
        if first is None or not first.bold:
            return used
        while index + used < len(self.lines):
            following = layout_of(self.lines[index + used])
            if (
                following is None
                or not following.bold
                or abs(following.size - first.size) > 0.3
                or following.advance is None
                or following.advance > HEADING_LEADING * first.size
                or following.cells
                or NUMBERED.match(following.strip())
                or BULLET.match(following)
                or re.search(r"[.:;]$", self.lines[index + used - 1].strip())
            ):
                break
            used += 1
        return used

    def plain_heading(self, index: int, previous: str) -> int:
        """Lines used by an ungraded heading here (0: not a heading)."""
        line = self.lines[index].strip()
        if WRAPPING_HEADINGS.match(line):
            following = self.lines[index + 1].strip() if index + 1 < len(self.lines) else ""
            return 2 if following and following[0].islower() and len(following) < 40 else 1
        if self._is_heading_line(line):
            return 1
        if NUMBERED.match(line) or BULLET.match(line) or TIMESCALE.match(line):
            return 0
        placed = layout_of(self.lines[index])
        if placed is not None and placed.bold and not placed.cells:
            # The layout says heading: whole lines in bold, not a sentence ("Priority actions").
            used = self._wrapped_heading(index, 1)
            text = join_parts(self.lines[index : index + used])
            return (
                used
                if len(text) <= 160
                and line[:1].isupper()
                and (
                    not re.search(r"[.,;:]['’”\"]?$", text)
                    or re.match(r"^The graded judge?ment (for|about|on)\b", text) is not None  # one not given
                    # a part's title as a lead-in, not a verdict leading into its reasons ("... is inadequate because:")
                    or (text.endswith(":") and TOP_LEVEL.match(text) and not LEAD_IN_VERB.search(text))
                )
                and not re.search(rf"\b({GRADE_WORDS})$", text, re.I)
                else 0
            )
        drop = placed.advance if placed is not None else None
        if drop is not None and placed is not None and self._spaced(index) is False and drop < NEXT_LINE * placed.size:
            return 0  # one line's height under the line before: a paragraph's next line, whatever its words
        if not line or len(line) > 70 or not line[0].isupper() or re.search(r"[.,;:]$", line):
            return 0
        if re.match(r"^[A-Z][\w ]+: ", line):
            return 0  # "Lead inspector: Tracey Metcalfe" is a field, not a heading
        if re.search(r"\b(is|are|was|were|has|have|had)\b", line):
            return 0  # set plain, with a verb: a sentence ("There are no areas for priority or immediate action")
        if (
            RUNS_ON.search(line)
            or re.search(r"[.!?]\s+\S", line)
            or line.count("(") != line.count(")")
            or line.count("(") > 1
        ):
            return 0  # a sentence that runs on, two sentences, "National Framework)", a list of names
        if re.search(rf"\b({GRADE_WORDS})$", line, re.I):
            return 0  # a verdict ("Children's services in X are good"): graded headings were read above
        if previous and not SENTENCE_END.search(previous.strip()) and not self._is_heading_line(previous):
            return 0
        following = self.lines[index + 1].strip() if index + 1 < len(self.lines) else ""
        if not following:
            return 0
        if (
            following[0].isupper()
            or NUMBERED.match(following)
            or BULLET.match(following)
            or GRADE_LINE.match(following)
        ):
            if len(line.split()) > 12:
                return 0
            return 1
        return 0

    def _is_heading_line(self, line: str) -> bool:
        line = line.strip()
        if not line or not line[0].isupper() or line.endswith("."):
            return False
        # "judgment" and "judgement" both occur in Ofsted's headings
        return normalise_title(re.sub(r"\d+$", "", line)).replace("judgment", "judgement") in KNOWN_HEADINGS

    def _headings_over_grade_lines(self) -> dict[int, tuple[str, int, str, int]]:
        """The 2013 layout: a heading wrapped over one to three short lines, then "Grade 4 (inadequate)".
        Returns {first line: (title, grade, word, lines used including the grade line)}."""
        found = {}
        for index, line in enumerate(self.lines):
            grade = GRADE_LINE.match(line.strip())
            if not grade:
                continue
            start = index
            while start > 0 and index - start < 3:
                candidate = self.lines[start - 1].strip()
                if (
                    not candidate
                    or NUMBERED.match(candidate)
                    or BULLET.match(candidate)
                    or candidate.endswith(".")
                    or len(candidate) > 70
                    or GRADE_LINE.match(candidate)
                ):
                    break
                start -= 1
                if candidate[0].isupper():
                    break
            if start < index:
                title = join_parts(self.lines[start:index])
                found[start] = (title, int(grade.group(1)), grade.group(2), index - start + 1)
        return found

    def run(self) -> Builder:
        builder = self.builder
        previous = ""
        index = 0
        if self.opening:
            builder.heading(self.opening, None)
        over_grades = self._headings_over_grade_lines()
        notes: list[str] = []  # footnotes whose markers were read, for the paragraph their line went to
        while index < len(self.lines):
            notes = self._attach(notes)
            placed_notes = getattr(self.lines[index], "notes", ())
            notes += [note for note in placed_notes if note not in notes]
            if self.lines[index] == PARAGRAPH_BREAK:
                builder.target = None
                index += 1
                continue
            line = self.lines[index].strip()
            builder.page = self.pages[index] or None
            if not line:
                index += 1
                continue
            placed = layout_of(self.lines[index])
            if placed is not None and placed.cells and all(HEADER_CELL.match(cell) for cell in placed.cells):
                index += 1  # the grades the table's rows give are read with the rows
                continue
            if index in over_grades:
                title, grade, word, used = over_grades[index]
                self._open(title, grade, word, index)
                index += used
                previous = line
                continue
            graded = None if self._is_heading_line(line) else self.graded_heading(index)
            if graded:
                title, word, used = graded
                self._open(title, grade_from_word(word), word, index)
                index += used
                previous = title
                continue
            if self._grade_cell(index):
                section = builder.sections[builder.section] if builder.section is not None else None
                if section is not None and section.grade is None:
                    section.grade, section.label = grade_from_word(line.rstrip(".")), line.rstrip(".")
                index += 1
                continue
            grade_line = GRADE_LINE.match(line)
            if grade_line and builder.section is not None and builder.sections[builder.section].grade is None:
                builder.sections[builder.section].grade = int(grade_line.group(1))
                builder.sections[builder.section].label = grade_line.group(2)
                index += 1
                previous = line
                continue
            numbered = NUMBERED.match(line) or self._number_without_stop(line)
            if numbered and self._next_number(int(numbered.group(1)), index):
                self.last_number = int(numbered.group(1))
                self._leave_summary_box()
                p = builder.paragraph(self.last_number, numbered.group(2))
                if self.in_recommendations and self.rules.numbered_recommendations:
                    self.recommendations.append((p, None, self._priority()))
                index += 1
                previous = line
                continue
            bullet = BULLET.match(line) or (ASCII_SUB_BULLET.match(line) if self.rules.dash_sub_bullets else None)
            if bullet and self.in_recommendations and self._sub_bullet(index):
                builder.text(f"- {bullet.group(1)}")  # a sub-bullet stays with its recommendation
                index += 1
                previous = line
                continue
            if bullet:
                recommendation = self._numbered_recommendation()
                p, item = builder.item(bullet.group(1))
                self.bullet_left = min(placed.left, self.margin or placed.left) if placed is not None else None
                if self.in_recommendations and not recommendation:
                    self.recommendations.append((p, item, self.timescale))
                    self.item_left = placed.left if placed is not None else None
                index += 1
                previous = line
                continue
            if SCALE_ROW.match(line):
                # A row of the table of grades and what they mean: an item of the paragraph that introduces it.
                builder.item(re.sub(SCALE_ROW, lambda m: m.group(0) + ":", line, count=1))
                index += 1
                previous = line
                continue
            timescale = TIMESCALE.match(line)
            if timescale:
                self.timescale = read_timescale(timescale)
                index += 1
                previous = line
                continue
            used = self.plain_heading(index, previous)
            if used:
                used = self._wrapped_heading(index, used)
                title = re.sub(r"(?<=[A-Za-z?])\d{1,2}$", "", join_parts(self.lines[index : index + used])).rstrip(":.")
                self._open(title, None, None, index)
                index += used
                previous = line
                continue
            if self._team_role(line):
                # The team's roles, a line each, as one list: the first opens it, the others are its items.
                current = builder.paragraphs[builder.target[0]] if builder.target is not None else None
                if current is not None and TEAM_LABEL_LINE.match(" ".join(current.parts) or line):
                    builder.item(line)
                else:
                    builder.paragraph(None, line)
                index += 1
                previous = line
                continue
            # Text: continues the paragraph or item, unless an unnumbered paragraph just ended.
            spaced = self._spaced(index)
            if self._indented_under_item(index):
                # Set in at a bullet's text, the item goes on: a page's first line, or a sub-bullet ("- sufficiency
                # of accommodation") set a box's paragraph space below its lead-in.
                spaced = False
            if builder.target is not None and (
                (spaced and SENTENCE_END.search(previous.rstrip()))
                or (spaced is None and builder.current_number is None and self._paragraph_ended(previous, index))
            ):
                builder.paragraph(None, line)
            else:
                builder.text(line)
            index += 1
            previous = line
        self._attach(notes)
        self._drop_empty_opening()
        return builder

    def _attach(self, notes: list[str]) -> list[str]:
        """Footnotes to the paragraph being read (their marker's), never into its text: those still waiting (a
        marker in a heading waits for the section's first paragraph)."""
        target = self.builder.target
        if not notes or target is None:
            return notes
        held = self.builder.paragraphs[target[0]].footnotes
        held += [note for note in notes if note not in held]
        return []

    def _drop_empty_opening(self) -> None:
        """The opening section ("Judgements", "Summary") when nothing came before the first heading."""
        builder = self.builder
        if not self.opening or not builder.sections or builder.sections[0].title != self.opening:
            return
        if any(p.section == 0 for p in builder.paragraphs) or any(s.parent == 0 for s in builder.sections):
            return
        del builder.sections[0]
        for section in builder.sections:
            section.parent = section.parent - 1 if section.parent is not None else None
        for paragraph in builder.paragraphs:
            paragraph.section = paragraph.section - 1 if paragraph.section is not None else None

    def _priority(self) -> Timescale | None:
        """A numbered recommendation's timescale: "immediately" under "Priority and immediate action" (or a topic
        inside it), none printed elsewhere."""
        section = self.builder.section
        while section is not None:
            title = self.builder.sections[section].title
            if re.match(r"^priority and immediate action", title, re.I):
                return "immediately"
            if RECOMMENDATION_HEADINGS.match(title):
                return None
            section = self.builder.sections[section].parent
        return None

    def _numbered_recommendation(self) -> bool:
        """Whether the paragraph being read is a numbered recommendation: its bullets are its own, not more."""
        target = self.builder.target
        return (
            self.in_recommendations
            and self.rules.numbered_recommendations
            and target is not None
            and self.builder.paragraphs[target[0]].number is not None
            and any(p == target[0] and item is None for p, item, _ in self.recommendations)
        )

    def _sub_bullet(self, index: int) -> bool:
        """A bullet set in under the recommendation before it: one of its parts."""
        placed = layout_of(self.lines[index])
        target = self.builder.target
        return (
            placed is not None
            and self.item_left is not None
            and target is not None
            and target[1] is not None
            and placed.left > self.item_left + INDENT
        )

    def _grade_cell(self, index: int) -> bool:
        """A grade alone, in the cell beside a heading (printed level with it) or set in bold under it, with no
        paragraph open: the heading's grade, never text."""
        placed = layout_of(self.lines[index])
        return (
            placed is not None
            and GRADE_ONLY.match(placed.strip()) is not None
            and re.search(GRADE_WORDS, placed, re.I) is not None
            and (placed.advance is None or placed.bold)
            and self.builder.target is None
            and self.builder.section is not None
        )

    def _team_role(self, line: str) -> bool:
        """A role of the inspection team's list, which starts a paragraph of its own."""
        match = TEAM_ROLE.match(line)
        if TEAM_LABEL_LINE.match(line) and line[:1].isupper():
            return True
        if match is None or not line[:1].isupper() or self.builder.section is None:
            return False
        in_team = "inspection team" in self.builder.sections[self.builder.section].title.lower()
        return bool(match.group("colon")) or (in_team and line[match.end() :][:1] == " ")

    def _leave_summary_box(self) -> None:
        """A SIF judgement's "Summary" box holds its unnumbered overview; where numbered findings follow with no
        "Inspection findings" heading (the 2014-2015 layout), they belong to the judgement, not to the box."""
        builder = self.builder
        current = builder.sections[builder.section] if builder.section is not None else None
        if (
            self.rules.summary_boxes
            and current is not None
            and current.parent is not None
            and normalise_title(current.title) == "summary"
            and builder.sections[current.parent].grade is not None
        ):
            builder.section = current.parent

    def _next_number(self, number: int, index: int) -> bool:
        # Numbers run on across sections; a wrapped line that happens to start "25." does not break the run.
        if number == self.last_number + 1 or (self.last_number == 0 and number == 1):
            return True
        # A number the importer missed (printed malformed): the count resumes where the next two numbers follow on.
        if self.last_number + 1 < number <= self.last_number + RESYNC_GAP:
            ahead = [
                int(match.group(1))
                for match in map(NUMBERED.match, (line.strip() for line in self.lines[index + 1 : index + 400]))
                if match
            ]
            return ahead[:2] == [number + 1, number + 2]
        return False

    def _number_without_stop(self, line: str) -> re.Match[str] | None:
        """'34     Most children…': the next number, printed without its full stop, before a capital."""
        match = NUMBER_WITHOUT_STOP.match(line)
        return match if match and int(match.group(1)) == self.last_number + 1 and self.last_number else None

    def _spaced(self, index: int) -> bool | None:
        """Whether the layout sets this line apart from the line before it (a paragraph's space), or None where it
        cannot say: the first line of a page, a line the importer made, a line after one the layout placed elsewhere."""
        line = layout_of(self.lines[index])
        above = self._placed_before(index)
        if line is None or above is None or line.above != above.baseline:
            return None
        pitch = self.leading.get(line.size) or line.pitch
        return line.advance is not None and pitch > 0 and line.advance > BOX_SPACE * pitch

    def _indented_under_item(self, index: int) -> bool:
        placed = layout_of(self.lines[index])
        target = self.builder.target
        # Set in from the margin, or from the bullet that opened the item where bullets hang at the margin.
        left = self.bullet_left if self.bullet_left is not None else self.margin
        return (
            placed is not None
            and left is not None
            and target is not None
            and target[1] is not None
            and placed.left > left + INDENT
        )

    def _placed_before(self, index: int) -> Line | None:
        """The line read before this one (blank lines aside), where it has its layout."""
        before = index - 1
        while before >= 0 and not self.lines[before].strip():
            before -= 1
        return layout_of(self.lines[before]) if before >= 0 else None

    def _paragraph_ended(self, previous: str, index: int) -> bool:
        """Where the layout cannot say (a page's first line): the line before ends a sentence short of the measure,
        in points where the layout gives them (a proportional font's characters vary), else in characters."""
        previous = previous.rstrip()
        if not SENTENCE_END.search(previous):
            return False
        placed = self._placed_before(index)
        if placed is not None and self.margin is not None and self.full_measure:
            return placed.right - self.margin < SHORT_LINE * self.full_measure
        return len(previous) < SHORT_LINE * self.full_width

    def _heading_rank(self, at: int, graded: bool) -> float | None:
        """How high the layout sets this heading (None where it cannot say): its font size, a little more in bold. A
        judgement row of a table printed as plain text ranks above the bold sub-headings it heads ("Summary"), a
        known heading printed plain ("Inspection findings") below any bold one of its size."""
        placed = layout_of(self.lines[at]) if 0 <= at < len(self.lines) else None
        if placed is None or self.body_size is None:
            return None
        if placed.bold or placed.size > self.body_size + 0.5:
            return placed.size + (BOLD_RANK if placed.bold else 0.0)
        return self.body_size + (3 * BOLD_RANK if graded else 0.0)

    def _parent_by_rank(self, size: float) -> int | None:
        """The nearest heading before this one printed larger: the tree the contents page prints (16 pt parts, 14 pt
        sections, 12 pt sub-headings in SIF reports)."""
        for index in range(len(self.heading_sizes) - 1, -1, -1):
            other = self.heading_sizes[index]
            if other is not None and other > size + BOLD_RANK / 2:
                return index
        return None

    def _open(self, title: str, grade: int | None, word: str | None, at: int = -1) -> None:
        builder = self.builder
        size = self._heading_rank(at, grade is not None)
        self.heading_sizes += [None] * (len(builder.sections) - len(self.heading_sizes))
        is_recommendations = bool(RECOMMENDATION_HEADINGS.match(title))
        if self.in_recommendations and not is_recommendations and grade is None and not TOP_LEVEL.match(title):
            # A topic inside a list of recommendations ("Children who need help and protection"): the list goes on.
            builder.heading(title, self.recommendation_section)
            self.heading_sizes.append(None)
            return
        self.in_recommendations = is_recommendations
        if not re.match(r"^(priority and immediate action|areas for improvement)", title, re.I):
            self.timescale = None
        if re.match(r"^priority and immediate action", title, re.I):
            self.timescale = "immediately"
        key = normalise_title(title)
        last = builder.sections[-1] if builder.sections else None
        if (
            grade is not None
            and last is not None
            and last.grade is None
            and builder.target is None
            and (
                normalise_title(last.title).startswith(key)
                or (judgement_key(title) is not None and judgement_key(title) == judgement_key(last.title))
            )
            and (not builder.paragraphs or builder.paragraphs[-1].section != len(builder.sections) - 1)
        ):
            # The verdict under its part's title ("The Local Safeguarding Children Board (LSCB)" / "The Local
            # Safeguarding Children Board is good"): the part's grade, not a section of its own.
            last.grade, last.label = grade, word
            return
        parent = None
        named = self._contents_parent(title)
        if named is not None:
            (parent,) = named
        elif size is not None:
            parent = self._parent_by_rank(size)
            while (
                parent is not None
                and TOP_LEVEL.match(title)
                and RECOMMENDATION_HEADINGS.match(builder.sections[parent].title)
            ):
                # A part that ends a list of what to improve, set as small as the list's topics ("The local
                # authority has the following strengths"): beside the list, not in it.
                parent = builder.sections[parent].parent
            previous = len(builder.sections) - 1
            if (
                last is not None
                and grade is None
                and self.heading_sizes[previous] is not None
                and abs(self.heading_sizes[previous] - size) < BOLD_RANK / 2  # type: ignore[operator]
                and not any(p.section == previous for p in builder.paragraphs)
            ):
                # A heading straight under another set alike: a judgement's heading and its findings ("Inspection
                # findings"), a part's title and its annex. The first holds the second, or it would hold nothing.
                parent = previous
            parent = self._under_named(parent, size)
        elif self.rules.findings_under_judgement and key in {"summary", "inspection findings"} and builder.sections:
            parent = self._last_graded_or_top()
        builder.heading(title, parent, grade, word)
        self.heading_sizes.append(size)
        if is_recommendations:
            self.recommendation_section = builder.section

    def _contents_parent(self, title: str) -> tuple[int | None] | None:
        """Where the contents page puts this heading, as (its parent,), or None where the page does not name it
        (those set smaller are nested by their size, under the headings it names)."""
        if not self.contents:
            return None
        ahead = self.contents[self.next_entry : self.next_entry + CONTENTS_LOOKAHEAD]
        # Never past the next part's title: a heading of this part cannot be one of the next part's sections.
        part = next((i for i, entry in enumerate(ahead) if entry.depth == 0), None)
        ahead = ahead[: part + 1] if part is not None else ahead
        found = next((i for i, entry in enumerate(ahead) if entry.names(title)), None)
        if found is None:
            return None
        self.next_entry += found + 1
        self.last_named = len(self.builder.sections)
        if ahead[found].depth == 0:
            self.part = len(self.builder.sections)
            return (None,)
        return (self.part,)

    def _under_named(self, parent: int | None, size: float) -> int | None:
        """A heading the contents page does not name, set no larger than the last one it names, is inside that one's
        part: under it if that is larger or holds no text of its own yet ("Information about this local authority
        area" / "Child protection in this area"), else beside it (a judgement the page leaves out)."""
        named = self.last_named
        if named is None or (parent is not None and parent >= named):
            return parent
        rank = self.heading_sizes[named] if named < len(self.heading_sizes) else None
        part = self.builder.sections[named].parent
        part_rank = self.heading_sizes[part] if part is not None and part < len(self.heading_sizes) else None
        if (
            named == len(self.builder.sections) - 1
            and not any(p.section == named for p in self.builder.paragraphs)
            and (part_rank is None or size < part_rank - BOLD_RANK / 2)
        ):
            # Straight under a section the page names, which holds nothing else: its contents ("Inspection
            # judgements about the local authority" / the judgements, whatever their size).
            return named
        if rank is None or size > rank + BOLD_RANK / 2:
            return parent
        if rank > size + BOLD_RANK / 2 or not any(p.section == named for p in self.builder.paragraphs):
            return named
        return self.builder.sections[named].parent

    def _last_graded_or_top(self) -> int | None:
        for index in range(len(self.builder.sections) - 1, -1, -1):
            section = self.builder.sections[index]
            if section.parent is None:
                return index
        return None
