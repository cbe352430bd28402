"""Keys as people read them: help, the key hints and the command palette all name keys this one way."""

from __future__ import annotations

import unicodedata

KEY_NAMES = {
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "space": "space",
    "question_mark": "?",
    "slash": "/",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "apostrophe": "'",
    "colon": ":",
    "escape": "esc",
    "enter": "enter",
    "less_than_sign": "<",
    "greater_than_sign": ">",
    "full_stop": ".",
    "comma": ",",
}


def key_name(key: str) -> str:
    """A key as people read it: 'esc', '/', ')' (Textual calls it 'right_parenthesis'), 'ctrl+n'."""
    if key in KEY_NAMES:
        return KEY_NAMES[key]
    if len(key) > 1 and "_" in key:
        try:
            return unicodedata.lookup(key.replace("_", " ").upper())
        except KeyError:
            pass
    return key


def describe_keys(keys: str) -> str:
    names = []
    for key in keys.split(","):
        parts = key.strip().split("+")
        names.append("+".join(key_name(p) for p in parts))
    return " / ".join(names)
