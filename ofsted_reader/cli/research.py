"""Notes as research on the command line: `codebook` (the tags as a tree of codes, their descriptions and colours,
renaming and moving, coded passages, co-occurrence, tables), `memo` (notes on a report or an authority), and
`export --qdpx` / `--qdc` (REFI-QDA projects and codebooks for NVivo, ATLAS.ti, MAXQDA, QualCoder, Taguette).

Errors a user can put right print one line and give exit status 2 (the handler in main.py says them).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ofsted_reader.core.coding import DIMENSIONS
from ofsted_reader.core.export import GROUPS
from ofsted_reader.core.safe_text import visible
from ofsted_reader.store.errors import StoreError

from .common import UserError, open_store, print_json, readable_store

if TYPE_CHECKING:
    from collections.abc import Callable

    from ofsted_reader.core.coding import Passage, ReportFacts
    from ofsted_reader.store.library.library import Library
    from ofsted_reader.store.notes.annotations import AnnotationStore


def _say(text: str, stream: TextIO | None = None) -> None:
    print(visible(text, keep_newlines=False), file=stream or sys.stdout)


def _write(path: Path, data: bytes) -> None:
    from ofsted_reader.store.atomic import write_atomic

    write_atomic(path, data)


# --- export --qdpx / --qdc ---------------------------------------------------------------------------------------


def add_export_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--qdpx", action="store_true", help="a REFI-QDA project for QDA tools (with -o FILE.qdpx; also chosen by it)"
    )
    parser.add_argument("--qdc", action="store_true", help="the codebook alone, REFI-QDA (with -o FILE.qdc)")


def export_qda(args: argparse.Namespace) -> int | None:
    """`export --qdpx` or `--qdc` (or -o with that suffix); None when the export asked for is another."""
    suffix = Path(args.output or "").suffix.lower()
    qdpx, qdc = args.qdpx or suffix == ".qdpx", args.qdc or suffix == ".qdc"
    if not (qdpx or qdc):
        return None
    if qdpx and qdc:
        raise StoreError("choose one of --qdpx and --qdc")
    if not args.output:
        kind = "qdpx" if qdpx else "qdc"
        raise StoreError(f"give the file to write: ofsted-reader export --{kind} -o notes.{kind}")
    from ofsted_reader.store import research
    from ofsted_reader.store.library.library import Library

    store = readable_store()
    if qdc:
        if args.tag or args.report:
            raise StoreError("--qdc writes the whole codebook; --tag and --report are for --qdpx")
        data = research.codebook_file(store)
        _write(Path(args.output), data)
        _say(f"exported the codebook ({len(store.known_tags())} codes) to {args.output}", sys.stderr)
        return 0
    if args.tag and len(args.tag) > 1:
        raise StoreError("--qdpx takes one --tag (its codes under it come too)")
    exported = research.project(Library.open(), store, args.tag[0] if args.tag else None, args.report)
    _write(Path(args.output), exported.data)
    _say(f"exported {exported.summary()} to {args.output}", sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    qda = export_qda(args)
    if qda is not None:
        return qda
    from ofsted_reader.core.export import export_notes
    from ofsted_reader.store.atomic import write_atomic
    from ofsted_reader.store.library.library import Library

    as_csv = args.csv or (args.output or "").lower().endswith(".csv")
    if args.output and not Path(args.output).expanduser().parent.is_dir():
        raise UserError(
            f"{args.output}: the folder {Path(args.output).expanduser().parent} does not exist; "
            "create it first, or give a file in a folder that exists"
        )
    store = readable_store()
    notes, memos = store.all(), store.memos()
    known = {tag for note in notes for tag in note.tags}
    unknown = [tag for tag in args.tag or [] if tag not in known and not any(k.startswith(tag + "/") for k in known)]
    if unknown:
        raise UserError(
            f"no note is tagged {', '.join(unknown)}; nothing was written (`ofsted-reader tag list` shows the tags)"
        )
    text, count = export_notes(notes, Library.open().find, args.group_by, as_csv, args.tag, args.report, memos)
    if not count and (args.tag or args.report):
        raise UserError("no note matches --tag and --report together; nothing was written (`ofsted-reader note list`)")
    if args.output:
        write_atomic(Path(args.output), text.encode("utf-8"))
        print(visible(f"exported {count} notes to {args.output}", keep_newlines=False), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


# --- codebook ---------------------------------------------------------------------------------------------------


def register(sub: Any) -> None:
    """Add `export`, `codebook` and `memo`."""
    p = sub.add_parser("export", help="export notes as Markdown (cited evidence) or CSV")
    p.add_argument("--tag", action="append", help="only notes with this tag (repeat for any of several)")
    p.add_argument("--report", action="append", help="only notes on this report id (or its start); repeatable")
    p.add_argument("--group-by", choices=GROUPS, default="report", help="how notes are grouped (default: report)")
    p.add_argument("--csv", action="store_true", help="CSV, one row per note (also chosen by -o FILE.csv)")
    p.add_argument("-o", "--output", help="write to this file (atomically) instead of standard output")
    add_export_options(p)
    p.set_defaults(func=cmd_export)

    codebook = sub.add_parser("codebook", help="the tags as a codebook: nested codes, descriptions, colours, tables")
    csub = codebook.add_subparsers(dest="codebook_command", metavar="ACTION", required=True)
    p = csub.add_parser("list", help="every code with its notes, reports and authorities (children included)")
    p.add_argument("--json", action="store_true", help="as JSON")
    p.set_defaults(func=cmd_codebook_list)
    p = csub.add_parser("describe", help="give a code a description (a code not yet used may be described)")
    p.add_argument("tag", help="the code, e.g. practice/supervision")
    p.add_argument("description", help="what the code means, for whoever codes with it")
    p.set_defaults(func=cmd_codebook_describe)
    p = csub.add_parser("colour", aliases=["color"], help="give a code a colour (#RRGGBB or a name; '' for default)")
    p.add_argument("tag", help="the code")
    p.add_argument("colour", help="#RRGGBB, #abc or a colour name; '' for the default")
    p.set_defaults(func=cmd_codebook_colour)
    p = csub.add_parser("move", help="rename or move a code; the codes under it follow (one write)")
    p.add_argument("old", help="the code as it is now")
    p.add_argument("new", help="the new name, e.g. practice/supervision to move it under practice")
    p.set_defaults(func=cmd_codebook_move)
    p = csub.add_parser("import", help="add the codes of a REFI-QDA codebook (.qdc) or project (.qdpx)")
    p.add_argument("file", help="a .qdc codebook or a .qdpx project")
    p.set_defaults(func=cmd_codebook_import)
    p = csub.add_parser("passages", help="every passage coded with a code across reports, with citations")
    p.add_argument("tag", help="the code (its children included)")
    p.add_argument(
        "filters", nargs="*", help="grade:4 section-grade:3 region:london framework:ilacs 2019 authority:derby"
    )
    p.add_argument("--json", action="store_true", help="as JSON")
    p.set_defaults(func=cmd_codebook_passages)
    p = csub.add_parser("cooccur", help="passages and authorities coded with both of two codes")
    p.add_argument("first", help="a code")
    p.add_argument("second", help="another code")
    p.add_argument("--json", action="store_true", help="as JSON")
    p.set_defaults(func=cmd_codebook_cooccur)
    p = csub.add_parser("table", help="codes by authority, region, grade, framework or year (notes counted)")
    p.add_argument("--by", choices=DIMENSIONS, default="authority", help="the columns (default: authority)")
    p.add_argument("--csv", action="store_true", help="CSV (also chosen by -o FILE.csv)")
    p.add_argument("-o", "--output", help="write to this file (atomically)")
    p.set_defaults(func=cmd_codebook_table)

    memo = sub.add_parser("memo", help="memos: notes on a whole report or on an authority")
    msub = memo.add_subparsers(dest="memo_command", metavar="ACTION", required=True)
    p = msub.add_parser("add", help="add a memo; prints its id")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--report", help="a report id, its start, or an authority (its latest report)")
    where.add_argument("--authority", help="an authority's name or DfE code")
    p.add_argument("--text", required=True, help="the memo")
    p.set_defaults(func=cmd_memo_add)
    p = msub.add_parser("list", help="list memos")
    p.add_argument("--report", help="only memos on this report (id, its start, or an authority)")
    p.add_argument("--authority", help="only memos on this authority")
    p.add_argument("--json", action="store_true", help="as JSON")
    p.set_defaults(func=cmd_memo_list)
    p = msub.add_parser("edit", help="change a memo's text")
    p.add_argument("id", help="the memo's id (memo list shows it)")
    p.add_argument("--text", required=True, help="the new text")
    p.add_argument("--revision", type=int, help="refuse if the memo has changed since this revision")
    p.set_defaults(func=cmd_memo_edit)
    p = msub.add_parser("rm", help="remove a memo")
    p.add_argument("id", help="the memo's id (memo list shows it)")
    p.set_defaults(func=cmd_memo_rm)


def _research() -> tuple[AnnotationStore, Library, Callable[[str], ReportFacts]]:
    """The store, the library and each report's facts: what every reading `codebook` command needs."""
    from ofsted_reader.store import research
    from ofsted_reader.store.library.library import Library

    store = readable_store()
    library = Library.open()
    return store, library, research.facts_lookup(library)


