"""The change log: what each ingest changed, and an item state that a small re-ingest updates
in place exactly as a scan of the whole store would build it."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from harvest_graph import BASE, e, ingest, record_graphs
from labourgraph.graph.changes import SCHEMA, apply_changes, changes_since, connect
from labourgraph.graph.changeset import ChangeSet
from labourgraph.graph.iris import Kind
from labourgraph.graph.rdf import IRI
from labourgraph.graph.store import open_store
from labourgraph.graph.vocab import SCHEMA as SDO

T1 = datetime(2026, 5, 1, 8, 0, 0, tzinfo=UTC)
T2 = datetime(2026, 5, 2, 9, 30, 0, tzinfo=UTC)
EAD = IRI(f"{BASE}id/record/arch01293")


def item_state(db: sqlite3.Connection) -> dict[str, object]:
    """Everything but the datestamps: items, their sets and formats, and the set names."""
    return {
        "items": sorted(db.execute("SELECT iri, kind, deleted FROM items")),
        "sets": sorted(db.execute("SELECT iri, set_spec FROM item_sets")),
        "formats": sorted(db.execute("SELECT iri, prefix, record FROM item_formats")),
        "names": sorted(db.execute("SELECT set_spec, name FROM sets")),
    }


def test_a_small_reingest_updates_the_items_it_touches(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    graphs = record_graphs()
    ingest(tmp_path, graphs, T1).close()
    goldman, sdap = e(Kind.PERSON, "a612"), e(Kind.ORGANISATION, "a187")
    # the finding aid now names Emma Goldman as its creator instead of the SDAP
    moved = [t for t in graphs[EAD] if t[1] != SDO.creator]
    moved.append((e(Kind.COLLECTION, "arch01293"), SDO.creator, goldman))
    with caplog.at_level(logging.INFO, logger="labourgraph.graph.changes"):
        ingest(tmp_path, {EAD: moved}, T2).close()
    assert "change log: looking again at 3 entities" in caplog.messages
    db = connect(tmp_path)
    stamps = dict(db.execute("SELECT iri, datestamp FROM items"))
    assert {i for i, s in stamps.items() if s == "2026-05-02T09:30:00Z"} == {
        goldman,
        sdap,
        f"{BASE}id/collection/arch01293",
    }
    sets = {
        i: {s for (s,) in db.execute("SELECT set_spec FROM item_sets WHERE iri = ?", (i,))}
        for i in (goldman, sdap)
    }
    assert sets == {goldman: {"kind:person", "collection:arch01293"}, sdap: {"kind:organisation"}}
    assert changes_since(db, 2) == [
        (EAD, "changed", "record"),
        (f"{BASE}id/collection/arch01293", "changed", "entity"),
    ]
    rebuilt = sqlite3.connect(":memory:")
    rebuilt.executescript(SCHEMA)
    apply_changes(rebuilt, open_store(tmp_path), ChangeSet(when=T2))
    assert item_state(db) == item_state(rebuilt)
    db.close()


def test_original_formats_need_the_kept_record_xml(tmp_path: Path) -> None:
    ingest(tmp_path, record_graphs(), T1).close()
    (tmp_path / "records" / "arch01293.xml").unlink()  # as if the ingest had not kept it
    rebuilt = sqlite3.connect(":memory:")
    rebuilt.executescript(SCHEMA)
    apply_changes(rebuilt, open_store(tmp_path), ChangeSet(when=T2))
    assert sorted(rebuilt.execute("SELECT iri, prefix FROM item_formats")) == [
        (f"{BASE}id/collection/arch00018", "marcxml")
    ]
