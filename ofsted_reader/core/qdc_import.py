"""Reading a REFI-QDA codebook (`.qdc`, or the CodeBook of a `.qdpx` project) into codes: each Code's path of names
(its parents' names before its own, joined by '/'), its description and its colour.

The file is input from anywhere, read by core/bounded.py: a regular file, at most 16 MB read (a zip member's
declared size is not believed), decoded to text before it is checked, refused if it declares a DOCTYPE or entities
(entity expansion is how a few kilobytes of XML become gigabytes), and parsed with caps on depth and elements. Names
are brought to the app's form of a tag by the caller (store/notes/tags.py), which knows what a tag may be.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from .bounded import InputError, open_regular, open_zip, parse_xml, read_capped, read_member
from .codebook import colour_form

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 20  # nested codes
MAX_ELEMENTS = 200_000  # a codebook's codes and descriptions (a project's sources and notes are not kept)
WHAT = "a codebook"


class CodebookFileError(ValueError):
    """The file is not a codebook this app can read; the message says what and what to do."""


@dataclass
class ReadCode:
    path: list[str]  # the names from the top code down
    description: str
    colour: str | None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _xml_of(path: Path) -> bytes:
    try:
        with open_regular(path, WHAT) as handle:
            if handle.read(4) != b"PK\x03\x04":
                handle.seek(0)
                return read_capped(handle, MAX_BYTES, WHAT)
            with open_zip(handle, "a .qdpx project") as archive:
                return read_member(archive, "project.qde", MAX_BYTES, WHAT)
    except FileNotFoundError:
        raise CodebookFileError(f"{path}: no such file; check the path") from None
    except KeyError:
        raise CodebookFileError(f"{path}: a zip without project.qde, so not a .qdpx project") from None
    except InputError as error:
        raise CodebookFileError(f"{path}: {error}") from None
    except OSError as error:
        raise CodebookFileError(f"{path}: cannot be read ({error.strerror or error})") from None


def read_codebook(path: Path) -> list[ReadCode]:
    """The codes of a `.qdc` file or of a `.qdpx` project's codebook, parents before children."""
    path = Path(path)
    data = _xml_of(path)
    # Codes nest at most MAX_DEPTH deep; a project wraps them in Project, CodeBook, Codes, and a Code's Description.
    try:
        root = parse_xml(data, WHAT, MAX_DEPTH * 2 + 8, MAX_ELEMENTS, keep=frozenset({"CodeBook", "Codes"}))
    except InputError as error:
        raise CodebookFileError(f"{path}: {error}; give a .qdc codebook or a .qdpx project") from None
    if _local(root.tag) == "Project":
        root = next((child for child in root if _local(child.tag) == "CodeBook"), ET.Element("CodeBook"))
    if _local(root.tag) != "CodeBook":
        raise CodebookFileError(f"{path}: its root is <{_local(root.tag)}>, not a REFI-QDA <CodeBook>")
    codes: list[ReadCode] = []
    holder = next((child for child in root if _local(child.tag) == "Codes"), None)
    if holder is None:
        raise CodebookFileError(f"{path}: a CodeBook without <Codes>; nothing to import")

    def walk(element: ET.Element, above: list[str]) -> None:
        if len(above) >= MAX_DEPTH:
            raise CodebookFileError(f"{path}: codes nested more than {MAX_DEPTH} deep")
        for child in element:
            if _local(child.tag) != "Code":
                continue
            name = (child.get("name") or "").strip()
            if not name:
                raise CodebookFileError(f"{path}: a Code without a name (under {'/'.join(above) or 'the top'})")
            description = next((d.text or "" for d in child if _local(d.tag) == "Description"), "")
            colour = colour_form(child.get("color") or "") if child.get("color") else None
            codes.append(ReadCode([*above, name], description.strip(), colour))
            walk(child, [*above, name])

    walk(holder, [])
    return codes
