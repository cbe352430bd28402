"""Text from notes, tags, reports and file names, made safe to show: control characters become visible symbols,
so a note holding an escape sequence cannot clear the screen or set the clipboard from `note list` or the app.

(The app shows such text through Rich `Text` objects, never as markup, so '[/bold]' in a note is just text.)
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, and the C1 controls: each as its Unicode "control picture" (␛ for ESC).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)
    return "␡" if code == 0x7F else f"\\x{code:02x}"


def visible(text: str, keep_newlines: bool = True) -> str:
    """The text with control characters shown as symbols ('\\x1b' -> '␛'); newlines kept unless asked not to."""
    # A file name that is not UTF-8 arrives with lone surrogates, which no terminal can print: show them as '?'.
    text = _CONTROL.sub(_picture, text).encode("utf-8", "replace").decode("utf-8")
    return text if keep_newlines else text.replace("\r", "␍").replace("\n", " ")


def first_line(text: str | None, width: int | None = None) -> str:
    """A note's summary: its first non-blank line, visible, cut to width. An empty note gives ''."""
    line = next((part.strip() for part in (text or "").splitlines() if part.strip()), "")
    line = visible(line)
    return line if width is None or len(line) <= width else line[: width - 1] + "…"
