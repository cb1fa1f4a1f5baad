"""Every lg: term the code may use is declared in ontology/labour.ttl, and nothing more."""

from __future__ import annotations

from pathlib import Path

import rdflib
from labourgraph.graph.vocab import LG, LG_NAMESPACE, LG_TERMS
from rdflib.namespace import RDFS, SKOS

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology" / "labour.ttl"
ALIGNMENTS = (RDFS.subClassOf, RDFS.subPropertyOf, SKOS.closeMatch, SKOS.exactMatch)


def _declared() -> tuple[rdflib.Graph, set[str]]:
    graph = rdflib.Graph().parse(ONTOLOGY)
    terms = {
        str(s)[len(LG_NAMESPACE) :]
        for s in graph.subjects()
        if isinstance(s, rdflib.URIRef) and str(s).startswith(LG_NAMESPACE)
    }
    return graph, terms


def test_lg_terms_and_ontology_agree_both_ways() -> None:
    _, declared = _declared()
    assert sorted(LG_TERMS - declared) == [], "in LG_TERMS but not declared in labour.ttl"
    assert sorted(declared - LG_TERMS) == [], "declared in labour.ttl but not in LG_TERMS"


def test_every_term_has_label_comment_and_alignment() -> None:
    graph, declared = _declared()
    missing = []
    for name in sorted(declared):
        term = rdflib.URIRef(LG_NAMESPACE + name)
        for what, predicates in (
            ("label", (RDFS.label,)),
            ("comment", (RDFS.comment,)),
            ("alignment", ALIGNMENTS),
        ):
            if not any(graph.value(term, p) is not None for p in predicates):
                missing.append(f"lg:{name} has no {what}")
    assert missing == []


def test_closed_namespace_refuses_unknown_terms() -> None:
    try:
        LG.notATerm  # noqa: B018
    except AttributeError as error:
        assert str(error) == f"notATerm is not a term of {LG_NAMESPACE}"
    else:
        raise AssertionError("LG.notATerm should raise AttributeError")
