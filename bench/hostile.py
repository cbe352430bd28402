"""The hostile inputs of issue 37, each run by the CLI in a process of its own: its peak memory (VmHWM: that process's
own) and its time. Every one must end in seconds, in one line, within 300 MB. The files are made here, at the
sizes the audit used (a 2 GB PDF, a 1 GB listing page, a .qdpx member inflating to 1 GB, a 15 MB UTF-16 codebook);
the local site is the one tests/test_fetch_bounded.py serves."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.test_bounded_input import PEAK_KB  # noqa: E402  (the tests measure the same way)

PEAK = (
    "import runpy, sys, atexit\n"
    "atexit.register(lambda: print('peak-kb', peak_kb(), file=sys.stderr))\n"
    "sys.argv = ['ofsted-reader', *{args!r}]\n"
    "runpy.run_module('ofsted_reader.cli', run_name='__main__')\n"
)
KEYMAP = (
    "import sys\nfrom pathlib import Path\nfrom ofsted_reader.tui.keymap import read_keymap\n"
    "print(read_keymap(Path({path!r})).problem[:100], file=sys.stderr)\n"
    "print('peak-kb', peak_kb(), file=sys.stderr)\n"
)


def run(label: str, code: str, env: dict[str, str]) -> None:
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300
        )
    except subprocess.TimeoutExpired:
        print(f"{label + ':':<52} still running after 300 s")
        return
    seconds = time.perf_counter() - start
    lines = done.stderr.splitlines()
    peak = next((int(line.split()[1]) / 1024 for line in lines if line.startswith("peak-kb ")), float("nan"))
    said = next((line for line in lines if not line.startswith("peak-kb ")), done.stdout.strip().splitlines()[-1:])
    print(f"{label + ':':<52} {peak:6.0f} MB  {seconds:5.1f} s  exit {done.returncode}  {str(said)[:90]}")


def cli(label: str, args: Sequence[str | Path], env: dict[str, str]) -> None:
    run(label, PEAK_KB + PEAK.format(args=[str(a) for a in args]), env)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from tests import test_fetch_bounded as site_module
    from tests.test_bounded_input import pdf_with_pages, qdc, under_declared_qdpx

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        env = {**os.environ, "OFSTED_READER_HOME": str(tmp / "home"), "OFSTED_READER_BUNDLED": "historic"}
        (tmp / "home").mkdir()

        # Codebooks
        body = qdc(
            '<Code name="a" guid="1"><Description>' + "&big;" * 190 + "</Description></Code>",
            declaration='<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE CodeBook [<!ENTITY big "'
            + "x" * 7_800_000
            + '">]>',
        )
        (tmp / "entity.qdc").write_bytes(body.encode("utf-16"))
        cli("codebook: UTF-16 .qdc, 15.6 MB, an entity x190", ["codebook", "import", tmp / "entity.qdc"], env)
        under_declared_qdpx(tmp / "liar.qdpx", 1024 * 1024 * 1024)
        cli("codebook: .qdpx member under-declared, 1 GB", ["codebook", "import", tmp / "liar.qdpx"], env)
        codes = "".join(f'<Code name="code-{i}" guid="{i}"><Description>d</Description></Code>' for i in range(9_999))
        (tmp / "many.qdc").write_text(qdc(codes))
        cli("codebook: 9,999 codes imported", ["codebook", "import", tmp / "many.qdc"], env)

        # Settings: `open` reads config.json, on a report with a PDF
        cli("(a PDF imported, for open)", ["import", ROOT / "tests" / "data" / "pdf" / "birmingham-2016.pdf"], env)
        env["OFSTED_READER_PDF_VIEWER"] = "true {file}"
        config = tmp / "home" / "config.json"
        config.symlink_to("/dev/zero")
        cli("config.json a link to /dev/zero (open)", ["open", "birmingham"], env)
        config.unlink()
        config.write_text("[" * 100_000 + "]" * 100_000)
        cli("config.json nested 100,000 deep (open)", ["open", "birmingham"], env)
        config.unlink()
        keymap = tmp / "keymap.json"
        keymap.write_text(json.dumps({f"app.no-such-{i}": "x" for i in range(100_000)}))
        run("keymap.json of 100,000 unknown ids", PEAK_KB + KEYMAP.format(path=str(keymap)), env)

        # Backups
        backup = tmp / "deep-backup.json"
        backup.write_text("[" * 30_000_000)
        cli("backup: 30 MB of '['", ["backup", "import", backup], env)

        # PDFs
        (tmp / "pages.pdf").write_bytes(pdf_with_pages(1_000_000))
        cli("PDF: one page listed 1,000,000 times", ["import", tmp / "pages.pdf"], env)

        # Fetch, against the local hostile site
        site_module.HUGE = 2 * 1024 * 1024 * 1024
        server = site_module.Hostile()
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            lambeth = server.provider(site_module.LAMBETH)
            fetch = ["fetch", "Lambeth", "--site", server.url, "--delay", "0", "--timeout", "5"]
            server.pages[lambeth] = site_module.page(
                site_module.link("/v1/file/huge", "Children's services inspection")
            )
            server.pages["/v1/file/huge"] = "huge-pdf"
            cli("fetch: a 2 GB PDF", [*fetch[:-1], "60"], env)
            server.pages[lambeth] = "huge-page"
            site_module.HUGE = 1024 * 1024 * 1024
            cli("fetch: a 1 GB listing page", [*fetch[:-1], "60"], env)
            server.pages[lambeth] = "trickle"
            cli("fetch: a byte every 0.3 s (--timeout 5)", fetch, env)
            links = "".join(
                f'<a class="publication-link" href="/v1/file/{i}">Children\'s services focused visit</a>'
                for i in range(200_000)
            )
            server.pages[lambeth] = f"<html><body>{links}</body></html>"
            cli("fetch: a page of 200,000 links", [*fetch, "--dry-run"], env)
            server.pages[lambeth] = site_module.page(
                site_module.link("/v1/file/loop", "Children's services inspection")
            )
            server.pages["/v1/file/loop"] = "loop"
            cli("fetch: a redirect loop", fetch, env)
        finally:
            server.stop.set()
            server.shutdown()
            server.server_close()
