"""Which joint inspection of an area a PDF is, by page one: a joint targeted area inspection's letter
(importers/jtai.py) or an area SEND inspection (importers/area_send.py)."""

from __future__ import annotations

import re
from collections.abc import Callable

from ofsted_reader.core.model import Report

from .area_send import is_area_send, parse_area_send
from .errors import ReportError
from .jtai import is_jtai, parse_jtai

Parser = Callable[[list[list[str]], str], Report]


def joint_parser(first_page: list[str]) -> Parser | None:
    """The importer of the joint inspection page one begins, or None for any other report."""
    if is_jtai(first_page):
        return parse_jtai
    if is_area_send(first_page):
        return parse_area_send
    if any(re.match(r"\s*Joint area review\b", line, re.I) for line in first_page[:40]):
        return _joint_area_review
    return None


def _joint_area_review(pages: list[list[str]], source: str) -> Report:
    """The joint area reviews of 2005-2009 (Ofsted with the other inspectorates, graded on another scale): said in one
    line rather than read wrongly."""
    raise ReportError(
        source,
        "a joint area review (2005-2009), which this version does not read; it reads JTAI letters (2016-) and "
        "area SEND inspections",
    )
