"""`ofsted-reader search` answers from the search index alone once it holds the library as it is: no library
manifest read, nothing heavy imported (bench/record.py times it against python+sqlite FTS5). These tests keep that
path lean, and keep it from answering over a library that changed since."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPORTS, W, run_cli

# What `search` never needs once its index is current: the app, tables, notes storage, the importers and the domain
# model (the index returns what a hit shows), the library manifest and the JSON and path libraries it read with;
# nor argparse, for its usual options (cli.search.quick_args), nor dataclasses (inspect, ast, dis with it), nor
# rapidfuzz (core/search/fuzzy.py finds what it would).
HEAVY = (
    "argparse",
    "dataclasses",
    "rapidfuzz",
    "textual",
    "rich",
    "tinydb",
    "orjson",
    "platformdirs",
    "ofsted_reader.tui",
    "ofsted_reader.importers",
    "ofsted_reader.core.model",
    "ofsted_reader.core.authorities",
    "ofsted_reader.store.library.library",
    "ofsted_reader.store.library.shipped",
)

# The console script's entry point (`ofsted-reader = ofsted_reader.cli:main`), then what it imported.
ENTRY = """
import sys
from ofsted_reader.cli import main
status = main(sys.argv[1:])
print(status, *sorted(sys.modules), sep="\\n", file=sys.stderr)
"""


def _search(*args: str) -> tuple[str, set[str]]:
    """`ofsted-reader search ARGS` in a new process: its output, and the modules it imported."""
    env = {k: v for k, v in os.environ.items() if k != "XDG_DATA_HOME"}
    done = subprocess.run(
        [sys.executable, "-c", ENTRY, "search", *args], capture_output=True, text=True, env=env, check=True
    )
    status, *modules = done.stderr.splitlines()
    assert status == "0", done.stderr
    return done.stdout, set(modules)


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


@pytest.mark.subprocess
def test_a_second_search_imports_none_of_the_heavy_modules_and_answers_the_same(isolated_home):
    # A fresh data dir: the library is indexed first, and its manifest written, so the next search opens it again.
    first, _ = _search("fostering", "--limit", "5")
    for _ in range(2):
        again, modules = _search("fostering", "--limit", "5")
        assert again == first and first.splitlines()[0].endswith("paragraphs match; the best 5 shown")
    assert _heavy(modules) == []
    typo, modules = _search("privte", "fostring", "--limit", "5")  # forgiving words on the same lean path
    assert "read privte as private" in typo and _heavy(modules) == []
    # Filters that name authorities, and files written with citations, still open the library.
    _, modules = _search("fostering", "authority:warwickshire", "--limit", "1")
    assert "ofsted_reader.store.library.library" in modules


def _ids(*args: str) -> set[str]:
    found = run_cli("search", *args, "--json", "--limit", "1000")
    assert found.returncode == 0, found.stderr
    return {hit["report_id"] for hit in json.loads(found.stdout)}


def test_the_index_alone_answers_only_while_the_library_is_unchanged(isolated_home, tmp_path):
    """Searching from the index alone must never answer over a library that changed since: a report imported, a
    report's copy removed from the data dir, another choice of shipped reports."""
    from ofsted_reader.store.library.warmup import current_index, library_stamp

    assert current_index(library_stamp()) is None  # nothing searched yet
    before = _ids("private fostering")  # indexes the library, and writes its manifest
    assert _ids("private fostering") == before and W in before
    assert current_index(library_stamp()) is not None
    source = tmp_path / "derby.txt"
    source.write_text((REPORTS / "derby-2011.txt").read_text(encoding="utf-8").replace("Derby", "Rutland"))
    assert run_cli("import", source).returncode == 0
    assert len(_ids("private fostering") - before) == 1
    for copy in (isolated_home / "library").iterdir():
        copy.unlink()
    assert _ids("private fostering") == before
    assert run_cli("search", "private fostering", env={"OFSTED_READER_BUNDLED": "none"}).stdout == "no matches\n"
    assert _ids("private fostering") == before


