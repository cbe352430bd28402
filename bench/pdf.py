"""Seconds per PDF over the sample reports (aim: under 0.1 s each), and pypdfium2 against pypdf for extraction."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from ofsted_reader.importers import parse_bytes

SAMPLES = Path(__file__).resolve().parent.parent / "tests" / "data" / "pdf"


def main() -> None:
    files = sorted(p for p in SAMPLES.glob("*.pdf") if "not-a-pdf" not in p.name)
    per_file = []
    for path in files:
        data = path.read_bytes()
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            parse_bytes(data, str(path))
            runs.append(time.perf_counter() - start)
        per_file.append(statistics.median(runs))
        print(f"{path.name:34} {len(data) / 1024:6.0f} KB  parse {statistics.median(runs) * 1000:6.1f} ms")
    print(f"mean {statistics.mean(per_file):.3f} s per PDF, max {max(per_file):.3f} s, over {len(files)} reports")
    try:
        import pypdf
    except ImportError:
        print("(pypdf not installed: pip install pypdf to compare extraction)")
        return
    import pypdfium2

    start = time.perf_counter()
    for path in files:
        document = pypdfium2.PdfDocument(str(path))
        for page in document:
            page.get_textpage().get_text_range()
        document.close()
    pdfium = time.perf_counter() - start
    start = time.perf_counter()
    for path in files:
        for page in pypdf.PdfReader(str(path)).pages:
            page.extract_text()
    print(
        f"extraction only, all {len(files)} PDFs: pypdfium2 {pdfium:.2f} s, pypdf {time.perf_counter() - start:.2f} s"
    )
