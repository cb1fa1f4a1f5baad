"""How ``labourgraph serve`` serves: kept-alive connections, the watchdog, budgets, logging."""

from __future__ import annotations

import contextlib
import http.client
import multiprocessing
import os
import signal
import socket
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from labourgraph.web.ratelimit import COMPACT_BYTES, QueryBudget
from labourgraph.web.server import jemalloc, restart_with_jemalloc, uwsgi_options
from labourgraph.web.settings import Settings
from labourgraph.web.watchdog import EXIT_CODE, QueryWatchdog, timeout_response
from sparql_server import fill, serving

pytestmark = pytest.mark.slow
ASK = "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("serving")
    log = root / "serve.log"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LABOURGRAPH_KEEP_ALIVE", "5")
        with serving(fill(root / "store"), log, workers=2) as url:
            yield url, log


def test_one_connection_answers_many_queries(server: tuple[str, Path]) -> None:
    url, _ = server
    connection = http.client.HTTPConnection(urllib.parse.urlsplit(url).netloc, timeout=5)
    connection.connect()
    first_socket = connection.sock
    for _ in range(5):
        connection.request("GET", ASK, headers={"Accept": "application/sparql-results+json"})
        response = connection.getresponse()
        assert response.status == 200
        assert response.read() == b'{"head":{},"boolean":true}'
        assert response.getheader("Connection") != "close"
    assert connection.sock is first_socket  # never reconnected
    connection.close()
    assert uwsgi_options(Settings(keep_alive=5))[1:3] == ["--http", "127.0.0.1:5000"]
    assert uwsgi_options(Settings())[1:3] == ["--http-socket", "127.0.0.1:5000"]  # closes each


def test_requests_are_not_logged_by_default(server: tuple[str, Path]) -> None:
    url, log = server
    connection = http.client.HTTPConnection(urllib.parse.urlsplit(url).netloc, timeout=5)
    connection.request("GET", ASK)
    assert connection.getresponse().status == 200
    connection.close()
    assert "GET /sparql" not in log.read_text()
    assert "--disable-logging" in uwsgi_options(Settings())
    assert "--disable-logging" not in uwsgi_options(Settings(access_log=True))


def _armed_child(client_socket: socket.socket, seconds: float, finish_after: float) -> None:
    """A worker whose query takes ``finish_after`` seconds under a ``seconds`` time limit."""
    watchdog = QueryWatchdog(seconds)
    for _ in range(1000):  # many quick queries first: each one arms and disarms
        watchdog.arm(client_socket.fileno(), "10.0.0.9")
        watchdog.disarm()
    watchdog.arm(client_socket.fileno(), "10.0.0.9")
    time.sleep(finish_after)
    watchdog.disarm()
    client_socket.sendall(b"finished in time")
    os._exit(0)


def _run_child(seconds: float, finish_after: float) -> tuple[bytes, int | None, float]:
    ours, theirs = socket.socketpair()
    context = multiprocessing.get_context("fork")
    started = time.monotonic()
    child = context.Process(target=_armed_child, args=(theirs, seconds, finish_after))
    child.start()
    theirs.close()
    ours.settimeout(10)
    received = b""
    while chunk := ours.recv(4096):
        received += chunk
    child.join(10)
    ours.close()
    return received, child.exitcode, time.monotonic() - started


def test_the_watchdog_answers_503_and_ends_the_worker_at_the_deadline() -> None:
    received, exit_code, elapsed = _run_child(seconds=0.4, finish_after=5)
    assert received == timeout_response(0.4)
    assert exit_code == EXIT_CODE
    assert 0.4 <= elapsed < 2.5


def test_a_query_that_finishes_in_time_is_left_alone() -> None:
    received, exit_code, _ = _run_child(seconds=0.8, finish_after=0.3)
    assert received == b"finished in time"
    assert exit_code == 0


def test_budget_files_stay_small_and_keep_counting(tmp_path: Path) -> None:
    budget = QueryBudget(tmp_path, seconds=1000.0)
    for _ in range(400):
        budget.charge("10.0.0.1", 0.5)
    file = next(tmp_path.iterdir())
    assert file.stat().st_size <= COMPACT_BYTES + 20
    other_process = QueryBudget(tmp_path, seconds=150.0)
    wait = other_process.retry_after("10.0.0.1")  # 200 s spent in this minute, 150 allowed
    assert wait is not None and 59 <= wait <= 60
    assert QueryBudget(tmp_path, seconds=250.0).retry_after("10.0.0.1") is None


def test_a_budget_sees_charges_made_after_it_last_looked(tmp_path: Path) -> None:
    watching, charging = QueryBudget(tmp_path, seconds=2.0), QueryBudget(tmp_path, seconds=2.0)
    charging.charge("10.0.0.3", 1.0)
    assert watching.retry_after("10.0.0.3") is None
    charging.charge("10.0.0.3", 1.5)
    assert watching.retry_after("10.0.0.3") is not None


def _serving_processes(store: Path) -> list[int]:
    """The master and workers of the ``labourgraph serve`` started on ``store``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in argv and str(store).encode() in argv:
            found.append(int(entry.name))
    return found


def test_the_server_runs_with_jemalloc(server: tuple[str, Path]) -> None:
    if jemalloc() is None:
        assert not os.environ.get("CI"), "make test installs libjemalloc2; CI must have it"
        pytest.skip("jemalloc is not installed here (Debian: apt-get install libjemalloc2)")
    _, log = server
    processes = _serving_processes(log.parent / "store")
    assert len(processes) == 4  # the master, the HTTP router (--keep-alive) and two workers
    for pid in processes:
        assert "libjemalloc" in Path(f"/proc/{pid}/maps").read_text(), pid


def test_the_system_malloc_can_be_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LD_PRELOAD", raising=False)
    restart_with_jemalloc(Settings(allocator="system"))  # returns: no restart
    assert "LD_PRELOAD" not in os.environ


WORKERS = 6  # each a chance for the signal to land on one of its store threads


def test_workers_stop_cleanly(tmp_path: Path) -> None:
    # as systemd stops a service: SIGTERM to every process at once. A worker stops by calling
    # exit() from its signal handler; run on one of the store's own threads, it used to abort
    # the process ("terminate called after throwing ... Resource deadlock avoided")
    log, store = tmp_path / "serve.log", fill(tmp_path / "store")
    with serving(store, log, workers=WORKERS) as url:
        deadline = time.monotonic() + 30
        while log.read_text().count(") ready in ") < WORKERS and time.monotonic() < deadline:
            time.sleep(0.1)  # every worker has opened the store (and started its threads)
        netloc = urllib.parse.urlsplit(url).netloc
        for _ in range(6):
            connection = http.client.HTTPConnection(netloc, timeout=5)
            connection.request("GET", ASK)
            assert connection.getresponse().status == 200
            connection.close()
        processes = _serving_processes(store)
        assert len(processes) >= WORKERS + 1  # the master and the workers (and a router)
        for pid in processes:
            # as systemd does, every process it listed; one may already be gone (the master,
            # signalled first, stops its workers too)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        while _serving_processes(store) and time.monotonic() < deadline:
            time.sleep(0.1)
    said = log.read_text()
    assert "terminate called" not in said, said
