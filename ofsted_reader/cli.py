"""The `ofsted-reader` command: opens the app, and offers each capability as a scriptable subcommand.

Errors a user can cause (a bad file, an unknown id) print one line, `ofsted-reader: <what>`, and exit 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from importers import ReportError, parse_file, report_files

EXIT_USAGE = 2
SHORT_SERVICE = {"safeguarding": "Safeguarding", "looked_after": "Looked after", "children": "Overall"}


class UserError(Exception):
    """Something the user can put right; the message says what and how."""


def _print_json(data, compact: bool = False) -> None:
    if compact:
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _error(message: str) -> None:
    sys.stderr.write(f"ofsted-reader: {message}\n")


# --- parse ----------------------------------------------------------------------------------------------------


def cmd_parse(args: argparse.Namespace) -> int:
    files: list[Path] = []
    status = 0
    for given in args.paths:
        path = Path(given)
        if not path.exists():
            _error(f"{given}: no such file or directory; check the path")
            status = EXIT_USAGE
            continue
        found = report_files(path)
        if path.is_dir() and not found:
            _error(f"{given}: no .txt or .pdf reports in this directory")
            status = EXIT_USAGE
        files += found
    lines = len(args.paths) > 1 or any(Path(p).is_dir() for p in args.paths)
    for path in files:
        try:
            report = parse_file(path)
        except ReportError as error:
            _error(str(error))
            status = EXIT_USAGE
            continue
        if args.json:
            _print_json(report.to_dict(), compact=lines)
        else:
            _print_summary(report)
    return status


def _print_summary(report) -> None:
    from ofsted_reader.grades import grade_name

    numbered = [p for p in report.paragraphs if p.number is not None]
    print(f"{report.authority} ({report.published or 'undated'}) [{report.framework}] {report.id}")
    print(f"  {len(report.sections)} sections, {len(numbered)} numbered paragraphs, "
          f"{len(report.judgements)} judgements, {len(report.recommendations)} recommendations")
    for judgement in report.overall_judgements():
        print(f"  {judgement.service}: overall effectiveness {grade_name(judgement.grade, report.framework)}")
    for warning in report.warnings:
        print(f"  warning: {warning}")


# --- list -----------------------------------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from ofsted_reader.grades import grade_name
    from store.library import Library

    library = Library.open()
    for problem in library.problems:
        _error(problem)
    entries = library.entries()
    if args.json:
        _print_json([
            {"report_id": e.id, "authority": e.authority, "published": e.published, "framework": e.framework,
             "overall": [{"service": s, "grade": g, "label": label} for s, g, label in e.overall],
             "bundled": e.bundled, "source": e.source}
            for e in entries
        ])
        return 0
    table = Table(title=f"{len(entries)} reports", title_justify="left")
    for column in ("Authority", "Published", "Framework", "Overall effectiveness", "Report id"):
        table.add_column(column)
    for e in entries:
        overall = "; ".join(
            f"{SHORT_SERVICE.get(s, s)}: {grade_name(g, e.framework)}" for s, g, _ in e.overall
        ) or "not graded"
        table.add_row(e.authority, e.published or "", e.framework, overall, e.id)
    # Piped output keeps one row per line for grep and friends.
    Console(width=None if sys.stdout.isatty() else 200).print(table)
    return 0


# --- import ---------------------------------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    from store.library import Library

    library = Library.open()
    status = 0
    for given in args.paths:
        path = Path(given)
        if not path.exists():
            _error(f"{given}: no such file or directory; check the path")
            status = EXIT_USAGE
            continue
        for file in report_files(path):
            try:
                report, replaced = library.import_file(file)
            except ReportError as error:
                _error(f"{error}; nothing was imported from it")
                status = EXIT_USAGE
                continue
            verb = "replaced" if replaced else "imported"
            print(f"{verb} {report.id} ({report.authority}, {report.published or 'undated'}) from {file}")
    return status


# --- the app --------------------------------------------------------------------------------------------------


def cmd_app(args: argparse.Namespace) -> int:
    from tui.app import run

    return run()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ofsted-reader",
        description="Read, search, annotate and compare Ofsted children's services reports. "
        "With no command, opens the app.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("parse", help="parse report files (text or PDF) and print them")
    p.add_argument("paths", nargs="+", metavar="PATH", help="report files or directories (searched recursively)")
    p.add_argument("--json", action="store_true", help="one JSON object per report (JSON Lines for several)")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("list", help="list the reports in the library")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("import", help="add reports (text or PDF, files or folders) to your library")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("app", help="open the app (the default)")
    p.set_defaults(func=cmd_app)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", cmd_app)
    try:
        return func(args)
    except UserError as error:
        _error(str(error))
        return EXIT_USAGE
    except ReportError as error:
        _error(str(error))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
