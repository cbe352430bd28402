"""The `ofsted-reader` command: opens the app, and offers each capability as a scriptable subcommand.

Errors a user can cause (a bad file, an unknown id) print one line, `ofsted-reader: <what>`, and exit 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ofsted_reader.core import locations
from ofsted_reader.core.export import GROUPS
from ofsted_reader.core.safe_text import visible

# Only what every command needs is imported here; each command imports its own (rich, tinydb, the importers).
# `search` must answer in well under 0.2 s, and these imports alone were 0.1 s.
from ofsted_reader.importers.errors import ReportError
from ofsted_reader.store.errors import StoreError

if TYPE_CHECKING:
    from rich.text import Text

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
    sys.stderr.write(f"ofsted-reader: {visible(message, keep_newlines=False)}\n")


def _cell(value: object) -> Text:
    """A table cell shown as it is: never read as rich markup, control characters made visible."""
    from rich.text import Text

    return Text(visible(str(value), keep_newlines=False))


# --- parse ----------------------------------------------------------------------------------------------------


def cmd_parse(args: argparse.Namespace) -> int:
    from ofsted_reader.importers import parse_file, report_files

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
    from ofsted_reader.core.grades import grade_name

    numbered = [p for p in report.paragraphs if p.number is not None]
    print(visible(f"{report.authority} ({report.published or 'undated'}) [{report.framework}] {report.id}"))
    print(
        f"  {len(report.sections)} sections, {len(numbered)} numbered paragraphs, "
        f"{len(report.judgements)} judgements, {len(report.recommendations)} recommendations"
    )
    for judgement in report.overall_judgements():
        print(f"  {judgement.service}: overall effectiveness {grade_name(judgement.grade, report.framework)}")
    for warning in report.warnings:
        print(f"  warning: {visible(warning)}")


# --- list -----------------------------------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    from ofsted_reader.cli_list import cmd_list as list_reports

    return list_reports(args)


# --- fetch ----------------------------------------------------------------------------------------------------


def cmd_fetch(args: argparse.Namespace) -> int:
    """Opt-in download from Ofsted's reports site. Nothing else in the app touches the network."""
    from rich.progress import Progress

    from ofsted_reader.core import authorities
    from ofsted_reader.importers.ofsted_site import SITE, Client, Unreachable
    from ofsted_reader.store import fetching, sources
    from ofsted_reader.store.library import Library

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
    kinds = set(args.kind or fetching.KINDS)
    site = args.site or os.environ.get("OFSTED_READER_SITE") or SITE
    library = Library.open()
    record = sources.load()
    with Client(delay=args.delay, timeout=args.timeout) as client:
        try:
            plan = fetching.plan(library, wanted, kinds, client, site, record)
        except Unreachable as error:
            _error(str(error))
            return EXIT_USAGE
        for problem in plan.problems:
            _error(problem)
        status = EXIT_USAGE if plan.problems else 0
        if args.dry_run:
            for authority, publication in plan.items:
                when = publication.published.isoformat() if publication.published else "undated"
                print(f"would fetch {authority.name}: {publication.title} ({when}) {publication.url}")
            print(f"{len(plan.items)} to fetch, {plan.known} already in the library")
            return status
        fetched = failed = 0
        with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
            task = progress.add_task("fetching", total=len(plan.items))
            for authority, publication in plan.items:
                progress.update(task, description=f"{authority.name}: {publication.title}")
                result = fetching.fetch_one(library, client, record, authority, publication)
                if result.error:
                    _error(result.error)
                    failed += 1
                    status = EXIT_USAGE
                else:
                    fetched += 1
                    print(f"fetched {result.report_id} ({authority.name}, {publication.title}) from {publication.url}")
                fetching.save(library, record)  # after each file: an interrupted run resumes where it stopped
                progress.advance(task)
    print(f"{fetched} fetched, {plan.known} already in the library, {failed} failed")
    return status


# --- import ---------------------------------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    from ofsted_reader.store.importing import files_of, import_file, notes_reanchorer, summary, summary_line
    from ofsted_reader.store.library import Library

    library = Library.open()
    files, outcomes = files_of(args.paths)
    for outcome in outcomes:
        _error(outcome.error or outcome.file)
    reanchor = notes_reanchorer()
    for file in files:
        outcome = import_file(library, file, reanchor)
        outcomes.append(outcome)
        if outcome.status == "refused":
            _error(f"{outcome.error}; nothing was imported from it")
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


