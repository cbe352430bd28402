"""The app, driven as a person would: keys in, screen state out."""

from __future__ import annotations

import pytest

from ofsted_reader.tui.dialogs.confirm import Confirm
from ofsted_reader.tui.dialogs.go_to import GoTo
from ofsted_reader.tui.dialogs.note_editor import NoteEditor
from ofsted_reader.tui.screens.authority import AuthorityScreen
from ofsted_reader.tui.widgets.library_tree import LibraryTree
from ofsted_reader.tui.widgets.notes_panel import NotesPanel
from ofsted_reader.tui.widgets.reader import Reader

from .conftest import D, W, make_app, open_at, opened_at, settle, told, type_in

HEALTH = f"{W}/safeguarding-services/safeguarding-outcomes-for-children-and-young-people/the-contribution-of-health-agencies-to-keeping-children-and-young-people-safe"


def reader(app) -> Reader:
    return app.query_one(Reader)


async def test_tree_lists_authorities_and_opens_a_section():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        tree = app.query_one(LibraryTree)
        assert app.focused is tree
        assert [node.data.authority for node in tree.root.children] == [
            "Derby",
            "Warwickshire",
            "Wiltshire",
            "Worcestershire",
        ]
        # Each authority leads with its latest overall grade: a 2009-2012 report's two, each with its service.
        assert str(tree.root.children[1].label).startswith(" SG G   LAC G  Warwickshire")
        await pilot.press("j", "enter")  # Warwickshire: its overview
        await pilot.pause()
        assert isinstance(app.screen, AuthorityScreen) and app.screen.found.name == "Warwickshire"
        await pilot.press("enter")  # its only inspection: opens at the first section
        await pilot.pause()
        assert app.main.report.id == W and app.focused is reader(app)
        assert reader(app).current.number == 1
        # Grades are shown as words on the tree's nodes.
        safeguarding = next(n for n in tree.root.children[1].children if str(n.label) == "Safeguarding services")
        overall = safeguarding.children[0]
        assert "Overall effectiveness" in str(overall.label) and "Good" in str(overall.label)


async def test_reader_keys_move_through_paragraphs_and_sections():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.main.open_place(W, f"{W}/safeguarding-services/overall-effectiveness")
        await pilot.pause()
        assert reader(app).current.number == 15
        await pilot.press("j", "j", "down")
        assert reader(app).current.number == 18
        await pilot.press("k")
        assert reader(app).current.number == 17
        await pilot.press("G")
        assert reader(app).current.number == 22
        await pilot.press("g")
        assert reader(app).current.number == 15
        await pilot.press("right_square_bracket")  # next section: Capacity for improvement
        await pilot.pause()
        assert app.main.section_id.endswith("capacity-for-improvement") and reader(app).current.number == 23
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert app.main.section_id.endswith("overall-effectiveness")
        await pilot.press("tab")
        assert app.focused is app.query_one(LibraryTree)
        await pilot.press("tab")
        assert app.focused is reader(app)


async def test_go_to_id_and_back_forward():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.main.open_place(W, f"{W}/about-this-inspection")
        await pilot.pause()
        await pilot.press("colon")
        assert isinstance(app.screen, GoTo)
        await pilot.press(*"71", "enter")
        await pilot.pause()
        assert reader(app).current.id == f"{W}/p71" and app.main.section_id == HEALTH
        await pilot.press("colon")
        await type_in(pilot, f"{D}/p29")
        await pilot.press("enter")
        await pilot.pause()
        assert reader(app).current.id == f"{D}/p29"
        await pilot.press("H")
        await pilot.pause()
        assert reader(app).current.id == f"{W}/p71"
        await pilot.press("H")
        await pilot.pause()
        assert reader(app).current.id == f"{W}/p1"
        await pilot.press("L", "L")
        await pilot.pause()
        assert reader(app).current.id == f"{D}/p29"
        await pilot.press("colon", *"nonsense", "enter")
        await pilot.pause()
        assert reader(app).current.id == f"{D}/p29"  # unchanged, with a warning


