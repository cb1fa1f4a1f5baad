# ruff: noqa: RUF001  (the en dashes the pages print, on purpose)
"""How entity pages read the store with few index seeks, checked against what the page shows.

The roles an entity holds come from its document, the roles others hold from one query;
collections are walked up from the incoming links the page read (and must equal the one-query
answer); incoming links are counted first, and merge decisions read when the counts show some.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from labourgraph.graph.entity_collections import NAMING, collection_iris
from labourgraph.graph.entity_relations import PageReader
from labourgraph.graph.rdf import IRI, Triple
from labourgraph.graph.store import OxigraphStore, open_store
from labourgraph.graph.vocab import SCHEMA
from labourgraph.web.app import create_app
from support import turtle_triples

BASE = "https://data.example.org/"
PREFIXES = """
@prefix schema: <https://schema.org/> .
@prefix lg: <https://w3id.org/labourgraph/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://data.example.org/id/> .
"""
RECORDS = {
    "rocker": """
id:record\\/rocker lg:recordFormat "eac-cpf" ; schema:identifier "NL-AMISG-7" .
id:person\\/rocker a schema:Person ; schema:name "Rocker, Rudolf" ; schema:memberOf id:role\\/r7 .
id:role\\/r7 a schema:OrganizationRole ; schema:memberOf id:organisation\\/fau ;
  schema:roleName id:topic\\/secretary ;
  schema:startDate "1919"^^xsd:gYear ; schema:endDate "1932"^^xsd:gYear ;
  lg:uncertainDate <https://data.example.org/id/record/rocker#date-1> .
<https://data.example.org/id/record/rocker#date-1> lg:qualifiesProperty schema:startDate ;
  lg:originalText "about 1919" .
""",
    "fau": """
id:record\\/fau lg:recordFormat "eac-cpf" ; schema:identifier "NL-AMISG-8" .
id:organisation\\/fau a schema:Organization ; schema:name "Freie Arbeiter-Union Deutschlands" .
id:topic\\/secretary a schema:DefinedTerm ; schema:name "Secretary"@en .
""",
    "ead-arch01234": """
id:record\\/ead-arch01234 lg:recordFormat "ead" ; schema:identifier "ARCH01234" .
id:collection\\/arch01234 a schema:Collection ; schema:name "Rudolf Rocker Papers" .
id:item\\/arch01234-series a schema:CreativeWork ; schema:name "Correspondence" ;
  schema:isPartOf id:collection\\/arch01234 .
id:item\\/arch01234-1 a schema:CreativeWork ; schema:name "Letters to Milly Witkop" ;
  schema:isPartOf id:item\\/arch01234-series ; schema:about id:person\\/rocker ;
  schema:mentions id:organisation\\/fau .
