"""The steps that run after an ingest has loaded and published its records.

Each step takes the store and the ChangeSet and keeps something under the store directory in
step with the graph (the change log first: the others read dates from it). A step with a
starter in ``starters()`` starts before the others and runs beside them (the dumps, written by
a child process from the published snapshot, dated from the ChangeSet as the change log will
date them), and is waited for before ``run`` returns.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from .changeset import ChangeSet
from .store import GraphStore

log = logging.getLogger(__name__)

Step = Callable[[GraphStore, ChangeSet], None]
# starts a step and returns the function that waits for it to finish (raising if it failed)
Starter = Callable[[GraphStore, ChangeSet], Callable[[], None]]


def steps() -> list[Step]:
    """The steps, in order."""
    from . import changes, dumps, overview, search_upkeep, void

    # the change log before the others in this process: they read their dates from it
    return [
        changes.record_ingest,
        dumps.write_dumps,
        void.write_description,
        overview.refresh,
        search_upkeep.update,
    ]


def starters() -> dict[Step, Starter]:
    """The steps that run beside the others, and how each is started."""
    from . import dumps

    return {dumps.write_dumps: dumps.start_dumps}


def run(store: GraphStore, changes: ChangeSet) -> None:
    """Run every step; each one is idempotent, so a failed ingest can simply be re-run.

    The steps with a starter start first, beside the others, and are waited for last.
    """
    beside = starters()
    waiting: list[tuple[Step, float, Callable[[], None]]] = []
    try:
        for step in steps():
            if step in beside:
                log.info("after ingest: %s, beside the others", step.__module__)
                waiting.append((step, time.perf_counter(), beside[step](store, changes)))
        for step in steps():
            if step not in beside:
                log.info("after ingest: %s", step.__module__)
                started = time.perf_counter()
                step(store, changes)
                _log_time(step, started)
    finally:
        # a step that failed still waits for those started beside it: no process left behind
        for step, started, wait in waiting:
            wait()
            _log_time(step, started)


def _log_time(step: Step, started: float) -> None:
    log.info(
        "after-ingest step %s took %.1f s",
        step.__module__.rsplit(".", 1)[-1],
        time.perf_counter() - started,
    )
