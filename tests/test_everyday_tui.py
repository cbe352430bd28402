"""The app as a new user meets it over an afternoon (issue 23), driven with the keyboard: filters that mean what they
say, editing that keeps what was typed, screens that fit 80x24, navigation that comes back where it left."""

from __future__ import annotations

import re

import pytest
from textual.widgets import DataTable, Input, OptionList, TextArea

from ofsted_reader.host import locations
from ofsted_reader.tui.dialogs.chooser import Chooser
from ofsted_reader.tui.dialogs.confirm import Confirm
from ofsted_reader.tui.dialogs.multi_chooser import MultiChooser
from ofsted_reader.tui.dialogs.note_editor import NoteEditor
from ofsted_reader.tui.screens.authority import AuthorityScreen
from ofsted_reader.tui.screens.grades import GradesScreen
from ofsted_reader.tui.screens.help import HelpScreen
from ofsted_reader.tui.screens.matrix import MatrixScreen
from ofsted_reader.tui.widgets.key_bar import KeyBar
from ofsted_reader.tui.widgets.library_tree import LibraryTree
from ofsted_reader.tui.widgets.notes_panel import NotesPanel
from ofsted_reader.tui.widgets.reader import Reader

from .conftest import W, imported_home, library_in, make_app, opened_at, told, type_in
from .everyday_library import FILES, SEFTON


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return imported_home(tmp_path_factory, "everyday-tui", FILES)


@pytest.fixture
def library(isolated_home, template):
    return library_in(isolated_home, template)


def screen_text(app) -> str:
    """What the terminal shows, as plain lines."""
    return "\n".join(
        "".join(segment.text for segment in line) for line in app.screen._compositor.render_update(full=True).strips
    )


def tree_rows(app) -> list[str]:
    return [node.data.authority for node in app.query_one(LibraryTree).root.children]


async def filter_tree(pilot, typed: str) -> None:
    await pilot.press("f", "ctrl+u")
    pilot.app.query_one("#filter", Input).insert_text_at_cursor(typed)
    await pilot.pause()


# --- wrong results ---


async def test_tree_filter_forgives_typos_takes_quoted_regions_and_never_matches_inside_a_name(library):
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await filter_tree(pilot, "hamersmith")
        assert tree_rows(app) == ["Hammersmith and Fulham"]
        await filter_tree(pilot, 'region:"north east"')
        assert tree_rows(app) == ["Gateshead"]
        await filter_tree(pilot, "hull")
        assert tree_rows(app) == ["Kingston upon Hull"]  # not Solihull
        await filter_tree(pilot, "derby -region:london")
        assert tree_rows(app) == ["Derby"]  # not Derbyshire
        title = str(app.query_one("#titlebar").render())
        assert "1 of 17 reports" in title and "0 notes" in title  # the count the filter leaves
        await filter_tree(pilot, "region:narnia")
        assert "no region called 'narnia'" in str(app.query_one("#tree-status").render())


async def test_o_in_the_tree_opens_the_authority_under_the_cursor(library):
    async with opened_at(f"{W}/p71", size=(120, 40), library=library) as (app, pilot):
        await pilot.press("tab")  # to the tree
        tree = app.query_one(LibraryTree)
        tree.cursor_line = next(n.line for n in tree.root.children if n.data.authority == "Gateshead")
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, AuthorityScreen) and app.screen.found.name == "Gateshead"


async def test_overview_of_an_authority_with_only_visits_says_so(library):
    app = make_app(library)
    async with app.run_test(size=(160, 48)) as pilot:
        app.main.show_authority("Barnsley")
        await pilot.pause()
        neighbours = app.screen.query_one("#authority-neighbours")
        doncaster = next(
            str(neighbours.get_option_at_index(i).prompt)
            for i in range(neighbours.option_count)
            if neighbours.get_option_at_index(i).id == "Doncaster"
        )
        assert "not in the library" not in doncaster and "no inspection in the library (2 visits)" in doncaster
        app.main.show_authority("Doncaster")
        await pilot.pause()
        improve = str(app.screen.query_one("#authority-improve").render())
        assert "no inspection in the library" not in improve
        assert "latest focused visit, 27 Jun 2024" in improve and "•" in improve  # what the visit asked
        heading = str(app.screen.query_one("#authority-heading").render())
        assert "No full inspection in the library: 2 reports" in heading


