"""Search-as-you-type on the 5M-triple store: index build time, and /api/search under load.

    python tests/bench/bench_search.py [SECONDS]

Builds (or reuses) the generated store of ``bigstore.py`` and its search index (timing a full
rebuild when there is none, or when REBUILD=1), times an after-ingest update of 1,000 entities,
then serves the store with ``labourgraph serve`` and drives ``/api/search?q=`` with ``wrk`` at
16 connections on loopback: every prefix (1 to 12 characters) of 300 names drawn from the
index, as someone typing them. Prints requests per second, p50 and p99; the target is p99 under
30 ms. ``SERVE_ARGS="--keep-alive 5"`` passes options to ``labourgraph serve`` (a browser's
autocomplete keeps its connection open).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import requests
from bigstore import build_bigstore
from labourgraph.graph.changeset import ChangeSet
from labourgraph.graph.rdf import IRI
from labourgraph.graph.search_upkeep import index_path, rebuild, update
from labourgraph.graph.store import open_store

BIN = Path(sys.executable).parent
CONNECTIONS = 16
TARGET_P99_MS = 30.0
NAMES = 300
UPDATED = 1000


def build_index(root: Path) -> Path:
    """The store's search index, rebuilt (and timed) if missing or asked for."""
    store = open_store(root)
    path = index_path(store)
    assert path is not None
    if os.environ.get("REBUILD") or not path.exists():
        started = time.perf_counter()
        rebuild(store).close()
        print(
            f"index build: {time.perf_counter() - started:.1f} s, "
            f"{path.stat().st_size / 2**20:.0f} MiB"
        )
    with sqlite3.connect(path) as db:
        iris = [
            IRI(i) for (i,) in db.execute("SELECT iri FROM entity ORDER BY id LIMIT ?", (UPDATED,))
        ]
        print(f"index: {db.execute('SELECT count(*) FROM entity').fetchone()[0]:,} entities")
    started = time.perf_counter()
    update(store, ChangeSet(datetime.now(UTC), entities_changed=frozenset(iris)))
    print(f"after-ingest update of {len(iris)} entities: {time.perf_counter() - started:.1f} s")
    return path


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ensure_wrk() -> str:
    """The wrk executable (Debian's package ``wrk``)."""
    found = shutil.which("wrk")
    if found is None:
        raise RuntimeError("wrk is not installed; expected it on PATH (apt-get install wrk)")
    return found


def typed_prefixes(index: Path) -> list[str]:
    """Every prefix of names drawn from the index, deterministic, as a person types them."""
    with sqlite3.connect(index) as db:
        labels = [label for (label,) in db.execute("SELECT label FROM entity ORDER BY iri")]
    chosen = random.Random(1917).sample(labels, min(NAMES, len(labels)))
    chosen += ["Trockij", "Троцкий", "cnt", "Goldman, Emma"]
    return [name[:n] for name in chosen for n in range(1, min(len(name), 12) + 1)]


def lua_script(paths: list[str], folder: Path) -> Path:
    """A wrk script that requests the paths in turn."""
    quoted = ",\n".join(f'"{p}"' for p in paths)
    script = folder / "search.lua"
    script.write_text(
        f"local paths = {{\n{quoted}\n}}\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n"
        '  return wrk.format("GET", paths[(i % #paths) + 1])\nend\n',
        encoding="utf-8",
    )
    return script


def measure(wrk: str, url: str, script: Path, seconds: int) -> str:
    """wrk's report for the script at CONNECTIONS connections."""
    out = subprocess.run(
        [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"{url} answered errors:\n{out}")
    return out


@contextmanager
def serving(root: Path, port: int, log: Path) -> Iterator[str]:
    """``labourgraph serve`` on the store, until the block ends; its URL."""
    url = f"http://127.0.0.1:{port}"
    command = [
        str(BIN / "labourgraph"),
        "serve",
        "--store",
        str(root),
        "--port",
        str(port),
        *os.environ.get("SERVE_ARGS", "").split(),
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(url + "/api/search", params={"q": "a"}, timeout=10).ok:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        else:
            raise RuntimeError(f"labourgraph serve did not start:\n{log.read_text()[-2000:]}")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> int:
    """Build, serve, load, report; exit 1 when p99 misses the target."""
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    root = build_bigstore()
    index = build_index(root)
    prefixes = typed_prefixes(index)
    wrk = ensure_wrk()
    paths = ["/api/search?" + urllib.parse.urlencode({"q": p}) for p in prefixes]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        script = lua_script(paths, folder)
        with serving(root, free_port(), folder / "serve.log") as url:
            measure(wrk, url, script, 2)  # warm the page cache
            out = measure(wrk, url, script, seconds)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    dist = out.partition("Latency Distribution")[2]
    p50 = re.search(r"50%\s+(\S+)", dist).group(1)  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+(\S+)", dist).group(1)  # type: ignore[union-attr]
    p99_ms = (
        float(p99[:-2])
        if p99.endswith("ms")
        else float(p99[:-2]) / 1000
        if p99.endswith("us")
        else float(p99[:-1]) * 1000
    )
    print(
        f"search-as-you-type, {len(paths):,} prefixes, {CONNECTIONS} connections, "
        f"{seconds} s: {rps:,.0f} requests/s, p50 {p50}, p99 {p99} "
        f"(target p99 < {TARGET_P99_MS:.0f} ms: {'met' if p99_ms < TARGET_P99_MS else 'MISSED'})"
    )
    return 0 if p99_ms < TARGET_P99_MS else 1


if __name__ == "__main__":
    sys.exit(main())
