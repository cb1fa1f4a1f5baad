"""The labourgraph vocabulary (``ontology/labour.ttl``) as the ``/ontology`` page shows it."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from .property_labels import curie
from .vocab import LG_NAMESPACE

ONTOLOGY_FILE = Path(__file__).resolve().parent.parent / "ontology" / "labour.ttl"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# how a term relates to schema.org, RiC-O and the rest, in the order the page lists them
ALIGNMENTS = {
    RDFS + "subClassOf": "subclass of",
    RDFS + "subPropertyOf": "subproperty of",
    OWL + "equivalentClass": "equivalent class",
    OWL + "equivalentProperty": "equivalent property",
    SKOS + "exactMatch": "exact match",
    SKOS + "closeMatch": "close match",
    SKOS + "broadMatch": "broader match",
    SKOS + "narrowMatch": "narrower match",
    SKOS + "relatedMatch": "related match",
    RDFS + "seeAlso": "see also",
    RDFS + "domain": "domain",
    RDFS + "range": "range",
}


class OntologyMissingError(FileNotFoundError):
    """``ontology/labour.ttl`` is not there."""


@dataclass(frozen=True)
class Alignment:
    """A statement tying a term to another vocabulary: how, and to what."""

    relation: str
    target: str
    target_label: str


@dataclass(frozen=True)
class Term:
    """One term of the labourgraph namespace."""

    name: str
    iri: str
    kinds: tuple[str, ...]
    label: str
    comment: str
    alignments: tuple[Alignment, ...]


@dataclass(frozen=True)
class Ontology:
    """The vocabulary: its header and its terms, sorted classes first."""

    iri: str
    title: str
    description: str
    version: str
    terms: tuple[Term, ...]


def turtle(path: Path = ONTOLOGY_FILE) -> str:
    """The ontology's Turtle, as written in the repository."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OntologyMissingError(
            f"{path} is missing: the ontology must be part of the package"
        ) from None


@functools.cache
def load(path: Path = ONTOLOGY_FILE) -> Ontology:
    """The ontology's terms (parsed once: the file is read-only at run time)."""
    import rdflib  # local: only this page and the tests need rdflib's Turtle parser

    graph = rdflib.Graph().parse(data=turtle(path), format="turtle")
    header = next(iter(graph.subjects(rdflib.RDF.type, rdflib.OWL.Ontology)), None)
    subjects = {
        s for s in graph.subjects() if str(s).startswith(LG_NAMESPACE) and str(s) != LG_NAMESPACE
    }
    terms = [_term(graph, s) for s in subjects]
    terms.sort(key=lambda t: (not t.name[:1].isupper(), t.name.casefold()))
    return Ontology(
        iri=str(header) if header is not None else LG_NAMESPACE,
        title=_text(graph, header, "http://purl.org/dc/terms/title", RDFS + "label"),
        description=_text(graph, header, "http://purl.org/dc/terms/description", RDFS + "comment"),
        version=_text(graph, header, OWL + "versionInfo"),
        terms=tuple(terms),
    )


def _term(graph, subject) -> Term:  # type: ignore[no-untyped-def]
    import rdflib

    alignments = [
        Alignment(label, str(o), curie(str(o)))
        for prop, label in ALIGNMENTS.items()
        for o in sorted(graph.objects(subject, rdflib.URIRef(prop)), key=str)
        if isinstance(o, rdflib.URIRef)
    ]
    kinds = sorted(curie(str(o)) for o in graph.objects(subject, rdflib.RDF.type))
    return Term(
        str(subject)[len(LG_NAMESPACE) :],
        str(subject),
        tuple(kinds),
        _text(graph, subject, RDFS + "label"),
        _text(graph, subject, RDFS + "comment"),
        tuple(alignments),
    )


def _text(graph, subject, *properties: str) -> str:  # type: ignore[no-untyped-def]
    import rdflib

    if subject is None:
        return ""
    for prop in properties:
        values = list(graph.objects(subject, rdflib.URIRef(prop)))
        english = [v for v in values if getattr(v, "language", None) in (None, "en")]
        if english or values:
            return str(sorted(english or values, key=str)[0])
    return ""
