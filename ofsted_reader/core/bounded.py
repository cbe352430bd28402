"""Reading a file that comes from outside the app (config.json, keymap.json, a codebook, a backup, a member of a
.qdpx project, a report's PDF) with every cost bounded before it is paid.

- Regular files only, checked on the opened file (a FIFO would hang the read, a link to /dev/zero would fill memory):
  the file is opened without blocking and refused unless fstat says it is a regular file.
- The size cap is counted while reading, never trusted from a declared size (st_size, a zip member's header).
- JSON and XML are decoded to text before any check of their syntax (a UTF-16 file hides `<!ENTITY` from a byte
  search), then parsed with caps on nesting depth and on the count of values or elements.

Every refusal is an InputError whose message says what is wrong and what to do; the caller puts the file's name in
front and turns it into its own error (a store refusal, a report refusal, a config problem).
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where used: reading a report or a setting needs neither (`search` starts quicker)
    import xml.etree.ElementTree as ET
    import zipfile

CHUNK = 1 << 20


class InputError(ValueError):
    """A file from outside that is refused; the message says what is wrong and what to do (without the file name)."""


def size_words(limit: int) -> str:
    """A cap as people say it: '16 MB', '64 KB'."""
    if limit >= 1 << 20:
        return f"{limit / (1 << 20):,.0f} MB"
    return f"{limit / 1024:,.0f} KB"


def too_big(limit: int, what: str) -> InputError:
    # The size read is always past the cap (the read stops there), so say only the cap: "16 MB is too big (at most
    # 16 MB)" told the user nothing.
    return InputError(f"larger than {size_words(limit)}, too big for {what}; check it is the file you meant")


def read_capped(handle: IO[bytes], limit: int, what: str) -> bytes:
    """At most `limit` bytes from an open stream, or too_big: one byte past the cap is read to know, never more."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = handle.read(min(CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise too_big(limit, what)


def open_regular(path: str | Path, what: str) -> IO[bytes]:
    """A regular file opened for reading, checked on the open file (a FIFO is opened without blocking, then refused).
    Raises FileNotFoundError when there is no file (the caller knows whether that is fine), InputError otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise
    except OSError as error:
        if error.errno == errno.ENAMETOOLONG:
            raise InputError("its path is too long for this system; move it to a shorter path") from None
        if error.errno == errno.ENXIO:  # a socket, or a FIFO opened for writing elsewhere
            raise InputError(f"not a regular file (a pipe, socket or device); give {what} as a file") from None
        raise InputError(f"cannot be read ({error.strerror}); check its permissions") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"is a folder; give {what} as a file")
        if not stat.S_ISREG(mode):
            raise InputError(f"not a regular file (a pipe, socket or device); give {what} as a file")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb", closefd=True)
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: str | Path, limit: int, what: str) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, counted while reading. Raises FileNotFoundError when
    there is no file, InputError for anything else wrong."""
    with open_regular(path, what) as handle:
        if os.fstat(handle.fileno()).st_size > limit:  # a regular file's size may refuse early, never accept
            raise too_big(limit, what)
        try:
            return read_capped(handle, limit, what)
        except OSError as error:
            raise InputError(f"cannot be read ({error.strerror}); check its permissions") from None


MAX_CENTRAL_DIRECTORY = 4 * 1024 * 1024  # about 80,000 members: zipfile builds an object for each


def open_zip(handle: IO[bytes], what: str) -> zipfile.ZipFile:
    """A zip archive over an open regular file, its directory of members read only when it is of a sane size (a
    directory of millions of members would take gigabytes before any is read)."""
    import zipfile
    import zlib

    size = handle.seek(0, os.SEEK_END)
    handle.seek(max(0, size - 65_557))
    tail = handle.read()
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) < end + 22:
        raise InputError(f"not a zip archive, so not {what}")
    directory = int.from_bytes(tail[end + 12 : end + 16], "little")
    if directory > MAX_CENTRAL_DIRECTORY or tail[end + 10 : end + 12] == b"\xff\xff":
        raise InputError(f"lists too many members for {what}")
    handle.seek(0)
    try:
        return zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError) as error:
        raise InputError(f"a damaged zip archive ({error}), so not {what}") from None


def read_member(archive: zipfile.ZipFile, name: str, limit: int, what: str) -> bytes:
    """A zip member's bytes, inflated at most to `limit` (the size its header declares is not believed: a member
    that under-declares would inflate to gigabytes before its CRC fails). KeyError when there is no such member."""
    import zipfile
    import zlib

    info = archive.getinfo(name)
    if info.flag_bits & 0x1:
        raise InputError(f"its {name} is encrypted; export the project again without a password")
    try:
        with archive.open(info) as handle:
            return read_capped(handle, limit, what)
    except InputError:
        raise InputError(f"its {name} is larger than {size_words(limit)}, too big for {what}") from None
    except NotImplementedError:
        raise InputError(
            f"its {name} is compressed in a way this app cannot read; export the project again (deflate or stored)"
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, ValueError) as error:
        raise InputError(f"its {name} is damaged ({error}); export the project again") from None


