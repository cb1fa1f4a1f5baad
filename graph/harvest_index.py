"""What the OAI repository holds, read from the store and kept in the change log's tables.

The store says which items exist now, their sets and which original records they have; the
change log keeps, per item, the datestamp of its last change and whether it was deleted, so
harvesters can ask for what changed since a date without touching the store.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import queries
from .entity_relations import with_values
from .iris import IRIError, Kind, parse
from .oai_formats import record_xml_path
from .rdf import IRI, Lit, Term
from .store import GraphStore

# Items are the entities and the collections; dated roles and source records are not.
ITEM_KINDS = frozenset(k for k in Kind if k not in (Kind.ROLE, Kind.RECORD))
ORIGINAL_FORMATS = ("marcxml", "ead")
KIND_SET = "kind"
COLLECTION_SET = "collection"
PARENT_SET_NAMES = {KIND_SET: "Items by kind", COLLECTION_SET: "Items by holding collection"}


def kind_set(kind: str) -> str:
    """The setSpec of the set of items of one kind."""
    return f"{KIND_SET}:{kind}"


def collection_set(key: str) -> str:
    """The setSpec of the set of items a collection holds."""
    return f"{COLLECTION_SET}:{key}"


@dataclass
class StoreIndex:
    """The items of the store now: kind, sets and original records of each."""

    items: dict[str, str] = field(default_factory=dict)  # iri -> kind
    sets: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    set_names: dict[str, str] = field(default_factory=dict)
    formats: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))


def scan_store(store: GraphStore, set_collections: Iterable[str] = ()) -> StoreIndex:
    """Read every item, its sets and its original records from the store.

    ``set_collections`` are collections whose sets the log already has: their names are read
    too, so a set kept for deleted items is named as the store names it now.
    """
    index = StoreIndex()
    base = store.base
    prefix = f"{base}id/"
    # the typed subjects' text is tested here: the same test in SPARQL costs more than the scan
    for (iri,) in store.select_plain("typed_subjects", ("e",)):
        if not iri.startswith(prefix):
            continue
        try:
            kind, _ = parse(base, iri)
        except IRIError:
            continue
        if kind in ITEM_KINDS:
            index.items[iri] = kind.value
            index.sets[iri].add(kind_set(kind.value))
    collections = [i for i, kind in index.items.items() if kind == Kind.COLLECTION.value]
    _scan_collections(store, index, collections, set(set_collections) - set(collections))
    return index


def _scan_collections(
    store: GraphStore, index: StoreIndex, collections: list[str], named_too: set[str]
) -> None:
    """The sets, set names and original records of the collections among the items."""
    base = store.base
    query = with_values(queries.load("harvest_collection_holdings"), "collection", collections)
    for row in store.select_text(query):
        item, collection = str(row["item"]), str(row["collection"])
        if item in index.items:
            _, key = parse(base, collection)
            index.sets[item].add(collection_set(key))
            index.sets[collection].add(collection_set(key))
    named = [*collections, *sorted(named_too)]
    query = with_values(queries.load("harvest_collection_names"), "collection", named)
    for row in store.select_text(query):
        _keep_smallest(index.set_names, collection_set(parse(base, row["collection"])[1]), row)
    query = with_values(queries.load("harvest_source_records"), "item", collections)
    for row in store.select_text(query):
        if _kept(store, str(row["record"])):
            index.formats[str(row["item"])][str(row["format"])] = str(row["record"])


def scan_entities(store: GraphStore, iris: set[str], collections_touched: set[str]) -> StoreIndex:
    """Like ``scan_store``, for these entities only, one small query each.

    ``collections_touched`` are collections whose own statements changed: the items they hold
    (before, in ``iris`` already, and now, found here) may have changed sets.
    """
    index = StoreIndex()
    base, prefix = store.base, Lit(f"{store.base}id/{Kind.COLLECTION.value}/")
    for collection in collections_touched:
        rows = store.select("harvest_holdings", prefix=prefix, collection=IRI(collection))
        iris = iris | {str(r["item"]) for r in rows}
    for iri in iris:
        try:
            kind, _ = parse(base, iri)
        except IRIError:
            continue
        if kind not in ITEM_KINDS or not store.select(
            "harvest_items", prefix=Lit(f"{base}id/"), item=IRI(iri)
        ):
            continue
        index.items[iri] = kind.value
        index.sets[iri].add(kind_set(kind.value))
        for row in store.select("harvest_holdings", prefix=prefix, item=IRI(iri)):
            index.sets[iri].add(collection_set(parse(base, row["collection"])[1]))
        if kind is Kind.COLLECTION:
            index.sets[iri].add(collection_set(parse(base, iri)[1]))
            names = with_values(queries.load("harvest_collection_names"), "collection", [iri])
            for row in store.select_text(names):
                _keep_smallest(index.set_names, collection_set(parse(base, iri)[1]), row)
            for row in store.select("harvest_item_records", item=IRI(iri)):
                for fmt in store.select("harvest_record_format", record=row["record"]):
                    if str(fmt["format"]) in ORIGINAL_FORMATS and _kept(store, str(row["record"])):
                        index.formats[iri][str(fmt["format"])] = str(row["record"])
    return index


def _kept(store: GraphStore, record: str) -> bool:
    # a format is offered only when the ingest kept the record's original XML
    root = store.root
    return root is not None and record_xml_path(root, store.base, record).is_file()


def _keep_smallest(names: dict[str, str], spec: str, row: dict[str, Term]) -> None:
    name = str(row["name"])
    if spec not in names or name < names[spec]:
        names[spec] = name


def set_name(spec: str, names: dict[str, str]) -> str:
    """A human name for a setSpec."""
    if spec in PARENT_SET_NAMES:
        return PARENT_SET_NAMES[spec]
    parent, _, local = spec.partition(":")
    if parent == KIND_SET:
        return f"Items of kind {local}"
    return names.get(spec) or f"Collection {local}"


class HarvestIndex:
    """The item tables of the change log."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def update(
        self,
        index: StoreIndex,
        touched: set[str],
        stamp: str,
        changed_records: frozenset[str] = frozenset(),
        scope: set[str] | None = None,
    ) -> None:
        """Bring the item tables in line with ``index``; new or changed items get ``stamp``.

        ``index`` is the whole store, or (with ``scope``) the part of it about those IRIs.
        """
        rows = self.db.execute("SELECT iri, deleted FROM items")
        known = {iri: bool(deleted) for iri, deleted in rows}
        if scope is not None:
            known = {iri: deleted for iri, deleted in known.items() if iri in scope}
        old_sets = self._grouped("SELECT iri, set_spec FROM item_sets")
        old_formats = self._grouped("SELECT iri, prefix || ' ' || record FROM item_formats")
        bumped = []
        for iri, kind in index.items.items():
            sets = index.sets.get(iri, set())
            formats = {f"{p} {r}" for p, r in index.formats.get(iri, {}).items()}
            changed = (
                known.get(iri, True)
                or iri in touched
                or sets != old_sets.get(iri, set())
                or formats != old_formats.get(iri, set())
                or any(r.split(" ", 1)[1] in changed_records for r in formats)
            )
            if changed:
                bumped.append((iri, kind, stamp))
        self.db.executemany(
            "INSERT INTO items(iri, kind, datestamp, deleted) VALUES (?, ?, ?, 0) "
            "ON CONFLICT(iri) DO UPDATE SET datestamp = excluded.datestamp, deleted = 0",
            bumped,
        )
        gone = [
            (stamp, iri) for iri, deleted in known.items() if not deleted and iri not in index.items
        ]
        self.db.executemany("UPDATE items SET datestamp = ?, deleted = 1 WHERE iri = ?", gone)
        had = old_sets.keys() | old_formats.keys()
        self._replace_members(index, [iri for iri, _, _ in bumped], had)
        self._replace_set_names(index)

    def set_collections(self, base: str) -> list[str]:
        """The IRIs of the collections that have a set in the log now."""
        start = collection_set("")
        specs = self.db.execute("SELECT DISTINCT set_spec FROM item_sets")
        prefix = f"{base}id/{Kind.COLLECTION.value}/"
        return [prefix + spec[len(start) :] for (spec,) in specs if spec.startswith(start)]

    def _grouped(self, query: str) -> dict[str, set[str]]:
        grouped: dict[str, set[str]] = defaultdict(set)
        for iri, value in self.db.execute(query):
            grouped[iri].add(value)
        return grouped

    def _replace_members(self, index: StoreIndex, iris: list[str], had: set[str]) -> None:
        # deleted items keep their sets and formats: a harvest by set or by marcxml must
        # still be told that they are gone. Only items with rows (``had``) have any to delete.
        old = [(i,) for i in iris if i in had]
        self.db.executemany("DELETE FROM item_sets WHERE iri = ?", old)
        self.db.executemany("DELETE FROM item_formats WHERE iri = ?", old)
        self.db.executemany(
            "INSERT INTO item_sets(iri, set_spec) VALUES (?, ?)",
            [(i, s) for i in iris for s in sorted(index.sets.get(i, ()))],
        )
        self.db.executemany(
            "INSERT INTO item_formats(iri, prefix, record) VALUES (?, ?, ?)",
            [(i, p, r) for i in iris for p, r in index.formats.get(i, {}).items()],
        )

    def _replace_set_names(self, index: StoreIndex) -> None:
        specs = [s for (s,) in self.db.execute("SELECT DISTINCT set_spec FROM item_sets")]
        names = dict(self.db.execute("SELECT set_spec, name FROM sets"))
        names.update(index.set_names)
        self.db.execute("DELETE FROM sets")
        rows = [
            (p, PARENT_SET_NAMES[p])
            for p in PARENT_SET_NAMES
            if any(s.startswith(p + ":") for s in specs)
        ]
        rows += [(s, set_name(s, names)) for s in specs]
        self.db.executemany("INSERT INTO sets(set_spec, name) VALUES (?, ?)", rows)
