"""What ``make bench`` runs: every ``tests/bench/bench_*.py`` in turn, printing its figures.

    python tests/bench/run_all.py            # every benchmark
    python tests/bench/run_all.py ingest     # only those whose name contains "ingest"

Each benchmark is a script of its own (run with this Python, from the repository root) that
prints its figures; a failing one is reported and the others still run.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parents[1]


def benchmarks(selection: list[str]) -> list[Path]:
    """The benchmark scripts, sorted, keeping those whose name contains any selected word."""
    found = sorted(BENCH_DIR.glob("bench_*.py"))
    return [p for p in found if not selection or any(word in p.stem for word in selection)]


def main() -> int:
    """Run the benchmarks; exit 1 if any failed."""
    failed = []
    for script in benchmarks(sys.argv[1:]):
        print(f"\n### {script.relative_to(REPO)}", flush=True)
        started = time.perf_counter()
        code = subprocess.run([sys.executable, str(script)], cwd=REPO).returncode
        print(
            f"### {script.stem}: {'ok' if code == 0 else f'FAILED (exit {code})'} "
            f"in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        if code != 0:
            failed.append(script.stem)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
