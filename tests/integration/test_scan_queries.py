"""The after-ingest scans (change log, VoID, overview) read what the slower queries they replaced
read, on a graph holding the awkward cases: blank and look-alike literal nodes, keys and kinds
that are not ours, nested collections, a statement two records make, names to choose from."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from labourgraph.graph.harvest_index import ITEM_KINDS, StoreIndex, scan_store
from labourgraph.graph.iris import IRIError, Kind, parse
from labourgraph.graph.oai_formats import keep_record_xml
from labourgraph.graph.overview import compute
from labourgraph.graph.rdf import IRI, BNode, Lit, Triple
from labourgraph.graph.store import GraphStore, open_store
from labourgraph.graph.vocab import LG, OWL, RDF, RICO, SCHEMA
from labourgraph.graph.void import _statistics, dataset_iri

BASE = "http://example.org/"
ID = f"{BASE}id/"
C1, C2, C3 = (IRI(f"{ID}collection/{k}") for k in ("c1", "c2", "c3"))
P, P2, GHOST = (IRI(f"{ID}person/{k}") for k in ("p", "p2", "ghost"))
ORG, ITEM, ROLE = IRI(f"{ID}organisation/o"), IRI(f"{ID}item/i1"), IRI(f"{ID}role/r1")
PLACE = IRI(f"{ID}place/amsterdam")
REC_A, REC_B, REC_C = (IRI(f"{ID}record/{k}") for k in ("a", "b", "c"))

# the queries these scans replaced, with their bindings written in
OLD_ITEMS = f"""SELECT DISTINCT ?item WHERE {{
  ?item a ?type . FILTER(isIRI(?item) && STRSTARTS(STR(?item), "{ID}")) }}"""
OLD_HOLDINGS = f"""PREFIX schema: <https://schema.org/>
PREFIX rico: <https://www.ica.org/standards/RiC/ontology#>
SELECT DISTINCT ?collection ?item WHERE {{
  {{ ?item (schema:isPartOf|rico:isOrWasIncludedIn|^schema:hasPart|^rico:includesOrIncluded)+
     ?collection . }}
  UNION {{ ?collection schema:creator|schema:about ?item . }}
  FILTER(isIRI(?item) && STRSTARTS(STR(?collection), "{ID}collection/")) }}"""
OLD_NAMES = f"""PREFIX schema: <https://schema.org/>
SELECT ?collection ?name WHERE {{
  ?collection schema:name ?name . FILTER(STRSTARTS(STR(?collection), "{ID}collection/")) }}"""
OLD_RECORDS = f"""PREFIX lg: <https://w3id.org/labourgraph/ontology#>
SELECT DISTINCT ?item ?record ?format WHERE {{
  GRAPH ?record {{ ?item a ?type . ?record lg:recordFormat ?format . }}
  FILTER(STRSTARTS(STR(?item), "{ID}collection/") && STR(?format) IN ("marcxml", "ead")) }}"""
OLD_VOID_COUNTS = """SELECT ?triples ?subjects ?entities WHERE {
  { SELECT (COUNT(*) AS ?triples) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } }
  { SELECT (COUNT(DISTINCT ?s) AS ?subjects) WHERE { ?s ?p ?o } }
  { SELECT (COUNT(DISTINCT ?e) AS ?entities) WHERE { ?e a ?c . FILTER(isIRI(?e)) } } }"""
OLD_VOID_LINKS = f"""PREFIX schema: <https://schema.org/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?target ?predicate (COUNT(*) AS ?links) WHERE {{
  ?s ?predicate ?o .
  FILTER(?predicate IN (schema:sameAs, owl:sameAs) && isIRI(?o) && !STRSTARTS(STR(?o), "{BASE}"))
  BIND(REPLACE(STR(?o), "^(https?://[^/]+/).*$", "$1") AS ?target) }}
