"""The CLI contract scripts rely on: `parse --json`, `list`, exit statuses and one-line errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from .conftest import PDFS, REPORTS, ROOT
from .conftest import run_cli as run

CONTRACT_KEYS = {
    "id",
    "source",
    "framework",
    "authority",
    "title",
    "published",
    "inspection_start",
    "inspection_end",
    "lead_inspector",
    "sections",
    "paragraphs",
    "judgements",
    "recommendations",
    "footnotes",
    "warnings",
    "authority_code",
    "report_type",
    "visits",
    "inspectors",
    "theme",
    "prior",
    "inspectorates",  # joint inspections of an area (JTAI, area SEND): empty or None for any other report
    "outcome",
    "next_inspection",
    "next_inspection_by",
    "source_url",
    "urn",
}


def test_parse_one_file_gives_one_object():
    result = run("parse", str(REPORTS / "derby-2011.txt"), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == CONTRACT_KEYS
    assert data["id"] == "derby-2011-06-27" and data["source"] == str(REPORTS / "derby-2011.txt")
    assert set(data["sections"][0]) == {"id", "title", "parent", "grade", "label"}
    assert set(data["paragraphs"][0]) == {"id", "number", "section", "text", "items", "page", "footnotes"}
    assert set(data["judgements"][0]) == {"service", "group", "name", "grade", "label"}
    assert set(data["recommendations"][0]) == {"service", "timescale", "text"}


def test_parse_directory_gives_json_lines_and_keeps_going_past_bad_files(tmp_path):
    folder = tmp_path / "in" / "nested"
    folder.mkdir(parents=True)
    for name in ("derby-2011.txt", "wiltshire-2012.txt"):
        shutil.copy(REPORTS / name, folder / name)
    shutil.copy(PDFS / "birmingham-2012-not-a-pdf.pdf", folder / "broken.pdf")
    (folder / "empty.txt").write_bytes(b"")
    result = run("parse", str(tmp_path / "in"), "--json")
    assert result.returncode == 2
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(o["authority"] for o in objects) == ["Derby", "Wiltshire"]
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2 and all(line.startswith("ofsted-reader: ") for line in errors)
    assert any("broken.pdf" in line and "HTML" in line for line in errors)
    assert "Traceback" not in result.stderr


def test_source_is_the_path_as_found_not_resolved(tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(REPORTS / "derby-2011.txt")
    data = json.loads(run("parse", str(link), "--json").stdout)
    assert data["source"] == str(link)


def test_missing_file_is_one_line_exit_2():
    result = run("parse", "no-such-report.txt", "--json")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "no-such-report.txt" in result.stderr


def test_list_shows_the_bundled_library():
    result = run("list")
    assert result.returncode == 0, result.stderr
    for authority in ("Derby", "Warwickshire", "Wiltshire", "Worcestershire"):
        assert authority in result.stdout
    # Both overall judgements of a 2009-2012 report, each with its service (Wiltshire and Worcestershire).
    assert "SG I LAC A" in result.stdout and "Grades: " in result.stdout
    rows = json.loads(run("list", "--json").stdout)
    assert [r["report_id"] for r in rows] == [
        "derby-2011-06-27",
        "warwickshire-2011-12-16",
        "wiltshire-2012-04-24",
        "worcestershire-2010-11-12",
    ]
    assert rows[1]["overall"] == [
        {"service": "safeguarding", "grade": 2, "label": "Good"},
        {"service": "looked_after", "grade": 2, "label": "Good"},
    ]
    # Each row carries the authority's identity and region, and every judgement's grade by its key.
    assert (rows[1]["authority_code"], rows[1]["region"], rows[1]["report_type"]) == (
        "937",
        "West Midlands",
        "inspection",
    )
    assert rows[1]["grades"]["overall"] == 2


@pytest.mark.subprocess
def test_output_cut_short_by_the_reader_is_not_an_error():
    """`parse ... --json | head -c 10`: the pipe closes under the writes (four reports, about 1 MB of JSON Lines);
    exit 0, no message, no traceback."""
    files = " ".join(str(p) for p in sorted(REPORTS.glob("*.txt")))
    result = subprocess.run(
        [
            "bash",
            "-c",
            f'{sys.executable} -m ofsted_reader.cli parse {files} --json | head -c 10; echo " ${{PIPESTATUS[0]}}"',
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.stdout == '{"id": "de 0\n' and result.stderr == ""


def test_each_command_group_registers_exactly_the_commands_the_parser_expects_of_it():
    """The parser builds only the named command's group (a quicker `search`): its table of groups must say what each
    module registers, or a command would be missing when named."""
    import argparse
    import importlib

    from ofsted_reader.cli.main import GROUPS, build_parser

    for group, commands in GROUPS.items():
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(f"ofsted_reader.cli.{group}").register(sub)
        assert tuple(sub.choices) == commands, group
        for command in commands:
            assert command in build_parser([command]).format_help()
    every = build_parser([]).format_help()
    assert all(command in every for commands in GROUPS.values() for command in commands)
