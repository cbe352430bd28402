"""Tags and the codebook, as stored: renaming, moving, merging and removing tags on every note, and the codebook's
entries (a tag's description and colour) in the `codebook` table of the notes file, beside the notes.

A tag's children follow it: renaming `practice` to `social-work` makes `practice/supervision`
`social-work/supervision`, on every note and in the codebook, in one atomic write (all of it or none of it). What
a code is, without files, is ofsted_reader/core/codebook.py; the one form of a tag, tags.py.
"""

from __future__ import annotations

from typing import Any

from ofsted_reader.core.codebook import DESCRIPTION_LIMIT, Code, colour_form, moved, under, with_ancestors
from ofsted_reader.core.notes import Note
from ofsted_reader.store.errors import StoreError
from ofsted_reader.store.notes.stamps import checked_text, now

from .notefile import NoteFiles, next_doc_id
from .tags import checked_tags, clean_tags, tag_form

TABLES = ("notes", "codebook")
MAX_CODES = 10_000  # in one imported codebook


class CodebookStore(NoteFiles):
    """The tag and codebook half of the notes store (AnnotationStore is the rest)."""

    def all(self) -> list[Note]:  # AnnotationStore's
        raise NotImplementedError

    def tags(self) -> list[tuple[str, int]]:  # AnnotationStore's
        raise NotImplementedError

    # --- reading ---

    def codes(self) -> dict[str, Code]:
        """The codebook's entries by tag (none when the notes file cannot be read: `damaged` says why)."""
        return {doc["tag"]: Code.from_dict(doc) for doc in self._table_docs("codebook")}

    def known_tags(self) -> set[str]:
        """Every tag there is: on a note, in the codebook, or above one of those."""
        return with_ancestors([tag for tag, _ in self.tags()] + list(self.codes()))

    def resolve_tag(self, name: str) -> str:
        """The tag a name means as stored ('Evidence' is 'evidence'), or a StoreError saying where to look."""
        return self._existing_tag(name)

    # --- tags on notes, with their children and codebook entries ---

    def _retag(self, old: str, new: str | None) -> int:
        """Rename `old` (and everything under it) to `new` on every note and in the codebook, or with new None
        remove `old` itself (its children stay), in one write; only the tags it changes change (a stored tag is
        never split or re-cleaned on the way). Returns how many notes changed."""
        changed = 0

        def transform(tags: list[str]) -> list[str]:
            if new is None:
                return [t for t in tags if t != old]
            return [moved(t, old, new) for t in tags]

        def change(data: dict[str, dict]) -> None:
            nonlocal changed
            stamp = now()
            for note in data["notes"].values():
                tags = note.get("tags", [])
                if not any(under(t, old) for t in tags):  # the common case, kept cheap: 5,000 notes in one write
                    continue
                renewed = list(dict.fromkeys(transform(tags)))
                if renewed != tags:
                    note.update(tags=renewed, updated=stamp, revision=(note.get("revision") or 1) + 1)
                    changed += 1
            _recode(data["codebook"], old, new, stamp)

        with self._writing():
            self._mutate_tables(change, TABLES)
        return changed

    def _stored_tag(self, name: str) -> str:
        """The stored tag a name means: the tag as typed, or the one whose form it has ('Evidence' is 'evidence';
        a tag stored in another form, by an older import, is found by its form too)."""
        tags = self.known_tags()
        if name in tags:
            return name
        form = tag_form(name) or ""
        if form in tags:
            return form
        return next((tag for tag in tags if tag_form(tag) == form), form)

    def _existing_tag(self, name: str) -> str:
        """The tag as stored, or a refusal that says how to find the right name."""
        if not clean_tags([name]):
            raise StoreError("tag names must not be empty")
        tag = self._stored_tag(name)
        if tag not in self.known_tags():
            raise StoreError(f"no tag {tag!r}; see `ofsted-reader tag list` or `ofsted-reader codebook list`")
        return tag

    def _new_tag(self, name: str) -> str:
        """A tag to rename or merge into: one tag in the app's form (it may nest: 'practice/supervision')."""
        tag = checked_tags([name])
        if not tag:
            raise StoreError("tag names must not be empty")
        if len(tag) > 1:
            raise StoreError(f"a tag is one word: {name!r} would be {len(tag)} tags")
        return tag[0]

    def rename_tag(self, old: str, new: str) -> int:
        """Rename or move a tag; its children follow ('practice' -> 'social-work' takes 'practice/supervision'
        along). Refused when that would silently merge into a tag that exists."""
        old_tag, new_tag = self._existing_tag(old), self._new_tag(new)
        if new_tag == old_tag:
            return 0
        known = self.known_tags()
        moving = {t for t in known if under(t, old_tag)}
        clash = sorted(target for target in (moved(t, old_tag, new_tag) for t in moving) if target in known - moving)
        if clash:
            raise StoreError(f"tag {clash[0]!r} exists already; use `tag merge {old_tag} {new_tag}`")
        return self._retag(old_tag, new_tag)

    def merge_tag(self, source: str, into: str) -> int:
        """Every note of `source` (and of the tags under it) carries `into` instead; the codebook's entries join."""
        source_tag, into_tag = self._existing_tag(source), self._new_tag(into)
        if under(into_tag, source_tag) and into_tag != source_tag:
            raise StoreError(f"cannot merge {source_tag!r} into {into_tag!r}, a tag under it")
        return self._retag(source_tag, into_tag)

    def delete_tag(self, name: str) -> int:
        """The tag off every note, and its codebook entry; the tags under it stay (remove them one by one)."""
        return self._retag(self._existing_tag(name), None)

    # --- the codebook's entries ---

    def set_code(self, tag: str, description: str | None = None, colour: str | None = None) -> Code:
        """Give a tag (in use or not yet) a description and/or a colour ('' takes the colour back to the
        palette's). One write."""
        name = tag_form(checked_text(tag, "the tag"))  # one code: 'Front Door' is front-door
        if name is None:
            raise StoreError(f"{tag[:40]!r} cannot be a tag (empty, or a part longer than 64 characters)")
        fields: dict[str, Any] = {}
        if description is not None:
            fields["description"] = _checked_description(description)
        if colour is not None:
            fields["colour"] = _checked_colour(colour) if colour.strip() else None
        result: dict[str, Any] = {}

        def change(data: dict[str, dict]) -> None:
            result.update(_upsert(data["codebook"], name, fields, now()))

        with self._writing():
            self._mutate_tables(change, ("codebook",))
        return Code.from_dict(result)

    def import_codes(self, codes: list[dict[str, Any]]) -> dict[str, int]:
        """Codes read from a codebook file ({tag, description, colour}, tags in the app's form), added or updated in
        one write: a description or colour given replaces the one stored. Counts of added, updated, unchanged.

        Each code is checked as `codebook describe` and `colour` check one, and as a backup's are: the store never
        holds what a backup of it would refuse. Any bad code refuses them all."""
        if len(codes) > MAX_CODES:
            raise StoreError(f"{len(codes):,} codes is more than a codebook may hold ({MAX_CODES:,}); nothing changed")
        problems = [problem for code in codes if (problem := _imported_code_problem(code))]
        if problems:
            listing = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
            count = f"{len(problems):,} codes" if len(problems) > 1 else "a code"
            raise StoreError(f"{count} cannot be imported ({listing}); nothing was imported")
        counts = {"added": 0, "updated": 0, "unchanged": 0}

        def change(data: dict[str, dict]) -> None:
            stamp = now()
            table = data["codebook"]
            by_tag = {doc["tag"]: doc for doc in table.values()}  # one lookup a code: 10,000 codes stay linear
            next_id = next_doc_id(table)
            for code in codes:
                fields = {k: code[k] for k in ("description", "colour") if code.get(k)}
                before = by_tag.get(code["tag"])
                if before is not None and all(before.get(k) == v for k, v in fields.items()):
                    counts["unchanged"] += 1
                    continue
                if before is not None:
                    counts["updated"] += 1
                    before.update(fields, updated=stamp)
                    continue
                counts["added"] += 1
                doc = {"tag": code["tag"], "description": "", "colour": None, "created": stamp, "updated": stamp}
                doc.update(fields)
                table[str(next_id)] = by_tag[code["tag"]] = doc
                next_id += 1

        with self._writing():
            self._mutate_tables(change, ("codebook",))
        return counts