async def test_add_edit_tag_delete_and_undo_a_note():
    async with opened_at(f"{W}/p71") as (app, pilot):
        await pilot.press("a")
        assert isinstance(app.screen, NoteEditor)
        await type_in(pilot, "No flagging of *high risk* cases")
        await pilot.press("tab")
        await type_in(pilot, "health evidence")
        await pilot.press("ctrl+s")
        await pilot.pause()
        notes = app.store.for_paragraph(f"{W}/p71")
        assert [(n.text, n.tags) for n in notes] == [("No flagging of *high risk* cases", ["health", "evidence"])]
        assert reader(app).blocks[reader(app).cursor].notes  # marked in the gutter
        await pilot.press("e")
        await pilot.press("end", *" (SWFT)", "ctrl+s")
        await pilot.pause()
        assert app.store.for_paragraph(f"{W}/p71")[0].text.endswith("(SWFT)")
        await pilot.press("t")
        await pilot.press("ctrl+u")
        await type_in(pilot, "maternity")
        await pilot.press("enter")
        await pilot.pause()
        assert app.store.for_paragraph(f"{W}/p71")[0].tags == ["maternity"]
        await pilot.press("d")
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        assert app.store.for_paragraph(f"{W}/p71") == []
        await pilot.press("u")
        await pilot.pause()
        restored = app.store.for_paragraph(f"{W}/p71")
        assert len(restored) == 1 and restored[0].tags == ["maternity"]


async def test_tag_input_completes_from_existing_tags():
    async with opened_at(f"{W}/p71") as (app, pilot):
        app.store.add(app.main.report, f"{W}/p72", "earlier", ["safeguarding"])
        await pilot.pause()
        await pilot.press("a", *"note", "tab", *"saf")
        await pilot.pause()
        await pilot.press("right", "ctrl+s")  # right accepts the suggestion
        await pilot.pause()
        assert app.store.for_paragraph(f"{W}/p71")[0].tags == ["safeguarding"]


async def test_notes_panel_jumps_and_reattaches_orphans():
    async with opened_at(f"{W}/p71") as (app, pilot):
        report = app.main.report
        note = app.store.add(report, f"{W}/p120", "IRO independence", ["iro"])
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, NotesPanel)
        await pilot.press("enter")
        await pilot.pause()
        assert reader(app).current.id == f"{W}/p120"
        # Make it an orphan, then re-attach it to the paragraph under the cursor.
        from tinydb import Query

        app.store._db.table("notes").update({"orphan": True, "paragraph_id": None}, Query().id == note.id)
        await pilot.press("k")
        await pilot.press("ctrl+n", "down", "a")  # the panel opens on its filter: down to the list, where a attaches
        await pilot.pause()
        moved = app.store.get(note.id)
        assert not moved.orphan and moved.paragraph_id == f"{W}/p119"


async def test_copy_paragraph_with_citation():
    async with opened_at(f"{W}/p71") as (app, pilot):
        await pilot.press("y")
        assert app.main.last_copied.startswith("The domestic violence policy is adequately implemented")
        assert app.main.last_copied.endswith(
            "(Ofsted, Warwickshire: Inspection of safeguarding and looked after children services, 16 December 2011, paragraph 71, The contribution of health "
            "agencies to keeping children and young people safe (Adequate))"
        )


async def test_bookmarks_and_reopening_where_left():
    async with opened_at(f"{W}/p150") as (app, pilot):
        await pilot.press("m")
        await pilot.press("colon", *"10", "enter")
        await pilot.pause()
        await pilot.press("apostrophe", "enter")
        await pilot.pause()
        assert reader(app).current.id == f"{W}/p150"
    again = make_app()
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert reader(again).current.id == f"{W}/p150" and again.state.bookmarks == [f"{W}/p150"]


async def test_filter_narrows_the_tree():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f", *"wilt")
        await pilot.pause()
        tree = app.query_one(LibraryTree)
        assert [n.data.authority for n in tree.root.children] == ["Wiltshire"]
        await pilot.press("ctrl+u", *"being healthy")
        await pilot.pause()
        # Worcestershire's 2010 layout has no "Being healthy" heading: its outcomes are one section.
        assert [n.data.authority for n in tree.root.children] == ["Derby", "Warwickshire", "Wiltshire"]
        healthy = tree.root.children[0].children[0].children[0].children[0]
        assert str(healthy.label).endswith("Being healthy") and "Adequate" in str(healthy.label)
        await pilot.press("escape")
        assert app.query_one("#filter").value == ""
        await pilot.press("escape")
        assert app.focused is tree


async def test_help_screen_lists_keys():
    async with opened_at(f"{W}/p71", size=(100, 40)) as (app, pilot):
        await pilot.press("f1")
        await pilot.pause()
        screen = app.export_screenshot()
        assert "Reader" in screen and "Everywhere" in screen  # the focused pane's keys come first
        assert screen.index("Reader") < screen.index("Everywhere")
        for word in ("Next&#160;¶", "Copy", "Bookmark", "Go&#160;to", "Notes"):
            assert word in screen
        await pilot.press("escape")
        assert app.screen is app.screen_stack[0]


