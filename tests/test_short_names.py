"""Short names where space is short, at 80 columns: a judgement's section by its short name in the reader's heading
(never cut where the titles differ), and the grades matrix with the authority in a fixed first column and grades as
letters with their legend (never "Requires im")."""

from __future__ import annotations

from textual.widgets import DataTable

from ofsted_reader.core.judgements import short_section_title
from ofsted_reader.tui.screens.matrix import MatrixScreen

from .conftest import make_app, open_at, settle

B = "barnsley-2023-09-15"


def test_each_framework_s_judgement_sections_have_a_short_name():
    assert short_section_title("The experiences and progress of children who need help and protection") == (
        "Help and protection"
    )
    assert short_section_title("The experiences and progress of children in care") == "In care"
    assert short_section_title("The experiences and progress of care leavers") == "Care leavers"
    assert short_section_title("The impact of leaders on social work practice with children and families") == "Leaders"
    assert short_section_title("Leadership, management and governance") == "Leaders"
    assert short_section_title("Children looked after and achieving permanence") == "In care"
    assert short_section_title("What needs to improve in this area of social work practice") is None


async def test_the_reader_heading_at_80_columns_names_the_section_by_its_short_name(library):
    app = make_app(library, first_run=False)
    async with app.run_test(size=(80, 24)) as pilot:
        report = library.load(B)
        section = next(s for s in report.sections if s.title.lower().endswith("need help and protection"))
        paragraph = next(p for p in report.paragraphs if p.section == section.id and p.number)
        await open_at(pilot, paragraph.id)
        await settle(pilot)
        heading = str(app.query_one("#section-title").render())
        assert "Help and protection" in heading and "The experiences and progress of" not in heading
        assert heading.rstrip().endswith(f"¶{paragraph.number}")


async def test_the_matrix_at_80_columns_shows_grades_as_letters_with_the_authority_fixed(library):
    app = make_app(library, first_run=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("M", "h")
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)
        table = app.screen.query_one(DataTable)
        cells = [str(cell).strip() for row in range(table.row_count) for cell in table.get_row_at(row)[2:]]
        assert "RI" in cells and not any(cell.startswith("Requires") for cell in cells)
        assert table.fixed_columns == 1 and str(table.get_row_at(0)[0]) == "Barking and Dagenham"
        legend = str(app.screen.query_one("#matrix-legend").render())
        assert "RI requires improvement" in legend
        await pilot.press("right", "right", "right", "right", "right")  # scrolled right, the authority stays
        await settle(pilot)
        assert table.scroll_x > 0
        screen = app.export_screenshot()
        assert "Barking&#160;and&#160;Dagenham" in screen


async def test_the_code_table_at_80_columns_keeps_the_codes_fixed_and_says_what_grade_counts():
    from textual.widgets import Static

    from .test_codebook_screen import coded_library, open_codebook

    coded_library()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_codebook(pilot, "practice")
        await pilot.press("T")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.fixed_columns == 1
        await pilot.press("b", "b")  # by region, then by grade
        await settle(pilot)
        legend = str(app.screen.query_one("#codetable-legend", Static).render())
        assert "overall grade of their report" in legend and "codes under it" in legend


def test_snapshot_code_table_by_grade_at_80_columns(snap_compare):
    from .test_codebook_screen import coded_library, open_codebook

    coded_library()

    async def run_before(pilot):
        await open_codebook(pilot, "practice")
        await pilot.press("T", "b", "b")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


async def test_the_latest_grades_at_80_columns_keep_the_region_and_every_grade_whole(library):
    from ofsted_reader.tui.screens.grades import GradesScreen

    app = make_app(library, first_run=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        assert isinstance(app.screen, GradesScreen)
        table = app.screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()][:3] == ["Authority", "Region", "Inspected"]
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= 80  # nothing past the edge
        cells = [str(cell).strip() for row in range(table.row_count) for cell in table.get_row_at(row)[3:]]
        assert "RI" in cells and "R" not in cells
