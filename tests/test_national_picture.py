"""The national picture over the national set the app ships (every authority's latest inspection and the visits
since): the map of England by grade, grades by year, and each authority's improvement trail, on the command line
and in the app."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections import Counter

import pytest

from ofsted_reader.core import authorities, latest, national_map, stocks, trail, trends
from ofsted_reader.core.dates import short_date
from ofsted_reader.core.latest import latest_rows
from ofsted_reader.core.vocabulary import Framework

from .conftest import make_app, screen_after, type_in
from .conftest import run_cli as run

LONDON = {a.code for a in authorities.all_authorities() if a.region == "London"}
CURRENT = {a.code for a in authorities.all_authorities() if not a.defunct}


# --- the map's cells ---------------------------------------------------------------------------------------------


def test_every_grid_gives_every_authority_a_cell_and_no_cell_two_owners():
    assert len(CURRENT) == 153
    for grid in national_map.england_grids():
        outside_london = {code for code, runs in grid.cells.items() if runs}
        assert outside_london >= CURRENT - LONDON, (grid.rows, sorted(CURRENT - LONDON - outside_london))
        seen = Counter(cell for code in grid.cells for cell in grid.cells_of(code))
        assert max(seen.values()) == 1
        assert all(0 <= r < grid.rows and 0 <= c < grid.cols for r, c in seen)
    for grid in national_map.london_grids():
        assert {code for code, runs in grid.cells.items() if runs} == LONDON


def test_map_json_lists_all_153_authorities_with_their_latest_grade_and_cells(library):
    result = run("map", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    rows = data["authorities"]
    assert len(rows) == 153 and {r["authority_code"] for r in rows} == CURRENT
    assert all(r["cells"] or r["inset_cells"] for r in rows)
    assert all(r["inset_cells"] for r in rows if r["authority_code"] in LONDON)
    assert "Open Government Licence" in data["notice"]
    latest = {row.code: row for row in latest_rows(library.entries())}
    barnet = next(r for r in rows if r["name"] == "Barnet")
    assert barnet["grade"] == "Good" and barnet["report_id"] == latest["302"].report_id
    # After April 2026 no overall grade is given: the map says so rather than leave the authority out.
    blackpool = next(r for r in rows if r["name"] == "Blackpool")
    assert blackpool["grade"] is None and blackpool["letter"] == "-"
    leaders = {r["name"]: r for r in json.loads(run("map", "--json", "--judgement", "leaders").stdout)["authorities"]}
    assert leaders["Blackpool"]["grade"] == "Outstanding"


def test_map_prints_a_letter_per_grade_that_fits_80_columns_when_piped(library):
    result = run("map")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "\x1b[" not in result.stdout  # no colour where the output is not a terminal: the letters carry it
    counts = Counter(row.grade("overall") for row in latest_rows(library.entries()) if row.code)
    assert f"I inadequate ({counts[4]})" in result.stdout
    assert f"O outstanding ({counts[1]})" in result.stdout
    grid_lines = [line for line in lines[1:] if set(line) <= set("OGRIA-?· London")]
    assert sum(line.count("I") for line in grid_lines) >= counts[4]  # every inadequate authority has a cell


def test_map_filters_and_refuses_bad_input_in_one_line(library):
    london = run("map", "--region", "london", "--json")
    selected = {r["name"] for r in json.loads(london.stdout)["authorities"] if r["selected"]}
    assert len(selected) == 33 and "Camden" in selected and "Kent" not in selected
    for args, words in [
        (["--neighbours-of", "Atlantis"], "no authority called 'Atlantis'"),
        (["--region", "Narnia"], "no region called 'Narnia'"),
        (["--size", "10x5"], "--size '10x5' is not COLSxROWS"),
    ]:
        result = run("map", *args)
        assert result.returncode == 2 and words in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_cursor_moves_to_the_neighbour_in_each_direction():
    def moves(name: str) -> dict[str, str]:
        code = authorities.identify(name).code
        return {d: authorities.by_code(national_map.step(code, d, CURRENT)).name for d in national_map.DIRECTIONS}

    assert moves("Leeds") == {"left": "Bradford", "right": "York", "up": "North Yorkshire", "down": "Wakefield"}
    assert moves("Camden") == {"left": "Brent", "right": "Islington", "up": "Haringey", "down": "Westminster"}
    cornwall = moves("Cornwall")
    assert cornwall["left"] == "Isles of Scilly" and cornwall["right"] == "Plymouth"
    assert cornwall["down"] == "Cornwall"  # nothing south of Cornwall: the cursor stays
    # Moves only among the authorities a filter keeps: from Kent, up within the South East skips Southend (East).
    south_east = national_map.selection(region="south east")
    assert south_east is not None
    assert authorities.by_code(national_map.step("886", "up", south_east)).region == "South East"


# --- grades as stocks ------------------------------------------------------------------------------------------


def test_grades_history_json_counts_each_authority_of_each_day_once_every_year_2013_to_2026(library):
    result = run("grades", "--history", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    england = [r for r in data["stocks"] if r["area"] == "England"]
    years = [r["year"] for r in england[:-1]]
    assert years == list(range(2013, years[-1] + 1)) and years[-1] >= 2026 and england[-1]["date"] > "2026-03-31"
    for row in england:  # by hand: each authority of the day, the overall grade of its latest published inspection
        day = row["date"]
        held: dict[str, tuple[str, int | None, Framework]] = {}
        for entry in library.entries():
            counted = entry.report_type == "inspection" and entry.published <= day
            if (counted and latest.existed(entry.authority_code, day)) and (
                entry.authority_code not in held or entry.inspected > held[entry.authority_code][0]
            ):
                held[entry.authority_code] = (entry.inspected, entry.grades.get("overall"), entry.framework)
        counts = Counter(stocks.grade_key(grade, framework) for _, grade, framework in held.values())
        assert {k: row[k] for k in stocks.GRADE_KEYS + ["not_graded"] if row[k]} == dict(counts), day
        assert (
            row["authorities"]
            == len(latest.authorities_at(day))
            == row["graded"] + row["not_graded"] + row["not_inspected"]
        )
    for day in {r["date"] for r in data["stocks"]}:  # the regions add up to England
        rows = [r for r in data["stocks"] if r["date"] == day]
        assert sum(r["authorities"] for r in rows if r["area"] != "England") == next(
            r["authorities"] for r in rows if r["area"] == "England"
        )


def test_grades_history_csv_region_and_a_bad_region(library):
    result = run("grades", "--history", "--csv", "--region", "london", "--judgement", "care_leavers")
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {row["area"] for row in table} == {"London"} and {row["judgement"] for row in table} == {"care_leavers"}
    assert all(int(row["authorities"]) == 33 for row in table)
    text = run("grades", "--history")
    assert "England: overall, authorities by the grade they held" in text.stdout
    assert max(len(line) for line in text.stdout.splitlines()[:30]) <= 80
    assert "First to latest ILACS inspection" in text.stdout
    assert "CIN & CP" in text.stdout  # visits since the latest inspection, by theme
    bad = run("grades", "--history", "--region", "Narnia")
    assert bad.returncode == 2 and "no region called 'Narnia'" in bad.stderr


def test_bars_fill_their_width_exactly_and_visits_count_authorities_once(library):
    for row in stocks.stocks(library.entries()):
        assert sum(cells for _, cells in stocks.bar(row, 20)) == 20
    themes = {t.theme: t for t in trends.visits_since_latest(library.entries())}
    # Medway had two visits since its 2023 inspection, one on children in need and protection, one on children in
    # care; Slough two, counted once under each of their themes.
    assert "Medway" in themes["children in care"].authorities and "Medway" in themes["CIN & CP"].authorities
    assert all(len(set(t.authorities)) == len(t.authorities) for t in themes.values())


# --- the improvement trail ---------------------------------------------------------------------------------------


def _reports(library, code):
    return [library.load(e.id) for e in library.entries() if e.authority_code == code]


def test_trail_lines_an_inspection_ask_up_with_what_a_later_visit_found(library):
    medway = trail.build("Medway", _reports(library, "887"))
    oversight = next(
        t for t in medway.threads if t.asked.text == "The quality and consistency of management oversight."
    )
    assert oversight.asked.source == "inspection" and oversight.asked.theme.startswith("Leadership, oversight")
    assert "point 4, p. 2" in oversight.asked.citation  # its bullet in "What needs to improve?"
    found = [m.found for m in oversight.matches]
    assert [f.date for f in found] == sorted(f.date for f in found)  # later lines in time order
    first = found[0]
    assert first.report_id == "medway-focused-visit-2025-06-02" and "management oversight" in first.text
    assert first.citation.startswith(
        "Ofsted, Focused visit to Medway local authority children’s services, 2 June 2025, Main findings, para"
    )
    # An ask a visit makes is itself lined up with the next visit.
    visit_asks = [t for t in medway.threads if t.asked.report_id == "medway-focused-visit-2025-06-02"]
    assert visit_asks and any(
        m.found.report_id == "medway-focused-visit-2026-01-12" for t in visit_asks for m in t.matches
    )


def test_trail_reads_national_framework_citations_and_respects_the_users_choices(library):
    assert trail.framework_ref("... in a planned way (outcome 4, national framework).") == "outcome 4"
    assert trail.framework_ref("(Enabler three: National Framework)") == "enabler 3"
    barnet = trail.build("Barnet", _reports(library, "302"))
    cited = [t.asked for t in barnet.threads if t.asked.ref]
    assert cited and all(a.ref == "outcome 4" and a.theme == "Care leavers" for a in cited)
    thread = next(t for t in barnet.threads if t.matches)
    ask, match = thread.asked, thread.matches[0]
    unlinked = trail.build("Barnet", _reports(library, "302"), {(ask.key, match.found.key): "unlinked"})
    again = next(t for t in unlinked.threads if t.asked.key == ask.key)
    assert match.found.key not in {m.found.key for m in again.matches}
    # A line the words did not suggest, confirmed by hand, stays in the trail.
    other = next(f for f in trail.findings(library.load("barnet-focused-visit-2025-12-04")) if f.key != match.found.key)
    confirmed = trail.build("Barnet", _reports(library, "302"), {(ask.key, other.key): "confirmed"})
    kept = next(t for t in confirmed.threads if t.asked.key == ask.key)
    assert any(m.found.key == other.key and m.confirmed for m in kept.matches)


def test_trail_markdown_cites_every_line(library):
    text = trail.to_markdown(trail.build("Medway", _reports(library, "887")))
    bullets = [line for line in text.splitlines() if line.lstrip().startswith("- **")]
    assert len(bullets) > 10
    assert all(line.rstrip().endswith(")") and "Ofsted, " in line and "Medway" in line for line in bullets)
    assert "## Exploitation and missing children (National Framework outcome 3" in text


def test_trail_choices_are_written_atomically_and_a_damaged_file_is_never_overwritten(isolated_home):
    from ofsted_reader.host import locations
    from ofsted_reader.store.errors import StoreError
    from ofsted_reader.store.notes.trail_links import TrailLinks

    links = TrailLinks.load()
    links.set("a#1", "b#2", "confirmed")
    links.set("a#1", "c#3", "unlinked")
    assert TrailLinks.load().decisions == {("a#1", "b#2"): "confirmed", ("a#1", "c#3"): "unlinked"}
    links.set("a#1", "c#3", None)
    assert TrailLinks.load().decisions == {("a#1", "b#2"): "confirmed"}
    assert not [p for p in isolated_home.iterdir() if p.name.startswith(".tmp")]
    locations.trail_links_file().write_text("{not json", encoding="utf-8")
    damaged = TrailLinks.load()
    assert damaged.damaged and "not a trail links file" in damaged.damaged
    with pytest.raises(StoreError, match="read-only"):
        damaged.set("a#1", "b#2", "confirmed")
    assert locations.trail_links_file().read_text(encoding="utf-8") == "{not json"


# --- in the app ----------------------------------------------------------------------------------------------------


def _map(app):
    from ofsted_reader.tui.screens.map import MapScreen

    assert isinstance(app.screen, MapScreen)
    return app.screen


def _info(screen) -> str:
    return str(screen.query_one("#map-info").render())


async def test_map_screen_moves_between_authorities_and_opens_an_overview(library):
    from ofsted_reader.tui.screens.authority import AuthorityScreen

    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("escape", "E")
        await pilot.pause()
        screen = _map(app)
        start = screen.cursor
        assert authorities.by_code(start).name in _info(screen)
        await pilot.press("l")
        moved = screen.cursor
        assert moved != start and authorities.by_code(moved).name in _info(screen)
        await pilot.press("h", "k", "j", "down", "left")
        assert screen.cursor in screen.places
        await pilot.press("2")
        assert "Impact of leaders" in str(screen.query_one("#map-title").render())
        await pilot.press("slash")
        await type_in(pilot, "Barnsley")
        await pilot.press("enter")
        assert screen.cursor == "370" and "Barnsley" in _info(screen)
        await pilot.press("n")  # Barnsley and its statistical neighbours only
        assert screen.wanted == {"370", *authorities.by_code("370").neighbours}
        assert "neighbours of Barnsley" in str(screen.query_one("#map-title").render())
        await pilot.press("escape")  # escape clears the filter first
        assert screen.wanted is None
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AuthorityScreen) and app.screen.found.name == "Barnsley"
        await pilot.press("escape")
        assert _map(app) is screen


async def test_map_region_key_walks_the_regions(library):
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape", "E", "r")
        screen = _map(app)
        first = screen.region_filter
        assert first and all(authorities.by_code(c).region == first for c in screen.wanted)
        assert authorities.by_code(screen.cursor).region == first
        await pilot.press("r")
        assert screen.region_filter != first


async def test_trail_in_the_app_for_two_authorities_confirm_unlink_and_open(library):
    from textual.widgets import OptionList

    from ofsted_reader.host import locations
    from ofsted_reader.tui.screens.trail import TrailScreen

    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        for name, visit in [
            ("Medway", "medway-focused-visit-2025-06-02"),
            ("Barnet", "barnet-focused-visit-2025-12-04"),
        ]:
            await pilot.press("escape")
            app.main.show_authority(name)
            await pilot.pause()
            await pilot.press("i")
            await pilot.pause()
            assert isinstance(app.screen, TrailScreen)
            lines = app.screen.query_one(OptionList)
            ids = [lines.get_option_at_index(i).id or "" for i in range(lines.option_count)]
            matches = [i for i in ids if i.startswith("match|") and i.split("|")[2].startswith(visit)]
            assert matches, name
            asks = [i for i in ids if i.startswith("ask|") and "focused-visit" not in i]
            assert asks  # the inspection's asks are there, each ahead of its later lines
            lines.highlighted = ids.index(matches[0])
            await pilot.press("c")
            saved = json.loads(locations.trail_links_file().read_text(encoding="utf-8"))
            _, asked, found = matches[0].split("|")
            assert {"asked": asked, "found": found, "state": "confirmed"} in saved["links"]
            await pilot.press("e")
            exported = locations.exports_dir() / f"trail-{name.lower()}.md"
            assert "confirmed" in exported.read_text(encoding="utf-8")
            await pilot.press("escape", "escape")
        # Unlink a suggestion: it leaves the trail; enter on a line opens the cited paragraph in the reader.
        app.main.show_authority("Medway")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        lines = app.screen.query_one(OptionList)
        ids = [lines.get_option_at_index(i).id or "" for i in range(lines.option_count)]
        confirmed = {(a["asked"], a["found"]) for a in json.loads(locations.trail_links_file().read_text())["links"]}
        suggested = next(i for i in ids if i.startswith("match|") and tuple(i.split("|")[1:]) not in confirmed)
        lines.highlighted = ids.index(suggested)
        await pilot.press("x")
        ids_after = [lines.get_option_at_index(i).id or "" for i in range(lines.option_count)]
        assert suggested not in ids_after
        await pilot.press("z")
        assert suggested in [lines.get_option_at_index(i).id or "" for i in range(lines.option_count)]
        line = app.screen._line(suggested)
        lines.highlighted = [lines.get_option_at_index(i).id for i in range(lines.option_count)].index(suggested)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.main and app.main.report.id == line.report_id
        assert app.main.query_one("Reader").current.id == line.paragraph_id


async def test_trends_screen_counts_match_the_library_and_overview_charts_judgements(library):
    from ofsted_reader.tui.screens.trends import TrendsScreen

    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("escape", "E", "t")
        await pilot.pause()
        assert isinstance(app.screen, TrendsScreen)
        table = str(app.screen.query_one("#trends-table").render())
        england = [row for row in stocks.stocks(library.entries()) if row.area == "England"]
        assert len(england) >= 15  # every 31 March 2013-2026, and today
        for row in england:
            line = next(line for line in table.splitlines() if line.startswith(short_date(row.date)))
            numbers = [int(word) for word in line.split() if word.isdigit()][2:]  # past the date's day and year
            assert numbers[:2] == [row.counts["outstanding"], row.counts["good"]], line
        # Seven in ten authorities good or outstanding by March 2026, against a quarter in March 2015.
        assert "72%" in next(line for line in table.splitlines() if line.startswith("31 Mar 2026"))
        movement = str(app.screen.query_one("#trends-movement").render())
        assert "improved" in movement and "declined" in movement and "no overall grade (2026 framework)" in movement
        await pilot.press("2")  # leaders: every authority graded again, the 2026 framework's too
        assert app.screen.judgement == "leaders"
        today = [r for r in stocks.stocks(library.entries(), "leaders") if r.area == "England"][-1]
        assert today.graded == 153
        line = next(
            x
            for x in str(app.screen.query_one("#trends-table").render()).splitlines()
            if x.startswith(short_date(today.date))
        )
        assert "·" not in line and "I" in line  # no gap: Trafford's inadequate leaders among them
        await pilot.press("r")
        assert app.screen.area == "East Midlands"
        assert "East Midlands" in str(app.screen.query_one("#trends-title").render())
        await pilot.press("escape", "escape", "Y")  # from the main screen too
        assert isinstance(app.screen, TrendsScreen)
        await pilot.press("escape")
        app.main.show_authority("Medway")
        await pilot.pause()
        chart = str(app.screen.query_one("#authority-chart").render())
        # Row names whole: "Help" (with the legend), never "Help & protec".
        assert "Judgements over time" in chart and "Help " in chart and "protec" not in chart and "▼" in chart


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_snapshot_map_screen(snap_compare, library, size):
    async def run_before(pilot):
        await pilot.press("escape", "E")
        await pilot.pause()
        pilot.app.screen.cursor = "313"  # Hounslow: a London borough, shown on the inset and in the panel
        pilot.app.screen.redraw()
        pilot.app.clear_notifications()  # the first-run welcome would hide the panel
        await pilot.pause()

    assert snap_compare(make_app(library), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_snapshot_trends_screen(snap_compare, library, size, monkeypatch):
    monkeypatch.setattr(latest, "current_day", lambda: datetime.date(2026, 12, 7))  # its last row is "today"

    async def run_before(pilot):
        await pilot.press("escape", "Y")
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(library), terminal_size=size, run_before=run_before)


async def test_map_as_at_a_date_shows_the_authorities_of_the_day_and_2026_reports(library):
    from ofsted_reader.tui.screens.map import MapScreen

    app = make_app(library)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await screen_after(pilot, MapScreen, "escape", "E")
        # Today Trafford has no overall grade (2026 framework): `-` with the legend saying why, `I` for leaders.
        assert screen.places["358"].letter("overall") == national_map.NO_GRADE
        assert "no overall grade (2026 framework)" in str(screen.query_one("#map-legend").render())
        await pilot.press("2")
        assert screen.places["358"].letter("leaders") == "I"
        await pilot.press("1", "d")
        await type_in(pilot, "2019-03-31")
        await pilot.press("enter")
        assert "as at 31 Mar 2019" in str(screen.query_one("#map-title").render())
        birmingham = screen.places["330"]
        assert birmingham.row is not None and birmingham.row.report_id.startswith("birmingham-2018")
        north = screen.places["940"]  # North Northamptonshire's cells: Northamptonshire's then
        assert north.then is not None and north.then.name == "Northamptonshire"
        screen.cursor = "940"
        screen.redraw()
        assert "Then Northamptonshire" in str(screen.query_one("#map-info").render())
        york = screen.places["816"]
        assert york.row is not None and york.row.framework == "sif"
        await pilot.press("full_stop")
        assert screen.as_at is not None and screen.as_at.year == 2020
        await pilot.press("d")
        await type_in(pilot, "today")
        await pilot.press("enter")
        assert screen.as_at is None and screen.places["358"].row.report_id == "trafford-2026-06-19"
