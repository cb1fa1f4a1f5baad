"""The whole `labourgraph ingest` against a real `oxigraph serve`, compared with embedded."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from labourgraph.graph.store import read_meta
from labourgraph.web.cli import main

pytestmark = pytest.mark.remote

GENERATED_AT = "http://www.w3.org/ns/prov#generatedAtTime"
Quad = tuple[str, str, str, str]


def exported(store: Path, *options: str) -> Counter[Quad]:
    """The store's quads through ``labourgraph export``, blank-node labels made anonymous."""
    out = store.parent / f"{store.name}.nq"
    assert main(["export", "--store", str(store), *options, "-o", str(out)]) == 0
    loaded = ox.Store()
    loaded.load(path=str(out), format=ox.RdfFormat.N_QUADS)
    return Counter(
        tuple("_:b" if isinstance(t, ox.BlankNode) else str(t) for t in q) for q in loaded
    )  # type: ignore[misc]


def without_ingest_times(quads: Counter[Quad]) -> Counter[Quad]:
    """The quads less ``prov:generatedAtTime``, which says when each ingest ran."""
    return Counter({q: n for q, n in quads.items() if q[1] != f"<{GENERATED_AT}>"})


@pytest.fixture
def remote_options(empty_server: Any) -> list[str]:
    """The options that point a command at the test's ``oxigraph serve``."""
    return [
        "--sparql-endpoint",
        empty_server.query_url,
        "--update-endpoint",
        empty_server.update_url,
    ]


def test_the_iish_records_ingest_remotely_as_they_do_embedded(
    iish_fixtures: Path, tmp_path: Path, remote_options: list[str]
) -> None:
    remote, embedded = tmp_path / "remote", tmp_path / "embedded"
    remote_code = main(["ingest", "--store", str(remote), *remote_options, str(iish_fixtures)])
    assert remote_code == main(["ingest", "--store", str(embedded), str(iish_fixtures)])
    remote_quads = exported(remote)
    assert len(remote_quads) > 1000
    assert without_ingest_times(remote_quads) == without_ingest_times(exported(embedded))
    assert read_meta(remote)["generation"] == 1
    assert not (remote / "oxigraph").exists() and not (remote / "snapshots").exists()


def test_a_remote_reingest_changes_nothing(
    iish_fixtures: Path, tmp_path: Path, remote_options: list[str]
) -> None:
    store = tmp_path / "remote"
    main(["ingest", "--store", str(store), *remote_options, str(iish_fixtures)])
    before = exported(store)
    # no endpoint options: the store directory remembers its remote store
    main(["ingest", "--store", str(store), str(iish_fixtures)])
    assert exported(store) == before


def test_query_and_validate_say_the_same_remotely_as_embedded(
    iish_fixtures: Path, tmp_path: Path, remote_options: list[str], capsys: Any
) -> None:
    remote, embedded = tmp_path / "remote", tmp_path / "embedded"
    main(["ingest", "--store", str(remote), *remote_options, str(iish_fixtures)])
    main(["ingest", "--store", str(embedded), str(iish_fixtures)])
    capsys.readouterr()
    query = (
        "SELECT ?type (COUNT(DISTINCT ?s) AS ?n) (COUNT(DISTINCT ?g) AS ?records) "
        "WHERE { GRAPH ?g { ?s a ?type } } GROUP BY ?type ORDER BY ?type"
    )
    said = {}
    for store in (remote, embedded):
        assert main(["query", "--store", str(store), "--format", "table", query]) == 0
        code = main(["validate", "--store", str(store)])
        said[store] = (code, capsys.readouterr().out)
    assert said[remote] == said[embedded]
    assert "<https://schema.org/Person>" in said[remote][1]


def test_a_dead_endpoint_is_reported_by_the_cli(tmp_path: Path, dead_url: str, capsys: Any) -> None:
    code = main(
        [
            "ingest",
            "--store",
            str(tmp_path / "s"),
            "--sparql-endpoint",
            dead_url,
            "--update-endpoint",
            dead_url.replace("/query", "/update"),
            str(tmp_path),
        ]
    )
    assert code == 2
    assert capsys.readouterr().err.startswith(f"labourgraph ingest: the SPARQL store at {dead_url}")
