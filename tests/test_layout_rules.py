"""The importer's rules that read the PDF's layout (where pdfium prints each line, its size and weight), each on the
real report pages that need it. Where a wording was reported from reports we do not ship, the test takes a real
report's pages and changes only that, as tests/test_importer_rules.py does."""

from __future__ import annotations

import re

import pytest

from bench.structure import block_starts, structure
from ofsted_reader.core.judgements import judgement_key
from ofsted_reader.importers import parse_file
from ofsted_reader.importers.ids import normalise_title
from ofsted_reader.importers.pdf import extract_pages, ilacs_table, parse_pages
from ofsted_reader.importers.pdf_extract import Line

from .conftest import CORPUS, FOCUSED, INSPECTIONS, PDFS, REPORTS, VISITS


def pages_of(path):
    return extract_pages(path.read_bytes(), str(path))


def texts(report, section_title=None):
    return [
        p.text for p in report.paragraphs if section_title is None or report.section(p.section).title == section_title
    ]


# --- extraction ------------------------------------------------------------------------------------------------------


def test_each_line_knows_its_place_size_weight_and_the_space_above_it():
    page = pages_of(CORPUS / "rutland-2017-feb-13.pdf")[1]
    lines = {line.strip(): line for line in page if isinstance(line, Line)}
    heading = lines["Executive summary"]
    assert heading.bold and heading.size == 14.0
    first = next(line for line in page if line.startswith("Children’s services in Rutland require"))
    assert not first.bold and first.size == 12.0
    # Within a paragraph lines drop one pitch; the next paragraph starts after a wider space.
    follow = page[page.index(first) + 1]
    assert not follow.spaced and abs(follow.advance - follow.pitch) < 1
    new_block = next(line for line in page if line.startswith("The last inspection for children looked after"))
    assert new_block.spaced


def test_a_table_row_pdfium_gives_as_one_line_keeps_its_cells():
    page = pages_of(CORPUS / "calderdale-2015-mar-20.pdf")[11]
    header = next(line for line in page if line.startswith("Key judgement"))
    assert header.cells == ("Key judgement", "Judgement grade")


def test_plain_text_lines_still_parse_without_the_layout():
    """parse_pages takes lines as text too (a caller's own lines): the text rules alone then apply."""
    pages = [[str(line) for line in page] for page in pages_of(CORPUS / "oldham-2019-mar-04.pdf")]
    report = parse_pages(pages, "oldham.pdf")
    numbers = [p.number for p in report.paragraphs if p.number]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 40


# --- paragraphs --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, section",
    [
        (CORPUS / "rutland-2017-feb-13.pdf", "Executive summary"),  # SIF: every summary paragraph unnumbered
        (CORPUS / "oldham-2019-mar-04.pdf", "Summary"),  # ILACS page one and two
        (PDFS / "york-2017.pdf", "Executive summary"),
    ],
)
def test_unnumbered_paragraphs_break_where_the_pdf_leaves_a_space(path, section):
    report = parse_file(path)
    pages = pages_of(path)
    paragraphs = texts(report, section)
    # No block the layout sets apart is found inside a paragraph, and each paragraph starts one.
    assert structure(report, pages)["merged"] == []
    assert block_starts(pages)
    starts = {
        line.strip()[:25]
        for page in pages
        for line in page
        if isinstance(line, Line) and line.spaced and line.strip()[:1].isupper()
    }
    assert len(paragraphs) >= 4
    assert all(p[:25] in starts for p in paragraphs[1:])


def test_a_paragraph_number_printed_without_its_full_stop_keeps_the_count():
    """'34     Most children…': the reported wording, on a real report's page."""
    path = CORPUS / "oldham-2019-mar-04.pdf"
    pages = pages_of(path)
    target = next((n, i) for n, page in enumerate(pages) for i, line in enumerate(page) if line.startswith("34. "))
    n, i = target
    words = pages[n][i][len("34. ") :].strip()
    pages[n][i] = pages[n][i].with_text(pages[n][i].replace("34. ", "34     ", 1))
    report = parse_pages(pages, str(path))
    numbers = [p.number for p in report.paragraphs if p.number]
    assert numbers == list(range(1, max(numbers) + 1)) and max(numbers) > 40
    assert next(p for p in report.paragraphs if p.number == 34).text.startswith(words)
    assert not any("paragraph numbers" in w for w in report.warnings)


