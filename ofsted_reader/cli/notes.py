"""Notes on the command line: `note` (add, list, edit, rm, restore), `tag` (list, rename, merge, rm) and `backup`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ofsted_reader.core.safe_text import visible

from .common import (
    UserError,
    open_store,
    print_json,
    readable_store,
)


def register(sub: Any) -> None:
    """Add `note`, `tag` and `backup`."""
    notes = sub.add_parser("note", help="add, list, edit and remove notes on paragraphs")
    nsub = notes.add_subparsers(dest="note_command", metavar="ACTION", required=True)
    p = nsub.add_parser("add", help="add a note to a paragraph; prints its id")
    p.add_argument("paragraph_id", help="the paragraph, e.g. warwickshire-2011-12-16/p71")
    p.add_argument("--text", default="", help="the note (Markdown is kept as typed); tags alone code the passage")
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


def cmd_note_add(args: argparse.Namespace) -> int:
    from ofsted_reader.store.library.library import Library

    if not args.text.strip() and not args.tag:
        raise UserError("a note needs --text or a --tag (tags alone code the passage)")
    library = Library.open()
    report, paragraph = library.find_paragraph(args.paragraph_id)
    if report is None or paragraph is None:
        raise UserError(
            f"no paragraph {args.paragraph_id!r}; ids look like warwickshire-2011-12-16/p71 "
            "(see `ofsted-reader parse FILE --json` or the app)"
        )
    note = open_store().add(report, paragraph.id, args.text, args.tag, args.quote)
    print(note.id)
    return 0


def cmd_note_list(args: argparse.Namespace) -> int:
    notes = readable_store().matching(tag=args.tag, report=args.report, orphans=args.orphans)
    if args.json:
        print_json([note.public() for note in notes])
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
    note = open_store().edit(args.id, text=args.text, tags=args.tag, revision=args.revision)
    print(note.id)
    return 0


def cmd_note_rm(args: argparse.Namespace) -> int:
    note = open_store().remove(args.id)
    print(f"removed {note.id}")
    return 0


def cmd_note_restore(args: argparse.Namespace) -> int:
    store = open_store()
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
    tags = readable_store().tags()
    if args.json:
        print_json([{"tag": tag, "count": count} for tag, count in tags])
    else:
        for tag, count in tags:
            print(f"{count:5}  {visible(tag, keep_newlines=False)}")
    return 0


def cmd_tag_rename(args: argparse.Namespace) -> int:
    print(f"renamed on {open_store().rename_tag(args.old, args.new)} notes")
    return 0


def cmd_tag_merge(args: argparse.Namespace) -> int:
    print(f"merged on {open_store().merge_tag(args.source, args.into)} notes")
    return 0


def cmd_tag_rm(args: argparse.Namespace) -> int:
    print(f"removed from {open_store().delete_tag(args.name)} notes (the notes are kept)")
    return 0


def cmd_backup_export(args: argparse.Namespace) -> int:
    count = readable_store().export_backup(Path(args.file))
    print(visible(f"exported {count} notes to {args.file}", keep_newlines=False))
    return 0


def cmd_backup_import(args: argparse.Namespace) -> int:
    result = open_store().import_backup(Path(args.file))
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
