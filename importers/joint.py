"""Which joint inspection of an area a PDF is, by page one: a joint targeted area inspection's letter
(importers/jtai.py) or an area SEND inspection (importers/area_send.py)."""

from __future__ import annotations

from collections.abc import Callable

from ofsted_reader.core.model import Report

from .area_send import is_area_send, parse_area_send
from .jtai import is_jtai, parse_jtai

Parser = Callable[[list[list[str]], str], Report]


def joint_parser(first_page: list[str]) -> Parser | None:
    """The importer of the joint inspection page one begins, or None for any other report."""
    if is_jtai(first_page):
        return parse_jtai
    if is_area_send(first_page):
        return parse_area_send
    return None
