"""/.well-known/void: VoID and an NDE-style schema:Dataset, with statistics from the store."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from harvest_graph import BASE, ingest, record_graphs
from labourgraph.graph.store import open_store
from labourgraph.web.app import create_app
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

T1 = datetime(2026, 4, 5, 6, 7, 8, tzinfo=UTC)
VOID = Namespace("http://rdfs.org/ns/void#")
SDO = Namespace("https://schema.org/")
DATASET = URIRef(f"{BASE}.well-known/void#labourgraph")


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("void-store")
    ingest(path, record_graphs(), T1).close()
    return path


@pytest.fixture
def client(root: Path) -> FlaskClient:
    return create_app(open_store(root)).test_client()


def union() -> Graph:
    graph = Graph()
    for triples in record_graphs().values():
        graph.parse(
            data="".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples), format="nt"
        )
    return graph


def description(client: FlaskClient, accept: str) -> Graph:
    response = client.get("/.well-known/void", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Vary"] == "Accept"
    fmt = "json-ld" if "json" in accept else "turtle"
    assert response.headers["Content-Type"].startswith(
        "application/ld+json" if fmt == "json-ld" else "text/turtle"
    )
    return Graph().parse(data=response.data, format=fmt)


def test_turtle_and_json_ld_say_the_same(client: FlaskClient) -> None:
    from rdflib.compare import isomorphic

    assert isomorphic(
        description(client, "text/turtle"), description(client, "application/ld+json")
    )
    assert len(description(client, "text/turtle")) > 40


def test_statistics_come_from_the_store(client: FlaskClient) -> None:
    void = description(client, "text/turtle")
    data = union()
    assert void.value(DATASET, VOID.triples) == Literal(len(data), datatype=XSD.integer)
    typed = {s for s in data.subjects(RDF.type, None)}
    assert void.value(DATASET, VOID.entities) == Literal(len(typed), datatype=XSD.integer)
    classes = {
        void.value(p, VOID["class"]): int(void.value(p, VOID.entities))
        for p in void.objects(DATASET, VOID.classPartition)
    }
    assert classes[SDO.Person] == 2
    assert classes[SDO.Organization] == 1
    assert classes[SDO.ArchiveComponent] == 3
    assert sum(classes.values()) == len(set(data.subject_objects(RDF.type)))
    links = {
        (str(void.value(ls, VOID.objectsTarget)), int(void.value(ls, VOID.triples)))
        for ls in void.subjects(RDF.type, VOID.Linkset)
    }
    assert links == {("http://www.wikidata.org/", 1), ("http://viaf.org/", 1)}


def test_the_nde_dataset_register_requirements_are_met(client: FlaskClient) -> None:
    void = description(client, "application/ld+json")
    assert (DATASET, RDF.type, SDO.Dataset) in void
    for required in (SDO.name, SDO.description, SDO.license, SDO.publisher, SDO.dateModified):
        assert void.value(DATASET, required) is not None, required
    assert void.value(DATASET, SDO.dateModified) == Literal(
        "2026-04-05T06:07:08Z", datatype=XSD.dateTime
    )
    assert void.value(void.value(DATASET, SDO.publisher), SDO.name) is not None
    formats = {
        str(void.value(d, SDO.contentUrl)): str(void.value(d, SDO.encodingFormat))
        for d in void.objects(DATASET, SDO.distribution)
    }
    assert formats == {
        f"{BASE}dumps/labourgraph.nq.gz": "application/gzip",
        f"{BASE}dumps/labourgraph.nt.gz": "application/gzip",
        f"{BASE}dumps/labourgraph.ttl": "text/turtle",
        f"{BASE}sparql": "application/sparql-query",
        f"{BASE}oai": "application/xml",
    }
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef(f"{BASE}sparql")


def test_an_in_memory_store_is_described_on_demand() -> None:
    store = open_store(None, base=BASE)
    store.replace_graphs(record_graphs())
    app = create_app(store)
    void = Graph().parse(data=app.test_client().get("/.well-known/void").data, format="turtle")
    assert void.value(DATASET, VOID.triples) == Literal(len(union()), datatype=XSD.integer)
    assert void.value(DATASET, SDO.dateModified) is None  # no ingest was logged