# --- search -----------------------------------------------------------------------------------------------------


def cmd_search(args: argparse.Namespace) -> int:
    from ofsted_reader.core.filters import FilterError
    from ofsted_reader.core.search import Query
    from ofsted_reader.store.library import Library, search_index

    # Flags are the query's filters spelled out: one grammar (ofsted_reader.core.filters) reads both.
    text = " ".join(args.query)
    for key in ("report", "authority", "region", "service", "section", "grade", "framework", "year", "tag"):
        value = getattr(args, key)
        if value:
            text += " " + key + ':"' + str(value).replace('"', "") + '"'
    if args.annotated:
        text += " is:annotated"
    query = Query.parse(text)
    try:
        query.check()
    except FilterError as error:
        raise UserError(str(error)) from None
    if not query.words and not query.has_filters:
        raise UserError("give some words to search for (and/or filters such as --grade 4)")
    library = Library.open()
    index = search_index(library, _indexing_progress())
    if locations.has_notes_files():  # words match notes and tags too; tag: and is:annotated filter on them
        index.set_notes(_store().all())
    try:
        hits = index.search(query, limit=args.limit)
    except FilterError as error:
        raise UserError(str(error)) from None
    if args.json:
        _print_json([hit.to_dict() for hit in hits])
        return 0
    if not hits:
        print("no matches")
        return 0
    title = f"{index.last_total} paragraphs match; the best {len(hits)} shown"
    sys.stdout.write(_hits_text(title, hits, sys.stdout.isatty()))
    return 0


def _indexing_progress():
    """A line on stderr while reports not yet indexed are (the ~200 shipped reports, once, after installing)."""
    if not sys.stderr.isatty():
        return None

    def show(progress) -> None:
        end = "\n" if progress.done else ""
        sys.stderr.write(f"\r{progress.describe()} (once; later searches start at once){end}")
        sys.stderr.flush()

    return show


# ANSI styles for search results on a terminal. Written directly: rich's import and layout were a third of the
# command's time, for two styles and an indent.
BOLD, CYAN, MARK, RESET = "\x1b[1m", "\x1b[36m", "\x1b[1;7m", "\x1b[0m"


def _hits_text(title: str, hits: list, terminal: bool) -> str:
    """Search results as text: a heading line per hit, then its snippet indented. On a terminal (unless NO_COLOR is
    set) with the matched words marked and the snippet wrapped to the width; piped, plain lines."""
    import re
    import shutil
    import textwrap

    color = terminal and not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size().columns if terminal else 0
    lines = [f"{BOLD}{title}{RESET}" if color else title]
    for hit in hits:
        heading = visible(_hit_heading(hit), keep_newlines=False)
        snippet = visible(hit.snippet, keep_newlines=False)
        if not terminal:
            lines += [heading, "    " + snippet]
            continue
        lines.append(f"{CYAN}{heading}{RESET}" if color else heading)
        wrapped = textwrap.wrap(snippet, width=max(width - 4, 20)) or [""]
        terms = sorted({t for t in hit.terms if t}, key=len, reverse=True)
        marked = re.compile("|".join(map(re.escape, terms)), re.I) if terms and color else None
        for line in wrapped:
            lines.append("    " + (marked.sub(lambda m: f"{MARK}{m.group(0)}{RESET}", line) if marked else line))
    return "\n".join(lines) + "\n"


def _hit_heading(hit) -> str:
    """'96  warwickshire-2011-12-16/p37 · Private fostering · Adequate'"""
    from ofsted_reader.core.search import grade_label

    parts = [hit.doc.paragraph_id, hit.doc.section or "", grade_label(hit.doc)]
    return f"{hit.score:3.0f}  " + " · ".join(part for part in parts if part)


# --- notes, tags, backup ----------------------------------------------------------------------------------------


_STORES: list = []  # the notes stores this command opened: what they found to tell is said as it ends


def _store():
    from ofsted_reader.store.annotations import AnnotationStore

    store = AnnotationStore()
    _STORES.append(store)
    return store


def _say_store_notices() -> None:
    """A journal cut short and kept aside, and the like: said on stderr once the command is done, whatever its end."""
    for store in _STORES:
        for notice in store.notices():
            _error(f"warning: {notice}")
    _STORES.clear()


