"""Users' queries passed through to a real ``oxigraph serve``: formats, caps, refusals, limits."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from labourgraph.graph.rdf import IRI, Lit, Triple
from labourgraph.graph.remote_store import Endpoint, RemoteStore, RemoteStoreError
from labourgraph.graph.results import (
    QueryRefusedError,
    QuerySyntaxError,
    ResultFormat,
    UserQuery,
    run_cli_query,
)
from labourgraph.graph.store import OxigraphStore, open_store
from labourgraph.graph.stores import open_any
from rdflib import Graph
from rdflib.compare import isomorphic

pytestmark = pytest.mark.remote

BASE = "https://lg.example.org/"
NAME = IRI("https://schema.org/name")
R1, R2 = IRI(BASE + "id/record/r1"), IRI(BASE + "id/record/r2")
PEOPLE = [IRI(BASE + f"id/person/a{n}") for n in range(5)]
RECORDS: dict[IRI, list[Triple]] = {
    R1: [(p, NAME, Lit(f"Person {n}", lang="en")) for n, p in enumerate(PEOPLE[:3])],
    R2: [(p, NAME, Lit(f"Persona {n}", lang="es")) for n, p in enumerate(PEOPLE[3:], 3)],
}
NAMES = "SELECT ?who ?name WHERE { ?who <https://schema.org/name> ?name } ORDER BY ?name"
GRAPH_FORMATS = [f for f in ResultFormat if not f.tabular]
RDFLIB_FORMATS = {
    ResultFormat.TURTLE: "turtle",
    ResultFormat.JSON_LD: "json-ld",
    ResultFormat.N_TRIPLES: "nt",
    ResultFormat.RDF_XML: "xml",
}


@pytest.fixture
def stores(remote_store: RemoteStore) -> tuple[RemoteStore, OxigraphStore]:
    """The remote store and an embedded one, holding the same record graphs."""
    embedded = open_store(None, base=BASE)
    for store in (remote_store, embedded):
        store.replace_graphs(RECORDS)
    return remote_store, embedded


@pytest.mark.parametrize("fmt", [f for f in ResultFormat if f.tabular])
def test_select_answers_match_the_embedded_store_byte_for_byte(
    stores: Any, fmt: ResultFormat
) -> None:
    remote, embedded = stores
    query = UserQuery(NAMES, tabular_format=fmt)
    answer = remote.run_user_query(query)
    assert answer.body == embedded.run_user_query(query).body
    assert (answer.format, answer.form, answer.truncated) == (fmt, "SELECT", False)
    assert b"Persona 4" in answer.body


@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_construct_answers_are_the_same_graph(stores: Any, fmt: ResultFormat) -> None:
    remote, embedded = stores
    query = UserQuery("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", graph_format=fmt)
    answer = remote.run_user_query(query)
    got = Graph().parse(data=answer.body, format=RDFLIB_FORMATS[fmt])
    assert len(got) == 5
    assert isomorphic(
        got, Graph().parse(data=embedded.run_user_query(query).body, format=RDFLIB_FORMATS[fmt])
    )
    assert (answer.format, answer.form) == (fmt, "CONSTRUCT")


def test_ask_answers_in_the_format_asked_for(stores: Any) -> None:
    remote, _ = stores
    answer = remote.run_user_query(UserQuery("ASK { ?s ?p 'nobody' }"))
    assert json.loads(answer.body)["boolean"] is False
    xml = remote.run_user_query(UserQuery("ASK { ?s ?p ?o }", tabular_format=ResultFormat.XML))
    assert b"<boolean>true</boolean>" in xml.body and xml.form == "ASK"


@pytest.mark.parametrize(
    ("limit", "rows", "truncated"), [(2, 2, True), (5, 5, False), (9, 5, False)]
)
def test_answers_are_capped_at_the_limit(
    stores: Any, limit: int, rows: int, truncated: bool
) -> None:
    remote, _ = stores
    answer = remote.run_user_query(UserQuery(NAMES, limit=limit))
    assert len(json.loads(answer.body)["results"]["bindings"]) == rows
    assert answer.truncated is truncated
    triples = remote.run_user_query(
        UserQuery("CONSTRUCT WHERE { ?s ?p ?o }", limit=limit, graph_format=ResultFormat.N_TRIPLES)
    )
    assert len(triples.body.splitlines()) == rows and triples.truncated is truncated


def test_named_default_graphs_replace_the_union(stores: Any) -> None:
    remote, _ = stores
    answer = remote.run_user_query(UserQuery(NAMES, default_graphs=(R2,)))
    names = [b["name"]["value"] for b in json.loads(answer.body)["results"]["bindings"]]
    assert names == ["Persona 3", "Persona 4"]
    answer = remote.run_user_query(
        UserQuery("SELECT ?g WHERE { GRAPH ?g { } }", named_graphs=(R1,))
    )
    assert [b["g"]["value"] for b in json.loads(answer.body)["results"]["bindings"]] == [R1]


def test_syntax_errors_carry_the_stores_message(stores: Any) -> None:
    remote, _ = stores
    with pytest.raises(QuerySyntaxError) as caught:
        remote.run_user_query(UserQuery("SELECT ?x WHERE { ?x ?y }"))
    assert str(caught.value).startswith("error at 1:")


def test_updates_and_service_are_refused_before_reaching_the_store(stores: Any) -> None:
    remote, _ = stores
    with pytest.raises(QueryRefusedError):
        remote.run_user_query(UserQuery("DROP ALL"))
    with pytest.raises(QueryRefusedError):
        remote.run_user_query(UserQuery("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }"))
    assert len(remote.graph_names()) == 2


def test_the_cli_query_table_works_remotely(stores: Any) -> None:
    remote, _ = stores
    table = run_cli_query(remote, NAMES, "table").body.decode().splitlines()
    assert table[0].split() == ["?who", "?name"] and len(table) == 7


def test_a_runaway_query_is_cut_at_the_time_limit(
    start_server: Callable[..., Any], tmp_path: Path
) -> None:
    server = start_server("--timeout-s", "3")
    writer = open_any(
        tmp_path / "store",
        sparql_endpoint=server.query_url,
        update_endpoint=server.update_url,
        writable=True,
    )
    writer.replace_graphs(
        {
            R1: [
                (p, NAME, Lit(f"n{i}"))
                for i, p in enumerate(IRI(BASE + f"id/person/x{n}") for n in range(300))
            ]
        }
    )
    reader = open_any(tmp_path / "store", timeout=1)
    started = time.monotonic()
    with pytest.raises(RemoteStoreError) as caught:
        reader.run_user_query(
            UserQuery(
                "SELECT (COUNT(*) AS ?n) "
                "WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
            )
        )
    assert time.monotonic() - started < 5
    assert str(caught.value) == f"the SPARQL store at {server.query_url} did not answer within 1 s"
    assert isinstance(reader, RemoteStore) and reader.endpoint == Endpoint(
        server.query_url, None, 1, True
    )
