"""The search index, kept in sqlite beside the parse cache and updated as reports are imported.

A query reads only what it needs: the vocabulary (one small table), the postings of the words it names, and the
texts of the best hits. The old index was one pickle loaded whole (45 MB at 500 reports, 0.5-1.2 s before the
first result) and rebuilt from every report after any import (2.3-7.5 s).

Paragraphs get integer keys, consecutive within a report. Postings are packed arrays of keys, one row per word
and segment: an import writes one new segment, so nothing already written is rewritten; segments are merged when
there are too many. A replaced or removed report's rows in `docs` go at once; its keys stay in older segments'
postings until the next full merge and are filtered out meanwhile.

The index is derived data: `sync` compares it with the library (report id and content hash) and adds or drops
what differs, so a lost, damaged or stale index heals on the next search.
"""

from __future__ import annotations

import sqlite3
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from ofsted_reader.core.search.engine import Doc, Query, tokens
from ofsted_reader.core.search.fuzzy import letters
from ofsted_reader.store.errors import StoreError

if TYPE_CHECKING:
    from ofsted_reader.core.model import Report
    from ofsted_reader.core.search.engine import SearchIndex

SCHEMA_VERSION = 1
MAX_SEGMENTS = 12  # an import adds one; past this many the newer ones are merged
DEAD_SHARE = 0.2  # a full merge drops replaced reports' keys once they are this share of all keys
CHUNK = 500  # keys or words per IN (...) query
KEY = "I"  # array type code of a paragraph key (unsigned 32 bits)
LETTERS = "Q"  # array type code of a word's letters as bits (fuzzy.letters: 63 bits at most)
WORD_SEPARATOR = " "  # between the words of the vocabulary kept whole: a token has none (search_text.TOKEN)
ITEM_SEPARATOR = "\x1e"  # ASCII record separator between a paragraph's bullet items: never in a report's text

TABLES = """
CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS reports(report_id TEXT, sha256 TEXT, first_key INTEGER, count INTEGER,
                                   segment INTEGER, live INTEGER);
CREATE INDEX IF NOT EXISTS reports_live ON reports(live, report_id);
CREATE TABLE IF NOT EXISTS docs(key INTEGER PRIMARY KEY, paragraph_id TEXT, report_id TEXT, authority TEXT,
                                number INTEGER, section_id TEXT, section TEXT, grade INTEGER, framework TEXT,
                                service TEXT, text TEXT, items TEXT);
CREATE INDEX IF NOT EXISTS docs_paragraph ON docs(paragraph_id);
CREATE TABLE IF NOT EXISTS postings(term TEXT, segment INTEGER, keys BLOB, PRIMARY KEY(term, segment)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS terms(term TEXT PRIMARY KEY) WITHOUT ROWID;
"""


class IndexWriteError(StoreError, sqlite3.OperationalError):
    """The search index could not be written (a full disk, an I/O error, another process holding it), said in one
    line. Also an sqlite3.OperationalError, so a caller that takes the index as a cache it may fail to update (an
    import) still goes on without it."""

    @classmethod
    def of(cls, error: sqlite3.Error, path: Path | None) -> IndexWriteError:
        text = str(error).lower()
        if "full" in text:
            what = "the disk is full; free some space, then try again"
        elif "i/o" in text:
            what = "a disk I/O error; check the disk, then try again"
        elif "locked" in text or "busy" in text:
            what = "another ofsted-reader is writing it; try again when it is done"
        elif "readonly" in text or "read-only" in text:
            what = "its folder is read-only; check the permissions of the data folder"
        else:
            what = f"{error}; try again"
        return cls(f"cannot write the search index {path or '(in memory)'}: {what}")


class _Stopped(Exception):
    """Raised inside a write to roll it back: the caller asked to stop."""