def test_the_count_resumes_after_a_number_it_could_not_read():
    path = CORPUS / "oldham-2019-mar-04.pdf"
    pages = pages_of(path)
    n, i = next((n, i) for n, page in enumerate(pages) for i, line in enumerate(page) if line.startswith("20. "))
    pages[n][i] = pages[n][i].with_text(pages[n][i].replace("20. ", "2O. ", 1))  # a letter O for a zero
    report = parse_pages(pages, str(path))
    numbers = [p.number for p in report.paragraphs if p.number]
    assert 21 in numbers and numbers[numbers.index(21) :] == list(range(21, max(numbers) + 1))


# --- headings and trees ----------------------------------------------------------------------------------------------


def contents_tree(path):
    """(level, title) of each entry on the contents page, level from its indent: what the report prints."""
    for page in pages_of(path)[:6]:
        placed = [line for line in page if isinstance(line, Line)]
        if not any(line.strip() == "Contents" for line in placed):
            continue
        entries, pending = [], None
        for line in placed:
            text = line.strip()
            if text == "Contents" or re.fullmatch(r"\d{1,3}", text):
                continue
            match = re.match(r"^(.*?)\s*(\d{1,3})$", text)
            if pending is not None:
                pending = (pending[0], f"{pending[1]} {match.group(1) if match else text}")
                if match:
                    entries.append(pending)
                    pending = None
                continue
            if match:
                entries.append((line.left, match.group(1)))
            else:
                pending = (line.left, text)
        lefts = sorted({round(left) for left, _ in entries})
        return [(lefts.index(round(left)), title) for left, title in entries]
    return []


@pytest.mark.parametrize(
    "path",
    [
        CORPUS / "rutland-2017-feb-13.pdf",
        CORPUS / "barnet-2017-jul-07.pdf",
        CORPUS / "west-berkshire-2017-jul-07.pdf",
        PDFS / "york-2017.pdf",
        PDFS / "birmingham-2016.pdf",
    ],
)
def test_a_sif_report_has_the_tree_its_contents_page_prints(path):
    report = parse_file(path)
    tree = contents_tree(path)
    assert len(tree) >= 8
    # Each contents entry is matched to the next section of its title, in order; an entry set in under a part's
    # title must be that part's section, a part's title a top-level one.
    position, part, checked = 0, None, 0
    for level, title in tree:
        found = next(
            (
                i
                for i in range(position, len(report.sections))
                if normalise_title(report.sections[i].title) == normalise_title(title)
            ),
            None,
        )
        if found is None:  # an entry the body prints in other words
            continue
        section, position = report.sections[found], found + 1
        if level == 0:
            part = section
            assert section.parent is None, title
        elif part is not None:
            assert section.parent == part.id, f"{title!r} not under {part.title!r}"
            checked += 1
    assert checked >= 5


def test_no_leaf_section_is_left_without_paragraphs_in_sif_reports():
    for path in [CORPUS / "rutland-2017-feb-13.pdf", CORPUS / "calderdale-2015-mar-20.pdf", PDFS / "slough-2014.pdf"]:
        assert structure(parse_file(path), None)["empty_leaves"] == [], path.name


def test_a_table_header_row_is_no_section_and_its_judgement_row_heads_the_summary():
    report = parse_file(CORPUS / "calderdale-2015-mar-20.pdf")
    assert not any("Key judgement" in s.title for s in report.sections)
    graded = next(s for s in report.sections if s.title.startswith("The experiences and progress of children who"))
    assert (
        graded.grade == 3 and report.section(graded.parent).title == "Inspection judgements about the local authority"
    )
    summary = next(s for s in report.sections if s.parent == graded.id)
    assert summary.title == "Summary"
    # The numbered findings after the box belong to the judgement, not to its Summary.
    in_box = [p for p in report.paragraphs if p.section == summary.id]
    assert in_box and all(p.number is None for p in in_box)
    assert any(p.number for p in report.paragraphs if p.section == graded.id)


def test_a_heading_wrapped_over_two_bold_lines_is_one_title_and_a_verdict_grades_it():
    report = parse_file(PDFS / "slough-2014.pdf")
    lscb = next(s for s in report.sections if s.title.startswith("Section 2:"))
    assert lscb.title == "Section 2: The effectiveness of the Local Safeguarding Children Board" and lscb.grade == 4
    assert "Children Board" not in texts(report)


