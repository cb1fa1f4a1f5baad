"""RemoteStore against a real ``oxigraph serve``: reads, bindings, writes, dumps, errors."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from labourgraph.graph.rdf import IRI, XSD, XSD_STRING, BNode, Lit, Triple, to_rdflib
from labourgraph.graph.remote_store import Endpoint, RemoteStore, RemoteStoreError
from labourgraph.graph.store import StoreError, open_store
from labourgraph.graph.stores import open_any, open_remote
from rdflib.compare import isomorphic

OxigraphServer = Any  # tests/remote/conftest.py: a running `oxigraph serve`

pytestmark = pytest.mark.remote

BASE = "https://lg.example.org/"
SCHEMA = "https://schema.org/"
NAME, MEMBER_OF, TYPE = (
    IRI(SCHEMA + "name"),
    IRI(SCHEMA + "memberOf"),
    IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
)
EMMA, SASHA, CNT = (IRI(BASE + f"id/{k}") for k in ("person/a1", "person/a2", "organisation/a3"))
R1, R2 = IRI(BASE + "id/record/r1"), IRI(BASE + "id/record/r2")
RECORDS: dict[IRI, list[Triple]] = {
    R1: [
        (EMMA, TYPE, IRI(SCHEMA + "Person")),
        (EMMA, NAME, Lit("Emma Goldman", lang="en")),
        (EMMA, NAME, Lit("Эмма Гольдман", lang="ru")),
        (EMMA, MEMBER_OF, CNT),
    ],
    R2: [
        (SASHA, TYPE, IRI(SCHEMA + "Person")),
        (SASHA, NAME, Lit("Alexander Berkman", lang="en")),
        (SASHA, MEMBER_OF, CNT),
        (CNT, NAME, Lit("Confederación Nacional del Trabajo")),
    ],
}
MEMBERS = (
    "PREFIX schema: <https://schema.org/> SELECT ?org ?person ?name "
    "WHERE { ?person schema:memberOf ?org ; schema:name ?name } ORDER BY ?name"
)


def test_reads_see_the_union_of_the_record_graphs(remote_store: RemoteStore) -> None:
    remote_store.replace_graphs(RECORDS)
    rows = remote_store.select_text(MEMBERS, org=CNT)
    assert [(r["person"], r["name"]) for r in rows] == [
        (SASHA, Lit("Alexander Berkman", lang="en")),
        (EMMA, Lit("Emma Goldman", lang="en")),
        (EMMA, Lit("Эмма Гольдман", lang="ru")),
    ]
    assert remote_store.ask_text("ASK { ?o <https://schema.org/name> ?n }", o=CNT)
    assert not remote_store.ask_text("ASK { ?o <https://schema.org/memberOf> ?x }", o=CNT)
    assert sorted(remote_store.graph_names()) == [R1, R2]


@pytest.mark.parametrize(
    ("query", "bindings"),
    [
        (MEMBERS, {"org": CNT}),
        (
            "SELECT ?s ?n WHERE { ?s <https://schema.org/name> ?n }",
            {"n": Lit("Confederación Nacional del Trabajo")},
        ),
        (
            "SELECT ?org (COUNT(?p) AS ?members) "
            "WHERE { ?p <https://schema.org/memberOf> ?org } GROUP BY ?org",
            {"org": CNT},
        ),
        (
            "SELECT ?g ?s ?o "
            "WHERE { GRAPH ?g { ?s <https://schema.org/memberOf> ?o } } ORDER BY ?g",
            {"o": CNT},
        ),
    ],
)
def test_answers_match_the_embedded_store(
    remote_store: RemoteStore, query: str, bindings: dict
) -> None:
    embedded = open_store(None, base=BASE)
    embedded.replace_graphs(RECORDS)
    remote_store.replace_graphs(RECORDS)
    expected = embedded.select_text(query, **bindings)
    assert expected
    assert remote_store.select_text(query, **bindings) == expected


def test_hostile_values_are_bound_as_values_not_as_query_text(remote_store: RemoteStore) -> None:
    hostile = Lit('x" } ; DROP ALL ; INSERT DATA { <a> <b> "c" } #\n\\', lang="en")
    remote_store.replace_graphs({R1: [(EMMA, NAME, hostile)]})
    rows = remote_store.select_text(
        "SELECT ?s ?n WHERE { ?s <https://schema.org/name> ?n }", n=hostile
    )
    assert rows == [{"s": EMMA, "n": hostile}]
    assert remote_store.graph_names() == [R1]


def test_construct_brings_back_every_kind_of_term(remote_store: RemoteStore) -> None:
    node = BNode("role1")
    triples: list[Triple] = [
        (EMMA, NAME, Lit('Emma "Red Emma"\tGoldman\n\\ é \U0001d508', lang="en-gb")),
        (EMMA, IRI(SCHEMA + "birthDate"), Lit("1869-06-27", datatype=XSD + "date")),
        (EMMA, IRI(SCHEMA + "description"), Lit("plain")),
        (EMMA, IRI(SCHEMA + "memberOf"), node),
        (node, IRI(SCHEMA + "memberOf"), CNT),
        (node, IRI(SCHEMA + "startDate"), Lit("1917", datatype=XSD + "gYear")),
    ]
    remote_store.replace_graphs({R1: triples})
    back = remote_store.construct_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert isomorphic(to_rdflib(back), to_rdflib(triples))
    assert Lit("plain", datatype=XSD_STRING) in [o for _, _, o in back]


def test_replacing_a_graph_replaces_its_content_and_drop_removes_graphs(
    remote_store: RemoteStore,
) -> None:
    remote_store.replace_graphs(RECORDS)
    remote_store.replace_graphs({R1: [(EMMA, NAME, Lit("E. Goldman"))]}, drop=[R2])
    assert remote_store.construct_text("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }") == [
        (EMMA, NAME, Lit("E. Goldman", datatype=XSD_STRING))
    ]
    assert remote_store.graph_names() == [R1]


def test_blank_nodes_of_two_records_stay_two_nodes(remote_store: RemoteStore) -> None:
    role = BNode("b0")
    remote_store.replace_graphs({R1: [(EMMA, MEMBER_OF, role)], R2: [(SASHA, MEMBER_OF, role)]})
    rows = remote_store.select_text(
        "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?p <https://schema.org/memberOf> ?r }"
    )
    assert rows == [{"n": Lit("2", datatype=XSD + "integer")}]


@pytest.mark.parametrize(
    ("media_type", "fmt"),
    [
        ("application/n-quads", ox.RdfFormat.N_QUADS),
        ("application/trig", ox.RdfFormat.TRIG),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("text/turtle", ox.RdfFormat.TURTLE),
    ],
)
def test_dumps_load_back_into_an_empty_store(
    remote_store: RemoteStore, media_type: str, fmt: ox.RdfFormat
) -> None:
    remote_store.replace_graphs(RECORDS)
    out = io.BytesIO()
    remote_store.dump(out, media_type)
    loaded = ox.Store()
    loaded.load(
        out.getvalue(), format=fmt, to_graph=None if fmt.supports_datasets else ox.DefaultGraph()
    )
    keep_graph = fmt.supports_datasets
    expected = {
        (s, p, o.n3(), g if keep_graph else "") for g, ts in RECORDS.items() for s, p, o in ts
    }
    got = {
        (
            q.subject.value,
            q.predicate.value,
            str(q.object),
            q.graph_name.value if keep_graph else "",
        )
        for q in loaded
    }
    assert got == expected
    assert len(got) == 8


def test_publish_bumps_the_generation_that_readers_refresh_to(
    remote_store: RemoteStore, empty_server: OxigraphServer
) -> None:
    remote_store.replace_graphs(RECORDS)
    reader = open_any(remote_store.root)  # the endpoint is remembered in DIR/labourgraph.json
    assert isinstance(reader, RemoteStore) and reader.generation == 0 and reader.base == BASE
    remote_store.publish()
    assert remote_store.generation == 1
    assert reader.refresh() is True and reader.generation == 1
    assert reader.refresh() is False
    with pytest.raises(StoreError) as caught:
        reader.replace_graphs(RECORDS)
    assert (
        str(caught.value)
        == "this store was opened read-only; run `labourgraph ingest` to change it"
    )


def test_ingest_needs_an_update_endpoint(empty_server: OxigraphServer, tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        open_any(tmp_path, sparql_endpoint=empty_server.query_url, writable=True)
    assert str(caught.value) == (
        f"--sparql-endpoint {empty_server.query_url} is only for reading: ingest needs "
        "--update-endpoint URL as well (for oxigraph serve: http://HOST:PORT/update)"
    )


def test_a_directory_never_ingested_says_how_to_start(
    empty_server: OxigraphServer, tmp_path: Path
) -> None:
    with pytest.raises(StoreError) as caught:
        open_any(tmp_path, sparql_endpoint=empty_server.query_url)
    assert str(caught.value) == (
        f"{tmp_path} is not a labourgraph store yet: run `labourgraph ingest --store {tmp_path} "
        f"--sparql-endpoint {empty_server.query_url} --update-endpoint URL data/` first"
    )


def test_an_unreachable_store_is_named(remote_store: RemoteStore, dead_url: str) -> None:
    url = dead_url
    dead = RemoteStore(Endpoint(url, timeout=5), remote_store.root, BASE)
    with pytest.raises(RemoteStoreError) as caught:
        dead.select_text("SELECT * { ?s ?p ?o }")
    assert str(caught.value) == (
        f"the SPARQL store at {url} cannot be reached: [Errno 111] Connection refused. "
        "Is it running, and is the URL right?"
    )


def test_a_refused_query_carries_the_servers_message(remote_store: RemoteStore) -> None:
    with pytest.raises(RemoteStoreError) as caught:
        remote_store.select_text("SELECT * WHERE { ?s ?p }")
    assert str(caught.value).startswith(
        f"the SPARQL store at {remote_store.endpoint.query_url} refused a request: error at 1:"
    )


def test_a_store_without_a_union_default_graph_is_refused_on_open(
    remote_store: RemoteStore,
) -> None:
    remote_store.replace_graphs(RECORDS)
    plain = Endpoint(remote_store.endpoint.query_url, union_parameter=False)
    with pytest.raises(RemoteStoreError) as caught:
        open_remote(remote_store.root, plain)
    assert str(caught.value) == (
        f"the SPARQL store at {plain.query_url} does not query the union of its named graphs by "
        "default, and labourgraph keeps each record in a graph of its own: turn on its union "
        'default graph (see README "Deploying with another store")'
    )


def test_a_store_configured_for_the_union_needs_no_parameter(
    tmp_path: Path, start_server: Callable[..., OxigraphServer]
) -> None:
    server = start_server("--union-default-graph")
    writer = open_any(
        tmp_path / "store",
        sparql_endpoint=server.query_url,
        update_endpoint=server.update_url,
        writable=True,
        union_parameter=False,
    )
    writer.replace_graphs(RECORDS)
    reader = open_any(tmp_path / "store", union_parameter=False)
    assert len(reader.select_text(MEMBERS, org=CNT)) == 3


def test_quad_dumps_spell_out_the_tsv_number_shorthands(remote_store: RemoteStore) -> None:
    values = [
        Lit("12", datatype=XSD + "integer"),
        Lit("-7", datatype=XSD + "integer"),
        Lit("1.5", datatype=XSD + "decimal"),
        Lit("true", datatype=XSD + "boolean"),
        Lit("1.5E3", datatype=XSD + "double"),
    ]
    remote_store.replace_graphs({R1: [(EMMA, IRI(SCHEMA + "value"), v) for v in values]})
    out = io.BytesIO()
    remote_store.dump(out, "application/n-quads")
    loaded = ox.Store()
    loaded.load(out.getvalue(), format=ox.RdfFormat.N_QUADS)
    got = {(q.object.value, q.object.datatype.value) for q in loaded}
    # the store keeps doubles in canonical form
    assert got == {(v.value, v.datatype) for v in values[:4]} | {("1500", XSD + "double")}
