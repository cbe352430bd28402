"""The line above the reader: which authority, report, section and paragraph the cursor is on, fitted to its width.

What it names is never cut: the authority and the paragraph number always show; the dates shorten (both labelled,
then the inspection's alone, then short), the parent section goes, and only then is the section title shortened, at
a word.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from ofsted_reader.core.dates import date_span, long_date, short_date
from ofsted_reader.core.grades import grade_letter
from ofsted_reader.core.judgements import short_section_title
from ofsted_reader.core.model import Paragraph, Report, Section
from ofsted_reader.core.safe_text import visible
from ofsted_reader.core.visits import KINDS
from ofsted_reader.core.wording import elide

from .library_tree import badge

MIN_TITLE = 16  # cells the section title keeps before the dates give way


def date_forms(report: Report) -> list[str]:
    """The report's dates, longest first: each labelled, then the inspection alone, then short."""
    inspected = date_span(report.inspection_start, report.inspection_end) if report.inspection_end else None
    published = long_date(report.published) if report.published else None
    forms = []
    if inspected and published:
        forms.append(f"inspected {inspected} · published {published}")
    if inspected:
        forms += [f"inspected {inspected}", f"inspected {short_date(report.inspection_end)}"]
    elif published:
        forms += [f"published {published}", f"published {short_date(report.published)}"]
    return forms + [""]


def heading(
    report: Report,
    section: Section | None,
    paragraph: Paragraph | None,
    width: int,
    quote: str | None = None,
    keys: tuple[str, str] = ("a", "esc"),
) -> Text:
    """The reader's heading; while quoting, with the keys (as remapped) that note the quote and drop it."""
    kind = KINDS.get(report.report_type)
    number = ""
    if paragraph is not None:
        # An unnumbered paragraph by its place ("para 2"): the section is shown already.
        number = f"¶{paragraph.number}" if paragraph.number is not None else report.paragraph_place(paragraph)
    tail = f"  {number}" + (f"  quoting: {keys[0]} notes it, {keys[1]} drops it" if quote else "")
    authority = visible(report.authority)
    parent = report.section(section.parent) if section is not None else None
    parent_title = visible(parent.title) + " › " if parent is not None and parent.parent is None else ""
    title = visible(section.title) if section is not None else ""
    grade = badge(section.grade, report.framework) if section is not None and section.grade else Text()
    fixed = cell_len(authority) + cell_len(tail) + (grade.cell_len + 1 if grade else 0)

    def room(date: str) -> int:
        middle = (f" · {kind}" if kind else "") + (f" · {date}" if date else "") + "  "
        return width - fixed - cell_len(middle)

    # The title whole with the longest date form that allows it (or none), else the shortest dated form that leaves
    # the title MIN_TITLE cells, else no date.
    forms = date_forms(report)
    whole = cell_len(title)
    date = next((d for d in forms if room(d) >= whole), None)  # "" last: the title whole before any date
    if date is None:
        date = next((d for d in reversed(forms[:-1]) if room(d) >= MIN_TITLE), "")
    space = room(date)
    if cell_len(parent_title + title) > space:
        parent_title = ""
    if cell_len(title) > space and section is not None:
        # A judgement's section by its short name ("Help and protection") rather than a title cut where the
        # titles differ ("The experiences and progress of…"); and, to keep that whole, the grade as its letters.
        title = short_section_title(section.title) or title
        if cell_len(title) > space and grade and section.grade:
            letters = Text(f" {grade_letter(section.grade, report.framework)} ", style=grade.style)
            space += grade.cell_len - letters.cell_len
            grade = letters
    title = elide(title, max(space - cell_len(parent_title), 0))

    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(authority, style="bold")
    middle = (f" · {kind}" if kind else "") + (f" · {date}" if date else "")
    text.append(middle + "  ", style="dim")
    if grade:
        text.append_text(grade)
        text.append(" ")
    if parent_title:
        text.append(parent_title, style="dim")
    text.append(title, style="bold")
    text.append(tail, style="dim")
    return text


def empty() -> Text:
    return Text("No section open", style="dim")