async def test_damaged_notes_file_does_not_stop_reading(isolated_home):
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "annotations.json").write_text("{broken")
    async with opened_at(f"{W}/p71") as (app, pilot):
        assert reader(app).current.number == 71
        await pilot.press("a", *"x", "ctrl+s")
        await pilot.pause()
        assert (isolated_home / "annotations.json").read_text() == "{broken"


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_snapshot_reader(snap_compare, size, isolated_home):
    async def run_before(pilot):
        await open_at(pilot, f"{W}/p71", HEALTH)
        pilot.app.store.add(pilot.app.main.report, f"{W}/p71", "No flagging of high-risk cases", ["health", "evidence"])
        pilot.app.main.refresh_blocks()
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_snapshot_note_dialog(snap_compare, size, isolated_home):
    from ofsted_reader.store.library.library import Library
    from ofsted_reader.store.notes.annotations import AnnotationStore

    # A note made before the app starts (its mark on p72, "1 note" in the title bar): one the app added itself would
    # be shown by the app's own refresh, and one added behind its back only by the watcher, a second later.
    AnnotationStore().add(Library.open().load(W), f"{W}/p72", "earlier", ["health"])

    async def run_before(pilot):
        await open_at(pilot, f"{W}/p71", HEALTH)
        await settle(pilot)
        await pilot.press("a")
        await type_in(pilot, "No flagging of high-risk cases at SWFT maternity services")
        await pilot.press("tab")
        await type_in(pilot, "evidence he")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_snapshot_first_run(snap_compare, size):
    async def run_before(pilot):
        await settle(pilot)  # the title bar's indexing progress gone

    assert snap_compare(make_app(first_run=True), terminal_size=size, run_before=run_before)


async def test_a_remapped_key_works_and_help_shows_it(isolated_home):
    import json

    from ofsted_reader.tui.screens.help import HelpScreen

    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "keymap.json").write_text(json.dumps({"app.bookmark": "b"}))
    async with opened_at(f"{W}/p71", size=(120, 40)) as (app, pilot):
        await pilot.press("b")  # the remapped key bookmarks
        assert any(f"{W}/p71" in str(mark) for mark in app.state.bookmarks)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        import io

        from rich.console import Console

        from ofsted_reader.tui.screens.help import bindings_table

        console = Console(width=120, record=True, file=io.StringIO())
        for title, bindings in app.screen.sections:
            console.print(bindings_table(title, bindings))
        lines = [" ".join(line.split()) for line in console.export_text().splitlines()]
        assert "b Bookmark" in lines and "m Bookmark" not in lines
        from ofsted_reader.tui.commands import _help

        assert _help(app, "bookmark", "") == "b"  # the command palette shows the remapped key too


def test_history_goes_back_and_forward_drops_what_was_ahead_and_keeps_the_newest_places():
    from ofsted_reader.tui.history import History, Visit

    history = History(limit=3)
    for n in range(5):
        history.push(Visit(f"r{n}", None, None))
    assert len(history) == 3 and history.current == Visit("r4", None, None)
    assert [history.back(), history.back(), history.back()] == [Visit("r3", None, None), Visit("r2", None, None), None]
    history.push(Visit("new", None, None))  # after going back, a new place drops r3 and r4
    assert history.forward() is None and [history.back(), history.back()] == [Visit("r2", None, None), None]


async def test_a_refused_delete_says_why_and_leaves_nothing_to_undo(isolated_home):
    from ofsted_reader.store.notes.locking import NotesLock

    async with opened_at(f"{W}/p71") as (app, pilot):
        app.store.add(app.main.report, f"{W}/p71", "keep me")
        app.main.refresh_blocks()
        app.store._lock.timeout = 0.2
        with NotesLock(isolated_home / "annotations.json.lock", timeout=1):  # another process is writing
            await pilot.press("d", "y")
            await pilot.pause()
        assert not app.main.notes.deleted and any("holding" in m for m in told(app))
        assert [n.text for n in app.store.for_paragraph(f"{W}/p71")] == ["keep me"]


async def test_a_paragraph_opened_deep_in_a_section_is_in_view_once_the_scrollbar_shows():
    """Opening a paragraph far down a long section: the reader wraps again when its scrollbar appears (two columns
    narrower), and the paragraph stays where it was opened, near the top, not pushed below the view."""
    async with opened_at(f"{W}/p83") as (app, pilot):
        await pilot.pause()
        view = reader(app)
        assert view.current.id == f"{W}/p83" and view.show_vertical_scrollbar
        start = view._starts[view.cursor]
        end = view._starts[view.cursor + 1] if view.cursor + 1 < len(view._starts) else len(view._lines)
        top, height = round(view.scroll_offset.y), view.scrollable_content_region.height
        assert top <= start and end <= top + height, (start, end, top, height)
