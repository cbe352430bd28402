"""The codebook (C): every code as a tree with its notes, reports and authorities; the passages of the code under
the cursor across every report, each with its citation (enter opens it); a filter by grade, section grade, region,
framework, year or authority; two codes' co-occurrence (w); a table of codes by authority, region, grade,
framework or year (T); and the codebook's own edits: describe (e), colour (C), rename or move with its children (r).

Counts come from what the library knows of each report without loading it; the passages of the code shown load
their reports (the store caches them). Enter on a passage posts `OpenParagraph` for the app to open.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ofsted_reader.core.codebook import colour_of, depth, leaf, tree_order
from ofsted_reader.core.coding import (
    CoOccurrence,
    Counts,
    Passage,
    PassageFilter,
    co_coded,
    co_occurrence,
    coded,
    codes_of,
    passages,
    tag_counts,
)
from ofsted_reader.core.notes import Note
from ofsted_reader.core.safe_text import first_line, visible
from ofsted_reader.host import locations
from ofsted_reader.store import research
from ofsted_reader.store.atomic import write_atomic
from ofsted_reader.store.errors import StoreError
from ofsted_reader.store.library.library import Library
from ofsted_reader.store.notes.annotations import AnnotationStore
from ofsted_reader.store.notes.tags import clean_tags
from ofsted_reader.tui.dialogs.chooser import Chooser
from ofsted_reader.tui.dialogs.prompt import Prompt
from ofsted_reader.tui.notes_changed import NotesChange, notes_signal, publish_notes_changed
from ofsted_reader.tui.screens.code_table import CodeTableScreen
from ofsted_reader.tui.widgets.key_bar import KeyBar
from ofsted_reader.tui.widgets.list_moves import ListMoves

SHOWN_PASSAGES = 300  # options in the passage list before "narrow with the filter" (OptionList slows past ~1k)
QUOTE_SHOWN = 480  # characters of a passage shown


class CodebookScreen(ListMoves, Screen[None]):
    CSS_PATH = "codebook.tcss"
    HELP_TITLE = "Codebook"
    BINDINGS = [
        Binding("escape", "back", "Back", id="codebook.back"),
        Binding("f,slash", "filter", "Filter", id="codebook.filter"),
        Binding("w", "with_code", "Co-occurrence", id="codebook.cooccur"),
        Binding("T", "table", "Table", id="codebook.table"),
        Binding("e", "describe", "Describe", id="codebook.describe"),
        Binding("C", "colour", "Colour", id="codebook.colour", show=False),
        Binding("r", "rename", "Rename/move", id="codebook.rename"),
        Binding("x", "export", "Export .qdpx", id="codebook.export", show=False),
        Binding("j", "down", "Down", show=False, id="codebook.down"),
        Binding("k", "up", "Up", show=False, id="codebook.up"),
    ]

    class OpenParagraph(Message):
        def __init__(self, report_id: str, paragraph_id: str | None):
            super().__init__()
            self.report_id = report_id
            self.paragraph_id = paragraph_id

    def __init__(self, library: Library, store: AnnotationStore):
        super().__init__()
        self.library = library
        self.store = store
        self.facts = research.facts_lookup(library)
        self.load = research.loader(library)
        self.wanted = PassageFilter()
        self.code: str | None = None  # the code under the cursor
        self.second: str | None = None  # the code its co-occurrence is shown with
        self.shown: list[Passage] = []

    def compose(self) -> ComposeResult:
        yield Static(id="codebook-title")
        yield Input(
            placeholder="Filter (f): grade:4 section-grade:3 region:london framework:ilacs 2019 authority:derby words",
            id="codebook-filter",
        )
        with Horizontal(id="codebook-body"):
            yield OptionList(id="codebook-codes")
            with Vertical(id="codebook-right"):
                yield Static(id="codebook-heading")
                yield OptionList(id="codebook-passages")
        yield KeyBar()

    def on_mount(self) -> None:
        if self.store.damaged:
            self.notify(f"Notes are read-only: annotations file {self.store.damaged}", severity="error", timeout=15)
        self.refill()
        self.query_one("#codebook-codes").focus()
        notes_signal(self).subscribe(self, self._notes_changed)

    def on_unmount(self) -> None:
        notes_signal(self).unsubscribe(self)

    def _notes_changed(self, change: NotesChange) -> None:
        """Notes changed on disk (the command line, another window): the codes and passages counted anew."""
        if change.by is not self:
            self.refill()

    # --- filling ---

    def _notes(self) -> list[Note]:
        """The notes the filter keeps by what the library knows of their reports (no report loaded)."""
        return [n for n in self.store.all() if self.wanted.keeps_facts(self.facts(n.report_id))]

    def refill(self, keep: str | None = None) -> None:
        notes = self._notes()
        codes = self.store.codes()
        counts = tag_counts(notes, self.facts)
        tags = tree_order(set(counts) | set(codes) | {tag for n in self.store.all() for tag in codes_of(n)})
        listing = self.query_one("#codebook-codes", OptionList)
        keep = keep or self.code
        listing.clear_options()
        header = Text(f"{'code':<20}{'notes':>5}{'rep':>4}{'LAs':>4}", style="bold")
        listing.add_option(Option(header, disabled=True))
        for tag in tags:
            count = counts.get(tag, Counts(0, 0, 0))
            line = Text.assemble(("■ ", colour_of(tag, codes)))
            name = "  " * depth(tag) + visible(leaf(tag))
            line.append(f"{name[:18]:<18}", style="bold" if depth(tag) == 0 else "")
            line.append(f"{count.notes:>5}{count.reports:>4}{count.authorities:>4}", style="" if count.notes else "dim")
            listing.add_option(Option(line, id=tag))
        if not tags:
            listing.add_option(
                Option(
                    Text("No codes yet: tag a note (t), nesting with '/': practice/supervision", "dim"), disabled=True
                )
            )
        ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        if keep is not None and keep in ids:
            listing.highlighted = ids.index(keep)
        elif len(ids) > 1:
            listing.highlighted = 1
        total = len(self.store.all())
        title = Text(" Codebook ", style="bold")
        title.append(f"· {len(tags)} codes · {total} notes", style="dim")
        if len(notes) != total:
            title.append(f" · {len(notes)} kept by the filter", style="dim")
        self.query_one("#codebook-title", Static).update(title)
        self._show_code(listing.highlighted_option.id if listing.highlighted_option else None)

    def _show_code(self, tag: str | None) -> None:
        self.code = tag
        heading = self.query_one("#codebook-heading", Static)
        listing = self.query_one("#codebook-passages", OptionList)
        listing.clear_options()
        self.shown = []
        if tag is None:
            heading.update(Text("Choose a code on the left", style="dim"))
            return
        found = [p for p in passages(coded(self._notes(), tag), self.facts, self.load) if self.wanted.keeps(p)]
        if self.second is not None:
            both = co_occurrence(
                [
                    p
                    for p in passages(self._with_either(tag, self.second), self.facts, self.load)
                    if self.wanted.keeps(p)
                ],
                tag,
                self.second,
            )
            heading.update(self._co_heading(both))
            found = [group[0] for group in both.passages]
        else:
            heading.update(self._heading(tag, found))
        self.shown = found[:SHOWN_PASSAGES]
        options: list[Option | None] = []
        for index, passage in enumerate(self.shown):
            options += [self._passage_option(passage, index), None]  # None: a rule between passages
        listing.add_options(options[:-1])
        if len(found) > SHOWN_PASSAGES:
            more = f"… and {len(found) - SHOWN_PASSAGES} more: narrow them with the filter (f)"
            listing.add_option(Option(Text(more, "dim"), disabled=True))
        if not found:
            listing.add_option(
                Option(Text("No passage coded with this code is kept by the filter.", "dim"), disabled=True)
            )

    def _with_either(self, first: str, second: str) -> list[Note]:
        return [n for n in self._notes() if codes_of(n) & {first, second}]

    def _heading(self, tag: str, found: list[Passage]) -> Text:
        code = self.store.codes().get(tag)
        text = Text.assemble((visible(tag), f"bold {colour_of(tag, self.store.codes())}"))
        reports = {p.note.report_id for p in found}
        places = {p.facts.authority_key for p in found}
        text.append(f"  {len(found)} passages · {len(reports)} reports · {len(places)} authorities", style="dim")
        if code is not None and code.description:
            text.append("\n" + visible(first_line(code.description, 200)), style="italic")
        return text

    def _co_heading(self, both: CoOccurrence) -> Text:
        text = Text(f"{visible(both.first)} with {visible(both.second)}", style="bold")
        text.append(f"  {len(both.passages)} passages coded with both (w again clears)\n", style="dim")
        names = ", ".join(both.authorities[:12]) + (" …" if len(both.authorities) > 12 else "")
        text.append(f"{len(both.authorities)} authorities with both: {visible(names) or 'none'}")
        first, second = visible(both.first), visible(both.second)
        text.append(f" · {both.first_only} with {first} only, {both.second_only} with {second} only", style="dim")
        return text

    def _passage_option(self, passage: Passage, index: int) -> Option:
        line = Text(visible(passage.place), style="bold")
        body = passage.text
        line.append("\n“" + visible(body if len(body) <= QUOTE_SHOWN else body[: QUOTE_SHOWN - 1] + "…") + "”")
        if passage.note.text.strip():
            line.append("\n" + visible(first_line(passage.note.text, 200)), style="italic")
        if passage.note.tags:
            line.append("  " + visible(" ".join("#" + t for t in passage.note.tags)), style="dim")
        return Option(line, id=str(index))

    # --- events ---

    @on(OptionList.OptionHighlighted, "#codebook-codes")
    def _code_moved(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id != self.code:
            self.second = None
            self._show_code(event.option.id)

    @on(OptionList.OptionSelected, "#codebook-codes")
    def _code_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        passages_list = self.query_one("#codebook-passages", OptionList)
        if self.shown:
            passages_list.highlighted = 0
        passages_list.focus()

    @on(OptionList.OptionSelected, "#codebook-passages")
    def _passage_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        passage = self.shown[int(event.option.id)]
        if passage.paragraph is None:
            self.notify("This note's paragraph could not be found after its report changed", severity="warning")
            return
        self.post_message(self.OpenParagraph(passage.note.report_id, passage.note.paragraph_id))

    @on(Input.Changed, "#codebook-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.wanted = PassageFilter.parse(event.value)
        if self.wanted.problems:
            self.query_one("#codebook-heading", Static).update(Text("; ".join(self.wanted.problems), "bold red"))
            return
        self.refill()

    @on(Input.Submitted, "#codebook-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#codebook-codes").focus()

    # --- keys ---

    def action_back(self) -> None:
        if self.second is not None:
            self.second = None
            self._show_code(self.code)
        elif self.focused is self.query_one("#codebook-filter"):
            self.query_one("#codebook-codes").focus()
        else:
            self.app.pop_screen()

    def action_filter(self) -> None:
        self.query_one("#codebook-filter").focus()

    def action_with_code(self) -> None:
        if self.code is None:
            self.notify("Choose a code first", severity="warning")
            return
        if self.second is not None:
            self.action_back()
            return
        counts = co_coded(self._notes(), self.code)
        options = [
            (tag, f"{tag}  ({counts.get(tag, 0)} passages with both)")
            for tag in sorted(counts, key=lambda t: (-counts[t], t))
        ]

        def chosen(tag: str | None) -> None:
            if tag:
                self.second = tag
                self._show_code(self.code)

        self.app.push_screen(
            Chooser(f"Codes found with {self.code}", options, empty="No other code shares a passage with this one."),
            chosen,
        )

    def action_table(self) -> None:
        self.app.push_screen(CodeTableScreen(self._notes(), self.facts, tree_order(self.store.known_tags())))

    def _edit(self, change: Callable[[], object], done: str) -> None:
        try:
            change()
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        publish_notes_changed(self, self.store.all())  # a renamed code is a tag changed on notes the reader marks
        self.notify(done, timeout=4)

    def action_describe(self) -> None:
        tag = self.code
        if tag is None:
            return
        code = self.store.codes().get(tag)

        def answered(text: str | None) -> None:
            if text is not None:
                self._edit(lambda: self.store.set_code(tag, description=text), f"Described {tag}")
                self.refill(tag)

        self.app.push_screen(
            Prompt(f"Describe {tag}", code.description if code else "", "what the code means, for whoever codes next"),
            answered,
        )

    def action_colour(self) -> None:
        tag = self.code
        if tag is None:
            return
        codes = self.store.codes()
        current = codes[tag].colour if tag in codes else None

        def answered(text: str | None) -> None:
            if text is not None:
                self._edit(lambda: self.store.set_code(tag, colour=text), f"Coloured {tag}")
                self.refill(tag)

        self.app.push_screen(
            Prompt(f"Colour of {tag}", current or "", "#RRGGBB or a name (teal, orange…); empty for the default"),
            answered,
        )

    def action_rename(self) -> None:
        tag = self.code
        if tag is None:
            return

        def answered(name: str | None) -> None:
            if name and name.strip() != tag:
                result: list[int] = []
                self._edit(lambda: result.append(self.store.rename_tag(tag, name)), "")
                if result:
                    new = clean_tags([name])[0]
                    self.notify(f"Renamed {tag} to {new} on {result[0]} notes, with the codes under it", timeout=5)
                    self.refill(new)

        self.app.push_screen(
            Prompt(f"Rename or move {tag}", tag, "a '/' path moves it (practice/supervision); its codes follow"),
            answered,
        )

    def action_export(self) -> None:
        if self.code is None:
            return
        try:
            exported = research.project(self.library, self.store, self.code)
            path = locations.exports_dir() / f"codes-{self.code.replace('/', '-')}.qdpx"
            write_atomic(path, exported.data)
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        except OSError as error:
            self.notify(f"Cannot write the project: {error.strerror or error}", severity="error", timeout=10)
            return
        self.notify(f"Saved {exported.summary()} to {path}", timeout=8)
