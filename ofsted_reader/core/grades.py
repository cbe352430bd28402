"""Ofsted's grade scale: printed words to numbers and back."""

from __future__ import annotations

import re

NAMES = {1: "Outstanding", 2: "Good", 3: "Requires improvement", 4: "Inadequate"}
SLAC_NAMES = {1: "Outstanding", 2: "Good", 3: "Adequate", 4: "Inadequate"}

_WORDS = [
    (re.compile(r"^outstanding$"), 1),
    (re.compile(r"^good$"), 2),
    (re.compile(r"^adequate$"), 3),
    (re.compile(r"^requires? improvement( to be good)?$"), 3),
    (re.compile(r"^inadequate$"), 4),
]


def grade_from_word(word: str) -> int | None:
    """The grade a printed word stands for, or None when the word is not a grade."""
    cleaned = re.sub(r"[\s*.:]+", " ", word).strip().lower()
    for pattern, grade in _WORDS:
        if pattern.match(cleaned):
            return grade
    return None


def known_grade(word: str) -> int:
    """The grade of a word an importer's pattern matched as a grade word; a word that is none is a fault of the
    pattern, said as such (the importer turns it into a one-line error), never a judgement with no grade."""
    grade = grade_from_word(word)
    if grade is None:
        raise ValueError(f"{word!r} was read as a grade but is none")
    return grade


def grade_name(grade: int | None, framework: str = "ilacs") -> str:
    if grade is None:
        return "Not graded"
    names = SLAC_NAMES if framework == "slac" else NAMES
    return names.get(grade, "Not graded")
