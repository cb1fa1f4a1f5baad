"""The search index: SQLite (FTS5 and B-tree keys) at ``DIR/search.sqlite``, or in memory.

Ranking: a whole name equal to the query comes first, then a name beginning with it, then names
holding all its words, then descriptions; within each, the stronger spelling (as written, then
transliteration variant, then initials), the kinds people look for most, and popularity (how
many statements point at the entity). A short prefix such as ``g`` matches a large part of the
index, so the best entities of every *hot* prefix (one matching more than ``HOT`` keys) are
kept ready by kind, and as-you-type search stays a few index lookups.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .iris import Kind
from .names import fold
from .search_entries import IndexEntry
from .search_keys import KIND_PRIOR, QueryForms, entry_keys, entry_words

log = logging.getLogger(__name__)

HOT = 2000
HOT_TOP = 40
MAX_HOT_LENGTH = 16
EXACT, PREFIX, WORDS, ABJAD, DESCRIPTION = 4000, 3000, 2000, 1500, 1000
_RANK = "n.weight * 10 + e.prior"

SCHEMA = """
CREATE TABLE IF NOT EXISTS entity (id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL, label TEXT NOT NULL, description TEXT NOT NULL, start_year INTEGER,
  end_year INTEGER, links INTEGER NOT NULL, prior INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS name_key (key TEXT NOT NULL, entity INTEGER NOT NULL,
  weight INTEGER NOT NULL, whole INTEGER NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS words USING fts5(names, description, tokenize='ascii',
  prefix='2 3');
CREATE TABLE IF NOT EXISTS hot (prefix TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS hot_top (prefix TEXT NOT NULL, kind TEXT NOT NULL,
  entity INTEGER NOT NULL, rank INTEGER NOT NULL, links INTEGER NOT NULL);
"""
INDEXES = """
CREATE INDEX IF NOT EXISTS name_key_key ON name_key(key, whole);
CREATE INDEX IF NOT EXISTS name_key_entity ON name_key(entity);
CREATE INDEX IF NOT EXISTS hot_top_prefix ON hot_top(prefix, kind);
CREATE INDEX IF NOT EXISTS hot_top_entity ON hot_top(entity);
"""


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

    def sql(self) -> tuple[str, list[object]]:
        """A condition on the entity row ``e``, and its parameters."""
        clauses, params = ["1"], list[object]()
        if self.kind:
            clauses.append("e.kind = ?")
            params.append(self.kind.value)
        if self.year_from is not None:
            clauses.append("coalesce(e.end_year, e.start_year) >= ?")
            params.append(self.year_from)
        if self.year_to is not None:
            clauses.append("coalesce(e.start_year, e.end_year) <= ?")
            params.append(self.year_to)
        return " AND ".join(clauses), params


class SearchIndex:
    """A search index in one SQLite database."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    @classmethod
    def connect(cls, path: Path | None, *, writable: bool = False) -> SearchIndex:
        """The index at ``path`` (in memory when None), created when writable."""
        if path is None:
            db = sqlite3.connect(":memory:", check_same_thread=False)
        elif writable:
            db = sqlite3.connect(path, timeout=30, check_same_thread=False)
        else:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30,
                                 check_same_thread=False)
        if path is None or writable:
            db.executescript(SCHEMA)
        return cls(db)

    def close(self) -> None:
        """Release the database."""
        self._db.close()

    def count(self) -> int:
        """How many entities the index holds."""
        return int(self._db.execute("SELECT count(*) FROM entity").fetchone()[0])

    # -- searching ---------------------------------------------------------------------------
    def search(self, text: str, filters: Filters | None = None, limit: int = 10) -> list[Hit]:
        """The entities that best match ``text``, best first."""
        forms = QueryForms.of(text)
        if not forms.words:
            return []
        where, params = (filters or Filters()).sql()
        scores: dict[int, int] = {}
        marks = ",".join("?" * len(forms.exact))
        self._take(scores, EXACT, f"SELECT n.entity, {_RANK} AS rank FROM name_key AS n "
                   "JOIN entity AS e ON e.id = n.entity "
                   f"WHERE n.key IN ({marks}) AND n.whole = 1 AND {where} "
                   "ORDER BY rank DESC, e.links DESC LIMIT ?", [*forms.exact, *params, limit])
        for prefix in forms.prefixes:
            self._take(scores, PREFIX, *self._prefix_sql(prefix, filters, where, params, limit))
        if forms.consonants:
            self._take_all_words(scores, forms.consonants, where, params)
        if len(scores) < limit:
            self._take_fts(scores, WORDS, f"names : ({forms.fts()})", where, params, limit)
        if len(scores) < limit:
            self._take_fts(scores, DESCRIPTION, f"description : ({forms.fts()})", where, params,
                           limit)
        return self._hits(scores, limit)

    def _prefix_sql(self, prefix: str, filters: Filters | None, where: str,
                    params: list[object], limit: int) -> tuple[str, list[object]]:
        if not self._db.execute("SELECT 1 FROM hot WHERE prefix = ?", (prefix,)).fetchone():
            return (f"SELECT n.entity, max({_RANK}) AS rank FROM name_key AS n JOIN entity AS e "
                    f"ON e.id = n.entity WHERE n.key >= ? AND n.key < ? AND {where} "
                    "GROUP BY n.entity ORDER BY rank DESC, max(e.links) DESC LIMIT ?",
                    [prefix, prefix + "\x7f", *params, limit])
        # a hot prefix: its best entities of each kind were ranked when the index was written
        return ("SELECT h.entity, h.rank FROM hot_top AS h JOIN entity AS e ON e.id = h.entity "
                f"WHERE h.prefix = ? AND {where} ORDER BY h.rank DESC, h.links DESC LIMIT ?",
                [prefix, *params, limit])

    def _take(self, scores: dict[int, int], tier: int, sql: str, params: list[object]) -> None:
        for entity, rank in self._db.execute(sql, params):
            scores[entity] = max(scores.get(entity, 0), tier + rank)

    def _take_fts(self, scores: dict[int, int], tier: int, match: str, where: str,
                  params: list[object], limit: int) -> None:
        # rowids follow popularity (see fill), so the first matches are the best known ones
        self._take(scores, tier, "SELECT w.rowid, e.prior FROM words AS w JOIN entity AS e "
                   f"ON e.id = w.rowid WHERE words MATCH ? AND {where} ORDER BY w.rowid LIMIT ?",
                   [match, *params, limit * 5])

    def _take_all_words(self, scores: dict[int, int], keys: Sequence[str], where: str,
                        params: list[object]) -> None:
        found: set[int] | None = None
        for key in keys:
            rows = self._db.execute(
                "SELECT n.entity FROM name_key AS n JOIN entity AS e ON e.id = n.entity "
                f"WHERE n.key = ? AND {where} LIMIT 5000", [key, *params])
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
            chunk = ids[start:start + 500]
            rows += self._db.execute(
                "SELECT id, iri, label, kind, description, start_year, end_year, links FROM entity "
                f"WHERE id IN ({','.join('?' * len(chunk))})", chunk).fetchall()
        rows.sort(key=lambda r: (-scores[r[0]], -r[7], r[2], r[1]))
        return [Hit(iri, label, Kind(kind), description, start, end)
                for _, iri, label, kind, description, start, end, _ in rows[:limit]]

    # -- writing ---------------------------------------------------------------------------
    def fill(self, entries: Sequence[IndexEntry]) -> None:
        """Index every entry into an empty index (most popular first: FTS order is rowid order)."""
        ranked = sorted(entries, key=lambda e: (-e.links, e.iri))
        # a fresh file that is renamed into place only when complete needs no journal
        self._db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
        with self._db:
            for number, entry in enumerate(ranked, start=1):
                self._insert(number, entry)
            self._db.executescript(INDEXES)
            self._find_hot_prefixes()
            self._refresh_hot(self._all_hot())
            self._db.execute("ANALYZE")

    def apply(self, updates: Iterable[tuple[str, IndexEntry | None]]) -> int:
        """Replace (or, for None, remove) the given entities; how many were touched."""
        touched: set[str] = set()
        count = 0
        with self._db:
            for iri, entry in updates:
                count += 1
                row = self._db.execute("SELECT id FROM entity WHERE iri = ?", (iri,)).fetchone()
                if row:
                    self._delete(row[0])
                if entry is not None:
                    number = row[0] if row else self._next_id()
                    touched.update(self._insert(number, entry))
            self._refresh_hot(self._hot_under(touched))
        return count

    def _next_id(self) -> int:
        return int(self._db.execute("SELECT coalesce(max(id), 0) + 1 FROM entity").fetchone()[0])

    def _insert(self, number: int, entry: IndexEntry) -> list[str]:
        self._db.execute(
            "INSERT INTO entity VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (number, entry.iri, entry.kind.value, entry.label, entry.description,
             entry.start_year, entry.end_year, entry.links, KIND_PRIOR.get(entry.kind, 0)))
        keys = entry_keys(entry)
        self._db.executemany("INSERT INTO name_key VALUES (?, ?, ?, ?)",
                             [(k, number, w, whole) for k, (w, whole) in keys.items()])
        self._db.execute("INSERT INTO words(rowid, names, description) VALUES (?, ?, ?)",
                         (number, entry_words(entry), fold(entry.description)))
        return list(keys)

    def _delete(self, number: int) -> None:
        for table, column in (("name_key", "entity"), ("hot_top", "entity"), ("words", "rowid"),
                              ("entity", "id")):
            self._db.execute(f"DELETE FROM {table} WHERE {column} = ?", (number,))

    # -- hot prefixes ----------------------------------------------------------------------
    def _find_hot_prefixes(self) -> None:
        self._db.execute("DELETE FROM hot")
        parents = [""]
        for length in range(1, MAX_HOT_LENGTH + 1):
            found: list[str] = []
            for parent in parents:
                found += [p for (p,) in self._db.execute(
                    "SELECT substr(key, 1, ?) FROM name_key WHERE key >= ? AND key < ? "
                    "GROUP BY 1 HAVING count(*) > ?", (length, parent, parent + "~", HOT))]
            found = [p for p in found if len(p) == length]
            self._db.executemany("INSERT OR IGNORE INTO hot VALUES (?)", [(p,) for p in found])
            if not found:
                break
            parents = found

    def _all_hot(self) -> list[str]:
        return [p for (p,) in self._db.execute("SELECT prefix FROM hot")]

    def _hot_under(self, keys: Iterable[str]) -> list[str]:
        wanted = {key[:n] for key in keys for n in range(1, min(len(key), MAX_HOT_LENGTH) + 1)}
        return [p for p in wanted
                if self._db.execute("SELECT 1 FROM hot WHERE prefix = ?", (p,)).fetchone()]

    def _refresh_hot(self, prefixes: Iterable[str]) -> None:
        for prefix in prefixes:
            self._db.execute("DELETE FROM hot_top WHERE prefix = ?", (prefix,))
            self._db.execute(
                f"INSERT INTO hot_top SELECT ?, kind, id, rank, links FROM ("
                f" SELECT e.id, e.kind, {_RANK} AS rank, e.links, ROW_NUMBER() OVER ("
                f"  PARTITION BY e.kind ORDER BY {_RANK} DESC, e.links DESC, e.id) AS r"
                "  FROM (SELECT entity, max(weight) AS weight FROM name_key"
                "        WHERE key >= ? AND key < ? GROUP BY entity) AS n"
                "  JOIN entity AS e ON e.id = n.entity) WHERE r <= ?",
                (prefix, prefix, prefix + "\x7f", HOT_TOP))
