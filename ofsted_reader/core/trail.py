"""An authority's improvement trail: what each inspection (and each visit) asked to improve, and what later visits
found on the same theme, in time order, every line cited.

What was asked is a report's recommendations ("what needs to improve", a visit's "areas for priority action"); what
was found is a visit letter's findings (its "Headline findings" and "Main findings" paragraphs) and what it asked
again. An ask is lined up with a later line when their words overlap (words rare across the authority's reports
count for more: "pathway plans" says more than "children") and they share a theme; a theme is read from the words
and, where a letter cites one, from the Children's Social Care National Framework outcome or enabler ("(outcome 4,
national framework)"). The user confirms or unlinks a suggested match; those choices are passed in (`decisions`),
kept by the store.

Nothing here reads files: reports come in as `Report`s.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .citation import citation, dated, report_title, sources_markdown
from .export import escape_html, safe_markdown
from .model import Paragraph, Report
from .visits import KINDS

# The Children's Social Care National Framework (DfE, December 2023): four outcomes and three enablers.
FRAMEWORK = {
    "outcome 1": "children, young people and families stay together and get the help they need",
    "outcome 2": "children and young people are supported by their family network",
    "outcome 3": "children and young people are safe in and outside of their homes",
    "outcome 4": "children in care and care leavers have stable, loving homes",
    "enabler 1": "multi-agency working is prioritised and effective",
    "enabler 2": "leaders drive conditions for effective practice",
    "enabler 3": "the workforce is equipped and effective",
}

# (theme, the framework outcome or enabler it serves, pattern on the lower-cased text): most specific first, as an
# item's theme is the first that fits (or, where it cites the framework, the first that fits under what it cites).
THEMES: list[tuple[str, str | None, str]] = [
    (
        "Care leavers",
        "outcome 4",
        r"care leavers?|care-experienced|pathway plan|personal advis|staying put|leaving care",
    ),
    ("Homeless 16- and 17-year-olds, private fostering", "outcome 3", r"homeless|private(ly)? foster"),
    ("Exploitation and missing children", "outcome 3", r"exploit|missing|extra-familial|contextual|county lines"),
    ("Disabled children", "outcome 1", r"disabled|disabilit"),
    ("Pre-proceedings and court", "outcome 3", r"pre-proceedings|public law outline|\bplo\b|proceedings"),
    (
        "Family networks and kinship care",
        "outcome 2",
        r"family network|kinship|family group|connected carer|special guardian",
    ),
    (
        "Early help and the front door",
        "outcome 1",
        r"early help|front door|\bcontacts?\b|referral|\bmash\b|threshold|screening|family help|first response",
    ),
    (
        "Child protection and children in need",
        "outcome 3",
        r"child protection|protection plan|strategy (meeting|discussion)|section 47|in need|neglect|domestic abuse"
        r"|safety plan|risk",
    ),
    (
        "Children in care: homes and permanence",
        "outcome 4",
        r"children in care|looked after|in care\b|placement|sufficiency|\bhomes?\b|foster|permanen|adoption"
        r"|reunification|stability",
    ),
    ("Education and health", "outcome 4", r"personal education|\bpeps?\b|virtual school|health|education"),
    ("Multi-agency working", "enabler 1", r"partner|multi-agency|agencies|police|schools"),
    (
        "Leadership, oversight and quality assurance",
        "enabler 2",
        r"oversight|quality assurance|audit|performance|leaders|leadership|corporate parent|reviewing officer|\biros?\b"
        r"|conference chair|scrutiny|escalation",
    ),
    (
        "Workforce and supervision",
        "enabler 3",
        r"supervision|caseload|workforce|recruit|retention|agency staff|training",
    ),
    ("Children's voices", None, r"voice|participation|wishes and feelings|direct work|advoca|life story"),
    ("Plans, assessments and records", None, r"assessment|plans?\b|planning|record|chronolog|contingency"),
]
OTHER = "Other"
THEME_REF = {name: ref for name, ref, _ in THEMES}

_NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4"}
_CITED = re.compile(r"\b(outcome|enabler)[\s:]*(\d|one|two|three|four)\b", re.IGNORECASE)
_STOP_WORDS = """
    a an and are as at be been being by for from has have how in into is it its of on or that the their them they
    this those to was were which who whose with within well when where while whether so such than there these also
    all any not more most other some only very much many through across including ensure ensuring sure consistent
    consistently quality impact effective effectiveness effectively timely timeliness improve improved improvement
    improving children child childrens young people social work workers worker practice local authority authoritys
    council families family would since last previous inspection inspections"""
_STOP = set(_STOP_WORDS.split())
# Words that say little alone ("support", "help") but much beside another ("early help"): kept only in pairs.
_WEAK_WORDS = """
    support help service services need needs receive received experience experiences make made take use used
    good strong clear level number range time key area areas senior leader leaders development delivery offer
    access"""
SUGGEST = 0.30  # the score from which a later line is offered as a match
# A line that shares one idea alone with an ask ("care leavers", "management oversight") is offered only when that
# idea is most of the ask: "The participation offer ..." and a sentence about care leavers' services are not a pair.
SINGLE_IDEA = 0.5
PER_REPORT = 2  # at most this many lines of one later report offered for one ask


def framework_ref(text: str) -> str | None:
    """'outcome 4' for '(outcome four, national framework)'; None when the text cites none."""
    match = _CITED.search(text)
    return f"{match.group(1).lower()} {_NUMBERS.get(match.group(2).lower(), match.group(2))}" if match else None


def themes_of(text: str) -> list[str]:
    """Every theme whose words the text uses, most specific first."""
    lower = text.lower()
    return [name for name, _, pattern in THEMES if re.search(pattern, lower)]


def primary_theme(text: str, ref: str | None) -> str:
    found = themes_of(text)
    if ref:
        under = [name for name in found if THEME_REF[name] == ref]
        if under:
            return under[0]
        cited = [name for name, theme_ref, _ in THEMES if theme_ref == ref]
        if cited:
            return cited[0]
    return found[0] if found else OTHER


def _stem(word: str) -> str:
    """'plans' and 'planning' are 'plan', 'services' and 'service' 'servic': crude, and the same for every word."""
    for suffix in ("ings", "ing", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


# Compared with stemmed words: a weak word must be weak in the form the tokens take ('servic', not 'services').
_WEAK = {_stem(word) for word in _WEAK_WORDS.split()}


def _tokens(text: str) -> list[str | None]:
    """Content words in order, crudely stemmed; None where a stop word was."""
    out: list[str | None] = []
    for word in re.findall(r"[a-z][a-z'-]+", text.lower().replace("’", "'")):
        word = word.strip("'-").removesuffix("'s")
        if word in _STOP or len(word) < 3:
            out.append(None)
            continue
        out.append(_stem(word))
    return out


def words(text: str) -> set[str]:
    """Content words and, prefixed '+', pairs of them side by side ('+early help'): a shared pair says more than
    two shared words apart."""
    tokens = _tokens(text)
    found = {t for t in tokens if t and t not in _WEAK}
    found |= {f"+{a} {b}" for a, b in itertools.pairwise(tokens) if a and b}
    return found


@dataclass
class Item:
    """One line of the trail: an ask or a finding, with where it is."""

    key: str  # report id and a digest of the text: the same line after a re-import
    report_id: str
    date: str  # when the report's inspection or visit ended: the order of the trail
    when: str  # the report's date as its citations give it ('4 December 2025', 'inspected 14 June 2024')
    source: str  # "inspection", "focused visit", "monitoring visit"
    role: str  # "asked" or "found"
    text: str
    citation: str
    paragraph_id: str | None
    theme: str
    ref: str | None  # the framework outcome or enabler the report cites for it
    priority: bool = False  # an area for priority action
    position: int = 0  # its place in its report, so a report's asks keep the report's order
    words: set[str] = field(default_factory=set, repr=False)


@dataclass
class Match:
    found: Item
    score: float
    confirmed: bool = False


@dataclass
class Thread:
    """One ask and what later reports said about it."""

    asked: Item
    matches: list[Match] = field(default_factory=list)


@dataclass
class Trail:
    authority: str
    reports: list[Report]  # in time order
    threads: list[Thread]

    def themes(self) -> list[tuple[str, list[Thread]]]:
        """Threads by theme, themes in the order of their first ask, asks in time order."""
        grouped: dict[str, list[Thread]] = {}
        for thread in sorted(self.threads, key=lambda t: (t.asked.date, t.asked.report_id, t.asked.position)):
            grouped.setdefault(thread.asked.theme, []).append(thread)
        return list(grouped.items())


def item_key(report_id: str, text: str) -> str:
    digest = hashlib.sha1(" ".join(text.lower().split()).encode("utf-8")).hexdigest()[:12]
    return f"{report_id}#{digest}"


def report_end(report: Report) -> str:
    return report.inspection_end or report.published or ""


def _source(report: Report) -> str:
    return KINDS.get(report.report_type, "inspection")


def _flat(text: str) -> str:
    return " ".join(text.split()).lower()


def _holding(report: Report, text: str) -> tuple[Paragraph | None, int | None]:
    """The paragraph a recommendation is printed in, and which of its bullets it is (None: its text)."""
    needle = _flat(text)[:60]
    for paragraph in report.paragraphs:
        for index, item in enumerate(paragraph.items):
            if needle and needle in _flat(item):
                return paragraph, index
        if needle and needle in _flat(paragraph.text):
            return paragraph, None
    for paragraph in report.paragraphs:  # a bullet the layout split in two: the paragraph still holds the words
        if needle and needle in _flat(" ".join([paragraph.text, *paragraph.items])):
            return paragraph, None
    return None, None


def _cite(report: Report, paragraph: Paragraph | None, bullet: int | None, part: str) -> str:
    if paragraph is None:  # cited as any paragraph is, without the place in the report it was not found at
        return ", ".join(["Ofsted", report_title(report), dated(report), part, *filter(None, [report.source_url])])
    cited = citation(report, paragraph)
    if bullet is None:
        return cited
    # 'Barnet, inspected 14 June 2024, What needs to improve?, para 1, point 3, p. 2'
    place = report.paragraph_label(paragraph)
    return cited.replace(place, f"{place}, point {bullet + 1}", 1)


def _item(
    report: Report,
    role: str,
    text: str,
    cited: str,
    paragraph: Paragraph | None,
    priority: bool = False,
    position: int = 0,
) -> Item:
    ref = framework_ref(text)
    return Item(
        item_key(report.id, text),
        report.id,
        report_end(report),
        dated(report),
        _source(report),
        role,
        text,
        cited,
        paragraph.id if paragraph else None,
        primary_theme(text, ref),
        ref,
        priority=priority,
        position=position,
        words=words(text),
    )


def asks(report: Report) -> list[Item]:
    """What a report asks to improve, one item per recommendation."""
    out = []
    for position, rec in enumerate(report.recommendations):
        text = " ".join(rec.text.split())
        paragraph, bullet = _holding(report, text)
        cited = _cite(report, paragraph, bullet, "What needs to improve")
        priority = rec.timescale == "immediately"
        out.append(_item(report, "asked", text, cited, paragraph, priority=priority, position=position))
    return out


FINDINGS = re.compile(r"headline findings|main findings|findings")


def findings(report: Report) -> list[Item]:
    """A visit letter's findings, one item per paragraph of its findings sections."""
    wanted = {s.id for s in report.sections if FINDINGS.search(s.title.lower())}
    out = []
    for paragraph in report.paragraphs:
        text = " ".join(" ".join([paragraph.text, *paragraph.items]).split())
        if paragraph.section in wanted and len(text) >= 40:
            out.append(_item(report, "found", text, citation(report, paragraph), paragraph))
    return out