# --- text ---

_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")


def decode(data: bytes, what: str) -> str:
    """Text from bytes by its byte order mark (UTF-8, UTF-16, UTF-32), by the zero bytes of a UTF-16 file without
    one, by an XML declaration's encoding, else UTF-8."""
    boms = (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    codec = next((name for bom, name in boms if data.startswith(bom)), None)
    if codec is None:
        if data[:2] == b"<\x00":
            codec = "utf-16-le"
        elif data[:2] == b"\x00<":
            codec = "utf-16-be"
        else:
            declared = _XML_ENCODING.match(data[:200])
            codec = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        codecs.lookup(codec)
        return data.decode(codec)
    except LookupError:
        raise InputError(f"its encoding {codec!r} is unknown; save it as UTF-8") from None
    except UnicodeDecodeError as error:
        raise InputError(f"not valid {codec} text (byte {error.start}); save it as UTF-8, as {what}") from None


# --- JSON ---


def _check_shape(value: Any, max_depth: int, max_items: int, what: str) -> None:
    """Nesting and the count of values, walked without recursion (a deep file must not blow the stack)."""
    count = 0
    waiting: list[tuple[Any, int]] = [(value, 1)]
    while waiting:
        item, depth = waiting.pop()
        count += 1
        if count > max_items:
            raise InputError(f"holds more than {max_items:,} values, too many for {what}")
        if isinstance(item, (dict, list)):
            if depth > max_depth:
                raise InputError(f"nested more than {max_depth} deep, too deep for {what}")
            children = item.values() if isinstance(item, dict) else item
            waiting.extend((child, depth + 1) for child in children)


def parse_json(data: bytes, what: str, max_depth: int, max_items: int) -> Any:
    """JSON from bytes, decoded first, with nesting and size of the whole capped. orjson refuses nesting past 1,024
    itself (the standard library's parser recurses until the interpreter gives up)."""
    import orjson

    # Every array and object opens with a bracket: a cheap upper bound on the values before any is built.
    if data.count(b"[") + data.count(b"{") > max_items:
        raise InputError(f"holds more than {max_items:,} values, too many for {what}")
    text = decode(data, what)
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        if "recursion" in str(error).lower():
            raise InputError(f"nested more than {max_depth} deep, too deep for {what}") from None
        raise InputError(f"not valid JSON (line {error.lineno}: {error.msg})") from None
    _check_shape(value, max_depth, max_items, what)
    return value


def read_json(path: str | Path, limit: int, what: str, max_depth: int = 32, max_items: int = 100_000) -> Any:
    """A JSON file from outside: a regular file, at most `limit` bytes, decoded, nesting and values capped."""
    return parse_json(read_bytes(path, limit, what), what, max_depth, max_items)


# --- XML ---

_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def parse_xml(
    data: bytes, what: str, max_depth: int, max_elements: int, keep: frozenset[str] | None = None
) -> ET.Element:
    """An XML document from bytes: decoded to text first, then refused if it declares a DOCTYPE or entities (entity
    expansion is how kilobytes become gigabytes), then parsed element by element with caps on depth and count.

    With `keep`, only the root's children of those local names are kept, with all under them: the rest (a project's
    sources and selections, when only its codebook is wanted) is dropped as it is read and not counted."""
    import xml.etree.ElementTree as ET

    text = decode(data, what)
    if _DECLARATION.search(text):
        raise InputError(f"declares a DOCTYPE or entities, which {what} never needs; not read")
    text = _XML_DECL.sub("", text, count=1)  # decoded already: the declared encoding no longer applies
    parser: ET.XMLPullParser = ET.XMLPullParser(events=("start", "end"))
    open_elements: list[tuple[ET.Element, bool]] = []  # from the root down, each with whether it is kept
    elements = 0
    root: ET.Element | None = None
    try:
        for start in range(0, len(text), CHUNK):
            parser.feed(text[start : start + CHUNK])
            for event, element in parser.read_events():  # type: ignore[misc]  # (event, element) for these events
                assert isinstance(element, ET.Element)
                if event == "end":
                    _, kept = open_elements.pop()
                    if not kept and open_elements:
                        del open_elements[-1][0][-1]  # the element just ended is its parent's last child
                    continue
                if len(open_elements) >= max_depth:
                    raise InputError(f"nested more than {max_depth} deep, too deep for {what}")
                if root is None:
                    root = element
                    kept = True
                elif len(open_elements) == 1 and keep is not None:
                    kept = element.tag.rpartition("}")[2] in keep
                else:
                    kept = open_elements[-1][1]
                open_elements.append((element, kept))
                if kept:
                    elements += 1
                    if elements > max_elements:
                        raise InputError(f"holds more than {max_elements:,} elements, too many for {what}")
        parser.close()
    except ET.ParseError as error:
        raise InputError(f"not valid XML ({error})") from None
    if root is None:
        raise InputError("not valid XML (no element)")
    return root
