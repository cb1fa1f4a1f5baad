"""Stopping a query that runs past the time limit, while the other workers keep serving.

pyoxigraph cannot interrupt a query, so the unit we stop is the process: ``labourgraph serve``
runs gunicorn sync workers (one request at a time each). Before a query starts, the endpoint
arms this watchdog with the client's socket; if the query is still running at the deadline,
the watchdog thread (which never touches pyoxigraph) writes the time-limit error to the client
itself and ends the process with ``os._exit``. gunicorn's arbiter then starts a fresh worker.
Under Flask's test client there is no socket, and queries run unguarded.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

EXIT_CODE = 70  # not gunicorn's boot-error codes (3, 4), which would stop the arbiter


def timeout_message(seconds: float) -> str:
    """The error a client gets when its query is stopped."""
    return (f"The query ran longer than the time limit of {seconds:g} seconds and was stopped. "
            "Narrow it down (more specific patterns, a LIMIT, fewer OPTIONALs) and try again.")


def timeout_response(seconds: float) -> bytes:
    """The raw HTTP response the watchdog writes on the client socket."""
    body = (timeout_message(seconds) + "\n").encode("utf-8")
    head = ("HTTP/1.1 503 Service Unavailable\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\n"
            "Access-Control-Allow-Origin: *\r\n"
            "X-Labourgraph-Timeout: true\r\n"
            "Connection: close\r\n\r\n")
    return head.encode("ascii") + body


class QueryWatchdog:
    """Ends this worker process if an armed query outlives its deadline."""

    def __init__(self, seconds: float, on_timeout: Callable[[str], None] | None = None) -> None:
        self.seconds = seconds
        self._on_timeout = on_timeout
        self._cond = threading.Condition()
        self._armed: tuple[float, socket.socket, str] | None = None
        self._thread_pid: int | None = None

    def arm(self, client_socket: socket.socket, client: str) -> None:
        """Start the clock for a query answering ``client`` on ``client_socket``."""
        with self._cond:
            if self._thread_pid != os.getpid():  # threads do not survive a fork
                self._thread_pid = os.getpid()
                threading.Thread(target=self._watch, name="query-watchdog", daemon=True).start()
            self._armed = (time.monotonic() + self.seconds, client_socket, client)
            self._cond.notify()

    def disarm(self) -> None:
        """The query finished in time."""
        with self._cond:
            self._armed = None

    def _watch(self) -> None:
        with self._cond:
            while True:
                if self._armed is None:
                    self._cond.wait()
                    continue
                deadline, client_socket, client = self._armed
                remaining = deadline - time.monotonic()
                if remaining > 0:
                    self._cond.wait(remaining)
                    continue
                self._stop(client_socket, client)

    def _stop(self, client_socket: socket.socket, client: str) -> None:
        log.warning("query from %s ran past %gs: answering 503 and ending worker %d",
                    client, self.seconds, os.getpid())
        try:
            client_socket.sendall(timeout_response(self.seconds))
            client_socket.shutdown(socket.SHUT_RDWR)
        except OSError:
            log.info("client %s went away before its query was stopped", client)
        if self._on_timeout is not None:
            try:
                self._on_timeout(client)
            except Exception:  # the process ends next whatever happens; say why in the log
                log.exception("could not charge the stopped query to %s", client)
        for handler in logging.getLogger().handlers:
            handler.flush()
        os._exit(EXIT_CODE)