def _weights(items: Iterable[Item]) -> dict[str, float]:
    """Inverse document frequency of each word over the trail's lines."""
    items = list(items)
    counts: Counter[str] = Counter()
    for item in items:
        counts.update(item.words)
    return {word: math.log((1 + len(items)) / (1 + n)) + 1 for word, n in counts.items()}


def score(asked: Item, later: Item, weights: dict[str, float]) -> float:
    """How well a later line answers an ask: the weighted share of the ask's words (pairs of words count double) it
    uses, more when it is on the same theme (or the same framework outcome). Nothing for a line that shares fewer
    than two words and no pair with it: one common word is chance."""
    shared = asked.words & later.words
    pairs = [w for w in shared if w.startswith("+")]
    if not asked.words or (len(shared) - len(pairs) < 2 and not pairs):
        return 0.0

    def weight(word: str) -> float:
        return weights.get(word, 1.0) * (2 if word.startswith("+") else 1)

    value = sum(map(weight, shared)) / sum(map(weight, asked.words))
    single = [
        w for w in shared if not w.startswith("+") and not any(w in p[1:].split() for p in pairs)
    ]  # shared words outside the shared pairs
    if len(pairs) == 1 and not single and value < SINGLE_IDEA:
        return 0.0
    if later.theme == asked.theme:
        value += 0.15
    elif asked.theme in themes_of(later.text):
        value += 0.08
    if asked.ref and later.ref == asked.ref:
        value += 0.1
    return round(min(value, 1.0), 3)


