"""What a search finds: the indexed paragraph (Doc), a ranked Hit, and a search's result with its total.

Named tuples, not dataclasses: `ofsted-reader search` imports nothing else that needs dataclasses, whose import
(inspect, ast, dis) was a tenth of its time."""

from __future__ import annotations

from typing import NamedTuple

from ofsted_reader.core.grades import grade_name
from ofsted_reader.core.search.text import snippet
from ofsted_reader.core.vocabulary import Framework, Service


class Doc(NamedTuple):
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


class Hit(NamedTuple):
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


class SearchResult(NamedTuple):
    """One search's answer: the best hits, and how many paragraphs matched in all. Returned, never kept on the
    index: searches overlap (the app runs each keystroke's in a thread of its own)."""

    hits: tuple[Hit, ...]
    total: int  # paragraphs that matched, of which `hits` are the best
    # Other spellings the forgiving words took, with how many paragraphs were found only through each, and the word
    # typed: (spelling, count, typed), most first. Quoting the words leaves them out.
    also: tuple[tuple[str, int, str], ...] = ()
    unknown: frozenset[str] = frozenset()  # words typed that no paragraph has: their spellings are all there is

    @property
    def other_spellings(self) -> bool:
        """Whether quoting the words would leave some hits out (a typo's spellings are all it found)."""
        return any(typed not in self.unknown for _, _, typed in self.also)

    def also_said(self, most: int = 4) -> str:
        """'also matched: exploration (37), exploited (5)'; a word no paragraph has is said as read: 'read privte as
        private (3)'; '' when every hit has the words as typed."""
        other = [(term, count) for term, count, typed in self.also if typed not in self.unknown]
        read = [(term, count, typed) for term, count, typed in self.also if typed in self.unknown]
        said = []
        if read:
            by_word: dict[str, list[str]] = {}
            for term, count, typed in read:
                by_word.setdefault(typed, []).append(f"{term} ({count})")
            said += [f"read {typed} as {', '.join(terms[:most])}" for typed, terms in by_word.items()]
        if other:
            shown = ", ".join(f"{term} ({count})" for term, count in other[:most])
            more = f" and {len(other) - most} more" if len(other) > most else ""
            said.append(f"also matched: {shown}{more}")
        return "; ".join(said)


NO_RESULT = SearchResult((), 0)


def haystack(doc: Doc) -> str:
    """The paragraph's words as phrases and tie-breakers look for them: its items too, lowered, one apostrophe."""
    return " ".join([doc.text, *doc.items]).lower().replace("’", "'")


def grade_label(doc: Doc) -> str:
    return grade_name(doc.grade, doc.framework) if doc.grade else ""
