"""Link labels kept in the search index: pages read them for the store's generation only, and
show exactly what the store's names would give them."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from labourgraph.graph import entities
from labourgraph.graph.changeset import ChangeSet
from labourgraph.graph.entity_relations import link_to
from labourgraph.graph.entity_rows import Link
from labourgraph.graph.ingest import ingest_paths
from labourgraph.graph.iris import IRIError, parse
from labourgraph.graph.link_labels import link_label, table_usable
from labourgraph.graph.rdf import IRI, Lit, Term, Triple
from labourgraph.graph.search_index import SearchIndex
from labourgraph.graph.search_upkeep import index_path, rebuild, update
from labourgraph.graph.store import OxigraphStore, open_store
from labourgraph.graph.vocab import RDF, SCHEMA
from labourgraph.web.app import create_app
from support import shared_path

NAME, VARIANT, IDENTIFIER = str(SCHEMA.name), str(SCHEMA.alternateName), str(SCHEMA.identifier)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store directory filled by the real ingest of the IISH fixtures (index included)."""
    root = tmp_path_factory.mktemp("linklabels") / "store"
    ingest_paths(open_store(root, writable=True), [shared_path("fixtures", "iish")])
    return root


def entity_iris(store: OxigraphStore) -> list[str]:
    """Every entity and record the store describes."""
    rows = store.select_text(
        "SELECT DISTINCT ?e WHERE { GRAPH ?g { ?e ?p ?o } "
        f'FILTER(isIRI(?e) && STRSTARTS(STR(?e), "{store.base}id/")) }}'
    )
    return sorted(str(r["e"]) for r in rows)


@pytest.mark.parametrize(
    ("said", "label"),
    [
        ([(NAME, Lit("Goldman, Emma"))], "Goldman, Emma"),
        (
            [(NAME, Lit("Goldman, Emma, 1869-1940")), (NAME, Lit("Goldman, Emma"))],
            "Goldman, Emma",
        ),
        ([(NAME, Lit("Гольдман", "ru")), (VARIANT, Lit("Goldman, E."))], "Гольдман"),
        ([(VARIANT, Lit("Goldman, E.")), (IDENTIFIER, Lit("10622/ARCH00018"))], "Goldman, E."),
        ([(IDENTIFIER, Lit("10622/ARCH00018"))], "10622/ARCH00018"),
        ([], "r42"),
    ],
)
def test_a_link_label_is_a_name_else_a_variant_or_identifier_else_the_key(
    said: list[tuple[str, Term]], label: str
) -> None:
    assert link_label("http://example.org/id/record/r42", said) == label


def test_pages_with_the_table_are_the_pages_without_it(ingested: Path, tmp_path: Path) -> None:
    store = open_store(ingested)
    table = SearchIndex.connect(index_path(store)).labels()
    iris = entity_iris(store)
    held = table.lookup(iris, store.generation)
    assert len(held) > len(iris) // 2, "the ingest wrote too few link labels"
    for iri in iris:
        assert entities.describe(store, iri, labels=table) == entities.describe(store, iri), iri
    # and over HTTP: the same bytes once the index (and so the table) is gone
    client = create_app(store).test_client()
    paths = ["/" + iri[len(store.base) :] for iri in iris[::7]]
    with_table = {p: client.get(p, headers={"Accept": "text/html"}).data for p in paths}
    copy = tmp_path / "store"
    shutil.copytree(ingested, copy)
    (copy / "search.sqlite").unlink()
    without = create_app(open_store(copy)).test_client()
    for path in paths:
        assert without.get(path, headers={"Accept": "text/html"}).data == with_table[path], path


def small_store(root: Path) -> tuple[OxigraphStore, IRI]:
    """A store directory with one organisation and a person who is its member, indexed."""
    disk = open_store(root, writable=True)
    org, person = IRI(f"{disk.base}id/organisation/o1"), IRI(f"{disk.base}id/person/p1")
    triples: list[Triple] = [
        (org, RDF.type, SCHEMA.Organization),
        (org, SCHEMA.name, Lit("Confederación Nacional del Trabajo")),
        (person, RDF.type, SCHEMA.Person),
        (person, SCHEMA.name, Lit("Durruti, Buenaventura")),
        (person, SCHEMA.memberOf, org),
    ]
    for n in range(12):  # others, so that an ingest touching one or two updates the index in place
        other = IRI(f"{disk.base}id/person/x{n}")
        triples += [(other, RDF.type, SCHEMA.Person), (other, SCHEMA.name, Lit(f"Other {n}"))]
    disk.replace_graphs({IRI(f"{disk.base}id/record/r1"): triples})
    disk.publish()
    rebuild(disk).close()
    return disk, person


