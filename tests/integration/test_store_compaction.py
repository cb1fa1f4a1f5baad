"""Publishing compacts the embedded store after big bulk loads, and only then."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from labourgraph.graph import store as store_module
from labourgraph.graph.rdf import IRI, Lit
from labourgraph.graph.store import needs_compaction, open_store, read_meta
from labourgraph.graph.vocab import SCHEMA

BASE = "http://example.org/"


def _graphs(first: int, count: int) -> dict[IRI, list]:
    return {
        IRI(f"{BASE}id/record/r{n}"): [
            (IRI(f"{BASE}id/person/p{n}"), SCHEMA.name, Lit(f"Person {n}")),
        ]
        for n in range(first, first + count)
    }


def _load(root: Path, first: int, count: int, compact: bool | None = None) -> None:
    store = open_store(root, writable=True, base=BASE)
    try:
        store.add_new_graphs(_graphs(first, count), {})
        store.publish(compact)
    finally:
        store.close()


@pytest.mark.parametrize(
    ("bulk_total", "at_compaction", "expected"),
    [
        (99_999, 0, False),  # too little to be worth a rewrite
        (100_000, 0, True),
        (1_100_000, 1_000_000, False),  # a tenth more than the last compaction saw
        (1_250_000, 1_000_000, True),  # a quarter more
        (5_000_000, 5_000_000, False),  # nothing new
    ],
)
def test_compaction_waits_for_enough_new_bulk_loads(
    bulk_total: int, at_compaction: int, expected: bool
) -> None:
    assert needs_compaction(bulk_total, at_compaction) is expected


def test_publish_compacts_once_the_bulk_loads_reach_the_threshold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(store_module, "COMPACT_AFTER_QUADS", 30)
    caplog.set_level(logging.INFO, logger="labourgraph.graph.store")
    _load(tmp_path, 0, 20)
    assert read_meta(tmp_path)["bulk_loaded_quads"] == 20
    assert "bulk_loaded_at_compaction" not in read_meta(tmp_path)
    assert not [r for r in caplog.records if r.getMessage().startswith("compacted")]
    _load(tmp_path, 20, 20)
    meta = read_meta(tmp_path)
    assert (meta["bulk_loaded_quads"], meta["bulk_loaded_at_compaction"]) == (40, 40)
    compacted = [r.getMessage() for r in caplog.records if r.getMessage().startswith("compacted")]
    assert len(compacted) == 1
    assert compacted[0].startswith(f"compacted {tmp_path} in ")
    # what readers see is the whole store, compacted or not
    reader = open_store(tmp_path)
    try:
        rows = reader.select_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert str(rows[0]["n"]) == "40"
        assert reader.generation == 2
    finally:
        reader.close()


def test_an_explicit_compaction_keeps_every_statement(tmp_path: Path) -> None:
    _load(tmp_path, 0, 50, compact=True)
    _load(tmp_path, 50, 5, compact=True)
    reader = open_store(tmp_path)
    try:
        names = {str(r["o"]) for r in reader.select_text("SELECT ?o WHERE { ?s ?p ?o }")}
        assert names == {f"Person {n}" for n in range(55)}
        assert read_meta(tmp_path)["bulk_loaded_at_compaction"] == 55
    finally:
        reader.close()


def test_a_compaction_begun_before_publishing_is_waited_for_and_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(store_module, "COMPACT_AFTER_QUADS", 30)
    caplog.set_level(logging.INFO, logger="labourgraph.graph.store")
    store = open_store(tmp_path, writable=True, base=BASE)
    try:
        store.add_new_graphs(_graphs(0, 20), {})
        store.start_compaction()  # 20 quads: not worth it, nothing begins
        store.add_new_graphs(_graphs(20, 20), {})
        store.start_compaction()  # 40: begins, in a thread
        store.replace_graphs(_graphs(40, 1))  # the store stays writable meanwhile
        store.publish(compact=False)  # no compaction of its own: it waits for the one begun
    finally:
        store.close()
    meta = read_meta(tmp_path)
    assert (meta["bulk_loaded_quads"], meta["bulk_loaded_at_compaction"]) == (40, 40)
    compacted = [r.getMessage() for r in caplog.records if r.getMessage().startswith("compacted")]
    assert len(compacted) == 1
    reader = open_store(tmp_path)
    try:
        rows = reader.select_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert str(rows[0]["n"]) == "41"
    finally:
        reader.close()
