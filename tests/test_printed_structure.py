"""Reports read as printed (issue 33): a SIF summary box as its printed paragraphs, the section tree its contents page
prints, footnotes beside their paragraph and never inside a sentence, both reports of a PDF holding two, grade cells
never as text, a recommendation with its sub-bullets, the inspection team a role a line, line-break joins as printed.
On real reports: tests/data/printed (Hull 10 Feb 2015, Tower Hamlets 7 Apr 2017, Leicester 20 Mar 2015) and the
shipped Rotherham 2025."""

from __future__ import annotations

import copy
import re
from functools import cache

import pytest

from ofsted_reader.core.model import Paragraph, Report
from ofsted_reader.importers import parse_file
from ofsted_reader.store.notes.annotations import AnnotationStore

from .conftest import CORPUS, INSPECTIONS

PRINTED = INSPECTIONS.parents[2] / "tests" / "data" / "printed"


@cache
def report(name: str) -> Report:
    path = PRINTED / name if (PRINTED / name).exists() else INSPECTIONS / name
    return parse_file(path)


def hull() -> Report:
    return report("kingston-upon-hull-2015-02-10.pdf")


def tower_hamlets() -> Report:
    return report("tower-hamlets-2017-04-07.pdf")


def titled(r: Report, title: str) -> list[str]:
    return [s.id for s in r.sections if s.title == title]


def parent_title(r: Report, section_id: str) -> str | None:
    parent = next(s.parent for s in r.sections if s.id == section_id)
    return next((s.title for s in r.sections if s.id == parent), None)


def box(r: Report) -> list[Paragraph]:
    """The paragraphs of the looked-after judgement's "Summary" box."""
    judgement = next(s.id for s in r.sections if s.title.startswith("The experiences and progress of children looked"))
    summary = next(s.id for s in r.sections if s.parent == judgement and s.title == "Summary")
    return [p for p in r.paragraphs if p.section == summary]


# --- summary boxes ---------------------------------------------------------------------------------------------------


def test_a_sif_summary_box_reads_as_its_printed_paragraphs():
    paragraphs = box(hull())
    # Hull p18 prints the box as eight paragraphs set 6 pt apart; it was one of 430 words.
    assert len(paragraphs) == 8
    assert paragraphs[0].text.startswith("The number of children and young people in care is high and rising")
    assert paragraphs[0].text.endswith("close to their home communities.")
    assert paragraphs[1].text.startswith("Social work relationships with children and families are well developed.")
    assert (
        paragraphs[-1].text == "Corporate parenting is a strong feature. The CiCC are helping to shape services well."
    )
    assert all(p.page == 18 for p in paragraphs)


def test_notes_on_a_merged_box_follow_their_printed_paragraph():
    new = hull()
    paragraphs = box(new)
    old = _merged(new, paragraphs)
    merged = next(p for p in old.paragraphs if p.text.startswith("The number of children and young people in care"))
    store = AnnotationStore()
    whole = store.add(old, merged.id, "the box's opening", ["evidence"])
    quoted = {
        k: store.add(old, merged.id, f"point {k}", ["evidence"], quote=paragraphs[k].text.split(". ")[0] + ".")
        for k in (1, 3, 6)
    }
    _, moved, orphaned = store.reanchor_report(new, old)
    assert (moved, orphaned) == (3, 0)  # the quotes go to the paragraphs now holding them, none is lost
    notes = {n.id: n for n in store.matching(report=new.id)}
    assert notes[whole.id].paragraph_id == paragraphs[0].id
    for k, note in quoted.items():
        assert notes[note.id].paragraph_id == paragraphs[k].id, k


def _merged(new: Report, paragraphs: list[Paragraph]) -> Report:
    """The report as the importer read it before: the box one paragraph, unnumbered ids counted over that."""
    old = copy.deepcopy(new)
    first = next(i for i, p in enumerate(old.paragraphs) if p.id == paragraphs[0].id)
    old.paragraphs[first : first + len(paragraphs)] = [
        Paragraph(paragraphs[0].id, None, paragraphs[0].section, " ".join(p.text for p in paragraphs), page=18)
    ]
    unnumbered = 0
    for paragraph in old.paragraphs:
        if re.fullmatch(rf"{re.escape(old.id)}/u\d+", paragraph.id):
            unnumbered += 1
            paragraph.id = f"{old.id}/u{unnumbered}"
    assert old.paragraph(paragraphs[0].id) is None or old.paragraph(paragraphs[0].id).text != paragraphs[0].text
    return old


