"""Fuzzy search across the library: typo tolerant, word-order free, best paragraph first.

Two stages, as measured in shared/FACTS.md: each query word is matched against the vocabulary (exactly, as a
prefix, or fuzzily with rapidfuzz), which gives candidate paragraphs from an inverted index; only those are
scored. Brute-force partial_ratio over every paragraph took 150-750 ms at 100k paragraphs; this stays in the
tens of milliseconds. The index is built once per library state and cached on disk.
"""

from __future__ import annotations

import bisect
import heapq
import pickle
import re
from array import array
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .grades import grade_name
from .model import Report

TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
INDEX_VERSION = 1


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
    framework: str
    service: str | None
    text: str
    items: list[str]


FILTER_NAMES = ("report", "authority", "service", "section", "grade", "framework", "tag", "is")
FIELD = re.compile(r"^([a-z]+):(.*)$", re.I)
PART = re.compile(r'-?"[^"]*"?|\S+')


@dataclass
class Query:
    words: list[str] = field(default_factory=list)
    report: str | None = None
    authority: str | None = None
    service: str | None = None
    section: str | None = None
    grade: int | None = None
    framework: str | None = None
    tag: str | None = None
    annotated: bool = False
    phrases: list[list[str]] = field(default_factory=list)  # "quoted words", found together in this order
    excluded: list[str] = field(default_factory=list)  # -word: no paragraph that has it
    unknown: list[str] = field(default_factory=list)  # name: that is no filter ('servce:'), said, not searched

    @classmethod
    def parse(cls, text: str) -> Query:
        """'grade:4 tag:evidence privte fostering "care leavers" -adoption' -> filters, words, a phrase, an
        exclusion."""
        query = cls()
        for part in PART.findall(text):
            if part.startswith('-') and len(part) > 1:
                query.excluded += tokens(part[1:])
                continue
            if part.startswith('"'):
                words = tokens(part.strip('"'))
                query.words += words
                if len(words) > 1:
                    query.phrases.append(words)
                continue
            match = FIELD.match(part)
            if not match:
                query.words += tokens(part)
                continue
            key, value = match.group(1).lower(), match.group(2)
            if key not in FILTER_NAMES:
                query.unknown.append(f"{key}:")
                continue
            if not value:
                continue
            if key == "grade":
                from .grades import grade_from_word

                query.grade = int(value) if value.isdigit() else grade_from_word(value)
            elif key == "is":
                query.annotated = value.lower() in ("annotated", "noted", "note")
            elif key == "tag":
                query.tag = value.lstrip("#").lower()
            else:
                setattr(query, key, value.lower())
        return query

    @property
    def has_filters(self) -> bool:
        return any([self.report, self.authority, self.service, self.section, self.grade, self.framework, self.tag,
                    self.annotated])


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
            "paragraph_id": self.doc.paragraph_id, "report_id": self.doc.report_id, "authority": self.doc.authority,
            "number": self.doc.number, "section": self.doc.section, "grade": self.doc.grade,
            "score": round(self.score, 1), "text": self.doc.text, "items": self.doc.items, "snippet": self.snippet,
        }


# The field's abbreviations, searched both ways: "MASH" finds "multi-agency safeguarding hub" and the reverse.
ABBREVIATIONS = {
    "mash": "multi agency safeguarding hub", "lado": "local authority designated officer",
    "uasc": "unaccompanied asylum seeking children", "cin": "children in need", "cp": "child protection",
    "cla": "children looked after", "lac": "looked after children", "iro": "independent reviewing officer",
    "pep": "personal education plan", "ehcp": "education health and care plan", "dols": "deprivation of liberty",
    "cse": "child sexual exploitation", "cce": "child criminal exploitation", "plo": "public law outline",
    "sgo": "special guardianship order", "lscb": "local safeguarding children board", "yot": "youth offending team",
    "camhs": "child and adolescent mental health services", "neet": "not in education employment or training",
    "dcs": "director of children's services", "sw": "social worker", "ihc": "initial health checks",
}
STOP = {"of", "and", "in", "or", "the", "for", "to", "a"}
EXPANSIONS = {abbreviation: [w for w in tokens(words) if w not in STOP] for abbreviation, words in ABBREVIATIONS.items()}
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
    return ("…" if start else "") + chosen[start:start + width].rsplit(" ", 1)[0].strip() + "…"


