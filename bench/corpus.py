"""The importer measured over a folder of real reports: `python bench/corpus.py DIR [DIR ...] [--files] [--json]`.

For each framework it prints: files parsed, authority identified, judgements found against those the report prints,
paragraph numbering complete, running-header/footer lines found inside paragraphs, the share of the PDF's body
words kept, and agreement with the peer table (`peer-judgements.csv` in the folder) where there is one.

Every measure here is taken from the PDF's raw text independently of the importer's own rules, so a rule that
drops text or misses a judgement shows up as a lower figure:
- furniture: lines (digits ignored) that recur at the top or foot of at least three pages;
- printed numbering: the longest run 1, 2, 3 ... N of lines starting "N." in page order;
- printed judgements: the judgement names found in the page-one table (and the LSCB sentence);
- body words: the raw words less furniture, the contents page, the page-one fields and the closing boilerplate.

A second table gives, per framework, the structure counts of bench/structure.py (merged paragraphs, section titles
that are table cells, leaf sections without paragraphs, page-one grades that disagree with the headings', fragments
of headings or grades as paragraphs, dated footers in text) and the authorities not identified.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.printed import PRINTED_COUNTS, SECOND_COVER, second_start
from bench.printed import printed as as_printed
from bench.structure import COUNTS, placed_key, recurring_placed, structure
from ofsted_reader.core import authorities
from ofsted_reader.core.grades import NAMES
from ofsted_reader.core.judgements import judgement_key
from ofsted_reader.core.latest import with_combined_care
from ofsted_reader.core.model import Report
from ofsted_reader.core.visits import KINDS
from ofsted_reader.importers import ReportError, parse_bytes
from ofsted_reader.importers.pdf import extract_pages

# As the peer table writes a grade.
GRADE_WORDS = {grade: name.lower() for grade, name in NAMES.items()}
WORD = re.compile(r"[a-z]+|[0-9]+")
PRINTED_LABELS = [  # what a page-one judgement table or verdict can name, by key
    ("overall", r"overall effectiveness|children.s services in .{0,80}? (?:are|is|require)|overall judgement is"),
    ("leaders", r"impact of leaders|leadership,? management and governance"),
    ("help_protection", r"need help and protection"),
    ("in_care_and_care_leavers", r"children in care and care\s+leavers"),
    (
        "in_care",
        r"experiences and progress of\s+children in care(?! and care leavers)|children looked after and achieving",
    ),
    ("care_leavers", r"experiences and progress of\s+(?:children\s+)?care leavers|progress of care leavers"),
    ("adoption", r"adoption performance"),
    (
        "lscb",
        r"effectiveness of the (?:local safeguarding children board|lscb)\b.{0,40}?(?:is|are) "
        r"|local safeguarding children board (?:is|requires)",
    ),
]


def words(text: str) -> Counter:
    return Counter(WORD.findall(text.lower()))


def _key(line: str) -> str:
    return " ".join(re.sub(r"[^a-z]+", " ", line.lower()).split())


def furniture(pages: list[list[str]]) -> set[str]:
    """Keys of lines that recur at the top (first 4 lines) or foot (last 3) of three or more pages, and of lines printed
    at one height with the same words on as many (a footer pdfium gives mid-page, '11 July 2022 2')."""
    seen: Counter = Counter()
    for lines in pages:
        content = [line for line in lines if line.strip()]
        keys = {_key(line) for line in content[:4] + content[-3:]}
        seen.update(k for k in keys if k)
    needed = max(3, int(len(pages) * 0.3))  # as often as a running header: a heading can top two or three pages
    return {key for key, count in seen.items() if count >= needed and len(key.split()) >= 2} | recurring_placed(
        pages, needed
    )


def is_furniture(line: str, keys: set[str]) -> bool:
    stripped = line.strip()
    return not stripped or bool(re.fullmatch(r"\d{1,3}", stripped)) or _key(line) in keys or placed_key(line) in keys


def front_matter(pages: list[list[str]]) -> int:
    """How many of page one's lines are the cover (title, fields, judgement table): those before its first line of
    prose. A SIF cover has no prose at all."""
    for index, line in enumerate(pages[0]):
        if len(line.strip()) > 75 and not re.match(r"^\d\.|^Inspection|^Lead|^Report", line.strip()):
            return index
    return len(pages[0])


def printed_numbering(pages: list[list[str]]) -> int:
    expected = 1
    for lines in pages[1:]:  # page one is the cover: its table rows are numbered too
        for line in lines:
            match = re.match(r"^\s*(\d{1,3})(?:\.(?!\d)|\s+(?=[A-Z]))", line)  # "34." or "34   Most children"
            if match and int(match.group(1)) == expected:
                expected += 1
    return expected - 1


def printed_judgements(pages: list[list[str]]) -> set[str]:
    table = pages[0]
    start = next((i for i, line in enumerate(table) if re.match(r"^\s*Judgement\s+Grade", line)), None)
    if start is not None:  # ILACS: the table ends where the summary's prose begins
        end = next((i for i in range(start, len(table)) if len(table[i].strip()) > 75), len(table))
        table = table[:end]
    first = " ".join(line.strip() for line in table).lower().replace("’", "'")
    everything = " ".join(line.strip() for page in pages for line in page).lower()
    found = {key for key, pattern in PRINTED_LABELS if key != "lscb" and re.search(pattern, first)}
    if "in_care_and_care_leavers" in found:
        found -= {"in_care", "care_leavers"}
    if re.search(dict(PRINTED_LABELS)["lscb"], everything):
        found.add("lscb")
    return found


def body_lines(pages: list[list[str]], keys: set[str]) -> list[str]:
    """The body's lines; after the closing boilerplate, those of a second report the file prints from its cover on
    (a 2015 LSCB review after the local authority's report)."""
    out: list[str] = []
    cover = front_matter(pages)
    closed = False
    for number, lines in enumerate(pages, start=1):
        if number == 1:
            lines = lines[cover:]
        if closed:
            if not any(SECOND_COVER.match(line.strip()) for line in lines[:25]):
                continue
            closed = False
        content = [line for line in lines if line.strip()]
        if (content and content[0].strip() == "Contents") or (
            any(line.strip() == "Contents" for line in content[:3]) and number <= 3
        ):
            continue
        if number <= 3 and any(line.strip().startswith("© Crown copyright") for line in content[:2]):
            continue  # the 2013 layout's copyright page, at the front
        for line in lines:
            text = line.strip()
            if (
                re.match(
                    r"^(The Office for Standards in Education|Any complaints about the inspection|Ofsted has a duty|"
                    r"If you would like a copy of this document)",
                    text,
                )
                and number > 1
            ):
                closed = True
                break
            if is_furniture(line, keys):
                continue
            if re.match(
                r"^(Inspection dates?|Lead inspectors?|Report published|Inspection date|Judgement\s+Grade$)\b",
                text,
                re.I,
            ) or re.fullmatch(r"(Her|His) Majesty.s Inspector", text):
                continue
            out.append(text)
    return out


def letter_body_lines(pages: list[list[str]]) -> list[str]:
    """A visit letter's words as printed: after 'Dear ...' up to 'Yours sincerely', less its letterhead lines and
    page numbers (those made only of the Ofsted address, phone, e-mail and web address, or of digits)."""
    # Lines the first page prints above "Dear" are the letterhead and address, wherever pdfium gives them.
    first = pages[0] if pages else []
    dear = next((line for line in first if re.match(r"^Dear\b", line.strip())), None)
    if dear is not None and hasattr(dear, "baseline"):
        first = [line for line in first if not (hasattr(line, "baseline") and line.baseline > dear.baseline + 1)]
    lines = [line.strip() for lines in [first, *pages[1:]] for line in lines]
    start = next((i for i, line in enumerate(lines) if re.match(r"^Dear\b", line)), 0)
    end = next(
        (i for i, line in enumerate(lines) if i > start and re.match(r"^Yours?\s+(sincerely|faithfully)", line, re.I)),
        len(lines),
    )
    letterhead = re.compile(
        r"(Ofsted|Piccadilly Gate|Store Street|Manchester|M1 2WD|T 0300 123 1231|Textphone [\d ]+|"
        r"enquiries@ofsted\.gov\.uk|www\.gov\.uk/ofsted|www\.ofsted\.gov\.uk|Page \d+ of \d+|\d{1,2}|\s)+"
    )
    return [line for line in lines[start + 1 : end] if line and not letterhead.fullmatch(line)]


def kept_words(report: Report) -> Counter:
    parts = [report.title, report.authority, report.lead_inspector or ""]
    parts += [str(p.number) for p in report.paragraphs if p.number is not None]
    parts += [p.text for p in report.paragraphs] + [item for p in report.paragraphs for item in p.items]
    parts += [note for p in report.paragraphs for note in getattr(p, "footnotes", [])]
    parts += [s.title for s in report.sections] + [s.label or "" for s in report.sections] + report.footnotes
    parts += [f"{j.name} {j.label}" for j in report.judgements]
    # What the model keeps as fields rather than text: a section's "Grade 4", a recommendation's timescale.
    parts += [f"grade {s.grade}" for s in report.sections if s.grade and report.framework == "lac"]
    parts += [(r.timescale or "").replace("_", " ") for r in report.recommendations]
    parts += ["record of main findings"] if report.framework == "lac" and report.judgements else []
    return words(" ".join(parts))


def read_peer(folder: Path, table: Path | None = None) -> dict[str, dict[str, str]]:
    """The peer's rows by file name: from `table`, else the folder's own peer-judgements.csv."""
    path = table or folder / "peer-judgements.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8-sig") as handle:
        return {row["file"]: row for row in csv.DictReader(handle)}


