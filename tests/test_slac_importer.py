"""Golden tests: the four bundled 2009-2012 reports, parsed as a reader would want them."""

from __future__ import annotations

import re

import pytest

from ofsted_reader.importers import parse_file
from ofsted_reader.importers.slac import GRADED, NUMBERED, TIMESCALE

from .conftest import REPORTS

EXPECTED_PARAGRAPHS = {"warwickshire-2011": 189, "wiltshire-2012": 133, "worcestershire-2010": 54, "derby-2011": 130}


@pytest.fixture(scope="module")
def reports():
    return {name: parse_file(REPORTS / f"{name}.txt") for name in EXPECTED_PARAGRAPHS}


def para(report, number):
    (found,) = [p for p in report.paragraphs if p.number == number]
    return found


def section_grades(report):
    return {(s.parent.split("/")[-1] if s.parent else None, s.title): s.grade for s in report.sections}


@pytest.mark.parametrize("name", sorted(EXPECTED_PARAGRAPHS))
def test_paragraphs_numbered_once_from_one(reports, name):
    numbers = [p.number for p in reports[name].paragraphs if p.number is not None]
    assert numbers == list(range(1, EXPECTED_PARAGRAPHS[name] + 1))
    # Every page-break continuation was merged: no stray unnumbered text is left.
    assert [p for p in reports[name].paragraphs if p.number is None] == []
    assert reports[name].warnings == []


@pytest.mark.parametrize("name", sorted(EXPECTED_PARAGRAPHS))
def test_no_text_lost_or_duplicated(reports, name):
    """Every line of body text lands in its paragraph, or in exactly one place when unnumbered."""
    report = reports[name]
    lines = (REPORTS / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("1. "))
    end = max(i for i, line in enumerate(lines) if line.startswith("Record of main findings"))
    titles = {s.title for s in report.sections}
    pieces = [p.text for p in report.paragraphs] + [item for p in report.paragraphs for item in p.items]
    checked = 0
    for line in lines[start:end]:
        text = line.strip()
        if (
            not text
            or "\t" in text
            or GRADED.match(text)
            or TIMESCALE.match(text)
            or text in titles
            or text.startswith("¹")
            or text == "Areas for improvement"
        ):
            continue
        numbered = NUMBERED.match(text)
        if numbered:
            assert para(report, int(numbered.group(1))).text.startswith(numbered.group(2))
        else:
            text = re.sub(r"^-\s+", "", text)
            hits = [piece for piece in pieces if text in piece]
            assert len(hits) == 1, f"{name}: {text[:60]!r} found {len(hits)} times"
        checked += 1
    # Nothing was added either: paragraph and item text is exactly the body text, rejoined.
    body = " ".join(line.strip() for line in lines[start:end])
    assert sum(len(piece) for piece in pieces) <= len(body)
    assert checked > EXPECTED_PARAGRAPHS[name]


def test_metadata(reports):
    w = reports["warwickshire-2011"]
    assert (w.id, w.authority, w.framework) == ("warwickshire-2011-12-16", "Warwickshire", "slac")
    assert (w.published, w.inspection_start, w.inspection_end) == ("2011-12-16", "2011-10-31", "2011-11-11")
    assert w.lead_inspector == "David Asher"
    d = reports["derby-2011"]
    assert (d.authority, d.published, d.inspection_start, d.inspection_end, d.lead_inspector) == (
        "Derby",
        "2011-06-27",
        "2011-05-09",
        "2011-05-20",
        "Pauline Turner",
    )
    o = reports["worcestershire-2010"]
    assert (o.id, o.inspection_start, o.inspection_end, o.lead_inspector) == (
        "worcestershire-2010-11-12",
        "2010-10-04",
        "2010-10-15",
        "Brendan Parkinson",
    )
    s = reports["wiltshire-2012"]
    assert (s.id, s.inspection_start, s.inspection_end, s.lead_inspector) == (
        "wiltshire-2012-04-24",
        "2012-03-05",
        "2012-03-16",
        "Lynne Staines",
    )


def test_continuations_merged_by_content(reports):
    w = reports["warwickshire-2011"]
    # A page break inside a sentence: "... 92 were placed with agency or" / "other local authority foster care".
    assert "92 were placed with agency or other local authority foster care, 53 were placed" in para(w, 8).text
    # A continuation that starts with a capital letter, like a new paragraph would.
    assert para(w, 39).text.endswith(para(w, 39).text.split("Training has also been provided")[-1])
    assert (
        "well. Training has also been provided on safer recruitment" in para(w, 39).text
        or "Training has also been provided on safer recruitment" in para(w, 39).text
    )
    assert "over the past three years. A revised threshold policy" in para(w, 52).text
    assert para(w, 189).text.endswith("any improvement in practice year-on-year.")
    d = reports["derby-2011"]
    assert (
        "Priorities for improving services" in para(d, 115).text
        and "staff. Appropriate action plans" in para(d, 115).text
    )
    assert not para(d, 116).text.startswith("staff.")
    o = reports["worcestershire-2010"]
    assert "which identify children about whom there are safeguarding concerns" in para(o, 21).text