def _graded_ancestor(report: Report, section_id: str | None) -> int | None:
    section = report.section(section_id)
    while section is not None:
        if section.grade:
            return section.grade
        section = report.section(section.parent)
    return None


class SearchIndex:
    def __init__(self, docs: list[Doc], postings: dict[str, array]):
        self.docs = docs
        self.postings = postings
        self.vocabulary = sorted(postings)
        self.by_length: dict[int, list[str]] = {}
        for word in self.vocabulary:
            self.by_length.setdefault(len(word), []).append(word)
        self._lower: dict[int, str] = {}
        self._sets: dict[str, set[int]] = {}
        self.notes: dict[str, list[dict]] = {}
        self.note_postings: dict[str, set[int]] = {}
        self.position = {doc.paragraph_id: i for i, doc in enumerate(docs)}
        self.last_total = 0

    def lower(self, index: int) -> str:
        """A paragraph's searchable text in lower case, made when first needed (start-up stays light)."""
        text = self._lower.get(index)
        if text is None:
            doc = self.docs[index]
            text = self._lower[index] = " ".join([doc.text, *doc.items]).lower().replace("’", "'")
        return text

    # --- building ---

    @classmethod
    def build(cls, reports: list[Report]) -> SearchIndex:
        docs: list[Doc] = []
        postings: dict[str, list[int]] = {}
        for report in reports:
            titles = {s.id: s.title for s in report.sections}
            for paragraph in report.paragraphs:
                index = len(docs)
                docs.append(Doc(
                    paragraph.id, report.id, report.authority, paragraph.number, paragraph.section,
                    titles.get(paragraph.section), _graded_ancestor(report, paragraph.section), report.framework,
                    report.service_of(paragraph.section), paragraph.text, list(paragraph.items),
                ))
                words = set(tokens(" ".join([paragraph.text, *paragraph.items, titles.get(paragraph.section) or ""])))
                for word in words:
                    postings.setdefault(word, []).append(index)
        return cls(docs, {word: array("I", ids) for word, ids in postings.items()})

    def dumps(self) -> bytes:
        return pickle.dumps((INDEX_VERSION, self.docs, self.postings), protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def loads(cls, data: bytes) -> SearchIndex | None:
        try:
            version, docs, postings = pickle.loads(data)
        except Exception:  # a damaged cache is rebuilt, never fatal
            return None
        return cls(docs, postings) if version == INDEX_VERSION else None

    def set_notes(self, notes: list[dict]) -> None:
        """Notes and tags are searched too; they change while the app runs, so they are indexed apart."""
        self.notes = {}
        self.note_postings = {}
        for note in notes:
            if note.get("orphan") or note.get("paragraph_id") not in self.position:
                continue
            self.notes.setdefault(note["paragraph_id"], []).append(note)
            doc = self.position[note["paragraph_id"]]
            for word in tokens(" ".join([note.get("text") or "", *note.get("tags", [])])):
                self.note_postings.setdefault(word, set()).add(doc)

    # --- matching ---

    def _terms(self, word: str) -> dict[str, float]:
        """Vocabulary words a query word stands for, with how well they match (1.0 exact)."""
        found: dict[str, float] = {}
        vocabulary = self.vocabulary
        if word in self.postings or word in self.note_postings:
            found[word] = 1.0
        if len(word) >= 3:  # a partial word: "fost" finds fostering
            start = bisect.bisect_left(vocabulary, word)
            for candidate in vocabulary[start:start + 200]:
                if not candidate.startswith(word):
                    break
                found.setdefault(candidate, 0.9)
        if len(word) >= 4:
            cutoff = 80 if len(word) >= 6 else 85
            pool = [w for length in range(len(word) - 2, len(word) + 3) for w in self.by_length.get(length, [])]
            for candidate, score, _ in process.extract(word, pool, scorer=fuzz.ratio, score_cutoff=cutoff, limit=12):
                found.setdefault(candidate, score / 100 * 0.9)
            # Two letters swapped ("mutli") is one edit, not two: ratio alone misses short words.
            for candidate, _, _ in process.extract(word, pool, scorer=OSA.distance, score_cutoff=1, limit=12):
                found.setdefault(candidate, 0.8)
            for candidate in self.note_postings:
                if candidate not in found:
                    score = fuzz.ratio(word, candidate, score_cutoff=cutoff)
                    if score:
                        found[candidate] = score / 100 * 0.9
        return found

    def _docs_of(self, term: str) -> set[int]:
        """A term's paragraphs as a set, kept for the next keystroke (typing re-asks the same terms)."""
        docs = self._sets.get(term)
        if docs is None:
            docs = set(self.postings.get(term, ()))
            if len(self._sets) >= 512:
                self._sets.pop(next(iter(self._sets)))
            self._sets[term] = docs
        return docs

    def _allowed(self, doc: Doc, query: Query, index: int) -> bool:
        if query.report and not doc.report_id.startswith(query.report):
            return False
        if query.authority and query.authority not in doc.authority.lower():
            return False
        if query.service and (doc.service or "") != query.service and not (doc.service or "").startswith(query.service):
            return False
        if query.section and query.section not in (doc.section or "").lower():
            return False
        if query.grade and doc.grade != query.grade:
            return False
        if query.framework and doc.framework != query.framework:
            return False
        notes = self.notes.get(doc.paragraph_id, [])
        if query.annotated and not notes:
            return False
        if query.tag and not any(query.tag in note.get("tags", []) for note in notes):
            return False
        return True

    def _slots(self, words: list[str]) -> list[list[list[str]]]:
        """Each query word, or run of words, as a slot of alternatives any one of which may match: "head teacher"
        is also "headteacher" and the reverse; an abbreviation is also its words and its words the abbreviation."""
        postings, notes = self.postings, self.note_postings
        slots: list[list[list[str]]] = []
        i = 0
        while i < len(words):
            expanded = next(((abbreviation, len(parts)) for abbreviation, parts in EXPANSIONS.items()
                             if len(parts) > 1 and [w for w in words[i:i + len(parts) + 2] if w not in STOP][:len(parts)]
                             == parts), None)
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
            if i + 1 < len(words) and (word + words[i + 1] in postings or word + words[i + 1] in notes):
                # "head teacher" -> "headteacher"
                slots.append([[word, words[i + 1]], [word + words[i + 1]]])
                i += 2
                continue
            alternatives = [[word]]
            if word in EXPANSIONS:
                alternatives.append(EXPANSIONS[word])
            if word not in postings and word not in notes and len(word) >= 6:  # "headteacher" -> "head teacher"
                alternatives += [[word[:k], word[k:]] for k in range(3, len(word) - 2)
                                 if word[:k] in postings and word[k:] in postings][:2]
            slots.append(alternatives)
            i += 1
        return slots

    def search(self, text: str | Query, limit: int = 20) -> list[Hit]:
        """The best `limit` hits; `self.last_total` says how many paragraphs matched in all."""
        query = text if isinstance(text, Query) else Query.parse(text)
        self.last_total = 0
        words = [w for w in query.words if len(w) >= 2] or query.words
        if not words:
            if not query.has_filters:
                return []
            hits = [Hit(doc, 0.0, []) for i, doc in enumerate(self.docs) if self._allowed(doc, query, i)]
            self.last_total = len(hits)
            return hits[:limit]
        slots = self._slots(words)
        # Per word: the documents each matching term covers, best match first. Set operations run in C; at 127k
        # paragraphs a Python loop over the postings of a common prefix took most of a second.
        groups_of: dict[str, list[tuple[float, str, set[int]]]] = {}
        for word in {w for slot in slots for alternative in slot for w in alternative}:
            groups = []
            for term, weight in self._terms(word).items():
                docs = self._docs_of(term)
                if term in self.note_postings:
                    docs = docs | self.note_postings[term]
                if docs:
                    groups.append((weight, term, docs))
            groups.sort(key=lambda group: -group[0])
            groups_of[word] = groups
        covered_word = {w: set().union(*(g[2] for g in groups)) if groups else set() for w, groups in groups_of.items()}
        covered = [set().union(*(set.intersection(*(covered_word[w] for w in alternative)) for alternative in slot))
                   for slot in slots]
        candidates = set.intersection(*covered) if covered else set()
        missing_penalty = 0.0
        if not candidates and len(slots) > 1:
            # Nothing has every word: rank what has most of them, below any complete match.
            counts: dict[int, int] = {}
            for docs in covered:
                for doc in docs:
                    counts[doc] = counts.get(doc, 0) + 1
            most = max(counts.values(), default=0)
            candidates = {doc for doc, count in counts.items() if count == most}
            missing_penalty = 30.0
        for word in query.excluded:
            candidates -= self._docs_of(word) | self.note_postings.get(word, set())
        if query.has_filters:
            candidates = {i for i in candidates if self._allowed(self.docs[i], query, i)}
        for phrase in query.phrases:
            pattern = re.compile(r"\b" + r"\W+".join(map(re.escape, phrase)) + r"\b")
            candidates = {i for i in candidates if pattern.search(self.lower(i))}
        self.last_total = len(candidates)
        # Each candidate's best weight and term per word, assigned group by group, best first.
        best_weight: dict[str, dict[int, float]] = {}
        best_term: dict[str, dict[int, str]] = {}
        for word, groups in groups_of.items():
            weights: dict[int, float] = {}
            terms: dict[int, str] = {}
            remaining = candidates & covered_word[word]
            for weight, term, docs in groups:
                hits = remaining & docs
                for doc in hits:
                    weights[doc], terms[doc] = weight, term
                remaining -= hits
                if not remaining:
                    break
            best_weight[word], best_term[word] = weights, terms
        weight_sum: dict[int, float] = dict.fromkeys(candidates, 0.0)
        matched: dict[int, list[str]] = {doc: [] for doc in candidates}
        for slot in slots:
            if len(slot) == 1 and len(slot[0]) == 1:  # one word, the usual case: no per-document choice to make
                word = slot[0][0]
                terms_of = best_term[word]
                for doc, weight in best_weight[word].items():
                    weight_sum[doc] += weight
                    matched[doc].append(terms_of[doc])
                continue
            for doc in candidates:
                options = [(sum(best_weight[w][doc] for w in alternative) / len(alternative), alternative)
                           for alternative in slot if all(doc in best_weight[w] for w in alternative)]
                if options:
                    weight, alternative = max(options, key=lambda pair: pair[0])
                    weight_sum[doc] += weight
                    matched[doc] += [best_term[w][doc] for w in alternative]
        # Only the best few hundred get the costlier tie-breakers.
        best = heapq.nlargest(max(limit * 10, 200), candidates, key=lambda doc: (weight_sum[doc], -doc))
        scored = []
        for doc_index in best:
            doc = self.docs[doc_index]
            terms = matched[doc_index]
            score = 100.0 * weight_sum[doc_index] / len(slots) - missing_penalty
            haystack = self.lower(doc_index)
            # Tie-breakers: the matched words as a phrase ("privte fostering" -> "private fostering"), then how
            # often they occur, then shorter text.
            if len(terms) > 1 and " ".join(terms) in haystack:
                score += 8
            occurrences = sum(haystack.count(term) for term in set(terms))
            score += min(occurrences, 10) * 0.5 - len(haystack) / 20000
            if doc.section and any(term in doc.section.lower() for term in terms):
                score += 2
            scored.append(Hit(doc, score, sorted(set(terms))))
        scored.sort(key=lambda hit: (-hit.score, hit.doc.report_id, hit.doc.number or 0))
        return scored[:limit]


def grade_label(doc: Doc) -> str:
    return grade_name(doc.grade, doc.framework) if doc.grade else ""
