"""One table of actions: every key of the app and its main screen is in the command palette under a plain name and
in help, with readable key names; a screen's own keys are in its help."""

from __future__ import annotations

from textual.binding import Binding

from ofsted_reader.tui.app import OfstedReaderApp
from ofsted_reader.tui.commands import ACTIONS
from ofsted_reader.tui.key_names import describe_keys
from ofsted_reader.tui.screens.help import HelpScreen, bindings_table
from ofsted_reader.tui.screens.main.screen import MainScreen

from .conftest import W, make_app, opened_at, settle


def _help_text(screen: HelpScreen) -> str:
    """Every section of the help as it is printed."""
    import io

    from rich.console import Console

    console = Console(width=200, record=True, file=io.StringIO())
    for title, bindings in screen.sections:
        console.print(bindings_table(title, bindings))
    return console.export_text()


def _bindings() -> list[Binding]:
    return [b for b in Binding.make_bindings([*OfstedReaderApp.BINDINGS, *MainScreen.BINDINGS]) if b.id]


def test_every_binding_is_in_the_palette():
    in_palette = {action for _, action, _ in ACTIONS}
    missing = [b.id for b in _bindings() if b.action not in in_palette]
    assert missing == []


def test_key_names_are_readable():
    assert describe_keys("right_parenthesis,left_parenthesis") == ") / ("
    assert describe_keys("full_stop") == "."


async def test_every_binding_is_in_help_and_the_palette_finds_actions_by_plain_names():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = _help_text(app.screen)
        for binding in _bindings():
            if binding.description:
                assert binding.description in text, binding.id
        assert "right_parenthesis" not in text and "full_stop" not in text
        await pilot.press("escape")
        names = " ".join(name.lower() for name, _, _ in ACTIONS)
        for word in ("trend", "trail", "improvement", "memo", "inadequate", "import", "fetch", "original", "about"):
            assert word in names, word


async def test_a_screen_s_own_keys_are_in_its_help():
    async with opened_at(f"{W}/p127", size=(120, 40)) as (app, pilot):
        await settle(pilot)
        await pilot.press("c", "tab", "space", "enter")
        await settle(pilot)
        screen = type(app.screen)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = _help_text(app.screen)
        own = [b for b in Binding.make_bindings(screen.BINDINGS) if b.description]
        assert own and all(b.description in text for b in own)