def cmd_codebook_list(args: argparse.Namespace) -> int:
    from ofsted_reader.core.codebook import colour_of, depth, leaf, tree_order
    from ofsted_reader.core.coding import Counts, tag_counts

    store, _, facts = _research()
    codes = store.codes()
    counts = tag_counts(store.all(), facts)
    rows: list[dict[str, Any]] = []
    for tag in tree_order(set(counts) | set(codes)):
        count = counts.get(tag, Counts(0, 0, 0))
        code = codes.get(tag)
        rows.append(
            {
                "tag": tag,
                "notes": count.notes,
                "reports": count.reports,
                "authorities": count.authorities,
                "description": code.description if code else "",
                "colour": colour_of(tag, codes),
            }
        )
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("no codes yet: tag a note (tags nest with '/': practice/supervision), or `codebook import FILE.qdc`")
    else:
        print(f"{'notes':>5} {'reports':>7} {'LAs':>4}  code")
    for row in rows:
        name = "  " * depth(row["tag"]) + leaf(row["tag"])
        described = f"  — {row['description'].splitlines()[0][:60]}" if row["description"] else ""
        _say(f"{row['notes']:5} {row['reports']:7} {row['authorities']:4}  {name}{described}")
    return 0


def cmd_codebook_describe(args: argparse.Namespace) -> int:
    store = open_store()
    code = store.set_code(args.tag, description=args.description)
    _say(f"described {code.tag}")
    return 0


