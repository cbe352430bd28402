"""Ofsted's grade scale: printed words to numbers and back, and the words as the importers' patterns match them."""

from __future__ import annotations

import re

from .vocabulary import Framework

# The scale's words as regular-expression pieces, the one home of the importers' grade patterns. 2009-2012 reports
# print "adequate" where later ones print "requires improvement", often "... to be good" and wrapped over two lines.
OUTSTANDING = "outstanding"
GOOD = "good"
ADEQUATE = "adequate"
REQUIRES_IMPROVEMENT = r"requires?\s+improvement(?:\s+to\s+be\s+good)?"
INADEQUATE = "inadequate"
# Any grade word of any framework, as alternatives for a group: "(?:{GRADE_WORDS})".
GRADE_WORDS = "|".join((OUTSTANDING, GOOD, ADEQUATE, REQUIRES_IMPROVEMENT, INADEQUATE))
# The 2009-2012 scale's words.
SLAC_GRADE_WORDS = "|".join((OUTSTANDING, GOOD, ADEQUATE, INADEQUATE))

NAMES = {1: "Outstanding", 2: "Good", 3: "Requires improvement", 4: "Inadequate"}
SLAC_NAMES = {1: "Outstanding", 2: "Good", 3: "Adequate", 4: "Inadequate"}

_WORDS = [
    (re.compile(rf"^(?:{word})$"), grade)
    for word, grade in ((OUTSTANDING, 1), (GOOD, 2), (ADEQUATE, 3), (REQUIRES_IMPROVEMENT, 3), (INADEQUATE, 4))
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


def grade_name(grade: int | None, framework: Framework = "ilacs") -> str:
    if grade is None:
        return "Not graded"
    names = SLAC_NAMES if framework == "slac" else NAMES
    return names.get(grade, "Not graded")


LETTERS = {1: "O", 2: "G", 3: "RI", 4: "I"}
LETTER_LEGEND = "O outstanding · G good · RI requires improvement · A adequate (2009-2012) · I inadequate"


def grade_letter(grade: int, framework: Framework = "ilacs") -> str:
    """O, G, RI (A for the 2009-2012 'adequate'), I."""
    return "A" if grade == 3 and framework == "slac" else LETTERS[grade]


def badge_parts(
    grades: dict[str, int],
    framework: Framework,
    overall: list[tuple[str, int, str]] | None = None,
    compact: bool = False,
) -> list[tuple[str, int]]:
    """What a report's badge says, as (text, grade) pieces: its overall grade as a word; a 2009-2012 report's two
    overall judgements, each with its service ('SG Good', 'LAC Adequate', or compact 'SG G'); a report with no
    overall grade (after April 2026), each judgement labelled ('Le G', 'HP RI', 'IC G', 'CL G')."""
    from .judgements import ABBREVIATIONS, FOUR, SERVICE_ABBREVIATIONS

    services = [(s, g) for s, g, _ in overall or [] if g]
    if framework == "slac" and len(services) > 1:
        # compact (a narrow tree): letters, as the judgements after April 2026 are shown
        word = (lambda g: grade_letter(g, framework)) if compact else (lambda g: grade_name(g, framework))
        return [(f"{SERVICE_ABBREVIATIONS.get(s, s)} {word(g)}", g) for s, g in services]
    if grades.get("overall"):
        grade = grades["overall"]
        # "RI", as the sector writes it: "Requires improvement" would take half a narrow tree.
        return [("RI" if grade == 3 and framework != "slac" else grade_name(grade, framework), grade)]
    keys = [k for k in FOUR if grades.get(k)] or [k for k in ("in_care_and_care_leavers",) if grades.get(k)]
    return [(f"{ABBREVIATIONS[k]} {grade_letter(grades[k], framework)}", grades[k]) for k in keys]
