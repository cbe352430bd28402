"""Every action of the app and its main screen, in one table: its key binding (and so the footer, the help screen
and keymap.json's remapping, which read bindings) and its entry in the command palette are both made from the one row,
so none can drift from the others. Other screens keep their own bindings, which their footer and help read."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Action:
    id: str  # the binding's id, which keymap.json names to remap it
    keys: str  # Textual's key names, comma separated; "" for an action reached from the palette alone
    action: str
    label: str  # the footer's and help's short word
    name: str  # the palette's entry, in the words a user would type ("trend", "trail", "memo", "import")
    about: str = ""  # the palette's line under the entry (the keys are added to it, as remapped)
    show: bool = False  # in the footer


APP: list[Action] = [
    Action("app.quit", "q", "quit", "Quit", "Quit", about="Asks first over a note not saved", show=True),
    Action("app.help", "f1,question_mark", "help", "Help", "Help: keys", show=True),
]
MAIN: list[Action] = [
    Action("app.switch_pane", "tab,shift+tab", "switch_pane", "Other pane", "Switch between the tree and the reader"),
    Action("app.next_section", "right_square_bracket", "next_section", "Next section", "Next section"),
    Action("app.previous_section", "left_square_bracket", "previous_section", "Prev section", "Previous section"),
    Action("app.back", "H,alt+left", "history_back", "Back", "Back", show=True),
    Action("app.forward", "L,alt+right", "history_forward", "Forward", "Forward"),
    Action("app.goto", "colon", "goto", "Go to", "Go to paragraph", about="By id or number", show=True),
    Action(
        "app.add_note", "a", "add_note", "Note", "Add a note to this paragraph", about="Text, tags or both", show=True
    ),
    Action("app.edit_note", "e", "edit_note", "Edit note", "Edit the note on this paragraph"),
    Action("app.edit_tags", "t", "edit_tags", "Tags", "Edit tags of the note on this paragraph"),
    Action(
        "app.code_again",
        "full_stop",
        "code_again",
        "Code again",
        "Code this paragraph again with the last code",
        about="A note of tags alone",
    ),
    Action(
        "app.code_with",
        "T",
        "code_with",
        "Code with…",
        "Code this paragraph with a code you choose",
        about="Tab completes",
    ),
    Action("app.delete_note", "d", "delete_note", "Delete note", "Delete the note on this paragraph"),
    Action("app.undo", "u", "undo", "Undo delete", "Undo the last delete"),
    Action(
        "app.notes",
        "ctrl+n",
        "notes",
        "Notes",
        "Notes panel",
        about="All notes, orphans, filter by tag or authority",
        show=True,
    ),
    Action("app.bookmark", "m", "bookmark", "Bookmark", "Toggle bookmark"),
    Action("app.bookmarks", "apostrophe", "bookmarks", "Bookmarks", "Bookmarks"),
    Action(
        "app.copy",
        "y",
        "copy",
        "Copy",
        "Copy paragraph with citation",
        about="To the system clipboard and the terminal",
        show=True,
    ),
    Action(
        "app.filter",
        "f",
        "filter",
        "Filter tree",
        "Filter the library tree",
        about="name, region:london, grade:4, 2019",
    ),
    Action(
        "app.search",
        "slash",
        "search",
        "Search",
        "Search the library",
        about="Words forgiving, quoted words exact; every hit, saved with ctrl+s",
        show=True,
    ),
    Action(
        "app.export",
        "x",
        "export",
        "Export notes",
        "Export notes to Markdown, CSV or a QDA project",
        about="With a preview",
    ),
    Action("app.compare", "c", "compare", "Compare", "Compare this section across reports"),
    Action(
        "app.matrix",
        "M",
        "matrix",
        "Grades matrix",
        "Latest grades of every authority (inadequate, RI, good, outstanding)",
        about="Filter; h every report",
    ),
    Action(
        "app.map",
        "E",
        "map",
        "England map",
        "Map of England by grade",
        about="Latest grade of every authority, London inset; filter by region, neighbours",
    ),
    Action(
        "app.trends",
        "Y",
        "trends",
        "Grades over the years",
        "Grades over time: trends",
        about="Authorities at each grade every 31 March and today, England and each region; first to latest ILACS",
    ),
    Action(
        "app.codebook",
        "C",
        "codebook",
        "Codebook",
        "Codebook",
        about="Codes with counts, coded passages across reports, co-occurrence, tables",
    ),
    Action("app.next_hit", "n", "next_hit", "Next match", "Next search match"),
    Action("app.previous_hit", "N", "previous_hit", "Prev match", "Previous search match"),
    Action("app.back_out", "escape", "back_out", "Back out", "Back out (drop a quote, leave the filter)"),
    Action(
        "app.overview",
        "o",
        "overview",
        "Authority",
        "Authority overview: improvement trail, memos, neighbours",
        about="i the trail, m a memo",
        show=True,
    ),
    Action(
        "app.sort_tree",
        "S",
        "sort_tree",
        "Sort authorities",
        "Sort the authorities",
        about="By name, region, latest grade or latest inspection",
    ),
    Action(
        "app.earlier",
        "less_than_sign",
        "other_inspection(-1)",
        "Earlier inspection",
        "Earlier inspection of this authority",
        about="On the matching section",
    ),
    Action(
        "app.later",
        "greater_than_sign",
        "other_inspection(1)",
        "Later inspection",
        "Later inspection of this authority",
        about="On the matching section",
    ),
    Action(
        "app.import",
        "I",
        "import_files",
        "Import",
        "Import reports from a file or folder",
        about="PDF or text",
        show=True,
    ),
    Action(
        "app.fetch",
        "F",
        "fetch",
        "Fetch from Ofsted",
        "Fetch newer reports from Ofsted",
        about="Asks first: the only use of the network",
    ),
    Action(
        "app.open_original",
        "O",
        "open_original",
        "Open PDF",
        "Open the original PDF at this page",
        about="In your PDF viewer",
    ),
    Action("app.about", "i", "about", "About report", "About this report: dates, inspectors, source, licence"),
    Action(
        "app.history_matrix", "", "history_matrix", "", "Grades matrix of every report", about="One framework at a time"
    ),
]


def bindings(actions: list[Action]) -> list[BindingType]:
    """The key bindings of these actions, in their order (the footer's order)."""
    return [Binding(a.keys, a.action, a.label, show=a.show, id=a.id) for a in actions if a.keys]
