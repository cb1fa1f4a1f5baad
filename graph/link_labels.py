"""The label every link to an entity or record shows, computed once per ingest, not per page.

A link is labelled by the entity's schema:name values, else by its variants and identifier
(a source record has only an identifier), ranked by ``entity_rows.preferred_label``. An entity
page links to up to a few hundred entities and records, and asking the store for their names
cost about 15 µs per link on a 5-million-triple store: the search index (``search.sqlite``)
therefore keeps each link label in ``link_label``, written by the same reads as its entries and
tagged with the store generation it was read from. A page takes the labels of that generation
only (``LabelTable.lookup``) and asks the store for the rest: in the moment between a publish and
the index update, for in-memory and remote stores, and for links the table does not know.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence

from .entity_rows import preferred_label
from .rdf import Lit, Term
from .store import GraphStore, OxigraphStore
from .vocab import SCHEMA

LABEL_COLUMNS = {
    str(SCHEMA.name): "name",
    str(SCHEMA.alternateName): "alternate",
    str(SCHEMA.identifier): "identifier",
}
NAME = str(SCHEMA.name)
TABLES = """
CREATE TABLE IF NOT EXISTS link_label (iri TEXT PRIMARY KEY, label TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS link_label_built (generation INTEGER NOT NULL);
"""
LOOKUP_CHUNK = 500  # parameters per statement, well under SQLite's limit
Said = dict[str, list[tuple[str, str, str]]]  # IRI -> its naming statements (property, value, lang)


def link_label(iri: str, said: Sequence[tuple[str, Term]]) -> str:
    """The label of a link to ``iri`` from its naming statements (property, value): its
    schema:names if it has any, else its variants and identifier; else its key."""
    names = [{"name": o} for p, o in said if p == NAME]
    if len(names) == 1:
        return str(names[0]["name"])  # most entities: one name, nothing to rank
    rows = names or [{LABEL_COLUMNS[p]: o} for p, o in said if p in LABEL_COLUMNS]
    return preferred_label(rows, iri)


def gather(id_prefix: str, rows: Iterable[tuple[str, ...]], said: Said) -> None:
    """Keep the naming statements among rows (entity, property, value, lang) of plain text."""
    for entity, prop, value, lang in rows:
        if prop in LABEL_COLUMNS and entity.startswith(id_prefix):
            said.setdefault(entity, []).append((prop, value, lang))


def labels_of(said: Mapping[str, Sequence[tuple[str, str, str]]]) -> dict[str, str]:
    """The link label of every IRI that has naming statements."""
    labels = {}
    for iri, found in said.items():
        if len(found) > 1:  # a statement given by many records counts once: the same label
            found = list(dict.fromkeys(found))
        if len(found) == 1:  # most entities and records: one name or identifier, nothing to rank
            labels[iri] = found[0][1]
        elif found:
            labels[iri] = link_label(iri, [(p, Lit(v, lang or None)) for p, v, lang in found])
    return labels


def table_usable(store: GraphStore) -> bool:
    """Whether pages of this store may take labels from its search index: an embedded store on
    disk (a remote store shows an ingest batch by batch, before its generation moves on)."""
    return isinstance(store, OxigraphStore) and store.root is not None


class LabelTable:
    """The link labels of a search index, each valid for the generation it was read from."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def lookup(self, iris: Sequence[str], generation: int) -> dict[str, str]:
        """The labels the table holds for these IRIs if it was built from ``generation`` (else
        none): one statement per chunk, so the generation and labels are read together."""
        found: dict[str, str] = {}
        try:
            for start in range(0, len(iris), LOOKUP_CHUNK):
                chunk = iris[start : start + LOOKUP_CHUNK]
                found.update(
                    self._db.execute(
                        f"SELECT iri, label FROM link_label WHERE iri IN "
                        f"({','.join('?' * len(chunk))}) AND "
                        "(SELECT max(generation) FROM link_label_built) = ?",
                        [*chunk, generation],
                    )
                )
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                raise
            return {}  # an index written before link labels: the store answers instead
        return found

    def built(self) -> bool:
        """Whether the table was ever filled whole (an index written before link labels was
        not: the next ingest rebuilds it)."""
        try:
            return self._db.execute("SELECT 1 FROM link_label_built").fetchone() is not None
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                raise
            return False

    def fill(self, labels: Mapping[str, str], generation: int) -> None:
        """Write every label into an empty table, read from ``generation`` of the store."""
        self._db.executemany("INSERT INTO link_label VALUES (?, ?)", sorted(labels.items()))
        self._db.execute("DELETE FROM link_label_built")
        self._db.execute("INSERT INTO link_label_built VALUES (?)", (generation,))

    def apply(self, labels: Mapping[str, str | None], generation: int) -> None:
        """Replace (or, for None, remove) these labels, now valid for ``generation``; a table
        that was never filled whole stays unused (its generation is never set)."""
        self._db.executemany(
            "DELETE FROM link_label WHERE iri = ?", [(i,) for i, v in labels.items() if v is None]
        )
        self._db.executemany(
            "INSERT OR REPLACE INTO link_label VALUES (?, ?)",
            [(i, v) for i, v in sorted(labels.items()) if v is not None],
        )
        self._db.execute("UPDATE link_label_built SET generation = ?", (generation,))