# --- the contents page's tree ----------------------------------------------------------------------------------------

TOWER_HAMLETS_CONTENTS = [  # as page 5 prints it: parts at 16 pt, their sections at 14 pt under them
    ("Executive summary", None),
    ("The local authority", None),
    ("Information about this local authority area", "The local authority"),
    ("Recommendations", "The local authority"),
    ("Summary for children and young people", "The local authority"),
    ("Inspection findings", "The local authority"),
    ("The experiences and progress of children looked after and achieving permanence", "The local authority"),
    ("Leadership, management and governance", "The local authority"),
    ("The Local Safeguarding Children Board (LSCB)", None),
    ("Executive summary", "The Local Safeguarding Children Board (LSCB)"),
    ("Recommendations", "The Local Safeguarding Children Board (LSCB)"),
    ("Inspection findings – the Local Safeguarding Children Board", "The Local Safeguarding Children Board (LSCB)"),
    ("Information about this inspection", None),
]


def test_tower_hamlets_tree_is_its_contents_page():
    r = tower_hamlets()
    found = []
    remaining = list(r.sections)
    for title, _ in TOWER_HAMLETS_CONTENTS:
        section = next(s for s in remaining if s.title == title)
        remaining = remaining[remaining.index(section) + 1 :]
        found.append((title, parent_title(r, section.id)))
    assert found == TOWER_HAMLETS_CONTENTS
    # The judgement the page leaves out sits beside the others, not inside "Inspection findings".
    (help_protection,) = titled(r, "The experiences and progress of children who need help and protection")
    assert parent_title(r, help_protection) == "The local authority"
    assert next(s.grade for s in r.sections if s.id == help_protection) == 4


BIRMINGHAM_2014_CONTENTS = [  # page 2: every entry 12 pt, the sections indented under their part
    ("Section 1: The local authority", None),
    ("Summary of key findings", "Section 1: The local authority"),
    ("What does the local authority need to improve?", "Section 1: The local authority"),
    ("Information about this inspection", "Section 1: The local authority"),
    ("Information about this local authority area", "Section 1: The local authority"),
    ("Inspection judgements about the local authority", "Section 1: The local authority"),
    ("What the inspection judgements mean: the local authority", None),
    ("Section 2: The effectiveness of the Local Safeguarding Children Board", None),
]


def test_a_contents_page_set_by_indent_gives_the_tree():
    r = parse_file(CORPUS / "birmingham-2014-may-23.pdf")
    found = [(title, parent_title(r, titled(r, title)[0])) for title, _ in BIRMINGHAM_2014_CONTENTS]
    assert found == BIRMINGHAM_2014_CONTENTS
    # What the page does not list nests by its size under what it does: the judgements in theirs.
    (judgements,) = titled(r, "Inspection judgements about the local authority")
    assert parent_title(r, titled(r, "Leadership, management and governance")[0]) == (
        "Inspection judgements about the local authority"
    )
    assert any(s.parent == judgements for s in r.sections)


# --- footnotes -------------------------------------------------------------------------------------------------------


def test_rotherham_footnote_is_beside_its_paragraph_not_in_the_sentence():
    r = report("rotherham-2025-12-16.pdf")
    note = "The areas for improvement have been cross-referenced"
    assert not [p.id for p in r.paragraphs if note in p.full_text]
    assert [p.id for p in r.paragraphs if any(note in n for n in p.footnotes)]
    oversight = next(p for p in r.paragraphs if "robust oversight at all decision-" in p.full_text)
    assert "robust oversight at all decision-making" in oversight.full_text


def test_a_removed_footnote_mark_leaves_no_space_before_a_comma():
    r = hull()
    assert not [m.group(0) for p in r.paragraphs for m in re.finditer(r"\w+ [,;]", p.full_text)]
    footnoted = [p for p in r.paragraphs if p.footnotes]
    assert footnoted and all(n[:1].isdigit() for p in footnoted for n in p.footnotes)


def test_paragraph_footnotes_survive_the_cache_and_old_caches_load():
    r = hull()
    again = Report.from_dict(r.to_dict())
    assert [p.footnotes for p in again.paragraphs] == [p.footnotes for p in r.paragraphs]
    data = r.to_dict()
    for paragraph in data["paragraphs"]:
        del paragraph["footnotes"]
    assert all(p.footnotes == [] for p in Report.from_dict(data).paragraphs)


# --- two reports in one PDF ------------------------------------------------------------------------------------------


