"""Serving with gunicorn: worker processes, each with its own read-only snapshot of the store.

Processes, not threads: pyoxigraph takes the GIL back for every result row and aborts the
whole process if a result crosses threads (see README "Design"), and a process is what we can
stop when a query runs past its time limit.
"""

from __future__ import annotations

import gc
import logging
import os
from typing import Any

from gunicorn.app.base import BaseApplication
from labourgraph.graph.store import GraphStore

from .settings import Settings

log = logging.getLogger(__name__)


def default_workers() -> int:
    """gunicorn's rule of thumb: two per core, plus one."""
    return 2 * (os.cpu_count() or 1) + 1


def open_served_store(settings: Settings) -> GraphStore:
    """The store to serve: a read-only snapshot, or the remote store of --sparql-endpoint."""
    from labourgraph.graph.stores import open_any

    return open_any(settings.store, sparql_endpoint=settings.sparql_endpoint,
                    update_endpoint=settings.update_endpoint, timeout=settings.query_timeout)


def build_app(settings: Settings) -> Any:
    """Open the store and build the Flask app (in each worker, after the fork)."""
    from .app import create_app

    app = create_app(open_served_store(settings), settings)
    gc.collect()
    gc.freeze()  # start-up objects never need another full collection pass
    return app


class GunicornServer(BaseApplication):  # type: ignore[misc]
    """gunicorn run from Python, so ``labourgraph serve`` needs no config file."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        s = self.settings
        options = {
            "bind": f"{s.host}:{s.port}",
            "workers": s.workers or default_workers(),
            "worker_class": "sync",
            "timeout": int(s.query_timeout) + 30,
            "graceful_timeout": 10,
            "keepalive": 5,
            "accesslog": "-",
            "errorlog": "-",
            "loglevel": "info",
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return build_app(self.settings)


def serve(settings: Settings) -> int:
    """Run gunicorn until interrupted."""
    open_served_store(settings).close()  # fail fast, with a clear message, before forking
    log.warning("serving %s on http://%s:%d/", settings.store, settings.host, settings.port)
    GunicornServer(settings).run()
    return 0
