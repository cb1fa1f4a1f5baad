"""Time limit, query budget and long GET queries, against a real ``labourgraph serve``."""

from __future__ import annotations

import http.client
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sparql_server import fill, serving

# A five-way cross join over every triple: counting it means 181^5 rows, far past any limit.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?x ?o }"
TIME_LIMIT = 2.0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("limits")
    with serving(
        fill(root / "store"), root / "serve.log", workers=3, timeout=TIME_LIMIT, budget=3.0
    ) as url:
        yield url


pytestmark = pytest.mark.slow


def test_a_long_get_query_is_answered_whole(server: str) -> None:
    # about 40 KiB of URL: more than half of uWSGI's request buffer, which holds it twice
    # (this test comes first: the tests after it spend the client's budget)
    url = server
    iris = ",".join(f"<http://example.org/{n}>" for n in range(1200))
    query = f"SELECT ?s WHERE {{ ?s ?p ?o . FILTER(?s IN ({iris})) }}"
    path = "/sparql?" + urllib.parse.urlencode({"query": query})
    assert len(path) > 40_000
    connection = http.client.HTTPConnection(urllib.parse.urlsplit(url).netloc, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
        response = connection.getresponse()
        assert (response.status, response.read()) == (
            200,
            b'{"head":{"vars":["s"]},"results":{"bindings":[]}}',
        )
    finally:
        connection.close()


def test_a_runaway_query_is_stopped_while_others_are_served(server: str) -> None:
    others: list[tuple[int, float]] = []

    def simple_requests() -> None:
        for n in range(25):
            started = time.monotonic()
            # alternately a small query and the service description
            params = {"query": "ASK { ?s ?p ?o }"} if n % 2 else {}
            r = requests.get(
                server + "/sparql",
                params=params,
                headers={"Accept": "application/sparql-results+json, text/turtle"},
                timeout=5,
            )
            others.append((r.status_code, time.monotonic() - started))
            time.sleep(0.08)

    background = threading.Thread(target=simple_requests)
    background.start()
    started = time.monotonic()
    runaway = requests.get(server + "/sparql", params={"query": RUNAWAY}, timeout=30)
    elapsed = time.monotonic() - started
    background.join()
    assert runaway.status_code == 503
    assert runaway.text == (
        "The query ran longer than the time limit of 2 seconds and was stopped. Narrow it down "
        "(more specific patterns, a LIMIT, fewer OPTIONALs) and try again.\n"
    )
    assert TIME_LIMIT <= elapsed < TIME_LIMIT + 2
    assert len(others) == 25
    assert all(status == 200 for status, _ in others), others
    assert max(seconds for _, seconds in others) < 1.0, others
    # the stopped worker was replaced: the server still answers
    after = requests.get(server + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=5)
    assert after.json() == {"head": {}, "boolean": True}


def test_too_many_expensive_queries_get_429(server: str) -> None:
    # the previous test spent 2 s of this client's 3 s budget; one more runaway exceeds it
    requests.get(server + "/sparql", params={"query": RUNAWAY}, timeout=30)
    refused = requests.get(server + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=5)
    assert refused.status_code == 429
    wait = int(refused.headers["Retry-After"])
    assert 1 <= wait <= 60
    assert refused.text == (
        "Too many expensive queries from 127.0.0.1: more than 3 s of query time in the last "
        f"60 s. Try again in {wait} s.\n"
    )


def test_the_server_log_names_the_stopped_query(
    server: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    log = next(Path(tmp_path_factory.getbasetemp()).glob("limits*/serve.log")).read_text()
    assert "ran past 2s: answering 503 and ending worker" in log