def _peer_date(text: str) -> str | None:
    try:
        return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date().isoformat()
    except ValueError:
        return None


def peer_disagreements(report: Report, row: dict[str, str]) -> list[str]:
    out = []
    # One judgement for both children in care and care leavers before 2023: it answers for both columns.
    grades = with_combined_care({key: j.grade for j in report.judgements if (key := judgement_key(j.name)) is not None})
    ours = {key: GRADE_WORDS[grade] for key, grade in grades.items()}
    columns = {
        "overall": "overall_effectiveness_grade",
        "leaders": "impact_of_leaders_grade",
        "help_protection": "help_and_protection_grade",
        "in_care": "in_care_grade",
        "care_leavers": "care_leavers_grade",
    }
    for key, column in columns.items():
        theirs = (row.get(column) or "").strip().lower()
        if not theirs or theirs in {"data_unreadable", "inspection_pre_dates_judgement", "not_reported_post_reform"}:
            continue
        if ours.get(key) != theirs:
            out.append(f"{key}: ours {ours.get(key)!r}, peer {theirs!r}")
    for field, column in (("inspection_start", "inspection_start_date"), ("inspection_end", "inspection_end_date")):
        their_date = _peer_date(row.get(column) or "")
        if their_date and getattr(report, field) != their_date:
            out.append(f"{field}: ours {getattr(report, field)}, peer {their_date}")
    theirs = (row.get("inspector_name") or "").strip()
    if theirs and (report.lead_inspector or "").lower() != theirs.lower():
        out.append(f"lead inspector: ours {report.lead_inspector!r}, peer {theirs!r}")
    urn = (row.get("urn") or "").strip()
    identified = authorities.by_code(report.authority_code)
    if urn and (identified is None or identified.urn != urn):
        out.append(
            f"authority: ours {report.authority!r} (URN {identified.urn if identified else None}), peer URN {urn}"
        )
    return out


