"""England by grade: every authority's latest grade for one judgement, on a map of terminal cells with a London inset
(ofsted_reader.core.national_map holds the cells and the cursor's moves).

Each cell shows a letter per grade (O G R I; `-` no grade for this judgement, `?` not in the library) on the grade's
colour, so the map reads without colour too. The cursor's authority is drawn reversed on both the map and the inset,
its name and grades beside them. Enter posts `OpenAuthority` for the app to open its overview.
"""

from __future__ import annotations

import re
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Static

from ofsted_reader.core import authorities, national_map
from ofsted_reader.core.dates import long_date
from ofsted_reader.core.grades import grade_name
from ofsted_reader.core.judgements import SEND_KEY, SEND_LETTERS
from ofsted_reader.core.latest import COLUMNS, compact_word
from ofsted_reader.core.national_map import Grid, Place
from ofsted_reader.core.safe_text import visible
from ofsted_reader.core.visits import theme_label
from ofsted_reader.tui.widgets import date_control
from ofsted_reader.tui.widgets.key_bar import KeyBar
from ofsted_reader.tui.widgets.library_tree import BADGE_STYLES, KIND_BADGES, SEND_STYLES, send_badge

CURSOR_STYLE = "bold underline #ffffff on #8e24aa"  # purple: no grade's colour; underlined, for no colour at all
LETTER_STYLES = {
    "O": BADGE_STYLES[1],
    "G": BADGE_STYLES[2],
    "R": BADGE_STYLES[3],
    "A": BADGE_STYLES[3],
    "I": BADGE_STYLES[4],
    national_map.NO_GRADE: "#9e9e9e on #424242",
    national_map.NOT_IN_LIBRARY: "#9e9e9e on #303030",
    national_map.FILTERED_OUT: "#616161",
    **{letter: SEND_STYLES[outcome] for outcome, letter in SEND_LETTERS.items()},  # the area SEND layer's
}
NARROW = 100  # terminal columns below which grades are short words ("RI")
SIDE_MIN = 40  # columns the inset and the panel beside the map need at least


def _darker(style: str, shade: int) -> str:
    """The style with its background darkened by 12% a shade, so neighbouring authorities of one grade part."""
    if not shade or " on #" not in style:
        return style
    head, colour = style.rsplit(" on #", 1)
    channels = [int(colour[i : i + 2], 16) for i in (0, 2, 4)]
    factor = 1 - 0.12 * shade
    return f"{head} on #" + "".join(f"{round(v * factor):02x}" for v in channels)


SHADED = {(letter, shade): _darker(style, shade) for letter, style in LETTER_STYLES.items() for shade in (0, 1, 2)}
STYLES = {key: Style.parse(style) for key, style in SHADED.items()}  # parsed once: the map has thousands of cells
CURSOR = Style.parse(CURSOR_STYLE)


def judgement_bindings(screen: str) -> list[Binding]:
    """Keys 1-5 choose a judgement (overall, leaders, help and protection, in care, care leavers), ] and [ step."""
    return [
        Binding("right_square_bracket", "judgement(1)", "Judgement", id=f"{screen}.next_judgement"),
        Binding(
            "left_square_bracket", "judgement(-1)", "Prev judgement", show=False, id=f"{screen}.previous_judgement"
        ),
        *[
            Binding(str(n), f"choose_judgement({n - 1})", key, show=False, id=f"{screen}.judgement_{n}")
            for n, (key, _) in enumerate(COLUMNS, 1)
        ],
    ]


def layer_bindings(screen: str) -> list[Binding]:
    """The judgements' keys, and 6 for the latest area SEND outcome: a layer of its own."""
    return [
        *judgement_bindings(screen),
        Binding("6", f"choose_judgement({len(COLUMNS)})", "SEND", show=False, id=f"{screen}.send_outcome"),
    ]


