"""Text from notes, tags, reports and file names, made safe to show: control characters become visible symbols,
so a note holding an escape sequence cannot clear the screen or set the clipboard from `note list` or the app, and
invisible or direction-changing characters are named, so a note or tag cannot hide or reorder what is shown.

(The app shows such text through Rich `Text` objects, never as markup, so '[/bold]' in a note is just text.)
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, and the C1 controls: each as its Unicode "control picture" (␛ for ESC).
# Then the invisible ones: zero-width space, the bidi marks, embeddings, overrides and isolates, the word joiner and
# invisible operators, the line and paragraph separators (which break a line on some terminals), the BOM, the
# Mongolian vowel separator, as ⟨U+202E⟩. Zero-width joiner and non-joiner are left: emoji and some scripts need them.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f"  # controls
    r"\u061c\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2069\ufeff]"  # invisible
)


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "␡"
    return f"\\x{code:02x}" if code < 0xA0 else f"⟨U+{code:04X}⟩"


def visible(text: str, keep_newlines: bool = True, as_name: bool = False) -> str:
    """The text with control characters shown as symbols ('\\x1b' -> '␛', U+202E -> '⟨U+202E⟩'); newlines kept
    unless asked not to (then a space). A name (of a file, a report) `as_name` shows its newlines and tabs too,
    as '␊' and '␉': a name is one line, and the name shown is the name to type."""
    # A file name that is not UTF-8 arrives with lone surrogates, which no terminal can print: show them as '?'.
    text = _CONTROL.sub(_picture, text).encode("utf-8", "replace").decode("utf-8")
    if as_name:
        return text.replace("\t", "␉").replace("\r", "␍").replace("\n", "␊")
    return text if keep_newlines else text.replace("\r", "␍").replace("\n", " ")


def first_line(text: str | None, width: int | None = None) -> str:
    """A note's summary: its first non-blank line, visible, cut to width. An empty note gives ''."""
    line = next((part.strip() for part in (text or "").splitlines() if part.strip()), "")
    line = visible(line)
    return line if width is None or len(line) <= width else line[: width - 1] + "…"
