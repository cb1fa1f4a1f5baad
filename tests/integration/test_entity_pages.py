# ruff: noqa: E501, RUF001  (Turtle fixtures and the en dashes the pages print, on purpose)
"""Entity pages on the real app and a real in-memory store: every kind in every format,
round trips, paging, 404s, 304s, redirects of merged IRIs and hostile labels.

The store is filled with ``replace_graphs`` following the README data model (one named graph
per source record, dated memberships through schema:OrganizationRole, uncertain dates through
lg:uncertainDate nodes), as the ingest writes it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
import rdflib
from flask import url_for
from labourgraph.graph.documents import embedded_jsonld
from labourgraph.graph.rdf import IRI, BNode, Lit, Triple
from labourgraph.graph.store import OxigraphStore, open_store
from labourgraph.web.app import create_app
from labourgraph.web.entity_pages import entity_path
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from support import turtle_triples

BASE = "https://data.example.org/"
PREFIXES = """
@prefix schema: <https://schema.org/> .
@prefix rico: <https://www.ica.org/standards/RiC/ontology#> .
@prefix lg: <https://w3id.org/labourgraph/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://data.example.org/id/> .
"""

RECORDS = {
    "eac-goldman": """
id:record\\/eac-goldman a lg:SourceRecord ; lg:recordFormat "eac-cpf" ;
  schema:identifier "NL-AMISG-1" ; schema:url <https://hdl.handle.net/10622/goldman> ;
  schema:dateModified "2024-01-05"^^xsd:date ;
  prov:generatedAtTime "2024-02-01T10:00:00Z"^^xsd:dateTime .
id:person\\/a1 a schema:Person ; schema:name "Goldman, Emma" ;
  schema:alternateName "Гольдман, Эмма"@ru , "Goldman, E." ;
  schema:description "Anarchist writer and lecturer."@en ;
  schema:birthDate "1869"^^xsd:gYear ; schema:deathDate "1940-05-14"^^xsd:date ;
  lg:uncertainDate <https://data.example.org/id/record/eac-goldman#date-1> ;
  schema:sameAs <http://www.wikidata.org/entity/Q79969> ;
  schema:memberOf id:role\\/r1 .
<https://data.example.org/id/record/eac-goldman#date-1> a lg:UncertainDate ;
  lg:qualifiesProperty schema:birthDate ; lg:originalText "ca. 1869" ;
  lg:earliest "1868-01-01"^^xsd:date ; lg:latest "1870-12-31"^^xsd:date .
id:role\\/r1 a schema:OrganizationRole ; schema:memberOf id:organisation\\/cnt ;
  schema:startDate "1936"^^xsd:gYear ; schema:endDate "1937"^^xsd:gYear ; schema:roleName "delegate" .
id:person\\/a1 schema:knows id:person\\/a2 .
""",
    "eac-berkman": """
id:record\\/eac-berkman a lg:SourceRecord ; lg:recordFormat "eac-cpf" ; schema:identifier "NL-AMISG-2" .
id:person\\/a2 a schema:Person ; schema:name "Berkman, Alexander" ; schema:memberOf id:role\\/r2 .
id:role\\/r2 a schema:OrganizationRole ; schema:memberOf id:organisation\\/cnt ; schema:roleName "member" .
""",
    "eac-cnt": """
id:record\\/eac-cnt a lg:SourceRecord ; lg:recordFormat "eac-cpf" ; schema:identifier "NL-AMISG-3" .
id:organisation\\/cnt a schema:Organization ; schema:name "Confederación Nacional del Trabajo"@es ;
  schema:alternateName "CNT" ; schema:foundingDate "1910"^^xsd:gYear ;
  schema:foundingLocation id:place\\/barcelona ;
  schema:sameAs <http://www.wikidata.org/entity/Q211268> .
id:place\\/barcelona a schema:Place ; schema:name "Barcelona" ; schema:containedInPlace id:place\\/spain .
id:place\\/spain a schema:Place ; schema:name "Spain" .
id:family\\/ascaso a rico:Family , schema:Organization ; schema:name "Ascaso family" .
""",
    "ead-arch00018": """
id:record\\/ead-arch00018 a lg:SourceRecord ; lg:recordFormat "ead" ; schema:identifier "ARCH00018" ;
  schema:url <https://hdl.handle.net/10622/ARCH00018> .
