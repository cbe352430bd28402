"""Words as search sees them: the tokens of a text, the field's abbreviations both ways, and a hit's snippet."""

from __future__ import annotations

import re

TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def tokens(text: str) -> list[str]:
    # The curly apostrophe made straight in the whole text first: one pass, not a replace per token (indexing the
    # whole record tokenises 140,000 paragraphs).
    return TOKEN.findall(text.lower().replace("’", "'"))


def whole_words(words: list[str]) -> re.Pattern[str]:
    """Words as whole words, in this order, anything but letters and digits between them, in a lowered text with
    one apostrophe (’ as '): how a quoted word or phrase is found, in search and in the codebook's filter."""
    return re.compile(r"(?<![a-z0-9])" + r"[^a-z0-9]+".join(map(re.escape, words)) + r"(?![a-z0-9])")


# The field's abbreviations, searched both ways: "MASH" finds "multi-agency safeguarding hub" and the reverse.
ABBREVIATIONS = {
    "mash": "multi agency safeguarding hub",
    "lado": "local authority designated officer",
    "uasc": "unaccompanied asylum seeking children",
    "cin": "children in need",
    "cp": "child protection",
    "cla": "children looked after",
    "lac": "looked after children",
    "iro": "independent reviewing officer",
    "pep": "personal education plan",
    "ehcp": "education health and care plan",
    "dols": "deprivation of liberty",
    "cse": "child sexual exploitation",
    "cce": "child criminal exploitation",
    "plo": "public law outline",
    "sgo": "special guardianship order",
    "lscb": "local safeguarding children board",
    "yot": "youth offending team",
    "camhs": "child and adolescent mental health services",
    "neet": "not in education employment or training",
    "dcs": "director of children's services",
    "sw": "social worker",
    "ihc": "initial health checks",
}
STOP = {"of", "and", "in", "or", "the", "for", "to", "a"}
EXPANSIONS = {
    abbreviation: [w for w in tokens(words) if w not in STOP] for abbreviation, words in ABBREVIATIONS.items()
}
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z‘“(])")
SNIPPET_WIDTH = 240


def snippet(text: str, terms: list[str], width: int = SNIPPET_WIDTH) -> str:
    """The sentence that holds most of the matched words (a bare footnote marker never wins), cut to width."""
    sentences = [s for s in SENTENCE.split(text) if len(s.strip()) > 3] or [text]
    lowered = [s.lower() for s in sentences]
    best = max(range(len(sentences)), key=lambda i: (sum(t in lowered[i] for t in terms), -i))
    chosen = sentences[best].strip()
    if len(chosen) <= width:
        return chosen
    first = min((lowered[best].find(t) for t in terms if t in lowered[best]), default=0)
    start = max(0, min(first - width // 4, len(chosen) - width))
    if start:  # begin at a word, not inside one
        start = chosen.find(" ", start) + 1 or start
    return ("…" if start else "") + chosen[start : start + width].rsplit(" ", 1)[0].strip() + "…"
