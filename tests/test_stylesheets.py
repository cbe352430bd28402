"""Each screen's stylesheet beside its module: every screen finds its file, and every file ships with the app. A
screen whose CSS_PATH names a file that is not there, or not in the wheel, fails when the user opens it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import tomllib
from textual.app import App
from textual.screen import Screen

from .conftest import ROOT

TUI = ROOT / "tui"


def _styled_classes() -> list[type[Screen] | type[App]]:
    """The app and every screen and dialog class defined in ofsted_reader.tui that has a CSS_PATH (its own or one it
    inherits)."""
    import ofsted_reader.tui

    found: list[type[Screen] | type[App]] = []
    for module_info in pkgutil.walk_packages(ofsted_reader.tui.__path__, "ofsted_reader.tui."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, (Screen, App))
                and value.__module__ == module.__name__
                and value.CSS_PATH
            ):
                found.append(value)
    return found


def _stylesheet(cls: type[Screen] | type[App]) -> Path:
    """The file Textual reads for the class: CSS_PATH is relative to the file the class (not a base) is defined in."""
    assert isinstance(cls.CSS_PATH, str), f"{cls.__name__}: one stylesheet a screen"
    return (Path(inspect.getfile(cls)).parent / cls.CSS_PATH).resolve()


def test_every_screen_finds_its_stylesheet_and_every_stylesheet_has_a_screen():
    named = {cls.__name__: _stylesheet(cls) for cls in _styled_classes()}
    missing = {name: str(path) for name, path in named.items() if not path.is_file()}
    assert not missing, f"CSS_PATH names a file that is not there: {missing}"
    # A stylesheet no screen names is never read: its rules would silently not apply.
    unread = {p.relative_to(TUI) for p in TUI.rglob("*.tcss")} - {p.relative_to(TUI) for p in named.values()}
    assert not unread, f"no screen reads {sorted(map(str, unread))}"
    assert {"OfstedReaderApp", "MainScreen", "NoteEditor", "MemoEditor"} <= set(named)


def test_every_stylesheet_ships_in_the_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["ofsted_reader.tui"]
    shipped = {path.resolve() for pattern in patterns for path in TUI.glob(pattern)}
    left_out = sorted(str(p.relative_to(TUI)) for p in TUI.rglob("*.tcss") if p.resolve() not in shipped)
    assert not left_out, f"package-data leaves out {left_out}"