def cmd_codebook_colour(args: argparse.Namespace) -> int:
    store = open_store()
    code = store.set_code(args.tag, colour=args.colour)
    _say(f"{code.tag}: {code.colour or 'the default colour'}")
    return 0


def cmd_codebook_move(args: argparse.Namespace) -> int:
    opened = open_store()
    old = opened.resolve_tag(args.old)
    changed = opened.rename_tag(old, args.new)
    _say(f"moved {old} and the codes under it on {changed} notes")
    return 0


def cmd_codebook_import(args: argparse.Namespace) -> int:
    from ofsted_reader.store import research

    store = open_store()
    result = research.import_codebook(store, Path(args.file))
    print(f"added {result['added']}, updated {result['updated']}, unchanged {result['unchanged']} codes")
    if result["renamed"]:
        changes = ", ".join(f"'{old}' -> '{new}'" for old, new in sorted(result["renamed"].items())[:10])
        _say(f"names written as tags (lower case, one word a level): {changes}")
    return 0


def _passages(
    store: AnnotationStore, library: Library, facts: Callable[[str], ReportFacts], tag: str, filters: str = ""
) -> list[Passage]:
    from ofsted_reader.core.coding import PassageFilter, coded, passages
    from ofsted_reader.store import research

    wanted = PassageFilter.parse(filters)
    if wanted.problems:
        raise StoreError("; ".join(wanted.problems))
    found = passages(coded(store.all(), tag), facts, research.loader(library))
    return [p for p in found if wanted.keeps(p)]


def cmd_codebook_passages(args: argparse.Namespace) -> int:
    store, library, facts = _research()
    tag = store.resolve_tag(args.tag)
    found = _passages(store, library, facts, tag, " ".join(args.filters))
    if args.json:
        print_json([p.to_dict() for p in found])
        return 0
    _say(f"{len(found)} passages coded {tag}" + (f" ({' '.join(args.filters)})" if args.filters else ""))
    for passage in found:
        print()
        _say(f"— {passage.citation}")
        print(visible(passage.text))
        if passage.note.text.strip():
            print(visible("  note: " + passage.note.text))
    return 0


