"""Real Ofsted PDFs of three frameworks, checked against the peer tool's table and our own reading."""

from __future__ import annotations

import csv
import datetime as dt
import re

import pytest

from ofsted_reader.core.grades import grade_from_word
from ofsted_reader.importers import ReportError, parse_file

from .conftest import INSPECTIONS, NATIONAL_PEER, PDFS

# The eleven samples: eight in tests/data/pdf, three shipped with the app (the latest of their authorities).
SHIPPED = ["birmingham-2023-04-18.pdf", "windsor-and-maidenhead-2024-11-19.pdf", "blackpool-2026-07-28.pdf"]
PATHS = {p.name: p for p in PDFS.glob("*.pdf") if "not-a-pdf" not in p.name} | {n: INSPECTIONS / n for n in SHIPPED}
PEER = {
    row["file"]: row
    for table in (PDFS / "peer-judgements.csv", NATIONAL_PEER)
    for row in csv.DictReader(table.open(encoding="utf-8"))
}
SAMPLES = sorted(PATHS)
ILACS = [name for name in SAMPLES if PEER[name]["inspector_name"]]


@pytest.fixture(scope="module")
def parsed():
    return {name: parse_file(PATHS[name]) for name in SAMPLES}


def judgement(report, *words):
    found = [j for j in report.judgements if all(w.lower() in j.name.lower() for w in words)]
    return found


def peer_date(text):
    return dt.datetime.strptime(text, "%d/%m/%Y").date().isoformat()


@pytest.mark.parametrize("name", ILACS)
def test_ilacs_judgements_match_the_peer(parsed, name):
    report, peer = parsed[name], PEER[name]
    assert report.framework == "ilacs"

    def grade_of(*words, exclude=None):
        found = [j for j in judgement(report, *words) if not exclude or exclude not in j.name]
        return found

    leaders = grade_of("impact of leaders")
    help_protection = grade_of("help and protection")
    assert [j.grade for j in leaders] == [grade_from_word(peer["impact_of_leaders_grade"])]
    assert [j.grade for j in help_protection] == [grade_from_word(peer["help_and_protection_grade"])]
    in_care = grade_of("experiences and progress of children in care")
    assert [j.grade for j in in_care] == [grade_from_word(peer["in_care_grade"])]
    care_leavers = [j for j in report.judgements if j.name.endswith("progress of care leavers")]
    if peer["care_leavers_grade"] == "inspection_pre_dates_judgement":
        # Before 2023 care leavers were judged with children in care, in one combined judgement.
        assert care_leavers == [] and in_care[0].name.endswith("children in care and care leavers")
    else:
        assert [j.grade for j in care_leavers] == [grade_from_word(peer["care_leavers_grade"])]
    overall = grade_of("overall effectiveness")
    if peer["overall_effectiveness_grade"] == "not_reported_post_reform":
        assert overall == [] and any("overall effectiveness" in w for w in report.warnings)
    else:
        assert [j.grade for j in overall] == [grade_from_word(peer["overall_effectiveness_grade"])]


@pytest.mark.parametrize("name", ILACS)
def test_ilacs_dates_and_lead_inspector(parsed, name):
    report, peer = parsed[name], PEER[name]
    assert report.lead_inspector == peer["inspector_name"]
    assert report.inspection_start == peer_date(peer["inspection_start_date"])
    if name == "derbyshire-2019.pdf":
        # The peer stops at the first range; the PDF says "8 July 2019 to 12 July 2019 and 7 August 2019 to 8 August 2019".
        assert report.inspection_end == "2019-08-08"
    else:
        assert report.inspection_end == peer_date(peer["inspection_end_date"])
    assert report.published is None  # ILACS PDFs do not print a publication date


OLDER = {
    "norfolk-2013.pdf": ("lac", "Norfolk", "2013-08-16", "2013-07-08", "2013-07-12", "Gary Lamb"),
    "slough-2014.pdf": ("sif", "Slough", None, "2013-11-19", "2013-12-11", "Gary Lamb"),
    "birmingham-2016.pdf": ("sif", "Birmingham", "2016-11-25", "2016-09-12", "2016-10-06", "Peter McEntee"),
    "york-2017.pdf": ("sif", "York", "2017-02-07", "2016-11-14", "2016-12-08", "Tracey Metcalfe"),
}


