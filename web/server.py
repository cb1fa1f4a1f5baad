"""Serving with uWSGI: worker processes, each with its own read-only snapshot of the store.

Processes, not threads: pyoxigraph takes the GIL back for every result row and aborts the
whole process if a result crosses threads (see README "Design"), and a process is what we can
stop when a query runs past its time limit.

uWSGI (the ``pyuwsgi`` wheel: uWSGI's C core built as a Python extension) parses HTTP in C.
Here that costs about a third of what gunicorn's Python HTTP parser costs per request, which
is most of what a small SPARQL query costs (see README "Benchmarks").

Each worker answers one request at a time. By default the workers parse HTTP themselves and
close every connection after its answer. With ``--keep-alive SECONDS`` uWSGI's HTTP router (one
more process, event-driven, in C) holds the clients' connections open and hands each request
to whichever worker is free, so a kept-alive connection never waits behind a long query.
"""

from __future__ import annotations

import ctypes.util
import logging
import os
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

from labourgraph.graph.store import GraphStore

from .settings import Settings

log = logging.getLogger(__name__)

LISTEN_BACKLOG = 1024  # connections waiting for a worker (the kernel's somaxconn caps it)
REQUEST_BUFFER = 65535  # bytes of request line and headers: long GET queries fit
WSGI_MODULE = "labourgraph.web.wsgi"


def default_workers() -> int:
    """One per core plus one: a query in flight on each core, and one worker to spare.

    Measured with ``bench_sparql.py`` on 2 cores, 5M triples: 3 workers beat 5 on every query
    of the mix (each worker keeps its own cache of the store's blocks, so fewer warm caches
    serve more), e.g. the name filter at 37 against 35 queries/s, entity lookups 5,500 against
    4,800. A query stuck until its time limit holds one worker; the others keep answering.
    """
    return (os.cpu_count() or 1) + 1


def open_served_store(settings: Settings) -> GraphStore:
    """The store to serve: a read-only snapshot, or the remote store of --sparql-endpoint."""
    from labourgraph.graph.stores import open_any

    return open_any(
        settings.store,
        sparql_endpoint=settings.sparql_endpoint,
        update_endpoint=settings.update_endpoint,
        timeout=settings.query_timeout,
    )


def check_served_store(settings: Settings) -> None:
    """Open the store to serve in a short-lived child process; StoreError with its message if
    it cannot be opened.

    Not in this process: uWSGI forks its workers from it, and an embedded store opened here,
    even once closed, leaves RocksDB's background threads behind. The workers would inherit
    that state without the threads, and each would abort at exit ("terminate called after
    throwing an instance of 'std::system_error'") when it tried to stop them.
    """
    from labourgraph.graph.store import StoreError

    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child leaves by os._exit; its outcome is checked)
        os.close(reader)
        problem = b""
        try:
            open_served_store(settings).close()
        except Exception as exc:  # every failure is reported to the parent, which raises it
            problem = str(exc).encode("utf-8", "replace") or type(exc).__name__.encode()
        os.write(writer, problem)
        os._exit(1 if problem else 0)
    os.close(writer)
    with os.fdopen(reader, "rb") as said:
        message = said.read().decode("utf-8", "replace")
    _, status = os.waitpid(child, 0)
    if message or os.waitstatus_to_exitcode(status) != 0:
        raise StoreError(message or f"opening {settings.store} stopped the process ({status})")


