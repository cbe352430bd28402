"""Fuzzy search across the library: typo tolerant, word-order free, best paragraph first.

Two stages: each query word is matched against the vocabulary (exactly, as a
prefix, or fuzzily with rapidfuzz), which gives candidate paragraphs from an inverted index; only those are
scored. Brute-force partial_ratio over every paragraph took 150-750 ms at 100k paragraphs; this stays in the
tens of milliseconds. This module holds the query language and the ranking; the index itself is kept by
store.search_index, updated as reports are imported.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from . import filters
from .grades import grade_name
from .notes import Note
from .vocabulary import Framework, Service

TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


def tokens(text: str) -> list[str]:
    return [t.replace("’", "'") for t in TOKEN.findall(text.lower())]


@dataclass
class Doc:
    paragraph_id: str
    report_id: str
    authority: str
    number: int | None
    section_id: str | None
    section: str | None
    grade: int | None
    framework: Framework
    service: Service | None
    text: str
    items: list[str]


FILTER_NAMES = ("report", "authority", "region", "service", "section", "grade", "framework", "year", "tag", "is")


@dataclass
class Query:
    """A search as typed, in the one filter grammar (core.filters): words, "phrases", -exclusions, and filters.

    Paragraph-side filters (grade, service, section, framework, tag, is:annotated) are fields the index asks of its
    store; report-side ones (authority, region, report, year) are `scope`, resolved against the library's entries
    into the report ids allowed. Anything that cannot mean anything is in `problems` (and `unknown`, for a field
    that is none): searching such a query raises FilterError with it, rather than answer "no matches"."""

    words: list[str] = field(default_factory=list)
    report: str | None = None  # unused since the filter grammar: report-side filters are `scope`
    authority: str | None = None
    service: Service | None = None
    section: str | None = None
    grade: int | None = None
    framework: Framework | None = None
    tag: str | None = None
    annotated: bool = False
    phrases: list[list[str]] = field(default_factory=list)  # "quoted words", found together in this order
    excluded: list[str] = field(default_factory=list)  # -word: no paragraph that has it
    unknown: list[str] = field(default_factory=list)  # name: that is no filter ('servce:'), said, not searched
    problems: list[str] = field(default_factory=list)  # values that mean nothing (grade:9), said, not searched
    scope: list[filters.Term] = field(default_factory=list)  # report-side terms, resolved by allowed_reports()
    without: list[Query] = field(default_factory=list)  # -grade:4 and the like: paragraphs none of these allow
    not_tags: list[str] = field(default_factory=list)
    not_annotated: bool = False
    report_ids: frozenset[str] | None = None  # what `scope` allows, once resolved

    @classmethod
    def parse(cls, text: str) -> Query:
        """'grade:4 tag:evidence privte fostering "care leavers" -adoption' -> filters, words, a phrase, an
        exclusion."""
        query = cls()
        for term in filters.parse(text):
            if term.field is None:
                words = tokens(term.value)
                if term.negated:
                    query.excluded += words
                    continue
                query.words += words
                if term.quoted and len(words) > 1:
                    query.phrases.append(words)
                continue
            if term.field not in FILTER_NAMES:
                query.unknown.append(f"{term.field}:")
                continue
            if not term.value:
                continue
            try:
                query._add(term)
            except filters.FilterError as error:
                query.problems.append(str(error))
        return query

    def _add(self, term: filters.Term) -> None:
        key, value = term.field, term.value
        if key in filters.Scope.FIELDS and key != "framework":
            if key != "report":  # resolved now, so a value that means nothing is said before any search
                filters.Scope.of([term], [])
            self.scope.append(term)
            return
        target = Query() if term.negated else self
        if key == "grade":
            target.grade = filters.resolve_grade(value)
        elif key == "framework":
            target.framework = filters.resolve_framework(value)
        elif key == "service":
            target.service = filters.resolve_service(value)
        elif key == "section":
            target.section = value.lower()
        elif key == "tag":
            tag = value.lstrip("#").lower()
            if term.negated:
                self.not_tags.append(tag)
            else:
                self.tag = tag
            return
        elif key == "is":
            filters.resolve_choice("is", value, ["annotated"])
            if term.negated:
                self.not_annotated = True
            else:
                self.annotated = True
            return
        if term.negated:
            self.without.append(target)

    def allowed_reports(self, entries: Iterable[Any] | None) -> frozenset[str] | None:
        """The report ids the report-side filters keep (None: no such filter). Raises FilterError."""
        if not self.scope:
            return None
        if entries is None:
            raise filters.FilterError("authority:, region:, report: and year: need the library")
        listed = list(entries)
        scope = filters.Scope.of(self.scope, listed)
        return frozenset(e.id for e in listed if scope.keeps_entry(e))

    def check(self) -> None:
        """Raises FilterError saying what in the query cannot mean anything."""
        if self.unknown:
            raise filters.FilterError(
                f"unknown filter {', '.join(self.unknown)}; filters are "
                + " ".join(f"{name}:" for name in FILTER_NAMES)
                + " (or give the words without a colon)"
            )
        if self.problems:
            raise filters.FilterError(self.problems[0])

    @property
    def has_filters(self) -> bool:
        return any(
            [
                self.scope,
                self.service,
                self.section,
                self.grade,
                self.framework,
                self.tag,
                self.annotated,
                self.without,
                self.not_tags,
                self.not_annotated,
            ]
        )


@dataclass
class Hit:
    doc: Doc
    score: float
    terms: list[str]  # the vocabulary words that matched, for highlighting

    @property
    def snippet(self) -> str:
        return snippet(" ".join([self.doc.text, *self.doc.items]), self.terms)

    def to_dict(self) -> dict:
        return {
            "paragraph_id": self.doc.paragraph_id,
            "report_id": self.doc.report_id,
            "authority": self.doc.authority,
            "number": self.doc.number,
            "section": self.doc.section,
            "grade": self.doc.grade,
            "score": round(self.score, 1),
            "text": self.doc.text,
            "items": self.doc.items,
            "snippet": self.snippet,
        }


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


class Postings(Protocol):
    """Where the index's words and paragraphs are kept (store.search_index keeps them in sqlite). Paragraphs are
    known by an integer key; a query reads the postings of the words it names and the texts of the best hits."""

    def vocabulary(self) -> list[str]: ...  # every indexed word, sorted

    def postings(self, terms: Iterable[str]) -> dict[str, set[int]]: ...  # each term's paragraph keys

    def docs(self, keys: Iterable[int]) -> dict[int, Doc]: ...

    def keys_where(self, query: Query) -> set[int]: ...  # the paragraphs the query's report-side filters allow

    def keys_of(self, paragraph_ids: Iterable[str]) -> dict[str, int]: ...


# Ranking weights, tuned on the relevance tables in tests/test_search.py.
EXACT, PREFIX, TRANSPOSED, FUZZY = 1.0, 0.9, 0.8, 0.9  # FUZZY scales rapidfuzz's ratio (0-1)
PREFIX_MIN, FUZZY_MIN = 3, 4  # shortest query word matched as a prefix, fuzzily
PREFIX_FAN_OUT = 200  # vocabulary words a prefix may stand for
FUZZY_FAN_OUT = 12
MISSING_WORD_PENALTY = 30.0  # nothing has every word: what has most of them ranks below any full match
PHRASE_BONUS, SECTION_BONUS = 8.0, 2.0
OCCURRENCE_BONUS, OCCURRENCES_COUNTED = 0.5, 10
LENGTH_PENALTY = 1 / 20000  # per character: the shorter of two equal paragraphs first
TIE_BREAK_WINDOW, TIE_BREAK_MIN = 4, 200  # how many of the best by weight get the tie-breakers: limit x 4, 200 at least
MAX_TIERS = 6  # distinct match weights kept per word; lower ones share the last
MAX_COMBINATIONS = 400  # best-first steps over the words' tiers before the rest is scored one by one
SET_CACHE = 256  # terms' paragraph sets kept for the next keystroke


def _fuzzy_cutoff(word: str) -> int:
    return 80 if len(word) >= 6 else 85


class SearchIndex:
    """Ranks paragraphs for a query over a Postings store.

    Each query word becomes a few tiers of paragraphs (exact word, prefix, near spellings), each with a weight (a
    paragraph in several tiers counts at its best). A paragraph's score is the sum of its tiers' weights over the
    words. The best paragraphs are found by walking the combinations of tiers best first, with set operations (run
    in C): no per-paragraph Python work until the few hundred best are known, whose texts are then read for the
    tie-breakers. At 127k paragraphs a
    per-paragraph loop cost 0.1-0.5 s for a common word; this keeps a keystroke in the tens of milliseconds.
    """

    def __init__(self, store: Postings):
        self.store = store
        self.vocabulary = store.vocabulary()
        self.by_length: dict[int, list[str]] = {}
        for word in self.vocabulary:
            self.by_length.setdefault(len(word), []).append(word)
        self._known = set(self.vocabulary)
        self._sets: dict[str, set[int]] = {}
        self._filtered: tuple[tuple, set[int]] | None = None
        self.notes: dict[str, list[Note]] = {}  # by paragraph id
        self.note_postings: dict[str, set[int]] = {}
        self._note_keys: dict[str, int] = {}
        self.last_total = 0
        # The library's entries (anything with id, authority_code, framework and dates): report-side filters
        # (authority:, region:, report:, year:) are resolved against them.
        self.entries: list[Any] | None = None

    def set_notes(self, notes: list[Note]) -> None:
        """Notes and tags are searched too; they change while the app runs, so they are indexed apart."""
        live = [note for note in notes if note.attached]
        keys = self.store.keys_of({note.paragraph_id for note in live if note.paragraph_id})
        self.notes = {}
        self.note_postings = {}
        self._sets = {}  # the kept sets of terms' paragraphs hold the notes' words too
        for note in live:
            key = keys.get(note.paragraph_id or "")
            if key is None:
                continue
            self.notes.setdefault(note.paragraph_id or "", []).append(note)
            for word in tokens(" ".join([note.text, *note.tags])):
                self.note_postings.setdefault(word, set()).add(key)
        self._note_keys = keys

    def _has(self, word: str) -> bool:
        return word in self._known or word in self.note_postings

    # --- matching ---

    def _terms(self, word: str) -> dict[str, float]:
        """Vocabulary words a query word stands for, with how well they match (1.0 exact)."""
        found: dict[str, float] = {}
        vocabulary = self.vocabulary
        if self._has(word):
            found[word] = EXACT
        if len(word) >= PREFIX_MIN:  # a partial word: "fost" finds fostering
            start = bisect.bisect_left(vocabulary, word)
            for candidate in vocabulary[start : start + PREFIX_FAN_OUT]:
                if not candidate.startswith(word):
                    break
                found.setdefault(candidate, PREFIX)
        if len(word) >= FUZZY_MIN:
            cutoff = _fuzzy_cutoff(word)
            pool = [w for length in range(len(word) - 2, len(word) + 3) for w in self.by_length.get(length, [])]
            for candidate, score, _ in process.extract(
                word, pool, scorer=fuzz.ratio, score_cutoff=cutoff, limit=FUZZY_FAN_OUT
            ):
                found.setdefault(candidate, score / 100 * FUZZY)
            # Two letters swapped ("mutli") is one edit, not two: ratio alone misses short words.
            for candidate, _, _ in process.extract(
                word, pool, scorer=OSA.distance, score_cutoff=1, limit=FUZZY_FAN_OUT
            ):
                found.setdefault(candidate, TRANSPOSED)
            for candidate in self.note_postings:
                if candidate not in found:
                    score = fuzz.ratio(word, candidate, score_cutoff=cutoff)
                    if score:
                        found[candidate] = score / 100 * FUZZY
        return found

    def _docs_of(self, terms: Iterable[str]) -> dict[str, set[int]]:
        """Each term's paragraphs (notes' words included), kept for the next keystroke: typing re-asks the same."""
        result: dict[str, set[int]] = {}
        wanted = []
        for term in terms:
            cached = self._sets.get(term)
            if cached is None:
                wanted.append(term)
            else:
                result[term] = cached
        if wanted:
            stored = self.store.postings([t for t in wanted if t in self._known])
            for term in wanted:
                docs = stored.get(term, set())
                if term in self.note_postings:
                    docs = docs | self.note_postings[term]
                result[term] = docs
                while len(self._sets) >= SET_CACHE:
                    self._sets.pop(next(iter(self._sets)))
                self._sets[term] = docs
        return result

    def _slots(self, words: list[str]) -> list[list[list[str]]]:
        """Each query word, or run of words, as a slot of alternatives any one of which may match: "head teacher"
        is also "headteacher" and the reverse; an abbreviation is also its words and its words the abbreviation."""
        has = self._has
        slots: list[list[list[str]]] = []
        i = 0
        while i < len(words):
            expanded = next(
                (
                    (abbreviation, len(parts))
                    for abbreviation, parts in EXPANSIONS.items()
                    if len(parts) > 1
                    and [w for w in words[i : i + len(parts) + 2] if w not in STOP][: len(parts)] == parts
                ),
                None,
            )
            if expanded:  # the spelled-out words of an abbreviation, in order
                abbreviation, count = expanded
                taken = 0
                run: list[str] = []
                while taken < count:
                    if words[i] not in STOP:
                        run.append(words[i])
                        taken += 1
                    i += 1
                slots.append([run, [abbreviation]])
                continue
            word = words[i]
            if i + 1 < len(words) and has(word + words[i + 1]):  # "head teacher" -> "headteacher"
                slots.append([[word, words[i + 1]], [word + words[i + 1]]])
                i += 2
                continue
            alternatives = [[word]]
            if word in EXPANSIONS:
                alternatives.append(EXPANSIONS[word])
            if not has(word) and len(word) >= 6:  # "headteacher" -> "head teacher"
                alternatives += [
                    [word[:k], word[k:]]
                    for k in range(3, len(word) - 2)
                    if word[:k] in self._known and word[k:] in self._known
                ][:2]
            slots.append(alternatives)
            i += 1
        return slots

    def _allowed(self, query: Query) -> set[int] | None:
        """The paragraphs the query's filters allow, or None when it has none. The report-side part is asked of
        the store once per filter (typing more words keeps it)."""
        allowed: set[int] | None = None
        if query.scope and query.report_ids is None:
            query.report_ids = query.allowed_reports(self.entries)
        side = (query.report_ids, query.service, query.section, query.grade, query.framework)
        negative = tuple((q.service, q.section, q.grade, q.framework) for q in query.without)
        if any(v is not None for v in side) or negative:
            key = (side, negative)
            if self._filtered is None or self._filtered[0] != key:
                keys = self.store.keys_where(query) if any(v is not None for v in side) else self._everything()
                for excluded in query.without:
                    keys = keys - self.store.keys_where(excluded)
                self._filtered = (key, keys)
            allowed = self._filtered[1]
        if query.annotated or query.tag:
            noted = {
                self._note_keys[pid]
                for pid, notes in self.notes.items()
                if not query.tag or any(query.tag in note.tags for note in notes)
            }
            allowed = noted if allowed is None else allowed & noted
        if query.not_annotated or query.not_tags:
            unwanted = {
                self._note_keys[pid]
                for pid, notes in self.notes.items()
                if query.not_annotated or any(tag in note.tags for note in notes for tag in query.not_tags)
            }
            allowed = (self._everything() if allowed is None else allowed) - unwanted
        return allowed

    def _everything(self) -> set[int]:
        return self.store.keys_where(Query())

    def search(self, text: str | Query, limit: int = 20) -> list[Hit]:
        """The best `limit` hits; `self.last_total` says how many paragraphs matched in all. A query with a filter
        that means nothing (grade:9, region:narnia, servce:) raises FilterError saying so."""
        query = text if isinstance(text, Query) else Query.parse(text)
        query.check()
        self.last_total = 0
        words = [w for w in query.words if len(w) >= 2] or query.words
        allowed = self._allowed(query)
        if not words:
            if allowed is None:
                return []
            self.last_total = len(allowed)
            docs = self.store.docs(sorted(allowed)[:limit])
            return [Hit(docs[key], 0.0, []) for key in sorted(docs)]
        slots = self._slots(words)
        groups_of: dict[str, list[tuple[float, str, set[int]]]] = {}
        for word in {w for slot in slots for alternative in slot for w in alternative}:
            weights = self._terms(word)
            docs_of = self._docs_of(weights)
            groups_of[word] = sorted(
                ((weights[t], t, docs_of[t]) for t in weights if docs_of[t]), key=lambda group: -group[0]
            )
        tiers = [_slot_tiers([[_tiers(groups_of[w]) for w in alternative] for alternative in slot]) for slot in slots]
        covered = [slot[0][1] if len(slot) == 1 else set().union(*(docs for _, docs in slot)) for slot in tiers]
        candidates = set.intersection(*covered)
        penalty = 0.0
        if not candidates and len(slots) > 1:
            counts: Counter[int] = Counter()
            for keys in covered:
                counts.update(keys)
            most = max(counts.values(), default=0)
            candidates = {doc for doc, count in counts.items() if count == most}
            penalty = MISSING_WORD_PENALTY
        for excluded in self._docs_of(query.excluded).values():
            candidates -= excluded
        if allowed is not None:
            candidates &= allowed
        texts: dict[int, Doc] = {}
        if query.phrases and candidates:
            texts = self.store.docs(candidates)
            for phrase in query.phrases:
                pattern = re.compile(r"\b" + r"\W+".join(map(re.escape, phrase)) + r"\b")
                candidates = {key for key in candidates if pattern.search(_haystack(texts[key]))}
        self.last_total = len(candidates)
        if not candidates:
            return []
        ranked = _best(tiers, covered, candidates, max(limit * TIE_BREAK_WINDOW, TIE_BREAK_MIN))
        best = [key for _, run in ranked for key in run]
        docs = texts or self.store.docs(best)
        matched = _matched(slots, groups_of, best)
        scored = []
        for weight_sum, run in ranked:
            for key in run:
                doc = docs[key]
                terms = matched[key]
                score = 100.0 * weight_sum / len(slots) - penalty
                haystack = _haystack(doc)
                # Tie-breakers: the matched words as a phrase ("privte fostering" -> "private fostering"), then how
                # often they occur, then shorter text.
                if len(terms) > 1 and " ".join(terms) in haystack:
                    score += PHRASE_BONUS
                occurrences = sum(haystack.count(term) for term in set(terms))
                score += min(occurrences, OCCURRENCES_COUNTED) * OCCURRENCE_BONUS - len(haystack) * LENGTH_PENALTY
                if doc.section and any(term in doc.section.lower() for term in terms):
                    score += SECTION_BONUS
                scored.append(Hit(doc, score, sorted(set(terms))))
        scored.sort(key=lambda hit: (-hit.score, hit.doc.report_id, hit.doc.number or 0))
        return scored[:limit]


def _matched(
    slots: list[list[list[str]]], groups_of: dict[str, list[tuple[float, str, set[int]]]], keys: list[int]
) -> dict[int, list[str]]:
    """The vocabulary words that matched in each of these paragraphs: per slot, its best alternative."""
    best: dict[str, dict[int, tuple[float, str]]] = {}
    for word, groups in groups_of.items():
        found: dict[int, tuple[float, str]] = {}
        remaining = set(keys)
        for weight, term, docs in groups:  # best first: a paragraph takes its best term
            hits = remaining & docs
            if hits:
                found.update(dict.fromkeys(hits, (weight, term)))
                remaining -= hits
                if not remaining:
                    break
        best[word] = found
    matched: dict[int, list[str]] = {}
    for key in keys:
        terms: list[str] = []
        for slot in slots:
            options = [
                (sum(best[w][key][0] for w in alternative) / len(alternative), alternative)
                for alternative in slot
                if all(key in best[w] for w in alternative)
            ]
            if options:
                terms += [best[w][key][1] for w in max(options, key=lambda pair: pair[0])[1]]
        matched[key] = terms
    return matched


def _haystack(doc: Doc) -> str:
    return " ".join([doc.text, *doc.items]).lower().replace("’", "'")


Tiers = list[tuple[float, set[int]]]  # paragraph sets by weight, best first; a paragraph may be in several


def _capped(by_weight: dict[float, list[set[int]]]) -> Tiers:
    """Tiers from sets grouped by weight; past MAX_TIERS the lower weights share the last tier (at the lowest of
    them). A paragraph in several tiers counts at its best: _best meets it there first. (Making them disjoint
    cost more than the rest of a search: sets of 100k paragraphs copied and subtracted per word.)"""
    weights = sorted(by_weight, reverse=True)
    if len(weights) > MAX_TIERS:
        tail = weights[MAX_TIERS - 1 :]
        by_weight[tail[-1]] = [docs for weight in tail for docs in by_weight[weight]]
        weights = weights[: MAX_TIERS - 1] + [tail[-1]]
    tiers: Tiers = []
    for weight in weights:
        sets = [docs for docs in by_weight[weight] if docs]
        if sets:  # shared with the postings cache: never mutated, copied only to join several
            tiers.append((weight, sets[0] if len(sets) == 1 else set().union(*sets)))
    return tiers


def _tiers(groups: list[tuple[float, str, set[int]]]) -> Tiers:
    by_weight: dict[float, list[set[int]]] = {}
    for weight, _, docs in groups:
        by_weight.setdefault(round(weight, 3), []).append(docs)
    return _capped(by_weight)


def _slot_tiers(alternatives: list[list[Tiers]]) -> Tiers:
    """A slot's tiers: an alternative of several words holds where all of them do, at their mean weight; a
    paragraph takes its best alternative."""
    by_weight: dict[float, list[set[int]]] = {}
    for words in alternatives:
        combined = words[0]
        for tiers in words[1:]:
            pairs: dict[float, list[set[int]]] = {}
            for weight_a, docs_a in combined:
                for weight_b, docs_b in tiers:
                    both = docs_a & docs_b
                    if both:
                        pairs.setdefault(round(weight_a + weight_b, 3), []).append(both)
            combined = _capped(pairs)
        for weight, docs in combined:
            by_weight.setdefault(round(weight / len(words), 3), []).append(docs)
    return _capped(by_weight)


def _best(
    tiers: list[Tiers], covered: list[set[int]], candidates: set[int], wanted: int
) -> list[tuple[float, list[int]]]:
    """At least `wanted` of the candidates with the highest sums of tier weights (or all of them), as (sum, keys)
    runs, best first; among equal sums the lowest keys. Combinations of tiers are walked best first."""
    slots = []
    for slot, docs in zip(tiers, covered):
        levels = list(slot)
        missing = candidates - docs
        if missing:  # the "most words" fallback: a word this paragraph lacks counts 0
            levels.append((0.0, missing))
        slots.append(levels)
    start = (0,) * len(slots)
    heap = [(-sum(slot[0][0] for slot in slots), start)]
    seen = {start}
    found: list[tuple[float, list[int]]] = []
    taken: set[int] = set()
    steps = 0
    while heap and len(taken) < wanted and steps < MAX_COMBINATIONS:
        negative, combination = heapq.heappop(heap)
        steps += 1
        sets = sorted([candidates, *(slots[i][level][1] for i, level in enumerate(combination))], key=len)
        keys = sets[0].intersection(*sets[1:])
        if taken:
            keys -= taken  # met before, in a better combination
        if keys:
            run = sorted(keys)[: wanted - len(taken)]
            found.append((-negative, run))
            taken.update(run)
        for i, level in enumerate(combination):
            if level + 1 < len(slots[i]):
                after = combination[:i] + (level + 1,) + combination[i + 1 :]
                if after not in seen:
                    seen.add(after)
                    total = sum(slots[j][k][0] for j, k in enumerate(after))
                    heapq.heappush(heap, (-total, after))
    if len(taken) < wanted and len(taken) < len(candidates):
        # Too many combinations (many words, each with many near spellings): score the rest one by one.
        weights: list[dict[int, float]] = []
        for slot in slots:
            weight_of: dict[int, float] = {}
            for weight, keys in reversed(slot):
                weight_of.update(dict.fromkeys(keys, weight))
            weights.append(weight_of)
        rest = candidates - taken
        best = heapq.nlargest(wanted - len(taken), rest, key=lambda key: (sum(w.get(key, 0.0) for w in weights), -key))
        by_sum: dict[float, list[int]] = {}
        for key in best:
            by_sum.setdefault(round(sum(w.get(key, 0.0) for w in weights), 3), []).append(key)
        found += sorted(by_sum.items(), key=lambda pair: -pair[0])
    return found


def grade_label(doc: Doc) -> str:
    return grade_name(doc.grade, doc.framework) if doc.grade else ""
