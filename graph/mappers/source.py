"""The source record's own description, inside its own named graph."""

from __future__ import annotations

import re

from ..iris import Kind, identifier_key, mint
from ..rdf import IRI, XSD, Lit
from ..records import SourceRecord
from ..vocab import LG, RDF, SCHEMA
from .common import RecordGraph

_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_KEY = 120


def record_key(prefix: str, identifier: str) -> str:
    """The key of a record's graph: format prefix and identifier (``marc-10622-arch00018``)."""
    key = f"{prefix}-{identifier_key(identifier)}"
    if len(key) > MAX_KEY:
        key = f"{prefix}-{identifier_key(identifier)[-(MAX_KEY - len(prefix) - 1) :]}".replace(
            "--", "-"
        )
    return key


def start(record: SourceRecord, base: str, key: str) -> RecordGraph:
    """A record graph named ``{base}id/record/{key}``, already describing its source record."""
    graph = RecordGraph(base, mint(base, Kind.RECORD, key))
    iri = graph.record
    graph.add(iri, RDF.type, LG.SourceRecord)
    graph.add(iri, LG.recordFormat, Lit(record.format.value))
    graph.add(iri, SCHEMA.identifier, Lit(record.identifier))
    if record.oai_identifier:
        graph.add(iri, SCHEMA.identifier, Lit(record.oai_identifier))
    if record.datestamp:
        graph.add(iri, SCHEMA.dateModified, datestamp_literal(record.datestamp))
    return graph


def datestamp_literal(value: str) -> Lit:
    """An OAI datestamp as xsd:dateTime or xsd:date (a plain string if it is neither)."""
    text = value.strip()
    if _DATETIME.match(text):
        return Lit(text, datatype=XSD + "dateTime")
    if _DATE.match(text):
        return Lit(text, datatype=XSD + "date")
    return Lit(text)


def describe(graph: RecordGraph, main: IRI | None, urls: list[str]) -> None:
    """The record's main entity and its own pages (handle, 856 $u, eadid URL)."""
    if main is not None:
        graph.add(graph.record, SCHEMA.mainEntity, main)
    for url in dict.fromkeys(u.strip() for u in urls if u and u.strip()):
        if re.match(r"^https?://\S+$", url):
            graph.add(graph.record, SCHEMA.url, IRI(url))