""",
}
READERS = 60  # more incoming links than a page reads in one go


def _triples(turtle: str) -> list[Triple]:
    return turtle_triples(PREFIXES + turtle)


def _readers() -> str:
    """Many people who mention the FAU, and one merge decision into it."""
    people = "".join(
        f'id:person\\/reader{n} schema:name "Reader {n}" ;'
        " schema:knowsAbout id:organisation\\/fau .\n"
        for n in range(READERS)
    )
    return people + (
        "<https://data.example.org/id/reconciliation#merge-9> lg:mergedInto id:organisation\\/fau ;"
        ' lg:heading "F.A.U.D." ; lg:mergeRule "initials" ; lg:evidence "the same initials" .\n'
    )


@pytest.fixture(scope="module")
def store() -> Iterator[OxigraphStore]:
    s = open_store(None, base=BASE)
    records = {**RECORDS, "readers": _readers()}
    s.replace_graphs({IRI(f"{BASE}id/record/{k}"): _triples(t) for k, t in records.items()})
    s.publish()
    yield s
    s.close()


def _html(store: OxigraphStore, path: str) -> str:
    response = create_app(store).test_client().get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("page", "other_side"),
    [
        (
            "/id/person/rocker",
            '<a href="/id/organisation/fau">Freie Arbeiter-Union Deutschlands</a>',
        ),
        ("/id/organisation/fau", '<a href="/id/person/rocker">Rocker, Rudolf</a>'),
    ],
    ids=["the role the person holds", "the role others hold, from the organisation"],
)
def test_a_role_shows_its_dates_as_written_and_its_named_role_from_both_sides(
    store: OxigraphStore, page: str, other_side: str
) -> None:
    html = _html(store, page)
    assert re.search(
        re.escape(other_side) + r".*?"
        r"<td>Secretary</td>\s*<td>about 1919–1932</td>\s*"
        r'<td><a href="/id/record/rocker">NL-AMISG-7</a></td>',
        html,
        re.S,
    )


def test_collections_are_found_through_parts_at_any_depth(store) -> None:  # type: ignore[no-untyped-def]
    html = _html(store, "/id/person/rocker")
    assert '<li><a href="/id/collection/arch01234">Rudolf Rocker Papers</a></li>' in html


@pytest.mark.parametrize(
    "key", ["person/rocker", "organisation/fau", "item/arch01234-series", "collection/arch01234"]
)
def test_the_walk_up_from_incoming_links_equals_the_one_query_answer(store, key: str) -> None:  # type: ignore[no-untyped-def]
    entity = IRI(f"{BASE}id/{key}")
    reader = PageReader(store, entity, None, 25)
    reader.incoming()
    walked = collection_iris(store, entity, reader.all_incoming)
    assert walked == collection_iris(store, entity, None)
    holds = key in ("person/rocker", "organisation/fau")  # an item about or mentioning them
    assert walked == ({f"{BASE}id/collection/arch01234"} if holds else set())


def test_a_paged_entity_walks_up_from_its_naming_links_when_the_page_holds_them_all(store) -> None:  # type: ignore[no-untyped-def]
    entity = IRI(f"{BASE}id/organisation/fau")
    reader = PageReader(store, entity, None, 25)
    reader.incoming()
    assert reader.all_incoming is None
    naming = reader.read_whole(NAMING)
    assert naming == [
        (str(SCHEMA.mentions), f"{BASE}id/item/arch01234-1", f"{BASE}id/record/ead-arch01234")
    ]
    walked = collection_iris(store, entity, naming, naming_only=True)
    assert walked == collection_iris(store, entity, None) == {f"{BASE}id/collection/arch01234"}
    # more links by a property than one page holds: the page has not read them whole
    assert reader.read_whole(frozenset({str(SCHEMA.knowsAbout)})) is None


def test_an_entity_with_many_incoming_links_is_paged_and_shows_its_merges(store) -> None:  # type: ignore[no-untyped-def]
    reader = PageReader(store, IRI(f"{BASE}id/organisation/fau"), None, 25)
    pages = reader.incoming()
    assert reader.all_incoming is None and reader.merged
    assert {(p.property, p.total, len(p.edges)) for p in pages} == {
        ("https://schema.org/knowsAbout", READERS, 25),
        ("https://schema.org/memberOf", 1, 1),
        ("https://schema.org/mentions", 1, 1),
    }
    html = _html(store, "/id/organisation/fau")
    assert "<td>F.A.U.D.</td>" in html
    assert '<li><a href="/id/collection/arch01234">Rudolf Rocker Papers</a></li>' in html


def test_an_entity_with_few_incoming_links_reads_them_all_and_knows_it_has_no_merges(store) -> None:  # type: ignore[no-untyped-def]
    reader = PageReader(store, IRI(f"{BASE}id/person/rocker"), None, 25)
    reader.incoming()
    assert reader.merged is False
    assert reader.all_incoming == [
        ("https://schema.org/about", f"{BASE}id/item/arch01234-1", f"{BASE}id/record/ead-arch01234")
    ]
