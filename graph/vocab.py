"""The namespaces and the closed set of ontology terms the code uses.

``LG.someTerm`` raises ``AttributeError`` unless ``someTerm`` is listed here, and
``tests/unit/test_vocab.py`` checks that every listed term is declared in
``ontology/labour.ttl``: a typo can neither mint an undeclared term nor go unnoticed.
"""

from __future__ import annotations

from .rdf import IRI


class Namespace:
    """A namespace whose terms are IRIs; closed when ``terms`` is given."""

    def __init__(self, base: str, terms: frozenset[str] | None = None) -> None:
        self._base = base
        self._terms = terms

    @property
    def base(self) -> str:
        """The namespace IRI."""
        return self._base

    @property
    def terms(self) -> frozenset[str]:
        """The declared local names (empty for an open namespace)."""
        return self._terms or frozenset()

    def __getattr__(self, name: str) -> IRI:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._terms is not None and name not in self._terms:
            raise AttributeError(f"{name} is not a term of {self._base}")
        term = IRI(self._base + name)
        # the mappers look terms up millions of times: the next lookup finds this attribute
        # without calling __getattr__ (the same IRI every time, so nothing observable changes)
        self.__dict__[name] = term
        return term

    def __getitem__(self, name: str) -> IRI:
        return self.__getattr__(name)


SCHEMA = Namespace("https://schema.org/")
RICO = Namespace("https://www.ica.org/standards/RiC/ontology#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
VOID = Namespace("http://rdfs.org/ns/void#")
SH = Namespace("http://www.w3.org/ns/shacl#")
MARCREL = Namespace("http://id.loc.gov/vocabulary/relators/")  # MARC relator codes as properties

# Our own stable namespace (w3id.org redirects it to the deployment's /ontology page; see
# README "The ontology"). Only for what schema.org and RiC-O lack.
LG_NAMESPACE = "https://w3id.org/labourgraph/ontology#"

LG_TERMS = frozenset(
    {
        # provenance of a source record and the named graph that holds its statements
        "SourceRecord",
        "sourceFile",
        "recordFormat",
        "contentHash",
        # dates as historians write them
        "UncertainDate",
        "uncertainDate",
        "qualifiesProperty",
        "originalText",
        "earliest",
        "latest",
        # mentions: the heading as the record wrote it
        "heading",
        # meetings (MARC 111/611/711 $n)
        "meetingNumber",
        # correspondence
        "correspondent",
        "correspondedWith",
        # reconciliation: merge decisions and the curator's file
        "Merge",
        "mergedEntity",
        "mergedInto",
        "mergeRule",
        "evidence",
        "curatorDecision",
    }
)
LG = Namespace(LG_NAMESPACE, LG_TERMS)

PREFIXES: dict[str, str] = {
    "schema": SCHEMA.base,
    "rico": RICO.base,
    "lg": LG_NAMESPACE,
    "rdf": RDF.base,
    "rdfs": RDFS.base,
    "owl": OWL.base,
    "xsd": XSD.base,
    "skos": SKOS.base,
    "prov": PROV.base,
    "dcterms": DCTERMS.base,
    "void": VOID.base,
    "marcrel": MARCREL.base,
}
