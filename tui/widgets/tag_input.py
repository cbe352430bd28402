"""The tag line of the note editor: it completes the tag being typed from the tags already in use."""

from __future__ import annotations

from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input


class TagSuggester(Suggester):
    """Completes the last tag being typed from the tags already in use."""

    def __init__(self, tags: list[str]):
        super().__init__(use_cache=False, case_sensitive=False)
        self.tags = tags

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(" ")
        last = last.lstrip("#")
        if not last:
            return None
        for tag in self.tags:
            if tag.startswith(last.lower()) and tag != last.lower():
                return f"{head} {tag}".lstrip() if head else tag
        return None


class TagInput(Input):
    """The tag line: tab takes the completion shown (as → does at the end of the line); with none, tab moves on."""

    BINDINGS = [Binding("tab", "complete", "Complete tag", id="note.complete_tag", show=False)]

    def action_complete(self) -> None:
        if self._suggestion and len(self._suggestion) > len(self.value):
            self.value = self._suggestion + " "  # the next tag starts after a space
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()
