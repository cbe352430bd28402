"""Make the shipped record: every report of `reports/record.csv` (each LA children's services inspection published
2012-2026 and each focused-visit letter 2018-2026, as Ofsted lists them) and the four 2009-2012 text reports, parsed
by the importers into `reports/record/<id>.json.gz`, with `reports/manifest.json` (each report's library row and
Ofsted source) and `reports/outlines.json` (each report's section tree).

    python scripts/build_record.py                     # the PDFs from ../shared (record.csv's `file` column)
    python scripts/build_record.py --pdfs DIR          # the PDFs from another copy of that folder
    python scripts/build_record.py --from-urls         # each PDF downloaded once from its Ofsted URL (the network)
    python scripts/build_record.py --check             # say which shipped reports are stale; write nothing

A report whose parse is unchanged keeps its file byte for byte (gzip without a name or time), so a rebuild after an
importer change touches only the reports that change. The PDFs never go into the repository; the latest inspections'
PDFs shipped in `reports/national/` are the originals `O` opens offline, found here by their content.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import os
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
RECORD_LIST = ROOT / "reports" / "record.csv"
DEFAULT_PDFS = ROOT.parent / "shared"


@dataclass(frozen=True)
class Row:
    """One report of the record as Ofsted lists it."""

    file: str  # its path in the record's folder (shared/), or a shipped text report's name
    kind: str
    urn: str | None
    published: str | None
    source_url: str | None


def record_rows() -> list[Row]:
    with RECORD_LIST.open(encoding="utf-8", newline="") as handle:
        return [
            Row(r["file"], r["kind"], r["urn"] or None, r["published"] or None, r["source_url"] or None)
            for r in csv.DictReader(handle)
        ]


def historic_rows() -> list[Row]:
    from ofsted_reader.reports import historic_files, relative

    return [Row(relative(path), "inspection", None, None, None) for path in historic_files()]


@dataclass
class Parsed:
    row: Row
    data_sha: str
    body: bytes | None  # the record's JSON, None when the file is not a report
    summary: dict | None
    outline: list | None
    error: str | None = None


def parse_one(row: Row, path: str) -> Parsed:
    from ofsted_reader.importers import ReportError, parse_bytes
    from ofsted_reader.store.library.entry import outline_of, summary
    from ofsted_reader.store.library.shipped import encode

    data = Path(path).read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    try:
        report = parse_bytes(data, Path(row.file).name)
    except ReportError as error:
        return Parsed(row, sha, None, None, None, str(error))
    return Parsed(row, sha, encode(report), summary(report), outline_of(report))


def parse_record(files: list[tuple[Row, Path]], jobs: int) -> list[Parsed]:
    if jobs <= 1:
        return [parse_one(row, str(path)) for row, path in files]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(parse_one, [r for r, _ in files], [str(p) for _, p in files], chunksize=8))


def download(rows: list[Row], folder: Path, delay: float) -> list[tuple[Row, Path]]:
    """Each row's PDF fetched once from its Ofsted URL into `folder` (rows without a URL are said and left out)."""
    from ofsted_reader.importers.ofsted_site import Client, SiteError

    found: list[tuple[Row, Path]] = []
    with Client(delay=delay) as client:
        for n, row in enumerate(rows, 1):
            if row.source_url is None:
                print(f"skipped {row.file}: Ofsted's listing gives no URL for it", file=sys.stderr)
                continue
            target = folder / hashlib.sha256(row.file.encode()).hexdigest()
            try:
                client.pdf(row.source_url, target)
            except SiteError as error:
                print(f"skipped {row.file}: {error}", file=sys.stderr)
                continue
            found.append((row, target))
            print(f"{n}/{len(rows)} {row.file}", file=sys.stderr)
    return found


def originals() -> dict[str, str]:
    """The originals shipped beside the record, by the hash of their bytes: relative path in reports/."""
    from ofsted_reader.reports import original_files, relative

    return {hashlib.sha256(p.read_bytes()).hexdigest(): relative(p) for p in original_files()}