def _imported_code_problem(code: dict[str, Any]) -> str | None:
    """What would stop a code read from a file being stored, or None: the checks `describe`, `colour` and a backup
    make."""
    tag = code.get("tag")
    if not isinstance(tag, str) or tag_form(tag) != tag:
        return f"{str(tag)[:40]!r} is not a tag"
    description = code.get("description") or ""
    try:
        _checked_description(description)
    except StoreError as error:
        return f"{tag[:40]!r}: {str(error).partition('; ')[0]}"
    colour = code.get("colour")
    if colour and colour_form(colour) != colour:
        return f"{tag[:40]!r} has {colour[:20]!r}, not a colour (#RRGGBB)"
    return None


def _checked_description(text: str) -> str:
    text = checked_text(text, "the description").strip()
    if len(text) > DESCRIPTION_LIMIT:
        raise StoreError(f"a description is at most {DESCRIPTION_LIMIT:,} characters (this one is {len(text):,})")
    return text


def _checked_colour(text: str) -> str:
    colour = colour_form(text)
    if colour is None:
        raise StoreError(f"{text!r} is not a colour; give one as #RRGGBB (#3CB44B) or a name such as teal")
    return colour


def _upsert(table: dict, tag: str, fields: dict[str, Any], stamp: str) -> dict:
    """The codebook entry for tag, changed by fields (made when there is none); table is {doc id: entry}."""
    for doc in table.values():
        if doc["tag"] == tag:
            doc.update(fields, updated=stamp)
            return doc
    doc = {"tag": tag, "description": "", "colour": None, "created": stamp, "updated": stamp, **fields}
    table[str(next_doc_id(table))] = doc
    return doc


def _recode(table: dict, old: str, new: str | None, stamp: str) -> None:
    """The codebook's side of a rename (new a tag) or removal (new None) of `old`: entries under it move with it;
    an entry that lands on one that exists fills in what that one lacks."""
    if new is None:
        for doc_id in [i for i, doc in table.items() if doc["tag"] == old]:
            del table[doc_id]
        return
    moving = [doc_id for doc_id, doc in table.items() if under(doc["tag"], old)]
    # Tags under `old` move together and cannot land on each other; only an entry that stays can be landed on.
    staying = {doc["tag"]: doc_id for doc_id, doc in table.items() if not under(doc["tag"], old)}
    for doc_id in moving:
        doc = table[doc_id]
        target = moved(doc["tag"], old, new)
        if target in staying:
            into = table[staying[target]]
            into.update(
                description=into.get("description") or doc.get("description") or "",
                colour=into.get("colour") or doc.get("colour"),
                updated=stamp,
            )
            del table[doc_id]
        else:
            doc.update(tag=target, updated=stamp)
