"""The as-at date of the grades table (M) and the map (E): each authority's latest judgements on a day, today unless
changed. `,` and `.` step it a year back or forward (never past today), `d` types a date (YYYY-MM-DD; empty or
"today" for today). Shared here so both screens take the same keys, with ids a keymap.json can remap.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

from ofsted_reader.core.dates import short_date
from ofsted_reader.core.latest import BadDate, as_at_date, current_day
from ofsted_reader.tui.key_hints import key_of

from .key_bar import KeyBar

INPUT_ID = "as-at-input"


def date_bindings(screen: str) -> list[Binding]:
    return [
        Binding("comma", "as_at_step(-1)", "Year earlier", id=f"{screen}.year_earlier"),
        Binding("full_stop", "as_at_step(1)", "Year later", show=False, id=f"{screen}.year_later"),
        Binding("d", "as_at_type", "As at date", id=f"{screen}.as_at"),
    ]


def stepped(day: dt.date | None, step: int, today: dt.date | None = None) -> dt.date | None:
    """The same day a year earlier or later (28 February for a 29th in a common year); None (today) from a step that
    reaches today or beyond."""
    now = today or current_day()
    start = day or now
    year = start.year + step
    try:
        moved = start.replace(year=year)
    except ValueError:
        moved = start.replace(year=year, day=28)
    return None if moved >= now else moved


def typed(text: str) -> dt.date | None:
    """A typed date (None for today); BadDate for one that is none, or after today."""
    value = text.strip().lower()
    if value in ("", "today"):
        return None
    day = as_at_date(value)
    return None if day >= current_day() else day


def label(screen: Screen, prefix: str, day: dt.date | None) -> Text:
    """'as at 31 Mar 2024', or 'today', with the keys that change it ('(, . a year, d a date)')."""
    text = Text(f"as at {short_date(day.isoformat())}" if day else "today", style="bold reverse" if day else "bold")
    years = f"{key_of(screen, f'{prefix}.year_earlier')} {key_of(screen, f'{prefix}.year_later')}"
    return text.append(f" ({years} a year, {key_of(screen, f'{prefix}.as_at')} a date)", style="dim")


class DateControl:
    """What a screen with an as-at date does: it keeps `as_at` (None: today) and redraws in `as_at_changed`."""

    as_at: dt.date | None = None

    def as_at_changed(self) -> None:
        raise NotImplementedError

    def action_as_at_step(self, step: int) -> None:
        self.as_at = stepped(self.as_at, step)
        self.as_at_changed()

    def action_as_at_type(self) -> None:
        """The box to type in is made on first use, as the map's find box is."""
        screen = self._screen()
        found = screen.query(f"#{INPUT_ID}")
        box = found.first(Input) if found else None
        if box is None:
            box = Input(placeholder="as at YYYY-MM-DD (empty: today), enter", id=INPUT_ID)
            screen.mount(box, before=screen.query_one(KeyBar))
        box.value = ""
        box.display = True
        box.focus()

    def as_at_typed(self, value: str) -> bool:
        """Handle the date box's enter: True when the date was taken (the box then closes), False when it is no date
        (said in one notification; the box stays to be put right)."""
        screen = self._screen()
        try:
            day = typed(value)
        except BadDate as error:
            screen.notify(str(error).capitalize(), severity="warning")
            return False
        self.as_at = day
        screen.query_one(f"#{INPUT_ID}", Input).display = False
        self.as_at_changed()
        return True

    def _screen(self) -> Screen:
        assert isinstance(self, Screen)
        return self