def test_hull_2015_holds_its_lscb_review_with_its_judgement():
    r = hull()
    lscb = [j for j in r.judgements if j.service == "lscb"]
    assert [(j.grade, j.label) for j in lscb] == [(3, "requires improvement")]
    (part,) = [s.id for s in r.sections if s.parent is None and "effectiveness of the local safeguarding" in s.title]
    inside = [p for p in r.paragraphs if p.id.startswith(part + "/")]
    assert [p.number for p in inside if p.number is not None] == list(range(1, 22))
    assert all(p.page is not None and 37 <= p.page <= 50 for p in inside)
    assert len([x for x in r.recommendations if x.service == "lscb"]) == 7
    # The local authority's own numbering is whole, and ids never clash.
    assert [p.number for p in r.paragraphs if p.number is not None and not p.id.startswith(part)][-1] == 140
    assert len({p.id for p in r.paragraphs}) == len(r.paragraphs)
    assert "paragraph numbers are not contiguous from 1" not in r.warnings


# --- grade cells, lists, the team, joins -----------------------------------------------------------------------------


def test_grade_cells_are_never_paragraphs():
    for r in (tower_hamlets(), hull()):
        assert not [
            p.id
            for p in r.paragraphs
            if re.fullmatch(r"(Outstanding|Good|Requires improvement|Inadequate)\.?", p.text.strip())
        ]


def test_a_recommendation_keeps_its_sub_bullets():
    r = report("leicester-2015-03-20.pdf")
    first = r.recommendations[0]
    assert first.text.startswith("Put into place an effective performance management framework")
    for part in ("comprehensive and reliable performance data", "effective performance management of teams"):
        assert part in first.text
    assert first.timescale == "immediately"
    assert not [x.text for x in r.recommendations if x.text[:1].islower()]


def test_the_inspection_team_is_a_role_a_line_and_every_inspector_is_named():
    r = hull()
    (team,) = [p for p in r.paragraphs if p.text == "Lead inspector: Gary Lamb"]
    assert team.items[0] == "Deputy lead inspector Mike Ferguson"
    assert team.items[-1] == "Quality assurance manager: Nicholas McMullen"
    assert r.inspectors[:2] == ["Gary Lamb", "Mike Ferguson"]
    assert "Ty Yousaf" in r.inspectors and not [name for name in r.inspectors if len(name.split()) > 3]


@pytest.mark.parametrize("printed", ["first- and second-line"])
def test_line_break_joins_keep_the_printed_form(printed):
    assert [p.id for p in tower_hamlets().paragraphs if printed in p.full_text]
    assert not [p.id for p in tower_hamlets().paragraphs if re.search(r"\d– \d|\b[a-z]+-and [a-z]+-", p.full_text)]


# --- letters ---------------------------------------------------------------------------------------------------------


def test_a_letters_part_title_with_a_full_stop_is_its_heading():
    r = report("lambeth-focused-visit-2025-01-13.pdf")
    assert "Headline Findings" in [s.title for s in r.sections]
    assert not [p.id for p in r.paragraphs if p.text.strip() == "Headline Findings."]


def test_a_letter_signed_without_yours_sincerely_has_no_signature_headings():
    r = report("harrow-focused-visit-2018-11-01.pdf")
    titles = [s.title for s in r.sections]
    assert "Kate Malleson" not in titles and "Her Majesty’s Inspector" not in titles
    assert r.lead_inspector == "Kate Malleson"


def test_inspectors_for_the_visit_are_all_named():
    r = report("north-somerset-focused-visit-2022-10-26.pdf")
    assert r.inspectors == ["Steve Lowe", "Nhlanganiso Nyathi"]
    assert "no inspectors named" not in r.warnings


# --- the reader ------------------------------------------------------------------------------------------------------


async def test_the_reader_shows_a_paragraphs_footnote_under_it_not_in_it():
    from ofsted_reader.tui.widgets.reader import Block, Reader

    from .conftest import make_app

    r = hull()
    paragraph = next(p for p in r.paragraphs if p.footnotes and p.text)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.query_one(Reader)
        view.show(r, [Block(paragraph, [], False, [""] * len(paragraph.items))])
        await pilot.pause()
        lines = ["".join(segment.text for segment in view.render_line(y)).strip(" ▌") for y in range(36)]
        note = next(i for i, line in enumerate(lines) if line.startswith(paragraph.footnotes[0][:30]))
        text_end = max(i for i, line in enumerate(lines) if paragraph.text.split()[-1] in line)
        assert note > text_end  # under the paragraph's text, on lines of its own
