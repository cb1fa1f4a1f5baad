"""What a data scientist does in the /sparql editor (YASGUI): pick an example query, run it and
read its table; run a query whose answer is over the row limit and see the capped-answer
notice; make a syntax error and read the parser's message. The page must need no internet:
every request the browser makes is recorded, anything not on 127.0.0.1 is refused and fails.

The server is a real ``labourgraph serve --limit 5`` on a store built by the real ingest of
``data/`` (its own, since the shared ``live_server`` runs with the default row limit). The
expected rows of the SPD example are those checked in tests/integration/test_examples.py.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, Route, expect

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
LABOURGRAPH = str(Path(sys.executable).parent / "labourgraph")
ROW_LIMIT = 5
LOOPBACK = re.compile(r"^http://127\.0\.0\.1:\d+/")
CAPPED_NOTICE = (
    f"Only the first {ROW_LIMIT} results are shown: this endpoint caps every answer at "
    f"{ROW_LIMIT} rows. Add a LIMIT/OFFSET or narrow the query to see the rest."
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def capped_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of ``labourgraph serve --limit 5`` on the ingested corpus."""
    store = tmp_path_factory.mktemp("editor") / "store"
    ingest = subprocess.run(
        [LABOURGRAPH, "ingest", "--store", str(store), str(REPO / "data")],
        capture_output=True,
        text=True,
    )
    assert ingest.returncode == 0, f"ingest of data/ failed:\n{ingest.stdout}\n{ingest.stderr}"
    port = _free_port()
    log = store.parent / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                LABOURGRAPH,
                "serve",
                "--store",
                str(store),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "2",
                "--limit",
                str(ROW_LIMIT),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_it_answers(url, server, log)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_it_answers(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if (
                requests.get(
                    url + "/sparql", headers={"Accept": "text/html"}, timeout=2
                ).status_code
                == 200
            ):
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    pytest.fail(
        f"labourgraph serve did not answer at {url}/sparql; its log:\n"
        f"{log.read_text(errors='replace')}"
    )


@pytest.fixture
def requested(page: Page) -> list[str]:
    """Every URL the page asks for; requests off this machine are refused (and recorded)."""
    urls: list[str] = []

    def record(route: Route) -> None:
        urls.append(route.request.url)
        if LOOPBACK.match(route.request.url):
            route.continue_()
        else:
            route.abort()

    page.context.route("**/*", record)
    return urls


def off_the_machine(urls: list[str]) -> list[str]:
    """The requested URLs that are not on 127.0.0.1."""
    return [url for url in urls if not LOOPBACK.match(url)]


def type_query(page: Page, text: str) -> None:
    """Replace the editor's query by typing, as a person would."""
    page.locator("#yasgui .CodeMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def table_rows(page: Page) -> list[list[str]]:
    """The text of each cell of the results table, row by row (without the row number)."""
    rows = page.locator("#yasgui .yasr table tbody tr")
    return [row.locator("td").all_inner_texts()[1:] for row in rows.all()]


def test_an_example_query_runs_in_the_editor_and_shows_its_rows(
    capped_server: str, page: Page, requested: list[str]
) -> None:
    page.goto(capped_server + "/sparql")
    expect(page.get_by_role("heading", name="SPARQL")).to_be_visible()
    page.get_by_role(
        "link", name="Members of an organisation in a given year: the SPD in 1900"
    ).click()

    editor = page.locator("#yasgui .CodeMirror")
    expect(editor).to_contain_text('?org schema:identifier "(LG)spd"')
    expect(page.locator("#yasgui .yasr_response_chip")).to_contain_text("3 results")
    header = page.locator("#yasgui .yasr table thead th").all_inner_texts()
    assert [h.strip() for h in header] == ["", "person", "name", "roleName", "from", "until"]
    gyear = "^^xsd:gYear"
    # data/authorities/persons.xml: W. Liebknecht 1890-1900, Bebel chairman 1892-1913,
    # Luxemburg 1898-
    assert table_rows(page) == [
        [
            "<http://127.0.0.1:5000/id/person/lg-liebknecht-wilhelm>",
            "Liebknecht, Wilhelm",
            "member",
            f'"1890"{gyear}',
            f'"1900"{gyear}',
        ],
        [
            "<http://127.0.0.1:5000/id/person/lg-bebel-august>",
            "Bebel, August",
            "chairman",
            f'"1892"{gyear}',
            f'"1913"{gyear}',
        ],
        [
            "<http://127.0.0.1:5000/id/person/lg-luxemburg-rosa>",
            "Luxemburg, Rosa",
            "member",
            f'"1898"{gyear}',
            "",
        ],
    ]
    expect(page.locator("#truncated-notice")).to_be_hidden()
    page.set_viewport_size({"width": 900, "height": 900})  # a laptop window beside a notebook
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the results table widens the page by {overflow} px"
    page.screenshot(path="/tmp/labourgraph-sparql-editor.png", full_page=True)
    assert off_the_machine(requested) == []
    assert requested.count(capped_server + "/sparql") == 2, "the page, then the query (POST)"


def test_an_answer_over_the_row_limit_shows_the_capped_notice(
    capped_server: str, page: Page, requested: list[str]
) -> None:
    page.goto(capped_server + "/sparql")
    notice = page.locator("#truncated-notice")
    expect(notice).to_be_hidden()
    type_query(
        page,
        "PREFIX schema: <https://schema.org/>\n"
        "SELECT ?person ?name WHERE { ?person a schema:Person ; schema:name ?name }",
    )
    page.locator("#yasgui .yasqe_queryButton").click()

    expect(notice).to_be_visible()
    expect(notice).to_have_text(CAPPED_NOTICE)
    expect(page.locator("#yasgui .yasr_response_chip")).to_contain_text(f"{ROW_LIMIT} results")
    assert len(table_rows(page)) == ROW_LIMIT

    # an answer under the limit takes the notice away again
    type_query(page, "SELECT ?n WHERE { VALUES ?n { 1 2 } }")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#yasgui .yasr_response_chip")).to_contain_text("2 results")
    expect(notice).to_be_hidden()
    assert off_the_machine(requested) == []


def test_a_syntax_error_shows_the_parsers_message(
    capped_server: str, page: Page, requested: list[str]
) -> None:
    page.goto(capped_server + "/sparql")
    type_query(page, "SELECT ?s WHERE { ?s ?p ?o ")
    page.keyboard.press("Control+Enter")

    expect(page.locator("#yasgui .yasr .errorResult")).to_contain_text(
        'SPARQL syntax error: error at 1:28: expected one of ",", ".", ";", "{", "{|", "}", "~",'
        " [_]"
    )
    expect(page.locator("#yasgui .yasr table")).to_have_count(0)
    expect(page.locator("#truncated-notice")).to_be_hidden()
    assert off_the_machine(requested) == []
