"""The user's word on the improvement trail's matches: which suggested match of an ask and a later line they
confirmed, which they unlinked. One small JSON file in the data dir, written atomically (the previous version kept as
.bak); a file that cannot be read is never overwritten: the choices are then read-only until it is put right.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from ofsted_reader.host import locations
from ofsted_reader.store.atomic import write_atomic
from ofsted_reader.store.errors import StoreError

STATES = ("confirmed", "unlinked")
VERSION = 1


@dataclass
class TrailLinks:
    # (ask key, later line key) -> "confirmed" or "unlinked"
    decisions: dict[tuple[str, str], str] = field(default_factory=dict)
    damaged: str | None = None  # why the file could not be read; nothing is written while it is set

    @classmethod
    def load(cls) -> TrailLinks:
        path = locations.trail_links_file()
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls()
        except OSError as error:
            return cls(damaged=f"{path}: {error.strerror}")
        try:
            data = json.loads(raw)
            decisions = {
                (str(link["asked"]), str(link["found"])): str(link["state"])
                for link in data["links"]
                if link["state"] in STATES
            }
        except (ValueError, KeyError, TypeError) as error:
            return cls(
                damaged=f"{path} is not a trail links file ({type(error).__name__}); move it aside to start afresh"
            )
        return cls(decisions)

    def set(self, asked: str, found: str, state: str | None) -> None:
        """Record a choice (None forgets it, back to a suggestion) and write the file; refused while damaged."""
        if self.damaged:
            raise StoreError(f"Trail choices are read-only: {self.damaged}")
        changed = dict(self.decisions)
        if state is None:
            changed.pop((asked, found), None)
        elif state in STATES:
            changed[(asked, found)] = state
        else:
            raise ValueError(f"unknown state {state!r}")
        data = {
            "version": VERSION,
            "saved": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "links": [{"asked": a, "found": f, "state": s} for (a, f), s in sorted(changed.items())],
        }
        try:
            write_atomic(locations.trail_links_file(), json.dumps(data, indent=1).encode("utf-8"), keep_previous=True)
        except OSError as error:
            raise StoreError(
                f"Cannot save the trail choice to {locations.trail_links_file()}: {error.strerror}"
            ) from None
        self.decisions = changed
