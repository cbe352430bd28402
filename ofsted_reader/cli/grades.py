"""`compare` (one section side by side) and `grades` (the matrix of every report, or each authority's latest)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ofsted_reader.core.vocabulary import FRAMEWORKS, FRAMEWORKS_NEWEST_FIRST, SLAC_SERVICES

from . import national
from .common import (
    UserError,
    cell,
    print_json,
    resolve_report,
)


def register(sub: Any) -> None:
    """Add `compare`, `grades` and `map`."""
    p = sub.add_parser("compare", help="one section side by side across 2-4 reports, paragraphs aligned by topic")
    p.add_argument(
        "reports", nargs="+", metavar="REPORT", help="2-4 reports: ids, the start of ids, or authorities (their latest)"
    )
    p.add_argument("--section", required=True, help="section title; equivalents across frameworks are matched")
    p.add_argument("--service", choices=SLAC_SERVICES, help="which service's section (2009-2012)")
    p.add_argument("--json", action="store_true", help="the aligned paragraphs as JSON")
    p.add_argument("--markdown", action="store_true", help="grades table then aligned paragraphs with citations")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("grades", help="the grades matrix: every report's judgements, or each authority's latest")
    p.add_argument("--framework", choices=FRAMEWORKS, help="only reports of this framework")
    p.add_argument("--latest", action="store_true", help="one row per authority: its latest inspection's grades")
    p.add_argument("--region", help="with --latest: authorities of a region ('london', 'north west')")
    p.add_argument(
        "--neighbours-of", metavar="AUTHORITY", help="with --latest: an authority and its ten statistical neighbours"
    )
    p.add_argument(
        "--as-at",
        metavar="YYYY-MM-DD",
        help="with --latest: each authority's latest judgements on that day (an inspection counts from its "
        "publication; the authorities of the day, abolished ones too); with --history: the last day counted",
    )
    p.add_argument(
        "--counting",
        choices=("publication", "inspection"),
        default="publication",
        help="with --as-at or --history: an inspection counts from its publication (default) or, as Ofsted's "
        "'as at 31 March' statistics count, from its last day on site",
    )
    p.add_argument("--json", action="store_true", help="the rows as JSON")
    p.add_argument("--csv", action="store_true", help="the rows as CSV (every judgement, full grade words)")
    national.add_history_options(p)
    p.set_defaults(func=cmd_grades)
    national.register(sub)


def cmd_compare(args: argparse.Namespace) -> int:
    from ofsted_reader.core.compare import compare
    from ofsted_reader.store.library.library import Library

    if not 2 <= len(args.reports) <= 4:
        raise UserError("compare two to four reports")
    library = Library.open()
    chosen = [resolve_report(library, given).id for given in args.reports]
    comparison = compare([library.load(r) for r in chosen], args.section, args.service)
    if all(s is None for s in comparison.sections):
        raise UserError(f"no section like {args.section!r} in these reports")
    if args.json:
        print_json(comparison.to_dict())
    elif args.markdown:
        sys.stdout.write(comparison.to_markdown())
    else:
        from rich.console import Console
        from rich.table import Table

        from ofsted_reader.core.citation import dated
        from ofsted_reader.core.wording import elide  # a cell is cut at a word, and says so

        table = Table(title=cell(comparison.title), show_lines=True)
        for report, section in zip(comparison.reports, comparison.sections):
            from ofsted_reader.core.grades import grade_name

            grade = grade_name(section.grade, report.framework) if section and section.grade else "-"
            table.add_column(cell(f"{report.authority} ({dated(report)}) {grade}"))
        for row in comparison.rows:
            table.add_row(
                *[
                    cell(f"{comparison.paragraphs[c][i].number or ''}. " + elide(comparison.paragraphs[c][i].text, 300))
                    if i is not None
                    else ""
                    for c, i in enumerate(row)
                ]
            )
        Console(width=None if sys.stdout.isatty() else 200).print(table)
    return 0


def as_at_of(args: argparse.Namespace) -> Any:
    """--as-at as a date (None when not given); a date that is none is one line and exit 2."""
    from ofsted_reader.core.latest import BadDate, as_at_date

    if not args.as_at:
        return None
    try:
        return as_at_date(args.as_at)
    except BadDate as error:
        raise UserError(f"--as-at {error}") from None


def cmd_grades_latest(args: argparse.Namespace) -> int:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ofsted_reader.core.dates import long_date
    from ofsted_reader.core.filters import FilterError, resolve_authority, resolve_region
    from ofsted_reader.core.latest import (
        COLUMNS,
        LEGEND,
        NO_OVERALL,
        compact_word,
        grade_counts,
        latest_csv,
        latest_rows,
        not_inspected,
        uninspected_dict,
    )
    from ofsted_reader.store.library.library import Library

    as_at = as_at_of(args)
    try:
        region = resolve_region(args.region) if args.region else None
        centre = resolve_authority(args.neighbours_of, "--neighbours-of").code if args.neighbours_of else None
    except FilterError as error:
        raise UserError(str(error)) from None
    rows = latest_rows(
        Library.open().entries(), region=region, neighbours_of=centre, as_at=as_at, counting=args.counting
    )
    # As at a date the table is of every authority of that day: those with no inspection by then are rows too.
    missing = not_inspected(rows, region, centre, as_at) if as_at else []
    if args.json:
        listed = [row.to_dict() for row in rows] + [uninspected_dict(a, as_at) for a in missing]
        print_json(sorted(listed, key=lambda r: r["authority"].lower()) if missing else listed)
        return 0
    if args.csv:
        sys.stdout.write(latest_csv(rows, [uninspected_dict(a, as_at) for a in missing]))
        return 0
    from ofsted_reader.core.grades import NAMES

    counts = grade_counts(rows)
    from ofsted_reader.core.wording import plural

    no_overall = sum(1 for row in rows if row.no_overall)
    when = f"as at {long_date(as_at.isoformat())}" if as_at else "latest inspection"
    if args.counting == "inspection":
        when += " (counted from the inspection)"
    table = Table(
        title=f"{plural(len(rows), 'authority', 'authorities')}, {when} · overall: "
        + ", ".join(f"{counts[g]} {NAMES[g].lower()}" for g in (1, 2, 3, 4))
        + (f", {no_overall} with {NO_OVERALL}" if no_overall else "")
        + f" · inadequate on any judgement: {sum(1 for row in rows if row.worst() == 4)}",
        title_justify="left",
        pad_edge=False,
        padding=(0, 0),
        box=box.SIMPLE_HEAD,
    )
    table.add_column("Authority", no_wrap=True, max_width=19, overflow="ellipsis")
    table.add_column("Date", no_wrap=True)
    table.add_column("Frame", no_wrap=True)
    for _, header in COLUMNS:
        table.add_column(header, min_width=7, max_width=10, no_wrap=False)
    styles = {1: "bold green", 2: "cyan", 3: "yellow", 4: "bold red"}
    for row in rows:
        cells = []
        for key, _ in COLUMNS:
            grade = row.grade(key)
            mark = "*" if row.combined_care and key in {"in_care", "care_leavers"} else ""
            if grade:
                cells.append(Text(compact_word(grade, row.framework) + mark, style=styles[grade]))
            else:
                cells.append(Text("none†" if key == "overall" and row.no_overall else "-", style="dim"))
        table.add_row(cell(row.authority), row.date[:7], row.framework.upper(), *cells)
    console = Console(width=None if sys.stdout.isatty() else 80)
    console.print(table)
    console.print(LEGEND)
    if any(row.combined_care for row in rows):
        console.print("* children in care and care leavers were judged together (inspections before 2023)")
    if no_overall:
        console.print(f"† {NO_OVERALL}: rank these by Leaders (`grades --history --judgement leaders`)")
    gone = [row for row in rows if row.note]
    if gone:
        console.print("Since reorganised: " + "; ".join(f"{row.authority}, {row.note}" for row in gone))
    if missing:
        console.print(
            f"No inspection published by then in the library for {plural(len(missing), 'authority', 'authorities')}"
            f" of the day: {'; '.join(a.name for a in missing)}"
        )
    return 0


def cmd_grades(args: argparse.Namespace) -> int:
    from ofsted_reader.core.compare import grades_csv, grades_rows, matrix_columns, row_grades
    from ofsted_reader.store.library.library import Library

    if args.history:
        return national.cmd_grades_history(args)
    if args.latest or args.region or args.neighbours_of or args.as_at:
        return cmd_grades_latest(args)

    rows = grades_rows(Library.open().reports(), args.framework)
    if args.json:
        print_json(rows)
    elif args.csv:
        sys.stdout.write(grades_csv(rows))
    else:
        from rich import box
        from rich.console import Console
        from rich.table import Table

        from ofsted_reader.core.judgements import ORDER, SERVICE_ABBREVIATIONS, SHORT, judgement_key
        from ofsted_reader.core.latest import LEGEND, compact_word
        from ofsted_reader.core.wording import plural

        console = Console(width=None if sys.stdout.isatty() else 160)
        # One table per framework, each with its own judgements under short headers: all of them side by side made
        # a table of over a hundred columns.
        for framework in FRAMEWORKS_NEWEST_FIRST:
            subset = [row for row in rows if row["framework"] == framework]
            if not subset:
                continue
            # Overall first, then the framework's judgements in the order of the latest-grades table.
            columns = sorted(matrix_columns(subset), key=lambda c: ORDER.get(judgement_key(c[2]) or "", len(ORDER)))
            room = max(4, (console.width - 34) // 10)  # what fits beside the authority and date
            hidden = columns[room:]
            columns = columns[:room]
            table = Table(
                title=f"{framework.upper()}: {plural(len(subset), 'report')}",
                title_justify="left",
                box=box.SIMPLE_HEAD,
                pad_edge=False,
                padding=(0, 0),
            )
            table.add_column("Authority", no_wrap=True, max_width=24, overflow="ellipsis")
            table.add_column("Date", no_wrap=True)
            for service, _, name in columns:
                key = judgement_key(name)
                header = SHORT.get(key, name) if key else name
                prefix = (
                    f"{SERVICE_ABBREVIATIONS[service]} " if framework == "slac" and service in SLAC_SERVICES else ""
                )
                table.add_column(cell(prefix + (header if len(header) <= 18 else header[:17] + "…")), max_width=12)
            for row in subset:
                grades = row_grades(row)
                table.add_row(
                    cell(row["authority"]),
                    (row["inspected"] or "")[:7],  # the month the inspection ended, as grades --latest shows
                    *[compact_word(grades[(s, t)], framework) if grades.get((s, t)) else "" for s, t, _ in columns],
                )
            console.print(table)
            if hidden:
                console.print(
                    f"({len(hidden)} more {framework.upper()} judgements: `grades --framework {framework} "
                    "--csv` has every one)",
                    style="dim",
                )
        console.print(LEGEND)
    return 0