@pytest.mark.parametrize("name", sorted(OLDER))
def test_reports_the_peer_cannot_read(parsed, name):
    report = parsed[name]
    assert PEER[name]["overall_effectiveness_grade"] in ("", "data_unreadable")
    framework, authority, published, start, end, lead = OLDER[name]
    assert (
        report.framework,
        report.authority,
        report.published,
        report.inspection_start,
        report.inspection_end,
        report.lead_inspector,
    ) == (framework, authority, published, start, end, lead)


def test_sif_judgement_tables(parsed):
    york = {(j.group, j.name): j.grade for j in parsed["york-2017.pdf"].judgements}
    assert york == {
        (None, "Overall effectiveness"): 2,
        (None, "Children who need help and protection"): 3,
        (None, "Children looked after and achieving permanence"): 2,
        ("Children looked after and achieving permanence", "Adoption performance"): 2,
        ("Children looked after and achieving permanence", "Experiences and progress of care leavers"): 2,
        (None, "Leadership, management and governance"): 2,
        (None, "The effectiveness of the Local Safeguarding Children Board"): 1,  # only on page 37
    }
    birmingham = [(j.name, j.grade) for j in parsed["birmingham-2016.pdf"].judgements]
    assert birmingham[0] == ("Overall effectiveness", 4) and ("Adoption performance", 3) in birmingham
    assert not any("Safeguarding Children Board" in name for name, _ in birmingham)  # a re-inspection: no LSCB review
    slough = {j.name: j.grade for j in parsed["slough-2014.pdf"].judgements}
    assert slough["Overall effectiveness"] == 4 and slough["Adoption performance"] == 3
    assert slough["The effectiveness of the Local Safeguarding Children Board"] == 4


def test_lac_2013_judgements_and_sections(parsed):
    norfolk = parsed["norfolk-2013.pdf"]
    assert [(j.name, j.grade) for j in norfolk.judgements] == [
        ("Overall effectiveness", 4),
        ("Capacity to improve", 4),
        ("Outcomes for looked after children and young people", 4),
        ("Quality of provision", 4),
        ("Leadership and management", 4),
    ]
    graded = [(s.title, s.grade) for s in norfolk.sections if s.grade]
    assert graded[0] == ("Overall effectiveness of services for looked after children and young people", 4)
    assert len(graded) == 5
    timescales = [r.timescale for r in norfolk.recommendations]
    assert timescales[0] == "immediately" and "within_three_months" in timescales and "within_six_months" in timescales


@pytest.mark.parametrize("name", SAMPLES)
def test_paragraph_numbers_contiguous_from_one(parsed, name):
    numbers = [p.number for p in parsed[name].paragraphs if p.number is not None]
    if name == "slough-2014.pdf":
        assert numbers == []  # the 2014 layout has no numbered paragraphs: everything is bullets
        assert sum(len(p.items) for p in parsed[name].paragraphs) > 100
    else:
        assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 30


FURNITURE = [
    re.compile(r"Inspection of [A-Z][\w ]+ local authority children.s services"),
    re.compile(r"Crown copyright"),
    re.compile(r"www\.gov\.uk/ofsted|reports\.ofsted\.gov\.uk|enquiries@ofsted"),
    re.compile(r"Inspection of looked after children services \d"),
    re.compile(r"\b\d{4} \d{1,2} [a-z]"),  # "3 March 2023 5 risk assessments": a running date and page number
    re.compile(r"Piccadilly Gate"),
    re.compile("[\ufffe\uf06e\uf0a7\uf02d◼]"),
]


@pytest.mark.parametrize("name", SAMPLES)
def test_no_page_furniture_in_paragraphs(parsed, name):
    for paragraph in parsed[name].paragraphs:
        for text in [paragraph.text, *paragraph.items]:
            for pattern in FURNITURE:
                assert not pattern.search(text), f"{paragraph.id}: {pattern.pattern!r} in {text[:120]!r}"


def test_paragraphs_join_across_pages(parsed):
    b23 = parsed["birmingham-2023-04-18.pdf"]
    # Paragraph 42 holds a wrapped line starting "25. Young people's" that must not start a paragraph.
    p42 = b23.paragraph("birmingham-2023-03-03/p42")
    assert "until age 25. Young people" in p42.text
    pages = [p for p in b23.paragraphs if "Safety plans and risk assessments are updated regularly" in p.text]
    assert len(pages) == 1  # the sentence that runs from page 4 onto page 5
    blackpool = parsed["blackpool-2026-07-28.pdf"]
    assert "to whole-family working" in blackpool.paragraph("blackpool-2026-06-19/p4").text  # U+FFFE hyphen