def test_bullets_belong_to_the_paragraph_before(reports):
    w = reports["warwickshire-2011"]
    items = para(w, 2).items
    assert len(items) == 4 and items[0].startswith("discussions with 65 children")
    assert para(w, 1).items == []
    # A bullet continued after a page break keeps its tail (Wiltshire, safeguarding, within three months).
    s = reports["wiltshire-2012"]
    last = para(s, 23).items[-1]
    assert last.startswith("NHS Wiltshire and NHS South Gloucestershire, Great Western NHS Foundation Trust, Avon")
    assert "receive children's safeguarding training at levels appropriate to their role" in last


def test_heading_grades_in_every_form(reports):
    w = section_grades(reports["warwickshire-2011"])
    assert w[("safeguarding-services", "Overall effectiveness")] == 2
    # Inline, markdown bold, with and without a space.
    assert (
        w[
            (
                "safeguarding-outcomes-for-children-and-young-people",
                "The contribution of health agencies to keeping children and young people safe",
            )
        ]
        == 3
    )
    assert w[("safeguarding-services", "Ambition and prioritisation")] == 2
    assert w[("services-for-looked-after-children", "Performance management and quality assurance")] == 3
    assert w[(None, "Safeguarding services")] is None
    s = section_grades(reports["wiltshire-2012"])
    assert s[("safeguarding-services", "Leadership and management")] == 4  # "Leadership and management Grade 4"
    assert (
        s[
            (
                "how-good-are-outcomes-for-looked-after-children-and-care-leavers",
                "Making a positive contribution, including user engagement",
            )
        ]
        == 1
    )  # grade on the next line
    assert s[("how-good-are-outcomes-for-looked-after-children-and-care-leavers", "Staying safe")] == 3
    o = section_grades(reports["worcestershire-2010"])
    safe = [t for (parent, t) in o if t.startswith("The effectiveness of services") and t.endswith("are safe")]
    assert (
        len(safe) == 1 and o[("outcomes-for-children-and-young-people", safe[0])] == 4
    )  # "... safe. Grade 4 (inadequate)"
    assert o[("the-inspection-outcomes-safeguarding-services", "Overall effectiveness")] == 4
    labels = {s.title: s.label for s in reports["wiltshire-2012"].sections if s.grade}
    assert labels["Enjoying and achieving"] == "good"  # printed word kept as printed


def test_section_tree(reports):
    w = reports["warwickshire-2011"]
    roots = [s.title for s in w.sections if s.parent is None]
    assert roots == [
        "About this inspection",
        "The inspection judgements and what they mean",
        "Service information",
        "Safeguarding services",
        "Services for looked after children",
    ]
    children = [s.title for s in w.children("warwickshire-2011-12-16/services-for-looked-after-children")]
    assert children == [
        "Overall effectiveness",
        "Capacity for improvement",
        "Areas for improvement",
        "How good are outcomes for looked after children and care leavers?",
        "Ambition and prioritisation",
        "Leadership and management",
        "Performance management and quality assurance",
    ]
    outcomes = "warwickshire-2011-12-16/services-for-looked-after-children/how-good-are-outcomes-for-looked-after-children-and-care-leavers"
    assert [s.title for s in w.children(outcomes)][:2] == ["Being healthy", "Staying safe"]
    # Paragraphs sit in their innermost section.
    assert para(w, 127).section == outcomes + "/being-healthy"
    assert para(w, 15).section == "warwickshire-2011-12-16/safeguarding-services/overall-effectiveness"
    # The 2010 layout: numbered Contents give the levels.
    o = reports["worcestershire-2010"]
    assert [s.title for s in o.sections if s.parent is None][-2:] == [
        "The inspection outcomes: Safeguarding services",
        "The inspection outcomes: services for looked after children",
    ]
    assert para(o, 39).section.endswith("services-for-looked-after-children/outcomes-for-children-and-young-people")


WARWICKSHIRE_TABLE = [
    ("safeguarding", None, "Overall effectiveness", 2),
    ("safeguarding", None, "Capacity for improvement", 2),
    (
        "safeguarding",
        "Safeguarding outcomes for children and young people",
        "Children and young people are safe and feel safe",
        2,
    ),
    ("safeguarding", "Safeguarding outcomes for children and young people", "Quality of provision", 2),
    (
        "safeguarding",
        "Safeguarding outcomes for children and young people",
        "The contribution of health agencies to keeping children and young people safe",
        3,
    ),
    ("safeguarding", None, "Ambition and prioritisation", 2),
    ("safeguarding", None, "Leadership and management", 2),
    ("safeguarding", None, "Performance management and quality assurance", 3),
    ("safeguarding", None, "Partnership working", 2),
    ("safeguarding", None, "Equality and diversity", 3),
    ("looked_after", None, "Overall effectiveness", 2),
    ("looked_after", None, "Capacity for improvement", 2),
    ("looked_after", "How good are outcomes for looked after children and care leavers?", "Being healthy", 2),
    ("looked_after", "How good are outcomes for looked after children and care leavers?", "Staying safe", 2),
    ("looked_after", "How good are outcomes for looked after children and care leavers?", "Enjoying and achieving", 2),
    (
        "looked_after",
        "How good are outcomes for looked after children and care leavers?",
        "Making a positive contribution, including user engagement",
        2,
    ),
    ("looked_after", "How good are outcomes for looked after children and care leavers?", "Economic well-being", 2),
    ("looked_after", "How good are outcomes for looked after children and care leavers?", "Quality of provision", 2),
    ("looked_after", None, "Ambition and prioritisation", 2),
    ("looked_after", None, "Leadership and management", 2),
    ("looked_after", None, "Performance management and quality assurance", 3),
    ("looked_after", None, "Equality and diversity", 3),
]


