"""The steps that run after an ingest has loaded and published its records.

Each step takes the store and the ChangeSet and keeps something under the store directory in
step with the graph (the change log first: the others read dates from it).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from .changeset import ChangeSet
from .store import GraphStore

log = logging.getLogger(__name__)

Step = Callable[[GraphStore, ChangeSet], None]


def steps() -> list[Step]:
    """The steps, in order."""
    from . import changes, dumps, overview, search_upkeep, void

    # the change log first: the others read their dates from it
    return [changes.record_ingest, dumps.write_dumps, void.write_description, overview.refresh,
            search_upkeep.update]


def run(store: GraphStore, changes: ChangeSet) -> None:
    """Run every step; each one is idempotent, so a failed ingest can simply be re-run."""
    for step in steps():
        log.info("after ingest: %s", step.__module__)
        started = time.perf_counter()
        step(store, changes)
        log.info("after-ingest step %s took %.1f s", step.__module__.rsplit(".", 1)[-1],
                 time.perf_counter() - started)
