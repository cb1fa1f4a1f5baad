"""Ingest throughput: the whole ``labourgraph ingest`` pipeline against pyoxigraph's bulk load.

    python tests/bench/bench_ingest.py                 # 100,000 generated MARCXML records
    python tests/bench/bench_ingest.py --records 5000  # a quick check

Generates IISH-shaped MARCXML records (``generate.py``) under a temporary folder, times
``labourgraph ingest`` into an on-disk store (records/s, triples/s, peak RSS), exports the
result as N-Quads and times ``pyoxigraph.Store.bulk_load`` of them into an empty on-disk store,
then prints both side by side with their ratio (target: the pipeline within 5x of the bulk load).
Each step runs in a child process of its own, so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import write_marcxml_corpus

TARGET_RATIO = 5.0


def run_step(step: str, work: Path) -> dict[str, float]:
    """Run one timed step in this process (called in a child) and return its figures."""
    started = time.perf_counter()
    phases: dict[str, float] = {}
    if step == "ingest":
        from labourgraph.web.cli import main

        timings = _PhaseLog()
        for name in ("labourgraph.graph.ingest", "labourgraph.graph.after_ingest"):
            logging.getLogger(name).addHandler(timings)
            logging.getLogger(name).setLevel(logging.INFO)
        code = main(["ingest", "--store", str(work / "store"), str(work / "corpus")])
        if code not in (0, 1):
            raise SystemExit(f"ingest failed with exit code {code}")
        phases = timings.phases
    elif step == "export":
        from labourgraph.web.cli import main

        main(["export", "--store", str(work / "store"), "-o", str(work / "export.nq")])
    elif step == "bulk_load":
        import pyoxigraph as ox

        store = ox.Store(str(work / "bulk"))
        store.bulk_load(path=str(work / "export.nq"), format=ox.RdfFormat.N_QUADS)
        store.flush()
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mib": peak_mib, **phases}


class _PhaseLog(logging.Handler):
    """Picks the phase timings out of the ingest's "ingest timings: ..." log line."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.phases: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("ingest timings:"):
            numbers = [float(n) for n in re.findall(r"([0-9.]+) s", message)]
            self.phases.update(zip(("load", "publish", "after_ingest"), numbers, strict=False))
        elif found := re.match(r"after-ingest step (\w+) took ([0-9.]+) s", message):
            self.phases[f"step {found[1]}"] = float(found[2])


def in_child(step: str, work: Path) -> dict[str, float]:
    """Run a step in a child process and read back its figures."""
    done = subprocess.run(
        [sys.executable, __file__, "--step", step, "--work", str(work)],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def count_lines(path: Path) -> int:
    """Lines of a file (quads of an N-Quads export)."""
    with path.open("rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


def bench(records: int, work: Path) -> float:
    """Generate, ingest, export, bulk-load; print the figures; return the ratio."""
    started = time.perf_counter()
    files = write_marcxml_corpus(work / "corpus", records)
    mib = sum(f.stat().st_size for f in files) / 2**20
    elapsed = time.perf_counter() - started
    print(f"generated {records:,} records, {len(files)} files ({mib:,.0f} MiB), {elapsed:.1f} s")
    ingest = in_child("ingest", work)
    export = in_child("export", work)
    quads = count_lines(work / "export.nq")
    bulk = in_child("bulk_load", work)
    ratio = ingest["seconds"] / bulk["seconds"]
    print(f"{'':24}{'seconds':>10}{'records/s':>12}{'triples/s':>12}{'peak RSS MiB':>14}")
    for name, step in (("labourgraph ingest", ingest), ("pyoxigraph bulk_load", bulk)):
        print(
            f"{name:24}{step['seconds']:>10.1f}{records / step['seconds']:>12,.0f}"
            f"{quads / step['seconds']:>12,.0f}{step['peak_mib']:>14,.0f}"
        )
    print(f"({quads:,} quads; export to N-Quads took {export['seconds']:.1f} s)")
    if "load" in ingest:
        core = ingest["load"] + ingest["publish"]
        bulk_s = bulk["seconds"]
        print(
            f"ingest phases (x bulk_load): read+map+load {ingest['load']:.1f} s "
            f"({ingest['load'] / bulk_s:.2f}x), publish {ingest['publish']:.1f} s, "
            f"after-ingest steps {ingest['after_ingest']:.1f} s "
            f"({ingest['after_ingest'] / bulk_s:.2f}x)"
        )
        steps = [(k.removeprefix("step "), v) for k, v in ingest.items() if k.startswith("step ")]
        if steps:
            print(
                "after-ingest steps (dumps in a child process beside the others): "
                + ", ".join(f"{k} {v:.1f} s ({v / bulk_s:.2f}x)" for k, v in steps)
            )
        print(
            f"read+map+load+publish / bulk_load = {core / bulk_s:.2f}x "
            f"({records / core:,.0f} records/s, {quads / core:,.0f} triples/s)"
        )
    verdict = "within" if ratio <= TARGET_RATIO else "NOT within"
    print(f"ingest / bulk_load = {ratio:.2f}x: {verdict} the {TARGET_RATIO:.0f}x target")
    return ratio


def main() -> None:
    """Command line: ``--records N`` (default 100,000), ``--work DIR`` (default a temp folder)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=None, help="folder to work in (kept)")
    parser.add_argument("--step", choices=["ingest", "export", "bulk_load"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(run_step(args.step, args.work)))
        return
    print(f"== ingest: {args.records:,} generated MARCXML records ==")
    if args.work is not None:
        bench(args.records, args.work)
        return
    with tempfile.TemporaryDirectory(prefix="labourgraph-bench-") as tmp:
        bench(args.records, Path(tmp))


if __name__ == "__main__":
    main()
