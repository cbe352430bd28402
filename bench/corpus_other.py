"""The joint inspections' importers measured over a folder of real reports:
`python bench/corpus_other.py [DIR ...] [--files] [--json]` (default: ../shared/record/other where it exists, else
tests/data/other).

For each kind (JTAI letters, area SEND reports) it counts the files whose parse gives each field the issue asks for:
the kind itself, the authority (and, where a `record.csv` above the folder lists the file, the authority it names),
the inspection dates, the theme (JTAI) or the outcome and the next full inspection (area SEND), the inspectorates,
what needs to improve, at least 8 paragraphs each with its page, four parts or more with no empty section, and no
warnings. Two figures are taken from the
PDF's raw text, independently of the importer's rules: the outcome the report prints (its fixed words found anywhere
in the text), and the share of the raw body words the paragraphs keep.

Kept apart from bench/corpus.py (the inspections' and the visit letters' measures): the two share nothing but the
PDF text.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ofsted_reader.core import authorities
from ofsted_reader.core.model import Report
from ofsted_reader.importers import ReportError, parse_file
from ofsted_reader.importers.pdf_extract import extract_pages

ROOT = Path(__file__).resolve().parent.parent
KINDS = {"joint targeted area inspection": "jtai", "area SEND inspection": "area_send"}
# The outcomes' fixed words, as the raw text prints them (whitespace and line breaks aside).
PRINTED_OUTCOMES = {
    "positive": r"typically\s+lead\s+to\s+positive\s+experiences",
    "inconsistent": r"lead\s+to\s+inconsistent\s+experiences",
    "failings": r"widespread\s+and/or\s+systemic\s+failings",
}
FIELDS = {
    "jtai": [
        "kind",
        "authority",
        "record_authority",
        "dates",
        "published",
        "theme",
        "inspectorates",
        "recommendations",
        "paragraphs",
        "pages",
        "sections",
        "no_warnings",
    ],
    "area_send": [
        "kind",
        "authority",
        "record_authority",
        "dates",
        "outcome",
        "outcome_as_printed",
        "next_inspection",
        "inspectorates",
        "recommendations",
        "paragraphs",
        "pages",
        "sections",
        "no_warnings",
    ],
}
WORD = re.compile(r"[a-z]{4,}")


def record_kinds(folder: Path) -> dict[str, tuple[str, str]]:
    """{file name: (kind, authority)} from a record.csv in the folder or above it (../shared/record.csv)."""
    for place in [folder, *folder.parents][:3]:
        table = place / "record.csv"
        if table.exists():
            with table.open(newline="", encoding="utf-8") as handle:
                return {Path(row["file"]).name: (row["kind"], row["authority"]) for row in csv.DictReader(handle)}
    return {}


def expected_kind(name: str, record: dict[str, tuple[str, str]]) -> str | None:
    if name in record:
        return KINDS.get(record[name][0])
    return "jtai" if "-jtai-" in name else "area_send" if "area-send" in name else None


def _raw_words(path: Path) -> tuple[str, set[str]]:
    pages = extract_pages(path.read_bytes(), str(path))
    text = "\n".join(line for page in pages for line in page)
    return text, set(WORD.findall(text.lower()))


def check_file(path: Path, record: dict[str, tuple[str, str]]) -> dict:
    """What one file's parse gives, field by field (True where the field is there and right)."""
    started = time.perf_counter()
    kind = expected_kind(path.name, record)
    try:
        report: Report | None = parse_file(path)
        problem = None
    except ReportError as error:
        report, problem = None, error.reason
    seconds = time.perf_counter() - started
    out: dict = {"file": path.name, "kind": kind, "error": problem, "seconds": round(seconds, 3)}
    if report is None:
        return out
    raw, raw_words = _raw_words(path)
    printed = next((o for o, words in PRINTED_OUTCOMES.items() if re.search(words, raw, re.I)), None)
    listed = record.get(path.name, ("", ""))[1]
    named = authorities.identify(listed) if listed else None
    kept = set(WORD.findall(" ".join(p.full_text for p in report.paragraphs).lower()))
    out["checks"] = {
        "kind": report.report_type == kind,
        "authority": report.authority_code is not None,
        "record_authority": named is None or named.code == report.authority_code,
        "dates": (report.inspection_start or "~") <= (report.inspection_end or ""),  # a missing one fails
        "published": report.published is not None,
        "theme": bool(report.theme),
        "outcome": report.outcome is not None,
        "outcome_as_printed": report.outcome == printed,
        "next_inspection": report.next_inspection_by is not None,
        "inspectorates": len(report.inspectorates) >= 2 and report.inspectorates[0] == "Ofsted",
        "recommendations": bool(report.recommendations),
        "paragraphs": len(report.paragraphs) >= 8,
        "pages": all(p.page for p in report.paragraphs),
        "sections": _sections_whole(report),
        "no_warnings": not report.warnings,
    }
    out["words_kept"] = round(len(kept & raw_words) / max(1, len(raw_words)), 3)
    out["report"] = {
        "id": report.id,
        "authority_code": report.authority_code,
        "dates": [report.inspection_start, report.inspection_end],
        "theme": report.theme,
        "outcome": report.outcome,
        "inspectorates": report.inspectorates,
        "recommendations": len(report.recommendations),
        "paragraphs": len(report.paragraphs),
        "warnings": report.warnings,
    }
    return out


