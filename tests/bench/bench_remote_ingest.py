"""Ingest into a remote ``oxigraph serve`` against ingest into the embedded store, side by side.

    python tests/bench/bench_remote_ingest.py                  # 20,000 generated MARCXML records
    python tests/bench/bench_remote_ingest.py --records 2000   # a quick check
    python tests/bench/bench_remote_ingest.py --corpus data/   # the corpus instead

Both runs are the whole ``labourgraph ingest`` command on the same records: once into an
embedded store directory, once with ``--sparql-endpoint``/``--update-endpoint`` into an
``oxigraph serve`` (the Rust server of the pip package ``oxigraph``) started here on a free
loopback port and stopped after. Then each is ingested again, unchanged (the re-ingest path:
reads of every record graph, no writes). Prints seconds, records/s and the remote/embedded ratio.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import write_marcxml_corpus
from labourgraph.graph.store import read_meta
from labourgraph.web.cli import main as labourgraph


def start_oxigraph(folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    """``oxigraph serve`` on a free loopback port, once it answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    command = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    process = subprocess.Popen(
        [
            command,
            "serve",
            "--location",
            str(folder / "oxigraph-db"),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1):
                return process, port
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("oxigraph serve did not start within 20 s")


def timed_ingest(args: list[str]) -> float:
    """Seconds one ``labourgraph ingest`` takes (exit 0 or 1: rejected records are counted)."""
    started = time.perf_counter()
    code = labourgraph(["ingest", *args])
    if code not in (0, 1):
        raise SystemExit(f"ingest {args} failed with exit code {code}")
    return time.perf_counter() - started


def main() -> None:
    """Run both ingests twice and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--corpus", type=Path, default=None, help="ingest this folder instead")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lg-bench-remote-") as tmp:
        work = Path(tmp)
        corpus = options.corpus or work / "corpus"
        if options.corpus is None:
            write_marcxml_corpus(corpus, options.records)
        server, port = start_oxigraph(work)
        remote = [
            "--sparql-endpoint",
            f"http://127.0.0.1:{port}/query",
            "--update-endpoint",
            f"http://127.0.0.1:{port}/update",
        ]
        try:
            figures = {
                "embedded": [
                    timed_ingest(["--store", str(work / "embedded"), str(corpus)]) for _ in range(2)
                ],
                "oxigraph serve": [
                    timed_ingest(["--store", str(work / "remote"), *remote, str(corpus)])
                    for _ in range(2)
                ],
            }
        finally:
            server.terminate()
            server.wait(timeout=30)
        report(figures, options.records if options.corpus is None else None, work)


def report(figures: dict[str, list[float]], records: int | None, work: Path) -> None:
    """Print one line per store and the ratios."""
    what = f"{records:,} generated records" if records else "the corpus"
    print(f"ingest of {what}: first ingest, then the same again (unchanged)")
    for name, (first, again) in figures.items():
        rate = f", {records / first:,.0f} records/s" if records else ""
        print(f"  {name:15s} first {first:7.1f} s{rate}; unchanged re-ingest {again:6.1f} s")
    embedded, remote = figures["embedded"], figures["oxigraph serve"]
    print(
        f"  remote/embedded time: first {remote[0] / embedded[0]:.2f}x, "
        f"re-ingest {remote[1] / embedded[1]:.2f}x"
    )
    print(
        f"  generations: embedded {read_meta(work / 'embedded').get('generation')}, "
        f"remote {read_meta(work / 'remote').get('generation')}"
    )


if __name__ == "__main__":
    main()
