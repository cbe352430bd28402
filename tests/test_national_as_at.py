"""The national picture as at any date, on a fresh data dir holding the whole record (868 reports, 2010-2026): each
authority's latest judgements on a day, counted from each inspection's publication, for the authorities of that
day (abolished ones too); every authority's inspections since 2014 in `grades --json`."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

import ofsted_reader
from ofsted_reader.core import authorities, latest

from .conftest import run_cli as run

pytestmark = pytest.mark.slow
RECORD = Path(ofsted_reader.__file__).resolve().parents[1] / "reports" / "record.csv"


@pytest.fixture(autouse=True)
def whole_record(monkeypatch):
    monkeypatch.setenv("OFSTED_READER_BUNDLED", "all")


def as_at(day: str, *more: str) -> list[dict]:
    result = run("grades", "--latest", "--as-at", day, "--json", *more)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_as_at_31_august_2019_gives_each_authority_of_the_day_its_judgements_then():
    rows = as_at("2019-08-31")
    names = {r["authority"]: r for r in rows}
    assert len(rows) >= 150 and len(names) == len(rows)
    graded = [r for r in rows if r["report_id"]]
    assert len(graded) >= 145 and all(r["overall"] and r["leaders"] for r in graded)
    assert all(r["published"] <= "2019-08-31" for r in graded)
    # Frameworks side by side: an authority last inspected under the SIF keeps that grade until its ILACS one.
    assert {r["framework"] for r in graded} == {"sif", "ilacs"}
    york = names["York"]
    assert (york["framework"], york["report_id"], york["overall"]) == ("sif", "york-2017-02-07", "Good")
    # Birmingham's ILACS inspection of December 2018, not its 2022 one.
    assert names["Birmingham"]["report_id"].startswith("birmingham-2018")
    # The authorities of that day: Northamptonshire and Cumbria, not their successors; BCP and Dorset new that April.
    assert "Northamptonshire" in names and "Cumbria" in names
    assert "North Northamptonshire" not in names and "Cumberland" not in names and "Poole" not in names
    assert (
        "abolished 1 April 2021 (now North Northamptonshire, West Northamptonshire)"
        in names["Northamptonshire"]["note"]
    )
    assert "began 1 April 2019" in names["Bournemouth, Christchurch and Poole"]["note"]


def test_as_at_31_march_2024_and_before_the_2019_reorganisation():
    rows = {r["authority"]: r for r in as_at("2024-03-31")}
    assert len(rows) == 153 and sum(1 for r in rows.values() if r["report_id"]) >= 150
    assert "Cumbria" not in rows and "Cumberland" in rows and "Northamptonshire" not in rows
    assert rows["Birmingham"]["report_id"] == "birmingham-2023-03-03"
    assert rows["Dorset"]["overall"] == "Good"  # its 2021 inspection: the 2025 one was not yet published
    before = {r["authority"] for r in as_at("2019-03-31")}
    assert {"Poole", "Bournemouth", "Dorset County Council"} <= before
    assert "Bournemouth, Christchurch and Poole" not in before
    london = as_at("2024-03-31", "--region", "london")
    assert len(london) == 33 and {r["region"] for r in london} == {"London"}


def test_an_inspection_counts_from_its_publication_not_its_inspection():
    # Trafford was inspected in June 2026 and the report published on 3 August 2026.
    def trafford(day: str) -> dict:
        return next(r for r in as_at(day) if r["authority"] == "Trafford")

    assert trafford("2026-08-02")["report_id"] != "trafford-2026-06-19"
    today = trafford("2026-08-03")
    assert today["report_id"] == "trafford-2026-06-19" and today["overall"] is None and today["no_overall_grade"]
    assert today["leaders"] == "Inadequate" and today["help_protection"] == "Inadequate"


def test_a_date_that_is_none_is_one_line_and_exit_2():
    for bad in ("2019-02-30", "31/08/2019", "soon"):
        result = run("grades", "--latest", "--as-at", bad)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.count("\n") == 1 and "YYYY-MM-DD" in result.stderr
    for args in (["--latest"], ["--history"]):
        later = run("grades", *args, "--as-at", "2999-01-01")
        assert later.returncode == 2 and later.stderr.count("\n") == 1 and "after today" in later.stderr


def test_the_as_at_table_fits_80_columns_and_names_the_framework_and_who_is_missing():
    text = run("grades", "--latest", "--as-at", "2019-08-31").stdout
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "as at 31 August 2019" in text and " SIF " in text and " ILACS " in text
    assert "Northamptonshire" in text.split("No inspection published by then")[1]
    today = run("grades", "--latest").stdout
    assert "none†" in today and latest.NO_OVERALL in today
    rows = list(csv.DictReader(io.StringIO(run("grades", "--latest", "--as-at", "2019-03-31", "--csv").stdout)))
    poole = next(r for r in rows if r["authority"] == "Poole")
    assert (
        poole["report_id"] == "" and "abolished 1 April 2019 (now Bournemouth, Christchurch and Poole)" in poole["note"]
    )
    assert len(rows) == 152 and sum(1 for r in rows if r["overall"]) == 147


def test_every_authoritys_inspections_since_2014_are_listed_by_grades_json():
    result = run("grades", "--json")
    assert result.returncode == 0, result.stderr
    listed = {(r["authority"], r["published"]) for r in json.loads(result.stdout)}
    with RECORD.open(encoding="utf-8") as handle:
        shipped = [r for r in csv.DictReader(handle) if r["kind"] == "inspection" and r["published"] >= "2014"]
    assert len(shipped) >= 480
    # The record's own list: as many of each authority's inspections, each published within days of the record's
    # date (a report prints a day earlier or later than the record lists now and then).
    expected: dict[str, list[str]] = {}
    for row in shipped:
        found = authorities.identify(row["authority"])
        assert found is not None, row["authority"]
        expected.setdefault(found.name, []).append(row["published"])
    for name, days in expected.items():
        mine = sorted(p for a, p in listed if a == name and p and p >= "2014")
        assert len(mine) >= len(days), (name, mine, days)
        for day in days:
            assert any(abs((date.fromisoformat(p) - date.fromisoformat(day)).days) <= 7 for p in mine), (name, day)
    by_authority: dict[str, int] = {}
    for authority, published in listed:
        if published and published >= "2014":
            by_authority[authority] = by_authority.get(authority, 0) + 1
    current = {a.name for a in latest.authorities_at()}
    assert current <= set(by_authority), sorted(current - set(by_authority))
    assert by_authority["Birmingham"] >= 3 and by_authority["Doncaster"] >= 3


# --- the stocks against Ofsted's published outcomes -------------------------------------------------------------

# Ofsted's official statistics: "Local authority and children's homes in England inspections and outcomes autumn
# 2019" (as at 31 August 2019), "Children's social care data in England 2019" (31 March 2019), "Local authority
# inspection outcomes as at 31 March 2024" (with 31 March 2022 beside it). Ofsted counts inspections carried out by
# the date and published by the release; the library counts from publication, so a few points apart are expected.
PUBLISHED = [
    ("2019-03-31", "overall", "England", 0.46),
    ("2019-08-31", "overall", "England", 0.49),
    ("2019-08-31", "leaders", "England", 0.56),
    ("2019-08-31", "overall", "London", 0.79),
    ("2019-08-31", "overall", "West Midlands", 0.21),
    ("2022-03-31", "overall", "England", 0.53),
    ("2024-03-31", "overall", "England", 0.60),
    ("2024-03-31", "overall", "London", 0.85),
    ("2024-03-31", "overall", "North West", 0.36),
    ("2024-03-31", "help_protection", "England", 0.54),
]


@pytest.mark.parametrize(("day", "judgement", "area", "share"), PUBLISHED)
def test_good_or_outstanding_shares_agree_with_ofsteds_published_outcomes(day, judgement, area, share):
    result = run("grades", "--history", "--json", "--judgement", judgement, "--as-at", day)
    rows = json.loads(result.stdout)["stocks"]
    mine = next(r for r in rows if r["date"] == day and r["area"] == area)
    assert abs(mine["good_or_outstanding"] - share) <= 0.025, (mine["good_or_outstanding"], share)


def test_first_to_latest_ilacs_as_at_31_march_2024():
    # Ofsted: of 65 authorities inspected twice under ILACS by then, 26 improved, 15 kept good or outstanding and 12
    # declined. Counting from publication, the inspections of early 2024 published after 31 March are not yet in.
    moved = json.loads(run("grades", "--history", "--json", "--as-at", "2024-03-31").stdout)["ilacs_movement"]
    assert 55 <= moved["authorities_compared"] <= 65
    assert 22 <= moved["improved"]["count"] <= 26 and 10 <= moved["declined"]["count"] <= 12
    assert "Trafford" not in moved["latest_not_graded"]["authorities"]
    today = json.loads(run("grades", "--history", "--json").stdout)["ilacs_movement"]
    assert "Trafford" in today["latest_not_graded"]["authorities"]  # its 2026 inspection gave no overall grade


def test_counted_as_ofsted_counts_the_movement_is_ofsteds_to_the_authority():
    # Counting each inspection from its last day on site, as Ofsted's statistics do, gives its figures exactly:
    # 65 authorities inspected twice or more under ILACS by 31 March 2024, 26 improved, 15 kept good or outstanding,
    # 12 declined (and the other 12 kept requires improvement or inadequate).
    result = run("grades", "--history", "--json", "--as-at", "2024-03-31", "--counting", "inspection")
    data = json.loads(result.stdout)
    moved = data["ilacs_movement"]
    assert data["counting"] == "inspection" and moved["authorities_compared"] == 65
    assert moved["improved"]["count"] == 26 and moved["kept_good_or_outstanding"]["count"] == 15
    assert moved["declined"]["count"] == 12
    england = next(r for r in data["stocks"] if r["date"] == "2024-03-31" and r["area"] == "England")
    assert abs(england["shares"]["outstanding"] - 0.20) <= 0.005  # "20% by March 2024"
    table = run("grades", "--latest", "--as-at", "2024-03-31", "--counting", "inspection").stdout
    assert "(counted from the inspection)" in table
    bad = run("grades", "--latest", "--as-at", "2024-03-31", "--counting", "whenever")
    assert bad.returncode == 2