def build(parsed: list[Parsed], check: bool) -> tuple[list[str], list[str]]:
    """Write (or with check, compare) the record files and manifests: (changed report ids, problems)."""
    from ofsted_reader.reports import MANIFEST, OUTLINES, RECORD_DIR
    from ofsted_reader.store.library import shipped
    from ofsted_reader.store.library.parse_cache import PARSER_VERSION

    shipped_originals = originals()
    reports: dict[str, dict] = {}
    outlines: dict[str, list] = {}
    problems: list[str] = []
    changed: list[str] = []
    for item in sorted(parsed, key=lambda p: p.row.file):
        if item.body is None or item.summary is None:
            problems.append(f"{item.row.file}: {item.error}")
            continue
        report_id = item.summary["id"]
        if report_id in reports:  # two reports read as one id: the second is told apart, as an import would
            n = 2
            while f"{report_id}-{n}" in reports:
                n += 1
            problems.append(f"{item.row.file}: id {report_id} taken; shipped as {report_id}-{n}")
            report_id = f"{report_id}-{n}"
            item.summary["id"] = report_id
        target = shipped.record_file(report_id)
        try:
            same = gzip.decompress(target.read_bytes()) == item.body
        except (OSError, EOFError, gzip.BadGzipFile):
            same = False
        if not same:
            changed.append(report_id)
            if not check:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(shipped.compress(item.body))
        row = dict(item.summary)
        row.update(
            file=item.row.file,
            sha256=shipped.digest(item.body),
            size=len(shipped.compress(item.body)),
            urn=item.row.urn,
            source_url=item.row.source_url,
            published=row["published"] or item.row.published,
            original=shipped_originals.get(item.data_sha),
        )
        del row["id"]
        reports[report_id] = row
        outlines[report_id] = item.outline or []
    gone = sorted(
        p.name.removesuffix(".json.gz")
        for p in RECORD_DIR.glob("*.json.gz")
        if p.name.removesuffix(".json.gz") not in reports
    )
    changed += gone
    if check:
        return changed, problems
    for report_id in gone:
        shipped.record_file(report_id).unlink()
    ordered = sorted(reports)
    body = {"format": shipped.FORMAT, "parser": PARSER_VERSION, "reports": {k: reports[k] for k in ordered}}
    MANIFEST.write_bytes(orjson.dumps(body, option=orjson.OPT_INDENT_2) + b"\n")
    OUTLINES.write_bytes(orjson.dumps({k: outlines[k] for k in ordered}) + b"\n")
    return changed, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdfs", type=Path, default=DEFAULT_PDFS, help="the folder record.csv's paths are under")
    parser.add_argument("--from-urls", action="store_true", help="download each PDF from its Ofsted URL instead")
    parser.add_argument("--delay", type=float, default=1.0, help="seconds between downloads (--from-urls)")
    parser.add_argument("--check", action="store_true", help="list the stale reports; write nothing (exit 1 if any)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    rows = record_rows()
    with tempfile.TemporaryDirectory() as scratch:
        if args.from_urls:
            files = download(rows, Path(scratch), args.delay)
        else:
            missing = [row.file for row in rows if not (args.pdfs / row.file).is_file()]
            if missing:
                print(
                    f"build_record: {len(missing)} PDFs of reports/record.csv are not under {args.pdfs} "
                    f"(first: {missing[0]}); give --pdfs or --from-urls",
                    file=sys.stderr,
                )
                return 2
            files = [(row, args.pdfs / row.file) for row in rows]
        from ofsted_reader.reports import BUNDLED_DIR

        files += [(row, BUNDLED_DIR / row.file) for row in historic_rows()]
        parsed = parse_record(files, args.jobs)
    changed, problems = build(parsed, args.check)
    for problem in problems:
        print(f"note: {problem}", file=sys.stderr)
    verb = "stale" if args.check else "written"
    print(f"{len(parsed) - len([p for p in parsed if p.body is None])} reports; {len(changed)} {verb}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
