"""keymap.json: users remap keys by binding id ({"app.copy": "c", "reader.next": "j,down"}).

A file that cannot be used whole is not ignored in silence: what is wrong is said once, as a warning, and what can
be used still applies (an unknown id or a value that is not keys is left out, the other entries kept).
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode

from ofsted_reader.core.bounded import InputError, read_json

MAX_KEYMAP_BYTES = 256 * 1024  # a keymap is a few hundred lines
MAX_KEYMAP_ENTRIES = 2_000  # every binding id there is, with room
EXAMPLE = '{"app.copy": "c", "reader.next": "j,down"}'


@dataclass
class Keymap:
    """The entries that apply, and what was wrong with the file (None when nothing was)."""

    keys: dict[str, str] = field(default_factory=dict)
    problem: str | None = None


def binding_ids() -> set[str]:
    """Every binding id of the app's screens and widgets (and of Textual's own, should it give any). Each module of
    the package is imported first: some screens are imported only when first opened."""
    package = __name__.rpartition(".")[0]
    for module in pkgutil.iter_modules(importlib.import_module(package).__path__):
        importlib.import_module(f"{package}.{module.name}")
    return {binding.id for cls in node_classes() for binding in declared_bindings(cls) if binding.id}


def node_classes() -> set[type[DOMNode]]:
    """Every screen, widget and app class loaded: DOMNode's subclasses, and theirs."""
    found: set[type[DOMNode]] = set()
    waiting: list[type[DOMNode]] = [DOMNode]
    while waiting:
        cls = waiting.pop()
        if cls not in found:
            found.add(cls)
            waiting.extend(cls.__subclasses__())
    return found


def declared_bindings(cls: type[DOMNode]) -> list[Binding]:
    """The bindings a class declares itself (not those it inherits), one per key."""
    return list(Binding.make_bindings(vars(cls).get("BINDINGS", [])))


def read_keymap(path: Path) -> Keymap:
    """The remapped keys in the file at `path` (none when it does not exist), with what is wrong with it said in one
    message: the file, what is wrong, what to do."""
    try:
        loaded = read_json(path, MAX_KEYMAP_BYTES, "a keymap", max_depth=4, max_items=MAX_KEYMAP_ENTRIES)
    except FileNotFoundError:
        return Keymap()
    except InputError as error:
        return Keymap(
            problem=f"{path}{_joined(error)} {error}, so no key is remapped. "
            f"Write it as binding id to keys, like {EXAMPLE}, or remove it."
        )
    if not isinstance(loaded, dict):
        return Keymap(
            problem=f"{path} is not an object of binding id to keys, so no key is remapped. Write it like {EXAMPLE}."
        )
    known = binding_ids()
    keys: dict[str, str] = {}
    unknown: list[str] = []
    not_keys: list[str] = []
    for binding_id, value in loaded.items():
        if binding_id not in known:
            unknown.append(binding_id)
        elif not isinstance(value, str) or not value.strip():
            not_keys.append(binding_id)
        else:
            keys[binding_id] = value
    problems = []
    if unknown:
        # A near id is suggested for the first few only: difflib over 100,000 unknown ids took a minute to start.
        said = ", ".join(_unknown(binding_id, known) for binding_id in unknown[:5])
        if len(unknown) > 5:
            said += f" and {len(unknown) - 5:,} more"
        problems.append(f"no key has the id {said}")
        if not keys and not not_keys:
            problems[-1] += " (ids look like app.copy or reader.next)"
    if not_keys:
        problems.append(f'{", ".join(repr(i) for i in not_keys)} should map to keys as text, like "c" or "j,down"')
    if not problems:
        return Keymap(keys)
    rest = "the other entries apply" if keys else "no key is remapped"
    return Keymap(keys, f"{path}: {'; '.join(problems)}. Those entries are left out; {rest}. Fix them in the file.")


def _joined(error: InputError) -> str:
    """'keymap.json is not valid JSON', 'keymap.json: cannot be read'."""
    return " is" if str(error).startswith("not ") else ":"


def _unknown(binding_id: str, known: set[str]) -> str:
    """An unknown id as said, with the id it is most likely a slip for."""
    close = difflib.get_close_matches(binding_id, known, n=1)
    return f"{binding_id!r} (did you mean {close[0]!r}?)" if close else repr(binding_id)


@cache
def declared_keys() -> dict[str, str]:
    """Every binding id with its keys as its class declares them ("j,down"), before keymap.json."""
    binding_ids()  # every screen loaded
    keys: dict[str, str] = {}
    for cls in node_classes():
        for binding in vars(cls).get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.id:
                keys[binding.id] = binding.key
    return keys
