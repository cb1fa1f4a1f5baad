"""The W3C SPARQL 1.1 Protocol tests (../shared/conformance/sparql-protocol) against /sparql.

The manifest is read with rdflib; each test is a list of HTTP requests with the status class,
result format and boolean it expects. The requests go to the real Flask app over a fresh
in-memory store, into which the data files the test names (``ut:graphData``) are loaded as
named graphs first. The manifest's paths start with ``/sparql/``; ours is ``/sparql``, as the
manifest allows.

Excluded, because this endpoint is read-only by design and refuses every update with a 4xx:
the tests that expect an update to succeed (see ``EXCLUDED``). Every other test runs, the
``bad_update_*`` ones included (they expect a 4xx, which a read-only endpoint gives).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

import pytest
import rdflib
from flask.testing import FlaskClient
from labourgraph.graph.rdf import IRI, Lit
from labourgraph.graph.store import open_store
from labourgraph.web.app import create_app
from labourgraph.web.settings import Settings
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, Namespace
from support import shared_path

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
MANIFEST = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#"

EXCLUDED = {
    name: "expects a SPARQL Update to succeed; this endpoint is read-only and refuses updates"
    for name in (
        "update_dataset_default_graph",
        "update_dataset_default_graphs",
        "update_dataset_named_graphs",
        "update_dataset_full",
        "update_post_form",
        "update_post_direct",
        "update_base_uri",
    )
}
FORMATS = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    },
    "RDF": {"text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"},
}


@dataclass(frozen=True)
class Exchange:
    """One request of a protocol test and what its response must be."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[int]
    result_format: str | None
    boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    """A manifest entry: its name, the graphs to preload and its exchanges."""

    name: str
    graphs: dict[str, Path]
    exchanges: tuple[Exchange, ...]


def read_manifest(folder: Path) -> list[ProtocolTest]:
    """Every test of the protocol manifest, in manifest order."""
    graph = rdflib.Graph().parse(folder / "manifest.ttl", publicID=MANIFEST)
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        graphs = {
            str(graph.value(data, RDFS.label)): folder / Path(str(graph.value(data, UT.graph))).name
            for data in graph.objects(entry, UT.graphData)
        }
        requests = Collection(graph, graph.value(graph.value(entry, MF.action), HT.requests))
        tests.append(
            ProtocolTest(
                str(entry).rsplit("#", 1)[1], graphs, tuple(_exchange(graph, r) for r in requests)
            )
        )
    return tests


def _exchange(graph: rdflib.Graph, request: rdflib.term.Node) -> Exchange:
    headers = {}
    for header in Collection(graph, graph.value(request, HT.headers) or RDF.nil):
        headers[str(graph.value(header, HT.fieldName))] = str(graph.value(header, HT.fieldValue))
    body = graph.value(request, HT.body)
    data = None
    if body is not None:
        encoding = str(graph.value(body, CNT.characterEncoding) or "UTF-8")
        data = str(graph.value(body, CNT.chars)).encode(encoding)
    response = graph.value(request, HT.resp)
    statuses = frozenset(
        int(str(s).rsplit("StatusCode", 1)[1][0])
        for s in graph.objects(response, MF.expectedStatus)
    )
    expected_format = graph.value(response, MF.expectedFormat)
    boolean = graph.value(response, MF.expectedBoolean)
    path = str(graph.value(request, HT.absolutePath)).replace("/sparql/", "/sparql", 1)
    return Exchange(
        str(graph.value(request, HT.methodName)),
        path,
        headers,
        data,
        statuses,
        str(expected_format) if expected_format is not None else None,
        boolean.toPython() if boolean is not None else None,
    )


def _tests() -> list[ProtocolTest]:
    # collected at import time, so a missing ../shared makes the parameters empty, not an error
    folder = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "sparql-protocol"
    return read_manifest(folder) if folder.exists() else []


ALL_TESTS = _tests()


def client_with(graphs: dict[str, Path]) -> FlaskClient:
    """The app over a fresh store holding these named graphs (label -> N-Triples file)."""
    store = open_store(None)
    loaded = {}
    for label, path in graphs.items():
        parsed = rdflib.Graph().parse(path, format="nt")
        loaded[IRI(label)] = [
            (IRI(str(s)), IRI(str(p)), IRI(str(o)) if isinstance(o, rdflib.URIRef) else Lit(str(o)))
            for s, p, o in parsed
        ]
    store.replace_graphs(loaded)
    return create_app(store, Settings(rate_limit_seconds=10_000)).test_client()


def test_the_manifest_is_read_whole() -> None:
    folder = shared_path("conformance", "sparql-protocol")
    tests = read_manifest(folder)
    assert len(tests) == 34
    assert set(EXCLUDED) <= {t.name for t in tests}
    assert len([t for t in tests if t.name not in EXCLUDED]) == 27
    assert sum(1 for t in tests if t.graphs) == 6


# Every applicable test passes, query_content_type_construct included: relative IRIs in a
# query resolve against the endpoint's canonical IRI.
@pytest.mark.parametrize(
    "test",
    [pytest.param(t, id=t.name) for t in ALL_TESTS if t.name not in EXCLUDED],
)
def test_protocol(test: ProtocolTest) -> None:
    client = client_with(test.graphs)
    for exchange in test.exchanges:
        response = client.open(
            exchange.path, method=exchange.method, data=exchange.body, headers=exchange.headers
        )
        detail = (
            f"{test.name}: {exchange.method} {unquote(exchange.path)} -> "
            f"{response.status} {response.data[:300]!r}"
        )
        assert response.status_code // 100 in exchange.statuses, detail
        if exchange.result_format is not None:
            assert response.mimetype in FORMATS[exchange.result_format], detail
        if exchange.boolean is not None:
            assert _boolean(response.data, response.mimetype) is exchange.boolean, detail


def _boolean(body: bytes, mimetype: str) -> bool:
    """The boolean of an ASK answer in SPARQL JSON or XML."""
    if mimetype == "application/sparql-results+json":
        return bool(json.loads(body)["boolean"])
    found = ElementTree.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert found is not None and found.text in {"true", "false"}, body
    return found.text == "true"