def test_a_new_version_of_the_shipped_record_is_a_changed_library(isolated_home, tmp_path, monkeypatch):
    """An upgrade ships a new manifest (and perhaps a new parser): the index is checked against the library again."""
    from ofsted_reader.store.library import warmup

    shipped = tmp_path / "manifest.json"
    shipped.write_bytes(warmup.MANIFEST.read_bytes())
    monkeypatch.setattr(warmup, "MANIFEST", shipped)
    for _ in range(2):
        _ids("fostering")
    assert warmup.current_index(warmup.library_stamp()) is not None
    shipped.write_bytes(shipped.read_bytes())  # the same bytes, installed anew
    assert warmup.current_index(warmup.library_stamp()) is None


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"XDG_DATA_HOME": "/srv/data"},
        {"XDG_DATA_HOME": "/srv/data/"},
        {"XDG_DATA_HOME": ""},
        {"XDG_DATA_HOME": "   "},
        {"XDG_DATA_HOME": "relative/data"},
        {"HOME": "/home/someone/"},
        {"HOME": "relative"},
        {"HOME": None},
    ],
)
def test_the_data_dir_is_where_platformdirs_puts_it(env, monkeypatch):
    """The data dir worked out without platformdirs (its import was 7 ms of a search) is the one it gives."""
    from platformdirs import user_data_dir

    from ofsted_reader.host import locations

    monkeypatch.delenv("OFSTED_READER_HOME")
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    try:
        expected = user_data_dir("ofsted-reader", appauthor=False)
    except RuntimeError:  # no home to be found: platformdirs says so, and so must the app
        with pytest.raises(RuntimeError):
            locations.data_dir()
        return
    assert locations.data_dir() == Path(expected)


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "private", "fostering"],
        ["search", "--limit", "20", "private", "fostering"],
        ["search", "private", "fostering", "--limit", "3", "--json", "--all"],
        ["search", "--json", "--limit", "5", "care leavers", "--limit", "7"],
        ["search", "grade:4", 'region:"north west"', "", "assessments"],
        ["search", "private", "--limit", "2", "fostering"],  # argparse refuses the second run of words
        ["search", "fostering", "-adoption"],
        ["search", "fostering", "--limit", "-2"],
        ["search", "fostering", "--limit", "²"],
        ["search", "fostering", "--lim", "2"],
        ["search", "fostering", "--limit=2"],
        ["search", "fostering", "--csv"],
        ["search", "--json"],
        ["search", "fostering", "-h"],
        ["search", "fostering", "--", "x"],
    ],
)
def test_a_plain_search_is_read_as_argparse_reads_it(argv):
    """`search`'s words and its usual options are read without argparse; anything else is argparse's."""
    from ofsted_reader.cli.main import build_parser
    from ofsted_reader.cli.search import quick_args

    quick = quick_args(argv)
    if quick is None:
        return
    expected, extra = build_parser(argv).parse_known_args(argv)
    assert not extra and vars(quick) == vars(expected)


def test_a_search_in_this_process_leaves_the_collector_running():
    """A search pauses Python's cycle collector for itself alone: a caller running `main` in its own process (the
    tests, a script) keeps it, whether the search answered, failed or first indexed the library."""
    import gc

    for args in (["fostering"], ["fostering"], ["grade:9"], ["fostering", "--csv", "-o", "/nonexistent/x.csv"]):
        run_cli("search", *args)
        assert gc.isenabled(), args


def test_near_spellings_are_those_rapidfuzz_finds(isolated_home):
    """search/fuzzy.py stands in for rapidfuzz's process.extract (fuzz.ratio, and OSA.distance for a swap), whose
    import was 7 ms of a search: the same words, scores and order, for words of the vocabulary and misspellings."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import OSA

    from ofsted_reader.core.search.fuzzy import letters, near, ratio, swapped
    from ofsted_reader.core.search.ranking import FUZZY_FAN_OUT, fuzzy_cutoff
    from ofsted_reader.store.library.library import Library
    from ofsted_reader.store.library.warmup import search_index

    index = search_index(Library.open())
    vocabulary = index.vocabulary
    assert len(vocabulary) > 3000
    for words, bits in index._of_lengths(range(1, 40)):  # as kept with the index
        assert list(bits) == [letters(w) for w in words] and words == [w for w in vocabulary if len(w) == len(words[0])]
    words = vocabulary[::25]
    typed = [w[:3] + w[4:] for w in words if len(w) > 4] + [w[:2] + w[3] + w[2] + w[4:] for w in words if len(w) > 4]
    typed += [w[:-1] + "e" for w in words] + ["privte", "fostring", "mutli", "safegaurding", "leavers"]
    for word in words + typed:
        groups = index._of_lengths(range(len(word) - 2, len(word) + 3))
        pool = [w for words, _ in groups for w in words]
        cutoff = fuzzy_cutoff(word)
        expected = process.extract(word, pool, scorer=fuzz.ratio, score_cutoff=cutoff, limit=FUZZY_FAN_OUT)
        assert near(word, groups, cutoff, FUZZY_FAN_OUT) == [(w, s) for w, s, _ in expected], word
        one_edit = process.extract(word, pool, scorer=OSA.distance, score_cutoff=1, limit=FUZZY_FAN_OUT)
        assert swapped(word, groups, FUZZY_FAN_OUT) == [w for w, _, _ in one_edit], word
        for other in pool[:: max(1, len(pool) // 40)]:
            assert ratio(word, other, cutoff) == fuzz.ratio(word, other, score_cutoff=cutoff), (word, other)
            assert ratio(word, other) == fuzz.ratio(word, other), (word, other)


def test_an_index_made_before_the_vocabulary_was_kept_whole_gets_it_and_answers_the_same(isolated_home):
    import sqlite3

    first = run_cli("search", "privte fostring", "--json").stdout
    index = isolated_home / "cache" / "search.sqlite"
    with sqlite3.connect(index) as db:
        db.execute("DELETE FROM meta WHERE name IN ('vocabulary', 'lengths', 'stamp')")
    db.close()
    assert run_cli("search", "privte fostring", "--json").stdout == first  # read from `terms`, then kept
    with sqlite3.connect(index) as db:
        kept = {name for (name,) in db.execute("SELECT name FROM meta")}
    db.close()
    assert {"vocabulary", "lengths", "stamp"} <= kept
    assert run_cli("search", "privte fostring", "--json").stdout == first
