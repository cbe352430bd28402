"""`ofsted-reader search`: the library's fuzzy search, the query's filters given as words or as flags.

It must answer in well under 0.2 s, so nothing heavy is imported until the command runs."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from ofsted_reader.core.safe_text import visible
from ofsted_reader.core.vocabulary import FRAMEWORKS
from ofsted_reader.host import locations

from .common import (
    UserError,
    open_store,
    print_json,
)

if TYPE_CHECKING:
    import argparse

    from ofsted_reader.core.model import Report
    from ofsted_reader.core.search.engine import Hit, SearchResult
    from ofsted_reader.store.library.library import Library
    from ofsted_reader.store.library.warmup import Progress


def register(sub: Any) -> None:
    """Add `search`."""
    p = sub.add_parser("search", help="fuzzy search across the library (typos forgiven, any word order)")
    p.add_argument(
        "query",
        nargs="*",  # `search -exploitation --authority hull`: main passes -word on as words
        help='words (typos forgiven), "quoted words" exactly (whole words, any case; a phrase in order), -word to '
        "exclude, and filters field:value (-field:value excludes; quote a value with spaces): "
        'authority:hull region:"north west" report:derby grade:4 year:2019 tag:evidence is:annotated',
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
    p.add_argument("--framework", choices=FRAMEWORKS, help="only reports of this framework")
    p.add_argument("--year", help="only reports inspected in this year")
    p.add_argument("--tag", help="only paragraphs with a note carrying this tag")
    p.add_argument("--annotated", action="store_true", help="only paragraphs with notes")
    p.add_argument("--json", action="store_true", help="the results as a JSON list")
    p.add_argument("--all", action="store_true", help="every hit, not only the best --limit")
    p.add_argument("--csv", action="store_true", help="the hits as CSV (a row a paragraph, with its citation)")
    p.add_argument("--md", action="store_true", help="the hits as Markdown, each paragraph quoted with its citation")
    p.add_argument("-o", "--output", metavar="FILE", help="write the hits to FILE (.csv or .md chooses the format)")
    p.set_defaults(func=cmd_search)


# What `register` gives every option of `search` when it is not given (tests/test_search_lean.py checks they agree).
DEFAULTS: dict[str, Any] = {
    **dict.fromkeys(("report", "authority", "region", "service", "section", "grade", "framework", "year", "tag")),
    **dict.fromkeys(("annotated", "json", "all", "csv", "md"), False),
    "limit": 20,
    "output": None,
}
QUICK_FLAGS = {"--json": "json", "--all": "all"}


def quick_args(argv: list[str]) -> SimpleNamespace | None:
    """`search WORD... [--limit N] [--json] [--all]`, the options before or after the words, read without argparse:
    its import, and the terminal size and translations it looks up for each option, were a tenth of a search.
    None for anything else (help, another option, an exclusion, words on both sides of an option, a limit that is
    not a number), which argparse reads and answers as ever."""
    args = SimpleNamespace(command="search", func=cmd_search, query=[], version=None, **DEFAULTS)
    rest = argv[1:]
    runs = 0  # runs of words: argparse takes the first and refuses any other
    at = 0
    while at < len(rest):
        token = rest[at]
        if token == "--limit" and at + 1 < len(rest) and rest[at + 1].isascii() and rest[at + 1].isdigit():
            args.limit = int(rest[at + 1])
            at += 2
        elif token in QUICK_FLAGS:
            setattr(args, QUICK_FLAGS[token], True)
            at += 1
        elif token.startswith("-"):
            return None
        else:
            runs += 1
            while at < len(rest) and not rest[at].startswith("-"):
                args.query.append(rest[at])
                at += 1
    return args if runs == 1 else None


def cmd_search(args: argparse.Namespace) -> int:
    from ofsted_reader.core.filters import FilterError
    from ofsted_reader.core.search.engine import Query
    from ofsted_reader.store.library.warmup import current_index, library_stamp

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
    if not query.words and not query.excluded and not query.has_filters:
        raise UserError("give some words to search for (and/or filters such as --grade 4)")
    written = _format(args)
    # The library is opened only when the index may not hold it as it is, or the query or the output needs it:
    # reading its ~870 manifest rows, and what that imports, were a third of the command's time.
    stamp = library_stamp()
    index = current_index(stamp)
    library = None
    if index is None or query.scope or written:
        import gc

        from ofsted_reader.store.library.library import Library
        from ofsted_reader.store.library.warmup import search_index

        gc.enable()  # paused for a search (cli.main); indexing a library is no short affair
        library = Library.open()
        if index is None:
            index = search_index(library, _indexing_progress(), stamp=stamp)
        index.entries = library.entries()
    if locations.has_notes_files():  # words match notes and tags too; tag: and is:annotated filter on them
        index.set_notes(open_store().all())
    try:
        result = index.search(query, limit=None if args.all else args.limit)
    except FilterError as error:
        raise UserError(str(error)) from None
    hits = result.hits
    if written:
        assert library is not None
        return _write_hits(args, written, text, result, library)
    if args.json:
        print_json([hit.to_dict() for hit in hits])
        return 0
    if not result.total:
        print("no matches")
        return 0
    shown = f"all {len(hits)} shown" if len(hits) == result.total else f"the best {len(hits)} shown"
    title = f"{result.total} paragraphs match; {shown}"
    if result.also:
        title += f"\n{result.also_said()}" + (" (quote a word to match it exactly)" if result.other_spellings else "")
    sys.stdout.write(_hits_text(title, hits, sys.stdout.isatty()))
    return 0


def _format(args: argparse.Namespace) -> str | None:
    """'csv' or 'md' when the hits are to be written as a file (or to stdout), else None. Refuses what cannot be
    meant before any search."""
    from pathlib import Path

    suffix = Path(args.output).suffix.lower() if args.output else ""
    chosen = "csv" if args.csv or suffix == ".csv" else "md" if args.md or suffix in (".md", ".markdown") else None
    if args.csv and args.md:
        raise UserError("give one of --csv and --md")
    if args.output and chosen is None:
        raise UserError(f"{args.output}: say the format: --csv or --md (or name the file .csv or .md)")
    if chosen and args.json:
        raise UserError("give one of --json, --csv and --md")
    if args.output:
        folder = Path(args.output).expanduser().parent
        if not folder.is_dir():
            raise UserError(f"{args.output}: the folder {folder} does not exist; give a file in an existing folder")
    return chosen


def _write_hits(args: argparse.Namespace, chosen: str, text: str, result: SearchResult, library: Library) -> int:
    import datetime as dt
    from pathlib import Path

    from ofsted_reader.core.search.export import hits_csv, hits_markdown
    from ofsted_reader.store.atomic import write_atomic

    def load(report_id: str) -> Report | None:
        return library.find(report_id)

    if chosen == "csv":
        data = hits_csv(result.hits, load)
    else:
        generated = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        data = hits_markdown(text, result, result.hits, load, generated)
    if args.output:
        write_atomic(Path(args.output).expanduser(), data.encode("utf-8"))
        note = "" if len(result.hits) == result.total else f" (the best {len(result.hits)}; --all writes every one)"
        print(
            visible(f"wrote {len(result.hits)} of {result.total} hits to {args.output}{note}", keep_newlines=False),
            file=sys.stderr,
        )
    else:
        sys.stdout.write(data)
    return 0


def _indexing_progress() -> Callable[[Progress], None] | None:
    """A line on stderr while reports not yet indexed are (the ~200 shipped reports, once, after installing)."""
    if not sys.stderr.isatty():
        return None

    def show(progress: Progress) -> None:
        end = "\n" if progress.done else ""
        sys.stderr.write(f"\r{progress.describe()} (once; later searches start at once){end}")
        sys.stderr.flush()

    return show


# ANSI styles for search results on a terminal. Written directly: rich's import and layout were a third of the
# command's time, for two styles and an indent.
BOLD, CYAN, MARK, RESET = "\x1b[1m", "\x1b[36m", "\x1b[1;7m", "\x1b[0m"


def _hits_text(title: str, hits: Sequence[Hit], terminal: bool) -> str:
    """Search results as text: a heading line per hit, then its snippet indented. On a terminal (unless NO_COLOR is
    set) with the matched words marked and the snippet wrapped to the width; piped, plain lines."""
    lines = [title]
    if not terminal:  # piped: plain lines (shutil and textwrap, for the width and the wrapping, were 2 ms)
        for hit in hits:
            lines += [
                visible(_hit_heading(hit), keep_newlines=False),
                "    " + visible(hit.snippet, keep_newlines=False),
            ]
        return "\n".join(lines) + "\n"
    import re
    import shutil
    import textwrap

    color = not os.environ.get("NO_COLOR")
    width = shutil.get_terminal_size().columns
    lines = [f"{BOLD}{title}{RESET}" if color else title]
    for hit in hits:
        heading = visible(_hit_heading(hit), keep_newlines=False)
        snippet = visible(hit.snippet, keep_newlines=False)
        lines.append(f"{CYAN}{heading}{RESET}" if color else heading)
        wrapped = textwrap.wrap(snippet, width=max(width - 4, 20)) or [""]
        terms = sorted({t for t in hit.terms if t}, key=len, reverse=True)
        marked = re.compile("|".join(map(re.escape, terms)), re.I) if terms and color else None
        for line in wrapped:
            lines.append("    " + (marked.sub(lambda m: f"{MARK}{m.group(0)}{RESET}", line) if marked else line))
    return "\n".join(lines) + "\n"


def _hit_heading(hit: Hit) -> str:
    """'96  warwickshire-2011-12-16/p37 · Private fostering · Adequate'"""
    from ofsted_reader.core.search.engine import grade_label

    parts = [hit.doc.paragraph_id, hit.doc.section or "", grade_label(hit.doc)]
    return f"{hit.score:3.0f}  " + " · ".join(part for part in parts if part)
