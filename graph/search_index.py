"""The search index: SQLite (FTS5 and B-tree keys) at ``DIR/search.sqlite``, or in memory.

Ranking: a whole name equal to the query comes first, then a name beginning with it, then names
holding all its words, then descriptions; within each, the stronger spelling (as written, then
transliteration variant, then initials), the kinds people look for most, and popularity (how
many statements point at the entity). A short prefix such as ``g`` matches a large part of the
index, so the best entities of every *hot* prefix are kept ready by kind (``search_hot``).
Each key row carries its entity's rank, links and kind, so an unfiltered lookup never leaves
the covering index of keys.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from . import search_hot
from .iris import Kind
from .link_labels import TABLES, LabelTable
from .names import fold
from .search_entries import IndexEntry
from .search_keys import KIND_PRIOR, QueryForms, entry_keys, entry_words

log = logging.getLogger(__name__)

FORMAT = 2  # PRAGMA user_version of the index files this code writes and reads
EXACT, PREFIX, WORDS, ABJAD, DESCRIPTION = 4000, 3000, 2000, 1500, 1000
FILL_CHUNK = 2000  # entities written per statement by a full build (their rows held meanwhile)

SCHEMA = """
CREATE TABLE IF NOT EXISTS entity (id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL, label TEXT NOT NULL, description TEXT NOT NULL, start_year INTEGER,
  end_year INTEGER, links INTEGER NOT NULL, prior INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS name_key (key TEXT NOT NULL, entity INTEGER NOT NULL,
  whole INTEGER NOT NULL, rank INTEGER NOT NULL, links INTEGER NOT NULL, kind TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS words USING fts5(names, description, tokenize='ascii',
  prefix='2 3');
CREATE TABLE IF NOT EXISTS hot (prefix TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS hot_top (prefix TEXT NOT NULL, kind TEXT NOT NULL,
  entity INTEGER NOT NULL, rank INTEGER NOT NULL, links INTEGER NOT NULL);
"""
INDEXES = """
CREATE INDEX IF NOT EXISTS name_key_key ON name_key(key, whole, rank, links, entity, kind);
CREATE INDEX IF NOT EXISTS name_key_entity ON name_key(entity);
CREATE INDEX IF NOT EXISTS hot_top_prefix ON hot_top(prefix, kind, rank, links);
CREATE INDEX IF NOT EXISTS hot_top_entity ON hot_top(entity);
"""


class _Rows(NamedTuple):
    """One entity's rows in the tables ``entity``, ``name_key`` and ``words``."""

    entity: tuple[object, ...]
    keys: list[tuple[str, int, int, int, int, str]]
    words: tuple[int, str, str]


def _rows(number: int, entry: IndexEntry) -> _Rows:
    """The rows of one entity, numbered ``number``."""
    prior, kind, links = KIND_PRIOR.get(entry.kind, 0), entry.kind.value, entry.links
    return _Rows(
        (
            number,
            entry.iri,
            kind,
            entry.label,
            entry.description,
            entry.start_year,
            entry.end_year,
            links,
            prior,
        ),
        [
            (key, number, whole, weight * 10 + prior, links, kind)
            for key, (weight, whole) in entry_keys(entry).items()
        ],
        (number, entry_words(entry), fold(entry.description)),
    )


@dataclass(frozen=True)
class Hit:
    """One search result."""

    iri: str
    label: str
    kind: Kind
    description: str
    start_year: int | None
    end_year: int | None


@dataclass(frozen=True)
class Filters:
    """What a search is narrowed to: a kind, and years an entity's dates must overlap."""

    kind: Kind | None = None
    year_from: int | None = None
    year_to: int | None = None

    def sql(self, row: str, entity: str) -> tuple[str, str, list[object]]:
        """A join to the entity row ``e`` (only when years are asked for: ``row`` has a kind
        column, and ``row.entity`` is the entity's id), a condition, and its parameters."""
        clauses, params = ["1"], list[object]()
        if self.kind:
            clauses.append(f"{row}.kind = ?")
            params.append(self.kind.value)
        if self.year_from is not None:
            clauses.append("coalesce(e.end_year, e.start_year) >= ?")
            params.append(self.year_from)
        if self.year_to is not None:
            clauses.append("coalesce(e.start_year, e.end_year) <= ?")
            params.append(self.year_to)
        dated = self.year_from is not None or self.year_to is not None
        join = f" JOIN entity AS e ON e.id = {row}.{entity}" if dated and row != "e" else ""
        return join, " AND ".join(clauses), params


class SearchIndex:
    """A search index in one SQLite database."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._hot: frozenset[str] | None = None

    @classmethod
    def connect(cls, path: Path | None, *, writable: bool = False) -> SearchIndex:
        """The index at ``path`` (in memory when None), created when writable."""
        if path is None:
            db = sqlite3.connect(":memory:", check_same_thread=False)
        elif writable:
            db = sqlite3.connect(path, timeout=30, check_same_thread=False)
        else:
            db = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro",
                uri=True,
                timeout=30,
                check_same_thread=False,
                cached_statements=256,
            )
            # every worker maps the same pages instead of copying them into its own cache
            db.executescript(
                "PRAGMA query_only = 1; PRAGMA mmap_size = 1073741824;"
                "PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY;"
            )
        if path is None or writable:
            if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
                db.execute(f"PRAGMA user_version = {FORMAT}")  # a new file, in this format
            db.executescript(SCHEMA + TABLES)
        return cls(db)

    def format(self) -> int:
        """The format the index file was written in (FORMAT when this code wrote it)."""
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        """Release the database."""
        self._db.close()

    def count(self) -> int:
        """How many entities the index holds."""
        return int(self._db.execute("SELECT count(*) FROM entity").fetchone()[0])

    def labels(self) -> LabelTable:
        """The link labels of entity pages kept beside the entries (see ``link_labels``)."""
        return LabelTable(self._db)

    def hot(self) -> frozenset[str]:
        """The hot prefixes (fixed between full builds, so read once)."""
        if self._hot is None:
            self._hot = frozenset(p for (p,) in self._db.execute("SELECT prefix FROM hot"))
        return self._hot

    # -- searching ---------------------------------------------------------------------------
    def search(self, text: str, filters: Filters | None = None, limit: int = 10) -> list[Hit]:
        """The entities that best match ``text``, best first."""
        forms = QueryForms.of(text)
        if not forms.words:
            return []
        narrow = filters or Filters()
        join, where, params = narrow.sql("n", "entity")
        scores: dict[int, int] = {}
        marks = ",".join("?" * len(forms.exact))
        self._take(
            scores,
            EXACT,
            f"SELECT n.entity, n.rank FROM name_key AS n{join} "
            f"WHERE n.key IN ({marks}) AND n.whole = 1 AND {where} "
            "ORDER BY n.rank DESC, n.links DESC LIMIT ?",
            [*forms.exact, *params, limit],
        )
        for prefix in forms.prefixes:
            self._take(scores, PREFIX, *self._prefix_sql(prefix, narrow, limit))
        if forms.consonants:
            self._take_all_words(scores, forms.consonants, join, where, params)
        if len(scores) < limit:
            self._take_fts(scores, WORDS, f"names : ({forms.fts()})", narrow, limit)
        if len(scores) < limit:
            self._take_fts(scores, DESCRIPTION, f"description : ({forms.fts()})", narrow, limit)
        return self._hits(scores, limit)

    def _prefix_sql(self, prefix: str, narrow: Filters, limit: int) -> tuple[str, list[object]]:
        if prefix not in self.hot():
            join, where, params = narrow.sql("n", "entity")
            return (
                f"SELECT n.entity, max(n.rank) AS rank FROM name_key AS n{join} "
                f"WHERE n.key >= ? AND n.key < ? AND {where} "
                "GROUP BY n.entity ORDER BY rank DESC, max(n.links) DESC LIMIT ?",
                [prefix, prefix + "\x7f", *params, limit],
            )
        # a hot prefix: its best entities of each kind were ranked when the index was written
        join, where, params = narrow.sql("h", "entity")
        return (
            f"SELECT h.entity, h.rank FROM hot_top AS h{join} "
            f"WHERE h.prefix = ? AND {where} ORDER BY h.rank DESC, h.links DESC LIMIT ?",
            [prefix, *params, limit],
        )

    def _take(self, scores: dict[int, int], tier: int, sql: str, params: list[object]) -> None:
        for entity, rank in self._db.execute(sql, params):
            scores[entity] = max(scores.get(entity, 0), tier + rank)

    def _take_fts(
        self, scores: dict[int, int], tier: int, match: str, narrow: Filters, limit: int
    ) -> None:
        # rowids follow popularity (see fill), so the first matches are the best known ones
        _, where, params = narrow.sql("e", "id")
        self._take(
            scores,
            tier,
            "SELECT w.rowid, e.prior FROM words AS w JOIN entity AS e "
            f"ON e.id = w.rowid WHERE words MATCH ? AND {where} ORDER BY w.rowid LIMIT ?",
            [match, *params, limit * 5],
        )

    def _take_all_words(
        self,
        scores: dict[int, int],
        keys: Sequence[str],
        join: str,
        where: str,
        params: list[object],
    ) -> None:
        found: set[int] | None = None
        for key in keys:
            rows = self._db.execute(
                f"SELECT n.entity FROM name_key AS n{join} WHERE n.key = ? AND {where} LIMIT 5000",
                [key, *params],
            )
            matched = {entity for (entity,) in rows}
            found = matched if found is None else found & matched
        for entity in found or ():
            scores[entity] = max(scores.get(entity, 0), ABJAD)

    def _hits(self, scores: dict[int, int], limit: int) -> list[Hit]:
        if not scores:
            return []
        rows = []
        ids = list(scores)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows += self._db.execute(
                "SELECT id, iri, label, kind, description, start_year, end_year, links FROM entity "
                f"WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
        rows.sort(key=lambda r: (-scores[r[0]], -r[7], r[2], r[1]))
        return [
            Hit(iri, label, Kind(kind), description, start, end)
            for _, iri, label, kind, description, start, end, _ in rows[:limit]
        ]

    # -- writing ---------------------------------------------------------------------------
    def fill(
        self,
        entries: Sequence[IndexEntry],
        labels: Mapping[str, str] | None = None,
        generation: int = 0,
    ) -> None:
        """Index every entry into an empty index (most popular first: FTS order is rowid order),
        and the link labels (when given) read from ``generation`` of the store."""
        ranked = sorted(entries, key=lambda e: (-e.links, e.iri))
        # a fresh file that is renamed into place only when complete needs no journal
        self._db.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
            "PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;"
        )
        with self._db:
            for start in range(0, len(ranked), FILL_CHUNK):
                chunk = ranked[start : start + FILL_CHUNK]
                self._write([_rows(n, e) for n, e in enumerate(chunk, start=start + 1)])
            self._db.executescript(INDEXES)
            search_hot.rank_all(self._db, search_hot.find_hot(self._db))
            self._db.execute("ANALYZE")
            if labels is not None:  # after ANALYZE: a lookup by primary key needs no statistics
                self.labels().fill(labels, generation)
        self._hot = None

    def apply(
        self,
        updates: Iterable[tuple[str, IndexEntry | None]],
        labels: Mapping[str, str | None] | None = None,
        generation: int = 0,
    ) -> int:
        """Replace (or, for None, remove) the given entities; how many were touched. ``labels``:
        the link labels to replace (None: remove), now valid for ``generation``.

        Costs what changed: the hot-prefix lists are re-ranked only where a touched entity
        enters them, and re-read from the keys only where one left them or fell.
        """
        hot = self.hot()
        entered: set[tuple[str, str]] = set()
        floors: dict[tuple[str, str], tuple[int, int, int]] = {}
        left: set[tuple[str, str, int, int, int]] = set()
        count = 0
        with self._db:
            for iri, entry in updates:
                count += 1
                row = self._db.execute("SELECT id FROM entity WHERE iri = ?", (iri,)).fetchone()
                if row:
                    left |= search_hot.forget(self._db, row[0])
                    self._delete(row[0])
                if entry is not None:
                    number = row[0] if row else self._next_id()
                    keys = self._insert(number, entry)
                    entered |= search_hot.enter(
                        self._db,
                        number,
                        entry.kind.value,
                        entry.links,
                        search_hot.hot_ranks(keys, hot),
                        floors,
                    )
            search_hot.settle(self._db, entered, left)
            if labels is not None:
                self.labels().apply(labels, generation)
        return count

    def _next_id(self) -> int:
        return int(self._db.execute("SELECT coalesce(max(id), 0) + 1 FROM entity").fetchone()[0])

    def _insert(self, number: int, entry: IndexEntry) -> dict[str, int]:
        """Write one entity; its keys and the rank each gives it."""
        rows = _rows(number, entry)
        self._write([rows])
        return {key: rank for key, _, _, rank, _, _ in rows.keys}

    def _write(self, entities: Sequence[_Rows]) -> None:
        """Write these entities' rows: a statement per table, not per entity."""
        self._db.executemany(
            "INSERT INTO entity VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [e.entity for e in entities]
        )
        self._db.executemany(
            "INSERT INTO name_key VALUES (?, ?, ?, ?, ?, ?)", [k for e in entities for k in e.keys]
        )
        self._db.executemany(
            "INSERT INTO words(rowid, names, description) VALUES (?, ?, ?)",
            [e.words for e in entities],
        )

    def _delete(self, number: int) -> None:
        for table, column in (
            ("name_key", "entity"),
            ("hot_top", "entity"),
            ("words", "rowid"),
            ("entity", "id"),
        ):
            self._db.execute(f"DELETE FROM {table} WHERE {column} = ?", (number,))