def test_a_bold_line_is_a_heading_and_a_bold_verdict_a_graded_one():
    birmingham = parse_file(CORPUS / "birmingham-2014-may-23.pdf")
    assert "Priority actions" in [s.title for s in birmingham.sections]
    gateshead = parse_file(CORPUS / "gateshead-2016-mar-11.pdf")
    adoption = next(s for s in gateshead.sections if s.title == "Adoption performance")
    assert adoption.grade == 2 and gateshead.section(adoption.parent).grade is not None


def test_a_grade_beside_a_box_heading_wrapped_over_two_lines_is_read_whole():
    report = parse_file(CORPUS / "blackburn-with-darwen-2017-dec-08.pdf")
    assert "to be good" not in texts(report)
    help_protection = next(s for s in report.sections if s.title.endswith("who need help and protection"))
    assert help_protection.grade == 3 and help_protection.label.lower() == "requires improvement to be good"


def test_the_inspection_judgements_descriptors_are_their_own_section():
    report = parse_file(PDFS / "slough-2014.pdf")
    meaning = next(s for s in report.sections if s.title.startswith("What the inspection judgements mean"))
    descriptors = texts(report, meaning.title)
    assert len(descriptors) == 4 and descriptors[1].startswith("A good local authority")


def test_the_four_point_scale_is_kept_as_rows():
    lac = parse_file(PDFS / "norfolk-2013.pdf")
    scale = next(p for p in lac.paragraphs if p.text.endswith("four point scale."))
    assert scale.items[1] == "Good (Grade 2): A service that exceeds minimum requirements" and len(scale.items) == 4
    derby = parse_file(REPORTS / "derby-2011.txt")  # the 2009-2012 text: lines 68-72 of the bundled file
    scale = next(p for p in derby.paragraphs if p.text.endswith("four point scale."))
    assert scale.items == [
        "Outstanding (Grade 1): A service that significantly exceeds minimum requirements",
        "Good (Grade 2): A service that exceeds minimum requirements",
        "Adequate (Grade 3): A service that only meets minimum requirements",
        "Inadequate (Grade 4): A service that does not meet minimum requirements",
    ]


def test_a_2013_report_without_its_table_of_judgements_takes_them_from_its_headings():
    pages = pages_of(PDFS / "norfolk-2013.pdf")
    pages = [[line for line in page if not line.lower().startswith("record of main findings")] for page in pages]
    report = parse_pages(pages, "norfolk.pdf")
    assert {j.name: j.grade for j in report.judgements}["Capacity to improve"] == 4 and len(report.judgements) == 5
    assert "no judgements found" not in report.warnings


# --- page one --------------------------------------------------------------------------------------------------------


def test_a_grade_wrapped_after_to_in_the_ilacs_table_is_not_read_as_good():
    """'Requires improvement to / be good' (reported in three 2018 reports): Oldham's table, its grade cells wrapped
    one word later."""
    page = pages_of(CORPUS / "oldham-2019-mar-04.pdf")[0]
    changed = []
    for line in page:
        if line.strip() == "Requires improvement":
            changed.append("Requires improvement to")
        elif line.strip() == "to be good":
            changed.append("be good")
        else:
            changed.append(line)
    judgements, _ = ilacs_table(changed)
    assert {judgement_key(j.name): j.grade for j in judgements} == {
        "leaders": 3,
        "help_protection": 3,
        "in_care_and_care_leavers": 3,
        "overall": 3,
    }


# --- furniture, glyphs -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, footer",
    [
        ("nottingham-2022-09-05.pdf", "11 July 2022"),
        ("kirklees-2024-08-28.pdf", "8-19 July 2024"),
        ("south-tyneside-2026-08-04.pdf", "15 - 26 June 2026"),
    ],
)
def test_a_running_footer_with_a_date_is_stripped_wherever_pdfium_puts_it(name, footer):
    report = parse_file(INSPECTIONS / name)
    assert not any(footer in t for p in report.paragraphs for t in [p.text, *p.items])
    assert not any(footer in s.title for s in report.sections)


def test_symbol_font_bullets_lead_items_and_leave_no_private_glyph():
    report = parse_file(CORPUS / "darlington-2018-may-21.pdf")
    assert not any(re.search(r"[\uf000-\uf0ff]", t) for p in report.paragraphs for t in [p.text, *p.items])
    listed = next(p for p in report.paragraphs if any("judgements for the local authority were" in i for i in p.items))
    after = listed.items.index(next(i for i in listed.items if "judgements for the local authority were" in i))
    assert listed.items[after + 1 : after + 3] == [
        "Overall effectiveness: inadequate",
        "Children who need help and protection: inadequate",
    ]


