"""Serving with gunicorn: worker processes, each with its own read-only snapshot of the store.

Processes, not threads: pyoxigraph takes the GIL back for every result row and aborts the
whole process if a result crosses threads (see README "Design"), and a process is what we can
stop when a query runs past its time limit.

Each worker answers one request at a time in its main thread. By default (gunicorn's sync
worker) every connection is closed after its answer. With ``--keep-alive SECONDS`` workers keep
idle connections open (``KeepAliveWorker``): a client sending many queries pays for one TCP
connection, and the server spends about 15% less CPU per small query. The price: a connection
stays with the worker that accepted it, so a request sent on it while that worker runs a long
query waits for it, and is cut off if the watchdog ends that worker.
"""

from __future__ import annotations

import gc
import logging
import os
import selectors
from concurrent import futures
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.workers import gthread
from labourgraph.graph.store import GraphStore

from .settings import Settings

log = logging.getLogger(__name__)

WORKER_CONNECTIONS = 256  # connections one worker holds at most, kept-alive ones included


def default_workers() -> int:
    """Two per core plus one: a query in flight on each core, one worker to spare."""
    return 2 * (os.cpu_count() or 1) + 1


class KeepAliveWorker(gthread.ThreadWorker):  # type: ignore[misc]
    """gunicorn's keep-alive event loop, answering each request inline in the main thread.

    No thread pool: the request runs where the connection was polled, so no hand-over between
    threads per request, and pyoxigraph results never leave the thread that made them. While
    a request runs, the loop is not polling, so this worker takes no new connection.
    """

    def set_accept_enabled(self, enabled: bool) -> None:
        """Accept only while no accepted connection is still to send its first request.

        Otherwise the first worker to wake would take a whole burst of new connections (they
        are accepted faster than they send), and keep them: one busy worker, the others idle.
        """
        super().set_accept_enabled(enabled and not self.pending_conns)

    def enqueue_req(self, conn: Any) -> None:
        """Answer the next request on ``conn`` now, or park it until it has sent one."""
        done: futures.Future[Any] = futures.Future()
        if not conn.initialized and not conn.data_ready:
            if not _readable(conn.sock):  # a new connection that has sent nothing yet
                done.set_result(gthread._DEFER)
                self.finish_request(conn, done)
                return
            conn.data_ready = True
        try:
            done.set_result(self.handle(conn))
        except BaseException as exc:  # finish_request closes the connection on any failure
            done.set_exception(exc)
        self.finish_request(conn, done)


def _readable(sock: Any) -> bool:
    with selectors.DefaultSelector() as selector:
        selector.register(sock, selectors.EVENT_READ)
        return bool(selector.select(0))


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


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    """gunicorn's settings for a deployment."""
    s = settings
    return {
        "bind": f"{s.host}:{s.port}",
        "workers": s.workers or default_workers(),
        "worker_class": f"{__name__}.KeepAliveWorker" if s.keep_alive > 0 else "sync",
        "threads": 1,
        "worker_connections": WORKER_CONNECTIONS,
        "keepalive": max(1, round(s.keep_alive)) if s.keep_alive > 0 else 2,
        "timeout": int(s.query_timeout) + 30,
        "graceful_timeout": 10,
        "accesslog": "-" if s.access_log else None,  # a log line costs ~10% of a small query
        "errorlog": "-",
        "loglevel": "info",
    }


class GunicornServer(BaseApplication):  # type: ignore[misc]
    """gunicorn run from Python, so ``labourgraph serve`` needs no config file."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        for key, value in gunicorn_options(self.settings).items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return build_app(self.settings)


def serve(settings: Settings) -> int:
    """Run gunicorn until interrupted."""
    open_served_store(settings).close()  # fail fast, with a clear message, before forking
    log.warning("serving %s on http://%s:%d/", settings.store, settings.host, settings.port)
    GunicornServer(settings).run()
    return 0