def uwsgi_options(settings: Settings) -> list[str]:
    """uWSGI's command-line options for a deployment."""
    s = settings
    address = f"{s.host}:{s.port}"
    listen = (
        [
            "--http",
            address,
            f"--http-keepalive={max(1, round(s.keep_alive))}",
            "--http-timeout",
            str(int(s.query_timeout) + 30),
        ]
        if s.keep_alive > 0
        else ["--http-socket", address]
    )
    return [
        "uwsgi",
        *listen,
        "--master",
        "--processes",
        str(s.workers or default_workers()),
        "--lazy-apps",  # each worker opens its own store after the fork
        "--enable-threads",
        "--py-call-osafterfork",  # the watchdog is a thread
        "--module",
        f"{WSGI_MODULE}:application",
        "--need-app",
        "--strict",
        "--single-interpreter",
        "--die-on-term",
        "--vacuum",
        "--thunder-lock",
        "--listen",
        str(min(LISTEN_BACKLOG, _somaxconn())),
        "--buffer-size",
        str(REQUEST_BUFFER),
        # the watchdog answers at the time limit; harakiri is the backstop if it cannot
        "--harakiri",
        str(int(s.query_timeout) + 30),
        "--reload-mercy",
        "10",
        "--worker-reload-mercy",
        "10",
        "--ignore-sigpipe",
        "--ignore-write-errors",
        "--disable-write-exception",
        "--procname-prefix-spaced",
        "labourgraph",
        *([] if s.access_log else ["--disable-logging"]),
    ]


def _somaxconn() -> int:
    try:
        return int(Path("/proc/sys/net/core/somaxconn").read_text())
    except (OSError, ValueError):
        return 128


def settings_environment(settings: Settings) -> dict[str, str]:
    """The settings as LABOURGRAPH_* variables, which the workers read back (Settings.from_env)."""
    env: dict[str, str] = {}
    for f in fields(settings):
        value = getattr(settings, f.name)
        if value is not None:
            env[f"LABOURGRAPH_{f.name.upper()}"] = str(value)
    return env


def jemalloc() -> str | None:
    """The jemalloc shared library's name if this machine has it (Debian: libjemalloc2)."""
    return ctypes.util.find_library("jemalloc")


def restart_with_jemalloc(settings: Settings) -> None:
    """Run this command again with jemalloc preloaded, unless it is, or is not wanted, or absent.

    pyoxigraph allocates through the C library's malloc; with jemalloc a scanning query costs
    about a sixth less CPU (61 -> 50 ms on the name filter of ``bench_sparql.py``, 5M triples),
    so the workers must be started with it. ``LABOURGRAPH_ALLOCATOR=system`` keeps glibc's.
    """
    library = jemalloc()
    preload = os.environ.get("LD_PRELOAD", "")
    if settings.allocator != "jemalloc" or "jemalloc" in preload:
        return
    if library is None:
        log.warning(
            "jemalloc not found (Debian: apt-get install libjemalloc2): serving with "
            "the C library's malloc, queries cost about a sixth more CPU"
        )
        return
    os.environ["LD_PRELOAD"] = f"{library} {preload}".strip()  # the restart sees it: no loop
    for handler in logging.getLogger().handlers:
        handler.flush()
    os.execv(sys.executable, [sys.executable, "-m", "labourgraph.web.cli", *sys.argv[1:]])


def serve(settings: Settings) -> int:
    """Run uWSGI in this process until interrupted."""
    import pyuwsgi

    restart_with_jemalloc(settings)
    check_served_store(settings)  # fail fast, with a clear message, before forking
    os.environ.update(settings_environment(settings))
    log.warning("serving %s on http://%s:%d/", settings.store, settings.host, settings.port)
    for handler in logging.getLogger().handlers:
        handler.flush()
    pyuwsgi.run(uwsgi_options(settings)[1:])
    return 0


def application_from_environment() -> Any:
    """The WSGI application a worker serves, from the settings ``serve`` put in its environment."""
    from .app import create_app

    settings = Settings.from_env()
    app = create_app(open_served_store(settings), settings)
    app.wsgi_app = WholeQueryString(app.wsgi_app)  # type: ignore[method-assign]
    return app


class WholeQueryString:
    """WSGI middleware: the query string of a long URL, which uWSGI leaves out of the environ.

    uWSGI passes a request on in one buffer (``--buffer-size``) that holds the URL twice, as
    REQUEST_URI and as QUERY_STRING; past half the buffer (a GET query of about 32 KiB) it drops
    QUERY_STRING, and the request would reach the app as if it had no query at all.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if not environ.get("QUERY_STRING"):
            uri = environ.get("REQUEST_URI", "")
            if "?" in uri:
                environ["QUERY_STRING"] = uri.partition("?")[2]
        return self.app(environ, start_response)
