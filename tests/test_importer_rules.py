"""Each reading rule of the PDF importer on the real text that needs it. Where the corpus has the wording, the test
reads that report; where a wording was reported from reports we do not ship (a label ending in ".", "15.  " with two
spaces, a running header at the foot of the page), the test takes a real report's pages and changes only that."""

from __future__ import annotations

import re

import pytest

from ofsted_reader.core.authorities import identify
from ofsted_reader.core.citation import citation
from ofsted_reader.core.judgements import judgement_key
from ofsted_reader.importers import parse_file
from ofsted_reader.importers.pdf import BodyReader, extract_pages, ilacs_table, parse_pages

from .conftest import CORPUS, INSPECTIONS, PDFS


def pages_of(path):
    return extract_pages(path.read_bytes(), str(path))


def grades(report):
    return {judgement_key(j.name): j.grade for j in report.judgements}


# --- authorities ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, authority, code",
    [
        ("halton-2020-apr-15.pdf", "Halton", "876"),  # "Halton Borough Council" / "Inspection of local authority ..."
        ("portsmouth-2018-oct-15.pdf", "Portsmouth", "851"),
        ("slough-2019-mar-04.pdf", "Slough", "871"),
        ("buckinghamshire-2022-feb-11.pdf", "Buckinghamshire", "825"),  # "Inspection of Buckinghamshire Council ..."
        ("hammersmith-and-fulham-2016-mar-29.pdf", "Hammersmith and Fulham", "205"),  # wrapped after "and"
        ("barking-and-dagenham-2019-apr-01.pdf", "Barking and Dagenham", "301"),
        ("london-corporation-2020-apr-06.pdf", "City of London", "201"),  # not "London"
        ("medway-2019-aug-27.pdf", "Medway", "887"),  # "Medway Children's Services"
        (INSPECTIONS / "bristol-2023-03-10.pdf", "Bristol", "801"),
        ("derby-2022-may-11.pdf", "Derby", "831"),
        (INSPECTIONS / "leeds-2025-08-12.pdf", "Leeds", "383"),  # "Inspection of Leeds City local authority ..."
        ("barnsley-2014-aug-08.pdf", "Barnsley", "370"),  # "Metropolitan Borough of Barnsley / Council"
    ],
)
def test_the_authority_is_one_row_of_the_la_table(name, authority, code):
    report = parse_file(CORPUS / name)
    assert (report.authority, report.authority_code) == (authority, code)
    assert not any("authority" in w for w in report.warnings)


def test_names_map_to_one_authority_whatever_the_council_style():
    assert identify("Derby City").code == identify("Derby").code == "831"
    assert identify("Bristol City Council").code == identify("Bristol, City of").code == "801"
    assert identify("Derbyshire County Council").code == "830"  # never Derby
    assert identify("North Northamptonshire Council").code == "940"  # not the defunct Northamptonshire
    assert identify("Northamptonshire").successors[0].name == "North Northamptonshire"
    assert identify("Barking and") is None


def test_an_unknown_authority_is_imported_with_a_warning_not_a_made_up_name():
    pages = pages_of(CORPUS / "halton-2020-apr-15.pdf")
    pages[0] = [line.replace("Halton Borough Council", "Nowhere Borough Council") for line in pages[0]]
    report = parse_pages(pages, "nowhere.pdf")
    assert report.authority_code is None and report.authority == "Nowhere"
    assert any(w.startswith("authority not identified: 'Nowhere Borough Council'") for w in report.warnings)
    assert report.id == "nowhere-unidentified-2020-03-13"


# --- SIF verdicts -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, overall, lscb",
    [
        ("darlington-2018-may-21.pdf", 3, None),  # "require improvement to be / good"; no LSCB review
        ("rutland-2017-feb-13.pdf", 3, 2),  # "requires improvement to be good"
        ("newham-2014-aug-08.pdf", 3, 2),  # "children's service requires / improvement."
        ("manchester-2014-sep-03.pdf", 4, 4),  # "are / inadequate." ; LSCB in the body
        ("calderdale-2015-mar-20.pdf", 3, 3),  # "The Local Safeguarding Children Board requires improvement"
        ("hounslow-2014-mar-21.pdf", 3, 3),  # "(LSCB) / Requires improvement." with no "is"
        ("stockport-2017-aug-25.pdf", 2, 3),  # "requires improvement / to be good"
        ("barnet-2017-jul-07.pdf", 4, 4),
    ],
)
def test_sif_overall_and_lscb_judgements(name, overall, lscb):
    report = parse_file(CORPUS / name)
    assert grades(report).get("overall") == overall
    assert grades(report).get("lscb") == lscb


def test_the_descriptor_table_is_a_section_not_part_of_a_paragraph():
    report = parse_file(CORPUS / "barnsley-2014-aug-08.pdf")
    assert not [p.id for p in report.paragraphs if p.number and "An outstanding local authority leads" in p.text]
    meaning = [s for s in report.sections if s.title.startswith("What the inspection judgements mean")]
    assert meaning and any(p.section == meaning[0].id for p in report.paragraphs)


