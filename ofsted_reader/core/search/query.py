"""A search's query: words, phrases, exclusions and filters, read in the one filter grammar (core.filters)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ofsted_reader.core import filters
from ofsted_reader.core.search.text import tokens
from ofsted_reader.core.vocabulary import Framework, Service

FILTER_NAMES = (
    "report",
    "authority",
    "region",
    "service",
    "section",
    "grade",
    "framework",
    "year",
    "tag",
    "is",
    "kind",
    "outcome",
)


class Query:
    """A search as typed, in the one filter grammar (core.filters): words, "phrases", -exclusions, and filters.

    Paragraph-side filters (grade, service, section, framework, tag, is:annotated) are fields the index asks of its
    store; report-side ones (authority, region, report, year) are `scope`, resolved against the library's entries
    into the report ids allowed. Anything that cannot mean anything is in `problems` (and `unknown`, for a field
    that is none): searching such a query raises FilterError with it, rather than answer "no matches".

    A plain class, not a dataclass: `ofsted-reader search` imports nothing else that needs dataclasses, whose
    import (inspect, ast, dis) was a tenth of its time."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.report: str | None = None  # unused since the filter grammar: report-side filters are `scope`
        self.authority: str | None = None
        self.service: Service | None = None
        self.section: str | None = None
        self.grade: int | None = None
        self.framework: Framework | None = None
        self.tag: str | None = None
        self.annotated = False
        self.phrases: list[list[str]] = []  # "quoted words", found together in this order
        self.exact: list[str] = []  # quoted words: this word, whole, any case; no other spelling
        self.excluded: list[str] = []  # -word: no paragraph that has it
        self.unknown: list[str] = []  # name: that is no filter ('servce:'), said, not searched
        self.problems: list[str] = []  # values that mean nothing (grade:9), said, not searched
        self.scope: list[filters.Term] = []  # report-side terms, resolved by allowed_reports()
        self.without: list[Query] = []  # -grade:4 and the like: paragraphs none of these allow
        self.not_tags: list[str] = []
        self.not_annotated = False
        self.report_ids: frozenset[str] | None = None  # what `scope` allows, once resolved

    def __eq__(self, other: object) -> bool:
        return type(other) is Query and vars(self) == vars(other)

    def __repr__(self) -> str:
        return f"Query({', '.join(f'{name}={value!r}' for name, value in vars(self).items())})"

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
                if term.quoted:
                    query.exact += [w for w in words if w not in query.exact]
                    if len(words) > 1:
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


def exact_toggled(text: str) -> str:
    """The query with every free word quoted, so only the words as typed match (the other spellings a forgiving
    search took are left out); a query whose words are all quoted already gets them back unquoted."""
    terms = filters.parse(text)
    free = [term for term in terms if term.field is None and not term.negated]
    quote = any(not term.quoted for term in free)
    parts = []
    for term in terms:
        if term in free:
            parts.append(f'"{term.value}"' if quote else term.value)
        else:
            parts.append(str(term))
    return " ".join(parts)
