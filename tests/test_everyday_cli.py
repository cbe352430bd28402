"""The command line as a new user meets it (issue 23): filters that mean what they say, values that mean nothing
refused in one line with exit 2, lists that show what they name, and help for every option."""

from __future__ import annotations

import json

import pytest

from .conftest import D, imported_home, library_in
from .conftest import run_cli as run
from .everyday_library import BLACKPOOL, DERBYSHIRE, FILES, HULL, SEFTON, SOLIHULL


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return imported_home(tmp_path_factory, "everyday-cli", FILES)


@pytest.fixture
def home(isolated_home, template):
    library_in(isolated_home, template).close()  # the commands open it themselves
    return isolated_home


def refused(result, *words):
    """Refused as a user error: one line on stderr naming the problem, exit 2, nothing on stdout, no traceback."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr
    return result.stderr


def test_authority_filter_is_the_authority_not_a_substring(home):
    hits = json.loads(run("search", "missing", "--authority", "hull", "--json", "--limit", "50").stdout)
    assert hits and {h["report_id"] for h in hits} == {HULL}  # never Solihull
    typed = json.loads(run("search", "missing", "authority:solihul", "--json", "--limit", "50").stdout)
    assert typed and {h["report_id"] for h in typed} == {SOLIHULL}  # a near spelling finds its authority
    negated = json.loads(run("search", "missing", "-authority:hull", "--json", "--limit", "50").stdout)
    assert negated and HULL not in {h["report_id"] for h in negated}


def test_report_filter_by_authority_never_takes_in_a_longer_name(home):
    hits = json.loads(run("search", "report:derby", "health", "--json", "--limit", "50").stdout)
    assert hits and {h["report_id"] for h in hits} == {D}
    assert DERBYSHIRE in {
        h["report_id"] for h in json.loads(run("search", "report:derbyshire", "health", "--json").stdout)
    }
    refused(run("search", "report:derb", "health"), "Derby", "Derbyshire")  # which one: said, not guessed


@pytest.mark.parametrize(
    "args, words",
    [
        (["grade:9", "foo"], ["grade:9", "1-4"]),
        (["region:narnia", "foo"], ["narnia", "north-west"]),
        (["authority:atlantis", "foo"], ["atlantis"]),
        (["framework:ofsted", "foo"], ["framework:ofsted", "ilacs"]),
        (["foo", "--grade", "9"], ["grade:9"]),
        (["is:lovely", "foo"], ["is:lovely", "is:annotated"]),
    ],
)
def test_search_filters_that_mean_nothing_are_refused(home, args, words):
    refused(run("search", *args), *words)


def test_grades_region_that_is_none_is_refused_and_quoted_regions_work(home):
    refused(run("grades", "--latest", "--region", "narnia"), "no region called 'narnia'", "london")
    rows = json.loads(run("grades", "--latest", "--region", "north east", "--json").stdout)
    assert [r["authority"] for r in rows] == ["Gateshead"]
    assert "1 authority," in run("grades", "--latest", "--region", "north-east").stdout  # not "1 authorities"


def test_export_to_a_folder_that_does_not_exist_is_refused(home, tmp_path):
    target = tmp_path / "no" / "such" / "dir" / "x.md"
    refused(run("export", "-o", str(target)), "does not exist")
    assert not (tmp_path / "no").exists()


def test_compare_takes_what_search_and_open_take(home):
    result = run("compare", "barnsley", "wakef", "--section", "help and protection", "--json")
    assert result.returncode == 0, result.stderr
    columns = json.loads(result.stdout)["columns"]
    assert [c["report_id"] for c in columns] == ["barnsley-2018-10-19", "wakefield-2021-11-19"]
    refused(run("compare", "barnsley", "atlantis", "--section", "help"), "atlantis")


def test_every_option_has_help_and_there_is_a_version():
    from ofsted_reader import __version__
    from ofsted_reader.cli import build_parser

    def walk(parser, path):
        for action in parser._actions:
            if action.help is None and action.dest != "help" and not action.dest.endswith("command"):
                yield f"{path} {action.option_strings or action.dest}"
            choices = getattr(action, "choices", None)
            for name, sub in choices.items() if isinstance(choices, dict) else []:
                if hasattr(sub, "_actions"):
                    yield from walk(sub, f"{path} {name}")

    assert list(walk(build_parser(), "ofsted-reader")) == []
    version = run("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"ofsted-reader {__version__}"


def test_list_shows_whole_ids_both_dates_labelled_kinds_and_every_grade(home):
    result = run("list")
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and max(len(line) for line in lines) <= 132  # piped: one row a line, not 170
    header = next(line for line in lines if "Report id" in line)
    assert "Inspected" in header and "Published" in header
    rows = {line.split()[0]: line for line in lines if line.strip() and line.split()[0].count("-") >= 2}
    assert set(rows) >= {HULL, DERBYSHIRE, "doncaster-focused-visit-2024-07-26"}  # ids whole, never "doncaster-fo…"
    # An ILACS PDF prints no publication date: its Published cell says so, not its inspection date.
    derbyshire = rows[DERBYSHIRE].split()
    assert derbyshire[1:6] == ["Derbyshire", "ILACS", "8", "Aug", "2019"] and derbyshire[6] == "-"
    assert "focused visit" in rows["doncaster-focused-visit-2024-07-26"]  # a visit says it is one
    assert "Le O HP G IC O CL O" in rows[BLACKPOOL]  # no overall grade after April 2026: each judgement, named
    assert "not graded" not in result.stdout
    assert "Le leaders" in result.stdout  # the letters explained


def test_grades_matrix_has_no_empty_rows_for_visits(home):
    rows = json.loads(run("grades", "--json").stdout)
    assert rows and not any("focused-visit" in r["report_id"] for r in rows)
    assert all(r["judgements"] for r in rows)


def test_sif_citations_name_the_judgement_area(home, tmp_path):
    added = run("note", "add", f"{SEFTON}/p35", "--text", "Thresholds")
    assert added.returncode == 0, added.stderr
    exported = run("export")
    assert (
        "The experiences and progress of children who need help and protection (Requires improvement): "
        "Inspection findings" in exported.stdout
    )