id:collection\\/arch00018 a schema:ArchiveComponent , rico:RecordSet ; schema:name "Emma Goldman Papers" ;
  schema:creator id:person\\/a1 ; schema:about id:topic\\/anarchism .
id:item\\/arch00018-1 a schema:CreativeWork ; schema:name "Letters from Kropotkin" ;
  schema:isPartOf id:collection\\/arch00018 ; schema:about id:organisation\\/cnt ;
  schema:genre id:genre\\/letters .
id:topic\\/anarchism a schema:DefinedTerm , skos:Concept ; schema:name "Anarchism"@en .
id:genre\\/letters a schema:DefinedTerm , skos:Concept ; schema:name "Letters"@en .
id:work\\/living-my-life a schema:CreativeWork ; schema:name "Living my life" ; schema:author id:person\\/a1 .
id:event\\/congress-1936 a schema:Event ; schema:name "Congress of the CNT, 1936" ;
  schema:startDate "1936-05-01"^^xsd:date ; schema:location id:place\\/barcelona ;
  schema:organizer id:organisation\\/cnt .
""",
    "hostile": """
id:record\\/hostile a lg:SourceRecord ; lg:recordFormat "marcxml" ; schema:identifier "X</script>" .
id:person\\/hostile a schema:Person ; schema:name "<script>alert(1)</script>" ;
  schema:description "ends </script><script>alert(2)</script> here" ;
  schema:knows id:person\\/a1 .
""",
    "merge": """
id:record\\/merge a lg:SourceRecord ; lg:recordFormat "eac-cpf" .
id:person\\/a1 owl:sameAs id:person\\/goldman-emma .
<https://data.example.org/id/reconciliation#merge-1> a lg:Merge ; lg:mergedInto id:person\\/a1 ;
  lg:mergedEntity id:person\\/goldman-emma ; lg:heading "Goldman, Emma" ; lg:mergeRule "name" ;
  lg:evidence "the same name once case and punctuation are set aside" ;
  prov:wasDerivedFrom id:record\\/ead-arch00018 .
""",
}

MEMBERS = 60  # more than one page of members (25 a page)


def _triples(turtle: str) -> list[Triple]:
    return turtle_triples(PREFIXES + turtle)


def _member_records() -> dict[IRI, list[Triple]]:
    graphs = {}
    for n in range(MEMBERS):
        graphs[IRI(f"{BASE}id/record/member-{n:03d}")] = _triples(f"""
id:person\\/m{n:03d} a schema:Person ; schema:name "Member {n:03d}" ; schema:memberOf id:role\\/m{n:03d} .
id:role\\/m{n:03d} a schema:OrganizationRole ; schema:memberOf id:organisation\\/big ;
  schema:startDate "{1900 + n}"^^xsd:gYear .