def test_topic_headings_inside_recommendations_do_not_end_them():
    report = parse_file(CORPUS / "calderdale-2015-mar-20.pdf")
    texts = [r.text for r in report.recommendations]
    # "Help and protection" and "Care Leavers" are topics inside "Areas for improvement": what follows each is
    # still a recommendation.
    assert any(
        t.startswith("Improve the quality of assessments including those for children at risk of CSE") for t in texts
    )
    topics = [s for s in report.sections if s.title in {"Help and protection", "Care Leavers"}]
    assert topics and all(report.section(s.parent).title == "Areas for improvement" for s in topics)


def test_footnote_markers_leave_the_words_they_were_glued_to():
    report = parse_file(CORPUS / "calderdale-2015-mar-20.pdf")
    text = " ".join(t for p in report.paragraphs for t in [p.text, *p.items])
    assert "schools4" not in text and "live in residential special schools" in text
    assert any(f.startswith("4 These are residential special schools") for f in report.footnotes)


# --- ILACS tables and headings -------------------------------------------------------------------------------------


def test_ilacs_2025_table_with_children_care_leavers_row():
    report = parse_file(INSPECTIONS / "wigan-2025-11-26.pdf")
    assert grades(report) == {"leaders": 2, "help_protection": 3, "in_care": 1, "care_leavers": 1, "overall": 2}


def test_ilacs_after_april_2026_has_no_overall_judgement_and_says_so():
    report = parse_file(INSPECTIONS / "lancashire-2026-08-20.pdf")
    assert "overall" not in grades(report) and len(report.judgements) == 4
    assert any("none is given after April 2026" in w for w in report.warnings)


def _table_page():
    return [line for line in pages_of(INSPECTIONS / "wigan-2025-11-26.pdf")[0]]


@pytest.mark.parametrize(
    "change",
    [
        ("practice with children and families", "practice with children and families."),  # a label ending in "."
        ("The impact of leaders on social work", "The impact of leaders on"),  # no "social work"
    ],
)
def test_ilacs_table_labels_in_other_wordings(change):
    page = [line.replace(*change) if line.startswith(change[0][:20]) else line for line in _table_page()]
    judgements, _ = ilacs_table(page)
    assert {judgement_key(j.name): j.grade for j in judgements}["leaders"] == 2


def test_a_summary_line_ending_in_a_grade_word_stays_in_the_summary():
    page = _table_page()
    after = page.index("Overall effectiveness Good") + 1
    page.insert(after, "Services for children in Wigan are judged good")
    judgements, start = ilacs_table(page)
    assert len(judgements) == 5 and page[start] == "Services for children in Wigan are judged good"


@pytest.mark.parametrize(
    "heading",
    [
        ["The experiences and progress of children in care: requires", "improvement to be good"],
        ["The experiences and progress of children in care: requires improvement to be", "good"],
        ["The experiences and progress of children in care: good."],
        ["Experiences and progress of children in care: good"],  # no leading "The"
    ],
)
def test_graded_headings_in_every_form(heading):
    lines = ["1. First paragraph.", *heading, "2. The next paragraph starts here."]
    reader = BodyReader("ilacs", lines, opening="Summary")
    builder = reader.run()
    graded = [s for s in builder.sections if s.grade is not None]
    assert len(graded) == 1 and graded[0].title.startswith("The ")
    assert graded[0].grade == (3 if "requires" in " ".join(heading) else 2)
    assert [p.number for p in builder.paragraphs] == [1, 2]


# --- numbering, furniture, pages ----------------------------------------------------------------------------------


def test_numbering_goes_on_after_two_spaces_and_after_a_number_alone_at_a_page_foot():
    report = parse_file(CORPUS / "stockport-2017-aug-25.pdf")
    pages = pages_of(CORPUS / "stockport-2017-aug-25.pdf")
    changed = []
    for lines in pages:
        lines = [re.sub(r"^15\. ", "15.  ", line) for line in lines]
        for index, line in enumerate(lines):
            if line.startswith("89. "):  # the number stands alone, its text follows on the next line
                lines[index : index + 1] = ["89.", line[4:]]
        changed.append(lines)
    again = parse_pages(changed, "stockport.pdf")
    assert [p.number for p in again.paragraphs if p.number] == [p.number for p in report.paragraphs if p.number]
    assert again.paragraph(f"{again.id}/p89").text == report.paragraph(f"{report.id}/p89").text


def test_running_headers_are_found_wherever_the_layout_puts_them():
    path = PDFS / "north-northamptonshire-2022.pdf"
    report = parse_file(path)
    moved = []
    for number, lines in enumerate(pages_of(path), start=1):
        if number > 1:  # the running title and its date line, at the foot instead, in capitals
            lines = lines[2:] + [lines[0].upper(), lines[1]]
        moved.append(lines)
    again = parse_pages(moved, str(path))
    assert [p.text for p in again.paragraphs] == [p.text for p in report.paragraphs]


