"""Search must forgive typos, ignore word order and rank the right paragraph near the top."""

from __future__ import annotations

import json
import os
import re
import sys
import threading

import pytest
from textual.widgets import Input

from ofsted_reader.core.search.engine import Query, SearchIndex
from ofsted_reader.host import locations
from ofsted_reader.store.library import search_index as search_index_module
from ofsted_reader.store.library.library import Library
from ofsted_reader.store.library.search_index import build_index
from ofsted_reader.store.library.warmup import search_index
from ofsted_reader.store.notes.annotations import AnnotationStore
from ofsted_reader.tui.screens.search import SearchScreen
from ofsted_reader.tui.widgets.reader import Reader

from .conftest import PDFS, REPORTS, D, O, S, W, eventually, make_app, run_cli, settle, type_in

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
def index(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:  # never the user's real data dir
        patch.setenv("OFSTED_READER_HOME", str(tmp_path_factory.mktemp("home")))
        return build_index(Library.open().reports())


@pytest.mark.parametrize("query, expected", RELEVANCE)
def test_relevance(index, query, expected):
    top = [hit.doc.paragraph_id for hit in index.search(query, limit=5).hits]
    assert expected in top, f"{query!r}: {top}"


def test_matched_words_are_reported_for_highlighting(index):
    hit = index.search("privte fostering", limit=1).hits[0]
    assert hit.terms == ["fostering", "private"]


def test_filters_in_query_syntax(index):
    hits = index.search("grade:4 assessments", limit=50).hits
    assert hits and all(h.doc.grade == 4 for h in hits)
    hits = index.search("report:derby service:looked_after health", limit=50).hits
    assert hits and all(h.doc.report_id == D and h.doc.service == "looked_after" for h in hits)
    assert all(h.doc.framework == "slac" for h in index.search("framework:slac fostering", limit=50).hits)
    assert index.search("framework:ilacs fostering").hits == ()
    assert Query.parse("grade:inadequate tag:#Evidence is:annotated x").grade == 4


def test_notes_and_tags_are_searched_and_filter(index):
    store = AnnotationStore()
    library = Library.open()
    report = library.load(W)
    store.add(report, f"{W}/p12", "Badger Harmoni out of hours concern", ["gp-access"])
    index.set_notes(store.all())
    assert [h.doc.paragraph_id for h in index.search("tag:gp-access").hits] == [f"{W}/p12"]
    assert index.search("harmoni concern", limit=3).hits[0].doc.paragraph_id == f"{W}/p12"
    assert [h.doc.paragraph_id for h in index.search("is:annotated gp").hits] == [f"{W}/p12"]
    index.set_notes([])


def test_cli_search_json_and_flags():
    result = run_cli("search", "privte", "fostering", "--json", "--limit", "3")
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert len(hits) == 3 and set(hits[0]) == {
        "paragraph_id",
        "report_id",
        "authority",
        "number",
        "section",
        "grade",
        "score",
        "text",
        "items",
        "snippet",
    }
    assert f"{W}/p37" in [h["paragraph_id"] for h in hits]
    assert hits[0]["score"] >= hits[1]["score"] >= hits[2]["score"]
    result = run_cli("search", "assessments", "--grade", "4", "--report", "wiltshire", "--json")
    assert {h["report_id"] for h in json.loads(result.stdout)} == {S}
    table = run_cli("search", "private", "fostering")
    assert table.returncode == 0 and f"{W}/p37" in table.stdout


def _ids(index, text, limit=50):
    return [hit.doc.paragraph_id for hit in index.search(text, limit=limit).hits]


def test_an_import_is_searchable_at_once_and_nothing_is_reindexed(tmp_path):
    library = Library.open()
    search_index(library)  # the bundled reports, indexed on the first search of a fresh install
    report, _ = library.import_file(PDFS / "york-2017.pdf")
    fresh = Library.open()
    assert fresh.index_store().sync({e.id: e.sha256 for e in fresh.entries()}, fresh.load) == 0
    hits = search_index(fresh).search("york", limit=50).hits
    assert any(hit.doc.report_id == report.id for hit in hits)


def test_a_replaced_report_leaves_no_stale_paragraphs(tmp_path):
    source = REPORTS.glob("*.txt").__next__().read_text(encoding="utf-8")
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(source.replace("Inspectors", "Inspectors zorblax", 1), encoding="utf-8")
    second.write_text(source.replace("Inspectors", "Inspectors quuxfrob", 1), encoding="utf-8")
    library = Library.open()
    report, _ = library.import_file(first)
    assert _ids(search_index(library), "zorblax")
    again, replaced = library.import_file(second)
    assert replaced and again.id == report.id
    index = search_index(Library.open())
    assert _ids(index, "zorblax") == [] and _ids(index, "quuxfrob")
    assert len(set(_ids(index, "inspectors", limit=5000))) == len(_ids(index, "inspectors", limit=5000))


def test_a_damaged_or_deleted_index_heals_on_the_next_search():
    library = Library.open()
    expected = _ids(search_index(library), "private fostering")
    path = locations.cache_dir() / "search.sqlite"
    library.index_store().close()
    for name in ("search.sqlite-wal", "search.sqlite-shm"):
        (locations.cache_dir() / name).unlink(missing_ok=True)
    path.write_bytes(b"this is not a database")
    assert _ids(search_index(Library.open()), "private fostering") == expected
    path.unlink()
    assert _ids(search_index(Library.open()), "private fostering") == expected


def test_a_report_removed_from_the_library_leaves_the_index(tmp_path):
    library = Library.open()
    report, _ = library.import_file(PDFS / "york-2017.pdf")
    assert any(h.doc.report_id == report.id for h in search_index(library).search("york", limit=50).hits)
    for path in locations.imported_dir().iterdir():
        path.unlink()
    assert not any(h.doc.report_id == report.id for h in search_index(Library.open()).search("york", limit=50).hits)


def test_merged_segments_answer_as_one_built_at_once(monkeypatch):
    reports = Library.open().reports()
    queries = ["private fostering", "care leavers", "virtual head teacher", "grade:4 assessments", "fost"]
    whole = build_index(reports)
    expected = {q: [(h.doc.paragraph_id, round(h.score, 3)) for h in whole.search(q, limit=30).hits] for q in queries}
    monkeypatch.setattr(search_index_module, "MAX_SEGMENTS", 2)
    store = search_index_module.IndexStore()
    for report in reports:  # one segment each, merged as they pile up
        store.add([(report, report.id)])
    store.add([(reports[0], "changed")])  # replaced: its old keys linger in a segment until a full merge
    assert store.db.execute("SELECT count(DISTINCT segment) FROM postings").fetchone()[0] <= 3
    for full in (False, True):
        store.merge(full=full)
        index = SearchIndex(store)
        for query in queries:
            assert [(h.doc.paragraph_id, round(h.score, 3)) for h in index.search(query, limit=30).hits] == expected[
                query
            ]


async def test_search_in_the_app_opens_and_steps_through_matches():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"privte fostering")
        await settle(pilot)
        assert len(app.screen.hits) >= 3
        # A search ran per key, overlapping in threads: the count shown is the last query's.
        total = app.indexing.index.search("privte fostering", limit=1).total
        status = str(app.screen.query_one("#search-status").render())
        assert status.startswith(f"{total} paragraphs match (all shown) · read privte as private"), status
        await pilot.press("enter")
        await pilot.pause()
        reader = app.query_one(Reader)
        first = reader.current.id
        assert first == app.main.hits[0].doc.paragraph_id and "private" in reader.highlight
        await pilot.press("n")
        await pilot.pause()
        assert reader.current.id == app.main.hits[1].doc.paragraph_id
        await pilot.press("N")
        await pilot.pause()
        assert reader.current.id == first


