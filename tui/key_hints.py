"""Key hints in a screen's own words ("esc back", "d deletes") with each key as the user has it: a key remapped in
keymap.json shows remapped, as it does in the key bar and in help."""

from __future__ import annotations

import re

from rich.text import Text
from textual.dom import DOMNode

from .key_names import describe_keys
from .keymap import declared_keys


def key_of(node: DOMNode, binding_id: str, every: bool = False) -> str:
    """The key bound to `binding_id` (keymap.json's, else the one declared) as help names it ('esc', '↓', 'F1'): the
    first of its keys, or with `every` all of them ('j / ↓')."""
    remapped: dict[str, str] = getattr(node.app, "keymap", {})
    keys = remapped.get(binding_id) or declared_keys()[binding_id]
    if not every:
        keys = keys.split(",")[0]
    return re.sub(r"\bf(\d+)\b", r"F\1", describe_keys(keys))


def hint_line(node: DOMNode, *pieces: tuple[str, str], between: str = "  ") -> Text:
    """A line of hints, each (its keys, what they do). Keys are binding ids, space-separated when several share a
    hint ("authority.down authority.up"), or "=enter" for a key no binding of ours names (a list's enter)."""
    text = Text()
    for i, (keys, what) in enumerate(pieces):
        if i:
            text.append(between)
        shown = [key[1:] if key.startswith("=") else key_of(node, key) for key in keys.split()]
        text.append(" ".join(shown), style="bold")
        if what:
            text.append(f" {what}")
    return text
