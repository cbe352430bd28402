"""The map of England by grade: which terminal cells each authority covers, and what each cell shows.

The cells come from `data/england-map.json`, made by `scripts/build_map.py` from ONS boundaries (OGL v3, notice in
the file and in `data/NOTICE.md`): the whole country at a few heights and a London inset at a few heights, each
authority as runs of cells (row, first column, length) and its centroid in that grid's cells. Reading it is all the
run time does: no geometry here.

Every authority has at least one cell on the whole map, except London boroughs too small for one, which all have
cells in the inset. The cursor moves between authorities by their centroids on the largest map, so arrows go where a
person looking at the map expects, into and out of London too.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from . import authorities
from .judgements import SEND_KEY, SEND_LETTERS, SEND_WORDS
from .latest import COLUMNS, LatestRow, counts_from, day_iso, existed, latest_rows, predecessor
from .visits import latest_send

# One letter per grade, so the map reads without colour: O G R I, A for the 2009-2012 "adequate".
LETTERS = {1: "O", 2: "G", 3: "R", 4: "I"}
NO_GRADE = "-"  # inspected, but not on this judgement (no overall grade is given after April 2026)
NOT_IN_LIBRARY = "?"
FILTERED_OUT = "·"
LEGEND = [
    ("O", "outstanding"),
    ("G", "good"),
    ("R", "requires improvement"),
    ("I", "inadequate"),
    (NO_GRADE, "no grade for this judgement"),
    (NOT_IN_LIBRARY, "no inspection in the library"),
]
JUDGEMENTS = [key for key, _ in COLUMNS]  # overall, leaders, help_protection, in_care, care_leavers
JUDGEMENT_NAMES = {
    "overall": "Overall effectiveness",
    "leaders": "Impact of leaders",
    "help_protection": "Help and protection",
    "in_care": "Children in care",
    "care_leavers": "Care leavers",
    SEND_KEY: "Area SEND outcome",
}
# The map's layers: the judgements, then the latest area SEND inspection's outcome, a layer of its own with its own
# letters (lower case, judgements.SEND_LETTERS), never mixed with the grades.
LAYERS = [*JUDGEMENTS, SEND_KEY]
SEND_LEGEND = [
    *((SEND_LETTERS[n], SEND_WORDS[n]) for n in sorted(SEND_LETTERS)),
    (NOT_IN_LIBRARY, "no area SEND inspection in the library"),
]


def legend(layer: str) -> list[tuple[str, str]]:
    """The letters a layer shows and what each means."""
    return SEND_LEGEND if layer == SEND_KEY else LEGEND


@dataclass(frozen=True, eq=False)  # hashed by identity: one per rasterisation, its owners cached
class Grid:
    """One rasterisation: `rows` x `cols` cells, each authority's runs of cells and centroid (row, col)."""

    rows: int
    cols: int
    cells: dict[str, list[tuple[int, int, int]]]
    centres: dict[str, tuple[float, float]]

    @property
    def owners(self) -> list[list[str | None]]:
        """The authority code of every cell (None for the sea), row by row."""
        return _owners(self)

    def cells_of(self, code: str) -> list[tuple[int, int]]:
        return [(r, c + k) for r, c, n in self.cells.get(code, []) for k in range(n)]


@lru_cache(maxsize=64)
def _owners(grid: Grid) -> list[list[str | None]]:
    owners: list[list[str | None]] = [[None] * grid.cols for _ in range(grid.rows)]
    for code, runs in grid.cells.items():
        for r, c, n in runs:
            owners[r][c : c + n] = [code] * n
    return owners


@lru_cache(maxsize=64)
def shades(grid: Grid) -> dict[str, int]:
    """A shade (0, 1 or 2) per authority such that neighbours on this grid mostly differ: two neighbours with the same
    grade would otherwise merge into one patch of colour. Greedy, largest first."""
    owners = grid.owners
    touching: dict[str, set[str]] = {code: set() for code in grid.cells}
    for r, row in enumerate(owners):
        for c, code in enumerate(row):
            if code is None:
                continue
            for other in (row[c + 1] if c + 1 < grid.cols else None, owners[r + 1][c] if r + 1 < grid.rows else None):
                if other is not None and other != code:
                    touching[code].add(other)
                    touching[other].add(code)
    size = {code: sum(n for _, _, n in runs) for code, runs in grid.cells.items()}
    out: dict[str, int] = {}
    for code in sorted(grid.cells, key=lambda k: (-size[k], k)):
        used = {out[other] for other in touching[code] if other in out}
        out[code] = next((shade for shade in (0, 1, 2) if shade not in used), 0)
    return out


def _grid(data: dict[str, Any]) -> Grid:
    return Grid(
        data["rows"],
        data["cols"],
        {code: [tuple(run) for run in runs] for code, runs in data["cells"].items()},
        {code: tuple(centre) for code, centre in data["centres"].items()},
    )


@lru_cache(maxsize=1)
def _data() -> tuple[list[Grid], list[Grid], str]:
    raw = json.loads(resources.files("ofsted_reader.core").joinpath("data/england-map.json").read_text("utf-8"))
    return [_grid(g) for g in raw["england"]], [_grid(g) for g in raw["london"]], raw["notice"]


def england_grids() -> list[Grid]:
    """The whole map at each height, smallest first."""
    return _data()[0]


def london_grids() -> list[Grid]:
    return _data()[1]


def notice() -> str:
    return _data()[2]


def fitting(grids: list[Grid], rows: int, cols: int) -> Grid:
    """The largest grid that fits in rows x cols (the smallest when none does)."""
    fits = [g for g in grids if g.rows <= rows and g.cols <= cols]
    return fits[-1] if fits else grids[0]