# Words written apart or together, swapped letters and the field's abbreviations: (query, a paragraph in the top 5).
RELEVANCE_MORE = [
    ("virtual head teacher", f"{O}/p42"),  # the report writes "headteacher"
    ("independent reviewing officers caseloads", f"{D}/p119"),
    ("IRO caseloads", f"{D}/p119"),  # the abbreviation finds the words
    ("PEP quality", f"{W}/p148"),
    ("LADO effective", f"{S}/p29"),
]


@pytest.mark.parametrize("query, expected", RELEVANCE_MORE)
def test_relevance_compounds_and_abbreviations(index, query, expected):
    top = [hit.doc.paragraph_id for hit in index.search(query, limit=5).hits]
    assert expected in top, f"{query!r}: {top}"


def test_swapped_letters_are_one_mistake(index):
    hits = index.search("mutli agency", limit=5).hits
    assert hits and all("multi" in hit.terms for hit in hits)


def test_quoted_phrases_and_excluded_words(index):
    result = index.search('"private fostering"', limit=50)
    phrase = result.hits
    assert phrase and all("private fostering" in hit.doc.text.lower() for hit in phrase)
    assert result.total == len(phrase)
    excluded = index.search("fostering -private", limit=50).hits
    assert excluded and not any("private" in (hit.doc.text + " ".join(hit.doc.items)).lower() for hit in excluded)


