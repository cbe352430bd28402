"""`ofsted-reader list`: the library, one report a row: its id (whole: it is what other commands take), authority,
what kind of report it is, when it was inspected and published (each in its own column), and its grades (a visit
letter's theme instead: visits are not graded).

library.py registers the command and passes the parsed arguments here.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from typing import TYPE_CHECKING

from ofsted_reader.core.safe_text import visible

if TYPE_CHECKING:
    from ofsted_reader.store.library.library import Entry

PIPED_WIDTH = 132  # piped output: one row per line, this wide or as wide as the row needs (a name is never cut)
WITH_AUTHORITY = 130  # narrower, the authority column goes: each id begins with its authority's name
WITH_WORDS = 150  # narrower, a 2009-2012 report's two grades are letters, as the judgements after April 2026 are


def kind_of(entry: Entry) -> str:
    """'ILACS inspection', 'focused visit', 'monitoring visit', 'LSCB review'."""
    from ofsted_reader.core.visits import KINDS

    if entry.report_type in KINDS:
        return KINDS[entry.report_type]
    if entry.report_type == "inspection":
        return entry.framework.upper()
    return entry.report_type.replace("_", " ").replace("lscb", "LSCB")


def grades_text(entry: Entry, compact: bool = False) -> str:
    """'Good'; 'SG Good · LAC Adequate'; 'Le G · HP RI · IC G · CL G' (no overall grade after April 2026); for a
    visit letter its theme; 'not graded' only when the report has no judgement at all."""
    from ofsted_reader.core.grades import badge_parts
    from ofsted_reader.core.visits import KINDS, theme_label

    if entry.report_type == "area_send":  # its outcome, in words: never a grade
        from ofsted_reader.core.judgements import SEND_KEY, SEND_WORDS

        outcome = SEND_WORDS.get(entry.grades.get(SEND_KEY, 0))
        return f"SEND outcome: {outcome}" if outcome else "no outcome (2016-2022 framework)"
    if entry.report_type in KINDS:
        return theme_label(entry.theme) or (entry.theme or "theme not read")
    parts = badge_parts(entry.grades, entry.framework, entry.overall, compact=compact)
    return (" " if compact else "  ").join(text for text, _ in parts) or "not graded"


def cmd_list(args: argparse.Namespace) -> int:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ofsted_reader.core import authorities
    from ofsted_reader.core.dates import short_date
    from ofsted_reader.core.grades import LETTER_LEGEND
    from ofsted_reader.core.judgements import LEGEND
    from ofsted_reader.core.wording import plural
    from ofsted_reader.store.library.library import Library

    library = Library.open()
    for problem in library.problems:
        sys.stderr.write(f"ofsted-reader: {visible(problem, keep_newlines=False)}\n")
    entries = library.entries()
    if args.json:
        from ofsted_reader.store.library import sources

        fetched = sources.load()["reports"]
        rows = [
            {
                "report_id": e.id,
                "authority": e.authority,
                "published": e.published,
                "framework": e.framework,
                "kind": kind_of(e),
                "overall": [{"service": s, "grade": g, "label": label} for s, g, label in e.overall],
                "bundled": e.bundled,
                "source": e.source,
                "authority_code": e.authority_code,
                "region": (found.region if (found := authorities.by_code(e.authority_code)) else None),
                "report_type": e.report_type,
                "inspection_start": e.inspection_start,
                "inspection_end": e.inspected,
                "grades": e.grades,
                "theme": e.theme,
                "source_url": fetched.get(e.id, {}).get("url") or e.source_url,
                "urn": fetched.get(e.id, {}).get("urn") or e.urn,
            }
            for e in entries
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    terminal = sys.stdout.isatty()
    console = Console(width=None if terminal else PIPED_WIDTH, highlight=False, record=not terminal)
    if not terminal:
        console.file = io.StringIO()  # kept, then written with no padding at the ends of lines
    table = Table(
        title=plural(len(entries), "report"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1, 0, 0),
    )
    # The id is what `open`, `compare` and `note add` take: never cut. The authority and grades give way instead.
    longest = max((len(e.id) for e in entries), default=10)
    table.add_column("Report id", no_wrap=True, min_width=longest)
    wide = console.width >= WITH_AUTHORITY
    if wide:  # piped, for grep and friends, a name is never cut: the line is as long as the row needs
        table.add_column("Authority", no_wrap=True, max_width=None if not terminal else 18, overflow="ellipsis")
    table.add_column("Kind", no_wrap=True, min_width=max(len(kind_of(e)) for e in entries) if entries else 5)
    table.add_column("Inspected", no_wrap=True, min_width=11)
    table.add_column("Published", no_wrap=True, min_width=11)
    table.add_column("Grades or theme", no_wrap=True, overflow="ellipsis")
    for e in entries:
        table.add_row(
            Text(visible(e.id)),
            *([Text(visible(e.authority, keep_newlines=False))] if wide else []),
            kind_of(e),
            short_date(e.inspected) if e.inspected else "-",
            short_date(e.published) if e.published else "-",
            Text(visible(grades_text(e, compact=console.width < WITH_WORDS), keep_newlines=False)),
        )
    if not terminal:  # the widest row laid out without limit, then the table laid out that wide
        lines = console.render_lines(table, console.options.update_width(10_000), pad=False)
        needed = max(
            (len("".join(seg.text for seg in line if "─" not in seg.text).rstrip()) for line in lines), default=0
        )
        console.width = max(PIPED_WIDTH, needed + 1)  # and the last column's right padding
    console.print(table)
    console.width = console.width if terminal else PIPED_WIDTH
    lettered = console.width < WITH_WORDS and any(e.framework == "slac" and len(e.overall) > 1 for e in entries)
    if lettered or any(not e.grades.get("overall") and e.grades for e in entries):
        console.print(f"Grades: {LEGEND}; {LETTER_LEGEND}", style="dim")
    if not terminal:
        sys.stdout.write("".join(line.rstrip() + "\n" for line in console.export_text().splitlines()))
    return 0
