"""OAI-PMH metadata formats of an item: ``oai_dc``, ``rdf``, the original ``marcxml``/``ead``.

``oai_dc`` and ``rdf`` are made from the store for every item. The original records are the
XML the ingest read: it hands each MARCXML and EAD record to ``keep_record_xml``, which keeps
it at ``DIR/records/{record key}.xml`` (the change-log step removes the files of records a
re-ingest dropped), so a collection can be disseminated as it was catalogued, even after the
source files have moved.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from .documents import DocFormat, describe_as
from .iris import IRIError, Kind, parse
from .rdf import IRI, Lit, Term
from .store import GraphStore

RECORDS_DIR = "records"
DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass(frozen=True)
class MetadataFormat:
    """A metadata format as ListMetadataFormats describes it."""

    prefix: str
    schema: str
    namespace: str


OAI_DC = MetadataFormat("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC_NS)
RDF = MetadataFormat(
    "rdf",
    "http://www.openarchives.org/OAI/2.0/rdf.xsd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
)
MARCXML = MetadataFormat(
    "marcxml",
    "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd",
    "http://www.loc.gov/MARC21/slim",
)
EAD = MetadataFormat("ead", "http://www.loc.gov/ead/ead.xsd", "urn:isbn:1-931666-22-9")
FORMATS = {f.prefix: f for f in (OAI_DC, RDF, MARCXML, EAD)}
EVERY_ITEM = (OAI_DC, RDF)  # the formats every item has; the others depend on its records

SCHEMA_NAME = "https://schema.org/name"
_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>\s*")

# schema.org (and a few other) properties as simple Dublin Core elements
DC_ELEMENTS = {
    "https://schema.org/name": "title",
    "https://schema.org/alternateName": "title",
    "https://schema.org/description": "description",
    "https://schema.org/disambiguatingDescription": "description",
    "https://schema.org/creator": "creator",
    "https://schema.org/author": "creator",
    "https://schema.org/contributor": "contributor",
    "https://schema.org/publisher": "publisher",
    "https://schema.org/about": "subject",
    "https://schema.org/keywords": "subject",
    "https://schema.org/genre": "type",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": "type",
    "https://schema.org/inLanguage": "language",
    "https://schema.org/sameAs": "identifier",
    "https://schema.org/identifier": "identifier",
    "https://schema.org/url": "identifier",
    "https://schema.org/license": "rights",
    "https://schema.org/location": "coverage",
    "https://schema.org/spatialCoverage": "coverage",
    "https://schema.org/temporalCoverage": "coverage",
    "https://schema.org/isPartOf": "relation",
    "https://schema.org/hasPart": "relation",
    "https://schema.org/memberOf": "relation",
    "https://schema.org/foundingLocation": "coverage",
}
for _date in (
    "birthDate",
    "deathDate",
    "foundingDate",
    "dissolutionDate",
    "startDate",
    "endDate",
    "dateCreated",
    "datePublished",
):
    DC_ELEMENTS[f"https://schema.org/{_date}"] = "date"
DC_ORDER = (
    "title",
    "creator",
    "subject",
    "description",
    "publisher",
    "contributor",
    "date",
    "type",
    "identifier",
    "language",
    "relation",
    "coverage",
    "rights",
)


def record_xml_path(root: Path, base: str, record: str) -> Path:
    """Where the original XML of a source record is kept."""
    kind, key = parse(base, record)
    if kind is not Kind.RECORD:
        raise IRIError(f"<{record}> is a {kind.value}, not a source record")
    return root / RECORDS_DIR / f"{key}.xml"


def keep_record_xml(root: Path, base: str, record: str, xml: bytes) -> None:
    """Keep a record's original XML (called by the ingest for MARCXML and EAD records)."""
    path = record_xml_path(root, base, record)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".xml.tmp")
    tmp.write_bytes(xml)
    os.replace(tmp, path)


def forget_record_xml(root: Path, base: str, record: str) -> None:
    """Remove a dropped record's original XML, if it was kept."""
    record_xml_path(root, base, record).unlink(missing_ok=True)


def original_record(root: Path, base: str, record: str) -> str:
    """The kept XML of a record, without its XML declaration, ready to sit inside <metadata>."""
    data = record_xml_path(root, base, record).read_bytes()
    return _XML_DECLARATION.sub(b"", data).decode("utf-8")


def rdf_metadata(store: GraphStore, iri: str) -> str:
    """The item's RDF document, as its entity page serves it in RDF/XML, as an ``rdf:RDF``."""
    data = describe_as(store, iri, DocFormat.RDF_XML)
    return _XML_DECLARATION.sub(b"", data).decode("utf-8")


def dc_metadata(store: GraphStore, iri: str) -> str:
    """The item as simple Dublin Core (``oai_dc:dc``), from its own statements."""
    elements: dict[str, list[str]] = {name: [] for name in DC_ORDER}
    elements["identifier"].append(iri)
    for name, value in _dc_values(store, iri):
        if value not in elements[name]:
            elements[name].append(value)
    body = "".join(
        f"<dc:{name}>{escape(value)}</dc:{name}>" for name in DC_ORDER for value in elements[name]
    )
    return (
        f'<oai_dc:dc xmlns:oai_dc="{OAI_DC_NS}" xmlns:dc="{DC_NS}" xmlns:xsi="{XSI_NS}" '
        f'xsi:schemaLocation="{OAI_DC_NS} {OAI_DC.schema}">{body}</oai_dc:dc>'
    )


def _dc_values(store: GraphStore, iri: str) -> Iterator[tuple[str, str]]:
    rows = store.select("harvest_dc", entity=IRI(iri))
    # a stable order: the preferred name first, then by property and value
    rows.sort(key=lambda r: (r["p"] != SCHEMA_NAME, str(r["p"]), r["o"].n3()))
    for row in rows:
        element = DC_ELEMENTS.get(str(row["p"]))
        value = row["o"]
        if element is None:
            continue
        if isinstance(value, Lit):
            yield element, value.value
        elif element == "type":
            yield element, str(value).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        elif element == "identifier":
            yield element, str(value)
        else:
            yield element, _label(store, value)


def _label(store: GraphStore, thing: Term) -> str:
    # the smallest name in code-point order, so a record reads the same at every harvest
    names = [str(row["name"]) for row in store.select("harvest_label", thing=thing)]
    return min(names) if names else str(thing)