def check_file(path: Path, peer: dict[str, str] | None, keep_report: bool = False) -> dict:
    """The measures of one file; with keep_report the parsed report too, under "report" (the tests reuse it)."""
    data = path.read_bytes()
    result: dict = {"file": path.name}
    start = time.perf_counter()
    try:
        report = parse_bytes(data, str(path))
    except ReportError as error:
        result.update(framework="refused", error=str(error).split(": ", 1)[-1])
        return result
    result["seconds"] = time.perf_counter() - start
    if keep_report:
        result["report"] = report
    kind = report.framework if report.report_type in {"inspection", "lscb_review"} else report.report_type
    result.update(
        framework=kind,
        report_id=report.id,
        authority=report.authority,
        identified=report.authority_code is not None,
        code=report.authority_code,
        warnings=report.warnings,
        type=report.report_type,
    )
    pages = extract_pages(data, str(path)) if data.lstrip()[:5] == b"%PDF-" else None
    found = {key for j in report.judgements if (key := judgement_key(j.name)) is not None}
    numbers = [p.number for p in report.paragraphs if p.number is not None]
    result["numbers"] = max(numbers) if numbers else 0
    # Each report of a file counts from 1 (a 2015 LSCB review printed after the local authority's report).
    runs: list[list[int]] = []
    for number in numbers:
        if number == 1 or not runs:
            runs.append([])
        runs[-1].append(number)
    result["contiguous"] = all(run == list(range(1, len(run) + 1)) for run in runs)
    if report.report_type in KINDS:
        result["visit"] = {
            "dates": report.inspection_end is not None,
            "published": report.published is not None,
            "inspectors": len(report.inspectors),
            "lead": report.lead_inspector is not None,
            "theme": report.theme is not None,
            "paragraphs": len(report.paragraphs),
            "to_improve": len(report.recommendations),
            "prior": report.prior is not None,
        }
    if pages is None:
        result.update(
            printed_numbers=result["numbers"],
            expected_judgements=sorted(found),
            missing_judgements=[],
            furniture_in_paragraphs=[],
            kept=1.0,
            lost_words=[],
        )
    elif "visit" in result:
        result.update(
            printed_numbers=result["numbers"], expected_judgements=[], missing_judgements=[], furniture_in_paragraphs=[]
        )
        raw = words(" ".join(letter_body_lines(pages)))
        kept = kept_words(report)
        total = sum(raw.values())
        result["kept"] = sum(min(n, kept[w]) for w, n in raw.items()) / total if total else 1.0
        result["lost_words"] = sorted(((n - kept[w], w) for w, n in raw.items() if n > kept[w]), reverse=True)[:12]
    else:
        keys = furniture(pages)
        second = second_start(pages)
        if second is not None:  # each report of the file has its own running header
            keys |= furniture(pages[:second]) | furniture(pages[second:])
        printed = printed_judgements(pages)
        result["printed_numbers"] = printed_numbering(pages)
        result["expected_judgements"] = sorted(printed)
        result["missing_judgements"] = sorted(printed - found)
        leaks = []
        # The furniture lines as printed (with their dates and page numbers): found verbatim inside a paragraph, one
        # has leaked. (The running title alone can be a sentence of the report, so words alone do not count.)
        printed_furniture = {
            line.strip() for lines in pages for line in lines if _key(line) in keys and len(line.split()) >= 3
        }
        for paragraph in report.paragraphs:
            for text in [paragraph.text, *paragraph.items]:
                leaks += [f"{paragraph.id}: {line}" for line in printed_furniture if line in text]
        result["furniture_in_paragraphs"] = leaks
        raw = words(" ".join(body_lines(pages, keys)))
        kept = kept_words(report)
        total = sum(raw.values())
        result["kept"] = sum(min(n, kept[w]) for w, n in raw.items()) / total if total else 1.0
        result["lost_words"] = sorted(((n - kept[w], w) for w, n in raw.items() if n > kept[w]), reverse=True)[:12]
    result["numbering_complete"] = result["contiguous"] and result["numbers"] == result["printed_numbers"]
    result["structure"] = structure(report, pages)
    result["printed"] = as_printed(report, pages)
    result["recommendations"] = len(report.recommendations)
    if peer is not None:
        result["peer"] = peer_disagreements(report, peer)
    return result


