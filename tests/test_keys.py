"""Keys users can remap: every binding has an id, keymap.json is read (and what is wrong with it said), and the key
hints show the keys as remapped."""

from __future__ import annotations

import json

import pytest

from ofsted_reader.tui.keymap import binding_ids, declared_bindings, node_classes

from .conftest import W, make_app, open_at, told


def tui_classes() -> list[type]:
    binding_ids()  # imports every module of the app, so every screen and widget class is loaded
    return sorted((c for c in node_classes() if c.__module__.startswith("ofsted_reader.tui")), key=str)


def test_every_binding_of_the_app_has_an_id_so_keymap_json_can_remap_it():
    missing = [
        f"{cls.__module__}.{cls.__qualname__}: {binding.key} -> {binding.action}"
        for cls in tui_classes()
        for binding in declared_bindings(cls)
        if not binding.id
    ]
    assert not missing, "bindings without an id (give each one, as 'screen.action'):\n" + "\n".join(missing)


def test_no_key_of_a_screen_runs_two_actions_so_every_binding_can_be_reached():
    """Two bindings of one class on one key: only the first ever runs (the trends screen and "code with" were both
    given T on the main screen by two changes made side by side)."""
    clashes = []
    for cls in tui_classes():
        seen: dict[str, str] = {}
        for binding in declared_bindings(cls):
            for key in binding.key.split(","):
                key = key.strip()
                if key in seen and seen[key] != binding.action:
                    clashes.append(f"{cls.__qualname__}: {key} -> {seen[key]} and {binding.action}")
                seen.setdefault(key, binding.action)
    assert not clashes, "\n".join(clashes)


def test_no_two_bindings_share_an_id_so_a_keymap_entry_means_one_thing():
    actions: dict[str, set[str]] = {}
    for cls in tui_classes():
        for binding in declared_bindings(cls):
            if binding.id:
                actions.setdefault(binding.id, set()).add(binding.action)
    shared = {binding_id: acts for binding_id, acts in actions.items() if len(acts) > 1}
    assert not shared, f"one id for several actions: {shared}"
    assert len(actions) > 100  # the walk found the app's screens, not an empty set


def write_keymap(home, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "keymap.json").write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('{"app.bookmark": "b",', "is not valid JSON (line 1"),
        ('["app.bookmark", "b"]', "is not an object of binding id to keys"),
    ],
)
async def test_a_keymap_that_cannot_be_read_is_said_and_the_app_starts(isolated_home, text, said):
    write_keymap(isolated_home, text)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        [warning] = told(app, "warning")
        assert said in warning and str(isolated_home / "keymap.json") in warning
        assert "no key is remapped" in warning
        await open_at(pilot, f"{W}/p71")
        await pilot.press("m")  # the default key still bookmarks
        assert f"{W}/p71" in app.state.bookmarks


async def test_unknown_ids_in_the_keymap_are_said_and_the_valid_entries_still_apply(isolated_home):
    write_keymap(isolated_home, json.dumps({"app.bookmrk": "z", "app.bookmark": "b", "reader.next": 3}))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        [warning] = told(app, "warning")  # one notification for everything wrong
        assert "'app.bookmrk' (did you mean 'app.bookmark'?)" in warning
        assert "'reader.next' should map to keys as text" in warning
        assert "the other entries apply" in warning and str(isolated_home / "keymap.json") in warning
        await open_at(pilot, f"{W}/p71")
        await pilot.press("b")  # the valid entry applies
        assert f"{W}/p71" in app.state.bookmarks


async def test_a_good_keymap_says_nothing(isolated_home):
    write_keymap(isolated_home, json.dumps({"app.bookmark": "b"}))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert told(app, "warning") == []


async def test_key_hints_show_keys_as_remapped_in_keymap_json(isolated_home):
    from ofsted_reader.tui.screens.authority import AuthorityScreen
    from ofsted_reader.tui.widgets.notes_panel import NotesPanel

    write_keymap(
        isolated_home,
        json.dumps({"authority.trail": "T", "authority.delete_memo": "x", "notes.delete": "D", "app.help": "f2"}),
    )
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.main.show_authority("Derby")
        await pilot.pause()
        assert isinstance(app.screen, AuthorityScreen)
        keys = str(app.screen.query_one("#authority-keys").render())
        assert "T trail" in keys and "i trail" not in keys
        assert "F2 keys" in keys and "F1" not in keys
        assert "esc back" in keys and "j k move" in keys  # the keys not remapped, as they were
        assert "x deletes" in str(app.screen.query_one("#authority-memos-label").render())
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NotesPanel)
        help_line = str(app.screen.query_one(".dialog-help").render())
        assert "D delete" in help_line and "d delete" not in help_line