def test_total_count_and_snippets_show_the_matching_sentence(index):
    result = index.search("young carers", limit=3)
    hits = result.hits
    assert result.total > 3 and len(hits) == 3
    for hit in hits:
        assert len(hit.snippet) <= 242 and ("carer" in hit.snippet.lower() or "young" in hit.snippet.lower())
        assert not hit.snippet.strip().isdigit()


def test_cli_reports_unknown_filters_and_the_total(tmp_path):
    env = {"OFSTED_READER_HOME": str(tmp_path)}
    bad = run_cli("search", "servce:safeguarding", "fostering", env=env)
    assert bad.returncode == 2 and "unknown filter servce:" in bad.stderr and "service:" in bad.stderr
    good = run_cli("search", "private fostering", "--limit", "2", env=env)
    every = json.loads(run_cli("search", "private fostering", "--limit", "100000", "--json", env=env).stdout)
    assert len(every) > 2
    assert good.returncode == 0 and good.stdout.startswith(f"{len(every)} paragraphs match; the best 2 shown\n")


def test_searches_overlapping_in_threads_each_get_their_own_total(index):
    """The app searches each keystroke in a thread while earlier ones may still run: each must answer its own
    query, hits and total, never another's (the total was once shared state on the index)."""
    queries = ["young carers", "grade:4 assessments", "-grade:4 health", "grade:3", "framework:slac fostering", "a"]
    expected = {}
    for query in queries:
        result = index.search(query, limit=5)
        expected[query] = (result.total, [hit.doc.paragraph_id for hit in result.hits])
    assert len({total for total, _ in expected.values()}) == len(queries)
    wrong: list[tuple[str, int | str, int]] = []
    start = threading.Barrier(4)

    def run(offset: int) -> None:
        start.wait()
        for round_ in range(30):
            query = queries[(offset + round_) % len(queries)]
            try:
                result = index.search(query, limit=5)
            except Exception as error:  # a thread's exception would not fail the test by itself
                wrong.append((query, repr(error), expected[query][0]))
                continue
            if (result.total, [hit.doc.paragraph_id for hit in result.hits]) != expected[query]:
                wrong.append((query, result.total, expected[query][0]))

    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, so the searches interleave
    try:
        threads = [threading.Thread(target=run, args=(offset,)) for offset in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switching)
    assert wrong == []