def _readable_store():
    """The store, for a command whose answer would be wrong from a damaged file ('no notes', an empty export)."""
    store = _store()
    if store.damaged:
        raise StoreError(
            f"annotations file {store.damaged}. `ofsted-reader note restore` shows the previous version "
            "and can put it back"
        )
    return store


def cmd_note_add(args: argparse.Namespace) -> int:
    from ofsted_reader.store.library import Library

    library = Library.open()
    report, paragraph = library.find_paragraph(args.paragraph_id)
    if paragraph is None:
        raise UserError(
            f"no paragraph {args.paragraph_id!r}; ids look like warwickshire-2011-12-16/p71 "
            "(see `ofsted-reader parse FILE --json` or the app)"
        )
    note = _store().add(report, paragraph.id, args.text, args.tag, args.quote)
    print(note.id)
    return 0


def cmd_note_list(args: argparse.Namespace) -> int:
    notes = _readable_store().matching(tag=args.tag, report=args.report, orphans=args.orphans)
    if args.json:
        _print_json([note.public() for note in notes])
        return 0
    if not notes:
        print("no notes")
    for note in notes:
        where = f"ORPHAN ({note.report_id})" if note.orphan else note.paragraph_id
        tags = " ".join("#" + t for t in note.tags)
        print(visible(f"{note.id[:8]}  {where}  {note.summary(60)}  {tags}".rstrip(), keep_newlines=False))
    return 0


def cmd_note_edit(args: argparse.Namespace) -> int:
    if args.text is None and args.tag is None:
        raise UserError("nothing to change: give --text and/or --tag")
    note = _store().edit(args.id, text=args.text, tags=args.tag, revision=args.revision)
    print(note.id)
    return 0


def cmd_note_rm(args: argparse.Namespace) -> int:
    note = _store().remove(args.id)
    print(f"removed {note.id}")
    return 0


def cmd_note_restore(args: argparse.Namespace) -> int:
    store = _store()
    notes = store.previous_version()
    newest = max((n.updated for n in notes), default="")
    state = f"damaged ({store.damaged.split(';')[0]})" if store.damaged else f"readable, {len(store.all())} notes"
    print(visible(f"the notes file is {state}", keep_newlines=False))
    print(
        visible(f"the previous version ({store.backup_path()}) holds {len(notes)} notes", keep_newlines=False)
        + (f", the newest changed {newest[:19].replace('T', ' ')}" if newest else "")
    )
    for note in sorted(notes, key=lambda n: n.updated, reverse=True)[:5]:
        print(
            visible(f"  {note.id[:8]}  {note.paragraph_id or note.report_id}  {note.summary(60)}", keep_newlines=False)
        )
    if not args.yes:
        print("run `ofsted-reader note restore --yes` to put it back (the current file is kept aside)")
        return 0
    count = store.restore_previous()
    print(f"restored {count} notes from the previous version")
    return 0


def cmd_tag_list(args: argparse.Namespace) -> int:
    tags = _readable_store().tags()
    if args.json:
        _print_json([{"tag": tag, "count": count} for tag, count in tags])
    else:
        for tag, count in tags:
            print(f"{count:5}  {visible(tag, keep_newlines=False)}")
    return 0


def cmd_tag_rename(args: argparse.Namespace) -> int:
    print(f"renamed on {_store().rename_tag(args.old, args.new)} notes")
    return 0


def cmd_tag_merge(args: argparse.Namespace) -> int:
    print(f"merged on {_store().merge_tag(args.source, args.into)} notes")
    return 0


def cmd_tag_rm(args: argparse.Namespace) -> int:
    print(f"removed from {_store().delete_tag(args.name)} notes (the notes are kept)")
    return 0


def cmd_backup_export(args: argparse.Namespace) -> int:
    count = _readable_store().export_backup(Path(args.file))
    print(visible(f"exported {count} notes to {args.file}", keep_newlines=False))
    return 0


def cmd_backup_import(args: argparse.Namespace) -> int:
    result = _store().import_backup(Path(args.file))
    print(
        f"added {result['added']}, updated {result['updated']}, unchanged {result['unchanged']}, "
        f"kept local {result['kept_local']}"
    )
    for note_id in result["conflicts"]:
        print(visible(f"conflict: note {note_id} differs on both sides; kept the newer", keep_newlines=False))
    if result["tags_normalised"]:
        changes = ", ".join(f"'{old}' -> '{new}'" for old, new in sorted(result["tags_normalised"].items()))
        print(visible(f"tags written in the app's form (lower case, one word): {changes}", keep_newlines=False))
    return 0


