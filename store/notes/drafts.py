"""Notes being typed, kept on disk as they are typed (atomically), until saved or discarded: what the app restores
after it died mid-note. A draft of an edit remembers the revision of the note it started from, so restoring it over a
note changed meanwhile (from the command line, another window) is a stale edit like any other: the editor asks."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from ofsted_reader.host import locations
from ofsted_reader.store.atomic import write_atomic


@dataclass
class DraftText:
    text: str
    tags: list[str]
    revision: int | None = None  # the note's revision the text was started from; None for a new note


class Draft:
    def __init__(self, key: str):
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]
        self.path = locations.drafts_dir() / f"{digest}.json"
        self.key = key

    def load(self) -> DraftText | None:
        """The draft, or None when there is none (or it is not one: a draft is a convenience, never an error)."""
        try:
            body = json.loads(self.path.read_text(encoding="utf-8"))
            if body.get("key") == self.key and isinstance(body.get("text"), str) and isinstance(body.get("tags"), list):
                revision = body.get("revision")
                # A draft from before drafts kept their revision: from an unknown one, so saving it asks first.
                revision = revision if type(revision) is int else (0 if self.key.startswith("edit ") else None)
                return DraftText(body["text"], [str(t) for t in body["tags"]], revision)
        except (OSError, ValueError, AttributeError):
            pass
        return None

    def save(self, draft: DraftText) -> bool:
        body = {"key": self.key, "text": draft.text, "tags": draft.tags, "revision": draft.revision}
        try:
            write_atomic(self.path, json.dumps(body, ensure_ascii=False).encode("utf-8"))
            return True
        except (OSError, UnicodeError):
            return False

    def discard(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            pass


def kept_drafts() -> list[str]:
    """The keys of the drafts on disk ("new <paragraph id>[ quote ...]", "edit <note id> <tags only>"): notes being
    typed when the app last stopped, to be said at the next start."""
    keys = []
    try:
        paths = sorted(locations.drafts_dir().glob("*.json"))
    except OSError:
        return []
    for path in paths:
        try:
            key = json.loads(path.read_text(encoding="utf-8")).get("key")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(key, str):
            keys.append(key)
    return keys