async def test_one_date_style_in_tree_and_overview(library):
    app = make_app(library)
    async with app.run_test(size=(160, 48)) as pilot:
        barnsley = next(n for n in app.query_one(LibraryTree).root.children if n.data.authority == "Barnsley")
        barnsley.expand()  # its reports' rows are added when it opens
        await pilot.pause()
        rows = [str(n.label) for n in barnsley.children]
        assert "25 Jun 2014" in rows[1] and "19 Oct 2018" in str(barnsley.label)  # not "2018" nor "8 August 2014"
        app.main.show_authority("Barnsley")
        await pilot.pause()
        inspections = app.screen.query_one("#authority-inspections")
        shown = [str(inspections.get_option_at_index(i).prompt) for i in range(inspections.option_count)]
        assert shown[2].startswith("25 Jun 2014")  # the same date as the tree, in the same style
        assert not any(re.search(r"\d{4}-\d\d-\d\d", row) for row in shown)


# --- lost typing ---


async def test_tags_are_kept_when_typing_more_and_tab_completes(library):
    async with opened_at(f"{W}/p71", library=library) as (app, pilot):
        app.store.add(app.main.report, f"{W}/p71", "Flagging", ["evidence", "fostering"])
        app.main.refresh_blocks()
        await pilot.pause()
        await pilot.press("t")
        await type_in(pilot, "strength")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store.for_paragraph(f"{W}/p71")[0].tags == ["evidence", "fostering", "strength"]
        await pilot.press("a", "tab")  # a new note: to its tag line
        await type_in(pilot, "fos")
        await pilot.pause()
        await pilot.press("tab")  # takes the completion shown, and stays on the tag line
        tags = app.screen.query_one("#note-tags", Input)
        assert tags.value == "fostering " and app.focused is tags


async def test_edit_starts_at_the_end_of_the_text(library):
    async with opened_at(f"{W}/p71", library=library) as (app, pilot):
        app.store.add(app.main.report, f"{W}/p71", "First line\nsecond line", [])
        app.main.refresh_blocks()
        await pilot.press("e")
        await type_in(pilot, " and more")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store.for_paragraph(f"{W}/p71")[0].text == "First line\nsecond line and more"


async def test_two_notes_on_a_paragraph_each_show_their_own_tags(library):
    async with opened_at(f"{W}/p71", size=(120, 40), library=library) as (app, pilot):
        app.store.add(app.main.report, f"{W}/p71", "Alpha words", ["first"])
        app.store.add(app.main.report, f"{W}/p71", "Beta words", ["second"])
        app.main.refresh_blocks()
        await pilot.pause()
        lines = screen_text(app).splitlines()
        alpha = next(line for line in lines if "Alpha words" in line)
        beta = next(line for line in lines if "Beta words" in line)
        assert "#first" in alpha and "#second" not in alpha and "#second" in beta


