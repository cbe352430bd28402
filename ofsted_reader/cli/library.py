"""The library's commands: `parse`, `list`, `import`, `fetch` (the one command that uses the network) and `open`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ofsted_reader.core.safe_text import visible
from ofsted_reader.importers.errors import ReportError
from ofsted_reader.importers.ofsted_site import DEFAULT_KINDS, FETCH_KINDS, KIND_ALIASES, RUN_LIMIT

from . import listing
from .common import (
    EXIT_USAGE,
    UserError,
    print_json,
    say_error,
)

if TYPE_CHECKING:
    from ofsted_reader.core.model import Report


def register(sub: Any) -> None:
    """Add `parse`, `list`, `import`, `fetch` and `open`."""
    p = sub.add_parser("parse", help="parse report files (text or PDF) and print them")
    p.add_argument("paths", nargs="+", metavar="PATH", help="report files or directories (searched recursively)")
    p.add_argument("--json", action="store_true", help="one JSON object per report (JSON Lines for several)")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("list", help="list the reports in the library")
    p.add_argument("--json", action="store_true", help="every report's facts (ids, dates, grades, source) as JSON")
    p.set_defaults(func=listing.cmd_list)

    p = sub.add_parser("import", help="add reports (text or PDF, files or folders) to your library")
    p.add_argument("paths", nargs="+", metavar="PATH", help="report files (PDF or text) or folders of them")
    p.add_argument("--json", action="store_true", help="each file's outcome and warnings, and the totals, as JSON")
    p.set_defaults(func=cmd_import)
    p = sub.add_parser(
        "fetch",
        help="download new reports and visit letters from Ofsted's site (the only command that uses the network)",
    )
    p.add_argument("authorities", nargs="*", metavar="AUTHORITY", help="authority names, e.g. Derby 'Milton Keynes'")
    p.add_argument("--all", action="store_true", help="every current English local authority")
    p.add_argument("--dry-run", action="store_true", help="list what would be fetched; download nothing")
    p.add_argument(
        "--kind",
        action="append",
        choices=[*FETCH_KINDS, *KIND_ALIASES],
        help="only these kinds of publication (repeatable; default the four of children's services: "
        f"{', '.join(DEFAULT_KINDS)}; jtai and send (area_send) are joint targeted area and area SEND inspections)",
    )
    p.add_argument("--delay", type=float, default=1.0, help="seconds between requests (default 1, to be polite)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds a request may take, all of it (default 30)")
    p.add_argument(
        "--max-time",
        type=float,
        default=RUN_LIMIT,
        metavar="SECONDS",
        help=f"seconds the whole run may take (default {RUN_LIMIT:,.0f}); a stopped run resumes",
    )
    p.add_argument("--site", help=argparse.SUPPRESS)  # tests point it at a local server (or OFSTED_READER_SITE)
    p.set_defaults(func=cmd_fetch)
    p = sub.add_parser(
        "open",
        help="open a report's original PDF in your viewer, at a paragraph's page",
        description="Opens the report's file with the command in OFSTED_READER_PDF_VIEWER or config.json's "
        "pdf_viewer ({file} and {page} are filled in, e.g. 'zathura -P {page} {file}'), else the system's opener.",
    )
    p.add_argument("id", metavar="ID", help="a report id or authority, or a paragraph id (barnsley-2023-09-15/p12)")
    p.add_argument("--page", type=int, help="the page to open at (default: the paragraph's page, else 1)")
    p.add_argument(
        "--download",
        action="store_true",
        help="when the library holds only the report's text (most of the shipped record), fetch its PDF once from "
        "Ofsted's URL into the data dir first (the network)",
    )
    p.set_defaults(func=cmd_open)


def cmd_parse(args: argparse.Namespace) -> int:
    from ofsted_reader.importers import parse_file, report_files

    files: list[Path] = []
    status = 0
    for given in args.paths:
        path = Path(given)
        if not path.exists():
            say_error(f"{given}: no such file or directory; check the path")
            status = EXIT_USAGE
            continue
        unlisted: list[str] = []
        found = report_files(path, unlisted)
        for problem in unlisted:
            say_error(problem)
            status = EXIT_USAGE
        if path.is_dir() and not found and not unlisted:
            say_error(f"{given}: no .txt or .pdf reports in this directory")
            status = EXIT_USAGE
        files += found
    lines = len(args.paths) > 1 or any(Path(p).is_dir() for p in args.paths)
    for path in files:
        try:
            report = parse_file(path)
        except ReportError as error:
            say_error(str(error))
            status = EXIT_USAGE
            continue
        if args.json:
            print_json(report.to_dict(), compact=lines)
        else:
            _print_summary(report)
    return status


def _print_summary(report: Report) -> None:
    from ofsted_reader.core.grades import grade_name

    numbered = [p for p in report.paragraphs if p.number is not None]
    from ofsted_reader.core.citation import dated  # published, else when inspected (ILACS PDFs print no date)

    print(visible(f"{report.authority} ({dated(report)}) [{report.framework}] {report.id}"))
    print(
        f"  {len(report.sections)} sections, {len(numbered)} numbered paragraphs, "
        f"{len(report.judgements)} judgements, {len(report.recommendations)} recommendations"
    )
    for judgement in report.overall_judgements():
        print(f"  {judgement.service}: overall effectiveness {grade_name(judgement.grade, report.framework)}")
    for warning in report.warnings:
        print(f"  warning: {visible(warning)}")


def cmd_fetch(args: argparse.Namespace) -> int:
    """Opt-in download from Ofsted's reports site. Nothing else in the app touches the network."""
    from rich.progress import Progress

    from ofsted_reader.core import authorities
    from ofsted_reader.importers.ofsted_site import SITE, Client, Stopped, Unreachable
    from ofsted_reader.store.library import fetching, sources
    from ofsted_reader.store.library.library import Library

    if args.all:
        wanted = [a for a in authorities.all_authorities() if not a.defunct]
    else:
        if not args.authorities:
            raise UserError("name one or more authorities (ofsted-reader fetch Derby Kent), or give --all")
        wanted = []
        for name in args.authorities:
            found = authorities.identify(name)
            if found is None:
                raise UserError(
                    f"{name!r} is not an English local authority in the LA table; give its name as "
                    "Ofsted writes it (e.g. 'Kingston upon Hull', 'Bristol')"
                )
            wanted.append(found)
    kinds = {KIND_ALIASES.get(kind, kind) for kind in args.kind or fetching.KINDS}
    site = args.site or os.environ.get("OFSTED_READER_SITE") or SITE
    library = Library.open()
    record = sources.load()
    with Client(delay=args.delay, timeout=args.timeout, run_limit=args.max_time) as client:
        try:
            plan = fetching.plan(library, wanted, kinds, client, site, record)
        except (Unreachable, Stopped) as error:
            say_error(str(error))
            return EXIT_USAGE
        for problem in plan.problems:
            say_error(problem)
        status = EXIT_USAGE if plan.problems else 0
        if args.dry_run:
            for authority, publication in plan.items:
                when = publication.published.isoformat() if publication.published else "undated"
                print(visible(f"would fetch {authority.name}: {publication.title} ({when}) {publication.url}"))
            print(f"{len(plan.items)} to fetch, {plan.known} already in the library")
            return status
        fetched = failed = 0
        with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
            task = progress.add_task("fetching", total=len(plan.items))
            for authority, publication in plan.items:
                progress.update(task, description=f"{authority.name}: {publication.title}")
                try:
                    result = fetching.fetch_one(library, client, record, authority, publication)
                except Stopped as error:
                    say_error(f"{error} ({len(plan.items) - fetched - failed} not fetched)")
                    status = EXIT_USAGE
                    break
                if result.error:
                    say_error(result.error)
                    failed += 1
                    status = EXIT_USAGE
                else:
                    fetched += 1
                    print(
                        visible(
                            f"fetched {result.report_id} ({authority.name}, {publication.title}) from {publication.url}"
                        )
                    )
                fetching.save(library, record)  # after each file: an interrupted run resumes where it stopped
                progress.advance(task)
    print(f"{fetched} fetched, {plan.known} already in the library, {failed} failed")
    return status