# --- compare and grades -----------------------------------------------------------------------------------------


def _resolve_report(library, given: str):
    """A report as `search` and `open` take it: an id, the unique start of one, or an authority (its name, the start
    of it, a near spelling: its latest inspection)."""
    from ofsted_reader.core.filters import FilterError, resolve_authority

    try:
        return library.resolve(given)
    except LookupError as error:
        try:
            return library.resolve(resolve_authority(given, "report").name)
        except (LookupError, FilterError):
            raise UserError(f"{error}; see `ofsted-reader list`") from None


def cmd_compare(args: argparse.Namespace) -> int:
    from ofsted_reader.core.compare import compare
    from ofsted_reader.store.library import Library

    if not 2 <= len(args.reports) <= 4:
        raise UserError("compare two to four reports")
    library = Library.open()
    chosen = [_resolve_report(library, given).id for given in args.reports]
    comparison = compare([library.load(r) for r in chosen], args.section, args.service)
    if all(s is None for s in comparison.sections):
        raise UserError(f"no section like {args.section!r} in these reports")
    if args.json:
        _print_json(comparison.to_dict())
    elif args.markdown:
        sys.stdout.write(comparison.to_markdown())
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=_cell(comparison.title), show_lines=True)
        for report, section in zip(comparison.reports, comparison.sections):
            from ofsted_reader.core.grades import grade_name

            grade = grade_name(section.grade, report.framework) if section and section.grade else "-"
            table.add_column(_cell(f"{report.authority} ({report.published or report.inspection_end}) {grade}"))
        for row in comparison.rows:
            table.add_row(
                *[
                    _cell(f"{comparison.paragraphs[c][i].number or ''}. " + comparison.paragraphs[c][i].text[:300])
                    if i is not None
                    else ""
                    for c, i in enumerate(row)
                ]
            )
        Console(width=None if sys.stdout.isatty() else 200).print(table)
    return 0


def cmd_grades_latest(args: argparse.Namespace) -> int:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ofsted_reader.core.filters import FilterError, resolve_authority, resolve_region
    from ofsted_reader.core.latest import COLUMNS, LEGEND, compact_word, grade_counts, latest_csv, latest_rows
    from ofsted_reader.store.library import Library

    try:
        region = resolve_region(args.region) if args.region else None
        centre = resolve_authority(args.neighbours_of, "--neighbours-of").code if args.neighbours_of else None
    except FilterError as error:
        raise UserError(str(error)) from None
    rows = latest_rows(Library.open().entries(), region=region, neighbours_of=centre)
    if args.json:
        _print_json([row.to_dict() for row in rows])
        return 0
    if args.csv:
        sys.stdout.write(latest_csv(rows))
        return 0
    from ofsted_reader.core.grades import NAMES

    counts = grade_counts(rows)
    from ofsted_reader.core.wording import plural

    table = Table(
        title=f"{plural(len(rows), 'authority', 'authorities')}, latest inspection · overall: "
        + ", ".join(f"{counts[g]} {NAMES[g].lower()}" for g in (1, 2, 3, 4)),
        title_justify="left",
        pad_edge=False,
        padding=(0, 0),
        box=box.SIMPLE_HEAD,
    )
    table.add_column("Authority", no_wrap=True, max_width=24, overflow="ellipsis")
    table.add_column("Date", no_wrap=True)
    for _, header in COLUMNS:
        table.add_column(header, min_width=7, max_width=10, no_wrap=False)
    styles = {1: "bold green", 2: "cyan", 3: "yellow", 4: "bold red"}
    for row in rows:
        cells = []
        for key, _ in COLUMNS:
            grade = row.grade(key)
            mark = "*" if row.combined_care and key in {"in_care", "care_leavers"} else ""
            cells.append(
                Text(compact_word(grade, row.framework) + mark, style=styles[grade])
                if grade
                else Text("-", style="dim")
            )
        table.add_row(_cell(row.authority), row.date[:7], *cells)
    console = Console(width=None if sys.stdout.isatty() else 80)
    console.print(table)
    console.print(LEGEND)
    if any(row.combined_care for row in rows):
        console.print("* children in care and care leavers were judged together (inspections before 2023)")
    return 0


