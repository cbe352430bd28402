"""The headings Ofsted's reports print and the measures that tell them, and the body's other lines, apart: graded
headings in every wording, the headings each framework is known to use, where a recommendations list ends, and the
layout's measures (how far a heading's next line drops, what bold adds to a size) that pdf_body reads them with."""

from __future__ import annotations

import re

from ofsted_reader.core.grades import ADEQUATE, GOOD, GRADE_WORDS, INADEQUATE, OUTSTANDING

from .ids import normalise_title
from .patterns import APOSTROPHE

VERB = r"(?:\s+(?:is|are)(?:\s+judged(?:\s+to\s+be)?)?(?:\s+that\s+it)?(?:\s+is)?)?"
ILACS_HEADING = re.compile(
    rf"^(?P<title>(?:The\s+)?(?:experiences?\s+and\s+progress\s+of\s+.+?|impact\s+of\s+leaders\s+(?:on\s+.+?\s+)?with\s+"
    rf"children\s+and\s+families))\s*{VERB}\s*:?\s*(?P<word>{GRADE_WORDS})\.?$",
    re.I,
)
SIF_BOX_HEADING = re.compile(
    rf"^(?P<title>The experiences and progress of .+?|Leadership, management and governance)"
    rf"\s+(?P<word>{GRADE_WORDS})$",
    re.I,
)
SENTENCE_HEADING = re.compile(
    rf"^(?P<title>The [^.!?:;]+?|Leadership, management and governance)\s+(?:is|are)(?:\s+that\s+it)?(?:\s+is)?\s+"
    rf"(?P<word>{GRADE_WORDS})\.?$",
    re.I,
)
# A verdict the layout sets as a heading, whatever its words: "Adoption performance is good".
# (The cover's verdict on the whole service is a judgement, read with page one, not a heading.)
BOLD_SUBJECT = rf"^(?!Children{APOSTROPHE}s services|The overall judgement)(?P<title>[A-Z][^.!?:;]+?)"
BOLD_VERDICT = re.compile(rf"{BOLD_SUBJECT}(?=\s+(?:is|are)\b){VERB}\s+(?P<word>{GRADE_WORDS})\.?$")
# "The graded judgment for adoption performance good": a bold heading naming its grade without a verb.
GRADED_FOR = re.compile(
    rf"^(?P<title>The graded judge?ment (?:for|about|on) [^.!?:;]+?)\s+(?:is\s+)?(?P<word>{GRADE_WORDS})\.?$", re.I
)
BOLD_REQUIRES = re.compile(rf"{BOLD_SUBJECT}\s+(?P<word>requires?\s+improvement(?:\s+to\s+be\s+good)?)\.?$")
# Words a heading never ends on: a line ending in one runs on ("...in the London Borough of Hammersmith and").
RUNS_ON = re.compile(
    r"\b(and|or|of|in|on|the|a|an|to|for|with|that|by|from|at|as|is|are|was|were|their|its|has|have)$", re.I
)
# The most a graded heading is, joined over its lines: longer is a paragraph that happens to end in a grade word.
GRADED_HEADING_MAX = 160
# The most lines it takes: a SIF box heading wraps over three, its grade beside it over two ("Requires / improvement").
GRADED_HEADING_LINES = 6
KNOWN_HEADINGS = {
    normalise_title(t)
    for t in [
        "Executive summary",
        "The local authority",
        "Information about this local authority area",
        "Recommendations",
        "Summary for children and young people",
        "Information about this inspection",
        "Summary",
        "Inspection findings",
        "What needs to improve",
        "What needs to improve?",
        "What does the Local Authority need to improve?",
        "Areas for improvement",
        "Priority and immediate action",
        "About this inspection",
        "Service information",
        "Record of main findings",
        "The inspection team",
        "Key strengths and weaknesses of the LSCB",
        "Summary of key findings",
        "The Local Safeguarding Children Board (LSCB)",
        "Inspection judgements about the Local Authority",
        "What the inspection judgements mean",
        "Summary of findings",
    ]
}
# Headings that wrap onto a second line, known by how they start.
WRAPPING_HEADINGS = re.compile(
    r"^(What the (?:local authority )?inspection judge?ments mean|Inspection judge?ments about|"
    r"Inspection findings\s*[–-]|Section \d:)",
    re.I,
)
RECOMMENDATION_HEADINGS = re.compile(
    r"^(what needs to improve|what does the local authority need to improve|"
    r"areas for improvement|recommendations|priority and immediate action)",
    re.I,
)
# Headings that end a recommendations list; any other ungraded heading inside one is a topic within it.
TOP_LEVEL = re.compile(
    r"^(section \d|inspection findings|summary|executive summary|information about|"
    r"the local authority|what the (?:local authority )?inspection judge?ments mean|inspection judge?ments? about|"
    r"the local safeguarding children board|review of the effectiveness|record of main|"
    r"(the )?(lscb|local authority).s strengths|the local authority has the following strengths|"
    r"key strengths|progress since)",
    re.I,
)


# A heading's next line is this many times its font size below it (1.2 in Ofsted's layouts); a paragraph space more.
HEADING_LEADING = 1.5
NEXT_LINE = 1.3  # a paragraph's next line drops 1.2 times its font size (14.5 pt in 12 pt Tahoma)
BOLD_RANK = 0.25  # what bold adds to a heading's size in ranking it: less than any step between two sizes
# A table's header row ("Key judgement | Judgement grade"): its cells only name the columns.
HEADER_CELL = re.compile(r"^(key\s+)?judge?ments?(\s+grade)?$|^(inspection\s+|judge?ment\s+)?grade$", re.I)


# The key to the grades some reports print ("Requires improvement (grade 3)"): "requires improvement" exactly, one
# space and nothing after it, where GRADE_WORDS would take "require", any spacing and "... to be good" too.
SCALE_ROW = re.compile(
    rf"^({OUTSTANDING}|{GOOD}|{ADEQUATE}|requires improvement|{INADEQUATE})\s*\(grade\s*[1-4]\)", re.I
)
NUMBER_WITHOUT_STOP = re.compile(r"^(\d{1,3})\s+([A-Z‘'“\"(].*)$")
RESYNC_GAP = 3  # the most numbers a malformed run can skip before the count resumes
INDENT = 3.0  # points a line starts right of the margin to be set in (under a bullet's text)

# A line of "The inspection team" naming a role: each is printed on a line of its own ("Lead inspector: Gary Lamb",
# "Deputy lead inspector Mike Ferguson", "Senior data analyst: …"). Its colon, or the section it is in, tells it
# from a sentence ("Senior managers have …").
TEAM_ROLE = re.compile(
    r"^(?:(?:lead|deputy|team|shadow|assistant|senior|data|quality|assurance|regulatory|social|care|performance|"
    r"research|additional|seconded)\s+){1,4}(?:inspectors?|analysts?|managers?|officers?)\b(?P<colon>\s*:)?",
    re.I,
)
# Any role so labelled, with its colon: "Supernumerary inspector:", "Senior analytical officer:".
TEAM_LABEL_LINE = re.compile(r"^(?:[A-Za-z]+\s+){0,4}(?:inspectors?|analysts?|managers?|officers?)\s*:", re.I)
