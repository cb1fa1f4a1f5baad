"""SPARQLWrapper, as a data scientist's notebook uses it, against a real ``labourgraph serve``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
import rdflib
from sparql_server import BASE, PERSONS, fill, serving
from SPARQLWrapper import CSV, JSON, JSONLD, N3, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

NAMES = (
    "PREFIX schema: <https://schema.org/> "
    "SELECT ?person ?name WHERE { ?person schema:name ?name ; a schema:Person } "
    "ORDER BY ?name LIMIT 5"
)
MEMBERS = (
    "PREFIX schema: <https://schema.org/> "
    "CONSTRUCT { ?p schema:memberOf ?o } WHERE { ?p schema:memberOf ?o }"
)


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("clients")
    with serving(fill(root / "store"), root / "serve.log", workers=2) as url:
        yield url + "/sparql"


def client(endpoint: str, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_as_json(endpoint: str, method: str) -> None:
    result = client(endpoint, NAMES, JSON, method).queryAndConvert()
    names = [b["name"]["value"] for b in result["results"]["bindings"]]  # type: ignore[index]
    assert names == ["Person 0", "Person 1", "Person 10", "Person 11", "Person 12"]


def test_select_as_xml(endpoint: str) -> None:
    document = client(endpoint, NAMES, XML).queryAndConvert()
    literals = [n.firstChild.data for n in document.getElementsByTagName("literal")]  # type: ignore[union-attr]
    assert literals == ["Person 0", "Person 1", "Person 10", "Person 11", "Person 12"]


@pytest.mark.parametrize(("fmt", "delimiter"), [(CSV, ","), (TSV, "\t")])
def test_select_as_csv_and_tsv(endpoint: str, fmt: str, delimiter: str) -> None:
    text = client(endpoint, NAMES, fmt).queryAndConvert()
    rows = list(csv.reader(io.StringIO(text.decode("utf-8")), delimiter=delimiter))  # type: ignore[union-attr]
    assert len(rows) == 6
    assert rows[1][0].strip("<>") == f"{BASE}id/person/a0"


def test_ask(endpoint: str) -> None:
    query = f"ASK {{ <{BASE}id/person/a3> ?p ?o }}"
    assert client(endpoint, query, JSON).queryAndConvert()["boolean"] is True  # type: ignore[index]


@pytest.mark.parametrize("fmt", [TURTLE, N3, XML, JSONLD])
def test_construct_in_every_rdf_format(endpoint: str, fmt: str) -> None:
    graph = client(endpoint, MEMBERS, fmt).queryAndConvert()
    if not isinstance(graph, rdflib.Graph):  # turtle and n3 come back as bytes
        graph = rdflib.Graph().parse(data=graph, format="turtle")
    assert len(graph) == PERSONS


def test_describe(endpoint: str) -> None:
    graph = client(endpoint, f"DESCRIBE <{BASE}id/person/a3>", TURTLE).queryAndConvert()
    parsed = rdflib.Graph().parse(data=graph, format="turtle")
    assert {str(o) for o in parsed.objects()} >= {"Person 3"}


def test_a_bad_query_raises_with_the_parsers_message(endpoint: str) -> None:
    with pytest.raises(QueryBadFormed) as raised:
        client(endpoint, "SELECT * WHERE { ?s ?p }", JSON).queryAndConvert()
    assert "SPARQL syntax error: error at 1:" in str(raised.value)


def test_capped_answers_say_so_through_any_client(endpoint: str) -> None:
    wrapper = client(endpoint, "SELECT * WHERE { ?s ?p ?o }", JSON)
    response = wrapper.query().response
    assert response.headers.get("X-Labourgraph-Truncated") is None
    assert len(json.loads(response.read())["results"]["bindings"]) == PERSONS * 3 + 1