def build(authority: str, reports: list[Report], decisions: dict[tuple[str, str], str] | None = None) -> Trail:
    """The trail of one authority's reports. `decisions` maps (ask key, later key) to "confirmed" or "unlinked"."""
    decisions = decisions or {}
    reports = sorted(reports, key=lambda r: (report_end(r), r.id))
    asked_by_report = {r.id: asks(r) for r in reports}
    later_by_report = {r.id: findings(r) + asked_by_report[r.id] for r in reports if r.report_type in KINDS}
    weights = _weights(item for items in [*asked_by_report.values(), *later_by_report.values()] for item in items)
    threads = []
    for report in reports:
        for ask in asked_by_report[report.id]:
            thread = Thread(ask)
            for later_report in reports:
                if later_report.id not in later_by_report or report_end(later_report) <= ask.date:
                    continue
                scored = []
                for line in later_by_report[later_report.id]:
                    state = decisions.get((ask.key, line.key))
                    if state == "unlinked":
                        continue
                    value = score(ask, line, weights)
                    if state == "confirmed" or value >= SUGGEST:
                        scored.append(Match(line, value, state == "confirmed"))
                scored.sort(key=lambda m: (not m.confirmed, -m.score))
                thread.matches += [m for i, m in enumerate(scored) if m.confirmed or i < PER_REPORT]
            threads.append(thread)
    return Trail(authority, reports, threads)


