"""A real ingest keeps the original MARCXML and EAD of each record, for OAI-PMH to serve."""

from __future__ import annotations

from pathlib import Path

from labourgraph.graph.ingest import ingest_paths
from labourgraph.graph.oai_formats import original_record, record_xml_path
from labourgraph.graph.store import open_store


def test_marcxml_and_ead_records_keep_their_xml(iish_fixtures: Path, tmp_path: Path) -> None:
    store = open_store(tmp_path / "store", writable=True)
    marc_file = iish_fixtures / "marcxml" / "archive-ARCH00018.xml"
    ingest_paths(store, [marc_file, iish_fixtures / "ead"])
    marc = store.base + "id/record/marc-10622-arch00018"
    assert "Michail Aleksandrovič Bakunin Papers" in original_record(store.root, store.base, marc)
    ead_graphs = [g for g in store.graph_names() if "/id/record/ead-" in g]
    assert ead_graphs, "the EAD finding aids were not ingested"
    for graph in ead_graphs:
        assert record_xml_path(store.root, store.base, graph).read_bytes().lstrip().startswith(b"<")
