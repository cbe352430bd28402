"""Reading a REFI-QDA codebook (`.qdc`, or the CodeBook of a `.qdpx` project) into codes: each Code's path of names
(its parents' names before its own, joined by '/'), its description and its colour.

The file is input from anywhere: it is read only if it is small enough, and one declaring a DOCTYPE or entities is
refused before parsing (entity expansion is how a few kilobytes of XML become gigabytes). Names are brought to the
app's form of a tag by the caller (store/tags.py), which knows what a tag may be.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .codebook import colour_form

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 20  # nested codes
_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.I)


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
        size = path.stat().st_size
    except FileNotFoundError:
        raise CodebookFileError(f"{path}: no such file; check the path") from None
    if not path.is_file():
        raise CodebookFileError(f"{path}: not a file; give a .qdc codebook or a .qdpx project")
    if size > MAX_BYTES:
        raise CodebookFileError(f"{path}: {size / 2**20:.0f} MB is too big for a codebook (at most 16 MB)")
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                info = archive.getinfo("project.qde")
                if info.file_size > MAX_BYTES:
                    raise CodebookFileError(f"{path}: its project.qde is too big to read (at most 16 MB)")
                return archive.read(info)
        except KeyError:
            raise CodebookFileError(f"{path}: a zip without project.qde, so not a .qdpx project") from None
        except (zipfile.BadZipFile, OSError) as error:
            raise CodebookFileError(f"{path}: cannot be read as a .qdpx project ({error})") from None
    return path.read_bytes()


def read_codebook(path: Path) -> list[ReadCode]:
    """The codes of a `.qdc` file or of a `.qdpx` project's codebook, parents before children."""
    path = Path(path)
    data = _xml_of(path)
    if _DECLARATION.search(data):
        raise CodebookFileError(f"{path}: declares a DOCTYPE or entities, which a codebook never needs; not read")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise CodebookFileError(f"{path}: not valid XML ({error}); give a .qdc codebook or a .qdpx project") from None
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
