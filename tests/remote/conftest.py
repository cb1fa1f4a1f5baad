"""A real ``oxigraph serve`` (the Rust server from the pip package ``oxigraph``) on loopback.

One server per test session, on a free port of 127.0.0.1, with its database in a temporary
directory; each test starts from an empty server (``DROP ALL``) and a fresh store directory.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from labourgraph.graph.remote_store import RemoteStore
from labourgraph.graph.stores import open_any

START_SECONDS = 20.0


@dataclass(frozen=True)
class OxigraphServer:
    """A running ``oxigraph serve``: where to query and update it."""

    process: subprocess.Popen[bytes]
    port: int
    location: Path
    log: Path

    @property
    def query_url(self) -> str:
        """Its SPARQL query endpoint."""
        return f"http://127.0.0.1:{self.port}/query"

    @property
    def update_url(self) -> str:
        """Its SPARQL Update endpoint."""
        return f"http://127.0.0.1:{self.port}/update"

    def update(self, text: str) -> None:
        """Run a SPARQL Update directly (test set-up, not through our code)."""
        request = urllib.request.Request(
            self.update_url,
            data=text.encode(),
            headers={"Content-Type": "application/sparql-update"},
        )
        with urllib.request.urlopen(request, timeout=30):
            pass


def oxigraph_command() -> str:
    """The ``oxigraph`` command installed beside this Python (the test extras install it)."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the `oxigraph` command is missing: pip install -e '.[test]' installs it")
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(server: OxigraphServer) -> None:
    """Poll the server until it answers; fail with its log if it died or never answered."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"oxigraph serve exited with {server.process.returncode}:\n{server.log.read_text()}"
            )
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/", timeout=1):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    pytest.fail(
        f"oxigraph serve did not answer within {START_SECONDS:g} s:\n{server.log.read_text()}"
    )


def start_oxigraph(folder: Path, *extra: str) -> OxigraphServer:
    """Start ``oxigraph serve --location folder/db`` on a free loopback port and wait for it."""
    port = free_port()
    log = folder / "oxigraph.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                oxigraph_command(),
                "serve",
                "--location",
                str(folder / "db"),
                "--bind",
                f"127.0.0.1:{port}",
                *extra,
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = OxigraphServer(process, port, folder / "db", log)
    wait_until_up(server)
    return server


def stop(server: OxigraphServer) -> None:
    """Stop the server process we started, and reap it."""
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., OxigraphServer]]:
    """Start extra servers (with extra ``oxigraph serve`` options); all stopped after the test."""
    started: list[OxigraphServer] = []

    def start(*extra: str) -> OxigraphServer:
        folder = tmp_path / f"oxigraph{len(started)}"
        folder.mkdir()
        started.append(start_oxigraph(folder, *extra))
        return started[-1]

    yield start
    for server in started:
        stop(server)


@pytest.fixture
def dead_url() -> str:
    """A query URL on a loopback port that nothing listens on."""
    return f"http://127.0.0.1:{free_port()}/query"


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """One ``oxigraph serve`` for the session."""
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield server
    stop(server)


@pytest.fixture
def empty_server(oxigraph_server: OxigraphServer) -> OxigraphServer:
    """The session's server, emptied for this test."""
    oxigraph_server.update("DROP ALL")
    return oxigraph_server


@pytest.fixture
def remote_store(empty_server: OxigraphServer, tmp_path: Path) -> Iterator[RemoteStore]:
    """A writable RemoteStore over the emptied server, its directory under tmp_path."""
    store = open_any(
        tmp_path / "store",
        sparql_endpoint=empty_server.query_url,
        update_endpoint=empty_server.update_url,
        writable=True,
        base="https://lg.example.org/",
    )
    assert isinstance(store, RemoteStore)
    yield store
    store.close()
