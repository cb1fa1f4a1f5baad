"""Keeping the search index in step with the store: full rebuilds and after-ingest updates.

An on-disk store keeps its index at ``DIR/search.sqlite``. A rebuild writes a new file beside
it and renames it into place, so servers never read a half-built index (they notice the new
file and reopen it); an update after an ingest changes only the entities the ingest touched,
in one transaction. An in-memory store's index lives in memory and is rebuilt on demand.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from .changeset import ChangeSet
from .link_labels import Said, labels_of
from .search_entries import read_all, read_some
from .search_index import FORMAT, SearchIndex
from .store import GraphStore

log = logging.getLogger(__name__)

INDEX_FILE = "search.sqlite"
# Past this share of the index, re-reading everything is cheaper than entity-by-entity updates.
REBUILD_SHARE = 0.2


class MissingSearchIndexError(Exception):
    """A store directory without a search index."""


def index_path(store: GraphStore) -> Path | None:
    """Where the store keeps its search index (None: in memory)."""
    return store.root / INDEX_FILE if store.root is not None else None


def rebuild(store: GraphStore) -> SearchIndex:
    """Index every entity of the store from scratch; the new index, open for searching."""
    started = time.monotonic()
    said: Said = {}
    entries = read_all(store, said)
    labels = labels_of(said)
    read = time.monotonic()
    path = index_path(store)
    if path is None:
        index = SearchIndex.connect(None)
        index.fill(entries, labels, store.generation)
        return index
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    building = SearchIndex.connect(partial, writable=True)
    try:
        building.fill(entries, labels, store.generation)
    finally:
        building.close()
    os.replace(partial, path)
    log.info(
        "search index of %s: %d entities (read %.1f s, written %.1f s)",
        store.root,
        len(entries),
        read - started,
        time.monotonic() - read,
    )
    return SearchIndex.connect(path)


def update(store: GraphStore, changes: ChangeSet) -> None:
    """The after-ingest step: index what the ingest added or changed, drop what it removed."""
    path = index_path(store)
    touched = changes.entities_added | changes.entities_changed
    if path is None:
        return  # an in-memory index is rebuilt by its reader when the generation moves on
    if not path.exists():
        rebuild(store).close()
        return
    index = SearchIndex.connect(path, writable=True)
    try:
        if index.format() != FORMAT:
            log.info(
                "search index of %s is in format %d, not %d: rebuilding it",
                store.root,
                index.format(),
                FORMAT,
            )
            index.close()
            rebuild(store).close()
            return
        if not index.labels().built():
            log.info("search index of %s has no link labels yet: rebuilding it", store.root)
            index.close()
            rebuild(store).close()
            return
        if len(touched) + len(changes.entities_removed) > REBUILD_SHARE * max(index.count(), 1):
            index.close()
            rebuild(store).close()
            return
        # link labels: of the entities and of the source records (graphs) the ingest touched
        records = changes.graphs_added | changes.graphs_changed
        gone = changes.entities_removed | changes.graphs_removed
        said: Said = {}
        updates = [
            *read_some(store, sorted(touched | records), said),
            *((iri, None) for iri in sorted(changes.entities_removed)),
        ]
        labels: dict[str, str | None] = dict.fromkeys(touched | records | gone)
        count = index.apply(updates, {**labels, **labels_of(said)}, store.generation)
        log.info("search index of %s: %d entities updated", store.root, count)
    finally:
        index.close()


class IndexReader:
    """The search index a server reads: reopened when a rebuild replaces the file, and for an
    in-memory store rebuilt when the store's generation moves on."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._index: SearchIndex | None = None
        self._version: object = None

    def _current_version(self) -> object:
        path = index_path(self._store)
        if path is None:
            return self._store.generation
        try:
            stat = path.stat()
        except FileNotFoundError:
            raise MissingSearchIndexError(
                f"{path} is missing: the search index is written by `labourgraph ingest`; run it "
                "again to build the index"
            ) from None
        return (stat.st_ino, stat.st_dev)

    def index(self) -> SearchIndex:
        """The current index."""
        version = self._current_version()
        if self._index is None or version != self._version:
            if self._index is not None:
                self._index.close()
            path = index_path(self._store)
            self._index = rebuild(self._store) if path is None else SearchIndex.connect(path)
            self._version = version
            if self._index.format() != FORMAT:
                found = self._index.format()
                self._index.close()
                self._index = None
                raise MissingSearchIndexError(
                    f"{path} is in format {found}, not {FORMAT}: it was written by an older "
                    "labourgraph; run `labourgraph ingest` again to rebuild the index"
                )
        return self._index
