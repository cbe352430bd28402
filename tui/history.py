"""Where the reader has been: back and forward through opened places, as a browser does, with a cap so a long
session does not grow without end."""

from __future__ import annotations

from dataclasses import dataclass

HISTORY_LIMIT = 200  # places remembered; the oldest goes first


@dataclass
class Visit:
    report_id: str
    section_id: str | None
    paragraph_id: str | None


class History:
    def __init__(self, limit: int = HISTORY_LIMIT):
        self.limit = limit
        self._visits: list[Visit] = []
        self._index = -1

    def __len__(self) -> int:
        return len(self._visits)

    @property
    def current(self) -> Visit | None:
        return self._visits[self._index] if 0 <= self._index < len(self._visits) else None

    def push(self, visit: Visit) -> None:
        """A new place: what was ahead of the current one (after going back) is dropped."""
        del self._visits[self._index + 1 :]
        self._visits.append(visit)
        if len(self._visits) > self.limit:
            del self._visits[: len(self._visits) - self.limit]
        self._index = len(self._visits) - 1

    def back(self) -> Visit | None:
        """The place before the current one, which becomes current; None at the first."""
        if self._index <= 0:
            return None
        self._index -= 1
        return self._visits[self._index]

    def forward(self) -> Visit | None:
        if self._index >= len(self._visits) - 1:
            return None
        self._index += 1
        return self._visits[self._index]
