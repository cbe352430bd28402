"""Exact and forgiving words, said: quoted words match only themselves, the other spellings taken are named and
counted, every hit can be had and written out, and -word works on the command line."""

from __future__ import annotations

import csv
import io
import re

from textual.widgets import Input, OptionList

from ofsted_reader.tui.screens.search import SearchScreen

from .conftest import make_app, settle


def _rows(cli, *args: str) -> list[dict[str, str]]:
    result = cli("search", *args, "--all", "--csv")
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def _total(cli, *args: str) -> int:
    result = cli("search", *args, "--limit", "1")
    assert result.returncode == 0, result.stderr
    return int(re.match(r"(\d+) paragraphs match", result.stdout).group(1))


async def searched(pilot, words: str) -> SearchScreen:
    """The search screen, `words` typed into it and their results in."""
    await settle(pilot)
    await pilot.press("slash")
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    await pilot.press(*words)
    await settle(pilot)
    return screen


def test_a_quoted_word_matches_only_itself_and_the_forgiving_count_says_what_else_it_took(cli):
    forgiving = cli("search", "exploitation", "--limit", "1")
    assert "also matched: exploration (1)" in forgiving.stdout, forgiving.stdout
    exact = _rows(cli, '"exploitation"')
    assert exact and all(re.search(r"\bexploitation\b", row["text"], re.I) for row in exact)
    everything = _rows(cli, "exploitation")
    assert any("exploitation" not in row["text"].lower() for row in everything)  # the forgiving search took more
    # The counts agree: the exact hits plus those the other spellings brought are the forgiving total.
    assert len(everything) == _total(cli, "exploitation") == len(exact) + 1
    assert len(exact) == _total(cli, '"exploitation"')


def test_a_quoted_phrase_is_its_words_in_order_whole(cli):
    rows = _rows(cli, '"looked after children"')
    assert rows and all(re.search(r"\blooked\W+after\W+children\b", row["text"], re.I) for row in rows)
    assert _total(cli, '"looked after children"') == len(rows)
    assert _total(cli, '"looked after children"') < _total(cli, "looked after children")


def test_search_all_writes_every_hit_as_markdown_with_citations_or_csv(cli, tmp_path):
    total = _total(cli, "placement")
    assert total > 20  # more than the default --limit
    out = tmp_path / "hits.md"
    result = cli("search", "placement", "--all", "-o", out)
    assert result.returncode == 0, result.stderr
    assert f"wrote {total} of {total} hits" in result.stderr
    text = out.read_text()
    assert len(re.findall(r"^## \d+\. ", text, re.M)) == total
    assert "— Ofsted, Warwickshire: Inspection of safeguarding" in text and "## Sources" in text
    assert "also matched: placements" in text
    out_csv = tmp_path / "hits.csv"
    assert cli("search", "placement", "--all", "--csv", "-o", out_csv).returncode == 0
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text())))
    assert len(rows) == total and rows[0]["citation"] and rows[0]["rank"] == "1"


def test_a_search_of_an_excluded_word_alone_works_on_the_command_line(cli):
    result = cli("search", "-exploitation", "--all", "--csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and not any(re.search(r"\bexploitation\b", row["text"], re.I) for row in rows)
    both = cli("search", "-exploitation", "fostering", "--limit", "1")
    assert both.returncode == 0 and "paragraphs match" in both.stdout


def test_the_codebook_filter_reads_words_as_a_quoted_search_does():
    from ofsted_reader.core.coding import PassageFilter

    wanted = PassageFilter.parse('exploitation "looked after"')
    assert wanted.words == [["exploitation"], ["looked", "after"]]


async def test_the_app_says_the_other_spellings_and_one_key_leaves_them_out():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await searched(pilot, "placement")
        status = str(screen.query_one("#search-status").render())
        assert "also matched: placements (23)" in status and "ctrl+t only the words as typed" in status
        everything = screen.total
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert screen.query_one("#search-input", Input).value == '"placement"'
        assert screen.total == everything - 23 and "also matched" not in str(
            screen.query_one("#search-status").render()
        )


async def test_the_app_lists_and_steps_through_every_hit_not_the_best_fifty():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await searched(pilot, "assessment")
        total = screen.total
        assert total > 100
        await pilot.wait_for_scheduled_animations()
        assert len(screen.hits) == total
        await pilot.press("down", "end")  # to the list, then its last hit: more are listed as the cursor nears it
        await settle(pilot)
        results = screen.query_one("#search-results", OptionList)
        for _ in range(5):
            await pilot.press("end")
            await settle(pilot)
        assert results.option_count == total
        await pilot.press("enter")
        await settle(pilot)
        assert len(app.main.hits) == total and app.main.hit_index == total - 1
        await pilot.press("n")
        await pilot.pause()
        assert app.main.hit_index == 0


async def test_the_app_saves_every_hit(tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await searched(pilot, "assessment")
        total = screen.total
        await pilot.press("ctrl+s")
        await settle(pilot)
        field = app.screen.query_one("#prompt-input", Input)
        field.value = str(tmp_path / "all.csv")
        await pilot.press("enter")
        await settle(pilot)
        rows = list(csv.DictReader(io.StringIO((tmp_path / "all.csv").read_text())))
        assert len(rows) == total > 50