""")
    graphs[IRI(f"{BASE}id/record/big")] = _triples(
        'id:organisation\\/big a schema:Organization ; schema:name "Big Union" .'
    )
    return graphs


def fill(store: OxigraphStore) -> None:
    """Load the fixture records, one named graph each."""
    graphs = {IRI(f"{BASE}id/record/{key}"): _triples(text) for key, text in RECORDS.items()}
    store.replace_graphs({**graphs, **_member_records()})
    store.publish()


@pytest.fixture(scope="module")
def store() -> Iterator[OxigraphStore]:
    s = open_store(None, base=BASE)
    fill(s)
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store: OxigraphStore):  # type: ignore[no-untyped-def]
    return create_app(store).test_client()


def expected_document(store: OxigraphStore, path: str) -> rdflib.Graph:
    """What the document of an entity must hold, asked of the store independently."""
    iri = BASE + path.lstrip("/")
    graph = rdflib.Graph()
    data = store.construct_text(
        "CONSTRUCT { ?e ?p ?o . ?o ?p2 ?o2 . ?s ?p3 ?e } WHERE { { ?e ?p ?o OPTIONAL { ?o ?p2 ?o2 "
        f"FILTER(CONTAINS(STR(?o), '#date-') || STRSTARTS(STR(?o), '{BASE}id/role/')) }} }} "
        "UNION { ?s ?p3 ?e } }",
        e=IRI(iri),
    )
    for s, p, o in data:
        graph.add((rdflib.URIRef(s), rdflib.URIRef(p), _to_rdflib(o)))
    return graph


def _to_rdflib(term: IRI | BNode | Lit) -> rdflib.term.Node:
    if isinstance(term, Lit):
        plain = term.lang or term.datatype in (None, "http://www.w3.org/2001/XMLSchema#string")
        return rdflib.Literal(
            term.value,
            lang=term.lang,
            datatype=None if plain else rdflib.URIRef(term.datatype or ""),
        )
    return rdflib.URIRef(term) if isinstance(term, IRI) else rdflib.BNode(term)


def assert_same_graph(actual: rdflib.Graph, expected: rdflib.Graph) -> None:
    """Isomorphic, or a message listing the triples only in one of them."""
    _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
    assert isomorphic(actual, expected), (
        "only in actual:\n"
        + only_actual.serialize(format="nt")
        + "only in expected:\n"
        + only_expected.serialize(format="nt")
    )


EVERY_KIND = [
    "/id/person/a1",
    "/id/organisation/cnt",
    "/id/place/barcelona",
    "/id/event/congress-1936",
    "/id/collection/arch00018",
    "/id/item/arch00018-1",
    "/id/work/living-my-life",
    "/id/topic/anarchism",
    "/id/genre/letters",
    "/id/family/ascaso",
    "/id/role/r1",
    "/id/record/ead-arch00018",
]
RDF_FORMATS = [
    ("text/turtle", "turtle", "ttl"),
    ("application/ld+json", "json-ld", "jsonld"),
    ("application/n-triples", "nt", "nt"),
    ("application/rdf+xml", "xml", "rdf"),
]


@pytest.mark.parametrize("path", EVERY_KIND)
def test_every_kind_has_an_html_page(client, path: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Vary"] == "Accept"
    html = response.get_data(as_text=True)
    assert f'<code class="iri">{BASE}{path.lstrip("/")}</code>' in html
    for ext in ("ttl", "jsonld", "nt", "rdf"):
        assert f'href="{path}.{ext}"' in html
    embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert embedded is not None
    assert rdflib.Graph().parse(data=embedded.group(1), format="json-ld")


@pytest.mark.parametrize("path", EVERY_KIND)
@pytest.mark.parametrize(("media_type", "rdflib_format", "ext"), RDF_FORMATS)
def test_every_kind_in_every_rdf_format_is_the_entity_document(  # type: ignore[no-untyped-def]
    client, store, path: str, media_type: str, rdflib_format: str, ext: str
) -> None:
    by_accept = client.get(path, headers={"Accept": media_type})
    by_url = client.get(f"{path}.{ext}")
    for response in (by_accept, by_url):
        assert response.status_code == 200
        assert response.mimetype == media_type
    assert by_accept.headers["Content-Location"] == f"{path}.{ext}"
    assert by_accept.data == by_url.data
    parsed = rdflib.Graph().parse(data=by_url.data, format=rdflib_format)
    assert_same_graph(parsed, expected_document(store, path))


@pytest.mark.parametrize("path", ["/id/person/a1", "/id/organisation/cnt"])
def test_turtle_and_jsonld_parse_back_to_the_same_graph(client, path: str) -> None:  # type: ignore[no-untyped-def]
    turtle = rdflib.Graph().parse(data=client.get(path + ".ttl").data, format="turtle")
    jsonld = rdflib.Graph().parse(data=client.get(path + ".jsonld").data, format="json-ld")
    assert len(turtle) > 5
    assert_same_graph(jsonld, turtle)


def test_jsonld_is_compact_with_an_inline_context(client) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(client.get("/id/person/a1.jsonld").data)
    assert data["@context"]["schema"] == "https://schema.org/"
    first = data["@graph"][0]
    assert first["@id"] == BASE + "id/person/a1"
    assert first["@type"] == ["schema:Person"]
    assert {"@value": "Гольдман, Эмма", "@language": "ru"} in first["schema:alternateName"]
    assert first["schema:birthDate"] == [{"@value": "1869", "@type": "xsd:gYear"}]


def test_rdf_uses_canonical_iris_whatever_the_host(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/id/person/a1.nt", base_url="http://localhost:8123")
    assert (
        f'<{BASE}id/person/a1> <https://schema.org/name> "Goldman, Emma" .'.encode()
        in response.data
    )
    assert b"localhost:8123" not in response.data


def test_link_headers_name_every_other_representation(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/id/person/a1", headers={"Accept": "text/html"})
    assert response.headers["Link"] == (
        '</id/person/a1.ttl>; rel="alternate"; type="text/turtle", '
        '</id/person/a1.jsonld>; rel="alternate"; type="application/ld+json", '
        '</id/person/a1.nt>; rel="alternate"; type="application/n-triples", '
        '</id/person/a1.rdf>; rel="alternate"; type="application/rdf+xml"'
    )


def _html(client, path: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def test_person_page_shows_what_a_historian_needs(client) -> None:  # type: ignore[no-untyped-def]
    html = _html(client, "/id/person/a1")
    assert "<h1>Goldman, Emma</h1>" in html
    assert (
        '<li lang="ru">Гольдман, Эмма <span class="lang">ru</span> <span class="note">variant</span></li>'
        in html
    )
    assert '<dt>Born</dt><dd>ca. 1869 <span class="note">(recorded as 1869)</span></dd>' in html
    assert "<dt>Died</dt><dd>1940-05-14</dd>" in html
    assert '<p class="description" lang="en">Anarchist writer and lecturer.</p>' in html
    assert '<a href="http://www.wikidata.org/entity/Q79969" rel="external">' in html
    # the dated membership: target, role, dates and the record that says so
    assert re.search(
        r'<a href="/id/organisation/cnt">Confederación Nacional del Trabajo</a>.*?'
        r"<td>delegate</td>\s*<td>1936–1937</td>\s*"
        r'<td><a href="/id/record/eac-goldman">NL-AMISG-1</a></td>',
        html,
        re.S,
    )
    assert '<a href="/id/collection/arch00018">Emma Goldman Papers</a>' in html
    assert '<a href="https://hdl.handle.net/10622/goldman" rel="external">' in html
    assert '<a href="/id/record/eac-goldman">NL-AMISG-1</a>' in html


def test_organisation_page_lists_incoming_members_with_their_roles(client) -> None:  # type: ignore[no-untyped-def]
    html = _html(client, "/id/organisation/cnt")
    assert 'Members <span class="count">2</span>' in html
    assert '<a href="/id/person/a2">Berkman, Alexander</a>' in html
    assert "<td>member</td>" in html
    assert 'Founded in <span class="count">1</span>' in html
    assert '<a href="/id/place/barcelona">Barcelona</a>' in html
    assert 'Subject of <span class="count">1</span>' in html  # the item about the CNT


def test_many_members_are_paged(client) -> None:  # type: ignore[no-untyped-def]
    first = _html(client, "/id/organisation/big")
    assert 'Members <span class="count">60</span>' in first
    assert "<span>1–25 of 60</span>" in first
    assert (
        'href="/id/organisation/big?dir=in&amp;property=https://schema.org/memberOf&amp;page=2#in-schema.org-memberOf">Next</a>'
        in first
    )
    seen, pages = [], []
    for page in (1, 2, 3):
        pages.append(
            _html(
                client,
                f"/id/organisation/big?dir=in&property=https://schema.org/memberOf&page={page}",
            )
        )
        seen += re.findall(r'<a href="/id/person/(m\d+)">Member \d+</a>', pages[-1])
    assert "<span>51–60 of 60</span>" in pages[2]
    # every member exactly once over the pages, each with the start date of its membership
    assert sorted(seen) == [f"m{n:03d}" for n in range(MEMBERS)]
    assert "<td>1959–</td>" in "".join(pages)


def test_hostile_labels_are_shown_as_text(client) -> None:  # type: ignore[no-untyped-def]
    html = _html(client, "/id/person/hostile")
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in html
    assert "<script>alert" not in html
    embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert embedded is not None
    data = json.loads(embedded.group(1))
    assert data["schema:name"] == ["<script>alert(1)</script>"]
    assert data["schema:description"] == ["ends </script><script>alert(2)</script> here"]
    # the page that links to the hostile person escapes it too
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</a>" in _html(client, "/id/person/a1")


def test_unknown_entity_is_404_with_a_search_link(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/id/person/a999", headers={"Accept": "text/html"})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert f"No entity &lt;{BASE}id/person/a999&gt; in this graph." in html
    assert '<a href="/search">Search the graph</a>' in html
    plain = client.get("/id/person/a999.ttl")
    assert plain.status_code == 404
    assert plain.get_data(as_text=True) == f"No entity <{BASE}id/person/a999> in this graph.\n"


def test_unknown_kind_is_404_saying_what_was_expected(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/id/strike/x", headers={"Accept": "text/plain"})
    assert response.status_code == 404
    assert response.get_data(as_text=True) == (
        f'No entity <{BASE}id/strike/x> in this graph: "strike" is not a kind of entity (expected '
        "one of person, family, organisation, place, event, collection, item, work, topic, genre, "
        'role, record) or "x" is not a valid key.\n'
    )


def test_an_accept_header_nothing_satisfies_is_406(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/id/person/a1", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert (
        'Accept "image/png" excludes every format offered here: text/html, text/turtle, '
        "application/ld+json, application/n-triples, application/rdf+xml."
        in response.get_data(as_text=True)
    )


@pytest.mark.parametrize(
    "path", ["/id/person/a1", "/id/person/a1.ttl", "/id/organisation/cnt.jsonld"]
)
def test_conditional_requests_get_304(client, path: str) -> None:  # type: ignore[no-untyped-def]
    first = client.get(path)
    etag, modified = first.headers["ETag"], first.headers.get("Last-Modified")
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    if modified:
        assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304


def test_last_modified_is_when_the_record_was_ingested(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/id/person/a1").headers["Last-Modified"] == "Thu, 01 Feb 2024 10:00:00 GMT"


def test_etag_changes_with_the_store_generation(store) -> None:  # type: ignore[no-untyped-def]
    client = create_app(store).test_client()
    before = client.get("/id/person/a1.ttl").headers["ETag"]
    store.publish()  # a new generation: what was cached may be stale
    after = client.get("/id/person/a1.ttl")
    assert after.headers["ETag"] != before
    assert client.get("/id/person/a1.ttl", headers={"If-None-Match": before}).status_code == 200


@pytest.mark.parametrize(
    "key", ["a1", "arch07509.4", "x_y-z~1.2", "naïve key", "x%y", "a:b@c(1)", "ü/ß", "A.b"]
)
def test_entity_path_is_the_path_url_for_builds(store, key: str) -> None:  # type: ignore[no-untyped-def]
    app = create_app(store)
    with app.test_request_context("/", base_url="http://example.org/prefix"):
        path = entity_path("person", key)
        assert path == url_for("entity_pages.entity", kind="person", key=key)
        assert path.startswith("/prefix/id/person/")


@pytest.mark.parametrize("path", ["/id/person/a1", "/id/organisation/cnt", "/id/role/r1"])
def test_embedded_jsonld_is_the_entity_document_without_incoming_links(
    store, client, path: str
) -> None:  # type: ignore[no-untyped-def]
    # the page builds it from the statements describe() read; reading them anew gives the same
    html = _html(client, path)
    embedded = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert embedded == embedded_jsonld(store, BASE + path[1:])
    assert '"@id":"' + BASE + path[1:] + '"' in embedded


def test_a_merged_iri_redirects_to_the_surviving_entity(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/id/person/goldman-emma", headers={"Accept": "text/html"})
    assert response.status_code == 301
    assert response.headers["Location"] == "/id/person/a1"
    assert client.get("/id/person/goldman-emma.ttl").headers["Location"] == "/id/person/a1.ttl"


def test_home_page_says_what_is_in_the_graph(client) -> None:  # type: ignore[no-untyped-def]
    html = _html(client, "/")
    assert '<a href="/browse/person"><strong>63</strong> persons</a>' in html
    assert '<a href="/browse/organisation"><strong>2</strong> organisations</a>' in html
    people = re.search(
        r"Best-connected people</h2>\s*<ol class=\"ranked\">\s*<li>(.*?)</li>", html, re.S
    )
    assert (
        people
        and '<a href="/id/person/a1">Goldman, Emma</a> <span class="count">5 links</span>'
        in people.group(1)
    )
    orgs = re.search(
        r"Best-connected organisations</h2>\s*<ol class=\"ranked\">\s*<li>(.*?)</li>", html, re.S
    )
    assert (
        orgs
        and '<a href="/id/organisation/big">Big Union</a> <span class="count">60 links</span>'
        in orgs.group(1)
    )
    assert 'data-api="/api/search"' in html
    assert re.search(r'<ul class="examples">\s*<li><a href="/sparql\?query=', html)


def _listed(html: str) -> list[str]:
    return (
        re.findall(r'<li><a href="(/id/[^"]+)">', html.split('<ol class="listing"')[1])
        if '<ol class="listing"' in html
        else []
    )


def test_browse_lists_a_kind_by_name(client) -> None:  # type: ignore[no-untyped-def]
    listed = _listed(_html(client, "/browse/person"))
    assert listed[:3] == ["/id/person/hostile", "/id/person/a2", "/id/person/a1"]
    assert len(listed) == 50
    assert len(_listed(_html(client, "/browse/person?page=2"))) == 13


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("/browse/person?organisation=cnt", ["/id/person/a2", "/id/person/a1"]),
        ("/browse/organisation?place=spain", ["/id/organisation/cnt"]),
        ("/browse/event?place=barcelona", ["/id/event/congress-1936"]),
        ("/browse/person?from=1930&to=1935", ["/id/person/a1"]),
        ("/browse/person?to=1868", []),
        ("/browse/organisation?place=spain&from=1900", ["/id/organisation/cnt"]),
        ("/browse/organisation?place=spain&to=1900", []),
    ],
)
def test_browse_facets_live_in_the_url(client, query: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert _listed(_html(client, query)) == expected


def test_browse_keeps_facets_in_its_links(client) -> None:  # type: ignore[no-untyped-def]
    html = _html(client, "/browse/person?organisation=big&from=1900")
    assert (
        '<a href="/browse/person?organisation=big&amp;from=1900&amp;page=2" rel="next"' not in html
    )  # 60 members, 50 a page, but all have no dates
    html = _html(client, "/browse/person?organisation=big")
    assert 'href="/browse/person?organisation=big&amp;page=2">Next</a>' in html
    assert 'href="/browse/family?organisation=big"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("/browse/person?from=abc", 'from "abc" is not a number; expected a year such as 1936'),
        ("/browse/person?page=x", 'page "x" is not a number; expected a page number such as 2'),
        (
            "/browse/person?place=Not%20A%20Key",
            'place "Not A Key" is not a valid key; expected lowercase a-z, 0-9, ".", "_", "-"',
        ),
        (
            "/browse/strike",
            'No browse list for "strike"; expected one of person, family, organisation, place, event, collection, item, work, topic, genre.',
        ),
    ],
)
def test_browse_says_what_is_wrong_with_a_url(client, query: str, message: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(query, headers={"Accept": "text/plain"})
    assert response.status_code in (400, 404)
    assert response.get_data(as_text=True) == message + "\n"


def test_home_page_questions_answer_on_the_data(store) -> None:  # type: ignore[no-untyped-def]
    members = store.select("browse_question_members")
    assert (str(members[0]["name"]), str(members[0]["members"])) == ("Big Union", "60")
    uncertain = store.select("browse_question_uncertain")
    assert [(str(r["name"]), str(r["asWritten"])) for r in uncertain] == [
        ("Goldman, Emma", "ca. 1869")
    ]
    sources = store.select("browse_question_sources")
    assert str(sources[0]["identifier"]) == "ARCH00018"  # the finding aid says the most


def test_overview_is_precomputed_after_ingest_into_the_store_dir(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from labourgraph.graph import after_ingest, overview
    from labourgraph.graph.changeset import ChangeSet

    writable = open_store(tmp_path / "store", writable=True, base=BASE)
    fill(writable)
    assert overview.refresh in after_ingest.steps()
    overview.refresh(
        writable,
        ChangeSet(
            when=datetime.now(UTC), graphs_added=frozenset({IRI(BASE + "id/record/hostile")})
        ),
    )
    writable.close()
    assert (tmp_path / "store" / "overview.json").exists()
    reader = open_store(tmp_path / "store")
    from_file, computed = overview.load(reader), overview.compute(reader)
    assert from_file.counts == computed.counts
    assert from_file.people == computed.people
    assert from_file.organisations[0].entity.label == "Big Union"


def test_the_page_says_which_mentions_were_merged_and_why(client) -> None:  # type: ignore[no-untyped-def]
    html = _html(client, "/id/person/a1")
    assert re.search(
        r"<td>Goldman, Emma<br><code class=\"iri\">https://data.example.org/id/person/goldman-emma</code></td>\s*"
        r"<td>name</td>\s*<td>the same name once case and punctuation are set aside</td>\s*"
        r'<td><a href="/id/record/ead-arch00018">ARCH00018</a></td>',
        html,
    )
    assert "mergedInto" not in html  # the decision is shown on its own, not as a relation
