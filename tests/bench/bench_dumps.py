"""The dumps (``graph/dumps.py``) against the bare scan they cannot do without.

    python tests/bench/bench_dumps.py [--triples 5000000] [--store DIR]

On the big store of ``bigstore.py`` (or the store directory given), in one process, one after
the other: pyoxigraph's N-Quads dump of the published snapshot to a sink that keeps nothing
(the decoding of every quad's terms, which every dump pays), then ``dumps.write_all``, which
writes the three dumps from one such scan into a temporary folder (never into the store).
Prints wall and CPU seconds of each, their ratio, and the peak RSS of the process.
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bigstore import build_bigstore
from labourgraph.graph import dumps
from labourgraph.graph.store import open_store

WHEN = datetime(2026, 1, 1, tzinfo=UTC)


class Discard(io.RawIOBase):
    """A binary sink that keeps nothing."""

    def writable(self) -> bool:
        """A sink is writable."""
        return True

    def write(self, piece: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        """Take the piece and forget it."""
        return len(piece)


def timed(label: str, run: Callable[[], object]) -> tuple[float, float]:
    """Run ``run()`` and print and return its wall and CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:46s} wall {wall:6.1f} s   cpu {cpu:6.1f} s", flush=True)
    return wall, cpu


def main() -> int:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=5_000_000)
    parser.add_argument("--store", type=Path, help="a store directory instead of the big store")
    args = parser.parse_args()
    root = args.store or build_bigstore(triples=args.triples)
    store = open_store(root)  # the published snapshot, read-only
    try:
        bare = timed(
            "N-Quads dump to a discarding sink",
            lambda: store.dump(Discard(), "application/n-quads"),
        )
        with tempfile.TemporaryDirectory(prefix="bench-dumps-") as folder:
            written = timed(
                "dumps.write_all (nq.gz, nt.gz, ttl)",
                lambda: dumps.write_all(store, Path(folder), WHEN),
            )
            sizes = {f.name: f.stat().st_size for f in (Path(folder) / "dumps").iterdir()}
    finally:
        store.close()
    print(f"dumps / bare scan: wall {written[0] / bare[0]:.2f}x, cpu {written[1] / bare[1]:.2f}x")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print(
        "sizes: " + ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in sorted(sizes.items()))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