class MapView(Widget):
    """One grid of cells (the whole map or the London inset), drawn from the screen's state line by line: a row is
    a few segments (cells of one style run together), made again only when the state changes (a Text of every cell
    took 170 ms a key at 160x48)."""

    DEFAULT_CSS = "MapView { width: auto; height: auto; background: $background; }"

    def __init__(self, grid: Grid, focusable: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.grid = grid
        self.can_focus = focusable
        self._strips: list[Strip] | None = None

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self.grid.cols

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.grid.rows

    def changed(self, layout: bool = False) -> None:
        self._strips = None
        self.refresh(layout=layout)

    def _build(self) -> list[Strip]:
        screen = self.screen
        assert isinstance(screen, MapScreen)
        lines = national_map.letters(self.grid, screen.places, screen.judgement, screen.wanted)
        shades = national_map.shades(self.grid)
        strips = []
        for line, owners in zip(lines, self.grid.owners):
            segments: list[Segment] = []
            run, run_style = "", None
            for char, code in zip(line, owners):
                if code is None:
                    style = None
                elif code == screen.cursor:
                    style = CURSOR
                else:
                    style = STYLES[char, shades.get(code, 0)]
                if style is not run_style and run:
                    segments.append(Segment(run, run_style))
                    run = ""
                run_style = style
                run += char
            if run:
                segments.append(Segment(run, run_style))
            strips.append(Strip(segments, len(line)))
        return strips

    def render_line(self, y: int) -> Strip:
        if self._strips is None:
            self._strips = self._build()
        return self._strips[y] if y < len(self._strips) else Strip.blank(self.size.width)


class MapScreen(date_control.DateControl, Screen[None]):
    """The map, the London inset and the cursor's authority; escape goes back."""

    CSS_PATH = "map.tcss"
    HELP_TITLE = "Map of England"

    BINDINGS = [
        Binding("escape", "back", "Back", id="map.back"),
        Binding("enter,o", "open", "Overview", id="map.open"),
        Binding("h,left", "move('left')", "Move", show=False, id="map.left"),
        Binding("l,right", "move('right')", "Move", show=False, id="map.right"),
        Binding("k,up", "move('up')", "Move", show=False, id="map.up"),
        Binding("j,down", "move('down')", "Move", show=False, id="map.down"),
        *layer_bindings("map"),
        Binding("r", "region", "Region", id="map.region"),
        Binding("n", "neighbours", "Neighbours", id="map.neighbours"),
        Binding("f,slash", "filter", "Find", id="map.filter"),
        Binding("t", "trends", "Trends", id="map.trends"),
        *date_control.date_bindings("map"),
    ]

    class OpenAuthority(Message):
        def __init__(self, authority: str):
            super().__init__()
            self.authority = authority

    class OpenTrends(Message):
        pass

    def __init__(self, entries: list):
        super().__init__()
        self.judgement = "overall"
        self.region_filter: str | None = None
        self.neighbours_of: str | None = None
        self.wanted: set[str] | None = None
        self.cursor: str | None = None
        self.set_entries(entries)

    def set_entries(self, entries: list) -> None:
        """The library as it is now: the map is made once and refilled (the library may have grown since)."""
        self.entries = entries
        self.places: dict[str, Place] = national_map.places(entries, self.as_at)
        if self.cursor not in self.places:
            self.cursor = national_map.first(self.places)
        if self.is_mounted:
            self.redraw()

    def compose(self) -> ComposeResult:
        england, london = self._grids(self.app.size.width, self.app.size.height)
        yield Static(id="map-title")
        with Horizontal(id="map-body"):
            yield MapView(england, focusable=True, id="map-england")
            with Vertical(id="map-side"):
                yield Static(Text("London", style="bold"), id="map-london-label")
                yield MapView(london, id="map-london")
                yield Static(id="map-info")
                yield Static(id="map-legend")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#map-england").focus()
        self.redraw()

    @staticmethod
    def _grids(width: int, height: int) -> tuple[Grid, Grid]:
        body = height - 3  # title, key bar and a line to spare
        england = national_map.fitting(national_map.england_grids(), body, max(width - SIDE_MIN - 1, 20))
        london = national_map.fitting(national_map.london_grids(), body // 2 - 2, width - england.cols - 2)
        return england, london

    def on_resize(self, event: Resize) -> None:
        england, london = self._grids(event.size.width, event.size.height)
        views = self.query_one("#map-england", MapView), self.query_one("#map-london", MapView)
        if (views[0].grid, views[1].grid) != (england, london):  # the first resize, at mount, changes nothing
            views[0].grid, views[1].grid = england, london
            self.redraw(layout=True)

    # --- drawing ---

    def redraw(self, layout: bool = False) -> None:
        for view in self.query(MapView):
            view.changed(layout=layout)
        self.query_one("#map-title", Static).update(self._title())
        self.query_one("#map-info", Static).update(self._info())
        self.query_one("#map-legend", Static).update(self._legend())

    def _title(self) -> Text:
        text = Text(" England: latest inspections ", style="bold")
        text.append_text(date_control.label(self, "map", self.as_at))
        text.append(f" · {national_map.JUDGEMENT_NAMES[self.judgement]} ", style="bold")
        text.append("(1-5 [ ] judgement)", style="dim")
        filters = []
        if self.region_filter:
            filters.append(f"region {self.region_filter}")
        if self.neighbours_of:
            found = authorities.by_code(self.neighbours_of)
            filters.append(f"neighbours of {found.name if found else self.neighbours_of}")
        if filters:
            text.append(" · showing " + ", ".join(filters), style="italic")
        return text

    def _info(self) -> Text:
        place = self.places.get(self.cursor or "")
        if place is None:
            return Text("No authority here", style="dim")
        text = Text(visible(place.authority.name), style="bold")
        text.append(f"  {place.authority.region}", style="dim")
        if place.then is not None:
            text.append(f"\nThen {visible(place.then.name)}", style="italic")
        row = place.row
        if place.send is not None:  # the area SEND outcome: its own line, never among the grades
            chosen = self.judgement == SEND_KEY
            text.append(f"\n{'▸' if chosen else ' '} {'Area SEND outcome':<18} ", style="bold" if chosen else "")
            text.append_text(send_badge(place.send.grades)).append(f" {long_date(place.send.inspected or '')}")
        if row is None:
            return text.append("\nNo inspection in the library", style="dim")
        visits = [
            e
            for e in self.entries
            if e.authority_code == place.code and e.report_type != "inspection" and (e.inspected or "") > row.date
        ]
        text.append(f"\nInspected {long_date(row.date)} ({row.framework.upper()})")
        if visits:
            themes = ", ".join(
                KIND_BADGES.get(e.report_type, "").strip()
                if e.report_type in {"jtai", "area_send"}
                else theme_label(e.theme) or "visit"
                for e in visits
            )
            text.append(f"; {len(visits)} visit{'s' if len(visits) > 1 else ''} since: {themes}", style="dim")
        narrow = self.app.size.width < NARROW
        for key, header in COLUMNS:
            grade = row.grade(key)
            mark = "*" if row.combined_care and key in {"in_care", "care_leavers"} else ""
            chosen = key == self.judgement
            text.append(f"\n{'▸' if chosen else ' '} {header:<18}", style="bold" if chosen else "")
            word = (compact_word(grade, row.framework) if narrow else grade_name(grade, row.framework)) if grade else ""
            text.append(f" {word}{mark} " if grade else " not graded ", style=BADGE_STYLES[grade] if grade else "dim")
        if row.combined_care:
            text.append("\n* children in care and care leavers judged together", style="dim")
        return text

    def _legend(self) -> Text:
        counts = national_map.counts(self.places, self.judgement, self.wanted)
        shown = [
            (letter, name)
            for letter, name in national_map.legend(self.judgement) + [("A", "adequate")]
            if letter != "A" or counts["A"]
        ]
        text = Text()
        for letter, _ in shown:
            text.append(f" {letter} ", style=LETTER_STYLES[letter]).append(f"{counts[letter]}  ")
        if self.wanted is not None:
            text.append(f"{national_map.FILTERED_OUT} ", style=LETTER_STYLES[national_map.FILTERED_OUT])
            text.append(f"filtered out {len(self.places) - len(self.wanted & set(self.places))}")
        short = {
            "requires improvement": "req. improvement",
            "no grade for this judgement": "no overall grade (2026 framework): 2 leaders"
            if self.judgement == "overall" and counts[national_map.NO_GRADE]
            else "no grade",
            "no inspection in the library": "not in library",
            "no area SEND inspection in the library": "not in library",
        }
        text.append("\n" + " · ".join(f"{letter} {short.get(name, name)}" for letter, name in shown), style="dim")
        return text

    # --- keys ---

    def _among(self) -> list[str]:
        return [code for code in self.places if self.wanted is None or code in self.wanted]

    def action_move(self, direction: str) -> None:
        if self.cursor is not None:
            self.cursor = national_map.step(self.cursor, direction, self._among())
            self.redraw()

    def action_open(self) -> None:
        if isinstance(self.focused, Input):  # the find box or the date box: enter is theirs
            return
        place = self.places.get(self.cursor or "")
        if place is not None:
            self.post_message(self.OpenAuthority(place.authority.name))

    def action_judgement(self, step: int) -> None:
        keys = national_map.LAYERS
        self.judgement = keys[(keys.index(self.judgement) + step) % len(keys)]
        self.redraw()

    def action_choose_judgement(self, index: int) -> None:
        self.judgement = national_map.LAYERS[index]
        self.redraw()

    def _apply(self, region: str | None, neighbours_of: str | None) -> None:
        try:
            wanted = national_map.selection(region, neighbours_of)
        except ValueError as error:
            self.notify(str(error).capitalize(), severity="warning")
            return
        self.region_filter, self.neighbours_of, self.wanted = region, neighbours_of, wanted
        if wanted is not None and self.cursor not in wanted:
            self.cursor = national_map.first(c for c in self.places if c in wanted) or self.cursor
        self.redraw()

    def action_region(self) -> None:
        """The next region, in the order of names; after the last, every region again."""
        regions = sorted({p.authority.region for p in self.places.values() if p.authority.region})
        following = regions[regions.index(self.region_filter) + 1 :] if self.region_filter in regions else regions
        self._apply(following[0] if following else None, self.neighbours_of)

    def action_neighbours(self) -> None:
        """The cursor's authority and its statistical neighbours; again, every authority."""
        self._apply(self.region_filter, None if self.neighbours_of else self.cursor)

    def _filter_box(self) -> Input | None:
        found = self.query("#map-filter")
        return found.first(Input) if found else None

    def action_filter(self) -> None:
        """The box to type in is made on first use: an Input was a tenth of the time to open the map."""
        box = self._filter_box()
        if box is None:
            box = Input(placeholder="a name to find; region:london, neighbours:barnsley (enter)", id="map-filter")
            self.mount(box, before=self.query_one(KeyBar))
        box.display = True
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == date_control.INPUT_ID:
            if self.as_at_typed(event.value):
                self.query_one("#map-england").focus()
            return
        text = event.value
        region = re.search(r"region:(\"[^\"]+\"|\S+)", text)
        neighbours = re.search(r"neighbours?:(\"[^\"]+\"|\S+)", text)
        words = re.sub(r"(region|neighbours?):(\"[^\"]+\"|\S+)", " ", text).strip()
        centre = None
        if neighbours:
            centre = authorities.identify(neighbours.group(1).strip('"').replace("-", " "))
            if centre is None:
                self.notify(f"No authority called {neighbours.group(1)!r}", severity="warning")
                return
        self._apply(region.group(1).strip('"').replace("-", " ") if region else None, centre.code if centre else None)
        if words:
            found = authorities.identify(words) or next(
                (p.authority for p in self.places.values() if words.lower() in p.authority.name.lower()), None
            )
            if found is None or found.code not in self.places:
                self.notify(f"No authority called {words!r}", severity="warning")
            else:
                self.cursor = found.code
                self.redraw()
        self._close_filter()

    def _close_filter(self) -> None:
        box = self._filter_box()
        if box is not None:
            box.display = False
        self.query_one("#map-england").focus()

    def action_trends(self) -> None:
        self.post_message(self.OpenTrends())

    def as_at_changed(self) -> None:
        self.set_entries(self.entries)

    def action_back(self) -> None:
        if self.focused is not None and self.focused is self._filter_box():
            self._close_filter()
        elif isinstance(self.focused, Input) and self.focused.id == date_control.INPUT_ID:
            self.focused.display = False
            self.query_one("#map-england").focus()
        elif self.wanted is not None:
            self._apply(None, None)
        else:
            self.app.pop_screen()
