"""Focused-visit and monitoring-visit letters, read from the 62 real letters in tests/data/focused."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter

import pytest

from ofsted_reader.core.citation import citation
from ofsted_reader.core.visits import theme_label
from ofsted_reader.importers import parse_file
from ofsted_reader.importers.pdf import extract_pages, parse_pages

from .conftest import FOCUSED, VISITS, make_app, open_at
from .conftest import run_cli as run

# The letters in tests/data and those the app ships (the visits since each authority's latest inspection).
LETTERS = sorted(FOCUSED.glob("*.pdf")) + sorted(VISITS.glob("*.pdf"))


def letter(name: str):
    return parse_file(FOCUSED / name)


def test_all_sample_letters_are_here():
    assert len(LETTERS) == 54 + 46


@pytest.mark.parametrize("path", LETTERS, ids=lambda p: p.stem)
def test_every_letter_reads_with_its_authority_dates_inspectors_theme_and_paragraphs(path):
    report = parse_file(path)
    assert report.report_type == "focused_visit" and report.judgements == []
    assert report.authority_code is not None, report.warnings
    # The file is named after its authority and publication date: the letter must agree with both.
    named_year = int(re.search(r"-(\d{4})-", path.name).group(1))
    assert report.inspection_start and report.inspection_end
    start, end = dt.date.fromisoformat(report.inspection_start), dt.date.fromisoformat(report.inspection_end)
    assert 0 <= (end - start).days <= 10 and end.year in {named_year, named_year - 1}
    if report.published:
        assert report.published[:4] == str(named_year) and report.published > report.inspection_end
    assert report.inspectors and report.lead_inspector in report.inspectors + [report.lead_inspector]
    assert all(re.fullmatch(r"[A-Z][\w’'\-]+( [\w’'\-]+)+", name) for name in report.inspectors), report.inspectors
    assert report.theme and theme_label(report.theme)
    assert len(report.paragraphs) >= 15
    # What needs to improve is read where the letter has that part (a few good letters have none), and Ofsted's
    # closing line is never one of them.
    improving = [s for s in report.sections if re.search(r"improve|priority action", s.title, re.I)]
    assert bool(report.recommendations) == bool(improving), [s.title for s in report.sections]
    assert not any(r.text.startswith("Ofsted will") for r in report.recommendations)
    assert report.visits == [[report.inspection_start, report.inspection_end]]
    texts = [t for p in report.paragraphs for t in [p.text, *p.items]]
    for furniture in ("Piccadilly Gate", "0300 123 1231", "enquiries@ofsted", "Yours sincerely", "Dear "):
        assert not any(furniture in t for t in texts), furniture
    ids = [p.id for p in report.paragraphs]
    assert len(set(ids)) == len(ids)
    assert not report.warnings


def test_a_letter_keeps_its_parts_its_paragraph_breaks_and_a_citable_label():
    report = letter("lambeth-focused-visit-2021-dec-01.pdf")
    assert report.id == "lambeth-focused-visit-2021-12-01"
    assert (report.inspection_start, report.inspection_end, report.published) == (
        "2021-10-27",
        "2021-10-28",
        "2021-12-01",
    )
    assert report.inspectors == ["Nick Stacey", "Anna Gravelle"] and report.lead_inspector == "Nick Stacey"
    assert report.theme == "services delivered at the ‘front door’" and theme_label(report.theme) == "front door"
    assert [s.title for s in report.sections] == [
        "Introduction",
        "Headline findings",
        "What needs to improve in this area of social work practice?",
        "Main findings",
    ]
    headline = [p for p in report.paragraphs if p.section.endswith("/headline-findings")]
    assert [p.text.split()[:3] for p in headline] == [
        ["The", "integrated", "referral"],
        ["Assessments", "of", "children"],
    ]
    assert headline[1].id == "lambeth-focused-visit-2021-12-01/headline-findings/para-2"
    assert citation(report, headline[1]) == (
        "Ofsted, Focused visit to Lambeth local authority children’s services, 1 December 2021, Headline findings, para 2, p. 1"
    )
    # A paragraph the page break cut is one paragraph.
    cut = next(p for p in report.paragraphs if p.text.startswith("Immediate child protection concerns"))
    assert "enquiries are clearly recorded" in cut.text and cut.page == 2
    assert [r.text[:24] for r in report.recommendations] == ["The analysis and impact ", "More widespread evidence"]


def test_what_the_last_inspection_found_is_read_where_the_letter_says_so():
    prior = letter("cheshire-east-focused-visit-2018-nov-22.pdf").prior
    assert (prior.judgement, prior.grade, prior.inspected) == ("overall", 3, "July 2015")
    prior = letter("lambeth-focused-visit-2023-aug-01.pdf").prior
    assert (prior.judgement, prior.grade, prior.inspected) == ("help_protection", 3, "October 2022")
    prior = letter("lambeth-focused-visit-2019-may-08.pdf").prior  # "the adoption service, which was judged inadequate"
    assert (prior.judgement, prior.grade) == ("adoption", 4)
    assert letter("lambeth-focused-visit-2021-dec-01.pdf").prior is None  # it names the inspection, not a grade


def test_bullet_findings_numbered_findings_and_priority_actions():
    cheshire = letter("cheshire-east-focused-visit-2018-nov-22.pdf")  # 2018: every finding is a bullet
    findings = [p for p in cheshire.paragraphs if p.section.endswith("/findings")]
    assert len(findings) >= 12 and findings[0].text.startswith("Social workers know the children in care")
    slough = letter("slough-focused-visit-2020-nov-27.pdf")  # numbered findings
    assert [p.number for p in slough.paragraphs if p.number] == list(range(1, 23))
    assert slough.paragraphs[-2].id != slough.paragraphs[-1].id
    durham = letter("durham-focused-visit-2021-aug-23.pdf")
    assert "Areas for priority action" in [s.title for s in durham.sections]
    assert any(r.timescale == "immediately" for r in durham.recommendations)


def test_the_visit_dates_and_the_theme_in_other_wordings():
    hull = letter("kingston-upon-hull-focused-visit-2021-may-10.pdf")  # "... between 3 and 4 March 2021 which was
    assert (hull.inspection_start, hull.inspection_end) == ("2021-03-03", "2021-03-04")  # carried out by HMI A, B ..."
    assert len(hull.inspectors) == 5 and theme_label(hull.theme) == "COVID-19"
    darlington = letter("darlington-focused-visit-2023-nov-28.pdf")  # printed "24 October 2022 to 25 October 2023"
    assert (darlington.inspection_start, darlington.inspection_end) == ("2023-10-24", "2023-10-25")
    west_berkshire = letter("west-berkshire-focused-visit-2019-jan-17.pdf")  # "The inspection was undertaken by"
    assert west_berkshire.inspectors == ["Maire Atherton", "Kate Malleson"]
    newcastle = letter("newcastle-upon-tyne-focused-visit-2018-aug-16.pdf")  # an older Ofsted address
    assert not any("Kingsway" in p.text for p in newcastle.paragraphs) and newcastle.recommendations


def _words(report) -> Counter:
    texts = [t for p in report.paragraphs for t in [p.text, *p.items]] + [s.title for s in report.sections]
    return Counter(w for t in texts for w in re.findall(r"\w+", t.lower()))


@pytest.mark.parametrize("path", LETTERS[::6], ids=lambda p: p.stem)
def test_a_letter_read_without_its_layout_loses_no_words_and_keeps_its_facts(path):
    # parse_pages given lines without the layout's paragraph spaces (as a caller with plain text would) falls back
    # to line lengths: paragraphs may split differently, but no word is lost and the facts are the same.
    spaced = parse_file(path)
    flat = parse_pages(extract_pages(path.read_bytes(), str(path)), str(path))
    assert not _words(spaced) - _words(flat)
    assert (flat.inspectors, flat.theme, flat.inspection_end) == (
        spaced.inspectors,
        spaced.theme,
        spaced.inspection_end,
    )
    assert "Introduction" in [s.title for s in flat.sections] and len(flat.sections) >= 2


def _pages(name):
    path = VISITS / name
    return extract_pages(path.read_bytes(), str(path), gaps=True)


def test_a_monitoring_visit_letter_is_read_by_the_same_rules():
    # No real monitoring-visit letter is in the samples: one is made from a real letter by its own title wording.
    pages = [
        [
            line.replace("Focused visit to", "Monitoring visit to").replace("focused visit", "monitoring visit")
            for line in page
        ]
        for page in _pages("medway-focused-visit-2025-06-02.pdf")
    ]
    report = parse_pages(pages, "medway-monitoring.pdf")
    assert report.report_type == "monitoring_visit" and report.id.startswith("medway-monitoring-visit-")
    assert report.inspectors and report.paragraphs and report.inspection_end == "2025-04-30"


def test_a_joint_targeted_area_inspection_letter_is_read_as_one_not_as_a_visit():
    pages = [
        [line.replace("Focused visit to", "Joint targeted area inspection of") for line in page]
        for page in _pages("medway-focused-visit-2025-06-02.pdf")
    ]
    report = parse_pages(pages, "jtai.pdf")
    assert report.report_type == "jtai" and report.id.startswith("medway-jtai-")


def test_a_letter_is_imported_searched_annotated_and_exported_like_any_report():
    name = FOCUSED / "lambeth-focused-visit-2021-dec-01.pdf"
    assert run("import", str(name)).returncode == 0
    listed = {row["report_id"]: row for row in json.loads(run("list", "--json").stdout)}
    assert listed["lambeth-focused-visit-2021-12-01"]["report_type"] == "focused_visit"
    hits = json.loads(run("search", "integrated referral hub front door", "--json").stdout)
    assert hits[0]["paragraph_id"] == "lambeth-focused-visit-2021-12-01/headline-findings/para-1"
    pid = "lambeth-focused-visit-2021-12-01/headline-findings/para-2"
    assert run("note", "add", pid, "--text", "prompt assessments", "--tag", "front-door").returncode == 0
    exported = run("export", "--tag", "front-door").stdout
    assert "prompt assessments" in exported and "Headline findings, para 2" in exported
    # A visit is never an authority's latest grade.
    latest = json.loads(run("grades", "--latest", "--json").stdout)
    assert not any(row.get("report_id") == "lambeth-focused-visit-2021-12-01" for row in latest)


async def test_a_visit_shows_in_the_tree_under_its_authority_and_reads_and_copies_like_any_report():
    from ofsted_reader.store.library.library import Library
    from ofsted_reader.tui.widgets.library_tree import LibraryTree

    from .conftest import CORPUS

    library = Library.open()
    for path in (FOCUSED / "lambeth-focused-visit-2021-dec-01.pdf", CORPUS / "lambeth-2018-may-09.pdf"):
        library.import_file(path)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", *"lambeth", "enter")
        await pilot.pause()
        tree = app.query_one(LibraryTree)
        lambeth = tree.root.children[0]
        lambeth.expand()  # its reports' rows are added when it opens
        await pilot.pause()
        # The authority's badge is its last inspection's grade, never a visit's; its reports come newest first.
        assert str(lambeth.label).startswith(" RI  Lambeth")
        # One date style in lists, and one date per report: when it was inspected (the visit's last day).
        assert [str(n.label) for n in lambeth.children] == [
            " visit  28 Oct 2021 · front door",
            " RI  22 Feb 2018  SIF",
        ]
        visit = "lambeth-focused-visit-2021-12-01"
        await open_at(pilot, f"{visit}/headline-findings/para-2", f"{visit}/headline-findings")
        heading = str(app.query_one("#section-title").render())
        # The kind, the part and the paragraph's place, nothing of them cut (the dates give way first).
        assert "focused visit" in heading and "Headline findings" in heading and heading.rstrip().endswith("para 2")
        await pilot.press("y")
        assert app.main.last_copied.startswith("Assessments of children and families are completed promptly")
        assert app.main.last_copied.endswith(
            "Ofsted, Focused visit to Lambeth local authority children’s services, 1 December 2021, Headline findings, para 2, p. 1)"
        )


def test_other_wordings_of_the_visit_dates_and_the_inspectors():
    """'on the 27 and 28 of October 2021', 'HMI for this visit were A and B', 'lead inspector A and team inspector B':
    the Lambeth letter's first page with only those words changed."""
    path = FOCUSED / "lambeth-focused-visit-2021-dec-01.pdf"
    pages = extract_pages(path.read_bytes(), str(path), gaps=True)
    pages[0] = [
        line.replace("on 27 and 28 October 2021", "on the 27 and 28 of October 2021").replace(
            "Her Majesty’s Inspectors for this visit", "HMI for this visit"
        )
        for line in pages[0]
    ]
    report = parse_pages(pages, str(path))
    assert (report.inspection_start, report.inspection_end) == ("2021-10-27", "2021-10-28")
    assert report.inspectors == ["Nick Stacey", "Anna Gravelle"]
    stockton = parse_file(VISITS / "stockton-on-tees-focused-visit-2024-10-18.pdf")  # "were lead inspector Ceri Evans
    assert stockton.inspectors == ["Ceri Evans", "Monique Lindsay"]  # and team inspector Monique Lindsay"
