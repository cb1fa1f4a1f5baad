"""OAI-PMH at /oai: whole harvests through sickle against a live server, every error code,
incremental harvests after a re-ingest, and every response checked against the OAI-PMH XSD.

The live server is werkzeug's ``make_server`` in a thread (single-threaded, so each request's
pyoxigraph results stay in the thread that made them), serving the real app on a real store
directory written as an ingest writes it (see harvest_graph.py).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from harvest_graph import BASE, ingest, record_graphs, record_xml
from labourgraph.graph.iris import Kind, parse
from labourgraph.graph.store import open_store
from labourgraph.web.app import create_app
from lxml import etree
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD as XSD_TYPES
from sickle import Sickle
from sickle.oaiexceptions import BadResumptionToken
from werkzeug.serving import make_server

XSD = Path(__file__).resolve().parents[1] / "fixtures" / "oai" / "OAI-PMH.xsd"
NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
}
T1 = datetime(2026, 1, 1, 10, 0, 0, tzinfo=UTC)
T2 = datetime(2026, 2, 1, 12, 30, 0, tzinfo=UTC)
PAGE = 2
SDO = Namespace("https://schema.org/")


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def valid(schema: etree.XMLSchema, body: bytes) -> etree._Element:
    """The parsed response, after checking it against the OAI-PMH schema."""
    root = etree.fromstring(body)
    assert schema.validate(root), str(schema.error_log)
    return root


class Server:
    """The real app on a real store directory, served by werkzeug in a thread."""

    def __init__(self, root: Path) -> None:
        self.root = root
        app = create_app(open_store(root))
        app.config["OAI_PAGE_SIZE"] = PAGE
        self.http = make_server("127.0.0.1", 0, app, threaded=False)
        self.url = f"http://127.0.0.1:{self.http.server_port}/oai"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.http.shutdown()
        self.thread.join()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("oai-store")
    ingest(root, record_graphs(), T1).close()
    running = Server(root)
    yield running
    running.stop()


def make_sickle(url: str, schema: etree.XMLSchema, method: str = "GET") -> Sickle:
    """A sickle client that checks every response it gets against the schema."""

    class ValidatingSickle(Sickle):  # type: ignore[misc]
        pages = 0

        def harvest(self, **kwargs: str):  # type: ignore[no-untyped-def]
            response = super().harvest(**kwargs)
            valid(schema, response.raw.encode("utf-8"))
            type(self).pages += 1
            return response

    return ValidatingSickle(url, http_method=method, max_retries=0)


def expected_items() -> dict[str, Kind]:
    """Every item the test store describes, computed from the graphs it was built from."""
    items = {}
    for triples in record_graphs().values():
        for s, p, _ in triples:
            if p == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" and s.startswith(BASE):
                kind, _ = parse(BASE, s)
                if kind not in (Kind.ROLE, Kind.RECORD):
                    items[str(s)] = kind
    return items


def expected_set(spec: str) -> set[str]:
    items = expected_items()
    if spec == "kind":
        return set(items)
    if spec.startswith("kind:"):
        return {i for i, k in items.items() if k.value == spec[5:]}
    held = {
        "collection:arch00018": {"collection/arch00018", "person/a169", "topic/anarchism"},
        "collection:arch01293": {
            "collection/arch01293",
            "item/arch01293-box-1",
            "organisation/a187",
        },
    }
    held["collection"] = held["collection:arch00018"] | held["collection:arch01293"]
    return {f"{BASE}id/{x}" for x in held[spec]}


def test_identify_declares_seconds_and_persistent_deletions(
    server: Server, schema: etree.XMLSchema
) -> None:
    identify = make_sickle(server.url, schema).Identify()
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.deletedRecord == "persistent"
    assert identify.earliestDatestamp == "2026-01-01T10:00:00Z"
    assert identify.baseURL == server.url


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_whole_harvest_in_every_format_and_set(
    server: Server, schema: etree.XMLSchema, method: str
) -> None:
    sickle = make_sickle(server.url, schema, method)
    sets = [s.setSpec for s in sickle.ListSets()]
    kinds = {f"kind:{k.value}" for k in expected_items().values()}
    assert sorted(sets) == sorted(
        ["kind", "collection", "collection:arch00018", "collection:arch01293", *kinds]
    )
    formats = {
        "oai_dc": set(expected_items()),
        "rdf": set(expected_items()),
        "marcxml": {f"{BASE}id/collection/arch00018"},
        "ead": {f"{BASE}id/collection/arch01293"},
    }
    for prefix, everything in formats.items():
        for spec in [None, *sets]:
            args = {"metadataPrefix": prefix, **({"set": spec} if spec else {})}
            wanted = everything & (expected_set(spec) if spec else everything)
            if not wanted:
                continue
            harvested = [r.header.identifier for r in sickle.ListRecords(**args)]
            assert len(harvested) == len(set(harvested)), f"{args}: an item came twice"
            assert set(harvested) == wanted, f"{args}"
            headers = [h.identifier for h in sickle.ListIdentifiers(**args)]
            assert sorted(headers) == sorted(harvested)
    assert type(sickle).pages > 50  # pages of two items: resumption was exercised


def test_last_page_has_an_empty_resumption_token(server: Server, schema: etree.XMLSchema) -> None:
    token, pages, seen = None, 0, []
    while True:
        params = {
            "verb": "ListIdentifiers",
            **({"resumptionToken": token} if token else {"metadataPrefix": "oai_dc"}),
        }
        root = valid(schema, requests.get(server.url, params=params, timeout=10).content)
        seen += root.xpath("//oai:header/oai:identifier/text()", namespaces=NS)
        element = root.find(".//oai:resumptionToken", NS)
        pages += 1
        assert element.get("completeListSize") == str(len(expected_items()))
        assert element.get("cursor") == str((pages - 1) * PAGE)
        token = element.text
        if not token:
            break
    assert pages == -(-len(expected_items()) // PAGE)
    assert sorted(seen) == sorted(expected_items())


def test_records_hold_the_store_s_metadata(server: Server, schema: etree.XMLSchema) -> None:
    sickle = make_sickle(server.url, schema)
    goldman = f"{BASE}id/person/a612"
    dc = sickle.GetRecord(identifier=goldman, metadataPrefix="oai_dc")
    assert dc.metadata["title"] == ["Goldman, Emma", "Гольдман, Эмма"]
    assert dc.metadata["date"] == ["1869-06-27"]
    assert dc.metadata["identifier"] == [goldman, "http://www.wikidata.org/entity/Q79969"]
    assert dc.metadata["relation"] == ["SDAP"]
    rdf = sickle.GetRecord(identifier=goldman, metadataPrefix="rdf")
    element = rdf.xml.find(".//{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF")
    harvested = Graph().parse(data=etree.tostring(element), format="xml")
    page = requests.get(server.url.replace("/oai", "/id/person/a612.rdf"), timeout=10)
    assert page.status_code == 200
    assert isomorphic(harvested, Graph().parse(data=page.content, format="xml"))
    assert (
        URIRef(goldman),
        SDO.birthDate,
        Literal("1869-06-27", datatype=XSD_TYPES.date),
    ) in harvested
    for prefix, key in (("marcxml", "arch00018"), ("ead", "arch01293")):
        record = sickle.GetRecord(identifier=f"{BASE}id/collection/{key}", metadataPrefix=prefix)
        kept = etree.fromstring(record_xml(key))
        harvested_xml = record.xml.find(".//oai:metadata", NS)[0]
        assert etree.tostring(harvested_xml, method="c14n", exclusive=True) == etree.tostring(
            kept, method="c14n", exclusive=True
        )


def oai_error(
    server: Server, schema: etree.XMLSchema, method: str = "GET", **params: str | list[str]
) -> tuple[str, str, dict]:
    """The error code and message of a request that must fail, and its request attributes."""
    send = requests.post if method == "POST" else requests.get
    key = "data" if method == "POST" else "params"
    response = send(server.url, timeout=10, **{key: params})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    root = valid(schema, response.content)
    error = root.find("oai:error", NS)
    return error.get("code"), error.text, dict(root.find("oai:request", NS).attrib)


GOLDMAN = f"{BASE}id/person/a612"
ERRORS = [
    (
        {},
        "badVerb",
        "the request has no verb; expected one of Identify, ListMetadataFormats, ListSets, GetRecord, ListIdentifiers, ListRecords",  # noqa: E501
    ),
    (
        {"verb": "Harvest"},
        "badVerb",
        '"Harvest" is not an OAI-PMH verb; expected one of Identify, ListMetadataFormats, ListSets, GetRecord, ListIdentifiers, ListRecords',  # noqa: E501
    ),
    (
        {"verb": ["Identify", "ListSets"]},
        "badVerb",
        "the verb argument is repeated; give exactly one verb",
    ),
    ({"verb": "ListRecords"}, "badArgument", "ListRecords requires the argument metadataPrefix"),
    ({"verb": "Identify", "set": "kind"}, "badArgument", '"set" is not an argument of Identify'),
    (
        {"verb": "ListRecords", "metadataPrefix": ["oai_dc", "rdf"]},
        "badArgument",
        'the argument "metadataPrefix" is repeated; give it once',
    ),
    (
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-13-01"},
        "badArgument",
        'from "2026-13-01" is not a real date',
    ),
    (
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "1 Jan 2026"},
        "badArgument",
        'from "1 Jan 2026" is not a UTC date; expected YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ',
    ),
    (
        {
            "verb": "ListRecords",
            "metadataPrefix": "oai_dc",
            "from": "2026-01-01",
            "until": "2026-02-01T00:00:00Z",
        },
        "badArgument",
        'from "2026-01-01" and until "2026-02-01T00:00:00Z" have different granularities; give both as days or both as seconds',  # noqa: E501
    ),
    (
        {
            "verb": "ListRecords",
            "metadataPrefix": "oai_dc",
            "from": "2026-02-01",
            "until": "2026-01-01",
        },
        "badArgument",
        'from "2026-02-01" is later than until "2026-01-01"',
    ),
    (
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
        "badArgument",
        "resumptionToken is an exclusive argument; send it alone with the verb",
    ),
    (
        {"verb": "ListRecords", "resumptionToken": "bm90IGEgdG9rZW4"},
        "badResumptionToken",
        'the resumptionToken "bm90IGEgdG9rZW4" is not one this repository issued',
    ),
    (
        {"verb": "ListRecords", "metadataPrefix": "mods"},
        "cannotDisseminateFormat",
        'metadataPrefix "mods" is not offered; expected one of oai_dc, rdf, marcxml, ead',
    ),
    (
        {"verb": "GetRecord", "metadataPrefix": "marcxml", "identifier": GOLDMAN},
        "cannotDisseminateFormat",
        f'the item "{GOLDMAN}" is not available as "marcxml"; ask ListMetadataFormats for its formats',  # noqa: E501
    ),
    (
        {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": f"{BASE}id/person/nobody"},
        "idDoesNotExist",
        f'"{BASE}id/person/nobody" is not the identifier of an item here',
    ),
    (
        {"verb": "ListMetadataFormats", "identifier": "oai:elsewhere:1"},
        "idDoesNotExist",
        '"oai:elsewhere:1" is not the identifier of an item here',
    ),
    (
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2100-01-01"},
        "noRecordsMatch",
        "no items match these from, until, set and metadataPrefix arguments",
    ),
    (
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "collection:arch99999"},
        "noRecordsMatch",
        "no items match these from, until, set and metadataPrefix arguments",
    ),
]


@pytest.mark.parametrize(("params", "code", "message"), ERRORS)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_every_error_code(
    server: Server, schema: etree.XMLSchema, params: dict, code: str, message: str, method: str
) -> None:
    got_code, got_message, request = oai_error(server, schema, method, **params)
    assert (got_code, got_message) == (code, message)
    if code in ("badVerb", "badArgument"):
        assert request == {}  # the protocol forbids echoing a malformed request
    else:
        assert request == params


def test_no_set_hierarchy_before_the_first_ingest(tmp_path: Path, schema: etree.XMLSchema) -> None:
    store = open_store(tmp_path, writable=True, base=BASE)
    store.publish()
    store.close()
    empty = Server(tmp_path)
    try:
        assert oai_error(empty, schema, verb="ListSets")[:2] == (
            "noSetHierarchy",
            "this repository has no sets yet",
        )
        assert oai_error(empty, schema, verb="ListRecords", metadataPrefix="oai_dc", set="kind")[
            :2
        ] == ("noSetHierarchy", "this repository has no sets yet")
    finally:
        empty.stop()


def test_incremental_harvest_sees_exactly_the_change_and_the_deletions(
    tmp_path: Path, schema: etree.XMLSchema
) -> None:
    graphs = record_graphs()
    ingest(tmp_path, graphs, T1).close()
    live = Server(tmp_path)
    try:
        sickle = make_sickle(live.url, schema)
        pending = sickle.ListIdentifiers(metadataPrefix="oai_dc")
        first_page = [next(pending).identifier for _ in range(PAGE)]
        assert len(first_page) == PAGE
        dropped = f"{BASE}id/record/arch00018"
        authority = f"{BASE}id/record/a187"
        from labourgraph.graph.rdf import IRI, Lit
        from labourgraph.graph.vocab import SCHEMA

        changed = {
            authority: [
                *graphs[IRI(authority)],
                (IRI(f"{BASE}id/organisation/a187"), SCHEMA.foundingDate, Lit("1894")),
            ]
        }
        ingest(tmp_path, changed, T2, drop=(IRI(dropped),)).close()
        with pytest.raises(
            BadResumptionToken, match="the repository changed since the list was started"
        ):
            list(pending)  # a list started before the ingest expires cleanly
        since = {
            h.identifier: h.deleted
            for h in sickle.ListIdentifiers(
                metadataPrefix="oai_dc", ignore_deleted=False, **{"from": "2026-02-01T12:30:00Z"}
            )
        }
        assert since == {
            f"{BASE}id/organisation/a187": False,
            f"{BASE}id/collection/arch00018": True,
            f"{BASE}id/person/a169": True,
            f"{BASE}id/topic/anarchism": True,
        }
        by_day = {
            h.identifier
            for h in sickle.ListIdentifiers(
                metadataPrefix="oai_dc", ignore_deleted=False, **{"from": "2026-02-01"}
            )
        }
        assert by_day == set(since)
        before = {
            h.identifier
            for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", until="2026-01-31")
        }
        assert before == set(expected_items()) - set(since)
        gone = sickle.GetRecord(identifier=f"{BASE}id/person/a169", metadataPrefix="oai_dc")
        assert gone.deleted and gone.header.datestamp == "2026-02-01T12:30:00Z"
        marc = {
            h.identifier: h.deleted
            for h in sickle.ListIdentifiers(metadataPrefix="marcxml", ignore_deleted=False)
        }
        assert marc == {
            f"{BASE}id/collection/arch00018": True
        }  # deleted collections stay in their format
        assert oai_error(
            live, schema, verb="ListMetadataFormats", identifier=f"{BASE}id/person/a169"
        )[:2] == (
            "noMetadataFormats",
            f'the item "{BASE}id/person/a169" has been deleted; no metadata formats are available for it',  # noqa: E501
        )
        assert not (tmp_path / "records" / "arch00018.xml").exists()
    finally:
        live.stop()


def test_an_ingest_that_changes_nothing_expires_no_harvest(
    tmp_path: Path, schema: etree.XMLSchema
) -> None:
    ingest(tmp_path, record_graphs(), T1).close()
    live = Server(tmp_path)
    try:
        sickle = make_sickle(live.url, schema)
        pending = sickle.ListIdentifiers(metadataPrefix="oai_dc")
        first = [next(pending).identifier for _ in range(PAGE)]
        ingest(tmp_path, {}, T2).close()
        rest = [h.identifier for h in pending]
        assert sorted(first + rest) == sorted(expected_items())
        stamps = {h.datestamp for h in sickle.ListIdentifiers(metadataPrefix="oai_dc")}
        assert stamps == {"2026-01-01T10:00:00Z"}
    finally:
        live.stop()
