"""Plain RDF terms that the mappers yield and the store accepts, with N-Triples syntax.

The mappers produce millions of triples on a big ingest, so terms are the cheapest Python
objects that still say what they are: an ``IRI`` and a ``BNode`` are ``str`` subclasses and a
``Lit`` is a slotted frozen dataclass. ``graph/store.py`` converts them to pyoxigraph terms;
tests convert them to rdflib with ``to_rdflib``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
XSD_STRING = XSD + "string"


class IRI(str):
    """An absolute IRI."""

    __slots__ = ()

    def n3(self) -> str:
        """N-Triples syntax of this IRI."""
        return f"<{_escape_iri(self)}>"


class BNode(str):
    """A blank node label, local to one record graph."""

    __slots__ = ()

    def n3(self) -> str:
        """N-Triples syntax of this blank node."""
        return f"_:{self}"


@dataclass(frozen=True, slots=True)
class Lit:
    """A literal: a lexical value with a language tag or a datatype IRI (xsd:string if neither)."""

    value: str
    lang: str | None = None
    datatype: str | None = None

    def n3(self) -> str:
        """N-Triples syntax of this literal."""
        text = '"' + _escape_literal(self.value) + '"'
        if self.lang:
            return f"{text}@{self.lang}"
        if self.datatype and self.datatype != XSD_STRING:
            return f"{text}^^<{self.datatype}>"
        return text

    def __str__(self) -> str:
        return self.value


Subject = IRI | BNode
Term = IRI | BNode | Lit
Triple = tuple[Subject, IRI, Term]
Quad = tuple[Subject, IRI, Term, IRI]

_LITERAL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _escape_literal(value: str) -> str:
    # Most values need no escaping, and str.translate is slow on non-ASCII text (9 us for a
    # Spanish organisation name, against 0.2 us for these tests): it runs for every literal.
    if '"' in value or "\\" in value or "\n" in value or "\r" in value:
        return value.translate(_LITERAL_ESCAPES)
    return value


_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')


def _escape_iri(value: str) -> str:
    # Characters N-Triples forbids inside <...>; mappers should never produce them, but a
    # hostile record must not be able to break out of the IRI. The regex test first: this
    # runs for every IRI of every ingested statement, and nearly all need no escaping.
    if _IRI_FORBIDDEN.search(value) is None:
        return value
    return "".join(
        c if c not in '<>"{}|^`\\ ' and ord(c) > 0x20 else f"%{ord(c):02X}" for c in value
    )


def ntriples(triples: Iterable[Triple]) -> str:
    """Serialise triples as N-Triples text (one statement a line)."""
    return "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples)


def to_rdflib(triples: Iterable[Triple]):  # type: ignore[no-untyped-def]
    """An rdflib Graph of these triples (for tests and SHACL validation, not the hot path)."""
    import rdflib  # local: rdflib is slow to import and only tests and validation need it

    graph = rdflib.Graph()
    graph.parse(data=ntriples(triples), format="nt")
    return graph