async def test_export_asks_before_replacing_a_file(library):
    async with opened_at(f"{W}/p71", library=library) as (app, pilot):
        app.store.add(app.main.report, f"{W}/p71", "Evidence", [])
        await pilot.press("x", "ctrl+s")
        await pilot.pause()
        saved = next((locations.data_dir() / "exports").glob("notes-*.md"))
        saved.write_text("mine")
        await pilot.press("x", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await pilot.pause()
        assert saved.read_text() == "mine"


# --- cut off ---


async def test_note_dialog_actions_and_the_key_bar_fit_80_by_24(library):
    async with opened_at(f"{W}/p71", size=(80, 24), library=library) as (app, pilot):
        bar = app.screen.query_one(KeyBar)
        line = bar.line()
        assert line.cell_len <= 80 and "Help" in line.plain and "Search" in line.plain and "Note" in line.plain
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        actions = app.screen.query_one(".dialog-actions")
        assert actions.region.bottom <= 24 and actions.region.height >= 1
        assert "ctrl+s save" in screen_text(app)


async def test_latest_grades_at_80_columns_show_every_judgement_with_a_legend(library):
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("M")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert sum(column.get_render_width(table) for column in table.columns.values()) <= 80
        text = screen_text(app)
        assert "Outstandi" not in text and "Req. impr" not in text
        assert "HP help and protection" in text and "RI requires improvement" in text


async def test_matrix_headers_are_distinct_whole_words_with_a_legend(library):
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        app.main.action_history_matrix()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        while screen.query_one(DataTable).columns and screen.rows[0]["framework"] != "sif":
            await pilot.press("f")
        headers = [str(c.label) for c in screen.query_one(DataTable).columns.values()]
        assert len(headers) == len(set(headers)) and not any(h.startswith("The experiences") for h in headers)
        assert "Help" in headers and "Leavers" in headers
        legend = str(screen.query_one("#matrix-legend").render())
        assert "Help: Children who need help and protection" in legend and "LSCB: LSCB" not in legend


async def test_overview_headers_are_never_cut_inside_a_word(library):
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        app.main.show_authority("Barnsley")
        await pilot.pause()
        text = screen_text(app)
        assert not re.search(r"Care le\b|Adoptio\b", text)
        assert "Leavers" in text and "Leavers care leavers" in text  # shortened, and said what it is


async def test_reader_heading_keeps_the_paragraph_number_and_text_keeps_a_measure(library):
    async with opened_at(f"{SEFTON}/p35", size=(80, 24), library=library) as (app, _):
        heading = str(app.query_one("#section-title").render())
        assert heading.rstrip().endswith("¶35") and "Sefton" in heading
    async with opened_at(f"{W}/p71", size=(200, 50), library=library) as (app, _):
        reader = app.query_one(Reader)
        lines = [
            line for line in screen_text(app).splitlines() if "George Eliot" in line or "domestic violence" in line
        ]
        start = reader.region.x
        for line in lines:
            text = line[start : start + reader.region.width]
            assert len(text.strip()) <= 100  # not ~135 characters a line
            assert len(text) - len(text.lstrip()) >= 10  # centred in the reader, not at its left edge


async def test_compare_header_rules_line_up_and_the_picker_marks_picks(library):
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        app.main.open_place("barnsley-2018-10-19")
        await pilot.pause()
        section = next(s for s in app.main.report.sections if "help and protection" in s.title.lower())
        app.main.open_place("barnsley-2018-10-19", section.id)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, MultiChooser)
        await pilot.press("down", "space")
        await pilot.pause()
        rows = [line for line in screen_text(app).splitlines() if "Yorkshire and the Humber)" in line]
        assert len(rows) >= 2 and not any("▐X▌" in row for row in rows)  # an unpicked row shows no mark
        assert [row for row in rows if "▐✓▌" in row] == rows[:1]  # the picked one does: in a character, not colour
        await pilot.press("enter")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if "Barnsley" in line and "│" in line)
        body = next(line for line in lines[lines.index(header) + 1 :] if "│" in line)
        assert header.index("│") == body.index("│")


async def test_search_results_cut_section_titles_at_a_word(library):
    from ofsted_reader.core.search.engine import Doc, Hit
    from ofsted_reader.tui.screens.search import hit_label

    title = "The experiences and progress of children looked after and achieving permanence in the authority area"
    doc = Doc("x/p1", "x-2016-01-01", "X", 1, "s", title, 3, "sif", None, "text", [])
    shown = hit_label(Hit(doc, 1.0, [])).plain.splitlines()[0]
    tail = shown.split("  ")[1]
    assert tail.endswith("…") and title.startswith(tail[:-1]) and title[len(tail) - 1] == " "


# --- navigation ---


async def test_escape_from_an_overview_opened_from_the_grades_returns_to_them_filtered(library):
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("M", "slash")
        await type_in(pilot, "region:yorks")
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AuthorityScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GradesScreen)
        assert app.screen.query_one("#grades-filter", Input).value == "region:yorks"
        assert {r.authority for r in app.screen.rows} == {"Barnsley", "Kingston upon Hull", "Wakefield"}
        await pilot.press("s")
        await pilot.pause()
        headers = [str(c.label) for c in app.screen.query_one(DataTable).columns.values()]
        assert "Overall ▼" in headers  # the sorted column, and which way
        assert "worst first" in str(app.screen.query_one("#grades-title").render())


