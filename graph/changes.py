"""The change log: what every ingest added, changed and removed, and when.

It lives in SQLite at ``DIR/changes.sqlite`` and is the one source of dates for harvesters:
OAI-PMH datestamps and deletions, the sitemap's ``lastmod`` and the dumps' dates. Tables:

    ingests(id, finished, generation)           one row per ingest
    changes(ingest, iri, what, subject)         one row per entity or record change
    items(iri, kind, datestamp, deleted)        the current state of every OAI item
    item_sets(iri, set_spec)                    set membership (kind:*, collection:*)
    item_formats(iri, prefix, record)           collections' original records (marcxml, ead)
    sets(set_spec, name)                        the sets ListSets shows

Its after-ingest step (``record_ingest``) applies the ChangeSet, then reconciles the item
table with what the store describes, so a log started late (or rebuilt) still agrees with
the store.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from .changeset import ChangeSet
from .harvest_index import HarvestIndex, scan_entities, scan_store
from .oai_formats import forget_record_xml
from .rdf import IRI
from .store import GraphStore

log = logging.getLogger(__name__)

CHANGES_FILE = "changes.sqlite"
DATESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
FULL_SCAN_SHARE = 0.2  # past this share of the items changed, one scan beats a query each

SCHEMA = """
CREATE TABLE IF NOT EXISTS ingests(
    id INTEGER PRIMARY KEY, finished TEXT NOT NULL, generation INTEGER NOT NULL,
    changes INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS changes(
    ingest INTEGER NOT NULL REFERENCES ingests(id), iri TEXT NOT NULL,
    what TEXT NOT NULL CHECK (what IN ('added', 'changed', 'removed')),
    subject TEXT NOT NULL CHECK (subject IN ('entity', 'record')));
CREATE TABLE IF NOT EXISTS items(
    iri TEXT PRIMARY KEY, kind TEXT NOT NULL, datestamp TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS items_by_date ON items(datestamp, iri);
CREATE TABLE IF NOT EXISTS item_sets(
    iri TEXT NOT NULL, set_spec TEXT NOT NULL, PRIMARY KEY (set_spec, iri));
CREATE INDEX IF NOT EXISTS item_sets_by_iri ON item_sets(iri);
CREATE TABLE IF NOT EXISTS item_formats(
    iri TEXT NOT NULL, prefix TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (iri, prefix));
CREATE TABLE IF NOT EXISTS sets(set_spec TEXT PRIMARY KEY, name TEXT NOT NULL);
"""


class ChangeLogError(Exception):
    """A change log that cannot be used, with what to do about it."""


def datestamp(when: datetime) -> str:
    """A UTC datestamp at seconds granularity, as OAI-PMH and sitemaps write it."""
    if when.tzinfo is None:
        raise ChangeLogError(
            f"ingest time {when.isoformat()} has no time zone; expected an aware datetime"
        )
    return when.astimezone(UTC).strftime(DATESTAMP_FORMAT)


def changes_path(root: Path) -> Path:
    """Where the change log of the store directory ``root`` lives."""
    return root / CHANGES_FILE


def connect(root: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open the change log of ``root`` (created on the first writable open)."""
    path = changes_path(root)
    if readonly:
        if not path.exists():
            raise ChangeLogError(
                f"{path} does not exist: run `labourgraph ingest --store {root}` first"
            )
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    else:
        db = sqlite3.connect(path)
        db.executescript(SCHEMA)
    db.execute("PRAGMA busy_timeout = 10000")
    return db


def read_log(root: Path | None) -> sqlite3.Connection:
    """The change log of ``root`` for reading; an empty one if no ingest has written it yet."""
    if root is not None and changes_path(root).exists():
        return connect(root, readonly=True)
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.executescript(SCHEMA)
    return db


def record_ingest(store: GraphStore, changes: ChangeSet) -> None:
    """After-ingest step: log this ingest's changes and bring the OAI item state up to date."""
    if store.root is None:
        log.info("change log: in-memory store, nothing to record")
        return
    db = connect(store.root)
    try:
        with db:
            apply_changes(db, store, changes)
    finally:
        db.close()
    for record in changes.graphs_removed:
        forget_record_xml(store.root, store.base, record)


def apply_changes(db: sqlite3.Connection, store: GraphStore, changes: ChangeSet) -> int:
    """Log one ingest in ``db`` (one transaction, the caller's); the new ingest's id."""
    stamp = datestamp(changes.when)
    rows = [
        *_change_rows(
            0, "record", changes.graphs_added, changes.graphs_changed, changes.graphs_removed
        ),
        *_change_rows(
            0, "entity", changes.entities_added, changes.entities_changed, changes.entities_removed
        ),
    ]
    ingest = db.execute(
        "INSERT INTO ingests(finished, generation, changes) VALUES (?, ?, ?)",
        (stamp, store.generation, len(rows)),
    ).lastrowid
    assert ingest is not None
    db.executemany(
        "INSERT INTO changes(ingest, iri, what, subject) VALUES (?, ?, ?, ?)",
        [(ingest, *row[1:]) for row in rows],
    )
    if changes.empty and last_change(db, before=ingest) is not None:
        # nothing changed since a logged ingest: the item state is already right, and a
        # scan of the whole store is the expensive part of this step
        log.info("change log: ingest %d at %s changed nothing", ingest, stamp)
        return ingest
    touched = {str(i) for i in changes.entities_added | changes.entities_changed}
    records = frozenset(str(g) for g in changes.graphs_added | changes.graphs_changed)
    scope = _scope(db, store, changes, records, before=ingest)
    if scope is None:
        log.info("change log: scanning the whole store")
        index = scan_store(store, HarvestIndex(db).set_collections(store.base))
    else:
        log.info("change log: looking again at %d entities", len(scope))
        collections = {i for i in scope if i.startswith(f"{store.base}id/collection/")}
        index = scan_entities(store, scope, collections)
        scope |= set(index.items)
    HarvestIndex(db).update(index, touched, stamp, records, scope)
    log.info(
        "change log: ingest %d at %s, %d changes, %d items",
        ingest,
        stamp,
        len(rows),
        len(index.items),
    )
    return ingest


def _scope(
    db: sqlite3.Connection,
    store: GraphStore,
    changes: ChangeSet,
    records: frozenset[str],
    before: int,
) -> set[str] | None:
    """The IRIs whose item state this ingest may have changed, or None for a full scan.

    The first ingest of a log, and an ingest that touched a large share of the items, scan
    the whole store (one pass is cheaper than a query per entity then); otherwise only the
    entities the ChangeSet names, the items their collections hold, and the items whose
    original record changed are looked at again.
    """
    if last_change(db, before=before) is None:
        return None
    prefix = f"{store.base}id/"
    named = {
        str(i)
        for i in changes.entities_added | changes.entities_changed | changes.entities_removed
        if str(i).startswith(prefix)
    }
    items = int(db.execute("SELECT COUNT(*) FROM items").fetchone()[0])
    if len(named) > FULL_SCAN_SHARE * items:
        return None
    specs = [
        f"collection:{i.rsplit('/', 1)[-1]}" for i in named if i.startswith(f"{prefix}collection/")
    ]
    held = {
        iri
        for spec in specs
        for (iri,) in db.execute("SELECT iri FROM item_sets WHERE set_spec = ?", (spec,))
    }
    formats = {
        iri
        for record in records
        for (iri,) in db.execute("SELECT iri FROM item_formats WHERE record = ?", (record,))
    }
    return named | held | formats


def _change_rows(
    ingest: int, subject: str, added: Iterable[IRI], changed: Iterable[IRI], removed: Iterable[IRI]
) -> Iterator[tuple[int, str, str, str]]:
    for what, iris in (("added", added), ("changed", changed), ("removed", removed)):
        for iri in sorted(iris):
            yield ingest, str(iri), what, subject


def last_change(db: sqlite3.Connection, before: int | None = None) -> tuple[int, str] | None:
    """The id and datestamp of the newest ingest that changed something (or the first ingest).

    Resumption tokens, the dumps' dates and the sitemap index's lastmod follow it: an ingest
    that changed nothing expires no harvest.
    """
    row = db.execute(
        "SELECT id, finished FROM ingests WHERE (changes > 0 OR id = (SELECT MIN(id) FROM ingests))"
        " AND id < ? ORDER BY id DESC LIMIT 1",
        (before if before is not None else 2**62,),
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def item_datestamp(db: sqlite3.Connection, iri: str) -> tuple[str, bool] | None:
    """An item's datestamp and whether it is deleted, or None if it was never an item."""
    row = db.execute("SELECT datestamp, deleted FROM items WHERE iri = ?", (iri,)).fetchone()
    return (str(row[0]), bool(row[1])) if row else None


def changes_since(db: sqlite3.Connection, ingest: int) -> list[tuple[str, str, str]]:
    """(iri, what, subject) of every change logged by ``ingest``."""
    return [
        (str(a), str(b), str(c))
        for a, b, c in db.execute(
            "SELECT iri, what, subject FROM changes WHERE ingest = ? ORDER BY rowid", (ingest,)
        )
    ]


def last_change_time(root: Path | None) -> str | None:
    """The datestamp of ``last_change`` in a store directory's log, or None before any ingest."""
    db = read_log(root)
    try:
        row = last_change(db)
    finally:
        db.close()
    return row[1] if row else None
