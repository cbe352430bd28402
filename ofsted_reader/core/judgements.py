"""The judgements Ofsted gives, under one key each whatever the framework prints: the ILACS "impact of leaders on
social work practice" and the SIF "Leadership, management and governance" are both `leaders`.

The keys order the columns of every grades table (overall first), and their short names are its headers.
"""

from __future__ import annotations

import re

# (key, short header, patterns on the lower-cased judgement name), in column order.
KEYS: list[tuple[str, str, list[str]]] = [
    ("overall", "Overall", [r"^overall effectiveness", r"^overall$"]),
    (
        "leaders",
        "Leaders",
        [r"impact of leaders", r"^leadership,? management and governance", r"^leadership and management"],
    ),
    ("help_protection", "Help & protection", [r"need help and protection", r"^children who need help"]),
    ("in_care_and_care_leavers", "In care & leavers", [r"children in care and care leavers"]),
    (
        "in_care",
        "In care",
        [r"children in care\b(?! and care leavers)", r"children looked after", r"looked after children"],
    ),
    ("care_leavers", "Care leavers", [r"care leavers"]),
    ("adoption", "Adoption", [r"adoption"]),
    ("lscb", "LSCB", [r"safeguarding children board", r"\blscb\b"]),
]
SHORT = {key: short for key, short, _ in KEYS}
ORDER = {key: index for index, (key, _, _) in enumerate(KEYS)}


def judgement_key(name: str) -> str | None:
    """The key of a printed judgement name, or None for one outside the frameworks' judgements."""
    text = re.sub(r"\s+", " ", name.strip().lower().replace("’", "'"))
    for key, _, patterns in KEYS:
        if any(re.search(p, text) for p in patterns):
            return key
    return None


# Two-letter names for a judgement where a column or a badge has no room for its header: always shown with LEGEND.
ABBREVIATIONS = {
    "overall": "Ov",
    "leaders": "Le",
    "help_protection": "HP",
    "in_care_and_care_leavers": "IC",
    "in_care": "IC",
    "care_leavers": "CL",
    "adoption": "Ad",
    "lscb": "LS",
}
LEGEND = "Ov overall · Le leaders · HP help and protection · IC in care · CL care leavers · Ad adoption · LS LSCB"
# Headers of at most seven cells for the judgements of a grades table: whole words (or a marked abbreviation), never
# a word cut short (the legend under a table says what the shortened ones are).
MEDIUM = {
    "overall": "Overall",
    "leaders": "Leaders",
    "help_protection": "Help",
    "in_care_and_care_leavers": "In care",
    "in_care": "In care",
    "care_leavers": "Leavers",
    "adoption": "Adopt.",
    "lscb": "LSCB",
}
# The judgements a report graded after April 2026 (no overall grade) carries, in the order they are shown.
FOUR = ("leaders", "help_protection", "in_care", "care_leavers")
SERVICE_ABBREVIATIONS = {"safeguarding": "SG", "looked_after": "LAC", "lscb": "LSCB", "children": ""}

# An area SEND inspection's outcome, kept among a report's grades under a key of its own (Report.grades_by_key): never
# one of KEYS, so no table of ILACS grades shows it; it has its own column, map layer and filter. Its numbers order
# the three outcomes, best first (core.vocabulary.SEND_OUTCOMES).
SEND_KEY = "send"
SEND_HEADER = "SEND"
SEND_LETTERS = {1: "p", 2: "i", 3: "f"}  # lower case: never read as a grade's letter (O G R I)
SEND_WORDS = {1: "positive", 2: "inconsistent", 3: "failings"}
SEND_LEGEND = "SEND outcome: p typically positive · i inconsistent · f widespread or systemic failings"

# What a judgement's section is called where there is no room for its title ("The experiences and progress of
# children who need help and protection" and "The impact of leaders on social work practice with children and
# families" differ only after 40 cells): whole words, never a title cut where titles differ.
SECTION_SHORT = {
    "overall": "Overall effectiveness",
    "leaders": "Leaders",
    "help_protection": "Help and protection",
    "in_care_and_care_leavers": "In care and care leavers",
    "in_care": "In care",
    "care_leavers": "Care leavers",
    "adoption": "Adoption",
    "lscb": "LSCB",
}


def short_section_title(title: str) -> str | None:
    """The short name of a judgement's section (ILACS, SIF, 2009-2012), or None for a section judging nothing."""
    text = re.sub(r"\s+", " ", title.strip().lower().replace("’", "'"))
    if len(text) < 12 or text.startswith(("what needs", "areas for", "recommendation", "summary")):
        return None
    key = judgement_key(text)
    return SECTION_SHORT.get(key) if key else None
