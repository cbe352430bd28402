"""Fuzzy search across the library: typo tolerant, word-order free, best paragraph first.

Two stages: each query word is matched against the vocabulary (exactly, as a prefix, or fuzzily: rapidfuzz's
ratio, worked out in search/fuzzy.py), which gives candidate paragraphs from an inverted index; only those are
scored. Brute-force partial_ratio over every paragraph took 150-750 ms at 100k paragraphs; this stays in the
tens of milliseconds. This module holds SearchIndex, which matches a query's words and applies its filters, and is
the home of search's public names; the query language is in search_query, the words in search_text, the ranking
in search_ranking, what is found in search_hits. The index itself is kept by store.search_index, updated as reports
are imported.
"""

from __future__ import annotations

import bisect
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from ofsted_reader.core.search.fuzzy import Group, near, ratio, swapped
from ofsted_reader.core.search.hits import NO_RESULT, Doc, Hit, SearchResult, grade_label, haystack
from ofsted_reader.core.search.query import FILTER_NAMES, Query
from ofsted_reader.core.search.ranking import (
    EXACT,
    FUZZY,
    FUZZY_FAN_OUT,
    FUZZY_MIN,
    MISSING_WORD_PENALTY,
    PREFIX,
    PREFIX_FAN_OUT,
    PREFIX_MIN,
    TIE_BREAK_MIN,
    TIE_BREAK_WINDOW,
    TRANSPOSED,
    Tiers,
    best_runs,
    fuzzy_cutoff,
    matched_terms,
    slot_tiers,
    tie_broken,
    word_tiers,
)
from ofsted_reader.core.search.text import EXPANSIONS, STOP, snippet, tokens, whole_words

if TYPE_CHECKING:
    from ofsted_reader.core.notes import Note

__all__ = [
    "FILTER_NAMES",
    "NO_RESULT",
    "Doc",
    "Hit",
    "Postings",
    "Query",
    "SearchIndex",
    "SearchResult",
    "grade_label",
    "snippet",
    "tokens",
]


class Postings(Protocol):
    """Where the index's words and paragraphs are kept (store.search_index keeps them in sqlite). Paragraphs are
    known by an integer key; a query reads the postings of the words it names and the texts of the best hits."""

    def vocabulary(self) -> list[str]: ...  # every indexed word, sorted

    # The words of each of these lengths, in order, with their letters (fuzzy.letters).
    def of_lengths(self, lengths: Iterable[int]) -> dict[int, tuple[list[str], Sequence[int]]]: ...

    def postings(self, terms: Iterable[str]) -> dict[str, set[int]]: ...  # each term's paragraph keys

    def docs(self, keys: Iterable[int]) -> dict[int, Doc]: ...

    def keys_where(self, query: Query) -> set[int]: ...  # the paragraphs the query's report-side filters allow

    def keys_of(self, paragraph_ids: Iterable[str]) -> dict[str, int]: ...


SET_CACHE = 256  # terms' paragraph sets kept for the next keystroke


