"""Text the user or a report wrote, for a dialog's labels: shown as written, never read as Rich markup."""

from __future__ import annotations

from rich.text import Text

from ofsted_reader.core.safe_text import visible


def literal(text: str) -> Text:
    """Text from a note, a tag, a report or a file name, shown as it is: never read as markup."""
    return Text(visible(text))
