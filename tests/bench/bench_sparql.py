"""SPARQL throughput: /sparql (labourgraph serve) beside ``oxigraph serve`` on the same store.

    python tests/bench/bench_sparql.py [TRIPLES] [SECONDS]

Builds (or reuses) the big store of ``bigstore.py`` (5M triples by default), starts
``labourgraph serve`` and ``oxigraph serve-read-only --union-default-graph`` on its published
snapshot, both on loopback, and drives each query of a typical mix with ``wrk`` at 16
connections for SECONDS (default 5) seconds: requests per second, p50 and p99 latency, and the
ratio labourgraph / oxigraph with the issue's target (0.8 where oxigraph needs > 5 ms per
query, else 0.25). rdflib-endpoint is NOT measured yet (see the report of issue 5).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
from bigstore import BASE, build_bigstore, snapshot_dir

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CONNECTIONS = 16
P = "PREFIX schema: <https://schema.org/>\n"
QUERIES = {
    "entity lookup": f"SELECT ?p ?o WHERE {{ <{BASE}id/person/a1234> ?p ?o }}",
    "one hop with labels": P + f"SELECT ?p ?o ?name WHERE {{ <{BASE}id/person/a1234> ?p ?o . "
    "OPTIONAL { ?o schema:name ?name } }",
    "two-hop path": P
    + f"SELECT ?org ?name WHERE {{ <{BASE}id/person/a1234> schema:memberOf ?role . "
    "?role schema:memberOf ?org . ?org schema:name ?name }",
    "members per organisation": P + "SELECT ?org (COUNT(?p) AS ?n) WHERE { ?p schema:memberOf ?r . "
    "?r schema:memberOf ?org } GROUP BY ?org ORDER BY DESC(?n) LIMIT 10",
    "name filter": P + "SELECT ?s ?name WHERE { ?s a schema:Organization ; schema:name ?name . "
    'FILTER(CONTAINS(?name, "Dockworkers Union 12")) }',
}


def free_port() -> int:
    """A free loopback port."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running(command: list[str], url: str, log: Path) -> Iterator[None]:
    """A server process, up until the block ends."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(url, params={"query": "ASK {}"}, timeout=2).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"{command[0]} did not start:\n{log.read_text()[-2000:]}")
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def ensure_wrk() -> str:
    """The wrk binary (Debian's package, installed if missing)."""
    found = shutil.which("wrk")
    if found is None:
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        found = shutil.which("wrk")
    assert found, "wrk is not installed"
    return found


def measure(wrk: str, url: str, query: str, seconds: int) -> tuple[float, str, str]:
    """Requests per second, p50 and p99 of one query at CONNECTIONS connections."""
    target = url + "?" + urllib.parse.urlencode({"query": query})
    out = subprocess.run(
        [
            wrk,
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            "Accept: application/sparql-results+json",
            target,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    distribution = out.partition("Latency Distribution")[2]
    p50 = re.search(r"50%\s+(\S+)", distribution)
    p99 = re.search(r"99%\s+(\S+)", distribution)
    if rps == 0 or p50 is None or p99 is None:
        return 0.0, "n/a", "n/a"
    if "Non-2xx" in out:
        raise RuntimeError(f"{url} answered errors:\n{out}")
    return rps, p50.group(1), p99.group(1)


def main() -> int:
    """Print the table of figures and ratios."""
    triples = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    root = build_bigstore(triples=triples)
    wrk = ensure_wrk()
    logs = REPO / "var" / "bench"
    ours, theirs = free_port(), free_port()
    ours_url, theirs_url = f"http://127.0.0.1:{ours}/sparql", f"http://127.0.0.1:{theirs}/query"
    serve = [str(BIN / "labourgraph"), "serve", "--store", str(root), "--port", str(ours)]
    oxigraph = [
        str(BIN / "oxigraph"),
        "serve-read-only",
        "--location",
        str(snapshot_dir(root)),
        "--bind",
        f"127.0.0.1:{theirs}",
        "--union-default-graph",
    ]
    print(f"store: {root} ({triples:,} triples), {CONNECTIONS} connections, {seconds} s per query")
    print(
        f"{'query':<26}{'labourgraph rps':>16}{'p50':>9}{'p99':>9}{'oxigraph rps':>14}"
        f"{'p50':>9}{'p99':>9}{'ratio':>7}{'target':>8}"
    )
    failed = 0
    with (
        running(serve, ours_url, logs / "serve.log"),
        running(oxigraph, theirs_url, logs / "oxigraph.log"),
    ):
        for name, query in QUERIES.items():
            ox_rps, ox50, ox99 = measure(wrk, theirs_url, query, seconds)
            lg_rps, lg50, lg99 = measure(wrk, ours_url, query, seconds)
            if ox_rps == 0 or lg_rps == 0:
                print(
                    f"{name:<26} no request finished within {seconds} s "
                    f"(labourgraph {lg_rps:.0f} rps, oxigraph {ox_rps:.0f} rps): run longer"
                )
                failed += 1
                continue
            heavy = CONNECTIONS / ox_rps > 0.005  # oxigraph spends > 5 ms per query
            target = 0.8 if heavy else 0.25
            ratio = lg_rps / ox_rps
            failed += ratio < target
            print(
                f"{name:<26}{lg_rps:>16.0f}{lg50:>9}{lg99:>9}{ox_rps:>14.0f}{ox50:>9}{ox99:>9}"
                f"{ratio:>7.2f}{target:>8.2f}{'' if ratio >= target else '  BELOW TARGET'}",
                flush=True,
            )
    print("rdflib-endpoint: not measured (not implemented in this benchmark yet)")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
