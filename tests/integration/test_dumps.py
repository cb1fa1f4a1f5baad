"""Dumps (/dumps/), the sitemap and robots.txt, on a store written as an ingest leaves it."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from harvest_graph import BASE, ingest, record_graphs
from labourgraph.graph.store import OxigraphStore, open_store
from labourgraph.web.app import create_app
from lxml import etree
from rdflib import Graph
from rdflib.compare import isomorphic
from werkzeug.test import TestResponse

T1 = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dump-store")
    ingest(path, record_graphs(), T1).close()
    return path


@pytest.fixture
def client(root: Path) -> FlaskClient:
    return create_app(open_store(root)).test_client()


def quads(store: ox.Store) -> tuple[set[tuple[str, ...]], dict[str, Graph]]:
    """Quads without blank nodes, and each graph that has blank nodes as an rdflib Graph."""
    plain: set[tuple[str, ...]] = set()
    with_bnodes: dict[str, list[str]] = {}
    for q in store:
        terms = (str(q.subject), str(q.predicate), str(q.object))
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
            with_bnodes.setdefault(str(q.graph_name), []).append(" ".join(terms) + " .\n")
        else:
            plain.add((*terms, str(q.graph_name)))
    graphs = {
        g: Graph().parse(data="".join(lines), format="nt") for g, lines in with_bnodes.items()
    }
    return plain, graphs


def live_store(root: Path) -> ox.Store:
    store = open_store(root)
    assert isinstance(store, OxigraphStore)
    return store.raw


def test_nquads_dump_loads_back_to_the_same_quads(root: Path) -> None:
    loaded = ox.Store()
    loaded.load(
        gzip.decompress((root / "dumps" / "labourgraph.nq.gz").read_bytes()),
        format=ox.RdfFormat.N_QUADS,
    )
    live_plain, live_bnodes = quads(live_store(root))
    dump_plain, dump_bnodes = quads(loaded)
    assert dump_plain == live_plain
    assert len(live_plain) > 40
    assert live_bnodes.keys() == dump_bnodes.keys() == {f"<{BASE}id/record/eac-a612>"}
    for name, graph in live_bnodes.items():
        assert isomorphic(graph, dump_bnodes[name])


def test_triple_dumps_hold_the_union_graph(root: Path) -> None:
    union = Graph()
    for triples in record_graphs().values():
        union.parse(
            data="".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples), format="nt"
        )
    nt = Graph().parse(
        data=gzip.decompress((root / "dumps" / "labourgraph.nt.gz").read_bytes()), format="nt"
    )
    ttl = Graph().parse(root / "dumps" / "labourgraph.ttl", format="turtle")
    assert isomorphic(nt, union)
    assert isomorphic(ttl, union)


def test_dump_list_names_every_dump(client: FlaskClient) -> None:
    page = client.get("/dumps/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for name in ("labourgraph.nq.gz", "labourgraph.nt.gz", "labourgraph.ttl"):
        assert f'href="/dumps/{name}"' in html
    assert "2026-03-04T05:06:07Z" in html  # the ingest time from the change log


def fetch(client: FlaskClient, method: str, path: str, **headers: str) -> TestResponse:
    """A response read in full and closed (send_file keeps the file open until then)."""
    response = client.open(path, method=method, headers=headers)
    response.get_data()
    response.close()
    return response


def test_dump_download_supports_http_caching_and_ranges(client: FlaskClient, root: Path) -> None:
    size = (root / "dumps" / "labourgraph.nq.gz").stat().st_size
    full = fetch(client, "GET", "/dumps/labourgraph.nq.gz")
    assert full.status_code == 200
    assert full.headers["Content-Type"] == "application/gzip"
    assert int(full.headers["Content-Length"]) == size == len(full.data)
    assert parsedate_to_datetime(full.headers["Last-Modified"]) == T1
    assert full.headers["Accept-Ranges"] == "bytes"
    etag = full.headers["ETag"]
    head = fetch(client, "HEAD", "/dumps/labourgraph.nq.gz")
    assert head.status_code == 200 and head.data == b""
    assert int(head.headers["Content-Length"]) == size and head.headers["ETag"] == etag
    part = fetch(client, "GET", "/dumps/labourgraph.nq.gz", Range="bytes=10-19")
    assert part.status_code == 206
    assert part.data == full.data[10:20]
    assert part.headers["Content-Range"] == f"bytes 10-19/{size}"
    unchanged = fetch(client, "GET", "/dumps/labourgraph.nq.gz", **{"If-None-Match": etag})
    assert unchanged.status_code == 304
    ttl = fetch(client, "GET", "/dumps/labourgraph.ttl")
    assert ttl.headers["Content-Type"] == "text/turtle; charset=utf-8"


def test_dumps_are_served_from_a_store_named_by_a_relative_path(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(root.parent)  # as `make run` names var/store
    client = create_app(open_store(Path(root.name))).test_client()
    with client.get("/dumps/labourgraph.nq.gz") as response:
        assert response.status_code == 200
        assert response.get_data() == (root / "dumps" / "labourgraph.nq.gz").read_bytes()


def test_unknown_dump_is_404(client: FlaskClient) -> None:
    response = client.get("/dumps/secrets.txt", headers={"Accept": "text/plain"})
    assert response.status_code == 404
    assert response.get_data(as_text=True) == (
        'There is no dump named "secrets.txt"; see /dumps/ for the list.\n'
    )


def test_sitemap_lists_every_entity_page_with_lastmod(client: FlaskClient) -> None:
    response = client.get("/sitemap.xml")
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    root = etree.fromstring(response.data)
    urls = {
        u.findtext("s:loc", namespaces=SITEMAP_NS): u.findtext("s:lastmod", namespaces=SITEMAP_NS)
        for u in root.findall("s:url", SITEMAP_NS)
    }
    expected = {
        s.replace(BASE, "http://localhost/")
        for triples in record_graphs().values()
        for s, p, _ in triples
        if p.endswith("#type") and "/id/role/" not in s and "/id/record/" not in s
    }
    assert set(urls) == expected
    assert set(urls.values()) == {"2026-03-04T05:06:07Z"}


def test_big_sitemaps_become_an_index_of_parts(root: Path) -> None:
    app = create_app(open_store(root))
    app.config["SITEMAP_MAX_URLS"] = 3
    client = app.test_client()
    index = etree.fromstring(client.get("/sitemap.xml").data)
    parts = [loc.text for loc in index.findall("s:sitemap/s:loc", SITEMAP_NS)]
    assert parts == [
        "http://localhost/sitemap-1.xml",
        "http://localhost/sitemap-2.xml",
        "http://localhost/sitemap-3.xml",
    ]
    seen = []
    for part in parts:
        urlset = etree.fromstring(client.get(part.replace("http://localhost", "")).data)
        seen += [loc.text for loc in urlset.findall("s:url/s:loc", SITEMAP_NS)]
    assert len(seen) == len(set(seen)) == 8
    assert client.get("/sitemap-4.xml").status_code == 404


def test_robots_points_to_the_sitemap_and_keeps_crawlers_off_queries(client: FlaskClient) -> None:
    text = client.get("/robots.txt").get_data(as_text=True)
    assert "Disallow: /sparql\n" in text
    assert text.endswith("Sitemap: http://localhost/sitemap.xml\n")