def test_full_judgement_table(reports):
    table = [(j.service, j.group, j.name, j.grade) for j in reports["warwickshire-2011"].judgements]
    assert table == WARWICKSHIRE_TABLE
    assert {j.label for j in reports["warwickshire-2011"].judgements} == {"Good", "Adequate"}


def test_judgement_table_other_layouts(reports):
    s = reports["wiltshire-2012"].judgements
    assert len(s) == 22 and [j.service for j in s].count("looked_after") == 12
    assert [(j.name, j.grade, j.label) for j in s if j.service == "looked_after" and j.grade == 1] == [
        ("Making a positive contribution, including user engagement", 1, "outstanding")
    ]
    o = reports["worcestershire-2010"].judgements
    assert len(o) == 29
    assert [(j.service, j.name, j.grade) for j in o if j.name == "Equality and diversity"] == [
        ("safeguarding", "Equality and diversity", 4),
        ("looked_after", "Equality and diversity", 3),
    ]
    assert o[2].group == "Outcomes for children and young people" and o[2].name.startswith(
        "Children and young people are safe:"
    )
    assert [
        j.grade
        for j in o
        if j.service == "looked_after" and j.group == "Outcomes for looked after children and care leavers"
    ] == [2, 3, 3, 3, 4]


def test_record_disagreeing_with_body_is_kept_and_warned():
    text = (REPORTS / "derby-2011.txt").read_text(encoding="utf-8")
    text = text.replace("Staying safe\tGood", "Staying safe\tInadequate")
    from ofsted_reader.importers import parse_bytes

    report = parse_bytes(text.encode(), "derby-edited.txt")
    staying = next(s for s in report.sections if s.title == "Staying safe")
    assert staying.grade == 2
    assert [j.grade for j in report.judgements if j.name == "Staying safe"] == [4]
    assert any("Staying safe" in w and "record of main findings" in w for w in report.warnings)


def test_recommendations_with_timescales(reports):
    w = reports["warwickshire-2011"].recommendations
    counts: dict[tuple[str | None, str | None], int] = {}
    for r in w:
        counts[(r.service, r.timescale)] = counts.get((r.service, r.timescale), 0) + 1
    assert counts == {
        ("safeguarding", "immediately"): 2,
        ("safeguarding", "within_three_months"): 4,
        ("safeguarding", "within_six_months"): 4,
        ("looked_after", "immediately"): 2,
        ("looked_after", "within_three_months"): 6,
        ("looked_after", "within_six_months"): 2,
    }
    assert w[0].text.startswith("ensure that health agencies, including GPs, are promptly notified")
    # "Within three months" without a colon (Worcestershire).
    o = reports["worcestershire-2010"].recommendations
    assert [r.timescale for r in o[:9]] == ["immediately"] * 5 + ["within_three_months"] * 3 + ["within_six_months"]
    assert sum(1 for r in reports["wiltshire-2012"].recommendations if r.service == "looked_after") == 10
    assert len(reports["derby-2011"].recommendations) == 24


def test_footnotes_kept_apart(reports):
    o = reports["worcestershire-2010"]
    assert o.footnotes == [
        "¹ *Achieving Best Evidence in Criminal Proceedings: Guidance for Vulnerable or "
        "Intimidated Witnesses, Including Children*. The Crown Prosecution Service, 2001."
    ]
    assert all("Crown Prosecution Service" not in p.text for p in o.paragraphs)
    assert para(o, 23).text.startswith("Although a small number of files")
    assert reports["warwickshire-2011"].footnotes == []


def test_ids_are_stable(reports):
    again = parse_file(REPORTS / "warwickshire-2011.txt")
    assert [p.id for p in again.paragraphs] == [p.id for p in reports["warwickshire-2011"].paragraphs]
    assert para(again, 71).id == "warwickshire-2011-12-16/p71"
    assert len({s.id for s in again.sections}) == len(again.sections)


@pytest.mark.parametrize("name", sorted(EXPECTED_PARAGRAPHS))
def test_same_result_without_contents_list(reports, name):
    """The rules follow the layout, not the Contents: a report whose Contents page was lost parses the same."""
    from ofsted_reader.importers import parse_bytes

    lines = (REPORTS / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    start = lines.index("Contents")
    end = start + 1
    while not lines[end].strip() or "\t" in lines[end]:
        end += 1
    stripped = parse_bytes("\n".join(lines[:start] + lines[end:]).encode(), "x.txt")
    original = reports[name].to_dict()
    original["source"] = "x.txt"
    assert stripped.to_dict() == original
