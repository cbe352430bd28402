"""Near spellings of a query word among the vocabulary's: what rapidfuzz's `process.extract` gives with
`fuzz.ratio` (and with `OSA.distance` for two letters swapped), worked out here.

Importing rapidfuzz was 7-10 ms of `ofsted-reader search`'s 60, for two calls per query word; this finds the same
words with the same scores, in the same order (tests/test_search_lean.py compares the two over a whole vocabulary).
Each word of the vocabulary comes with the set of its letters as bits (kept with the index, `letters`): a word
with k letters the query word lacks, or the reverse, is at least k insertions and deletions away, which leaves a
few dozen words of thousands to measure exactly, by the longest common subsequence (bit-parallel, Hyyrö 2004).
"""

from __future__ import annotations

from collections.abc import Sequence

_BITS = {ch: bit for bit, ch in enumerate("abcdefghijklmnopqrstuvwxyz0123456789'")}


def letters(word: str) -> int:
    """The letters of a word as bits (any other character shares one of 26 more bits: the bound stays a bound)."""
    found = 0
    for ch in word:
        found |= 1 << _BITS.get(ch, 37 + ord(ch) % 26)
    return found


def _common(word: str, other: str) -> int:
    """The length of the longest common subsequence of the two."""
    matches: dict[str, int] = {}
    for at, ch in enumerate(word):
        matches[ch] = matches.get(ch, 0) | 1 << at
    full = (1 << len(word)) - 1
    row = full
    for ch in other:
        u = row & matches.get(ch, 0)
        row = ((row + u) | (row - u)) & full
    return len(word) - row.bit_count()


def ratio(word: str, other: str, cutoff: float = 0) -> float:
    """rapidfuzz.fuzz.ratio(word, other, score_cutoff=cutoff): 100 less the share of characters inserted or
    deleted to turn one into the other; 0 below the cutoff."""
    total = len(word) + len(other)
    if not total:
        return 100.0
    similarity = 1.0 - (total - 2 * _common(word, other)) / total
    return similarity * 100 if similarity >= cutoff / 100 else 0.0


def _most_edits(total: int, cutoff: float) -> int:
    """The most insertions and deletions a pair of this total length may need and still score the cutoff."""
    most = -1
    while most < total and 1.0 - (most + 1) / total >= cutoff / 100:
        most += 1
    return most


# Words of one length in the vocabulary's order, and their letters (`letters`). A pool is a list of them: what
# rapidfuzz is given as one list, the groups one after another.
Group = tuple[Sequence[str], Sequence[int]]


def near(word: str, pool: list[Group], cutoff: float, limit: int) -> list[tuple[str, float]]:
    """process.extract(word, the pool's words, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit), as (word,
    score): the best first, equal scores in the pool's order."""
    mine, length = letters(word), len(word)
    found: list[tuple[float, int, str]] = []
    start = 0
    for words, bits in pool:
        if words:
            edits = _most_edits(length + len(words[0]), cutoff)
            if abs(length - len(words[0])) <= edits:
                for at in [at for at, other in enumerate(bits) if (mine ^ other).bit_count() <= edits]:
                    score = ratio(word, words[at], cutoff)
                    if score:
                        found.append((-score, start + at, words[at]))
        start += len(words)
    found.sort()
    return [(other, -negative) for negative, _, other in found[:limit]]


def _one_edit(word: str, other: str) -> bool:
    """Whether the two differ by one substitution, insertion, deletion or swap of two neighbouring letters."""
    if len(word) == len(other):
        differ = [at for at, (a, b) in enumerate(zip(word, other)) if a != b]
        if len(differ) != 2:
            return len(differ) == 1
        first, second = differ
        return second == first + 1 and word[first] == other[second] and word[second] == other[first]
    shorter, longer = (word, other) if len(word) < len(other) else (other, word)
    if len(longer) - len(shorter) != 1:
        return False
    at = next((at for at, (a, b) in enumerate(zip(shorter, longer)) if a != b), len(shorter))
    return shorter[at:] == longer[at + 1 :]


def swapped(word: str, pool: list[Group], limit: int) -> list[str]:
    """process.extract(word, the pool's words, scorer=OSA.distance, score_cutoff=1, limit=limit)'s words: the word
    itself, then those one edit away (a swap of neighbours counting one), in the pool's order. One edit changes
    the letters by two at most (a substitution), the length by one at most."""
    mine, length = letters(word), len(word)
    same: list[str] = []
    close: list[str] = []
    for words, bits in pool:
        if not words or abs(length - len(words[0])) > 1:
            continue
        for at in [at for at, other in enumerate(bits) if (mine ^ other).bit_count() <= 2]:
            if words[at] == word:
                same.append(word)
            elif _one_edit(word, words[at]):
                close.append(words[at])
    return (same + close)[:limit]
