"""Search must forgive typos, ignore word order and rank the right paragraph near the top."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ofsted_reader.search import Query, SearchIndex
from store.annotations import AnnotationStore
from store.library import Library, search_index
from tui.app import OfstedReaderApp
from tui.reader import Reader
from tui.search_screen import SearchScreen

from .conftest import ROOT

W, D, S, O = "warwickshire-2011-12-16", "derby-2011-06-27", "wiltshire-2012-04-24", "worcestershire-2010-11-12"

# (query, a paragraph that must be in the top 5)
RELEVANCE = [
    ("private fostering", f"{W}/p37"),
    ("privte fostering", f"{W}/p37"),  # typo
    ("fostering private", f"{W}/p37"),  # word order
    ("domestic violnce flagging", f"{W}/p71"),
    ("flagging domestic violence maternity", f"{W}/p71"),
    ("sexual assault referal centre", f"{W}/p81"),
    ("advocacy servce barnardos", f"{W}/p154"),
    ("corporate parenting board", f"{S}/p103"),
    ("electronic case recording system", f"{D}/p32"),
    ("elecronic recordng", f"{D}/p19"),  # two typos; p19 has the phrase "electronic recording system"
    ("virtual headteacher", f"{O}/p42"),
    ("youth offending restorative justice", f"{S}/p108"),
    ("safe recruitment crb checks", f"{W}/p43"),
    ("missing from care return interviews", f"{W}/p142"),
    ("tier 4 inpatient", f"{W}/p74"),
    ("unaccompanied asylum", f"{W}/p64"),
    ("pathway plans begin too late", f"{O}/p44"),
    ("persnal education plans", f"{W}/p148"),
    ("staying put pilot", f"{W}/p186"),
    ("young carers", f"{W}/p47"),
]


@pytest.fixture(scope="module")
def index():
    os.environ.setdefault("OFSTED_READER_HOME", "/tmp/ofsted-reader-search-tests")
    return SearchIndex.build(Library.open().reports())


@pytest.mark.parametrize("query, expected", RELEVANCE)
def test_relevance(index, query, expected):
    top = [hit.doc.paragraph_id for hit in index.search(query, limit=5)]
    assert expected in top, f"{query!r}: {top}"


def test_matched_words_are_reported_for_highlighting(index):
    hit = index.search("privte fostering", limit=1)[0]
    assert hit.terms == ["fostering", "private"]


def test_filters_in_query_syntax(index):
    hits = index.search("grade:4 assessments", limit=50)
    assert hits and all(h.doc.grade == 4 for h in hits)
    hits = index.search("report:derby service:looked_after health", limit=50)
    assert hits and all(h.doc.report_id == D and h.doc.service == "looked_after" for h in hits)
    assert all(h.doc.framework == "slac" for h in index.search("framework:slac fostering", limit=50))
    assert index.search("framework:ilacs fostering") == []
    assert Query.parse("grade:inadequate tag:#Evidence is:annotated x").grade == 4


def test_notes_and_tags_are_searched_and_filter(index):
    store = AnnotationStore()
    library = Library.open()
    report = library.load(W)
    store.add(report, f"{W}/p12", "Badger Harmoni out of hours concern", ["gp-access"])
    index.set_notes(store.all())
    assert [h.doc.paragraph_id for h in index.search("tag:gp-access")] == [f"{W}/p12"]
    assert index.search("harmoni concern", limit=3)[0].doc.paragraph_id == f"{W}/p12"
    assert [h.doc.paragraph_id for h in index.search("is:annotated gp")] == [f"{W}/p12"]
    index.set_notes([])


def test_cli_search_json_and_flags():
    env = os.environ.copy()
    result = subprocess.run([sys.executable, "-m", "ofsted_reader.cli", "search", "privte", "fostering", "--json",
                             "--limit", "3"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert len(hits) == 3 and set(hits[0]) == {"paragraph_id", "report_id", "authority", "number", "section",
                                                "grade", "score", "text", "items"}
    assert f"{W}/p37" in [h["paragraph_id"] for h in hits]
    assert hits[0]["score"] >= hits[1]["score"] >= hits[2]["score"]
    result = subprocess.run([sys.executable, "-m", "ofsted_reader.cli", "search", "assessments", "--grade", "4",
                             "--report", "wiltshire", "--json"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert {h["report_id"] for h in json.loads(result.stdout)} == {S}
    table = subprocess.run([sys.executable, "-m", "ofsted_reader.cli", "search", "private", "fostering"],
                           capture_output=True, text=True, cwd=ROOT, env=env)
    assert table.returncode == 0 and f"{W}/p37" in table.stdout


def test_search_index_is_cached_between_runs():
    library = Library.open()
    first = search_index(library)
    assert search_index(library).docs == first.docs


async def test_search_in_the_app_opens_and_steps_through_matches():
    app = OfstedReaderApp(library=Library.open(), store=AnnotationStore())
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"privte fostering")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.screen.hits) >= 3
        await pilot.press("enter")
        await pilot.pause()
        reader = app.query_one(Reader)
        first = reader.current.id
        assert first == app.hits[0].doc.paragraph_id and "private" in reader.highlight
        await pilot.press("n")
        await pilot.pause()
        assert reader.current.id == app.hits[1].doc.paragraph_id
        await pilot.press("N")
        await pilot.pause()
        assert reader.current.id == first
