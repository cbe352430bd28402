"""A quote chosen with the keyboard inside one paragraph: a run of whole words, grown or shrunk by a word or by a
sentence. Offsets are into the paragraph's text as stored (its emphasis marks included), which is what a note's
quote is found in (store/notes/anchoring.py), so the note anchors and re-anchors as a quote given in the CLI."""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD = re.compile(r"\S+")
SENTENCE_END = re.compile(r"[.!?][’”)\]*]*$")


@dataclass
class Selection:
    text: str
    words: list[tuple[int, int]]
    first: int
    last: int

    @classmethod
    def start(cls, text: str) -> Selection | None:
        """The paragraph's first sentence, selected."""
        words = [(m.start(), m.end()) for m in WORD.finditer(text)]
        if not words:
            return None
        selection = cls(text, words, 0, 0)
        selection.last = selection._sentence_end(0)
        return selection

    def _is_end(self, index: int) -> bool:
        start, end = self.words[index]
        following = self.words[index + 1][0] if index + 1 < len(self.words) else None
        # A full stop then a capital (or the end): "Dr." or "e.g." followed by lower case is no sentence end.
        if not SENTENCE_END.search(self.text[start:end]):
            return False
        return following is None or not self.text[following].islower()

    def _sentence_end(self, index: int) -> int:
        while index < len(self.words) - 1 and not self._is_end(index):
            index += 1
        return index

    def _sentence_start(self, index: int) -> int:
        while index > 0 and not self._is_end(index - 1):
            index -= 1
        return index

    def grow_word(self, step: int) -> None:
        """The end a word further (step 1) or back (-1), never before the start."""
        self.last = max(self.first, min(len(self.words) - 1, self.last + step))

    def grow_sentence(self, step: int) -> None:
        """The end to the end of the next sentence, or back to the end of the one before (never before the start)."""
        if step > 0:
            self.last = self._sentence_end(min(self.last + 1, len(self.words) - 1))
        else:
            back = self._sentence_start(self.last) - 1
            if back >= self.first:
                self.last = back if self._is_end(back) else self._sentence_end(back)
            else:
                self.last = self.first

    def move_start(self, step: int) -> None:
        """The start a word further or back (never past the end)."""
        self.first = max(0, min(self.last, self.first + step))

    @property
    def span(self) -> tuple[int, int]:
        return self.words[self.first][0], self.words[self.last][1]

    @property
    def quote(self) -> str:
        start, end = self.span
        return self.text[start:end]