async def test_bookmarks_show_their_keys_and_can_be_removed(library):
    async with opened_at(f"{W}/p71", library=library) as (app, pilot):
        await pilot.press("m", "apostrophe")
        await pilot.pause()
        assert isinstance(app.screen, Chooser) and "d remove" in screen_text(app)
        await pilot.press("d")
        await pilot.pause()
        assert app.main.state.bookmarks == [] and "No bookmarks yet" in screen_text(app)


async def test_notes_panel_takes_typing_at_once_and_cites_readably(library):
    async with opened_at(f"{W}/p71", size=(120, 30), library=library) as (app, pilot):
        app.store.add(app.main.report, f"{W}/p71", "Flagging", ["evidence"])
        app.store.add(app.main.report, f"{W}/p72", "Other", ["health"])
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NotesPanel)
        await type_in(pilot, "#evidence")
        panel = app.screen.query_one("#notes-list", OptionList)
        assert panel.option_count == 1
        assert "Warwickshire, 11 Nov 2011, paragraph 71" in str(panel.get_option_at_index(0).prompt)
        await pilot.press("ctrl+u")
        await type_in(pilot, "report:warwick -tag:evidence")
        assert panel.option_count == 1 and "Other" in str(panel.get_option_at_index(0).prompt)


async def test_help_scrolls_with_j_and_k(library):
    async with opened_at(f"{W}/p71", size=(80, 24), library=library) as (app, pilot):
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        scroller = app.screen.query_one("#dialog")
        assert scroller.max_scroll_y > 0
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert scroller.scroll_y == 3
        await pilot.press("G")
        await pilot.pause()
        assert scroller.scroll_y == scroller.max_scroll_y and "keymap.json" in screen_text(app)


async def test_ctrl_c_says_how_to_quit_in_plain_words(library):
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause()
        messages = told(app)
        assert messages and not any("[b]" in m for m in messages)


# --- quotes ---


async def test_choosing_a_quote_with_the_keyboard_and_noting_it(library):
    async with opened_at(f"{W}/p71", size=(120, 40), library=library) as (app, pilot):
        reader = app.query_one(Reader)
        await pilot.press("v")
        assert reader.quote == "The domestic violence policy is adequately implemented at SWFT maternity services"[
            :0
        ] + (reader.quote or "")
        first = reader.quote
        assert first and first.startswith("The domestic violence policy") and first.endswith(".")
        await pilot.press("right_parenthesis")  # a sentence more
        assert reader.quote.startswith(first) and len(reader.quote) > len(first)
        await pilot.press("left_parenthesis", "b", "b")  # back to the first sentence, less two words
        assert reader.quote == " ".join(first.split()[:-2])
        await pilot.press("W")  # start a word later
        quote = reader.quote
        assert quote == " ".join(first.split()[1:-2])
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor) and quote[:30] in str(app.screen.query_one("#dialog-title").render())
        await type_in(pilot, "On the quote")
        await pilot.press("ctrl+s")
        await pilot.pause()
        note = app.store.for_paragraph(f"{W}/p71")[0]
        assert note.quote == quote and note.span is not None  # anchored on the quote, as `note add --quote` does
        assert reader.quote is None  # the selection gave way to the note's quote, shown underlined
        assert any(f"“{quote[:10]}" in line for line in screen_text(app).splitlines())


async def test_escape_drops_a_quote_then_backs_out_as_before(library):
    async with opened_at(f"{W}/p71", library=library) as (app, pilot):
        await pilot.press("v")
        assert app.query_one(Reader).quote
        await pilot.press("escape")
        assert app.query_one(Reader).quote is None and isinstance(app.focused, Reader)
        await pilot.press("escape")
        assert isinstance(app.focused, LibraryTree)


async def test_note_editor_text_area_is_usable_at_80_by_24(library):
    async with opened_at(f"{W}/p71", size=(80, 24), library=library) as (app, pilot):
        await pilot.press("a")
        await pilot.pause()
        area = app.screen.query_one("#note-text", TextArea)
        assert area.region.height >= 3 and area.region.bottom <= app.screen.query_one(".dialog-actions").region.y