def _disk_trouble(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return any(word in text for word in ("full", "i/o", "locked", "busy", "readonly", "read-only"))


def _graded_ancestor(report: Report, section_id: str | None) -> int | None:
    section = report.section(section_id)
    while section is not None:
        if section.grade:
            return section.grade
        section = report.section(section.parent)
    return None


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class IndexStore:
    """The sqlite file (or memory, for tests) holding the index; implements search.Postings."""

    def __init__(self, path: Path | None = None, version: str = ""):
        self.path = path
        self.version = f"{SCHEMA_VERSION}-{version}"
        self._lock = threading.RLock()  # the app searches from worker threads
        self.read_only = False
        try:
            try:
                self.db = self._connect()
            except sqlite3.OperationalError as error:
                if _disk_trouble(error):  # a full disk is not a damaged index: keep it, say so
                    if self._open_read_only():  # a read-only data dir still searches an index that is whole
                        self._dead = self._dead_keys()
                        return
                    raise
                self._discard()
                self.db = self._connect()
            except sqlite3.DatabaseError:  # not a database, or damaged: it is only a cache
                self._discard()
                self.db = self._connect()
        except sqlite3.OperationalError as error:
            raise IndexWriteError.of(error, path) from None
        self._dead = self._dead_keys()

    @classmethod
    def if_current(cls, path: Path, stamp: str) -> IndexStore | None:
        """The index at `path`, opened to search as it is (nothing made, nothing upgraded), when it was last brought
        in step with a library of this stamp (store.warmup.library_stamp); else None. An index of another schema or
        parser version has no stamp: the version check empties it, stamp and all."""
        try:
            db = sqlite3.connect(
                f"{path.absolute().as_uri()}?mode=rw",
                uri=True,
                check_same_thread=False,
                isolation_level=None,
                timeout=10,
            )
        except sqlite3.Error:
            return None
        try:
            meta = dict(db.execute("SELECT name, value FROM meta WHERE name IN ('version', 'stamp')"))
        except sqlite3.Error:
            meta = {}
        if meta.get("stamp") != stamp or not str(meta.get("version")).startswith(f"{SCHEMA_VERSION}-"):
            db.close()
            return None
        store = cls.__new__(cls)  # the fields __init__ sets, on this connection
        store.path, store.version, store.db, store.read_only = path, str(meta["version"]), db, False
        store._lock = threading.RLock()
        store._dead = store._dead_keys()
        return store

    def keep_stamp(self, stamp: str, now: Callable[[], str]) -> None:
        """Keep the stamp of the library this index now holds whole (if_current), if `now()` still gives it: asked
        under the write lock, so an import that changes the library after the question changes the index after
        the stamp, and that drops it (every add and remove does). A read-only index keeps none."""
        if self.read_only:
            return
        try:
            with self._writing() as db:
                if now() == stamp:
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('stamp', ?)", (stamp,))
                    kept = db.execute("SELECT count(*) FROM meta WHERE name IN ('vocabulary', 'lengths')").fetchone()
                    if kept[0] < 2:
                        _keep_vocabulary(db)  # an index written before the vocabulary was kept whole
        except IndexWriteError:
            pass  # a cache: the next search opens the library again

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(
            str(self.path) if self.path else ":memory:", check_same_thread=False, isolation_level=None, timeout=10
        )
        if self.path:
            db.execute("PRAGMA journal_mode=WAL")  # the app reads while a CLI import writes
            db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(TABLES)
        row = db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
        if row is None or row[0] != self.version:
            db.executescript(
                "DROP TABLE meta; DROP TABLE reports; DROP TABLE docs; DROP TABLE postings; DROP TABLE terms;"
            )
            db.executescript(TABLES)
            db.execute("INSERT INTO meta VALUES ('version', ?)", (self.version,))
        return db

    def _open_read_only(self) -> bool:
        """Open an index of this version read-only (a data dir on a read-only disk, or not the user's to write):
        searching it needs no write, and a sync that finds nothing to add writes nothing. False when there is no
        such index to open."""
        if not self.path or not self.path.is_file():
            return False
        # A WAL index opens read-only only where its -shm file can be made; in a folder no one may write, nothing
        # can change it either, so it is opened as immutable.
        for options in ("mode=ro", "mode=ro&immutable=1"):
            try:
                db = sqlite3.connect(f"{self.path.absolute().as_uri()}?{options}", uri=True, check_same_thread=False)
                row = db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
                break
            except sqlite3.Error:
                continue
        else:
            return False
        if row is None or row[0] != self.version:
            db.close()
            return False
        self.db, self.read_only = db, True
        return True

    def _discard(self) -> None:
        if self.path:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self.db.execute("BEGIN IMMEDIATE")
                try:
                    yield self.db
                    self.db.execute("COMMIT")
                except BaseException:
                    if self.db.in_transaction:
                        self.db.execute("ROLLBACK")
                    self._dead = self._dead_keys()  # a removal that did not happen
                    raise
            except sqlite3.OperationalError as error:
                raise IndexWriteError.of(error, self.path) from None

    # --- keeping it in step with the library ---

    def report_ids(self) -> dict[str, str]:
        """Indexed reports: id -> content hash."""
        with self._lock:
            return dict(self.db.execute("SELECT report_id, sha256 FROM reports WHERE live = 1"))

    def sync(self, wanted: dict[str, str], load: Callable[[str], Report]) -> int:
        """Make the index hold exactly these reports (id -> content hash); `load` reads one that is missing.
        Returns how many were (re)indexed."""
        indexed = self.report_ids()
        gone = [report_id for report_id in indexed if report_id not in wanted]
        missing = [report_id for report_id, sha in wanted.items() if indexed.get(report_id) != sha]
        if gone:
            self.remove(gone)
        if missing:
            self.add((load(report_id), wanted[report_id]) for report_id in missing)
        return len(missing)

    def add(self, reports: Iterable[tuple[Report, str]], stopping: Callable[[], bool] | None = None) -> bool:
        """Index these reports (each with its content hash) as one new segment; a report already indexed under
        the same id is replaced. Once `stopping()` is true (a quit) the segment is given up whole, between two
        reports, and False returned: a segment of 200 reports took over a second to write."""
        try:
            self._add(reports, stopping)
        except _Stopped:
            return False
        self._merge_if_needed()
        return True

    def _add(self, reports: Iterable[tuple[Report, str]], stopping: Callable[[], bool] | None) -> None:
        with self._writing() as db:
            next_key = int(db.execute("SELECT coalesce(max(value), 1) FROM meta WHERE name = 'next_key'").fetchone()[0])
            segment = (db.execute("SELECT max(segment) FROM postings").fetchone()[0] or 0) + 1
            db.execute("DELETE FROM meta WHERE name = 'stamp'")
            postings: dict[str, array] = {}
            for report, sha in reports:
                if stopping is not None and stopping():
                    raise _Stopped
                self._remove(db, [report.id])
                first = next_key
                rows = []
                titles = {s.id: s.title for s in report.sections}
                for paragraph in report.paragraphs:
                    title = titles.get(paragraph.section) if paragraph.section else None
                    rows.append(
                        (
                            next_key,
                            paragraph.id,
                            report.id,
                            report.authority,
                            paragraph.number,
                            paragraph.section,
                            title,
                            _graded_ancestor(report, paragraph.section),
                            report.framework,
                            report.service_of(paragraph.section),
                            paragraph.text,
                            ITEM_SEPARATOR.join(paragraph.items),
                        )
                    )
                    for word in set(tokens(" ".join([paragraph.text, *paragraph.items, title or ""]))):
                        keys = postings.get(word)
                        if keys is None:
                            keys = postings[word] = array(KEY)
                        keys.append(next_key)
                    next_key += 1
                db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
                db.execute("INSERT INTO reports VALUES (?, ?, ?, ?, ?, 1)", (report.id, sha, first, len(rows), segment))
            db.executemany(
                "INSERT INTO postings VALUES (?, ?, ?)",
                ((term, segment, keys.tobytes()) for term, keys in postings.items()),
            )
            db.executemany("INSERT OR IGNORE INTO terms VALUES (?)", ((term,) for term in postings))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('next_key', ?)", (next_key,))
            _keep_vocabulary(db)

    def remove(self, report_ids: list[str]) -> None:
        with self._writing() as db:
            self._remove(db, report_ids)

    def _remove(self, db: sqlite3.Connection, report_ids: list[str]) -> None:
        db.execute("DELETE FROM meta WHERE name = 'stamp'")
        for chunk in _chunks(report_ids):
            marks = ",".join("?" * len(chunk))
            ranges = db.execute(
                f"SELECT first_key, count FROM reports WHERE live = 1 AND report_id IN ({marks})", chunk
            ).fetchall()
            for first, count in ranges:
                db.execute("DELETE FROM docs WHERE key >= ? AND key < ?", (first, first + count))
                self._dead.update(range(first, first + count))
            db.execute(f"UPDATE reports SET live = 0 WHERE report_id IN ({marks})", chunk)

    def _dead_keys(self) -> set[int]:
        with self._lock:
            rows = self.db.execute("SELECT first_key, count FROM reports WHERE live = 0").fetchall()
        return {key for first, count in rows for key in range(first, first + count)}

    def _merge_if_needed(self) -> None:
        with self._lock:
            sizes = dict(self.db.execute("SELECT segment, sum(count) FROM reports GROUP BY segment"))
            total = sum(sizes.values()) or 1
            if len(self._dead) > DEAD_SHARE * total:
                self.merge(full=True)
            elif len(sizes) > MAX_SEGMENTS:
                base = max(sizes, key=lambda segment: sizes[segment])
                # The newer segments are merged into one; everything, once they outgrow the largest.
                self.merge(full=total - sizes[base] > sizes[base])

    def merge(self, full: bool = True) -> None:
        """Merge segments: all of them, dropping replaced reports' keys, or all but the largest."""
        with self._writing() as db:
            sizes = dict(db.execute("SELECT segment, sum(count) FROM reports GROUP BY segment"))
            segments = sorted(sizes) if full else sorted(s for s in sizes if s != max(sizes, key=sizes.__getitem__))
            if len(segments) < 2 and not (full and self._dead):
                return
            target = segments[0]
            marks = ",".join("?" * len(segments))
            rows = db.execute(
                f"SELECT term, keys FROM postings WHERE segment IN ({marks}) ORDER BY term, segment", segments
            ).fetchall()
            db.execute(f"DELETE FROM postings WHERE segment IN ({marks})", segments)
            dead = self._dead if full else set()
            merged = []
            for term, group in groupby(rows, key=lambda row: row[0]):
                keys = array(KEY, b"".join(row[1] for row in group))
                if dead:
                    keys = array(KEY, [key for key in keys if key not in dead])
                if keys:
                    merged.append((term, target, keys.tobytes()))
            db.executemany("INSERT INTO postings VALUES (?, ?, ?)", merged)
            db.execute(f"UPDATE reports SET segment = ? WHERE segment IN ({marks})", [target, *segments])
            if full:
                db.execute("DELETE FROM reports WHERE live = 0")
                db.execute("DELETE FROM terms")
                db.execute("INSERT INTO terms SELECT DISTINCT term FROM postings")
                _keep_vocabulary(db)
        if full:
            self._dead = set()

    # --- search.Postings ---

    def of_lengths(self, lengths: Iterable[int]) -> dict[int, tuple[list[str], Sequence[int]]]:
        """The words of each of these lengths (those the vocabulary has), in order, with their letters
        (fuzzy.letters): the pool of a word's near spellings, read without the rest of the vocabulary."""
        wanted = list(lengths)
        names = [f"{kind}:{length}" for length in wanted for kind in ("words", "letters")]
        with self._lock:
            stored = self.db.execute("SELECT value FROM meta WHERE name = 'lengths'").fetchone()
            rows = dict(
                self.db.execute(f"SELECT name, value FROM meta WHERE name IN ({','.join('?' * len(names))})", names)
            )
        if stored is None:  # an index written before the words were kept by length
            return {n: (w, [letters(word) for word in w]) for n, w in _by_length(self.vocabulary(), wanted).items()}
        found: dict[int, tuple[list[str], Sequence[int]]] = {}
        for length in wanted:
            words = rows.get(f"words:{length}")
            if words:
                found[length] = (words.split(WORD_SEPARATOR), array(LETTERS, rows[f"letters:{length}"]))
        return found

    def vocabulary(self) -> list[str]:
        with self._lock:
            row = self.db.execute("SELECT value FROM meta WHERE name = 'vocabulary'").fetchone()
            if row is None:  # an index written before the vocabulary was kept whole
                return [row[0] for row in self.db.execute("SELECT term FROM terms ORDER BY term")]
        return row[0].split(WORD_SEPARATOR) if row[0] else []

    def postings(self, terms: Iterable[str]) -> dict[str, set[int]]:
        found: dict[str, bytes] = {}
        with self._lock:
            for chunk in _chunks(list(terms)):
                marks = ",".join("?" * len(chunk))
                for term, keys in self.db.execute(f"SELECT term, keys FROM postings WHERE term IN ({marks})", chunk):
                    found[term] = found.get(term, b"") + keys
        result = {term: set(array(KEY, keys)) for term, keys in found.items()}
        if self._dead:
            for keys in result.values():
                keys -= self._dead
        return result

    def docs(self, keys: Iterable[int]) -> dict[int, Doc]:
        found: dict[int, Doc] = {}
        with self._lock:
            for chunk in _chunks(list(keys)):
                marks = ",".join("?" * len(chunk))
                for row in self.db.execute(f"SELECT * FROM docs WHERE key IN ({marks})", chunk):
                    found[row[0]] = Doc(
                        paragraph_id=row[1],
                        report_id=row[2],
                        authority=row[3],
                        number=row[4],
                        section_id=row[5],
                        section=row[6],
                        grade=row[7],
                        framework=row[8],
                        service=row[9],
                        text=row[10],
                        items=row[11].split(ITEM_SEPARATOR) if row[11] else [],
                    )
        return found

    def keys_where(self, query: Query) -> set[int]:
        conditions: list[str] = []
        values: list[str | int] = []
        if query.report_ids is not None:
            if not query.report_ids:
                return set()
            ids = sorted(query.report_ids)
            conditions.append(f"report_id IN ({','.join('?' * len(ids))})")
            values += ids
        if query.service:
            conditions.append("(service = ? OR substr(service, 1, ?) = ?)")
            values += [query.service, len(query.service), query.service]
        if query.section:
            conditions.append("instr(lower(section), ?) > 0")
            values.append(query.section)
        if query.grade:
            conditions.append("grade = ?")
            values.append(query.grade)
        if query.framework:
            conditions.append("framework = ?")
            values.append(query.framework)
        where = " AND ".join(conditions) or "1"
        with self._lock:
            return {row[0] for row in self.db.execute(f"SELECT key FROM docs WHERE {where}", values)}

    def keys_of(self, paragraph_ids: Iterable[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        with self._lock:
            for chunk in _chunks(list(paragraph_ids)):
                marks = ",".join("?" * len(chunk))
                found.update(
                    self.db.execute(f"SELECT paragraph_id, key FROM docs WHERE paragraph_id IN ({marks})", chunk)
                )
        return found

    def texts(self) -> list[str]:
        """Every paragraph's text (the search benchmark compares with fzf over them)."""
        with self._lock:
            return [text for (text,) in self.db.execute("SELECT text FROM docs ORDER BY key")]


def _keep_vocabulary(db: sqlite3.Connection) -> None:
    """Every word, sorted, as one value; and the words of each length with their letters as bits
    (core/search/fuzzy.py), the pools of near spellings. A search reads a few rows, where reading the 14,000 rows of
    `terms` (and making a list of them, and sorting it by length) was a tenth of what `ofsted-reader search` took.
    Written with each change of the words."""
    words = [row[0] for row in db.execute("SELECT term FROM terms ORDER BY term")]
    db.execute("INSERT OR REPLACE INTO meta VALUES ('vocabulary', ?)", (WORD_SEPARATOR.join(words),))
    db.execute("DELETE FROM meta WHERE name LIKE 'words:%' OR name LIKE 'letters:%'")
    by_length = _by_length(words)
    for length, group in by_length.items():
        db.execute("INSERT INTO meta VALUES (?, ?)", (f"words:{length}", WORD_SEPARATOR.join(group)))
        db.execute(
            "INSERT INTO meta VALUES (?, ?)", (f"letters:{length}", array(LETTERS, map(letters, group)).tobytes())
        )
    db.execute("INSERT OR REPLACE INTO meta VALUES ('lengths', ?)", (" ".join(map(str, sorted(by_length))),))


def _by_length(words: list[str], lengths: Iterable[int] | None = None) -> dict[int, list[str]]:
    wanted = set(lengths) if lengths is not None else None
    found: dict[int, list[str]] = {}
    for word in words:
        if wanted is None or len(word) in wanted:
            found.setdefault(len(word), []).append(word)
    return found


def build_index(reports: list[Report]) -> SearchIndex:
    """A search index of these reports, in memory (tests, and callers with no library)."""
    from ofsted_reader.core.search.engine import SearchIndex

    store = IndexStore()
    store.add((report, report.id) for report in reports)
    index = SearchIndex(store)
    index.entries = list(reports)
    return index