def page(root: Path, path: str) -> str:
    """The HTML of one page, from an app on the published snapshot."""
    client = create_app(open_store(root)).test_client()
    return client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)


def test_pages_take_labels_of_their_own_generation_only(tmp_path: Path) -> None:
    disk, _ = small_store(tmp_path / "store")
    org = f"{disk.base}id/organisation/o1"
    # a label only the table has shows that pages read it, while its generation is the store's
    with sqlite3.connect(tmp_path / "store" / "search.sqlite") as db:
        db.execute("UPDATE link_label SET label = 'CNT (from the table)' WHERE iri = ?", (org,))
    db.close()
    assert "CNT (from the table)" in page(tmp_path / "store", "/id/person/p1")
    disk.publish()  # a new generation the table was not read from: the store names the link
    text = page(tmp_path / "store", "/id/person/p1")
    assert "CNT (from the table)" not in text
    assert "Confederación Nacional del Trabajo" in text


def test_an_ingest_updates_the_labels_and_their_generation(tmp_path: Path) -> None:
    disk, person = small_store(tmp_path / "store")
    org = IRI(f"{disk.base}id/organisation/o1")
    renamed: list[Triple] = [
        (org, RDF.type, SCHEMA.Organization),
        (org, SCHEMA.name, Lit("CNT", "en")),  # English before untagged: the new label
        (IRI(f"{disk.base}id/record/r2"), SCHEMA.identifier, Lit("10622/R2")),
    ]
    disk.replace_graphs({IRI(f"{disk.base}id/record/r2"): renamed})
    disk.publish()
    record = IRI(f"{disk.base}id/record/r2")
    update(
        disk,
        ChangeSet(
            datetime.now(UTC), graphs_added=frozenset({record}), entities_changed=frozenset({org})
        ),
    )
    table = SearchIndex.connect(tmp_path / "store" / "search.sqlite").labels()
    found = table.lookup([org, record, person], disk.generation)
    assert found == {org: "CNT", record: "10622/R2", person: "Durruti, Buenaventura"}
    assert table.lookup([org], disk.generation - 1) == {}
    table = SearchIndex.connect(tmp_path / "store" / "search.sqlite").labels()
    disk.replace_graphs({}, drop=[record])
    disk.publish()
    update(
        disk,
        ChangeSet(
            datetime.now(UTC), graphs_removed=frozenset({record}), entities_changed=frozenset({org})
        ),
    )
    assert table.lookup([org, record], disk.generation) == {
        org: "Confederación Nacional del Trabajo"
    }


def test_an_index_without_link_labels_leaves_the_names_to_the_store_until_an_ingest(
    tmp_path: Path,
) -> None:
    disk, person = small_store(tmp_path / "store")
    org = f"{disk.base}id/organisation/o1"
    path = tmp_path / "store" / "search.sqlite"
    with sqlite3.connect(path) as db:  # an index written before link labels
        db.execute("DROP TABLE link_label")
        db.execute("DROP TABLE link_label_built")
    db.close()
    old = SearchIndex.connect(path).labels()
    assert (old.built(), old.lookup([org], disk.generation)) == (False, {})
    assert "Confederación Nacional del Trabajo" in page(tmp_path / "store", "/id/person/p1")
    # the next ingest, however small, rebuilds the index with its link labels
    update(disk, ChangeSet(datetime.now(UTC), entities_changed=frozenset({person})))
    rebuilt = SearchIndex.connect(path).labels()
    assert rebuilt.built()
    assert rebuilt.lookup([org], disk.generation) == {org: "Confederación Nacional del Trabajo"}


def test_only_embedded_stores_on_disk_use_the_table(tmp_path: Path) -> None:
    assert not table_usable(open_store(None))
    assert table_usable(small_store(tmp_path / "store")[0])


@pytest.mark.parametrize(
    "iri",
    [
        "http://example.org/id/person/goldman-emma",
        "http://example.org/id/record/marc-10622-arch00018",
        "http://example.org/id/persons/goldman",  # not a kind
        "http://example.org/id/person/Goldman",  # not a key
        "http://example.org/id/person/goldman\n",  # KEY_PATTERN's $ allows one trailing newline
        "http://example.org/id/reconciliation#merge-1",
        "https://elsewhere.org/id/person/goldman",
    ],
)
def test_a_link_has_the_kind_and_key_parse_reads(iri: str) -> None:
    try:
        kind, key = parse("http://example.org/", iri)
        expected = Link(iri, "x", kind.value, key)
    except IRIError:
        expected = Link(iri, "x")
    assert link_to("http://example.org/id/", iri, "x") == expected