def cmd_codebook_cooccur(args: argparse.Namespace) -> int:
    from ofsted_reader.core.coding import co_occurrence, codes_of, passages
    from ofsted_reader.store import research

    store, library, facts = _research()
    first, second = store.resolve_tag(args.first), store.resolve_tag(args.second)
    relevant = [n for n in store.all() if codes_of(n) & {first, second}]
    shared = co_occurrence(passages(relevant, facts, research.loader(library)), first, second)
    if args.json:
        print_json(
            {
                "first": first,
                "second": second,
                "passages": [[p.to_dict() for p in group] for group in shared.passages],
                "authorities": shared.authorities,
                "authorities_first_only": shared.first_only,
                "authorities_second_only": shared.second_only,
            }
        )
        return 0
    _say(f"{len(shared.passages)} passages coded both {first} and {second}")
    for group in shared.passages:
        _say(f"  {group[0].citation}")
    _say(
        f"{len(shared.authorities)} authorities coded with both: {', '.join(shared.authorities) or 'none'}; "
        f"{shared.first_only} with {first} only, {shared.second_only} with {second} only"
    )
    return 0


def cmd_codebook_table(args: argparse.Namespace) -> int:
    from ofsted_reader.core.codebook import tree_order
    from ofsted_reader.core.coding import code_table

    store, _, facts = _research()
    notes = store.all()
    table = code_table(notes, facts, args.by, tree_order(store.known_tags()))
    as_csv = args.csv or (args.output or "").lower().endswith(".csv")
    if as_csv:
        text = table.to_csv()
    else:
        width = max([len(c) for c, _, _ in table.rows] + [4])
        from ofsted_reader.core.coding import DIMENSION_NOTES

        lines = [DIMENSION_NOTES[args.by]] if args.by in DIMENSION_NOTES else []
        lines.append(f"{'code':<{width}}  " + "  ".join(table.columns) + "  total")
        for code, counts, total in table.rows:
            cells = "  ".join(f"{n:>{len(c)}}" for n, c in zip(counts, table.columns))
            lines.append(f"{code:<{width}}  {cells}  {total:>5}")
        text = "\n".join(lines) + "\n"
    if args.output:
        _write(Path(args.output), text.encode("utf-8"))
        _say(f"wrote {len(table.rows)} codes by {args.by} to {args.output}", sys.stderr)
    else:
        sys.stdout.write(visible(text))
    return 0


# --- memo -------------------------------------------------------------------------------------------------------


def cmd_memo_add(args: argparse.Namespace) -> int:
    from ofsted_reader.store import research
    from ofsted_reader.store.library.library import Library

    store = open_store()
    if args.report:
        try:
            entry = Library.open().resolve(args.report)
        except LookupError as error:
            raise StoreError(str(error)) from None
        memo = store.add_memo(args.text, report_id=entry.id)
    else:
        key = research.authority_key(args.authority)
        if key is None:
            raise StoreError(
                f"{args.authority!r} is not an English local authority in the LA table; give its name as Ofsted "
                "writes it (e.g. 'Kingston upon Hull') or its DfE code"
            )
        memo = store.add_memo(args.text, authority=key)
    print(memo.id)
    return 0


def cmd_memo_list(args: argparse.Namespace) -> int:
    from ofsted_reader.store import research

    authority = research.authority_key(args.authority) if args.authority else None
    if args.authority and authority is None:
        raise StoreError(f"{args.authority!r} is not an authority in the LA table")
    memos = readable_store().memos(report_id=args.report, authority=authority)
    if args.json:
        print_json([m.to_dict() for m in memos])
        return 0
    if not memos:
        print("no memos")
    for memo in memos:
        about = memo.report_id or research.authority_name(memo.authority or "")
        _say(f"{memo.id[:8]}  {about}  {memo.summary(60)}")
    return 0


def cmd_memo_edit(args: argparse.Namespace) -> int:
    store = open_store()
    print(store.edit_memo(args.id, args.text, args.revision).id)
    return 0


def cmd_memo_rm(args: argparse.Namespace) -> int:
    store = open_store()
    _say(f"removed memo {store.remove_memo(args.id).id}")
    return 0
