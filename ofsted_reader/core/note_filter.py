"""The notes list's filter, in the one grammar (core.filters): words of a note's text, quote or tags, or of its
authority's name as the tree's filter reads them (`tameside`, `hamersmith`), `#tag` or `tag:x`, `report:`,
`authority:`, `region:`, `year:`, `kind:` (jtai, send, visit, ...), `outcome:`, `is:orphan` / `is:quoted`; `-` before
any of them excludes.
`report:derby` is Derby's notes, never Derbyshire's."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from . import filters
from .notes import Note

FIELDS = ("tag", "report", "authority", "region", "year", "is", "kind", "outcome")
STATES = ("orphan", "quoted")


Check = Callable[[Note], bool]


def note_filter(text: str, entries: Iterable[Any] = ()) -> Check:
    """The test a note must pass; raises FilterError saying what in `text` means nothing."""
    listed = list(entries)
    by_id = {e.id: e for e in listed}
    checks: list[tuple[bool, Check]] = []
    scoped: list[filters.Term] = []
    for term in filters.parse(text, FIELDS):
        wanted = not term.negated
        if term.field is None:
            if term.value.startswith("#"):
                checks.append((wanted, _tagged(term.value[1:].lower())))
                continue
            checks.append((wanted, _words(term.value.lower(), by_id)))
        elif term.field == "tag":
            checks.append((wanted, _tagged(term.value.lstrip("#").lower())))
        elif term.field == "is":
            state = filters.resolve_choice("is", term.value, STATES)
            if state == "orphan":
                checks.append((wanted, lambda n: n.orphan))
            else:
                checks.append((wanted, lambda n: bool(n.span)))
        else:
            scoped.append(term)
    if scoped:
        scope = filters.Scope.of(scoped, listed)

        def in_scope(note: Note) -> bool:
            entry = by_id.get(note.report_id)
            return scope.keeps_entry(entry) if entry is not None else scope.keeps(report_id=note.report_id)

        checks.append((True, in_scope))
    return lambda note: all(check(note) == want for want, check in checks)


def _tagged(tag: str) -> Check:
    return lambda note: tag in note.tags


def _words(word: str, by_id: dict[str, Any]) -> Check:
    """A word of the note's text, quote or tags, or (as the tree's filter reads a name) of its authority's."""

    def holds(note: Note) -> bool:
        if word in note.text.lower() or word in (note.quote or "").lower() or any(word in t for t in note.tags):
            return True
        entry = by_id.get(note.report_id)
        return entry is not None and filters.word_matches(word, getattr(entry, "authority", "") or "")

    return holds
