"""Where the app was left: reopened at the next start. Small, written atomically, never fatal if damaged."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from ofsted_reader.host import locations

from .atomic import write_atomic


@dataclass
class UIState:
    report_id: str | None = None
    section_id: str | None = None
    paragraph_id: str | None = None
    bookmarks: list[str] = field(default_factory=list)  # paragraph ids
    first_run: bool = True

    @classmethod
    def load(cls) -> UIState:
        try:
            data = json.loads(locations.state_file().read_text(encoding="utf-8"))
            state = cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})
            state.first_run = False
            return state
        except (OSError, ValueError, TypeError):
            return cls()

    def save(self) -> None:
        data = asdict(self)
        data.pop("first_run")
        write_atomic(locations.state_file(), json.dumps(data, indent=1).encode("utf-8"))
