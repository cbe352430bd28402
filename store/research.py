"""What the codebook screen, `codebook` and `export --qdpx` share: the library's facts about each report for coded
retrieval, the REFI-QDA project and codebook of the notes, and importing a codebook file into the store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ofsted_reader.core import authorities
from ofsted_reader.core.coding import ReportFacts, unknown_facts
from ofsted_reader.core.model import Report
from ofsted_reader.core.qda_export import ProjectInput, QdaExport, build_project, codebook_xml
from ofsted_reader.core.qdc_import import CodebookFileError, read_codebook
from ofsted_reader.store.library.library import Library
from ofsted_reader.store.notes.annotations import AnnotationStore, now
from ofsted_reader.store.notes.tags import tag_form

from .errors import StoreError


def facts_lookup(library: Library) -> Callable[[str], ReportFacts]:
    """Each report's facts by id, from the library's entries (no report is loaded)."""
    known = {entry.id: ReportFacts.of(entry) for entry in library.entries()}
    return lambda report_id: known.get(report_id) or unknown_facts(report_id)


def authority_name(key: str) -> str:
    """An authority named by its DfE code (or by its printed name, for one not in the LA table)."""
    found = authorities.by_code(key)
    return found.name if found else key


def authority_key(name: str) -> str | None:
    """How a memo names an authority typed by a person ('Derby', 'derby', '831'): its DfE code; None if unknown."""
    found = authorities.by_code(name.strip()) or authorities.identify(name)
    return found.code if found else None


def loader(library: Library) -> Callable[[str], Report | None]:
    def load(report_id: str) -> Report | None:
        try:
            return library.find(report_id)
        except (OSError, ValueError, KeyError):
            return None

    return load


def project(
    library: Library, store: AnnotationStore, tag: str | None = None, reports: list[str] | None = None
) -> QdaExport:
    """The notes (and memos) as a `.qdpx` project, in memory: the caller writes it atomically."""
    if store.damaged:
        raise StoreError(f"annotations file {store.damaged}; nothing was exported")
    wanted = store.resolve_tag(tag) if tag else None
    given = ProjectInput(
        notes=store.all(),
        memos=store.memos(),
        codes=store.codes(),
        load=loader(library),
        facts=facts_lookup(library),
        authority_name=authority_name,
        created=now(),
        tag=wanted,
        reports=reports,
    )
    return build_project(given)


def codebook_file(store: AnnotationStore) -> bytes:
    """The codebook as a `.qdc`: every tag in use and every entry."""
    if store.damaged:
        raise StoreError(f"annotations file {store.damaged}; nothing was exported")
    return codebook_xml(store.codes(), [tag for tag, _ in store.tags()])


def import_codebook(store: AnnotationStore, path: Path) -> dict[str, Any]:
    """A `.qdc` (or a `.qdpx` project's codebook) into the codebook, in one write: the counts, and the names that
    were brought to the app's form of a tag ({as in the file: as imported}). Nothing changes if any code is bad."""
    try:
        read = read_codebook(path)
    except CodebookFileError as error:
        raise StoreError(f"{error}; nothing was imported") from None
    except OSError as error:
        raise StoreError(f"{path}: cannot be read ({error.strerror or error}); nothing was imported") from None
    codes, renamed, problems = [], {}, []
    for code in read:
        written = "/".join(code.path)
        tag = tag_form(written)
        if tag is None or tag.count("/") != len(code.path) - 1:
            problems.append(written[:60])
            continue
        if tag != written:
            renamed[written] = tag
        codes.append({"tag": tag, "description": code.description, "colour": code.colour})
    if problems:
        listing = ", ".join(repr(p) for p in problems[:3]) + (
            f" and {len(problems) - 3} more" if len(problems) > 3 else ""
        )
        raise StoreError(f"{path}: {len(problems)} codes cannot be tags ({listing}); nothing was imported")
    return {**store.import_codes(codes), "renamed": renamed}
