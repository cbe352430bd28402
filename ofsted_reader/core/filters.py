"""One filter grammar for every list a user narrows: search, the library tree, the notes list, the grades tables.

    region:london grade:4 -framework:slac authority:"kingston upon hull" report:derby-2011 fostering -adoption

A term is `field:value` (the value quoted when it has spaces), a word, or a "quoted phrase"; a leading `-` negates
any of them. What each field may be is resolved here, once: an authority value is an identity (its exact name or an
alias, a unique start of one, or a near spelling: "hamersmith"), never a substring, so `authority:hull` is Kingston
upon Hull and never Solihull, and `report:derby` is Derby's reports and never Derbyshire's. An unknown field, an
ambiguous or unknown value is a FilterError with one line saying what to give instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from . import vocabulary
from .grades import grade_from_word
from .judgements import SEND_KEY
from .vocabulary import FRAMEWORKS, Framework, Service

if TYPE_CHECKING:
    from .authorities import Authority


def _ratio(text: str, other: str, cutoff: float = 0) -> float:
    # rapidfuzz is imported when a value is resolved: a search reads its query here, and its import was 7 ms.
    from rapidfuzz import fuzz

    return fuzz.ratio(text, other, score_cutoff=cutoff)


def normalise(text: str) -> str:
    # The LA table (authorities) and latest are imported when a value is resolved: a search with no filter only
    # parses (importing them was a sixth of what `ofsted-reader search` took).
    from .authorities import normalise

    return normalise(text)


# What each field means, for the one-line messages and help.
FIELDS = {
    "authority": "an authority: its name, the start of it, or a near spelling",
    "region": 'a region: london, north-west, "yorkshire and the humber"',
    "neighbours": "an authority and its ten statistical neighbours",
    "report": "a report id, its start, or an authority's reports",
    "framework": f"{', '.join(FRAMEWORKS[:-1])} or {FRAMEWORKS[-1]}",
    "year": "the year a report was inspected",
    "grade": "any judgement so graded: 1-4, or outstanding, good, ri (requires improvement), adequate, inadequate "
    "(grade:4 is every authority inadequate on any judgement, those graded after April 2026 with no overall grade too)",
    "overall": "the overall judgement so graded: 1-4 or a grade's word (none after April 2026)",
    "service": "safeguarding, looked_after or children",
    "section": "words of the section title",
    "tag": "a note's tag",
    "is": "annotated (search), orphan (notes)",
    "kind": "a kind of report: inspection, visit (focused or monitoring), focused, monitoring, lscb, jtai, send",
    "outcome": "an area SEND outcome: positive, inconsistent or failings (1-3)",
}

# The kinds of report `kind:` names, each the report types it takes in.
KINDS: dict[str, tuple[vocabulary.ReportType, ...]] = {
    "inspection": ("inspection",),
    "visit": ("focused_visit", "monitoring_visit"),
    "focused": ("focused_visit",),
    "monitoring": ("monitoring_visit",),
    "lscb": ("lscb_review",),
    "jtai": ("jtai",),
    "send": ("area_send",),
}

TERM = re.compile(r'(?P<neg>-)?(?:(?P<field>[A-Za-z_]+):)?(?:"(?P<quoted>[^"]*)"?|(?P<bare>\S+))')


class FilterError(ValueError):
    """A filter that cannot mean anything: the message is one line saying what was wrong and what to give."""


# Named tuples and a plain class, not dataclasses: `ofsted-reader search` reads its query here and imports nothing
# else that needs dataclasses, whose import (inspect, ast, dis) was a tenth of its time.
class Term(NamedTuple):
    field: str | None  # None: a word or a phrase
    value: str
    negated: bool = False
    quoted: bool = False

    def __str__(self) -> str:
        value = f'"{self.value}"' if self.quoted or " " in self.value else self.value
        return ("-" if self.negated else "") + (f"{self.field}:" if self.field else "") + value


def parse(text: str, fields: Iterable[str] | None = None) -> list[Term]:
    """The terms of a filter as typed. With `fields`, a field outside them is a FilterError naming those allowed."""
    terms: list[Term] = []
    allowed = list(fields) if fields is not None else None
    for match in TERM.finditer(text):
        name, quoted, bare = match.group("field"), match.group("quoted"), match.group("bare")
        value = quoted if quoted is not None else bare or ""
        negated = bool(match.group("neg"))
        if name is None and not value:
            continue  # a lone "-"
        name = name.lower() if name else None
        if name is not None and allowed is not None and name not in allowed:
            raise FilterError(unknown_field(name, allowed))
        terms.append(Term(name, value.strip(), negated, quoted is not None))
    return terms


def unknown_field(name: str, allowed: Iterable[str]) -> str:
    return (
        f"unknown filter {name}:; filters here are "
        + " ".join(f"{f}:" for f in allowed)
        + " (quote a value with spaces; -field:value excludes)"
    )


# --- values ---


def _names() -> dict[str, str]:
    """Every normalised name and alias of an authority, with its code."""
    from . import authorities

    return authorities.alias_table()


def resolve_authority(value: str, field_name: str = "authority") -> Authority:
    """An authority from what a user typed: its DfE code, its name or an alias, the unique start of one, or a near
    spelling of one. Never a substring: 'hull' is Kingston upon Hull, not Solihull."""
    from . import authorities

    key = normalise(value)
    if not key:
        raise FilterError(f"{field_name}: needs a value, e.g. {field_name}:barnsley")
    found = authorities.by_code(key) or authorities.by_code(_names().get(key))
    if found is not None:
        return found
    starting = sorted({code for alias, code in _names().items() if alias.startswith(key)})
    if len(starting) == 1:
        return authorities.by_code(starting[0])  # type: ignore[return-value]
    if starting:
        raise FilterError(f"{field_name}:{value} could be {_listing(starting)}; give more of the name")
    near = _near_codes(key)
    if len(near) == 1:
        return authorities.by_code(near[0])  # type: ignore[return-value]
    if near:
        raise FilterError(f"{field_name}:{value} could be {_listing(near)}; give more of the name")
    raise FilterError(
        f"no authority called {value!r} ({field_name}:); give its name as the tree shows it "
        "(e.g. 'Kingston upon Hull'), the start of it, or its DfE code"
    )


def _near_codes(key: str) -> list[str]:
    """Authorities a misspelt name is nearest to: each alias (or its first words, as many as were typed) scored by
    rapidfuzz's ratio; the best, and any as good."""
    if len(key) < 4:
        return []
    cutoff = 80 if len(key) >= 6 else 85
    width = len(key.split())
    best: dict[str, float] = {}
    for alias, code in _names().items():
        head = " ".join(alias.split()[:width])
        score = max(_ratio(key, alias), _ratio(key, head))
        if score >= cutoff and score > best.get(code, 0):
            best[code] = score
    if not best:
        return []
    top = max(best.values())
    return sorted(code for code, score in best.items() if score == top)


