"""A small labourgraph store and a real ``labourgraph serve`` on loopback, for endpoint tests.

Until the shared ingest fixtures exist, the store is filled with ``replace_graphs`` (the
store's own write path) and published as a snapshot, exactly what a server opens.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
from labourgraph.graph.rdf import IRI, Lit
from labourgraph.graph.store import open_store

BASE = "http://127.0.0.1:5000/"
SCHEMA = "https://schema.org/"
RDF_TYPE = IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PERSONS = 60


def person(n: int) -> IRI:
    """The IRI of test person ``n``."""
    return IRI(f"{BASE}id/person/a{n}")


def record(n: int) -> IRI:
    """The record graph that describes test person ``n``."""
    return IRI(f"{BASE}id/record/p{n}")


def fill(store_dir: Path) -> Path:
    """A published store of PERSONS persons, one record graph each; returns ``store_dir``."""
    store = open_store(store_dir, writable=True, base=BASE)
    union = IRI(f"{BASE}id/organisation/a1")
    graphs = {
        record(n): [
            (person(n), RDF_TYPE, IRI(SCHEMA + "Person")),
            (person(n), IRI(SCHEMA + "name"), Lit(f"Person {n}")),
            (person(n), IRI(SCHEMA + "memberOf"), union),
        ]
        for n in range(PERSONS)
    }
    graphs[IRI(f"{BASE}id/record/o1")] = [(union, IRI(SCHEMA + "name"), Lit("Dockworkers Union"))]
    store.replace_graphs(graphs)
    store.publish()
    store.close()
    return store_dir


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(
    store_dir: Path,
    log: Path,
    *,
    workers: int = 3,
    timeout: float = 30,
    limit: int = 10_000,
    budget: float = 120,
) -> Iterator[str]:
    """Run ``labourgraph serve`` on a free port; yield its base URL; stop it afterwards."""
    port = free_port()
    env = {**os.environ, "LABOURGRAPH_RATE_LIMIT_SECONDS": str(budget)}
    command = [
        sys.executable,
        "-m",
        "labourgraph.web.cli",
        "serve",
        "--store",
        str(store_dir),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--timeout",
        str(timeout),
        "--limit",
        str(limit),
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if requests.get(url + "/sparql", headers={"Accept": "text/turtle"}, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"labourgraph serve did not answer within 30 s:\n{log.read_text()}")
