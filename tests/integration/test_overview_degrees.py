"""The overview's link counts: pairs counted in the store, summed per entity in Python."""

from __future__ import annotations

from labourgraph.graph.overview import degrees_of
from labourgraph.graph.rdf import IRI, BNode, Lit
from labourgraph.graph.store import open_store
from labourgraph.graph.vocab import LG, OWL, RDF, SCHEMA

BASE = "http://example.org/"
ID = f"{BASE}id/"
GOLDMAN = IRI(f"{ID}person/goldman")
BERKMAN = IRI(f"{ID}person/berkman")
FAI = IRI(f"{ID}organisation/fai")
ROLE = IRI(f"{ID}role/r1")
OUTSIDE = IRI("http://www.wikidata.org/entity/Q79969")
UNDESCRIBED = IRI(f"{ID}topic/anarchism")

# the definition, in one SPARQL query: both directions of every link to an entity (a typed IRI)
BY_UNION = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX lg: <https://w3id.org/labourgraph/ontology#>
SELECT ?e (COUNT(*) AS ?degree) WHERE {
  { ?e ?p ?x FILTER EXISTS { ?x a ?t } } UNION { ?x ?p ?e FILTER EXISTS { ?e a ?t } }
  FILTER(?p NOT IN (rdf:type, owl:sameAs, lg:uncertainDate, lg:mergedInto, lg:mergedEntity)
         && isIRI(?x) && isIRI(?e))
  FILTER(STRSTARTS(STR(?e), "http://example.org/id/") && STRSTARTS(STR(?x), "http://example.org/id/"))
}
GROUP BY ?e
"""


def test_pairs_summed_give_the_links_both_ways_of_every_entity() -> None:
    store = open_store(None, base=BASE)
    store.replace_graphs(
        {
            IRI(f"{ID}record/a"): [
                (GOLDMAN, SCHEMA.knows, BERKMAN),
                (GOLDMAN, SCHEMA.memberOf, FAI),
                (GOLDMAN, SCHEMA.memberOf, ROLE),
                (ROLE, SCHEMA.memberOf, FAI),
                (GOLDMAN, SCHEMA.sameAs, GOLDMAN),  # a link to itself counts at both ends
                (GOLDMAN, RDF.type, SCHEMA.Person),
                (BERKMAN, RDF.type, SCHEMA.Person),
                (FAI, RDF.type, SCHEMA.Organization),
                (ROLE, RDF.type, SCHEMA.OrganizationRole),
                (GOLDMAN, SCHEMA.about, UNDESCRIBED),  # nothing says what it is: not a link
                (GOLDMAN, OWL.sameAs, OUTSIDE),
                (GOLDMAN, LG.mergedInto, BERKMAN),
                (GOLDMAN, SCHEMA.name, Lit("Emma Goldman")),
                (BERKMAN, SCHEMA.url, OUTSIDE),
                (GOLDMAN, SCHEMA.about, Lit(str(BERKMAN))),  # a literal, not a link
                (BNode("b1"), SCHEMA.knows, GOLDMAN),  # a blank node is not an entity
            ],
            IRI(f"{ID}record/b"): [(GOLDMAN, SCHEMA.knows, BERKMAN), (BERKMAN, SCHEMA.knows, FAI)],
        }
    )
    summed = degrees_of(store.select_plain("browse_degrees", ("e", "x", "links")), ID)
    reference = {str(row["e"]): int(str(row["degree"])) for row in store.select_text(BY_UNION)}
    assert summed == reference
    # knows Berkman (in both records: once each), FAI, the role, itself (both ends)
    assert summed[str(GOLDMAN)] == 6


def test_degrees_keep_only_pairs_with_both_ends_under_the_prefix() -> None:
    pairs = [
        (str(GOLDMAN), str(BERKMAN), "2"),
        (str(GOLDMAN), str(GOLDMAN), "1"),
        (str(GOLDMAN), str(OUTSIDE), "7"),
        (str(OUTSIDE), str(FAI), "3"),
    ]
    assert degrees_of(pairs, ID) == {str(GOLDMAN): 4, str(BERKMAN): 2}