def cmd_grades(args: argparse.Namespace) -> int:
    from ofsted_reader.core.compare import grades_csv, grades_rows, matrix_columns, row_grades
    from ofsted_reader.store.library import Library

    if args.history:
        from ofsted_reader.cli_national import cmd_grades_history

        return cmd_grades_history(args)
    if args.latest or args.region or args.neighbours_of:
        return cmd_grades_latest(args)

    rows = grades_rows(Library.open().reports(), args.framework)
    if args.json:
        _print_json(rows)
    elif args.csv:
        sys.stdout.write(grades_csv(rows))
    else:
        from rich import box
        from rich.console import Console
        from rich.table import Table

        from ofsted_reader.core.judgements import ORDER, SHORT, judgement_key
        from ofsted_reader.core.latest import LEGEND, compact_word
        from ofsted_reader.core.wording import plural

        console = Console(width=None if sys.stdout.isatty() else 160)
        # One table per framework, each with its own judgements under short headers: all of them side by side made
        # a table of over a hundred columns.
        for framework in ("ilacs", "sif", "lac", "slac"):
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
                prefix = {"safeguarding": "SG ", "looked_after": "LAC "}.get(service, "") if framework == "slac" else ""
                table.add_column(_cell(prefix + (header if len(header) <= 18 else header[:17] + "…")), max_width=12)
            for row in subset:
                grades = row_grades(row)
                table.add_row(
                    _cell(row["authority"]),
                    (row["published"] or "")[:7],
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


# --- export -----------------------------------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> int:
    from ofsted_reader.cli_research import export_qda

    qda = export_qda(args)
    if qda is not None:
        return qda
    from ofsted_reader.core.export import export_notes
    from ofsted_reader.store.atomic import write_atomic
    from ofsted_reader.store.library import Library

    as_csv = args.csv or (args.output or "").lower().endswith(".csv")
    if args.output and not Path(args.output).expanduser().parent.is_dir():
        raise UserError(
            f"{args.output}: the folder {Path(args.output).expanduser().parent} does not exist; "
            "create it first, or give a file in a folder that exists"
        )
    store = _readable_store()
    notes, memos = store.all(), store.memos()
    text, count = export_notes(notes, Library.open().find, args.group_by, as_csv, args.tag, args.report, memos)
    if args.output:
        write_atomic(Path(args.output), text.encode("utf-8"))
        print(visible(f"exported {count} notes to {args.output}", keep_newlines=False), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


# --- open -------------------------------------------------------------------------------------------------------


def cmd_open(args: argparse.Namespace) -> int:
    from ofsted_reader.core.config import Config
    from ofsted_reader.core.viewer import ViewerError, open_file
    from ofsted_reader.store.library import Library

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
    config = Config.load()
    for problem in config.problems:
        _error(problem)
    file = Path(entry.source)
    if page is not None and file.suffix.lower() != ".pdf":
        page = None  # a text report has no pages
    try:
        at_page = open_file(file, page, config.pdf_viewer)
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


# --- the app --------------------------------------------------------------------------------------------------


def cmd_app(args: argparse.Namespace) -> int:
    from ofsted_reader.tui.app import run

    return run()


def build_parser() -> argparse.ArgumentParser:
    from ofsted_reader import __version__, cli_national, cli_research

    parser = argparse.ArgumentParser(
        prog="ofsted-reader",
        description="Read, search, annotate and compare Ofsted children's services reports. "
        "With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"ofsted-reader {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("parse", help="parse report files (text or PDF) and print them")
    p.add_argument("paths", nargs="+", metavar="PATH", help="report files or directories (searched recursively)")
    p.add_argument("--json", action="store_true", help="one JSON object per report (JSON Lines for several)")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("list", help="list the reports in the library")
    p.add_argument("--json", action="store_true", help="every report's facts (ids, dates, grades, source) as JSON")
    p.set_defaults(func=cmd_list)

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
        choices=["inspection", "focused_visit", "monitoring_visit", "lscb_review"],
        help="only these kinds of publication (repeatable; default all four)",
    )
    p.add_argument("--delay", type=float, default=1.0, help="seconds between requests (default 1, to be polite)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for an answer (default 30)")
    p.add_argument("--site", help=argparse.SUPPRESS)  # tests point it at a local server (or OFSTED_READER_SITE)
    p.set_defaults(func=cmd_fetch)

    p = sub.add_parser("search", help="fuzzy search across the library (typos forgiven, any word order)")
    p.add_argument(
        "query",
        nargs="+",
        help='words, "phrases", -word to exclude, and filters field:value (-field:value excludes; quote a value '
        'with spaces): authority:hull region:"north west" report:derby grade:4 year:2019 tag:evidence is:annotated',
    )
    p.add_argument("--limit", type=int, default=20, metavar="N", help="how many results to show (default 20)")
    p.add_argument("--report", help="a report id, its start (derby-2011), or an authority's reports")
    p.add_argument(
        "--authority", help="an authority: its name, the start of it, or a near spelling (never part of one)"
    )
    p.add_argument("--region", help="a region: london, north-west, 'yorkshire and the humber'")
    p.add_argument("--service", help="safeguarding, looked_after or children")
    p.add_argument("--section", help="words of the section title")
    p.add_argument("--grade", help="the section's grade: 1-4, or outstanding, good, ri, adequate, inadequate")
    p.add_argument("--framework", choices=["slac", "lac", "sif", "ilacs"], help="only reports of this framework")
    p.add_argument("--year", help="only reports inspected in this year")
    p.add_argument("--tag", help="only paragraphs with a note carrying this tag")
    p.add_argument("--annotated", action="store_true", help="only paragraphs with notes")
    p.add_argument("--json", action="store_true", help="the results as a JSON list")
    p.set_defaults(func=cmd_search)

    notes = sub.add_parser("note", help="add, list, edit and remove notes on paragraphs")
    nsub = notes.add_subparsers(dest="note_command", metavar="ACTION", required=True)
    p = nsub.add_parser("add", help="add a note to a paragraph; prints its id")
    p.add_argument("paragraph_id", help="the paragraph, e.g. warwickshire-2011-12-16/p71")
    p.add_argument("--text", required=True, help="the note (Markdown is kept as typed)")
    p.add_argument("--tag", action="append", help="a tag (repeat for several)")
    p.add_argument("--quote", help="the part of the paragraph the note is about")
    p.set_defaults(func=cmd_note_add)
    p = nsub.add_parser("list", help="list notes")
    p.add_argument("--tag", help="only notes with this tag")
    p.add_argument("--report", help="a report id")
    p.add_argument("--orphans", action="store_true", help="only notes whose paragraph could not be found")
    p.add_argument("--json", action="store_true", help="the notes as a JSON list")
    p.set_defaults(func=cmd_note_list)
    p = nsub.add_parser("edit", help="change a note's text or tags")
    p.add_argument("id", help="the note's id (or its start, as `note list` shows it)")
    p.add_argument("--text", help="the note's new text")
    p.add_argument("--tag", action="append", help="replaces the note's tags (repeat for several)")
    p.add_argument("--revision", type=int, help="refuse if the note has changed since this revision")
    p.set_defaults(func=cmd_note_edit)
    p = nsub.add_parser("restore", help="show the previous version of the notes file, and with --yes put it back")
    p.add_argument("--yes", action="store_true", help="replace the notes file with its previous version")
    p.set_defaults(func=cmd_note_restore)
    p = nsub.add_parser("rm", help="remove a note")
    p.add_argument("id", help="the note's id (or its start, as `note list` shows it)")
    p.set_defaults(func=cmd_note_rm)

    tags = sub.add_parser("tag", help="list, rename, merge and remove tags")
    tsub = tags.add_subparsers(dest="tag_command", metavar="ACTION", required=True)
    p = tsub.add_parser("list", help="tags with their counts")
    p.add_argument("--json", action="store_true", help="tags and counts as a JSON list")
    p.set_defaults(func=cmd_tag_list)
    p = tsub.add_parser("rename", help="rename a tag on every note")
    p.add_argument("old", help="the tag as it is")
    p.add_argument("new", help="the tag's new name")
    p.set_defaults(func=cmd_tag_rename)
    p = tsub.add_parser("merge", help="merge one tag into another")
    p.add_argument("source", metavar="FROM", help="the tag that goes")
    p.add_argument("into", metavar="INTO", help="the tag its notes get instead")
    p.set_defaults(func=cmd_tag_merge)
    p = tsub.add_parser("rm", help="remove a tag from every note (the notes stay)")
    p.add_argument("name", help="the tag")
    p.set_defaults(func=cmd_tag_rm)

    backup = sub.add_parser("backup", help="export or merge a notes backup file")
    bsub = backup.add_subparsers(dest="backup_command", metavar="ACTION", required=True)
    p = bsub.add_parser("export", help="write every note to a JSON file")
    p.add_argument("file", help="the backup file to write")
    p.set_defaults(func=cmd_backup_export)
    p = bsub.add_parser("import", help="merge notes from a backup (newer wins; conflicts reported)")
    p.add_argument("file", help="a backup written by `backup export`")
    p.set_defaults(func=cmd_backup_import)

    p = sub.add_parser("compare", help="one section side by side across 2-4 reports, paragraphs aligned by topic")
    p.add_argument(
        "reports", nargs="+", metavar="REPORT", help="2-4 reports: ids, the start of ids, or authorities (their latest)"
    )
    p.add_argument("--section", required=True, help="section title; equivalents across frameworks are matched")
    p.add_argument("--service", choices=["safeguarding", "looked_after"], help="which service's section (2009-2012)")
    p.add_argument("--json", action="store_true", help="the aligned paragraphs as JSON")
    p.add_argument("--markdown", action="store_true", help="grades table then aligned paragraphs with citations")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("grades", help="the grades matrix: every report's judgements, or each authority's latest")
    p.add_argument("--framework", choices=["slac", "lac", "sif", "ilacs"], help="only reports of this framework")
    p.add_argument("--latest", action="store_true", help="one row per authority: its latest inspection's grades")
    p.add_argument("--region", help="with --latest: authorities of a region ('london', 'north west')")
    p.add_argument(
        "--neighbours-of", metavar="AUTHORITY", help="with --latest: an authority and its ten statistical neighbours"
    )
    p.add_argument("--json", action="store_true", help="the rows as JSON")
    p.add_argument("--csv", action="store_true", help="the rows as CSV (every judgement, full grade words)")
    cli_national.add_history_options(p)
    p.set_defaults(func=cmd_grades)
    cli_national.register(sub)

    p = sub.add_parser("export", help="export notes as Markdown (cited evidence) or CSV")
    p.add_argument("--tag", action="append", help="only notes with this tag (repeat for any of several)")
    p.add_argument("--report", action="append", help="only notes on this report id (or its start); repeatable")
    p.add_argument("--group-by", choices=GROUPS, default="report", help="how notes are grouped (default: report)")
    p.add_argument("--csv", action="store_true", help="CSV, one row per note (also chosen by -o FILE.csv)")
    p.add_argument("-o", "--output", help="write to this file (atomically) instead of standard output")
    cli_research.add_export_options(p)
    p.set_defaults(func=cmd_export)
    cli_research.register(sub)

    p = sub.add_parser(
        "open",
        help="open a report's original PDF in your viewer, at a paragraph's page",
        description="Opens the report's file with the command in OFSTED_READER_PDF_VIEWER or config.json's "
        "pdf_viewer ({file} and {page} are filled in, e.g. 'zathura -P {page} {file}'), else the system's opener.",
    )
    p.add_argument("id", metavar="ID", help="a report id or authority, or a paragraph id (barnsley-2023-09-15/p12)")
    p.add_argument("--page", type=int, help="the page to open at (default: the paragraph's page, else 1)")
    p.set_defaults(func=cmd_open)

    p = sub.add_parser("app", help="open the app (the default)")
    p.set_defaults(func=cmd_app)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        return _run(argv)
    finally:
        _say_store_notices()


def _run(argv: list[str] | None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        # `search fostering -adoption -region:london`: an exclusion reads as an unknown option to argparse.
        if getattr(args, "func", None) is cmd_search and all(
            e.startswith("-") and not e.startswith("--") for e in extra
        ):
            args.query += extra
        else:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
    func = getattr(args, "func", cmd_app)
    try:
        return func(args)
    except (UserError, StoreError) as error:
        _error(str(error))
        return EXIT_USAGE
    except ReportError as error:
        _error(str(error))
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader of our output stopped (`| head`): not an error. Python's own flush at exit would fail again on
        # the closed pipe and print a traceback, so standard output is pointed at nothing first.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:
        # A write that failed (disk full, read-only folder, a path that is a directory): one line, nothing half done.
        where = f"{error.filename}: " if error.filename else ""
        _error(
            f"{where}{error.strerror or error}; nothing was changed there. Check the path, its permissions and "
            "the free space, then try again"
        )
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