def test_summary_and_recommendations(parsed):
    bury = parsed["bury-2021.pdf"]
    summary = [p for p in bury.paragraphs if p.number is None and p.text]
    assert summary[0].text.startswith("There are serious failures")
    assert len(bury.recommendations) == 9 and all(r.service == "children" for r in bury.recommendations)
    blackpool = parsed["blackpool-2026-07-28.pdf"]
    assert [r.text for r in blackpool.recommendations] == [
        "Planning and reviews for children and young people, so that when change is not progressing, and experiences "
        "are not improving within the desired time frame, this can be more consistently identified and addressed. "
        "(outcome 1, national framework)"
    ]
    assert blackpool.footnotes and blackpool.footnotes[0].startswith(
        "1 The areas for improvement have been cross-referenced"
    )
    york = parsed["york-2017.pdf"]
    assert len(york.recommendations) == 10


def test_ilacs_headings_carry_their_grades(parsed):
    windsor = {s.title: s.grade for s in parsed["windsor-and-maidenhead-2024-11-19.pdf"].sections}
    assert windsor["The experiences and progress of care leavers"] == 1
    assert windsor["The experiences and progress of children who need help and protection"] == 2
    derbyshire = {s.title: (s.grade, s.label) for s in parsed["derbyshire-2019.pdf"].sections}
    assert derbyshire["The impact of leaders on social work practice with children and families"] == (2, "good")


def test_html_saved_as_pdf_is_refused():
    with pytest.raises(ReportError) as raised:
        parse_file(PDFS / "birmingham-2012-not-a-pdf.pdf")
    assert "HTML" in str(raised.value)


def test_damaged_pdf_and_pdf_without_text(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes((PDFS / "bury-2021.pdf").read_bytes()[:3000])
    with pytest.raises(ReportError) as raised:
        parse_file(broken)
    assert "PDF" in str(raised.value)
    import pypdfium2

    blank = pypdfium2.PdfDocument.new()
    blank.new_page(595, 842)
    blank.save(str(tmp_path / "blank.pdf"))
    with pytest.raises(ReportError) as raised:
        parse_file(tmp_path / "blank.pdf")
    assert "no text layer" in str(raised.value)


def test_an_unforeseen_fault_is_one_clear_error_not_a_crash(monkeypatch, tmp_path):
    import ofsted_reader.importers.pdf as pdf_module

    def broken(*_):
        raise IndexError("list index out of range")

    monkeypatch.setattr(pdf_module, "read_metadata", broken)
    with pytest.raises(ReportError) as raised:
        parse_file(PDFS / "bury-2021.pdf")
    assert "bury-2021.pdf" in str(raised.value) and "IndexError" in str(raised.value)


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("keep", ["first-three", "without-first", "odd-pages"])
def test_partial_pdfs_parse_or_refuse_cleanly(tmp_path, name, keep):
    """Pages missing (a partial download, a page cut out): no crash, and a clear error when nothing is left."""
    import pypdfium2

    source = pypdfium2.PdfDocument(str(PATHS[name]))
    count = len(source)
    pages = {
        "first-three": list(range(min(3, count))),
        "without-first": list(range(1, count)),
        "odd-pages": list(range(0, count, 2)),
    }[keep]
    target = pypdfium2.PdfDocument.new()
    target.import_pages(source, pages)
    path = tmp_path / name
    target.save(str(path))
    try:
        report = parse_file(path)
    except ReportError as error:
        assert "could not be parsed" not in error.reason, error.reason
        return
    ids = [p.id for p in report.paragraphs]
    assert len(ids) == len(set(ids))


def test_reports_without_a_publication_date_are_cited_by_inspection_date(parsed):
    from ofsted_reader.core.citation import citation

    bury = parsed["bury-2021.pdf"]
    first = next(p for p in bury.paragraphs if p.number == 1)
    assert citation(bury, first).startswith(
        "Ofsted, Inspection of Bury local authority children’s services, inspected 5 November 2021, paragraph 1, "
        "p. 2, The experiences and "
        "progress of children who need help and protection (Inadequate)"
    )