def print_structure(by_framework: dict[str, list[dict]]) -> None:
    """Per framework, bench/structure.py's counts: each as the number found and the files with any."""
    print(
        f"{'structure':13} {'merged paragraphs':>19} {'cell titles':>11} {'empty leaves':>12} "
        f"{'grade disagr.':>13} {'fragments':>9} {'dated footers':>13} {'unidentified':>12}"
    )
    for framework, rows in sorted(by_framework.items()):
        if framework == "refused":
            continue
        cells = []
        for count in COUNTS:
            found = sum(len(r["structure"][count]) for r in rows)
            files = sum(1 for r in rows if r["structure"][count])
            cells.append(
                f"{found} in {files}" if count != "merged" else f"{found} in {files} ({files / len(rows):.1%})"
            )
        widths = [19, 11, 12, 13, 9, 13]
        print(
            f"{framework:13} "
            + " ".join(f"{cell:>{width}}" for cell, width in zip(cells, widths))
            + f" {sum(not r['identified'] for r in rows):>12}"
        )


NOT_OURS = {"joint targeted area inspection", "area SEND inspection"}


def record_files(table: Path) -> list[Path]:
    """The files a record lists (paths from its folder), less the kinds other importers read."""
    with table.open(encoding="utf-8-sig") as handle:
        return [table.parent / row["file"] for row in csv.DictReader(handle) if row.get("kind") not in NOT_OURS]


