"""Text patterns the PDF importer's stages share: numbered paragraphs, grade lines and fragments, sentence ends."""

from __future__ import annotations

import re

from ofsted_reader.core.grades import GRADE_WORDS

from .patterns import APOSTROPHE

ASCII_SUB_BULLET = re.compile(r"^- (\S.*)$")
# "15. Text", "15.  Text", "15.Text", "46.. Text" and a number alone at the foot of a page ("89.").
NUMBERED = re.compile(r"^(\d{1,3})\.(?!\d)[.\s]*(.*)$")
GRADE_LINE = re.compile(r"^grade\s*([1-4])\s*\(([^)]*)\)\s*$", re.I)
END_OF_BODY = re.compile(
    r"^(The Office for Standards in Education|Any complaints about the inspection|"
    r"Ofsted has a duty to|If you would like a copy of this document)",
    re.I,
)
FOOTNOTE_RULE = re.compile(r"^_{5,}\s*$")
SENTENCE_END = re.compile(r"[.:?!)\]’'\"”]$")
DATES_FIELD = re.compile(r"^Inspection dates?\b", re.I)


SIF_ROW_START = re.compile(r"^\d(?:\.\d)?\.?\s+[A-Z]")
GRADE_ONLY = re.compile(
    rf"^((?:{GRADE_WORDS})|requires?|improvement(?: to(?: be)?)?|to be good|be good|good)\.?$", re.I
)


PARAGRAPH_BREAK = "\x00"  # a line the body reader takes as the end of a paragraph, where the layout gives no sign
VERDICT_START = re.compile(
    rf"^(The overall judgement is|Children{APOSTROPHE}s services? in|The effectiveness of the|"
    rf"The Local Safeguarding Children)",
    re.I,
)
# The end of a grade wrapped onto the next line: "Requires improvement / to be good".
GRADE_TAIL = re.compile(r"^(to be good|improvement to be good|improvement)\.?$", re.I)
