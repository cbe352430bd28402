"""Exported notes: golden Markdown, a structure markdown-it-py can read back, CSV, and CLI filters."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import replace
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from textual.widgets import Input, TextArea

from ofsted_reader.core.export import collect, to_csv, to_markdown
from ofsted_reader.store.library.library import Library
from ofsted_reader.store.notes.anchoring import paragraph_text
from ofsted_reader.store.notes.annotations import AnnotationStore

from .conftest import D, W, make_app, run_cli

GOLDEN = Path(__file__).parent / "data" / "golden"
NASTY = "Pipes | a | b |, *stars*, `code`\n\n# not a heading\n> not a quote\n\n```\nunclosed fence\n\n---"


@pytest.fixture
def notes():
    library = Library.open()
    store = AnnotationStore()
    made = [
        store.add(library.load(W), f"{W}/p71", "No *flagging* of high-risk cases.", ["health", "evidence"]),
        store.add(
            library.load(W),
            f"{W}/p37",
            "Private fostering monitored",
            ["fostering"],
            quote="regular monitoring of private fostering arrangements",
        ),
        store.add(library.load(D), f"{D}/p29", NASTY, ["evidence"]),
        store.add(library.load(D), f"{D}/p30", "Careline out of hours", []),
    ]
    # Fixed ids and times so the output is byte-for-byte stable.
    made = [
        replace(
            note, id=f"note{n}", created=f"2026-01-0{n + 1}T10:00:00+00:00", updated=f"2026-01-0{n + 1}T10:00:00+00:00"
        )
        for n, note in enumerate(made)
    ]
    # As reanchor_report leaves a whole-paragraph note whose paragraph went: the old paragraph's full text as quote.
    p30 = library.load(D).paragraph(f"{D}/p30")
    assert p30 is not None
    orphan = replace(
        made[3],
        id="note9",
        orphan=True,
        paragraph_id=None,
        span=None,
        text="Orphaned thought",
        tags=["evidence"],
        quote=paragraph_text(p30),
    )
    return made + [orphan], library


def loader(library):
    return lambda rid: library.load(rid) if library.entry(rid) else None


@pytest.mark.parametrize("group_by", ["report", "tag", "section"])
def test_golden_markdown(notes, group_by):
    made, library = notes
    text = to_markdown(collect(made, loader(library)), group_by, "2026-11-22T00:00:00+00:00")
    golden = GOLDEN / f"export-by-{group_by}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def headings(text):
    tokens = MarkdownIt("commonmark").parse(text)
    return [(tokens[i].tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]


def test_structure_survives_nasty_notes(notes):
    made, library = notes
    text = to_markdown(collect(made, loader(library)), "report", "2026-11-22T00:00:00+00:00")
    body = text.split("---\n", 2)[2]  # after the front matter
    assert headings(body) == [
        ("h1", "Notes from Ofsted reports"),
        ("h2", "Derby (27 June 2011)"),
        ("h3", "Safeguarding services"),
        ("h4", "Quality of provision (Adequate)"),
        ("h2", "Warwickshire (16 December 2011)"),
        ("h3", "Safeguarding services"),
        ("h4", "Children and young people are safe and feel safe (Good)"),
        ("h4", "The contribution of health agencies to keeping children and young people safe (Adequate)"),
        ("h2", "Orphaned notes"),
        ("h2", "Sources"),  # each cited report's source and publication date, with the Crown copyright notice
    ]
    tokens = MarkdownIt("commonmark").parse(body)
    quotes = [t for t in tokens if t.type == "blockquote_open"]
    assert len(quotes) == 5  # one per note, the nasty note's "> not a quote" stayed text
    inline = " ".join(t.content for t in tokens if t.type == "inline")
    assert "# not a heading" in inline and "> not a quote" in inline and "unclosed fence" in inline
    assert (
        "— Ofsted, Warwickshire: Inspection of safeguarding and looked after children services, 16 December 2011, paragraph 71, The contribution of health agencies to keeping "
        "children and young people safe (Adequate)" in inline
    )
    assert "#health #evidence" in inline
    # No empty headings: every heading is followed by content before the next heading of the same or higher level.
    assert "Careline out of hours" in inline


def test_front_matter_counts(notes):
    made, library = notes
    text = to_markdown(
        collect(made, loader(library), tags=["evidence"]), "report", "2026-11-22T00:00:00+00:00", {"tags": ["evidence"]}
    )
    front = text.split("---\n")[1]
    assert 'tags: ["evidence"]' in front and "notes: 3" in front and "orphans: 1" in front


def test_csv_one_row_per_note(notes):
    made, library = notes
    rows = list(csv.DictReader(io.StringIO(to_csv(collect(made, loader(library))))))
    assert [r["id"] for r in rows] == ["note2", "note3", "note1", "note0", "note9"]
    assert rows[0]["note"] == NASTY and rows[0]["paragraph_number"] == "29" and rows[0]["grade"] == "Adequate"
    assert rows[2]["quote"] == "regular monitoring of private fostering arrangements"
    assert rows[-1]["orphan"] == "yes"


def test_cli_export_filters_and_files(tmp_path, notes):
    run = lambda *a: run_cli("export", *a)
    result = run("--tag", "fostering")
    assert result.returncode == 0 and "Private fostering monitored" in result.stdout
    assert "high-risk" not in result.stdout
    result = run("--report", D, "--group-by", "tag", "-o", str(tmp_path / "out.md"))
    text = (tmp_path / "out.md").read_text()
    assert result.returncode == 0 and "## #evidence" in text and "Warwickshire" not in text
    run("-o", str(tmp_path / "notes.csv"))
    assert (tmp_path / "notes.csv").read_text().startswith("id,report_id,authority")


async def test_export_from_the_app_with_preview(tmp_path, notes):
    from ofsted_reader.tui.screens.export import ExportScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        preview = app.screen.query_one("#export-preview", TextArea).text
        assert preview.startswith("---\ngenerated:") and "## Warwickshire (16 December 2011)" in preview
        await pilot.press("ctrl+g")
        assert "## #fostering" in app.screen.query_one("#export-preview", TextArea).text
        target = tmp_path / "mine.md"
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert target.read_text().count("## #") >= 2 and app.screen is app.screen_stack[0]


def test_raw_html_and_comments_in_notes_do_nothing_in_markdown_and_formulas_nothing_in_csv(notes):
    made, library = notes
    made[0] = replace(made[0], text="<script>alert(1)</script> and <img src=x onerror=alert(2)>")
    made[1] = replace(made[1], text="a thought that ends in a comment <!--")
    made[3] = replace(made[3], text='=HYPERLINK("http://x.test","x")')
    text = to_markdown(collect(made, loader(library)), "report", "2026-11-22T00:00:00+00:00")
    tokens = MarkdownIt("commonmark").parse(text.split("---\n", 2)[2])
    html = [t for t in tokens if t.type in {"html_block", "html_inline"}]
    html += [c for t in tokens if t.children for c in t.children if c.type == "html_inline"]
    assert html == []  # nothing a renderer would pass through as HTML
    inline = " ".join(t.content for t in tokens if t.type == "inline")
    # The comment hides nothing: every later note is still there, and the text shows as typed.
    assert "Orphaned thought" in inline and "&lt;!--" in text and "&lt;script>" in text
    rows = list(csv.DictReader(io.StringIO(to_csv(collect(made, loader(library))))))
    assert next(r for r in rows if r["id"] == "note3")["note"].startswith("'=HYPERLINK")
