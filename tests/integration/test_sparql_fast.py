"""The short way for SPARQL queries answers exactly as the Flask view would, or hands over."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable
from typing import Any

import pytest
from flask import Flask
from labourgraph.graph.rdf import IRI, Lit
from labourgraph.graph.store import open_store
from labourgraph.web.app import create_app
from labourgraph.web.settings import Settings
from labourgraph.web.sparql_fast import SparqlFastPath
from werkzeug.test import EnvironBuilder, run_wsgi_app

EX = "http://example.org/"
NAME = IRI("https://schema.org/name")
SELECT = "SELECT ?s ?o WHERE { ?s <https://schema.org/name> ?o } ORDER BY ?o"
CONSTRUCT = (
    "CONSTRUCT { ?s <https://schema.org/name> ?o } WHERE { ?s <https://schema.org/name> ?o }"
)
JSON = "application/sparql-results+json"
FORM = "application/x-www-form-urlencoded"

Answer = tuple[str, list[tuple[str, str]], bytes]


@pytest.fixture
def app() -> Flask:
    store = open_store(None)
    store.replace_graphs(
        {
            IRI(f"{EX}record/{n}"): [(IRI(f"{EX}person/{n}"), NAME, Lit(f"Person {n}"))]
            for n in range(5)
        }
    )
    return create_app(store, Settings(result_limit=3))


class Recorder:
    """A WSGI app standing in for Flask behind the middleware: records what reaches it."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        self.bodies.append(environ["wsgi.input"].read(length))
        start_response("418 I'M A TEAPOT", [("Content-Type", "text/plain")])
        return [b"handed over\n"]


def call(wsgi: Any, **request: Any) -> Answer:
    environ = EnvironBuilder(path="/sparql", **request).get_environ()
    body, status, headers = run_wsgi_app(wsgi, environ, buffered=True)
    return status, sorted(headers.to_wsgi_list()), b"".join(body)


def get(query: str, **params: str) -> dict[str, Any]:
    return {"query_string": urllib.parse.urlencode({"query": query, **params})}


ANSWERED = [
    pytest.param(dict(get(SELECT), headers={"Accept": JSON}), id="GET select json"),
    pytest.param(dict(get(SELECT), headers={"Accept": "text/csv"}), id="GET select csv (capped)"),
    pytest.param(dict(get(SELECT, format="xml")), id="GET format=xml"),
    pytest.param(dict(get(CONSTRUCT), headers={"Accept": "text/turtle"}), id="GET construct"),
    pytest.param(
        dict(
            get("ASK { ?s ?p ?o }", **{"default-graph-uri": f"{EX}record/1"}),
            headers={"Accept": JSON},
        ),
        id="GET default-graph-uri",
    ),
    pytest.param(dict(get("SELECT * WHERE { ?s ?p }")), id="GET syntax error"),
    pytest.param(
        dict(get("SELECT * WHERE { SERVICE <http://x.org/> { ?s ?p ?o } }")),
        id="GET SERVICE refused",
    ),
    pytest.param(
        dict(method="POST", data={"query": SELECT}, headers={"Accept": JSON}), id="POST form"
    ),
    pytest.param(
        dict(
            method="POST",
            data=SELECT.encode(),
            content_type="application/sparql-query",
            headers={"Accept": "text/tab-separated-values"},
        ),
        id="POST direct",
    ),
]


@pytest.mark.parametrize("request_", ANSWERED)
def test_the_short_way_answers_as_the_flask_view_does(app: Flask, request_: dict[str, Any]) -> None:
    fast = app.wsgi_app
    assert isinstance(fast, SparqlFastPath)
    assert (
        call(
            SparqlFastPath(
                Recorder(), fast.store, Settings(result_limit=3), fast.budget, fast.watchdog
            ),
            **request_,
        )[0]
        != "418 I'M A TEAPOT"
    )
    assert call(fast, **request_) == call(fast.app, **request_)


def test_a_capped_answer_says_so_on_the_short_way(app: Flask) -> None:
    status, headers, body = call(app.wsgi_app, **get(SELECT), headers={"Accept": "text/csv"})
    assert status == "200 OK"
    assert ("X-Labourgraph-Truncated", "true") in headers
    assert body.decode().splitlines() == [
        "s,o",
        f"{EX}person/0,Person 0",
        f"{EX}person/1,Person 1",
        f"{EX}person/2,Person 2",
    ]


HANDED_OVER = [
    pytest.param(dict(), b"", id="no query: service description"),
    pytest.param(dict(get(SELECT), headers={"Accept": "text/html"}), b"", id="browser: editor"),
    pytest.param(dict(method="OPTIONS"), b"", id="OPTIONS"),
    pytest.param(dict(query_string="query=ASK%7B%7D&query=ASK%7B%7D"), b"", id="two queries"),
    pytest.param(
        dict(method="POST", data=b"query=ASK%7B%7D&query=ASK%7B%7D", content_type=FORM),
        b"query=ASK%7B%7D&query=ASK%7B%7D",
        id="POST two queries",
    ),
    pytest.param(
        dict(method="POST", data=b"update=CLEAR+ALL", content_type=FORM),
        b"update=CLEAR+ALL",
        id="POST update",
    ),
    pytest.param(
        dict(method="POST", data=b"CLEAR ALL", content_type="application/sparql-update"),
        b"CLEAR ALL",
        id="POST sparql-update",
    ),
    pytest.param(dict(get(SELECT, format="nonsense")), b"", id="unknown format"),
]


@pytest.mark.parametrize(("request_", "body"), HANDED_OVER)
def test_everything_else_reaches_flask_with_its_body(
    app: Flask, request_: dict[str, Any], body: bytes
) -> None:
    fast = app.wsgi_app
    assert isinstance(fast, SparqlFastPath)
    recorder = Recorder()
    short_way = SparqlFastPath(recorder, fast.store, Settings(), fast.budget, fast.watchdog)
    assert call(short_way, **request_)[2] == b"handed over\n"
    assert recorder.bodies == [body]


def test_a_refused_post_is_answered_by_flask_from_the_body_the_short_way_read(app: Flask) -> None:
    status, _, body = call(
        app.wsgi_app, method="POST", content_type=FORM, data=b"query=ASK%7B%7D&query=ASK%7B%7D"
    )
    assert status == "400 BAD REQUEST"
    assert body == b"Give exactly one query; this request has 2.\n"
