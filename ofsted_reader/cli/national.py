"""The national picture on the command line: `ofsted-reader map` (England by grade) and `grades --history` (the
share of authorities at each grade every 31 March and today, in England and each region).

main.py registers these and passes the parsed arguments here. Errors a user can put right print one line and give
exit status 2, as everywhere in the CLI.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from typing import TYPE_CHECKING, Any

from .common import EXIT_USAGE, say_error

if TYPE_CHECKING:
    from ofsted_reader.core.national_map import Grid, Place
    from ofsted_reader.core.stocks import Movement, Stock

# The judgements of the latest-grades table (ofsted_reader.core.latest.COLUMNS), named here so that building the
# parser imports nothing.
JUDGEMENTS = ["overall", "leaders", "help_protection", "in_care", "care_leavers"]
# The map's layers: the judgements, then the latest area SEND inspection's outcome (core.judgements.SEND_KEY).
LAYERS = [*JUDGEMENTS, "send"]
# Backgrounds for the map's letters where the output is a terminal (the letters carry the grade without them).
MAP_STYLES = {
    "O": "bold black on green",
    "G": "bold black on cyan",
    "R": "bold black on yellow",
    "A": "bold black on yellow",
    "I": "bold white on red",
    "p": "bold black on cyan",  # the area SEND outcomes: positive, inconsistent, failings
    "i": "bold black on yellow",
    "f": "bold white on red",
    "-": "dim",
    "?": "dim",
    "·": "dim",
}


def _fail(message: str) -> int:
    say_error(message)
    return EXIT_USAGE


def register(sub: Any) -> None:
    """Add `map` to the CLI's subcommands."""
    p = sub.add_parser("map", help="a map of England, each authority by its latest grade (a letter per grade)")
    p.add_argument(
        "--judgement",
        choices=LAYERS,
        default="overall",
        help="which judgement colours the map; send: the latest area SEND inspection's outcome",
    )
    p.add_argument("--region", help="only the authorities of a region ('london', 'north west'); the rest dotted")
    p.add_argument("--neighbours-of", metavar="AUTHORITY", help="only an authority and its statistical neighbours")
    p.add_argument(
        "--size", metavar="COLSxROWS", help="the space to fit (default: the terminal's, or 80x24 when piped)"
    )
    p.add_argument("--json", action="store_true", help="each authority's code, name, grade and cells")
    p.set_defaults(func=cmd_map)


def add_history_options(parser: argparse.ArgumentParser) -> None:
    """`grades --history`: the options it adds to `grades`."""
    parser.add_argument(
        "--history",
        action="store_true",
        help="how many authorities held each grade every 31 March since 2013 and today, England and each region; "
        "and how many improved, kept or declined from their first to their latest ILACS inspection",
    )
    parser.add_argument(
        "--judgement",
        default="overall",
        choices=JUDGEMENTS,
        help="with --history: which judgement to count (default overall)",
    )


def _size(text: str | None) -> tuple[int, int]:
    if text:
        match = re.fullmatch(r"\s*(\d+)\s*[x×]\s*(\d+)\s*", text)
        if not match or int(match.group(1)) < 40 or int(match.group(2)) < 12:
            raise ValueError(f"--size {text!r} is not COLSxROWS of at least 40x12 (e.g. 80x24)")
        return int(match.group(1)), int(match.group(2))
    if sys.stdout.isatty():
        size = shutil.get_terminal_size()
        return size.columns, size.lines
    return 80, 24