def cmd_import(args: argparse.Namespace) -> int:
    from ofsted_reader.store.library.importing import files_of, import_file, notes_reanchorer, summary, summary_line
    from ofsted_reader.store.library.library import Library

    library = Library.open()
    files, outcomes = files_of(args.paths)
    for outcome in outcomes:
        say_error(outcome.error or outcome.file)
    reanchor = notes_reanchorer()
    for file in files:
        outcome = import_file(library, file, reanchor)
        outcomes.append(outcome)
        if outcome.status == "refused":
            say_error(f"{outcome.error}; nothing was imported from it")
            continue
        if args.json:
            continue
        line = f"{outcome.status} {outcome.report_id} ({outcome.authority}, {outcome.date}) from {file}"
        print(visible(line, as_name=True))
        for warning in outcome.warnings:
            print(f"  warning: {visible(warning)}")
        if outcome.notes and any(outcome.notes):
            kept, moved, orphaned = outcome.notes
            print(
                f"  notes: {kept} in place, {moved} moved with their quote, {orphaned} orphaned "
                "(see `ofsted-reader note list --orphans`)"
            )
    library.save()
    if args.json:
        body = {"files": [o.to_dict() for o in outcomes], "summary": summary(outcomes)}
        print(json.dumps(body, ensure_ascii=False, indent=1))
    else:
        print(summary_line(outcomes))
    return EXIT_USAGE if any(o.status == "refused" for o in outcomes) else 0


