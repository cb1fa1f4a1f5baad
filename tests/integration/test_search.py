"""Search on a real store and the real app: ranking, scripts, filters, hostile input, upkeep."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from labourgraph.graph.changeset import ChangeSet
from labourgraph.graph.rdf import IRI, Lit, Triple
from labourgraph.graph.search_upkeep import index_path, rebuild, update
from labourgraph.graph.store import OxigraphStore, open_store
from labourgraph.graph.vocab import RDF, SCHEMA
from labourgraph.web.app import create_app

XSD_YEAR = "http://www.w3.org/2001/XMLSchema#gYear"
TYPES = {
    "person": "Person",
    "organisation": "Organization",
    "topic": "DefinedTerm",
    "collection": "Collection",
    "place": "Place",
}


def entity(
    base: str,
    kind: str,
    key: str,
    names: list[str],
    description: str = "",
    dates: tuple[str, ...] = (),
) -> tuple[IRI, list[Triple]]:
    """An entity as the mappers describe it: type, name, variants, description, dates."""
    iri = IRI(f"{base}id/{kind}/{key}")
    triples: list[Triple] = [
        (iri, RDF.type, SCHEMA[TYPES[kind]]),
        (iri, SCHEMA.name, Lit(names[0])),
    ]
    triples += [(iri, SCHEMA.alternateName, Lit(n)) for n in names[1:]]
    if description:
        triples.append((iri, SCHEMA.description, Lit(description, lang="en")))
    for prop, value in zip(("birthDate", "deathDate"), dates, strict=False):
        triples.append((iri, SCHEMA[prop], Lit(value, datatype=XSD_YEAR)))
    return iri, triples


def corpus(base: str) -> dict[IRI, list[Triple]]:
    """Record graphs with the people and organisations the search must tell apart."""
    trotsky, t1 = entity(
        base,
        "person",
        "lg-trotsky",
        [
            "Trotsky, Leon, 1879-1940",
            "Троцкий, Лев Давидович",
            "Trockij, Lev",
            "Trotzki, Leo",
            "ليون تروتسكي",
        ],
        "Russian revolutionary, founder of the Red Army.",
        ("1879", "1940"),
    )
    emma, t2 = entity(
        base,
        "person",
        "lg-goldman-emma",
        ["Goldman, Emma", "Гольдман, Эмма"],
        "Anarchist writer and lecturer.",
        ("1869", "1940"),
    )
    _, t3 = entity(base, "person", "goldman-eric", ["Goldman, Eric"], "", ("1915", "1989"))
    cnt, t4 = entity(
        base,
        "organisation",
        "lg-cnt",
        ["Confederación Nacional del Trabajo (Spain)", "Confederacion Nacional del Trabajo"],
        "Spanish anarcho-syndicalist trade union confederation.",
    )
    _, t5 = entity(
        base, "organisation", "centrale-nationale", ["Centrale Nationale des Travailleurs"]
    )
    _, t6 = entity(base, "topic", "trotskyism", ["Trotskyism"])
    papers, t7 = entity(base, "collection", "arch00500", ["Emma Goldman Papers"])
    _, t8 = entity(base, "person", "hostile", ["<script>alert(1)</script>"], "<b>bold</b>")
    t7 += [
        (papers, SCHEMA.creator, emma),
        (papers, SCHEMA.about, cnt),
        (papers, SCHEMA.about, trotsky),
    ]
    graphs = [t1, t2, t3, t4, t5, t6, t7, t8]
    return {IRI(f"{base}id/record/r{n}"): g for n, g in enumerate(graphs, start=1)}


@pytest.fixture
def store() -> OxigraphStore:
    """An in-memory store holding the corpus above."""
    memory = open_store(None)
    memory.replace_graphs(corpus(memory.base))
    return memory


@pytest.fixture
def client(store: OxigraphStore) -> Iterator[FlaskClient]:
    """The real app on that store."""
    yield create_app(store).test_client()


def labels(client: FlaskClient, query: str, **params: str) -> list[str]:
    """The labels /api/search answers, best first."""
    response = client.get("/api/search", query_string={"q": query, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    return [r["label"] for r in response.get_json()["results"]]


@pytest.mark.parametrize(
    "query",
    [
        "trotsky",
        "Trockij",
        "Троцкий",
        "Trotzki",
        "Trotskii",
        "tro",
        "leon trotsky",
        "Lev Trotsky",
        "ليون تروتسكي",
    ],
)
def test_every_spelling_finds_trotsky_first(client: FlaskClient, query: str) -> None:
    assert labels(client, query)[0] == "Trotsky, Leon, 1879-1940"


@pytest.mark.parametrize(
    "query", ["cnt", "CNT", "C.N.T.", "confederacion", "Confederación Nacional"]
)
def test_cnt_finds_the_confederacion_first(client: FlaskClient, query: str) -> None:
    assert labels(client, query)[0] == "Confederación Nacional del Trabajo (Spain)"


@pytest.mark.parametrize(
    "query", ["goldman", "Goldman", "gold", "Emma Goldman", "Goldman, Emma", "гольдман"]
)
def test_goldman_finds_emma_goldman_first(client: FlaskClient, query: str) -> None:
    assert labels(client, query)[0] == "Goldman, Emma"


def test_the_api_answers_canonical_iris_labels_kinds_and_descriptions(
    client: FlaskClient, store: OxigraphStore
) -> None:
    first = client.get("/api/search?q=goldman").get_json()["results"][0]
    assert first == {
        "iri": f"{store.base}id/person/lg-goldman-emma",
        "label": "Goldman, Emma",
        "kind": "person",
        "description": "Anarchist writer and lecturer.",
        "url": "/id/person/lg-goldman-emma",
    }


def test_descriptions_are_searched_after_names(client: FlaskClient) -> None:
    assert labels(client, "syndicalist") == ["Confederación Nacional del Trabajo (Spain)"]
    assert labels(client, "anarchist")[:1] == ["Goldman, Emma"]


def test_filter_by_kind(client: FlaskClient) -> None:
    assert labels(client, "goldman", kind="collection") == ["Emma Goldman Papers"]
    assert "Trotskyism" not in labels(client, "trotsky", kind="person")


def test_filter_by_date_range_keeps_entities_active_then(client: FlaskClient) -> None:
    assert labels(client, "goldman", **{"from": "1950", "to": "1960"}) == ["Goldman, Eric"]
    assert labels(client, "goldman", **{"from": "1870"})[:2] == ["Goldman, Emma", "Goldman, Eric"]
    assert labels(client, "goldman", to="1900") == ["Goldman, Emma"]


def test_bad_filters_are_400_with_what_was_expected(client: FlaskClient) -> None:
    response = client.get("/api/search?q=x&kind=strike")
    assert response.status_code == 400
    assert response.get_data(as_text=True) == (
        'kind="strike" is not a kind of entity; expected one of: collection, event, family, genre, '
        "item, organisation, person, place, topic, work.\n"
    )
    response = client.get("/api/search?q=x&from=ca.1900")
    assert response.status_code == 400
    assert response.get_data(as_text=True) == (
        'from="ca.1900" is not a year; expected a year such as 1917.\n'
    )


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"unbalanced',
        "NEAR(a b",
        "a AND OR NOT",
        "*",
        "col:umn",
        "^x",
        "'; DROP TABLE entity; --",
        "",
        "   ",
        "\x00",
        "x" * 5000,
    ],
)
def test_hostile_queries_neither_fail_nor_match_everything(client: FlaskClient, query: str) -> None:
    response = client.get("/api/search", query_string={"q": query})
    assert response.status_code == 200
    assert len(response.get_json()["results"]) <= 1


def test_hostile_labels_and_queries_are_escaped_on_the_page(client: FlaskClient) -> None:
    page = client.get("/search", query_string={"q": "<script>alert(1)</script>"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_the_page_lists_results_with_paths_kinds_and_years(client: FlaskClient) -> None:
    html = client.get("/search?q=goldman&kind=person").get_data(as_text=True)
    assert '<a href="/id/person/lg-goldman-emma">Goldman, Emma</a>' in html
    assert "1869\u20131940" in html
    assert '<option value="person" selected>' in html
    assert "Emma Goldman Papers" not in html


def test_the_page_says_when_nothing_was_found(client: FlaskClient) -> None:
    html = client.get("/search?q=zzzzqqq").get_data(as_text=True)
    assert "Nothing found for “zzzzqqq”" in html


def test_an_in_memory_index_follows_the_store(store: OxigraphStore, client: FlaskClient) -> None:
    assert labels(client, "kropotkin") == []
    _, triples = entity(
        store.base, "person", "lg-kropotkin", ["Kropotkin, Pjotr", "Кропоткин, Пётр"]
    )
    store.replace_graphs({IRI(f"{store.base}id/record/r99"): triples})
    store.publish()  # a new generation: the app's index is rebuilt at the next search
    assert labels(client, "kropotkin") == ["Kropotkin, Pjotr"]


def test_a_store_directory_keeps_its_index_up_to_date_after_an_ingest(tmp_path: Path) -> None:
    disk = open_store(tmp_path / "store", writable=True)
    disk.replace_graphs(corpus(disk.base))
    disk.publish()
    rebuild(disk).close()
    assert index_path(disk) == tmp_path / "store" / "search.sqlite"
    reader = create_app(open_store(tmp_path / "store")).test_client()
    assert labels(reader, "kropotkin") == []
    kropotkin, triples = entity(disk.base, "person", "lg-kropotkin", ["Kropotkin, Pjotr"])
    disk.replace_graphs({IRI(f"{disk.base}id/record/r99"): triples})
    disk.publish()
    # one entity in nine: updated in place, entity by entity
    update(disk, ChangeSet(datetime.now(UTC), entities_added=frozenset({kropotkin})))
    assert labels(reader, "kropotkin") == ["Kropotkin, Pjotr"]
    disk.replace_graphs({}, drop=[IRI(f"{disk.base}id/record/r2")])
    disk.publish()
    emma = IRI(f"{disk.base}id/person/lg-goldman-emma")
    update(disk, ChangeSet(datetime.now(UTC), entities_removed=frozenset({emma})))
    assert "Goldman, Emma" not in labels(reader, "goldman")


def test_a_store_directory_without_an_index_says_how_to_build_one(tmp_path: Path) -> None:
    disk = open_store(tmp_path / "store", writable=True)
    disk.replace_graphs(corpus(disk.base))
    disk.publish()
    response = create_app(open_store(tmp_path / "store")).test_client().get("/api/search?q=x")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == (
        f"{tmp_path / 'store' / 'search.sqlite'} is missing: the search index is written by "
        "`labourgraph ingest`; run it again to build the index\n"
    )


def test_an_index_of_an_older_format_is_refused_then_rebuilt_by_the_next_ingest(
    tmp_path: Path,
) -> None:
    disk = open_store(tmp_path / "store", writable=True)
    disk.replace_graphs(corpus(disk.base))
    disk.publish()
    path = tmp_path / "store" / "search.sqlite"
    with sqlite3.connect(path) as old:  # the first format: no rank in the key rows
        old.execute(
            "CREATE TABLE name_key (key TEXT, entity INTEGER, weight INTEGER, whole INTEGER)"
        )
    old.close()
    reader = create_app(open_store(tmp_path / "store")).test_client()
    response = reader.get("/api/search?q=goldman")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == (
        f"{path} is in format 0, not 2: it was written by an older labourgraph; run "
        "`labourgraph ingest` again to rebuild the index\n"
    )
    update(disk, ChangeSet(datetime.now(UTC)))  # an ingest that changed nothing
    assert labels(reader, "goldman")[0] == "Goldman, Emma"
