"""Stopping a query that runs past the time limit, while the other workers keep serving.

pyoxigraph cannot interrupt a query, so the unit we stop is the process: ``labourgraph serve``
runs uWSGI workers that answer one request at a time. Before a query starts, the endpoint
arms this watchdog with the client's connection (its file descriptor); if the query is still
running at the deadline, the watchdog thread (which never touches pyoxigraph) writes the
time-limit error on that connection itself and ends the process with ``os._exit``. The uWSGI
master then starts a fresh worker. Under Flask's test client there is no connection, and
queries run unguarded.

Arming costs a dictionary assignment: the one long-lived watchdog thread of a process is never
woken by a request. It wakes on its own every ``tick`` seconds (a quarter of the time limit,
at most half a second), and when a query is armed it sleeps exactly until that deadline.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

EXIT_CODE = 70  # EX_SOFTWARE; the uWSGI master respawns a worker that exits with it
MAX_TICK = 0.5


def timeout_message(seconds: float) -> str:
    """The error a client gets when its query is stopped."""
    return (
        f"The query ran longer than the time limit of {seconds:g} seconds and was stopped. "
        "Narrow it down (more specific patterns, a LIMIT, fewer OPTIONALs) and try again."
    )


def timeout_response(seconds: float) -> bytes:
    """The raw HTTP response the watchdog writes on the client socket."""
    body = (timeout_message(seconds) + "\n").encode("utf-8")
    head = (
        "HTTP/1.1 503 Service Unavailable\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Access-Control-Allow-Origin: *\r\n"
        "X-Labourgraph-Timeout: true\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


Armed = tuple[float, int, str]  # deadline (monotonic), client connection fd, client


class QueryWatchdog:
    """Ends this worker process if an armed query outlives its deadline."""

    def __init__(self, seconds: float, on_timeout: Callable[[str], None] | None = None) -> None:
        self.seconds = seconds
        self.tick = min(MAX_TICK, seconds / 4)
        self._on_timeout = on_timeout
        self._lock = threading.Lock()  # held while deciding to stop, and by disarm
        self._armed: dict[int, Armed] = {}  # by the ident of the thread running the query
        self._thread_pid: int | None = None

    def arm(self, connection: int, client: str) -> None:
        """Start the clock for a query answering ``client`` on the connection (an fd)."""
        if self._thread_pid != os.getpid():  # threads do not survive a fork
            self._start_thread()
        self._armed[threading.get_ident()] = (time.monotonic() + self.seconds, connection, client)

    def disarm(self) -> None:
        """The query of this thread finished in time."""
        with self._lock:
            self._armed.pop(threading.get_ident(), None)

    def _start_thread(self) -> None:
        with self._lock:
            if self._thread_pid != os.getpid():
                self._thread_pid = os.getpid()
                self._armed.clear()  # what the parent had armed is not ours to stop
                threading.Thread(target=self._watch, name="query-watchdog", daemon=True).start()

    def _watch(self) -> None:
        while True:
            now = time.monotonic()
            pause = self.tick
            for ident, armed in list(self._armed.items()):
                if armed[0] <= now:
                    self._stop_if_still_armed(ident, armed)
                pause = min(pause, armed[0] - now)
            time.sleep(max(pause, 0.001))

    def _stop_if_still_armed(self, ident: int, armed: Armed) -> None:
        with self._lock:
            if self._armed.get(ident) is armed:  # not disarmed (and re-armed) meanwhile
                self._stop(armed[1], armed[2])

    def _stop(self, connection: int, client: str) -> None:
        log.warning(
            "query from %s ran past %gs: answering 503 and ending worker %d",
            client,
            self.seconds,
            os.getpid(),
        )
        if self._on_timeout is not None:  # before answering: the client may ask again at once
            try:
                self._on_timeout(client)
            except Exception:  # the process ends next whatever happens; say why in the log
                log.exception("could not charge the stopped query to %s", client)
        try:
            with socket.socket(fileno=os.dup(connection)) as client_socket:
                client_socket.sendall(timeout_response(self.seconds))
                client_socket.shutdown(socket.SHUT_RDWR)
        except OSError:
            log.info("client %s went away before its query was stopped", client)
        for handler in logging.getLogger().handlers:
            handler.flush()
        os._exit(EXIT_CODE)