GROUP BY ?target ?predicate ORDER BY DESC(?links) ?target"""
OLD_KIND_COUNTS = f"""SELECT ?kind (COUNT(DISTINCT ?e) AS ?n) WHERE {{
  ?e a ?type . FILTER(STRSTARTS(STR(?e), "{ID}"))
  BIND(STRBEFORE(STRAFTER(STR(?e), "{ID}"), "/") AS ?kind) }} GROUP BY ?kind"""


def graphs() -> dict[IRI, list[Triple]]:
    """Three record graphs with every case the scans must tell apart."""
    a: list[Triple] = [
        (REC_A, RDF.type, LG.SourceRecord),
        (REC_A, LG.recordFormat, Lit("ead")),
        (C1, RDF.type, RICO.RecordSet),
        (C1, SCHEMA.name, Lit("Zeta papers")),
        (C1, SCHEMA.name, Lit("Alpha papers")),
        (C1, SCHEMA.creator, P),
        (C1, SCHEMA.about, Lit(str(P2))),  # a literal that reads like an item's IRI
        (C2, RDF.type, RICO.RecordSet),
        (C2, SCHEMA.isPartOf, C1),
        (C2, SCHEMA.about, ORG),
        (ITEM, RDF.type, SCHEMA.CreativeWork),
        (ITEM, SCHEMA.isPartOf, C2),
        (P, RDF.type, SCHEMA.Person),
        (P, SCHEMA.knows, GHOST),  # an entity IRI nothing gives a type
        (P, SCHEMA.sameAs, IRI("http://www.wikidata.org/entity/Q1")),
        (P, OWL.sameAs, IRI("http://viaf.org/viaf/1")),
        (P, SCHEMA.sameAs, IRI(f"{BASE}id/person/p2")),  # ours, not a link out
        (P, SCHEMA.sameAs, Lit("http://www.wikidata.org/entity/Q2")),
        (P2, RDF.type, SCHEMA.Person),
        (ROLE, RDF.type, SCHEMA.OrganizationRole),
        (BNode("b1"), RDF.type, SCHEMA.Person),
        (IRI(f"{ID}person/Bad_Key"), RDF.type, SCHEMA.Person),
        (IRI(f"{ID}weird"), RDF.type, SCHEMA.Thing),
        (IRI(f"{ID}thing/x"), RDF.type, SCHEMA.Thing),
        (IRI("http://other.example/x"), RDF.type, SCHEMA.Thing),
        (C3, SCHEMA.name, Lit("Untyped papers")),  # a collection that is not an item
    ]
    b: list[Triple] = [
        (REC_B, RDF.type, LG.SourceRecord),
        (REC_B, LG.recordFormat, Lit("marcxml")),
        (C2, RDF.type, RICO.RecordSet),
        (ITEM, RDF.type, SCHEMA.CreativeWork),
        (P, RDF.type, SCHEMA.Person),  # the same statement as in record a
        (ORG, RDF.type, SCHEMA.Organization),
        (PLACE, RDF.type, SCHEMA.Place),
        (ORG, SCHEMA.location, PLACE),
    ]
    c: list[Triple] = [
        (REC_C, RDF.type, LG.SourceRecord),
        (REC_C, LG.recordFormat, Lit("eac")),
        (C1, RDF.type, RICO.RecordSet),
    ]
    return {REC_A: a, REC_B: b, REC_C: c}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    root: Path = tmp_path_factory.mktemp("scan-store")
    opened = open_store(root, writable=True, base=BASE)
    opened.replace_graphs(graphs())
    for record in (REC_A, REC_B, REC_C):
        keep_record_xml(root, BASE, record, b"<record/>")
    return opened


def old_scan(store: GraphStore) -> StoreIndex:
    """The item scan as it was: prefixes tested in SPARQL on every statement."""
    index = StoreIndex()
    for row in store.select_text(OLD_ITEMS):
        try:
            kind, _ = parse(BASE, row["item"])
        except IRIError:
            continue
        if kind in ITEM_KINDS:
            index.items[str(row["item"])] = kind.value
            index.sets[str(row["item"])].add(f"kind:{kind.value}")
    for row in store.select_text(OLD_HOLDINGS):
        item, collection = str(row["item"]), str(row["collection"])
        if item in index.items and collection in index.items:
            key = f"collection:{parse(BASE, collection)[1]}"
            index.sets[item].add(key)
            index.sets[collection].add(key)
    names: dict[str, list[str]] = defaultdict(list)
    for row in store.select_text(OLD_NAMES):
        names[f"collection:{parse(BASE, row['collection'])[1]}"].append(str(row["name"]))
    index.set_names = {spec: min(found) for spec, found in names.items()}
    for row in store.select_text(OLD_RECORDS):
        if str(row["item"]) in index.items:
            index.formats[str(row["item"])][str(row["format"])] = str(row["record"])
    return index


def test_the_item_scan_finds_what_the_statement_by_statement_scan_found(
    store: GraphStore,
) -> None:
    old, new = old_scan(store), scan_store(store, [C3])
    assert new.items == old.items
    assert dict(new.sets) == dict(old.sets)
    assert dict(new.formats) == dict(old.formats)
    # names are read for the collections a set can name: the items', and those the log has
    assert new.set_names == old.set_names
    assert new.set_names["collection:c1"] == "Alpha papers"
    assert new.sets[ITEM] == {"kind:item", "collection:c1", "collection:c2"}
    assert P2 not in {i for i, s in new.sets.items() if "collection:c1" in s}
    assert new.formats == {C1: {"ead": REC_A}, C2: {"ead": REC_A, "marcxml": REC_B}}


def test_without_logged_sets_only_the_items_collections_are_named(store: GraphStore) -> None:
    assert scan_store(store).set_names == {"collection:c1": "Alpha papers"}


def test_void_statistics_count_what_the_three_scans_counted(store: GraphStore) -> None:
    ds = dataset_iri(BASE)
    stats = {(p, o) for s, p, o in _statistics(store, ds) if s == ds}
    old = store.select_text(OLD_VOID_COUNTS)[0]
    counts = {str(p).rsplit("#", 1)[1]: str(o) for p, o in stats if isinstance(o, Lit)}
    assert counts == {
        "triples": str(old["triples"]),
        "entities": str(old["entities"]),
        "distinctSubjects": str(old["subjects"]),
    }
    assert counts["entities"] == "15"  # typed IRIs: the blank node is not one
    about: dict[str, dict[str, str]] = defaultdict(dict)
    for s, p, o in _statistics(store, ds):
        if "-links-" in s:
            about[s][str(p).rsplit("#", 1)[1]] = str(o)
    links = {(d["objectsTarget"], d["linkPredicate"], d["triples"]) for d in about.values()}
    old_links = {
        (str(r["target"]), str(r["predicate"]), str(r["links"]))
        for r in store.select_text(OLD_VOID_LINKS)
    }
    assert links == old_links
    assert {target for target, _, _ in links} == {"http://www.wikidata.org/", "http://viaf.org/"}


def test_the_overview_counts_kinds_as_the_kind_scan_did(store: GraphStore) -> None:
    known = {k.value for k in Kind} - {Kind.ROLE.value}
    old = {str(r["kind"]): int(str(r["n"])) for r in store.select_text(OLD_KIND_COUNTS)}
    expected = sorted(((k, n) for k, n in old.items() if k in known), key=lambda c: (-c[1], c[0]))
    assert list(compute(store).counts) == expected
    assert dict(expected)["person"] == 3  # p, p2 and the badly keyed one; not the blank node
