"""Reports related to the one being read (store/library/related.py), without the app: what < > c : and the trail open."""

from __future__ import annotations

import pytest

from ofsted_reader.store.library.library import Library
from ofsted_reader.store.library.related import (
    authority_reports,
    compare_candidates,
    other_report,
    resolve_reference,
    same_authority,
)

from .conftest import CORPUS, D, O, S, W, imported_home, library_in

FILES = ["barnsley-2014-aug-08.pdf", "barnsley-2018-nov-19.pdf", "wakefield-2022-jan-05.pdf", "durham-2016-may-16.pdf"]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return imported_home(tmp_path_factory, "related-home", [CORPUS / name for name in FILES])


@pytest.fixture
def library(isolated_home, template):
    return library_in(isolated_home, template)


def test_earlier_and_later_reports_of_the_same_authority_step_by_date(library):
    later = library.load("barnsley-2018-10-19")
    assert [e.id for e in same_authority(library, later)] == ["barnsley-2014-08-08", "barnsley-2018-10-19"]
    earlier = other_report(library, later, -1)
    assert earlier is not None and earlier.id == "barnsley-2014-08-08"
    assert other_report(library, later, +1) is None  # the latest: nothing later
    first = library.load("barnsley-2014-08-08")
    assert other_report(library, first, -1) is None
    assert other_report(library, first, +1).id == "barnsley-2018-10-19"


def test_compare_candidates_put_the_same_authority_then_its_neighbours_first(library):
    report = library.load("barnsley-2018-10-19")
    title = next(
        s.title for s in report.sections if s.title.startswith("The experiences and progress of children who need help")
    )
    candidates = compare_candidates(library, report, title)
    ids = [c.report_id for c in candidates]
    assert report.id not in ids
    # Barnsley's earlier inspection, then its statistical neighbours in the DfE's order (Wakefield before Durham),
    # then the rest by name: the 2009-2012 reports' "children are safe" sections are the same topic.
    assert ids[:3] == ["barnsley-2014-08-08", "wakefield-2021-11-19", "durham-2016-05-16"]
    assert [c.relation for c in candidates[:3]] == ["same authority", "neighbour", "neighbour"]
    rest = candidates[3:]
    assert rest and all(c.relation == "" for c in rest)
    assert [c.label.split(" (")[0] for c in rest] == sorted(c.label.split(" (")[0] for c in rest)
    assert (
        candidates[1].label.startswith("neighbour · Wakefield (") and "Yorkshire and the Humber" in candidates[1].label
    )


def test_a_statistical_neighbour_comes_before_other_authorities(library):
    report = library.load(W)
    title = next(s.title for s in report.sections if s.title.lower().startswith("overall effectiveness"))
    candidates = compare_candidates(library, report, title)
    # Wiltshire is one of Warwickshire's statistical neighbours; Derby and Worcestershire are not.
    assert candidates[0].report_id == S and candidates[0].relation == "neighbour"
    assert {D, O} <= {c.report_id for c in candidates[1:]}
    assert all(c.relation == "" for c in candidates[1:])


def test_an_authoritys_reports_by_name_alias_or_code(library):
    assert sorted(r.id for r in authority_reports(library, "Barnsley")) == [
        "barnsley-2014-08-08",
        "barnsley-2018-10-19",
    ]
    assert [r.id for r in authority_reports(library, "Durham")] == ["durham-2016-05-16"]
    assert authority_reports(library, "Narnia") == []


def test_a_typed_reference_resolves_in_the_open_report_or_across_the_library(library):
    warwickshire = library.load(W)
    assert resolve_reference(library, "71", warwickshire) == (W, f"{W}/p71")
    assert resolve_reference(library, " p71 ", warwickshire) == (W, f"{W}/p71")
    assert resolve_reference(library, "¶71", warwickshire) == (W, f"{W}/p71")
    assert resolve_reference(library, f"{D}/p29", warwickshire) == (
        D,
        f"{D}/p29",
    )
    section = warwickshire.sections[1].id
    assert resolve_reference(library, section, None) == (W, "")
    assert resolve_reference(library, "71", None) is None  # no open report to read a bare number in
    assert resolve_reference(library, "9999", warwickshire) is None
    assert resolve_reference(library, "nowhere-2011-01-01/p1", warwickshire) is None
    assert resolve_reference(library, f"{D}/p9999", warwickshire) is None


def test_a_section_is_compared_across_frameworks_and_a_report_without_one_is_named(monkeypatch, isolated_home):
    """Birmingham's 2014 single inspection framework report and its ILACS reports judge help and protection under
    other headings: they are candidates of each other; its LSCB section has no equivalent in the ILACS reports, nor
    in the 2016 re-inspection, which did not review the board."""
    from ofsted_reader.store.library.related import compare_candidates, without_equivalent

    monkeypatch.setenv("OFSTED_READER_BUNDLED", "all")
    library = Library.open()
    sif = library.load("birmingham-2014-05-23")
    help_section = next(s for s in sif.sections if "help and protection" in s.title.lower())
    candidates = compare_candidates(library, sif, help_section.title)
    own = [c.report_id for c in candidates if c.relation == "same authority"]
    assert {"birmingham-2016-11-25", "birmingham-2018-12-14", "birmingham-2023-03-03"} <= set(own)
    ilacs = next(c for c in candidates if c.report_id == "birmingham-2023-03-03")
    assert ilacs.label.endswith("The experiences and progress of children who need help and protection")
    lscb = next(s for s in sif.sections if "safeguarding children board" in s.title.lower())
    missing = {e.id for e in without_equivalent(library, sif, lscb.title)}
    assert {"birmingham-2016-11-25", "birmingham-2018-12-14", "birmingham-2023-03-03"} == missing