def best_sentence(item: Item, asked: Item) -> str:
    """The sentence of a finding that shares most words with the ask: what a line of the trail shows."""
    sentences = re.split(r"(?<=[a-z)][.!?])\s*(?=[A-Z])", item.text)
    return max(sentences, key=lambda s: (len(words(s) & asked.words), -len(s)))


def theme_heading(theme: str) -> str:
    ref = THEME_REF.get(theme)
    return f"{theme} (National Framework {ref}: {FRAMEWORK[ref]})" if ref else theme


def to_markdown(trail: Trail) -> str:
    """The trail as cited Markdown: a section per theme, each ask with what later reports found about it."""
    lines = [f"# Improvement trail: {safe_markdown(trail.authority)}", ""]
    lines.append("Reports: " + "; ".join(f"{_source(r)}, {dated(r)}" for r in trail.reports))
    lines.append("")
    lines.append(
        "Matches are suggested by shared words and themes; *confirmed* ones were checked by hand. "
        "Quotations are verbatim, © Crown copyright (Ofsted)."
    )
    for theme, threads in trail.themes():
        lines += ["", f"## {safe_markdown(theme_heading(theme))}", ""]
        for thread in threads:
            ask = thread.asked
            label = "Priority action" if ask.priority else "Asked"
            lines.append(
                f"- **{label}**, {ask.source} ({ask.when}): {safe_markdown(ask.text)} ({safe_markdown(ask.citation)})"
            )
            if not thread.matches:
                lines.append("  - *No later visit in the library says anything on this that matched.*")
            for match in thread.matches:
                found = match.found
                state = "confirmed" if match.confirmed else f"suggested, {round(match.score * 100)}%"
                verb = "asked again" if found.role == "asked" else "found"
                lines.append(
                    f"  - **{found.source.capitalize()} {verb}** ({found.when}; {state}): "
                    f"“{safe_markdown(best_sentence(found, ask))}” ({safe_markdown(found.citation)})"
                )
    lines += [""] + [escape_html(line) for line in sources_markdown(trail.reports)]
    return "\n".join(lines) + "\n"