def map_layout(cols: int, rows: int) -> tuple[Grid, Grid]:
    """The whole map and the London inset that fit side by side in cols x rows, with room for the legend."""
    from ofsted_reader.core import national_map

    england = national_map.fitting(national_map.england_grids(), rows - 4, cols * 3 // 5)
    london = national_map.fitting(national_map.london_grids(), rows // 2, cols - england.cols - 3)
    return england, london


def cmd_map(args: argparse.Namespace) -> int:
    from ofsted_reader.core import national_map
    from ofsted_reader.core.dates import list_date
    from ofsted_reader.core.judgements import SEND_KEY
    from ofsted_reader.store.library.library import Library

    try:
        cols, rows = _size(args.size)
    except ValueError as error:
        return _fail(str(error))
    try:
        wanted = national_map.selection(args.region, args.neighbours_of)
    except ValueError as error:
        return _fail(f"{error}; give a name as `ofsted-reader list` shows it")
    places = national_map.places(Library.open().entries())
    england, london = map_layout(cols, rows)
    judgement = args.judgement
    if args.json:
        out = []
        for code, place in sorted(places.items(), key=lambda item: item[1].authority.name.lower()):
            row = place.row
            send = judgement == SEND_KEY and place.send is not None
            out.append(
                {
                    "authority_code": code,
                    "ons_code": place.authority.ons_code,
                    "name": place.authority.name,
                    "region": place.authority.region,
                    "grade": _grade(place, judgement),
                    "letter": place.letter(judgement),
                    "report_id": place.send.id if send else row.report_id if row else None,
                    "inspected": list_date(place.send) if send else row.date if row else None,
                    "selected": wanted is None or code in wanted,
                    "cells": [list(cell) for cell in england.cells_of(code)],
                    "inset_cells": [list(cell) for cell in london.cells_of(code)],
                }
            )
        data = {
            "judgement": judgement,
            "map": {"rows": england.rows, "cols": england.cols},
            "inset": {"rows": london.rows, "cols": london.cols, "area": "London"},
            "notice": national_map.notice(),
            "authorities": out,
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        return 0
    _print_map(places, england, london, judgement, wanted)
    return 0


def _grade(place: Place, layer: str) -> str | None:
    """The grade's name, or an area SEND outcome's words, the layer shows for a place."""
    from ofsted_reader.core.grades import grade_name
    from ofsted_reader.core.judgements import SEND_KEY
    from ofsted_reader.core.vocabulary import SEND_OUTCOME_NAMES, SEND_OUTCOMES

    value = place.grade(layer)
    if not value:
        return None
    if layer == SEND_KEY:
        return SEND_OUTCOME_NAMES[SEND_OUTCOMES[value - 1]]
    return grade_name(value, place.row.framework) if place.row else None


def _print_map(places: dict[str, Place], england: Grid, london: Grid, judgement: str, wanted: set[str] | None) -> None:
    from rich.console import Console
    from rich.text import Text

    from ofsted_reader.core import national_map

    colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    console = Console(width=max(80, england.cols + london.cols + 3), highlight=False, no_color=not colour)
    left = national_map.letters(england, places, judgement, wanted)
    right = ["London"] + national_map.letters(london, places, judgement, wanted)

    def styled(line: str) -> Text:
        text = Text()
        for char in line:
            text.append(char, style=MAP_STYLES.get(char, "") if colour else "")
        return text

    what = "latest area SEND inspection, its outcome" if judgement == "send" else "latest inspection, "
    if judgement != "send":
        what += national_map.JUDGEMENT_NAMES[judgement].lower()
    console.print(Text(f"England: {what}", "bold"))
    for index in range(max(len(left), len(right))):
        line = styled(left[index] if index < len(left) else " " * england.cols)
        line.append("   ")
        if index < len(right):
            line.append_text(styled(right[index]) if index else Text(right[index], "bold"))
        console.print(line, crop=False, overflow="ignore", no_wrap=True)
    counts = national_map.counts(places, judgement, wanted)
    console.print(
        "  ".join(f"{letter} {name} ({counts[letter]})" for letter, name in national_map.legend(judgement))
        + (f"  · filtered out ({len(places) - sum(counts.values())})" if wanted is not None else ""),
        width=80,
    )
    console.print(Text(national_map.notice(), "dim"), width=80)


def cmd_grades_history(args: argparse.Namespace) -> int:
    from ofsted_reader.core import stocks, trends
    from ofsted_reader.core.filters import FilterError, resolve_region
    from ofsted_reader.core.latest import BadDate, as_at_date
    from ofsted_reader.store.library.library import Library

    try:
        region = resolve_region(args.region) if args.region else None
        until = as_at_date(args.as_at) if args.as_at else None
    except FilterError as error:
        return _fail(str(error))
    except BadDate as error:
        return _fail(f"--as-at {error}")
    entries = Library.open().entries()
    days = stocks.stock_days(until)
    rows = stocks.stocks(entries, args.judgement, region, days, args.counting)
    moved = stocks.movement(entries, args.judgement, days[-1], region, args.counting)
    if args.json:
        data = {
            "judgement": args.judgement,
            "counting": args.counting,
            "stocks": [r.to_dict() for r in rows],
            "ilacs_movement": moved.to_dict(),
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    if args.csv:
        sys.stdout.write(stocks.stocks_csv(rows))
        return 0
    _print_history(rows, args.judgement, [stocks.ENGLAND] if not region else None, args.counting)
    _print_movement(moved)
    themes = trends.visits_since_latest(entries)
    if themes and not region:
        print("Focused and monitoring visits since each authority's latest inspection, by theme (authorities):")
        print("  " + " · ".join(f"{t.theme} {len(t.authorities)}" for t in themes))
    return 0


BAR = 20  # a letter per 5% of the authorities of the day


def _print_history(rows: list[Stock], judgement: str, shown: list[str] | None, counting: str) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ofsted_reader.core import stocks

    console = Console(width=None if sys.stdout.isatty() else 80, highlight=False)
    for area in shown or stocks.areas(rows):
        mine = [r for r in rows if r.area == area]
        keys = [k for k in stocks.KEYS if any(r.counts[k] for r in mine)]
        table = Table(
            title=f"{area}: {judgement.replace('_', ' ')}, authorities by the grade they held (latest inspection "
            + ("published" if counting == "publication" else "carried out")
            + " by each date)",
            title_justify="left",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
            padding=(0, 0),
        )
        table.add_column("As at", no_wrap=True)
        for key in keys:
            table.add_column(stocks.HEADERS[key], justify="right", no_wrap=True)
        table.add_column("G+O", justify="right", no_wrap=True)
        table.add_column("Share", no_wrap=True)
        for row in mine:
            bar = Text()
            for letter, cells in stocks.bar(row, BAR):
                bar.append(letter * cells, style=MAP_STYLES.get(letter, "dim"))
            share = row.good_or_better
            table.add_row(
                row.date,
                *(str(row.counts[k]) for k in keys),
                "-" if share is None else f"{share:.0%}",
                bar,
            )
        console.print(table)
    console.print(
        "Outst. outstanding · RI requires improvement · Adeq. adequate (2009-2012) · Inad. inadequate · None: "
        "inspected, no grade for this judgement (no overall grade since April 2026) · Not in.: no inspection published "
        f"by then in the library · G+O: good or outstanding, of those graded · Share: a letter per {100 // BAR}% of "
        "the authorities, · no grade",
        style="dim",
    )


def _print_movement(moved: Movement) -> None:
    from rich.console import Console

    from ofsted_reader.core.dates import long_date

    Console(width=None if sys.stdout.isatty() else 80, highlight=False).print(
        f"First to latest ILACS inspection ({moved.judgement.replace('_', ' ')}), the {moved.compared} authorities "
        f"inspected twice or more by {long_date(moved.as_at)}: {len(moved.improved)} improved, "
        f"{len(moved.kept_good)} kept good or outstanding, {len(moved.kept_below)} kept requires improvement or "
        f"inadequate, {len(moved.declined)} declined"
        + (f"; {len(moved.not_graded)} with no grade for it at the latest (2026 framework)" if moved.not_graded else "")
    )
