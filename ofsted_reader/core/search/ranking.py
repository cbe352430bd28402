"""Ranking: the tuned weights, paragraph sets grouped into tiers by weight, the best-first walk over the tiers'
combinations, and the tie-breakers that order the few hundred best."""

from __future__ import annotations

import heapq

from ofsted_reader.core.search.hits import Doc, Hit, haystack

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


def fuzzy_cutoff(word: str) -> int:
    return 80 if len(word) >= 6 else 85


def matched_terms(
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


Tiers = list[tuple[float, set[int]]]  # paragraph sets by weight, best first; a paragraph may be in several


def _capped(by_weight: dict[float, list[set[int]]]) -> Tiers:
    """Tiers from sets grouped by weight; past MAX_TIERS the lower weights share the last tier (at the lowest of
    them). A paragraph in several tiers counts at its best: best_runs meets it there first. (Making them disjoint
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


def word_tiers(groups: list[tuple[float, str, set[int]]]) -> Tiers:
    by_weight: dict[float, list[set[int]]] = {}
    for weight, _, docs in groups:
        by_weight.setdefault(round(weight, 3), []).append(docs)
    return _capped(by_weight)


def slot_tiers(alternatives: list[list[Tiers]]) -> Tiers:
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


def best_runs(
    tiers: list[Tiers], covered: list[set[int]] | None, candidates: set[int], wanted: int
) -> list[tuple[float, list[int]]]:
    """At least `wanted` of the candidates with the highest sums of tier weights (or all of them), as (sum, keys)
    runs, best first; among equal sums the lowest keys. Combinations of tiers are walked best first. `covered`,
    each slot's paragraphs, is given when some candidates lack a slot (the "most words" fallback); None when each
    has every one."""
    slots = []
    for i, slot in enumerate(tiers):
        levels = list(slot)
        missing = candidates - covered[i] if covered is not None else None
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


def tie_broken(
    ranked: list[tuple[float, list[int]]],
    docs: dict[int, Doc],
    matched: dict[int, list[str]],
    slot_count: int,
    penalty: float,
    limit: int,
) -> list[Hit]:
    """The best `limit` hits of the runs best_runs found: their weights as a score out of 100, then the
    tie-breakers, which need the paragraphs' texts."""
    scored = []
    for weight_sum, run in ranked:
        for key in run:
            doc = docs[key]
            terms = matched[key]
            score = 100.0 * weight_sum / slot_count - penalty
            text = haystack(doc)
            # Tie-breakers: the matched words as a phrase ("privte fostering" -> "private fostering"), then how
            # often they occur, then shorter text.
            if len(terms) > 1 and " ".join(terms) in text:
                score += PHRASE_BONUS
            occurrences = sum(text.count(term) for term in set(terms))
            score += min(occurrences, OCCURRENCES_COUNTED) * OCCURRENCE_BONUS - len(text) * LENGTH_PENALTY
            if doc.section and any(term in doc.section.lower() for term in terms):
                score += SECTION_BONUS
            scored.append(Hit(doc, score, sorted(set(terms))))
    scored.sort(key=lambda hit: (-hit.score, hit.doc.report_id, hit.doc.number or 0))
    return scored[:limit]