def test_notes_changing_while_searches_run_never_break_a_search(index):
    """The app gives the index the notes again whenever they change (set_notes, on the app's thread) while a search
    may be running in another: a search reads the notes before or after, never a half-filled set of them."""
    store = AnnotationStore()
    report = Library.open().load(W)
    for number in range(12, 60):
        store.add(report, f"{W}/p{number}", f"thought {number} on fostering", [f"code-{number % 5}"])
    many, few = store.all(), store.all()[:3]
    failures: list[str] = []
    done = threading.Event()

    def search() -> None:
        while not done.is_set():
            for query in ("tag:code-1 fostering", "is:annotated thought", "-is:annotated fostering", "-tag:code-2 a"):
                try:
                    index.search(query, limit=5)
                except Exception as error:  # a thread's exception would not fail the test by itself
                    failures.append(f"{query}: {error!r}")

    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    threads = [threading.Thread(target=search) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for round_ in range(60):
            index.set_notes(many if round_ % 2 else few)
    finally:
        done.set()
        for thread in threads:
            thread.join()
        sys.setswitchinterval(switching)
        index.set_notes([])
    assert failures == []
    index.set_notes(many)
    try:  # and what is kept between searches follows the notes of now
        assert {h.doc.paragraph_id for h in index.search("tag:code-1", limit=50).hits} == {
            f"{W}/p{n}" for n in range(12, 60) if n % 5 == 1
        }
    finally:
        index.set_notes([])


def test_cli_results_on_a_terminal_mark_the_words_and_wrap_and_respect_no_color(index, monkeypatch):
    from ofsted_reader.cli.search import MARK, _hits_text

    hits = index.search("privte fostering", limit=2).hits
    monkeypatch.setattr("shutil.get_terminal_size", lambda: os.terminal_size((60, 24)))
    monkeypatch.delenv("NO_COLOR", raising=False)
    shown = _hits_text("2 shown", hits, terminal=True)
    assert f"{MARK}private\x1b[0m" in shown.lower() and f"{MARK}fostering\x1b[0m" in shown.lower()
    body = [line for line in shown.splitlines() if line.startswith("    ")]
    assert body and all(len(line) <= 60 for line in (re.sub(r"\x1b\[[0-9;]*m", "", b) for b in body))
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in _hits_text("2 shown", hits, terminal=True)
    piped = _hits_text("2 shown", hits, terminal=False)
    assert "\x1b" not in piped and piped.splitlines()[1].startswith(f"{hits[0].score:3.0f}  {hits[0].doc.paragraph_id}")


def test_a_word_searched_before_a_note_used_it_finds_the_note_after(index):
    """A word's paragraphs are kept between keystrokes; a note added meanwhile must still count."""
    store = AnnotationStore()
    report = Library.open().load(W)
    target = f"{W}/p12"
    assert "fostering" not in report.paragraph(target).text.lower()
    assert target not in [h.doc.paragraph_id for h in index.search("fostering", limit=500).hits]
    store.add(report, target, "private fostering arrangements are not checked here", ["gap"])
    index.set_notes(store.all())
    try:
        assert [h.doc.paragraph_id for h in index.search("fostering is:annotated").hits] == [target]
    finally:
        index.set_notes([])


def test_a_note_just_added_from_the_command_line_is_searched_by_its_tag():
    """A new note sits in the notes journal until the next change folds it in: search reads it there too."""
    added = run_cli("note", "add", f"{W}/p37", "--text", "zorblax", "--tag", "fresh")
    assert added.returncode == 0, added.stderr
    assert not locations.annotations_file().exists()  # only in the journal
    found = run_cli("search", "tag:fresh", "--json")
    assert [hit["paragraph_id"] for hit in json.loads(found.stdout)] == [f"{W}/p37"]


async def test_a_slow_search_of_an_earlier_keystroke_never_replaces_the_later_results(monkeypatch):
    """Searches run in threads, one per keystroke: an earlier query that finishes last is not shown over the results
    of what is typed now."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        index = app.indexing.index
        search, release = index.search, threading.Event()

        def slow_for_adoption(query, limit=20):
            result = search(query, limit=limit)
            if "adoption" in str(getattr(query, "words", query)):
                release.wait(5)  # held until the later query's results are shown
            return result

        monkeypatch.setattr(index, "search", slow_for_adoption)
        await pilot.press("slash")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await type_in(pilot, "adoption")
        await pilot.pause()
        screen.query_one("#search-input", Input).value = "fostering"
        await eventually(pilot, lambda: screen.hits)  # shown while the search for "adoption" is held
        release.set()
        await settle(pilot)
        assert screen.hits and all("foster" in hit.doc.text.lower() for hit in screen.hits[:3])
        total = search("fostering", limit=1).total
        assert str(screen.query_one("#search-status").render()).startswith(f"{total} paragraphs match")


async def test_a_search_on_an_older_index_never_replaces_the_same_words_on_a_newer_one(monkeypatch):
    """As indexing goes on, each batch runs what is typed again on the newer index: the older index's search, if it
    finishes last, does not put back its fewer results."""
    from ofsted_reader.core.search.engine import SearchResult

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        index = app.indexing.index
        search, release, calls = index.search, threading.Event(), []

        def older_then_newer(query, limit=20):
            result = search(query, limit=limit)
            calls.append(query)
            if len(calls) == 1:  # the search on the "older" index: held, and with a single hit
                release.wait(5)
                return SearchResult(result.hits[:1], 1)
            return result

        await pilot.press("slash")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        monkeypatch.setattr(index, "search", older_then_newer)
        await type_in(pilot, "fostering")
        await pilot.pause()
        screen.use_index(index, None)  # a newer index arrived: the same words again
        await eventually(pilot, lambda: len(screen.hits) > 1)  # shown while the older index's search is held
        release.set()
        await settle(pilot)
        assert len(calls) == 2 and len(screen.hits) > 1


async def test_an_open_search_takes_each_larger_index_the_indexing_publishes():
    """The indexing publishes each batch's index on the app's signal; the open search screen runs what is typed over
    it (the indexing no longer looks for the screen)."""
    from ofsted_reader.store.library.warmup import Progress

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_in(pilot, "fostering")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        larger = app.indexing.index
        app.indexing.ready(larger, Progress(3, 4))
        await pilot.pause()
        assert screen.index is larger and screen.indexing == Progress(3, 4)
        assert "Searched 3 of 4 reports so far" in str(screen.query_one("#search-status").render())