def _in_every(tiers: list[Tiers]) -> set[int]:
    """The paragraphs in some tier of every slot (a new set: the tiers' sets are the postings cache's). The slot
    with the fewest paragraphs is joined first and the others only intersected with what is left: joining every
    slot's tiers whole (a common word's near spellings, a hundred thousand keys) took 3-5 ms of a search."""
    order = sorted(tiers, key=lambda slot: sum(len(docs) for _, docs in slot))
    found: set[int] = set().union(*(docs for _, docs in order[0])) if order else set()
    for slot in order[1:]:
        if not found:
            break
        found = set().union(*(docs & found for _, docs in slot))
    return found


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
        self._by_length: dict[int, Group] = {}  # read from the store as near spellings need them
        self._sets: dict[str, set[int]] = {}
        self._sets_lock = threading.Lock()
        self._notes_generation = 0  # set_notes' count: sets made from older notes are not kept
        self._filtered: tuple[tuple, set[int]] | None = None
        self.notes: dict[str, list[Note]] = {}  # by paragraph id
        self.note_postings: dict[str, set[int]] = {}
        self._noted: tuple[dict[str, list[Note]], dict[str, int]] = ({}, {})
        # The library's entries (anything with id, authority_code, framework and dates): report-side filters
        # (authority:, region:, report:, year:) are resolved against them.
        self.entries: list[Any] | None = None

    def set_notes(self, notes: list[Note]) -> None:
        """Notes and tags are searched too; they change while the app runs, so they are indexed apart."""
        live = [note for note in notes if note.attached]
        keys = self.store.keys_of({note.paragraph_id for note in live if note.paragraph_id})
        by_paragraph: dict[str, list[Note]] = {}
        postings: dict[str, set[int]] = {}
        for note in live:
            key = keys.get(note.paragraph_id or "")
            if key is None:
                continue
            by_paragraph.setdefault(note.paragraph_id or "", []).append(note)
            for word in tokens(" ".join([note.text, *note.tags])):
                postings.setdefault(word, set()).add(key)
        # Built apart and swapped in at once: a search running in another thread meanwhile reads the old notes or
        # the new, never a half-filled dict. The kept term sets hold the notes' words too, so they go with them,
        # and a search that began before keeps its sets to itself (_docs_of compares the generation).
        with self._sets_lock:
            self.notes, self.note_postings = by_paragraph, postings
            self._noted = (by_paragraph, keys)  # one reference, so a reader never pairs old notes with new keys
            self._sets = {}
            self._notes_generation += 1

    def _known(self, word: str) -> bool:
        """Whether the word is indexed: looked up in the sorted vocabulary, as making a set of it cost a CLI search
        more than the few lookups a query makes."""
        vocabulary = self.vocabulary
        at = bisect.bisect_left(vocabulary, word)
        return at < len(vocabulary) and vocabulary[at] == word

    def _has(self, word: str) -> bool:
        return self._known(word) or word in self.note_postings

    def _of_lengths(self, lengths: range) -> list[Group]:
        """The vocabulary's words of these lengths, shortest first, each length in order, with their letters."""
        by_length = self._by_length
        missing = [length for length in lengths if length not in by_length]
        if missing:
            found = self.store.of_lengths(missing)
            by_length.update({length: found.get(length, ((), ())) for length in missing})
        return [by_length[length] for length in lengths if by_length[length][0]]

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
            cutoff = fuzzy_cutoff(word)
            pool = self._of_lengths(range(len(word) - 2, len(word) + 3))
            for candidate, score in near(word, pool, cutoff, FUZZY_FAN_OUT):
                found.setdefault(candidate, score / 100 * FUZZY)
            # Two letters swapped ("mutli") is one edit, not two: ratio alone misses short words.
            for candidate in swapped(word, pool, FUZZY_FAN_OUT):
                found.setdefault(candidate, TRANSPOSED)
            for candidate in self.note_postings:
                if candidate not in found:
                    score = ratio(word, candidate, cutoff)
                    if score:
                        found[candidate] = score / 100 * FUZZY
        return found

    def _docs_of(self, terms: Iterable[str]) -> dict[str, set[int]]:
        """Each term's paragraphs (notes' words included), kept for the next keystroke: typing re-asks the same."""
        result: dict[str, set[int]] = {}
        wanted = []
        generation, kept, note_postings = self._notes_generation, self._sets, self.note_postings
        for term in terms:
            cached = kept.get(term)
            if cached is None:
                wanted.append(term)
            else:
                result[term] = cached
        if wanted:
            stored = self.store.postings([t for t in wanted if self._known(t)])
            for term in wanted:
                docs = stored.get(term, set())
                if term in note_postings:
                    docs = docs | note_postings[term]
                result[term] = docs
                with self._sets_lock:  # searches in other threads add to it too
                    if generation != self._notes_generation:
                        continue  # the notes changed meanwhile: this set is not kept for the next search
                    while len(self._sets) >= SET_CACHE:
                        self._sets.pop(next(iter(self._sets)))
                    self._sets[term] = docs
        return result

    def _slots(self, words: list[str], exact: frozenset[str] = frozenset()) -> list[list[list[str]]]:
        """Each query word, or run of words, as a slot of alternatives any one of which may match: "head teacher"
        is also "headteacher" and the reverse; an abbreviation is also its words and its words the abbreviation.
        A quoted (exact) word is itself alone."""
        has = self._has
        slots: list[list[list[str]]] = []
        i = 0
        while i < len(words):
            if words[i] in exact:
                slots.append([[words[i]]])
                i += 1
                continue
            expanded = next(
                (
                    (abbreviation, len(parts))
                    for abbreviation, parts in EXPANSIONS.items()
                    if len(parts) > 1
                    and [w for w in words[i : i + len(parts) + 2] if w not in STOP][: len(parts)] == parts
                    and not exact.intersection(words[i : i + len(parts) + 2])
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
            # "head teacher" -> "headteacher"
            if i + 1 < len(words) and words[i + 1] not in exact and has(word + words[i + 1]):
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
                    if self._known(word[:k]) and self._known(word[k:])
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
            filtered = self._filtered  # read once: another thread's search may set it meanwhile, for its filters
            if filtered is None or filtered[0] != key:
                keys = self.store.keys_where(query) if any(v is not None for v in side) else self._everything()
                for excluded in query.without:
                    keys = keys - self.store.keys_where(excluded)
                filtered = self._filtered = (key, keys)
            allowed = filtered[1]
        notes_by_paragraph, note_keys = self._noted
        if query.annotated or query.tag:
            noted = {
                note_keys[pid]
                for pid, notes in notes_by_paragraph.items()
                if not query.tag or any(query.tag in note.tags for note in notes)
            }
            allowed = noted if allowed is None else allowed & noted
        if query.not_annotated or query.not_tags:
            unwanted = {
                note_keys[pid]
                for pid, notes in notes_by_paragraph.items()
                if query.not_annotated or any(tag in note.tags for note in notes for tag in query.not_tags)
            }
            allowed = (self._everything() if allowed is None else allowed) - unwanted
        return allowed

    def _everything(self) -> set[int]:
        return self.store.keys_where(Query())

    def search(self, text: str | Query, limit: int | None = 20) -> SearchResult:
        """The best `limit` hits (every hit with None) and how many paragraphs matched in all, with the other
        spellings the forgiving words took. A quoted word matches only itself, whole, in any case; a quoted
        phrase its words in order. A query with a filter that means nothing (grade:9, region:narnia, servce:)
        raises FilterError saying so. Safe to run from several threads at once."""
        query = text if isinstance(text, Query) else Query.parse(text)
        query.check()
        words = [w for w in query.words if len(w) >= 2 or w in query.exact] or query.words
        exact = frozenset(query.exact)
        allowed = self._allowed(query)
        if not words:
            if query.excluded:  # `-exploitation` alone: every paragraph (the filters allow) without the word
                allowed = self._everything() if allowed is None else allowed
                for excluded in self._docs_of(query.excluded).values():
                    allowed = allowed - excluded
            if allowed is None:
                return NO_RESULT
            shown = sorted(allowed) if limit is None else sorted(allowed)[:limit]
            docs = self.store.docs(shown)
            return SearchResult(tuple(Hit(docs[key], 0.0, []) for key in sorted(docs)), len(allowed))
        slots = self._slots(words, exact)
        groups_of: dict[str, list[tuple[float, str, set[int]]]] = {}
        for word in {w for slot in slots for alternative in slot for w in alternative}:
            weights = {word: EXACT} if word in exact else self._terms(word)
            docs_of = self._docs_of(weights)
            groups_of[word] = sorted(
                ((weights[t], t, docs_of[t]) for t in weights if docs_of[t]), key=lambda group: -group[0]
            )
        tiers = [slot_tiers([[word_tiers(groups_of[w]) for w in words] for words in slot]) for slot in slots]
        candidates = _in_every(tiers)
        covered: list[set[int]] | None = None  # None: every candidate matches every slot
        penalty = 0.0
        if not candidates and len(slots) > 1:
            covered = [set().union(*(docs for _, docs in slot)) for slot in tiers]
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
        if (query.phrases or exact) and candidates:
            # Quoted words are read in the paragraph itself (its items too), as whole words: a section title that
            # has the word is not a paragraph that says it.
            texts = self.store.docs(candidates)
            patterns = [whole_words(phrase) for phrase in query.phrases] + [whole_words([word]) for word in exact]
            for pattern in patterns:
                candidates = {key for key in candidates if pattern.search(haystack(texts[key]))}
        if not candidates:
            return NO_RESULT
        wanted = len(candidates) if limit is None else limit
        ranked = best_runs(tiers, covered, candidates, max(wanted * TIE_BREAK_WINDOW, TIE_BREAK_MIN))
        best = [key for _, run in ranked for key in run]
        docs = texts or self.store.docs(best)
        matched = matched_terms(slots, groups_of, best)
        hits = tuple(tie_broken(ranked, docs, matched, len(slots), penalty, wanted))
        also = self._also(slots, groups_of, candidates)
        unknown = frozenset(w for slot in slots for w in slot[0] if w not in exact and not self._has(w))
        return SearchResult(hits, len(candidates), also, unknown)

    def _also(
        self, slots: list[list[list[str]]], groups_of: dict[str, list[tuple[float, str, set[int]]]], found: set[int]
    ) -> tuple[tuple[str, int, str], ...]:
        """The other spellings (near or longer words, an abbreviation's words, a word split or joined) that the
        forgiving words took, each with how many of the paragraphs found have it and not the word as typed (what
        quoting the words would leave out), and the word typed: (spelling, count, typed), most first."""
        also: Counter[tuple[str, str]] = Counter()
        for slot in slots:
            literal = slot[0]
            as_typed: set[int] = set(found)
            for word in literal:
                groups = groups_of[word]
                exact_docs = next((docs for _, term, docs in groups if term == word), set())
                remaining = found - exact_docs
                as_typed &= exact_docs
                for _, term, docs in groups:  # best first: a paragraph is counted under its best other spelling
                    if term == word or not remaining:
                        continue
                    taken = remaining & docs
                    if taken:
                        also[term, word] += len(taken)
                        remaining -= taken
            for alternative in slot[1:]:
                held = set(found)
                for word in alternative:
                    held &= set().union(*(docs for _, _, docs in groups_of[word])) if groups_of[word] else set()
                taken = held - as_typed
                if taken:
                    also[" ".join(alternative), " ".join(literal)] += len(taken)
        return tuple((term, count, typed) for (term, typed), count in also.most_common())
