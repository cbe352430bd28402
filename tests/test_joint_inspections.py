"""Joint inspections of an area: JTAI letters (2016-) and area SEND inspections (2023-) read from real reports, kept
beside the authority's inspections, filtered by kind and outcome, and shown on the overview, the map and the grades
matrix without ever being mixed with the ILACS grades."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import DataTable, OptionList

from ofsted_reader.core import filters
from ofsted_reader.core.model import Report
from ofsted_reader.importers import parse_file
from ofsted_reader.importers.pdf import extract_pages, parse_pages
from ofsted_reader.tui.screens.authority import AuthorityScreen
from ofsted_reader.tui.screens.grades import GradesScreen

from .conftest import INSPECTIONS, imported_home, library_in, make_app, screen_after, type_in
from .conftest import run_cli as run

OTHER = Path(__file__).resolve().parent / "data" / "other"  # two JTAI letters and two area SEND reports
LEWISHAM_JTAI = OTHER / "lewisham-jtai-2023-01-31.pdf"
CORNWALL_JTAI = OTHER / "cornwall-jtai-2018-11-23.pdf"
LEWISHAM_SEND = OTHER / "lewisham-area-send-2024-11-20.pdf"
DERBYSHIRE_SEND = OTHER / "derbyshire-area-send-2024-11-14.pdf"


def test_a_jtai_letter_gives_its_theme_dates_inspectorates_and_what_needs_to_improve():
    report = parse_file(LEWISHAM_JTAI)
    assert report.report_type == "jtai" and report.id == "lewisham-jtai-2023-01-31"
    assert (report.authority, report.authority_code) == ("Lewisham", "209")  # "London Borough of Lewisham"
    assert (report.inspection_start, report.inspection_end, report.published) == (
        "2022-11-21",
        "2022-11-25",
        "2023-01-31",
    )
    assert report.theme == "identification of initial need and risk"
    assert report.inspectorates == ["Ofsted", "CQC", "HMICFRS"]
    titles = [s.title for s in report.sections]
    assert titles == [
        "Introduction",
        "Headline findings",
        "What needs to improve?",
        "Strengths",
        "Main findings",
        "Next steps",
    ]
    asked = [p for p in report.paragraphs if p.section == f"{report.id}/what-needs-to-improve"]
    assert [r.text for r in report.recommendations] == [p.text for p in asked] and len(asked) == 8
    assert report.recommendations[0].text == "The length of time children spend in police stations out of hours."
    assert len(report.paragraphs) >= 8 and all(p.page for p in report.paragraphs)
    assert not report.judgements and not report.warnings


def test_an_older_jtai_letter_joins_a_finding_a_practice_study_box_cut_in_two():
    report = parse_file(CORNWALL_JTAI)
    assert report.report_type == "jtai" and report.authority_code == "908"
    assert report.theme == "sexual abuse in the family"
    assert report.inspectorates == ["Ofsted", "CQC", "HMICFRS", "HMI Probation"]
    assert (report.inspection_start, report.inspection_end) == ("2018-10-08", "2018-10-12")
    first = report.recommendations[0].text
    # The box on page 10 sits inside this finding in the PDF's text; the finding goes on on page 11.
    assert first.startswith("Within the MARU") and "routinely involve all relevant agencies" in first
    study = report.paragraphs_under(f"{report.id}/practice-study-highly-effective-practice")
    assert study and not any("routinely involve" in p.text for p in study)
    assert not any(r.text.startswith("There are no areas") for r in report.recommendations)
    assert len(report.recommendations) == 24


def test_an_area_send_report_gives_its_outcome_next_inspection_and_team():
    report = parse_file(LEWISHAM_SEND)
    assert report.report_type == "area_send" and report.id == "lewisham-area-send-2024-09-27"
    assert report.authority_code == "209"  # "Lewisham Local Area Partnership"
    assert (report.inspection_start, report.inspection_end) == ("2024-09-23", "2024-09-27")
    assert report.outcome == "inconsistent"
    assert (report.next_inspection, report.next_inspection_by) == ("within approximately three years", "2027-09-27")
    assert report.inspectorates == ["Ofsted", "CQC"] and report.lead_inspector == "Kieran Bird"
    assert report.grades_by_key() == {"send": 2} and not report.judgements  # its own key, no ILACS judgement
    assert report.recommendations[-1].text.startswith("Health leaders should ensure that waiting times")
    assert "What is it like to be a child or young person with SEND in this area?" in [s.title for s in report.sections]


def test_a_send_report_with_priority_actions_keeps_the_asks_not_the_responsible_body():
    report = parse_file(DERBYSHIRE_SEND)
    assert report.authority_code == "830" and report.authority == "Derbyshire"  # never Derby
    assert report.outcome == "failings" and report.next_inspection_by == "2027-09-27"
    urgent = [r for r in report.recommendations if r.timescale == "immediately"]
    assert len(urgent) == 11 and len(report.recommendations) == 16
    assert urgent[0].text.startswith("Area leaders need to urgently, jointly and accurately: identify the needs")
    # The table's left column names who must act, page after page; it is never an ask.
    assert not any(r.text.startswith(("Derbyshire County Council", "Board")) for r in report.recommendations)


def test_a_send_letter_of_the_2016_2022_framework_is_read_as_far_as_it_goes():
    pages = [
        [line.replace("Joint targeted area inspection of", "Joint local area SEND inspection in") for line in page]
        for page in extract_pages(CORNWALL_JTAI.read_bytes(), str(CORNWALL_JTAI))
    ]
    report = parse_pages(pages, "cornwall-send.pdf")
    assert report.report_type == "area_send" and report.authority_code == "908" and report.outcome is None
    assert any("2016-2022 framework" in w for w in report.warnings) and len(report.paragraphs) >= 8


def test_a_cached_report_without_the_new_fields_still_loads():
    data = parse_file(LEWISHAM_SEND).to_dict()
    assert Report.from_dict(data).outcome == "inconsistent"
    for name in ("inspectorates", "outcome", "next_inspection", "next_inspection_by"):
        del data[name]
    old = Report.from_dict(data)
    assert old.outcome is None and old.inspectorates == [] and old.grades_by_key() == {}


def test_kind_and_outcome_filters_name_what_they_keep_and_refuse_nonsense():
    assert filters.resolve_kind("send") == ("area_send",) and filters.resolve_kind("JTAI") == ("jtai",)
    assert filters.resolve_outcome("fail") == 3 and filters.resolve_outcome("2") == 2
    with pytest.raises(filters.FilterError, match="give one of inspection, visit"):
        filters.resolve_kind("ofsted")
    with pytest.raises(filters.FilterError, match="positive, inconsistent, failings"):
        filters.resolve_outcome("good")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return imported_home(tmp_path_factory, "joint-home", [INSPECTIONS / "lewisham-2024-01-31.pdf"])


@pytest.fixture
def library(isolated_home, template):
    return library_in(isolated_home, template)


def test_importing_the_folder_puts_each_report_under_its_authority(library):
    done = run("import", str(OTHER), "--json")
    assert done.returncode == 0, done.stderr
    listed = {r["report_id"]: r for r in json.loads(run("list", "--json").stdout)}
    assert listed["lewisham-jtai-2023-01-31"]["authority_code"] == "209"
    assert listed["lewisham-area-send-2024-09-27"]["report_type"] == "area_send"
    assert listed["lewisham-area-send-2024-09-27"]["grades"] == {"send": 2}
    assert listed["cornwall-jtai-2018-11-23"]["authority_code"] == "908"
    assert listed["derbyshire-area-send-2024-09-27"]["authority"] == "Derbyshire"
    assert listed["lewisham-2023-12-15"]["report_type"] == "inspection"  # the ILACS inspection stays as it was
    # The filter grammar takes a kind and an outcome: the SEND reports' asks, the failing area's alone.
    found = json.loads(run("search", "leaders kind:send outcome:failings", "--json").stdout)
    assert found and {h["report_id"] for h in found} == {"derbyshire-area-send-2024-09-27"}
    police = json.loads(run("search", "police", "--json", "--limit", "500").stdout)
    assert any("jtai" in h["report_id"] for h in police)
    others = json.loads(run("search", "police -kind:jtai", "--json", "--limit", "500").stdout)
    assert others and not any("jtai" in h["report_id"] for h in others)
    wrong = run("search", "police kind:letters")
    assert wrong.returncode == 2 and "kind:letters is not a kind of report" in wrong.stderr


def test_the_map_has_a_layer_of_send_outcomes_apart_from_the_grades(library):
    assert run("import", str(OTHER)).returncode == 0
    places = {p["name"]: p for p in json.loads(run("map", "--judgement", "send", "--json").stdout)["authorities"]}
    assert places["Derbyshire"]["letter"] == "f" and places["Derbyshire"]["grade"].startswith("Widespread")
    assert places["Lewisham"]["letter"] == "i" and places["Lewisham"]["report_id"] == "lewisham-area-send-2024-09-27"
    assert places["Cornwall"]["letter"] == "?"  # a JTAI, but no area SEND inspection
    overall = {p["name"]: p for p in json.loads(run("map", "--json").stdout)["authorities"]}
    assert overall["Derbyshire"]["letter"] == "?" and overall["Lewisham"]["letter"] == "G"  # grades only


async def test_the_overview_shows_a_jtai_and_a_send_outcome_beside_the_ilacs_grades(library):
    assert run("import", str(OTHER)).returncode == 0
    from ofsted_reader.store.library.library import Library

    app = make_app(Library.open())
    async with app.run_test(size=(140, 48)) as pilot:
        from ofsted_reader.tui.widgets.library_tree import LibraryTree

        tree = app.query_one(LibraryTree)
        lewisham = next(n for n in tree.root.children if n.data.authority == "Lewisham")
        lewisham.expand()  # its reports' rows are added when it opens
        await pilot.pause()
        labels = [str(n.label) for n in lewisham.children]
        assert any(label.startswith(" SEND  inconsistent ") for label in labels)
        assert any(label.startswith(" JTAI ") and "identification of initial need" in label for label in labels)
        app.main.show_authority("Lewisham")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AuthorityScreen)
        inspections = screen.query_one("#authority-inspections", OptionList)
        rows = {
            inspections.get_option_at_index(i).id: str(inspections.get_option_at_index(i).prompt)
            for i in range(1, inspections.option_count)
        }
        assert list(rows) == ["lewisham-area-send-2024-09-27", "lewisham-2023-12-15", "lewisham-jtai-2023-01-31"]
        assert (
            "SEND" in rows["lewisham-area-send-2024-09-27"] and "inconsistent" in rows["lewisham-area-send-2024-09-27"]
        )
        assert (
            "JTAI" in rows["lewisham-jtai-2023-01-31"] and "initial need and risk" in rows["lewisham-jtai-2023-01-31"]
        )
        assert "Good" in rows["lewisham-2023-12-15"] and "inconsistent" not in rows["lewisham-2023-12-15"]
        header = str(inspections.get_option_at_index(0).prompt)
        assert "SEND" not in header  # no grade column for it: the outcome stands in its own row
        await pilot.press("escape")
        await pilot.press("M")  # the grades matrix: the SEND outcome a column of its own
        await pilot.pause()
        assert isinstance(app.screen, GradesScreen)
        table = app.screen.query_one(DataTable)
        lewisham = next(r for r in app.screen.rows if r.authority == "Lewisham")
        cells = [str(c) for c in table.get_row(lewisham.report_id)]
        assert cells[-1].strip() == "inconsistent" and any(c.strip() == "Good" for c in cells[:-1])


def test_the_corpus_check_finds_every_field_in_the_samples():
    from bench.corpus_other import FIELDS, run, summary

    table = summary(run([OTHER]))
    assert table["jtai"]["files"] == 2 and table["area_send"]["files"] == 2
    for kind, counts in table.items():
        assert {field: counts.get(field, 0) for field in FIELDS[kind]} == dict.fromkeys(FIELDS[kind], counts["files"])


def test_a_qdpx_case_carries_the_send_outcome_as_a_variable_of_its_own(library, tmp_path):
    import io
    import xml.etree.ElementTree as ET
    import zipfile

    import xmlschema

    from ofsted_reader.store.library.library import Library
    from ofsted_reader.store.notes.annotations import AnnotationStore

    assert run("import", str(LEWISHAM_SEND)).returncode == 0
    send = Library.open().load("lewisham-area-send-2024-09-27")
    AnnotationStore().add(send, send.paragraphs[5].id, "waiting times", ["health"])
    assert run("export", "--qdpx", "-o", str(tmp_path / "send.qdpx")).returncode == 0
    with zipfile.ZipFile(io.BytesIO((tmp_path / "send.qdpx").read_bytes())) as archive:
        qde = archive.read("project.qde").decode("utf-8")
    xmlschema.XMLSchema(Path(__file__).resolve().parent / "data" / "refi-qda" / "Project.xsd").validate(qde)
    ns = {"q": "urn:QDA-XML:project:1.0"}
    root = ET.fromstring(qde)
    names = {v.get("guid"): v.get("name") for v in root.iterfind("q:Variables/q:Variable", ns)}
    case = {
        names[v.find("q:VariableRef", ns).get("targetGUID")]: v.find("q:TextValue", ns).text
        for v in root.iterfind("q:Cases/q:Case/q:VariableValue", ns)
        if v.find("q:TextValue", ns) is not None
    }
    assert case["Area SEND outcome"] == "Inconsistent experiences and outcomes"
    assert "Overall" not in case  # the SEND report grades nothing on the ILACS scale


def test_a_reports_facts_say_its_inspectorates_outcome_and_next_inspection():
    from ofsted_reader.tui.dialogs.about import About

    facts = About(parse_file(DERBYSHIRE_SEND), None).body().plain
    assert "Inspectorates Ofsted, CQC" in facts and "SEND outcome  Widespread and/or systemic failings" in facts
    assert "within approximately three years (by 27 September 2027)" in facts
    assert "children's services (2018-)" not in facts  # no ILACS framework for a joint inspection
    letter = About(parse_file(LEWISHAM_JTAI), None).body().plain
    assert "Theme         identification of initial need and risk" in letter and "HMICFRS" in letter


async def test_the_map_screen_shows_the_send_layer_on_its_own_key(library):
    from ofsted_reader.store.library.library import Library
    from ofsted_reader.tui.screens.map import MapScreen, MapView

    assert run("import", str(OTHER)).returncode == 0
    app = make_app(Library.open())
    async with app.run_test(size=(140, 48)) as pilot:
        screen = await screen_after(pilot, MapScreen, "E")
        letters = "".join(strip.text for strip in screen.query_one("#map-england", MapView)._build())
        assert "f" not in letters and "i" not in letters  # the grades' layer: no SEND letter
        await pilot.press("6")
        assert "Area SEND outcome" in str(screen.query_one("#map-title").render())
        legend = str(screen.query_one("#map-legend").render())
        assert "inconsistent" in legend and "failings" in legend and "requires improvement" not in legend
        letters = "".join(strip.text for strip in screen.query_one("#map-england", MapView)._build())
        assert "f" in letters and "i" in letters  # Derbyshire and Lewisham
        await pilot.press("slash")
        await type_in(pilot, "Derbyshire")
        await pilot.press("enter")
        info = str(screen.query_one("#map-info").render())
        assert "Area SEND outcome" in info and "failings" in info


def test_notes_filter_by_the_kind_of_report_they_are_on(library):
    from ofsted_reader.core.note_filter import note_filter
    from ofsted_reader.store.library.library import Library
    from ofsted_reader.store.notes.annotations import AnnotationStore

    assert run("import", str(LEWISHAM_JTAI), str(LEWISHAM_SEND)).returncode == 0
    library = Library.open()
    store = AnnotationStore()
    for rid in ("lewisham-jtai-2023-01-31", "lewisham-area-send-2024-09-27", "lewisham-2023-12-15"):
        report = library.load(rid)
        store.add(report, report.paragraphs[2].id, f"on {rid}", ["evidence"])
    notes = store.all()
    keeps = note_filter("kind:jtai", library.entries())
    assert [n.report_id for n in notes if keeps(n)] == ["lewisham-jtai-2023-01-31"]
    keeps = note_filter("-kind:send -kind:jtai", library.entries())
    assert [n.report_id for n in notes if keeps(n)] == ["lewisham-2023-12-15"]