def print_printed(by_framework: dict[str, list[dict]]) -> None:
    """Per framework, bench/printed.py's counts (found in files) and the recommendations read."""
    heads = ["breaks", "footnotes", "off contents", "grade paras", "split recs", "team merged", "joins", "2nd report"]
    print(f"{'as printed':13} " + " ".join(f"{h:>13}" for h in heads) + f" {'empty leaves':>13} {'recs':>6}")
    for framework, rows in sorted(by_framework.items()):
        if framework == "refused":
            continue
        cells = [
            f"{sum(len(r['printed'][c]) for r in rows)} in {sum(1 for r in rows if r['printed'][c])}"
            for c in PRINTED_COUNTS
        ]
        empty = f"{sum(len(r['structure']['empty_leaves']) for r in rows)} in "
        empty += str(sum(1 for r in rows if r["structure"]["empty_leaves"]))
        print(
            f"{framework:13} "
            + " ".join(f"{cell:>13}" for cell in cells)
            + f" {empty:>13} {sum(r['recommendations'] for r in rows):>6}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument(
        "--record",
        type=Path,
        action="append",
        default=[],
        help="a CSV of reports (column `file`, a path from the CSV's folder; `kind`): every row but the joint "
        "targeted area and area SEND inspections, which other importers read",
    )
    parser.add_argument("--files", action="store_true", help="a line for every file with a problem")
    parser.add_argument("--json", action="store_true", help="every file's measures as JSON Lines")
    args = parser.parse_args(argv)
    results = []
    ids: dict[str, str] = {}
    collisions = []
    batches = [
        (sorted(p for p in f.iterdir() if p.suffix.lower() in {".pdf", ".txt"}), read_peer(f)) for f in args.folders
    ]
    batches += [(record_files(table), {}) for table in args.record]
    for paths, peer in batches:
        for path in paths:
            result = check_file(path, peer.get(path.name) if peer else None)
            results.append(result)
            if "report_id" in result:
                if result["report_id"] in ids:
                    collisions.append(f"{result['report_id']}: {ids[result['report_id']]} and {path.name}")
                ids[result["report_id"]] = path.name
    if args.json:
        for result in results:
            print(json.dumps(result))
        return 0
    by_framework: dict[str, list[dict]] = defaultdict(list)
    for result in results:
        by_framework[result["framework"]].append(result)
    print(
        f"{'framework':10} {'files':>5} {'ident.':>6} {'judgem.':>9} {'overall':>7} {'numbering':>9} "
        f"{'furniture':>9} {'words kept (min/median)':>24} {'peer agrees':>11} {'ms/file':>7}"
    )
    for framework, rows in sorted(by_framework.items()):
        if framework == "refused":
            continue
        n = len(rows)
        expected = sum(len(r["expected_judgements"]) for r in rows)
        missing = sum(len(r["missing_judgements"]) for r in rows)
        with_overall = sum(
            1 for r in rows if "overall" not in r["missing_judgements"] and "overall" in r["expected_judgements"]
        )
        expecting_overall = sum(1 for r in rows if "overall" in r["expected_judgements"])
        kept = [r["kept"] for r in rows]
        with_peer = [r for r in rows if "peer" in r]
        print(
            f"{framework:10} {n:5} {sum(r['identified'] for r in rows):6} {expected - missing:4}/{expected:<4} "
            f"{with_overall:3}/{expecting_overall:<3} {sum(r['numbering_complete'] for r in rows):4}/{n:<4} "
            f"{sum(len(r['furniture_in_paragraphs']) for r in rows):9} "
            f"{min(kept) * 100:11.2f}% / {statistics.median(kept) * 100:6.2f}% "
            f"{sum(not r['peer'] for r in with_peer):5}/{len(with_peer):<5} "
            f"{statistics.mean(r['seconds'] for r in rows) * 1000:7.1f}"
        )
    print_structure(by_framework)
    print_printed(by_framework)
    visits = [r for r in results if "visit" in r]
    if visits:
        n = len(visits)
        has = lambda key: sum(1 for r in visits if r["visit"][key])
        print(
            f"visit letters: {n}; visit dates {has('dates')}/{n}, letter date {has('published')}/{n}, "
            f"inspectors named {has('inspectors')}/{n} (lead {has('lead')}/{n}), theme {has('theme')}/{n}, "
            f"previous judgement stated {has('prior')}/{n}, with what needs to improve {has('to_improve')}/{n}; "
            f"paragraphs per letter min {min(r['visit']['paragraphs'] for r in visits)}, "
            f"median {statistics.median(r['visit']['paragraphs'] for r in visits)}"
        )
    parsed = [r for r in results if r["framework"] != "refused"]
    if parsed:
        print(
            f"all: {len(parsed)} files, parse {statistics.mean(r['seconds'] for r in parsed) * 1000:.1f} ms per file "
            f"on average (max {max(r['seconds'] for r in parsed) * 1000:.0f} ms), "
            f"{sum(r['kept'] >= 0.995 for r in parsed)}/{len(parsed)} files keep >= 99.5% of their body words"
        )
    refused = by_framework.get("refused", [])
    print(f"refused: {len(refused)}" + "".join(f"\n  {r['file']}: {r['error']}" for r in refused))
    print(f"id collisions: {len(collisions)}" + "".join(f"\n  {c}" for c in collisions))
    unidentified = sorted(r["file"] for r in results if r.get("identified") is False)
    print(f"authority not identified: {len(unidentified)}" + "".join(f"\n  {f}" for f in unidentified))
    names: dict[str, set[str]] = defaultdict(set)
    for r in results:
        if r.get("identified"):
            names[r["code"]].add(r["authority"])
    several = {code: sorted(n) for code, n in names.items() if len(n) > 1}
    print(
        f"authorities: {len(names)}, with more than one name: {len(several)}"
        + "".join(f"\n  {v}" for v in several.values())
    )
    if args.files:
        for r in results:
            if r["framework"] == "refused":
                continue
            problems = []
            if r["missing_judgements"]:
                problems.append(f"missing judgements {r['missing_judgements']}")
            if not r["numbering_complete"]:
                problems.append(
                    f"numbering: parsed up to {r['numbers']} (contiguous {r['contiguous']}), "
                    f"printed {r['printed_numbers']}"
                )
            if r["furniture_in_paragraphs"]:
                problems.append(f"furniture {r['furniture_in_paragraphs'][:3]}")
            if r["kept"] < 0.995:
                problems.append(f"kept {r['kept'] * 100:.2f}% lost {r['lost_words'][:8]}")
            if r.get("peer"):
                problems.append(f"peer: {r['peer']}")
            for count in COUNTS:
                if r["structure"][count]:
                    problems.append(f"{count} {len(r['structure'][count])}: {r['structure'][count][:3]}")
            for count in PRINTED_COUNTS:
                if r["printed"][count]:
                    problems.append(f"{count} {len(r['printed'][count])}: {r['printed'][count][:3]}")
            if problems:
                print(f"- {r['file']} [{r['framework']}] " + "; ".join(problems))
    return 0


if __name__ == "__main__":
    sys.exit(main())
