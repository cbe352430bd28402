"""What the app and the command line say is what they do: an export of nothing refused, a report dated as it is, a
size error about the size, one month for a report in both grade tables, authority names whole when piped, compare
cells cut at a word with a mark, the codebook table's grade labelled, the export dialog naming the format chosen,
a copy saying how it was made, and a citation naming Ofsted, the report and where in it."""

from __future__ import annotations

import os
import re
import stat

import pytest
from textual.widgets import Label, TextArea

from ofsted_reader.tui.screens.export import ExportScreen

from .conftest import INSPECTIONS, PDFS, W, make_app, opened_at, settle, told


def test_an_export_of_a_tag_no_note_has_is_refused_and_writes_nothing(cli, tmp_path):
    cli("note", "add", f"{W}/p71", "--text", "evidence of drift", "--tag", "drift")
    out = tmp_path / "notes.md"
    result = cli("export", "--tag", "nosuchtag", "-o", out)
    assert result.returncode == 2 and not out.exists()
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("ofsted-reader: ")
    assert "nosuchtag" in result.stderr and "tag list" in result.stderr
    assert cli("export", "--tag", "drift", "-o", out).returncode == 0 and "evidence of drift" in out.read_text()


def test_parse_dates_a_report_that_prints_no_publication_date_by_its_inspection(cli):
    barnsley = next(INSPECTIONS.glob("*arnsley*"))
    result = cli("parse", barnsley)
    assert result.returncode == 0
    first = result.stdout.splitlines()[0]
    assert "undated" not in first and "Barnsley (inspected 15 September 2023)" in first


def test_a_map_size_too_small_is_said_as_a_size_problem(cli):
    result = cli("map", "--size", "10x5")
    assert result.returncode == 2 and "--size '10x5'" in result.stderr
    assert "give a name" not in result.stderr


def test_both_grade_tables_date_a_report_by_the_month_its_inspection_ended(cli):
    every = next(line for line in cli("grades").stdout.splitlines() if line.strip().startswith("Derby"))
    latest = next(line for line in cli("grades", "--latest").stdout.splitlines() if line.strip().startswith("Derby"))
    assert "2011-05" in every and "2011-05" in latest  # inspected May 2011, published June 2011


def test_a_piped_list_never_cuts_an_authoritys_name(cli):
    assert cli("import", PDFS / "north-northamptonshire-2022.pdf").returncode == 0
    listed = cli("list").stdout
    assert "North Northamptonshire " in listed and "North Northampto…" not in listed
    assert "…" not in listed


def test_compare_cuts_a_long_paragraph_at_a_word_and_marks_the_cut(cli):
    from ofsted_reader.store.library.library import Library

    result = cli("compare", "derby", "warwickshire", "--section", "being healthy")
    assert result.returncode == 0
    text = Library.open().load(W).paragraph(f"{W}/p127").text
    cells = " ".join(line.split("│")[2].strip() for line in result.stdout.splitlines() if line.count("│") == 3)
    start = cells.index("127. ") + len("127. ")
    shown = cells[start : cells.index("…", start)]
    assert text.startswith(shown) and text[len(shown)] == " "  # cut between words, and marked


def test_the_codebook_table_by_grade_says_it_counts_the_reports_overall_grade(cli):
    cli("note", "add", f"{W}/p71", "--text", "x", "--tag", "health")
    table = cli("codebook", "table", "--by", "grade").stdout
    assert "overall grade of their report" in table and "section-grade" in table


def test_a_citation_names_ofsted_the_report_its_date_paragraph_and_page_and_links_the_page():
    from ofsted_reader.core.citation import citation
    from ofsted_reader.store.library.library import Library

    report = Library.open().load(W)
    assert citation(report, report.paragraph(f"{W}/p71") or report.paragraphs[0]).startswith(
        "Ofsted, Warwickshire: Inspection of safeguarding and looked after children services, 16 December 2011, "
        "paragraph 71, "
    )
    from ofsted_reader.importers import parse_file

    bury = parse_file(PDFS / "bury-2021.pdf")
    bury.source_url = "https://files.ofsted.gov.uk/v1/file/1"
    first = next(p for p in bury.paragraphs if p.number == 1)
    cited = citation(bury, first)
    assert cited.startswith("Ofsted, Inspection of Bury local authority children’s services, inspected 5 November")
    assert ", paragraph 1, p. 2, " in cited and cited.endswith("https://files.ofsted.gov.uk/v1/file/1#page=2")


async def test_the_export_dialog_names_and_previews_the_format_chosen():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.store.add(app.library.load(W), f"{W}/p71", "evidence of drift", ["drift"])
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        title = app.screen.query_one("#dialog-title", Label)
        assert str(title.render()) == "Export notes to Markdown"
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert str(title.render()) == "Export notes to CSV (a spreadsheet)"
        assert app.screen.query_one("#export-preview", TextArea).text.startswith("id,report_id,")
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert "REFI-QDA project" in str(title.render())
        assert "# " not in app.screen.query_one("#export-preview", TextArea).text  # no Markdown shown for a .qdpx


def _fake_tool(folder, name: str, log) -> None:
    tool = folder / name
    tool.write_text(f"#!/bin/sh\n/bin/cat > {log}\n")
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)


@pytest.mark.parametrize("installed", [True, False])
async def test_copy_says_which_clipboard_took_it_or_that_none_may_have(tmp_path, monkeypatch, installed):
    tools = tmp_path / "bin"
    tools.mkdir()
    log = tmp_path / "clipboard.txt"
    if installed:
        _fake_tool(tools, "xclip", log)
    monkeypatch.setenv("PATH", str(tools))
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    async with opened_at(f"{W}/p71") as (app, pilot):
        await pilot.press("y")
        await settle(pilot)
        said = " ".join(told(app))
        if installed:
            assert "copied to the system clipboard (xclip)" in said and "OSC 52" in said
            assert log.read_text().startswith("The domestic violence policy")
            assert "(Ofsted, Warwickshire: " in log.read_text()
        else:
            assert "Copied" not in said and "may not have been copied" in said and "set-clipboard" in said
    assert os.environ.get("PATH") == str(tools)


def test_the_compare_command_dates_its_columns_as_people_do(cli):
    result = cli("compare", "derby", "warwickshire", "--section", "being healthy")
    assert re.search(r"Derby \(27 June 2011\)", result.stdout)
