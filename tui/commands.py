"""Command palette: every app action by name, and every report by authority."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ofsted_reader.citation import report_date

ACTIONS = [
    ("Search the library", "search", "Fuzzy search across every report (/)"),
    ("Next search match", "next_hit", "n"),
    ("Previous search match", "previous_hit", "N"),
    ("Go to paragraph", "goto", "By id or number (:)"),
    ("Add a note to this paragraph", "add_note", "a"),
    ("Edit the note on this paragraph", "edit_note", "e"),
    ("Edit tags of the note on this paragraph", "edit_tags", "t"),
    ("Delete the note on this paragraph", "delete_note", "d"),
    ("Undo the last delete", "undo", "u"),
    ("Export notes to Markdown or CSV", "export", "x, with a preview"),
    ("Compare this section across reports", "compare", "c"),
    ("Grades matrix", "matrix", "M"),
    ("Notes panel", "notes", "All notes, orphans, filter by tag (ctrl+n)"),
    ("Toggle bookmark", "bookmark", "m"),
    ("Bookmarks", "bookmarks", "'"),
    ("Copy paragraph with citation", "copy", "y"),
    ("Back", "back", "H / alt+←"),
    ("Forward", "forward", "L / alt+→"),
    ("Next section", "next_section", "]"),
    ("Previous section", "previous_section", "["),
    ("Filter the library tree", "filter", "f"),
    ("Help: keys", "help", "F1 / ?"),
]


class AppCommands(Provider):
    async def discover(self) -> Hits:
        for name, action, help_text in ACTIONS:
            yield DiscoveryHit(name, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in ACTIONS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self.app.run_action, action), help=help_text)
        for entry in self.app.library.entries():  # type: ignore[attr-defined]
            name = f"Open {entry.authority} ({report_date(entry.published, entry.inspected)})"
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self.app.open_place, entry.id, None),  # type: ignore[attr-defined]
                          help=f"{entry.framework.upper()} report {entry.id}")