def cmd_open(args: argparse.Namespace) -> int:
    from ofsted_reader.host.config import Config
    from ofsted_reader.host.viewer import ViewerError, open_file
    from ofsted_reader.store.library.library import Library
    from ofsted_reader.store.library.originals import download, local_pdf, online

    if args.page is not None and args.page < 1:
        raise UserError(f"--page {args.page} is not a page; pages are numbered from 1")
    library = Library.open()
    report_part, _, rest = args.id.partition("/")
    try:
        entry = library.resolve(report_part)
    except LookupError as error:
        raise UserError(str(error)) from None
    page = args.page
    if page is None and rest:
        paragraph = library.load(entry.id).paragraph(f"{entry.id}/{rest}")
        if paragraph is None:
            raise UserError(f"no paragraph {args.id!r}; paragraph ids look like {entry.id}/p12")
        page = paragraph.page
    file = local_pdf(entry)
    if file is None and args.download:
        file = download(entry)
        print(visible(f"downloaded {entry.source_url} to {file}", keep_newlines=False))
    if file is None:
        url = online(entry, page)
        raise UserError(
            f"{entry.id}: the library holds this report's text, not its PDF; "
            + (
                f"`ofsted-reader open {args.id} --download` fetches it once, or open {url} in a browser"
                if url
                else "Ofsted's listing gives no URL for it (`ofsted-reader fetch` finds it on the authority's page)"
            )
        )
    config = Config.load()
    for problem in config.problems:
        say_error(problem)
    try:
        at_page = open_file(file, page, config.viewer_words)
    except ViewerError as error:
        raise UserError(str(error)) from None
    where = f" at page {page}" if page and at_page else ""
    unpaged = (
        f" (page {page}: the system's opener cannot be told a page; set a viewer, see --help)"
        if page and not at_page
        else ""
    )
    print(visible(f"opened {file}{where}{unpaged}", keep_newlines=False))
    return 0
