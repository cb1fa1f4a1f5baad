"""/sparql through the real Flask app on an in-memory store: protocol, formats, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from flask.testing import FlaskClient
from labourgraph.graph.rdf import IRI, Lit
from labourgraph.graph.results import run_cli_query
from labourgraph.graph.store import OxigraphStore, open_store
from labourgraph.web.app import create_app
from labourgraph.web.ratelimit import QueryBudget
from labourgraph.web.settings import Settings

EX = "http://example.org/"
SCHEMA_NAME = IRI("https://schema.org/name")
SELECT_ALL = "SELECT ?s ?o WHERE { ?s <https://schema.org/name> ?o } ORDER BY ?o"
CONSTRUCT_ALL = (
    "CONSTRUCT { ?s <https://schema.org/name> ?o } WHERE { ?s <https://schema.org/name> ?o }"
)


def person_graphs(count: int) -> dict[IRI, list[tuple[IRI, IRI, Lit]]]:
    """One record graph per person, each naming its person."""
    return {
        IRI(f"{EX}record/{n}"): [(IRI(f"{EX}person/{n}"), SCHEMA_NAME, Lit(f"Person {n:02d}"))]
        for n in range(count)
    }


@pytest.fixture
def store() -> OxigraphStore:
    store = open_store(None)
    store.replace_graphs(person_graphs(12))
    return store


@pytest.fixture
def client(store: OxigraphStore) -> FlaskClient:
    return create_app(store, Settings(result_limit=10)).test_client()


def solutions(body: bytes, media_type: str) -> list[dict[str, str]]:
    fmt = ox.QueryResultsFormat.from_media_type(media_type)
    return [
        {v.value: s[v].value for v in r.variables if s[v] is not None}
        for r in [ox.parse_query_results(body, format=fmt)]
        for s in r
    ]


@pytest.mark.parametrize(
    "media_type",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/tab-separated-values",
    ],
)
def test_select_by_accept_in_each_parseable_format(client: FlaskClient, media_type: str) -> None:
    response = client.get(
        "/sparql", query_string={"query": SELECT_ALL + " LIMIT 3"}, headers={"Accept": media_type}
    )
    assert response.status_code == 200
    assert response.mimetype == media_type
    rows = solutions(response.data, media_type)
    assert [r["o"] for r in rows] == ["Person 00", "Person 01", "Person 02"]


def test_select_as_csv(client: FlaskClient) -> None:
    response = client.get(
        "/sparql", query_string={"query": SELECT_ALL + " LIMIT 2", "format": "csv"}
    )
    assert response.mimetype == "text/csv"
    assert response.data.decode() == (
        f"s,o\r\n{EX}person/0,Person 00\r\n{EX}person/1,Person 01\r\n"
    )


@pytest.mark.parametrize(
    ("media_type", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_by_accept(client: FlaskClient, media_type: str, rdflib_format: str) -> None:
    response = client.post(
        "/sparql", data={"query": CONSTRUCT_ALL + " LIMIT 4"}, headers={"Accept": media_type}
    )
    assert response.status_code == 200
    assert response.mimetype == media_type
    graph = rdflib.Graph().parse(data=response.data, format=rdflib_format)
    assert len(graph) == 4
    assert response.headers.get("X-Labourgraph-Truncated") is None


def test_three_ways_to_send_a_query_agree(client: FlaskClient) -> None:
    by_get = client.get("/sparql", query_string={"query": SELECT_ALL})
    by_form = client.post("/sparql", data={"query": SELECT_ALL})
    direct = client.post("/sparql", data=SELECT_ALL, content_type="application/sparql-query")
    assert by_get.status_code == by_form.status_code == direct.status_code == 200
    assert by_get.data == by_form.data == direct.data


def test_ask_in_json_and_xml(client: FlaskClient) -> None:
    query = f"ASK {{ <{EX}person/3> ?p ?o }}"
    as_json = client.get("/sparql", query_string={"query": query})
    as_xml = client.get("/sparql", query_string={"query": query, "format": "xml"})
    assert json.loads(as_json.data)["boolean"] is True
    assert b"<boolean>true</boolean>" in as_xml.data


def test_default_graph_is_the_union_and_graph_names_the_record(client: FlaskClient) -> None:
    query = f"SELECT ?g WHERE {{ GRAPH ?g {{ <{EX}person/7> ?p ?o }} }}"
    response = client.get("/sparql", query_string={"query": query})
    assert [r["g"] for r in solutions(response.data, response.mimetype)] == [f"{EX}record/7"]
    count = client.get(
        "/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
    )
    assert solutions(count.data, count.mimetype) == [{"n": "12"}]


def test_default_and_named_graph_uri_parameters(client: FlaskClient) -> None:
    response = client.get(
        "/sparql",
        query_string=[
            ("query", "SELECT ?o WHERE { ?s ?p ?o }"),
            ("default-graph-uri", f"{EX}record/2"),
            ("default-graph-uri", f"{EX}record/5"),
        ],
    )
    assert sorted(r["o"] for r in solutions(response.data, response.mimetype)) == [
        "Person 02",
        "Person 05",
    ]
    named = client.post(
        "/sparql",
        data={
            "query": "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": f"{EX}record/9",
        },
    )
    assert solutions(named.data, named.mimetype) == [{"g": f"{EX}record/9"}]


def test_a_capped_answer_says_so(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": SELECT_ALL})
    assert response.headers["X-Labourgraph-Truncated"] == "true"
    assert response.headers["X-Labourgraph-Result-Limit"] == "10"
    assert len(solutions(response.data, response.mimetype)) == 10
    graph = client.get("/sparql", query_string={"query": CONSTRUCT_ALL, "format": "nt"})
    assert graph.headers["X-Labourgraph-Truncated"] == "true"
    assert len(graph.data.decode().strip().splitlines()) == 10


def test_an_answer_of_exactly_the_limit_is_not_capped(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": SELECT_ALL + " LIMIT 10"})
    assert "X-Labourgraph-Truncated" not in response.headers
    assert len(solutions(response.data, response.mimetype)) == 10


@pytest.mark.parametrize(
    ("kwargs", "status", "message"),
    [
        (
            {"method": "POST", "data": {"format": "json"}},
            400,
            "The request has no query parameter: nothing to run.",
        ),
        (
            {"method": "POST", "data": "ASK {}"},
            415,
            "POST a query as application/x-www-form-urlencoded or application/sparql-query, "
            "not no Content-Type.",
        ),
        (
            {"method": "GET", "query_string": [("query", "ASK {}"), ("query", "ASK {}")]},
            400,
            "Give exactly one query; this request has 2.",
        ),
        (
            {"method": "POST", "data": "ASK {}", "content_type": "text/plain"},
            415,
            "POST a query as application/x-www-form-urlencoded or application/sparql-query, "
            "not text/plain.",
        ),
        (
            {"method": "POST", "data": {"update": "CLEAR ALL"}},
            403,
            "SPARQL updates are not accepted: this endpoint is read-only. "
            "The graph changes only through `labourgraph ingest`.",
        ),
        (
            {"method": "POST", "data": "CLEAR ALL", "content_type": "application/sparql-update"},
            403,
            "SPARQL updates are not accepted: this endpoint is read-only. "
            "The graph changes only through `labourgraph ingest`.",
        ),
        (
            {
                "method": "GET",
                "query_string": {"query": "PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }"},
            },
            403,
            "SPARQL updates are not accepted: this endpoint is read-only. "
            "The graph changes only through `labourgraph ingest`.",
        ),
        (
            {
                "method": "GET",
                "query_string": {
                    "query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
                },
            },
            403,
            "SERVICE is not allowed: this endpoint never fetches other endpoints "
            "on a user's behalf. "
            "Query the other endpoint yourself and join the results in your client.",
        ),
        (
            {"method": "GET", "query_string": {"query": "ASK {}", "format": "yaml"}},
            400,
            'unknown result format "yaml"; '
            "expected one of json, xml, csv, tsv, ttl, jsonld, nt, rdfxml.",
        ),
        ({"method": "PUT"}, 405, "The method is not allowed for the requested URL."),
    ],
)
def test_protocol_errors(
    client: FlaskClient, kwargs: dict[str, object], status: int, message: str
) -> None:
    response = client.open("/sparql", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status
    assert response.data.decode() == message + "\n"


def test_syntax_error_carries_the_parsers_message(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert response.data.decode() == (
        "SPARQL syntax error: error at 1:26: expected one of LATERAL, SERVICE, [_]\n"
    )


def test_words_inside_strings_and_variables_are_not_refused(client: FlaskClient) -> None:
    query = 'SELECT ?service WHERE { BIND("INSERT SERVICE" AS ?service) } # SERVICE'
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 200


def test_service_description_by_accept(client: FlaskClient) -> None:
    turtle = client.get("/sparql", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=turtle.data, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = rdflib.URIRef("http://localhost/sparql")
    assert (service, rdflib.RDF.type, sd.Service) in graph
    assert (service, sd.feature, sd.UnionDefaultGraph) in graph
    as_jsonld = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert rdflib.Graph().parse(data=as_jsonld.data, format="json-ld").isomorphic(graph)


def test_browsers_get_the_editor_with_prefixes(client: FlaskClient) -> None:
    page = client.get(
        "/sparql",
        query_string={"query": "ASK {}"},
        headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
    )
    assert page.mimetype == "text/html"
    html = page.data.decode()
    assert "vendor/yasgui/yasgui.min.js" in html
    assert '"schema": "https://schema.org/"' in html
    assert '"query": "ASK {}"' in html
    script = client.get("/static/vendor/yasgui/yasgui.min.js")
    assert script.status_code == 200
    script.close()
    licence = Path(__file__).resolve().parents[2] / "web/static/vendor/yasgui/LICENSE"
    assert "MIT License" in licence.read_text()


def test_cors_for_reads(client: FlaskClient) -> None:
    preflight = client.options(
        "/sparql",
        headers={"Origin": "https://notebook.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    answer = client.get("/sparql", query_string={"query": "ASK {}"})
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Labourgraph-Truncated" in answer.headers["Access-Control-Expose-Headers"]


def test_query_budget_counts_only_expensive_queries(tmp_path: Path) -> None:
    budget = QueryBudget(tmp_path, seconds=1.5)
    for _ in range(50):
        budget.charge("10.0.0.1", 0.01)
    assert budget.retry_after("10.0.0.1") is None
    budget.charge("10.0.0.1", 1.0)
    assert budget.retry_after("10.0.0.1") is None
    budget.charge("10.0.0.1", 1.0)
    wait = budget.retry_after("10.0.0.1")
    assert wait is not None and 1 <= wait <= 60
    assert budget.retry_after("10.0.0.2") is None
    assert QueryBudget(tmp_path, seconds=1.5).retry_after("10.0.0.1") is not None  # shared


def test_cli_query_as_a_table(store: OxigraphStore) -> None:
    answer = run_cli_query(store, SELECT_ALL + " LIMIT 2", "table")
    assert answer.body.decode() == (
        "?s                             ?o\n"
        "-----------------------------  -----------\n"
        f'<{EX}person/0>  "Person 00"\n'
        f'<{EX}person/1>  "Person 01"\n'
    )
