"""The real Flask app over a RemoteStore (a real `oxigraph serve`): pages and /sparql."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from labourgraph.graph.rdf import IRI
from labourgraph.graph.remote_store import RemoteStore
from labourgraph.graph.stores import open_any
from labourgraph.web.app import create_app
from labourgraph.web.cli import main
from labourgraph.web.settings import Settings
from support import shared_path

pytestmark = pytest.mark.remote

PEOPLE = (
    "SELECT ?person WHERE { ?person a <https://schema.org/Person> ; "
    "<https://schema.org/memberOf>|^<https://schema.org/creator> ?x } ORDER BY ?person LIMIT 3"
)


@pytest.fixture(scope="module")
def clients(
    tmp_path_factory: pytest.TempPathFactory, oxigraph_server: Any
) -> dict[str, FlaskClient]:
    """Two apps over the same records: one on oxigraph serve, one on the embedded store."""
    iish_fixtures = shared_path("fixtures", "iish")  # skips, or fails under CI, if missing
    oxigraph_server.update("DROP ALL")
    tmp_path = tmp_path_factory.mktemp("apps")
    remote, embedded = tmp_path / "remote", tmp_path / "embedded"
    endpoints = [
        "--sparql-endpoint",
        oxigraph_server.query_url,
        "--update-endpoint",
        oxigraph_server.update_url,
    ]
    main(["ingest", "--store", str(remote), *endpoints, str(iish_fixtures)])
    main(["ingest", "--store", str(embedded), str(iish_fixtures)])
    found = {}
    for name, folder in (("remote", remote), ("embedded", embedded)):
        store = open_any(folder)
        app = create_app(store, Settings(store=folder))
        found[name] = app.test_client()
    assert isinstance(found["remote"].application.extensions["labourgraph.store"], RemoteStore)
    return found


def page_paths(client: FlaskClient) -> list[str]:
    """Paths of a few person pages, found through the app's own store."""
    store = client.application.extensions["labourgraph.store"]
    rows = store.select_text(PEOPLE)
    return ["/" + IRI(row["person"]).removeprefix(store.base) for row in rows]


def test_entity_pages_say_the_same_on_both_stores(clients: dict[str, FlaskClient]) -> None:
    paths = page_paths(clients["remote"])
    assert paths and paths == page_paths(clients["embedded"])
    for path in paths:
        for accept in ("text/html", "text/turtle", "application/n-triples"):
            remote = clients["remote"].get(path, headers={"Accept": accept})
            embedded = clients["embedded"].get(path, headers={"Accept": accept})
            assert remote.status_code == 200, (path, accept, remote.data[:300])
            assert remote.mimetype == embedded.mimetype
            if accept == "text/html":
                assert remote.data == embedded.data
            if accept == "application/n-triples":
                assert sorted(remote.data.splitlines()) == sorted(embedded.data.splitlines())


def test_unknown_entities_are_404_remotely(clients: dict[str, FlaskClient]) -> None:
    assert clients["remote"].get("/id/person/no-such-person").status_code == 404


@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "text/csv",
        "application/sparql-results+xml",
        "text/tab-separated-values",
    ],
)
def test_the_sparql_endpoint_answers_the_same_on_both_stores(
    clients: dict[str, FlaskClient], accept: str
) -> None:
    query = (
        "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n) ?type"
    )
    answers = {
        name: c.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
        for name, c in clients.items()
    }
    assert answers["remote"].status_code == 200
    assert answers["remote"].data == answers["embedded"].data
    if accept.endswith("json"):
        assert json.loads(answers["remote"].data)["results"]["bindings"]


def test_the_sparql_endpoint_refuses_updates_and_bad_syntax_remotely(
    clients: dict[str, FlaskClient],
) -> None:
    client = clients["remote"]
    update = client.post("/sparql", data={"query": "DROP ALL"})
    assert update.status_code in (400, 403)
    bad = client.get(
        "/sparql",
        query_string={"query": "SELECT ?x WHERE { ?x ?y }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert bad.status_code == 400
    assert b"error at 1:" in bad.data