# --- facts ----------------------------------------------------------------------------------------------------------


def test_a_sif_report_names_its_inspection_team():
    report = parse_file(CORPUS / "barnet-2017-jul-07.pdf")
    assert report.inspectors[:3] == ["Louise Warren", "Margaret Burke", "Paula Thomson-Jones"]
    assert report.inspectors[0] == report.lead_inspector and len(report.inspectors) == 8
    assert "Patrick Thomson" not in report.inspectors  # a data analyst, not an inspector
    darlington = parse_file(CORPUS / "darlington-2018-may-21.pdf")  # 'Pauline Higham (HMI), Karen Wareing (HMI)'
    assert darlington.inspectors[2:4] == ["Pauline Higham", "Karen Wareing"]


def test_authorities_printed_short_are_identified():
    report = parse_file(INSPECTIONS / "east-riding-of-yorkshire-2023-03-24.pdf")  # "Inspection of East Riding ..."
    assert (report.authority, report.authority_code) == ("East Riding of Yorkshire", "811")
    pages = pages_of(INSPECTIONS / "east-riding-of-yorkshire-2023-03-24.pdf")
    pages[0] = [line.replace("East Riding", "Newcastle") for line in pages[0]]
    assert parse_pages(pages, "newcastle.pdf").authority == "Newcastle upon Tyne"


def test_a_letters_footnote_marker_is_no_paragraph_and_its_list_stays_one():
    for path in [VISITS / "oldham-focused-visit-2025-08-21.pdf", VISITS / "salford-focused-visit-2025-11-13.pdf"]:
        report = parse_file(path)
        assert "1" not in texts(report), path.name
    portsmouth = parse_file(FOCUSED / "portsmouth-focused-visit-2025-mar-27.pdf")
    lead = next(p for p in portsmouth.paragraphs if p.text.endswith("with a particular focus on:"))
    assert lead.items[:2] == ["the quality and suitability of accommodation", "education, employment and training"]


def test_a_letters_date_printed_above_dear_is_its_date_wherever_pdfium_gives_it():
    report = parse_file(FOCUSED / "north-northamptonshire-focused-visit-2024-oct-31.pdf")
    assert report.published == "2024-10-31" and report.id == "north-northamptonshire-focused-visit-2024-10-31"
    assert "31 October 2024" not in texts(report)


def test_a_paragraphs_next_line_is_no_heading_whatever_its_words():
    """'This decoupling has enabled the recruitment and introduction of a new' ends no sentence and is followed by a
    capital: the text rules took it for a heading; the layout sets it one line under the line before."""
    report = parse_file(INSPECTIONS / "cambridgeshire-2024-05-16.pdf")
    assert not any(s.title.startswith("This decoupling") for s in report.sections)
    assert "This decoupling has enabled the recruitment" in next(p.text for p in report.paragraphs if p.number == 53)


def test_the_descriptors_heading_spelt_judgments_is_a_heading_without_the_layout_too():
    pages = [
        [str(line).replace("inspection judgements mean", "inspection judgments mean") for line in page]
        for page in pages_of(PDFS / "slough-2014.pdf")
    ]
    report = parse_pages(pages, "slough.pdf")
    meaning = next(s for s in report.sections if s.title.startswith("What the inspection judgments mean"))
    descriptors = [p for p in report.paragraphs if p.section == meaning.id]
    # Not glued onto the last paragraph before it: the heading opens a section the descriptors are in.
    assert descriptors and descriptors[0].text.startswith("An outstanding local authority")
    assert not any("An outstanding local authority" in p.text for p in report.paragraphs if p.section != meaning.id)


def test_a_page_s_first_line_starts_a_paragraph_when_the_last_page_ended_one_short():
    """The layout cannot say across a page break: the line before must end a sentence short of the measure, in points
    ('… on the lives of young people.' is 75% of the measure, though 85% of the characters of a full line)."""
    report = parse_file(CORPUS / "north-yorkshire-2018-aug-06.pdf")
    assert any(p.text.startswith("A stable workforce has been maintained") for p in report.paragraphs)
    assert not any("young people. A stable workforce has been maintained" in p.text for p in report.paragraphs)
