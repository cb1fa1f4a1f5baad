"""The RDF document of one entity, in Turtle, JSON-LD, N-Triples or RDF/XML.

The document holds the entity's own statements, those of the blank and Role nodes it points to
(dated memberships, uncertain dates) and, up to ``MAX_INCOMING``, the statements pointing to it.
IRIs are the canonical ones, under the base recorded in the store, whatever host served them.
JSON-LD is compacted with a small inline context of our prefixes, so no client needs a network.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any

from . import queries
from .entity_relations import with_values
from .iris import Kind
from .rdf import IRI, XSD_STRING, BNode, Lit, Term, Triple
from .store import GraphStore, serialize_triples
from .vocab import LG, PREFIXES

MAX_INCOMING = 1000
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


class DocFormat(Enum):
    """An RDF document format: its media type and the extension of its document URL."""

    TURTLE = ("text/turtle", "ttl")
    JSON_LD = ("application/ld+json", "jsonld")
    N_TRIPLES = ("application/n-triples", "nt")
    RDF_XML = ("application/rdf+xml", "rdf")

    def __init__(self, media_type: str, extension: str) -> None:
        self.media_type = media_type
        self.extension = extension


def document_triples(
    store: GraphStore, iri: str, incoming: bool = True, own: Sequence[Triple] | None = None
) -> list[Triple]:
    """The statements of the entity's document, without duplicates, in a stable order
    (``own``: the entity's own statements, when the caller has read them already)."""
    entity = IRI(iri)
    triples = own_document(store, entity, own)
    if incoming:
        text = queries.load("entity_document_incoming") + f"\nLIMIT {MAX_INCOMING}\n"
        triples += store.construct_text(text, entity=entity)
    return in_document_order(triples, entity)


def in_document_order(triples: Iterable[Triple], entity: IRI) -> list[Triple]:
    """The triples without duplicates, the entity's own first, in a stable order."""
    return sorted(set(triples), key=lambda t: (t[0] != entity, t[0].n3(), t[1], t[2].n3()))


def own_document(
    store: GraphStore, entity: IRI, own: Sequence[Triple] | None = None
) -> list[Triple]:
    """The entity's statements (``own``, when the caller has read them already) and those of
    the nodes that belong to it (dated roles, uncertain dates, blank nodes), two levels deep."""
    role_prefix = f"{store.base}id/{Kind.ROLE.value}/"
    triples: list[Triple] = []
    pending, seen = [entity], {entity}
    for depth in range(3):
        found = list(own) if depth == 0 and own is not None else _statements_of(store, pending)
        triples += found
        pending = [o for s, p, o in found if _own_node(p, o, role_prefix) and o not in seen]
        seen.update(pending)
        if not pending or depth == 2:
            break
    return triples


def _statements_of(store: GraphStore, nodes: Sequence[Term]) -> list[Triple]:
    """The statements of these nodes as subject: one query for the IRIs, one per blank node."""
    iris = [n for n in nodes if isinstance(n, IRI)]
    found = [
        t
        for node in nodes
        if not isinstance(node, IRI) or len(iris) == 1
        for t in store.construct("entity_document", entity=node)
    ]
    if len(iris) > 1:
        text = with_values(queries.load("entity_document_nodes"), "node", iris)
        found += [(r["node"], r["p"], r["o"]) for r in store.select_text(text)]  # type: ignore[misc]
    return found


def _own_node(predicate: str, obj: Term, role_prefix: str) -> bool:
    # dated roles, uncertain dates and blank nodes are part of what the entity says
    return (
        isinstance(obj, BNode)
        or predicate == LG.uncertainDate
        or (isinstance(obj, IRI) and obj.startswith(role_prefix))
    )


def describe_as(
    store: GraphStore, iri: str, fmt: DocFormat, own: Sequence[Triple] | None = None
) -> bytes:
    """The entity's document serialised in ``fmt`` (``own``: as for ``document_triples``)."""
    triples = document_triples(store, iri, own=own)
    if fmt is DocFormat.JSON_LD:
        return json.dumps(compact_jsonld(triples, iri), ensure_ascii=False, indent=1).encode()
    prefixes = PREFIXES if fmt in (DocFormat.TURTLE, DocFormat.RDF_XML) else None
    return serialize_triples(triples, fmt.media_type, prefixes)


def embedded_jsonld(store: GraphStore, iri: str, own: Sequence[Triple] | None = None) -> str:
    """The entity's own statements as JSON-LD, safe inside an HTML ``<script>`` element
    (``own``: the triples of ``own_document`` when the caller has them, else read here)."""
    triples = own if own is not None else own_document(store, IRI(iri))
    data = compact_jsonld(in_document_order(triples, IRI(iri)), iri)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # "</script>" or "<!--" in a name must not end or confuse the script element
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def context() -> dict[str, str]:
    """The JSON-LD context of every document: our prefixes, nothing fetched."""
    return dict(PREFIXES)


def compact_jsonld(triples: Sequence[Triple], main: str) -> dict[str, Any]:
    """Compact JSON-LD of ``triples``: prefixed names for properties, types and datatypes."""
    nodes: dict[str, dict[str, Any]] = {}
    for s, p, o in triples:
        node = nodes.setdefault(_node_id(s), {"@id": _node_id(s)})
        if p == RDF_TYPE and isinstance(o, IRI):
            node.setdefault("@type", []).append(_compact(o))
        else:
            node.setdefault(_compact(p), []).append(_value(o))
    ordered = sorted(nodes.values(), key=lambda n: (n["@id"] != main, n["@id"]))
    if len(ordered) == 1:
        return {"@context": context(), **ordered[0]}
    return {"@context": context(), "@graph": ordered}


def _node_id(term: Term) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


@functools.lru_cache(maxsize=1 << 12)  # a pure function of an IRI; pages repeat properties
def _compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        local = iri[len(namespace) :]
        if iri.startswith(namespace) and local and _safe_local(local):
            return f"{prefix}:{local}"
    return iri


def _safe_local(local: str) -> bool:
    # a compact IRI must read back as the same IRI: no "/" or "#" and not "//..."-like
    return all(c.isalnum() or c in "_-." for c in local)


def _value(term: Term) -> dict[str, str] | str:
    if isinstance(term, Lit):
        if term.lang:
            return {"@value": term.value, "@language": term.lang}
        if term.datatype and term.datatype != XSD_STRING:
            return {"@value": term.value, "@type": _compact(term.datatype)}
        return term.value
    return {"@id": _node_id(term)}