def _listing(codes: list[str]) -> str:
    from . import authorities

    names = [a.name for a in map(authorities.by_code, codes) if a]
    shown = ", ".join(names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")


@lru_cache(maxsize=1)
def regions() -> tuple[str, ...]:
    from . import authorities

    return tuple(sorted({a.region for a in authorities.all_authorities() if a.region}))


def resolve_region(value: str) -> str:
    """A region's name from its name ('north-west', '"north west"'), its unique start ('york'), or a near spelling."""
    key = normalise(value)
    names = {normalise(r): r for r in regions()}
    if key in names:
        return names[key]
    starting = [r for n, r in names.items() if key and n.startswith(key)]
    if len(starting) == 1:
        return starting[0]
    if not starting and len(key) >= 4:
        scored = sorted(((_ratio(key, n), r) for n, r in names.items()), reverse=True)
        if scored and scored[0][0] >= 80 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
            return scored[0][1]
    what = f"region:{value} could be {', '.join(starting)}" if starting else f"no region called {value!r}"
    return _raise(f"{what}; regions are " + ", ".join(r.lower().replace(" ", "-") for r in regions()))


def _raise(message: str) -> Any:
    raise FilterError(message)


def resolve_grade(value: str, field_name: str = "grade") -> int:
    text = value.strip().lower().replace("-", " ").replace("_", " ")
    if text in ("1", "2", "3", "4"):
        return int(text)
    if text == "ri":
        return 3
    grade = grade_from_word(text)
    if grade is None:
        raise FilterError(
            f"{field_name}:{value} is not a grade; give 1-4, or outstanding, good, ri (requires improvement), "
            "adequate, inadequate"
        )
    return grade


def resolve_kind(value: str) -> tuple[vocabulary.ReportType, ...]:
    """The report types `kind:` names: a short name (visit, jtai, send) or a report type (area_send)."""
    text = value.strip().lower().replace("-", "_").replace(" ", "_")
    if text in KINDS:
        return KINDS[text]
    if text in vocabulary.REPORT_TYPES:
        return (vocabulary.report_type_of(text),)
    raise FilterError(f"kind:{value} is not a kind of report; give one of {', '.join(KINDS)}")


def resolve_outcome(value: str) -> int:
    """An area SEND outcome by its word (positive, inconsistent, failings, or the start of one) or number, 1-3."""
    text = value.strip().lower()
    numbers = {outcome: n for outcome, n in vocabulary.SEND_OUTCOME_NUMBERS.items()}
    if text in {str(n) for n in numbers.values()}:
        return int(text)
    found = [n for outcome, n in numbers.items() if text and outcome.startswith(text)]
    if len(found) != 1:
        raise FilterError(
            f"outcome:{value} is not an area SEND outcome; give {', '.join(vocabulary.SEND_OUTCOMES)} (or 1-3)"
        )
    return found[0]


class GradeCheck(NamedTuple):
    """`grade:4` (any judgement graded 4) or `overall:4` (the overall judgement), kept or excluded (`-grade:4`)."""

    grade: int
    overall_only: bool
    wanted: bool = True

    def holds(self, grades: dict[str, int]) -> bool:
        if self.overall_only:
            found = grades.get("overall") == self.grade
        else:
            from .latest import AUTHORITY_JUDGEMENTS

            found = any(grades.get(key) == self.grade for key in AUTHORITY_JUDGEMENTS)
        return found == self.wanted


def grade_checks(terms: Iterable[Term]) -> list[GradeCheck]:
    """The `grade:` and `overall:` terms of a filter, resolved (a FilterError for a value that is no grade)."""
    return [
        GradeCheck(resolve_grade(t.value, t.field or "grade"), t.field == "overall", not t.negated)
        for t in terms
        if t.field in ("grade", "overall")
    ]


def grades_hold(checks: Iterable[GradeCheck], grades: dict[str, int]) -> bool:
    """Whether a report's grades (by judgement key) pass every grade check."""
    return all(check.holds(grades) for check in checks)


def resolve_framework(value: str) -> Framework:
    text = value.strip().lower()
    if text not in FRAMEWORKS:
        raise FilterError(f"framework:{value} is not a framework; give one of {', '.join(FRAMEWORKS)}")
    return text


# The services a section can be searched by: "lscb" judges a board, and no section reports on it alone.
SERVICES: tuple[Service, ...] = tuple(service for service in vocabulary.SERVICES if service != "lscb")


def resolve_service(value: str) -> Service:
    text = value.strip().lower().replace("-", "_").replace(" ", "_")
    found = [s for s in SERVICES if s.startswith(text)] if text else []
    if len(found) != 1:
        raise FilterError(f"service:{value} is not a service; give one of {', '.join(SERVICES)}")
    return found[0]


def resolve_year(value: str) -> str:
    if not re.fullmatch(r"(19|20)\d\d", value.strip()):
        raise FilterError(f"year:{value} is not a year; give four digits, e.g. year:2019")
    return value.strip()


def resolve_choice(name: str, value: str, choices: Iterable[str]) -> str:
    text = value.strip().lower()
    options = list(choices)
    if text not in options:
        raise FilterError(f"{name}:{value} is not known here; give {' or '.join(f'{name}:{o}' for o in options)}")
    return text


def resolve_report(value: str, entries: Iterable[Any]) -> set[str]:
    """The reports `report:` names: an id, the start of ids (derby-2011), or an authority (every report of it). The
    start of ids that would take in another authority's reports ('derby' of 'derbyshire-...') means the authority."""
    text = value.strip().lower()
    if not text:
        raise FilterError("report: needs a value, e.g. report:derby-2011-06-27 or report:derby")
    listed = list(entries)
    ids = {e.id for e in listed}
    if text in ids:
        return {text}
    if any(c.isdigit() for c in text):
        started = {i for i in ids if i.startswith(text)}
        if started:
            return started
    try:
        authority = resolve_authority(value, "report")
    except FilterError as error:
        if "could be" in str(error):  # the start of several authorities' names: which one is the user's to say
            raise
        raise FilterError(
            f"no report {value!r} in the library (report:); give an id, its start or an authority"
        ) from None
    mine = {e.id for e in listed if e.authority_code == authority.code}
    if mine:
        return mine
    raise FilterError(f"report:{value}: no report of {authority.name} in the library")


# --- matching ---


def _fuzzy_cutoff(word: str) -> int:
    return 80 if len(word) >= 6 else 85


@lru_cache(maxsize=4096)
def _words_of(text: str) -> tuple[str, ...]:
    return tuple(normalise(text).split())


def word_matches(needle: str, text: str) -> bool:
    """A typed word found in text as the start of one of its words, or (four letters or more) as a near spelling of
    one: 'hamersmith' in 'Hammersmith and Fulham', 'hull' in 'Kingston upon Hull' but not in 'Solihull'."""
    key = normalise(needle)
    if not key:
        return True
    have = _words_of(text)
    parts = key.split()
    if len(parts) > 1:  # several words typed as one term ("north east"): each in order
        joined = " ".join(have)
        return joined.startswith(key) or f" {key}" in f" {joined}"
    if any(word.startswith(key) for word in have):
        return True
    if len(key) < 4:
        return False
    cutoff = _fuzzy_cutoff(key)
    return any(_ratio(key, word, cutoff) for word in have)


class Scope:
    """The report-side terms of a filter, resolved: which authorities and reports it keeps. Each kept term must
    hold and each negated one must not."""

    def __init__(self) -> None:
        self.checks: list[tuple[bool, Callable[[dict[str, Any]], bool]]] = []
        self.terms: list[Term] = []

    FIELDS = ("authority", "region", "neighbours", "report", "framework", "year", "kind", "outcome")

    def __bool__(self) -> bool:
        return bool(self.checks)

    @classmethod
    def of(cls, terms: Iterable[Term], entries: Iterable[Any] | None = None) -> Scope:
        scope = cls()
        listed = list(entries) if entries is not None else None
        for term in terms:
            if term.field not in cls.FIELDS:
                continue
            scope.terms.append(term)
            scope.checks.append((not term.negated, _check(term, listed)))
        return scope

    def keeps(self, **facts: Any) -> bool:
        """facts: code (the DfE code), report_id, framework, date (ISO), kind (the report type), outcome (an area
        SEND outcome's number)."""
        return all(check(facts) == wanted for wanted, check in self.checks)

    def keeps_entry(self, entry: Any) -> bool:
        from .dates import list_date

        return self.keeps(
            code=getattr(entry, "authority_code", None),
            report_id=getattr(entry, "id", None),
            framework=getattr(entry, "framework", None),
            date=list_date(entry),
            kind=getattr(entry, "report_type", None),
            outcome=(getattr(entry, "grades", None) or {}).get(SEND_KEY),
        )


def _check(term: Term, entries: list[Any] | None) -> Callable[[dict[str, Any]], bool]:
    name, value = term.field, term.value
    if name == "authority":
        code = resolve_authority(value).code
        return lambda facts: facts.get("code") == code
    if name == "neighbours":
        centre = resolve_authority(value, "neighbours")
        codes = {centre.code, *(centre.neighbours or centre.previous_neighbours)}
        return lambda facts: facts.get("code") in codes
    if name == "region":
        region = resolve_region(value)
        from . import authorities

        def in_region(facts: dict[str, Any]) -> bool:
            found = authorities.by_code(facts.get("code"))
            return found is not None and found.region == region

        return in_region
    if name == "framework":
        framework = resolve_framework(value)
        return lambda facts: facts.get("framework") == framework
    if name == "year":
        year = resolve_year(value)
        return lambda facts: (facts.get("date") or "")[:4] == year
    if name == "kind":
        kinds = resolve_kind(value)
        return lambda facts: facts.get("kind") in kinds
    if name == "outcome":
        outcome = resolve_outcome(value)
        return lambda facts: facts.get("outcome") == outcome
    if name == "report":
        if entries is None:
            raise FilterError("report: cannot be used here")
        ids = resolve_report(value, entries)
        return lambda facts: facts.get("report_id") in ids
    raise FilterError(f"{name}: is not a filter of reports")


def describe(fields: Iterable[str]) -> str:
    """'region: a region ... · grade: 1-4 ...': what each allowed field takes, for help lines."""
    return " · ".join(f"{name}: {FIELDS[name]}" for name in fields if name in FIELDS)
