"""Importing files and folders into the library, with each file's outcome: what `ofsted-reader import` prints and
what the app's import dialog shows. A replaced report's notes are re-anchored to its new text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ofsted_reader.core.model import Report
from ofsted_reader.core.vocabulary import Framework
from ofsted_reader.importers import ReportError, report_files

from .library import Library


@dataclass
class Outcome:
    file: str
    status: str  # "imported", "replaced" or "refused"
    report_id: str | None = None
    authority: str | None = None
    authority_code: str | None = None
    framework: Framework | None = None
    date: str | None = None  # how the report is dated for people
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # why a file was refused: the importer's one line, naming the file
    reason: str | None = None  # the same without the file's name
    notes: tuple[int, int, int] | None = None  # a replaced report's notes: in place, moved, orphaned

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"file": self.file, "status": self.status}
        if self.status == "refused":
            body["error"] = self.reason or self.error
            return body
        body.update(
            report_id=self.report_id,
            authority=self.authority,
            authority_code=self.authority_code,
            framework=self.framework,
            warnings=list(self.warnings),
        )
        if self.notes is not None:
            kept, moved, orphaned = self.notes
            body["notes"] = {"in_place": kept, "moved": moved, "orphaned": orphaned}
        return body


def warning_kind(warning: str) -> str:
    """'authority not identified: 'X' is not in ...' -> 'authority not identified': warnings counted by kind."""
    return warning.split(":", 1)[0].split(" (", 1)[0]


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    counts = {kind: sum(o.status == kind for o in outcomes) for kind in ("imported", "replaced", "refused")}
    kinds: dict[str, int] = {}
    for outcome in outcomes:
        for kind in sorted({warning_kind(w) for w in outcome.warnings}):
            kinds[kind] = kinds.get(kind, 0) + 1
    return {**counts, "with_warnings": sum(bool(o.warnings) for o in outcomes), "warnings": kinds}


def summary_line(outcomes: list[Outcome]) -> str:
    totals = summary(outcomes)
    detail = "".join(
        f"; {n} {kind}" for kind, n in sorted(totals["warnings"].items(), key=lambda pair: (-pair[1], pair[0]))
    )
    return (
        f"{totals['imported']} imported, {totals['replaced']} replaced, {totals['refused']} refused; "
        f"{totals['with_warnings']} with warnings{detail}"
    )


def files_of(paths: list[str]) -> tuple[list[Path], list[Outcome]]:
    """The report files under these paths, and an outcome for each path that does not exist."""
    files: list[Path] = []
    missing: list[Outcome] = []
    for given in paths:
        path = Path(given).expanduser()
        if not path.exists():
            reason = "no such file or directory"
            missing.append(Outcome(given, "refused", error=f"{given}: {reason}; check the path", reason=reason))
            continue
        problems: list[str] = []
        files += report_files(path, problems)
        missing += [Outcome(given, "refused", error=problem, reason=problem) for problem in problems]
    return files, missing


def import_file(
    library: Library, file: Path, reanchor: Callable[[Report, Report | None], tuple[int, int, int]] | None
) -> Outcome:
    """One file into the library (saved by the caller, once per batch); a refusal is an outcome, not an error."""
    from ofsted_reader.core.citation import dated

    try:
        report, replaced = library.import_file(file, save=False)
    except ReportError as error:
        return Outcome(str(file), "refused", error=str(error), reason=error.reason)
    outcome = Outcome(
        str(file),
        "replaced" if replaced else "imported",
        report.id,
        report.authority,
        report.authority_code,
        report.framework,
        dated(report),
        list(report.warnings),
    )
    if replaced and reanchor is not None:
        outcome.notes = reanchor(report, library.previous_version(report.id))
    return outcome


def notes_reanchorer() -> Callable[[Report, Report | None], tuple[int, int, int]]:
    """Re-anchors a replaced report's notes (the notes store is opened on the first replacement only)."""
    store = None

    def reanchor(report: Report, previous: Report | None) -> tuple[int, int, int]:
        nonlocal store
        if store is None:
            from ofsted_reader.store.notes.annotations import AnnotationStore

            store = AnnotationStore()
        return store.reanchor_report(report, previous)

    return reanchor
