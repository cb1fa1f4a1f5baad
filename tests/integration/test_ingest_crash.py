"""A crash between bulk-loading new record graphs and writing their content hashes is repaired."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from labourgraph.graph import loading
from labourgraph.graph.export import export_to
from labourgraph.graph.ingest import ingest_paths
from labourgraph.graph.loading import drop_unfinished
from labourgraph.graph.mapping import MappedRecord
from labourgraph.graph.rdf import IRI, Lit, Triple
from labourgraph.graph.store import OxigraphStore, StoreError, open_store
from labourgraph.graph.vocab import LG
from support import shared_path

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def nquads(store: OxigraphStore) -> list[str]:
    """The whole store as sorted N-Quads lines."""
    out = io.BytesIO()
    export_to(store, "nq", out)
    return sorted(out.getvalue().decode("utf-8").splitlines())


def record_graphs(store: OxigraphStore) -> list[IRI]:
    """The record graphs of a store, sorted."""
    return sorted(g for g in store.graph_names() if g.startswith(store.base + "id/record/"))


def unmarked(store: OxigraphStore, graph: IRI) -> list[Triple]:
    """A record graph's statements without its content hash, as a crash left it."""
    rows = store.select("ingest_graph_triples", graph=graph)
    return [(r["s"], r["p"], r["o"]) for r in rows if r["p"] != LG.contentHash]  # type: ignore[misc]


@pytest.fixture(scope="module")
def clean() -> tuple[OxigraphStore, int]:
    """The IISH fixtures ingested without interruption, and how many records were loaded."""
    store = open_store(None)
    report = ingest_paths(store, [shared_path("fixtures", "iish")], now=NOW)
    return store, report.loaded


def test_graphs_without_content_hash_are_loaded_again(
    clean: tuple[OxigraphStore, int], tmp_path: Path
) -> None:
    done, loaded = clean
    graphs = record_graphs(done)
    crashed = open_store(tmp_path / "store", writable=True)
    # the crash: every graph's statements bulk-loaded, one of them only half, no marker written;
    # another one was written from an older version of its record, which said something more
    statements = {g: unmarked(done, g) for g in graphs}
    statements[graphs[0]] = statements[graphs[0]][: len(statements[graphs[0]]) // 2]
    statements[graphs[1]].append((graphs[1], LG.sourceFile, Lit("an-older-file.xml")))
    crashed.add_new_graphs(statements, {})
    assert crashed.select("ingest_record_graphs") == []
    report = ingest_paths(crashed, [shared_path("fixtures", "iish")], now=NOW)
    assert (report.loaded, report.unchanged) == (loaded, 0)
    assert nquads(crashed) == nquads(done)
    crashed.close()


def test_only_unfinished_record_graphs_are_dropped(clean: tuple[OxigraphStore, int]) -> None:
    done, _ = clean
    store = open_store(None)
    finished, cut_short = record_graphs(done)[:2]
    store.replace_graphs(
        {
            finished: done.construct_text(
                "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", g=finished
            )
        }
    )
    store.add_new_graphs({cut_short: unmarked(done, cut_short)}, {})
    assert drop_unfinished(store) == [cut_short]
    assert record_graphs(store) == [finished]
    assert drop_unfinished(store) == []


def test_new_graphs_are_written_with_their_markers(clean: tuple[OxigraphStore, int]) -> None:
    done, _ = clean
    graph = record_graphs(done)[0]
    statements = unmarked(done, graph)
    marker = [
        (s, p, o)
        for s, p, o in (
            (r["s"], r["p"], r["o"]) for r in done.select("ingest_graph_triples", graph=graph)
        )
        if p == LG.contentHash
    ]
    store = open_store(None)
    store.add_new_graphs({graph: statements}, {graph: marker})
    assert len(marker) == 1
    assert [IRI(r["graph"]) for r in store.select("ingest_record_graphs")] == [graph]
    assert nquads(store) == sorted(line for line in nquads(done) if f"<{graph}> ." in line)


def test_bulk_loads_beside_the_mapping_give_the_same_store(
    clean: tuple[OxigraphStore, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # a bulk load every few statements: many loads run in the writer thread while the next
    # batches are reconciled and hashed, each waited for before the next one starts
    done, loaded = clean
    monkeypatch.setattr(loading, "BULK_QUADS", 50)
    store = open_store(None)
    report = ingest_paths(store, [shared_path("fixtures", "iish")], now=NOW, batch_size=3)
    assert report.loaded == loaded
    assert nquads(store) == nquads(done)


def test_a_failed_bulk_load_is_raised_by_the_ingest(
    clean: tuple[OxigraphStore, int], tmp_path: Path
) -> None:
    done, _ = clean
    empty = open_store(tmp_path / "store", writable=True)
    empty.publish()
    empty.close()
    snapshot = open_store(tmp_path / "store")  # read-only: the writer thread's load fails
    loader = loading.RecordLoader(snapshot, NOW)
    graph = record_graphs(done)[0]
    loader.load([MappedRecord(graph, unmarked(done, graph), frozenset())], {graph: "a.xml"})
    with pytest.raises(StoreError) as raised:
        loader.flush()
    assert str(raised.value) == (
        "this store is a read-only snapshot; run `labourgraph ingest` to change it"
    )