def test_a_2009_2012_report_as_a_pdf_loses_its_running_header_not_its_body():
    from ofsted_reader.importers import parse_bytes

    text = (PDFS.parent.parent.parent / "reports" / "wiltshire-2012.txt").read_text(encoding="utf-8")
    reference = parse_bytes(text.encode(), "wiltshire.txt")
    lines = text.split("\n")
    pages = [
        [f"{number // 40 + 1}", "Wiltshire Council Inspection of safeguarding and looked after children"]
        + lines[number : number + 40]
        for number in range(0, len(lines), 40)
    ]
    report = parse_pages(pages, "wiltshire.pdf")
    assert [p.text for p in report.paragraphs] == [p.text for p in reference.paragraphs]
    assert report.paragraphs[-1].page == len(pages) or report.paragraphs[-1].page is not None


def test_every_paragraph_of_a_pdf_records_its_page_and_citations_give_it():
    report = parse_file(CORPUS / "redbridge-2016-nov-25.pdf")
    pages = [p.page for p in report.paragraphs]
    numbered = [page for page in pages if page is not None]
    assert numbered == pages and numbered == sorted(numbered)
    p40 = report.paragraph(f"{report.id}/p40")
    assert p40 is not None and p40.page is not None
    assert f"paragraph 40, p. {p40.page}," in citation(report, p40)
    raw = pages_of(CORPUS / "redbridge-2016-nov-25.pdf")
    assert any(line.startswith("40. ") for line in raw[p40.page - 1])


# --- dates and inspectors -----------------------------------------------------------------------------------------


def test_two_visits_are_kept_as_two_windows():
    report = parse_file(PDFS / "derbyshire-2019.pdf")
    assert report.visits == [["2019-07-08", "2019-07-12"], ["2019-08-07", "2019-08-08"]]
    assert (report.inspection_start, report.inspection_end) == ("2019-07-08", "2019-08-08")


@pytest.mark.parametrize(
    "name, start, end",
    [
        ("stoke-on-trent-2015-aug-12.pdf", "2015-06-01", "2015-06-25"),  # "1/06/2015 – 25/06/2015"
        ("redbridge-2016-nov-25.pdf", "2016-09-12", "2016-10-06"),  # "12/09/2016 to 06/10/2016"
    ],
)
def test_numeric_date_ranges(name, start, end):
    report = parse_file(CORPUS / name)
    assert (report.inspection_start, report.inspection_end) == (start, end)


def test_lead_inspector_forms():
    assert parse_file(CORPUS / "hammersmith-and-fulham-2016-mar-29.pdf").lead_inspector == "Pietro Battista"
    assert parse_file(CORPUS / "rutland-2017-feb-13.pdf").lead_inspector == "Karen Wareing"
    pages = pages_of(CORPUS / "halton-2020-apr-15.pdf")
    pages[0] = [
        line.replace("Lead inspector: Shabana Abasi", "Lead inspectors: Shabana Abasi and Matt Reed")
        for line in pages[0]
    ]
    assert parse_pages(pages, "halton.pdf").lead_inspector == "Shabana Abasi and Matt Reed"


def test_a_standalone_lscb_review_is_its_own_kind_of_report():
    pages = pages_of(CORPUS / "gateshead-2016-mar-11.pdf")
    lscb_start = next(i for i, lines in enumerate(pages) if "The Local Safeguarding Children Board (LSCB)" in lines)
    cover = [
        "Gateshead Council",
        "Review of the effectiveness of the Local Safeguarding Children Board",
        "Inspection date: 27 October 2015 – 19 November 2015",
        "Report published: 11 March 2016",
    ]
    report = parse_pages([cover] + pages[lscb_start:], "gateshead-lscb.pdf")
    assert report.report_type == "lscb_review" and report.framework == "sif"
    assert report.id == "gateshead-lscb-review-2016-03-11"
    assert grades(report) == {"lscb": 3}
    assert not any("overall" in w for w in report.warnings)


def test_an_ilacs_table_without_its_header_row_is_still_read():
    page = [line for line in _table_page() if not line.startswith("Judgement Grade")]
    judgements, start = ilacs_table(page)
    assert {judgement_key(j.name): j.grade for j in judgements} == {
        "leaders": 2,
        "help_protection": 3,
        "in_care": 1,
        "care_leavers": 1,
        "overall": 2,
    }
    assert page[start].startswith("Services for children and care leavers in Wigan")


def test_a_sif_cover_without_its_verdict_takes_it_from_the_executive_summary():
    pages = pages_of(CORPUS / "durham-2016-may-16.pdf")
    pages[0] = [line for line in pages[0] if not line.startswith("Children’s services in Durham")]
    report = parse_pages(pages, "durham.pdf")
    assert grades(report)["overall"] == 3  # "Children's services in Durham require improvement to be good."
