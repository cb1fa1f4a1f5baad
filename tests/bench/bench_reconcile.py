"""What reconciliation adds to the ingest: the same generated corpus with and without it.

    python tests/bench/bench_reconcile.py                 # 100,000 generated MARCXML records
    python tests/bench/bench_reconcile.py --records 5000  # a quick check

Generates IISH-shaped MARCXML records (``generate.py``: authorities, archives and catalogue
records whose 700 editors carry no authority link, so every one of them is reconciled by name),
then times ``ingest_paths`` into a fresh on-disk store twice, each in a child process of its
own: loading the records as mapped (``keep_as_mapped``), and with reconciliation (the default).
With ``--repeat N`` (default 2) each is run N times, in alternating order, and the fastest run of
each counts: this machine is shared and noisy. Target: reconciliation adds at most 25%.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import write_marcxml_corpus

TARGET = 0.25


def run_step(step: str, work: Path) -> dict[str, float]:
    """Ingest the corpus into a fresh store, with or without reconciliation (in a child)."""
    from labourgraph.graph.ingest import ingest_paths, keep_as_mapped
    from labourgraph.graph.reconcile_store import read_merges
    from labourgraph.graph.store import open_store

    shutil.rmtree(work / f"store-{step}", ignore_errors=True)
    store = open_store(work / f"store-{step}", writable=True)
    started = time.perf_counter()
    if step == "as-mapped":
        report = ingest_paths(store, [work / "corpus"], reconcile=keep_as_mapped)
    else:
        report = ingest_paths(store, [work / "corpus"])
    seconds = time.perf_counter() - started
    merged = len(read_merges(store)) if step == "reconciled" else 0
    store.close()
    return {
        "seconds": seconds,
        "records": report.read,
        "triples": report.triples_added,
        "merged": merged,
    }


def in_child(step: str, work: Path) -> dict[str, float]:
    """Run a step in a child process and read back its figures."""
    done = subprocess.run(
        [sys.executable, __file__, "--step", step, "--work", str(work)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(records: int, work: Path, repeat: int = 2) -> float:
    """Print both ingests side by side (fastest of ``repeat`` runs each); return the share added."""
    write_marcxml_corpus(work / "corpus", records)
    runs: dict[str, list[dict[str, float]]] = {"as-mapped": [], "reconciled": []}
    for turn in range(repeat):
        order = ("as-mapped", "reconciled") if turn % 2 == 0 else ("reconciled", "as-mapped")
        for step in order:
            runs[step].append(in_child(step, work))
    plain, reconciled = (min(runs[s], key=lambda r: r["seconds"]) for s in runs)
    print(
        "all runs, seconds: "
        + "; ".join(f"{s} " + ", ".join(f"{r['seconds']:.1f}" for r in runs[s]) for s in runs)
    )
    added = reconciled["seconds"] / plain["seconds"] - 1
    print(f"{records:,} records")
    print(f"{'ingest':<28}{'seconds':>10}{'records/s':>12}{'triples':>12}")
    for name, step in (("as mapped", plain), ("with reconciliation", reconciled)):
        print(
            f"{name:<28}{step['seconds']:>10.1f}{records / step['seconds']:>12,.0f}"
            f"{step['triples']:>12,.0f}"
        )
    print(f"IRIs merged: {reconciled['merged']:,.0f}")
    verdict = "within" if added <= TARGET else "NOT within"
    print(f"reconciliation adds {added:.1%} to the ingest: {verdict} the {TARGET:.0%} target")
    return added


def main() -> None:
    """Command line: the whole benchmark, or one step in a child process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each (fastest counts)")
    parser.add_argument("--step", choices=("as-mapped", "reconciled"))
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(run_step(args.step, args.work)))
        return
    with tempfile.TemporaryDirectory(prefix="bench-reconcile-") as folder:
        bench(args.records, Path(folder), args.repeat)


if __name__ == "__main__":
    main()
