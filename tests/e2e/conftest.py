"""A real server on a store built by the real ingest of data/, and Debian's Chromium.

``live_server`` ingests ``data/`` with the ``labourgraph`` command into a fresh store
directory, starts ``labourgraph serve`` on a free loopback port and yields its base URL; if
the server does not answer, the test fails with the server's log. ``page`` is a Playwright
page in headless Chromium (``/usr/bin/chromium``, installed by ``make browser``).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of ``labourgraph serve`` on the corpus, ingested for this session."""
    root = tmp_path_factory.mktemp("e2e") / "store"
    ingest = subprocess.run(
        [str(BIN / "labourgraph"), "ingest", "--store", str(root), str(REPO / "data")],
        capture_output=True,
        text=True,
    )
    assert ingest.returncode == 0, f"ingest of data/ failed:\n{ingest.stdout}\n{ingest.stderr}"
    port = _free_port()
    log = root.parent / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                str(BIN / "labourgraph"),
                "serve",
                "--store",
                str(root),
                "--port",
                str(port),
                "--workers",
                "2",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url, server, log)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if requests.get(url + "/", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    pytest.fail(
        f"labourgraph serve did not answer at {url}; its log:\n{log.read_text(errors='replace')}"
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A fresh page (own context: no cookies or cache shared between tests)."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    yield context.new_page()
    context.close()
