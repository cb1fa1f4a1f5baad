"""SHACL validation against ``ontology/shapes.ttl``, reported in words a cataloguer understands.

The store CONSTRUCTs (dumps) the union graph as N-Triples and rdflib/pyshacl check it: rdflib
only at this edge, never on the ingest path. Each violation names the record(s) whose graph
holds the statements about the entity at fault.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .rdf import IRI, Triple, ntriples
from .store import GraphStore

log = logging.getLogger(__name__)

SHAPES = Path(__file__).resolve().parent.parent / "ontology" / "shapes.ttl"
SH = "http://www.w3.org/ns/shacl#"
_RECORDS_OF = """PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?focus ?graph ?identifier WHERE {
  GRAPH ?graph { ?focus ?p ?o }
  OPTIONAL { GRAPH ?graph { ?graph schema:identifier ?identifier } }
} ORDER BY ?graph"""


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which entity, which shape, what is wrong, and which records say so."""

    focus: str
    shape: str
    text: str
    records: tuple[str, ...] = ()

    def message(self) -> str:
        """One line: ``ARCH01234 -> <…/id/event/x> (EventShape): schema:startDate is required…``."""
        where = ", ".join(self.records) or "(no record)"
        return f"{where} -> <{self.focus}> ({self.shape}): {self.text}"


def violations(triples: Iterable[Triple]) -> list[Violation]:
    """The SHACL violations of these triples (for one record or a test graph)."""
    import rdflib  # local: slow to import, and only validation needs it

    data = rdflib.Graph()
    data.parse(data=ntriples(triples), format="nt")
    return _check(data)


def validate_store(store: GraphStore) -> list[Violation]:
    """The SHACL violations of the whole graph (the union of all record graphs)."""
    import rdflib

    buffer = io.BytesIO()
    store.dump(buffer, "application/n-triples")
    data = rdflib.Graph()
    data.parse(data=buffer.getvalue().decode("utf-8"), format="nt")
    found = _check(data)
    return sorted(
        {_with_records(store, v) for v in found}, key=lambda v: (v.records, v.focus, v.text)
    )


def _shapes() -> Any:
    import rdflib

    return rdflib.Graph().parse(SHAPES, format="turtle")


def _check(data: Any) -> list[Violation]:
    from pyshacl import validate

    shapes = _shapes()
    conforms, report, _ = validate(
        data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True
    )
    if conforms:
        return []
    return sorted(
        {_violation(report, result, shapes) for result in _results(report)},
        key=lambda v: (v.focus, v.shape, v.text),
    )


def _results(report: Any) -> list[Any]:
    import rdflib

    # only the top-level results: those of nested shapes (sh:node) hang below as sh:detail
    return list(report.objects(None, rdflib.URIRef(SH + "result")))


def _violation(report: Any, result: Any, shapes: Any) -> Violation:
    import rdflib

    def value(name: str) -> Any:
        return report.value(result, rdflib.URIRef(SH + name))

    source = value("sourceShape")
    node_shape = shapes.value(predicate=rdflib.URIRef(SH + "property"), object=source) or source
    text = str(value("resultMessage") or "does not conform")
    if not text.endswith("."):
        text += "."
    return Violation(focus=str(value("focusNode")), shape=_local_name(node_shape), text=text)


def _local_name(node: Any) -> str:
    name = str(node)
    return name.rsplit("#", 1)[-1].rsplit("/", 1)[-1] if name else "shape"


def _with_records(store: GraphStore, violation: Violation) -> Violation:
    rows = store.select_text(_RECORDS_OF, focus=IRI(violation.focus))
    records = tuple(dict.fromkeys(_record_label(row) for row in rows))
    return Violation(violation.focus, violation.shape, violation.text, records)


def _record_label(row: dict[str, Any]) -> str:
    """A short name for a record: its identifier's last part (``ARCH01234``), else its IRI."""
    identifier = row.get("identifier")
    if identifier is None:
        return str(row["graph"])
    return str(identifier).rsplit(":", 1)[-1].rsplit("/", 1)[-1]