def london_codes() -> set[str]:
    return set(london_grids()[0].cells)


# --- grades on the map ----------------------------------------------------------------------------------------


@dataclass
class Place:
    """One authority as the map shows it: its latest grades (None when the library has no inspection of it). As at a
    day before it existed, its cells show the authority that served the area then (`then`: Northamptonshire for
    North Northamptonshire before April 2021)."""

    authority: authorities.Authority
    row: LatestRow | None
    send: Any = None  # the latest area SEND inspection's library entry, where the library holds one
    then: authorities.Authority | None = None

    @property
    def code(self) -> str:
        return self.authority.code

    @property
    def send_outcome(self) -> int | None:
        return self.send.grades.get(SEND_KEY) if self.send is not None else None

    def grade(self, judgement: str) -> int | None:
        if judgement == SEND_KEY:
            return self.send_outcome
        return self.row.grade(judgement) if self.row else None

    def letter(self, judgement: str) -> str:
        if judgement == SEND_KEY:
            return SEND_LETTERS.get(self.send_outcome or 0, NOT_IN_LIBRARY)
        if self.row is None:
            return NOT_IN_LIBRARY
        grade = self.row.grade(judgement)
        if grade is None:
            return NO_GRADE
        return "A" if grade == 3 and self.row.framework == "slac" else LETTERS[grade]


def places(entries: Iterable[Any], as_at: Any = None) -> dict[str, Place]:
    """Every authority on the map (the 153 current ones), with its latest inspection (and area SEND inspection) in
    the library published by `as_at` (today by default); one that did not exist then shows its predecessor's."""
    listed = list(entries)
    latest = {row.code: row for row in latest_rows(listed, as_at=as_at) if row.code}
    day = day_iso(as_at)
    send = latest_send([e for e in listed if as_at is None or counts_from(e, "publication") <= day])
    on_map = london_codes() | set(england_grids()[0].cells)
    out = {}
    for a in authorities.all_authorities():
        if a.code in on_map:
            before = None if existed(a.code, as_at) else predecessor(a.code, as_at)
            code = before.code if before else a.code
            out[a.code] = Place(a, latest.get(code), send.get(code), before)
    return out


def selection(region: str | None = None, neighbours_of: str | None = None) -> set[str] | None:
    """The codes a filter keeps (None: every authority): a region by the start of its name, and an authority with its
    ten statistical neighbours. Raises ValueError naming an authority that does not exist."""
    wanted: set[str] | None = None
    if region:
        start = region.lower().replace("-", " ").strip()
        wanted = {a.code for a in authorities.all_authorities() if a.region.lower().startswith(start)}
        if not wanted:
            regions = sorted({a.region for a in authorities.all_authorities() if a.region})
            raise ValueError(f"no region called {region!r} (regions: {', '.join(regions)})")
    if neighbours_of:
        centre = authorities.by_code(neighbours_of) or authorities.identify(neighbours_of)
        if centre is None:
            raise ValueError(f"no authority called {neighbours_of!r}")
        near = {centre.code, *centre.neighbours}
        wanted = near if wanted is None else wanted & near
    return wanted


def letters(grid: Grid, places_by_code: dict[str, Place], judgement: str, wanted: set[str] | None) -> list[str]:
    """The grid as text, a letter per cell: what `ofsted-reader map` prints and the screen colours."""
    lines = []
    for row in grid.owners:
        line = []
        for code in row:
            if code is None or code not in places_by_code:
                line.append(" ")
            elif wanted is not None and code not in wanted:
                line.append(FILTERED_OUT)
            else:
                line.append(places_by_code[code].letter(judgement))
        lines.append("".join(line))
    return lines


def counts(places_by_code: dict[str, Place], judgement: str, wanted: set[str] | None = None) -> dict[str, int]:
    """How many authorities show each letter."""
    out = {letter: 0 for letter, _ in LEGEND + SEND_LEGEND}
    out["A"] = 0
    for code, place in places_by_code.items():
        if wanted is None or code in wanted:
            out[place.letter(judgement)] += 1
    return out


# --- the cursor -----------------------------------------------------------------------------------------------

DIRECTIONS = {"left": (0, -1), "right": (0, 1), "up": (-1, 0), "down": (1, 0)}


def _position(code: str) -> tuple[float, float] | None:
    """Where an authority is, in columns of the largest map (a row is two columns tall)."""
    centre = england_grids()[-1].centres.get(code)
    return (centre[0] * 2, centre[1]) if centre else None


def step(code: str, direction: str, among: Iterable[str]) -> str:
    """The authority the cursor moves to from `code`: the nearest in that direction (within 45 degrees of it,
    the straighter the better); `code` itself when there is none."""
    here = _position(code)
    if here is None:
        return code
    dy, dx = DIRECTIONS[direction]
    best: tuple[float, str] | None = None
    for other in among:
        there = _position(other)
        if other == code or there is None:
            continue
        vy, vx = there[0] - here[0], there[1] - here[1]
        along = vy * dy + vx * dx
        across = abs(vy * dx - vx * dy)
        if along <= 0 or across > along:  # within 45 degrees of the direction
            continue
        score = along + 3 * across
        if best is None or score < best[0]:
            best = (score, other)
    return best[1] if best else code


def first(among: Iterable[str]) -> str | None:
    """Where the cursor starts: the authority nearest the middle of England."""
    grid = england_grids()[-1]
    middle = (grid.rows / 2 * 2, grid.cols / 2)
    best: tuple[float, str] | None = None
    for code in among:
        there = _position(code)
        if there is not None:
            distance = math.dist(there, middle)
            if best is None or distance < best[0]:
                best = (distance, code)
    return best[1] if best else None
