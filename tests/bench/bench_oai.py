"""OAI-PMH harvest speed and server memory: a full ListRecords of the generated big store.

    python tests/bench/bench_oai.py                       # a 2M-triple store (~110,000 items)
    python tests/bench/bench_oai.py --prefix rdf          # another metadata format
    python tests/bench/bench_oai.py --triples 5000000     # the 5M store of the other benchmarks

Builds (or reuses) the store of ``bigstore.py``, writes its change log once with the real
after-ingest step (timed), starts ``labourgraph serve`` with one uWSGI worker as a real
process, harvests every page following resumption tokens, and samples the worker's resident
memory (VmRSS from /proc) all along: a server that streams keeps it flat, one that holds a
list grows with the repository. Checks that every item came exactly once.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bigstore import build_bigstore

REPO = Path(__file__).resolve().parents[2]
IDENTIFIER = re.compile(rb"<header(?: status=\"deleted\")?><identifier>([^<]+)</identifier>")
TOKEN = re.compile(rb"<resumptionToken[^>]*?(?:/>|>([^<]*)</resumptionToken>)")


def rss_kib(pid: int) -> int:
    """The resident memory of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def worker_pid(master: int, timeout: float = 30) -> int:
    """The pid of the first uWSGI worker forked by ``master``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.2)
    raise RuntimeError("uWSGI started no worker")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ensure_change_log(root: Path) -> float | None:
    """Write the change log with the real after-ingest step, once; its time in seconds."""
    if (root / "changes.sqlite").exists():
        return None
    from labourgraph.graph.changes import record_ingest
    from labourgraph.graph.changeset import ChangeSet
    from labourgraph.graph.store import open_store

    started = time.perf_counter()
    record_ingest(open_store(root), ChangeSet(when=datetime.now(UTC)))
    return time.perf_counter() - started


class Sampler(threading.Thread):
    """Samples a process's RSS every ``every`` seconds."""

    def __init__(self, pid: int, every: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.samples = pid, every, [rss_kib(pid)]
        self.running = True

    def run(self) -> None:
        while self.running:
            self.samples.append(rss_kib(self.pid))
            time.sleep(self.every)


def harvest(url: str, prefix: str) -> tuple[int, int, list[bytes]]:
    """Every page of ListRecords: (pages, bytes, identifiers)."""
    params: dict[str, str] = {"verb": "ListRecords", "metadataPrefix": prefix}
    pages, size, identifiers = 0, 0, []
    with requests.Session() as session:
        while True:
            body = session.get(url, params=params, timeout=120).content
            pages, size = pages + 1, size + len(body)
            identifiers += IDENTIFIER.findall(body)
            found = TOKEN.search(body)
            if not found or not found.group(1):
                return pages, size, identifiers
            params = {"verb": "ListRecords", "resumptionToken": found.group(1).decode()}


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=2_000_000)
    parser.add_argument("--prefix", default="oai_dc")
    args = parser.parse_args()
    root = build_bigstore(triples=args.triples)
    built = ensure_change_log(root)
    if built is not None:
        print(f"change log written by the after-ingest step in {built:.1f} s")
    import sqlite3

    with sqlite3.connect(root / "changes.sqlite") as db:
        items = db.execute("SELECT COUNT(*) FROM items").fetchone()[0]
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    log = open(REPO / "var" / "bench" / "oai-serve.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "labourgraph.web.cli",
            "serve",
            "--store",
            str(root),
            "--port",
            str(port),
            "--workers",
            "1",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}/oai"
        for _ in range(300):
            try:
                requests.get(url, params={"verb": "Identify"}, timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        worker = worker_pid(server.pid)
        sampler = Sampler(worker)
        sampler.start()
        started = time.perf_counter()
        pages, size, identifiers = harvest(url, args.prefix)
        elapsed = time.perf_counter() - started
        sampler.running = False
        sampler.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    report(args.prefix, items, pages, size, identifiers, elapsed, sampler.samples)
    return 0 if len(identifiers) == len(set(identifiers)) == items else 1


def report(
    prefix: str,
    items: int,
    pages: int,
    size: int,
    identifiers: list[bytes],
    elapsed: float,
    samples: list[int],
) -> None:
    """Print the figures."""
    tenth = max(1, len(samples) // 10)
    print(f"store items (change log): {items:,}")
    print(
        f"harvested ListRecords {prefix}: {len(identifiers):,} records "
        f"({len(set(identifiers)):,} distinct) in {pages:,} pages, {size / 2**20:.0f} MiB, "
        f"{elapsed:.1f} s -> {len(identifiers) / elapsed:,.0f} items/s"
    )
    print(
        f"worker RSS MiB: start {samples[0] / 1024:.0f}, first tenth max "
        f"{max(samples[:tenth]) / 1024:.0f}, last tenth max {max(samples[-tenth:]) / 1024:.0f}, "
        f"peak {max(samples) / 1024:.0f} ({len(samples)} samples)"
    )


if __name__ == "__main__":
    sys.exit(main())