def _sections_whole(report: Report) -> bool:
    """Four parts or more, and every section without sub-parts holds a paragraph (a heading taken for a part when it
    heads the one after it leaves one empty)."""
    used = {p.section for p in report.paragraphs}
    parents = {s.parent for s in report.sections}
    parts = [s for s in report.sections if s.parent is None]
    return len(parts) >= 4 and all(s.id in used or s.id in parents for s in report.sections)


def default_folders() -> list[Path]:
    shared = ROOT.parent / "shared" / "record" / "other"
    return [shared if shared.is_dir() else ROOT / "tests" / "data" / "other"]


def run(folders: list[Path]) -> list[dict]:
    results = []
    for folder in folders:
        record = record_kinds(folder)
        for path in sorted(folder.glob("*.pdf")):
            results.append(check_file(path, record))
    return results


def summary(results: list[dict]) -> dict[str, dict[str, int]]:
    """{kind: {field: files with it, "files": files, "refused": files refused}}."""
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for result in results:
        kind = result["kind"] or "unknown"
        counts = table[kind]
        counts["files"] += 1
        if result.get("error"):
            counts["refused"] += 1
            continue
        for field in FIELDS.get(kind, []):
            counts[field] += bool(result["checks"][field])
    return {kind: dict(counts) for kind, counts in table.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--files", action="store_true", help="list every file with a field missing")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = run(args.folders or default_folders())
    table = summary(results)
    if args.json:
        print(json.dumps({"summary": table, "files": results}, ensure_ascii=False, indent=2))
        return 0
    for kind, counts in table.items():
        files = counts["files"]
        print(f"{kind}: {files} files, {counts.get('refused', 0)} refused")
        for field in FIELDS.get(kind, []):
            print(f"  {field:<20} {counts.get(field, 0):>3}/{files}")
        kept = [r["words_kept"] for r in results if r["kind"] == kind and "words_kept" in r]
        if kept:
            print(f"  {'body words kept':<20} min {min(kept):.0%}, median {sorted(kept)[len(kept) // 2]:.0%}")
    slowest = max((r["seconds"] for r in results), default=0)
    print(f"parse time: slowest {slowest * 1000:.0f} ms")
    if args.files:
        for result in results:
            missing = [
                f for f, ok in result.get("checks", {}).items() if not ok and f in FIELDS.get(result["kind"], [])
            ]
            if result.get("error") or missing:
                print(f"{result['file']}: {result.get('error') or ', '.join(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
