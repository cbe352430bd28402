"""A PDF's cost, bounded before it is parsed: how many pages it has and how many objects it declares.

Ofsted's reports run to tens of pages and a few thousand objects (the most in tests/data and reports/: 54 pages,
2,924 objects). A hostile PDF can list one page object a million times (pdfium then extracts a million pages: minutes
and gigabytes, and the result imports as "nowhere-unidentified-undated"). Both counts are cheap: pdfium reads the
page count without loading a page, and objects are counted on the bytes.
"""

from __future__ import annotations

import re

from .errors import ReportError

MAX_PAGES = 1_000
MAX_OBJECTS = 200_000
_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")


def check_pdf_budget(data: bytes, source: str) -> None:
    """Refuse, in one line, a PDF with more pages or objects than any report has."""
    import pypdfium2

    objects = sum(1 for _ in zip(range(MAX_OBJECTS + 1), _OBJECT.finditer(data), strict=False))
    if objects > MAX_OBJECTS:
        raise ReportError(source, f"a PDF of more than {MAX_OBJECTS:,} objects, not a report; check the file")
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return  # said by the importer, which knows a password from damage
    try:
        pages = len(document)
    finally:
        document.close()
    if pages > MAX_PAGES:
        raise ReportError(source, f"a PDF of {pages:,} pages (a report has at most {MAX_PAGES:,}); not a report")
