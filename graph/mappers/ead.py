"""EAD 2002 finding aids: the collection, its nested components and the names inside them.

The collection is keyed by its archive number (``arch01293``), like its MARC description.
Each component (``c``, ``c01``..``c12``) becomes an ``item`` keyed under the collection by its
``@id``, else its ``unitid`` when unique in the finding aid, else its position
(``arch01293.p1-2-3``); it is ``schema:isPartOf`` and ``rico:isOrWasIncludedIn`` its parent.
Correspondence: a component whose names carry ``@role="correspondent"`` (or whose title says
"Letters from ...", "Correspondence with ...") has them as ``lg:correspondent``, and the
collection's creators ``lg:correspondedWith`` them.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ..iris import Kind, identifier_key, slug
from ..rdf import IRI, Lit
from ..records import SourceRecord, local_name, namespace
from ..vocab import LG, RDF, RICO, SCHEMA
from . import source
from .common import RecordGraph, authority_key
from .headings import Heading, emit, text_heading
from .languages import bcp47
from .marc import ARCHIVE_NUMBER, RECORD_SET_TYPES

COMPONENT = re.compile(r"^c(0[1-9]|1[0-2])?$")
NAME_KINDS = {
    "persname": Kind.PERSON,
    "corpname": Kind.ORGANISATION,
    "famname": Kind.FAMILY,
    "geogname": Kind.PLACE,
    "subject": Kind.TOPIC,
    "function": Kind.TOPIC,
    "occupation": Kind.TOPIC,
    "genreform": Kind.GENRE,
    "title": Kind.WORK,
}
AGENT_KINDS = {Kind.PERSON, Kind.ORGANISATION, Kind.FAMILY}
LETTERS = re.compile(
    r"^\W*(letters?|correspondence|brieven|brief|briefwisseling|lettres?|cartas?|briefe|"
    r"письма|correspondentie|ingekomen brieven)\b",
    re.I,
)
RECORD_LEVELS = {"item"}


class Finding:
    """Namespace-aware access to one finding aid."""

    def __init__(self, root: Any) -> None:
        ns = namespace(root)
        self.prefix = f"{{{ns}}}" if ns else ""
        self.root = root

    def find(self, element: Any, path: str) -> Any | None:
        """The first element at this slash-separated path."""
        return element.find("/".join(self.prefix + p for p in path.split("/")))

    def text(self, element: Any, path: str) -> str | None:
        """The whitespace-normalised text at this path."""
        found = self.find(element, path) if path else element
        if found is None:
            return None
        value = " ".join("".join(found.itertext()).split())
        return value or None


def map_ead(record: SourceRecord, base: str) -> RecordGraph:
    """The record graph of one EAD finding aid."""
    ead = Finding(record.element)
    handle = re.sub(r"^https?://hdl\.handle\.net/", "", record.identifier)
    graph = source.start(record, base, source.record_key("ead", handle))
    archdesc = ead.find(record.element, "archdesc")
    if archdesc is None:
        archdesc = record.element
    key = _collection_key(ead, record)
    collection = graph.entity(Kind.COLLECTION, key, ead.text(archdesc, "did/unittitle") or key)
    _describe_unit(graph, ead, archdesc, collection, "archdesc")
    origination = ead.find(archdesc, "did/origination")
    creators = [emit(graph, h) for h, _ in _names(ead, origination, "origination")]
    for creator in creators:
        graph.add(collection, SCHEMA.creator, creator)
    _notes(graph, ead, archdesc, collection, creators)
    for element in archdesc:
        if isinstance(element.tag, str) and local_name(element) == "controlaccess":
            _access_points(graph, ead, element, collection)
    dsc = ead.find(archdesc, "dsc")
    if dsc is not None:
        unitids = Counter(ead.text(c, "did/unitid") for c in dsc.iter() if _is_component(c))
        context = _Components(graph, ead, key, creators, unitids)
        context.walk(dsc, collection, ())
    source.describe(graph, collection, _urls(ead, record))
    return graph


def _collection_key(ead: Finding, record: SourceRecord) -> str:
    eadid = ead.find(record.element, "eadheader/eadid")
    unitid = ead.text(record.element, "archdesc/did/unitid") or ""
    texts = [record.identifier, eadid.get("identifier", "") if eadid is not None else "", unitid]
    for text in texts:
        match = ARCHIVE_NUMBER.search(text)
        if match:
            return match.group(0).lower()
    return identifier_key(unitid or record.identifier)


def _urls(ead: Finding, record: SourceRecord) -> list[str]:
    eadid = ead.find(record.element, "eadheader/eadid")
    urls = [eadid.get("url", "")] if eadid is not None else []
    if record.identifier.startswith(("http://", "https://")):
        urls.append(record.identifier)
    return urls


def _describe_unit(graph: RecordGraph, ead: Finding, unit: Any, iri: IRI, field: str) -> None:
    level = (unit.get("level") or "").lower()
    if level == "otherlevel":
        level = (unit.get("otherlevel") or "").lower()
    if level in RECORD_SET_TYPES:
        graph.add(iri, RICO.hasRecordSetType, RECORD_SET_TYPES[level])
    unitid = ead.text(unit, "did/unitid")
    if unitid:
        graph.add(iri, SCHEMA.identifier, Lit(unitid))
    unitdate = ead.find(unit, "did/unitdate")
    if unitdate is not None:
        normal = unitdate.get("normal")
        text = normal or ead.text(unitdate, "")
        if text:
            graph.coverage(iri, f"{field} unitdate" + ("@normal" if normal else ""), text)
    extent = ead.text(unit, "did/physdesc")
    graph.text(iri, SCHEMA.materialExtent, extent)
    for language in unit.iterfind(f"{ead.prefix}did/{ead.prefix}langmaterial/{ead.prefix}language"):
        code = bcp47(language.get("langcode"))
        if code:
            graph.add(iri, SCHEMA.inLanguage, Lit(code))


def _notes(graph: RecordGraph, ead: Finding, unit: Any, iri: IRI, creators: list[IRI]) -> None:
    graph.text(iri, SCHEMA.description, ead.text(unit, "scopecontent"))
    biography = _paragraphs(ead, ead.find(unit, "bioghist"))
    if biography:
        for creator in creators or [iri]:
            graph.text(creator, SCHEMA.description, biography)
    graph.text(iri, SCHEMA.conditionsOfAccess, _paragraphs(ead, ead.find(unit, "accessrestrict")))


def _paragraphs(ead: Finding, element: Any | None) -> str | None:
    if element is None:
        return None
    texts = [ead.text(p, "") for p in element.iter(f"{ead.prefix}p")]
    return "\n\n".join(t for t in texts if t) or ead.text(element, "")


def _names(ead: Finding, container: Any | None, field: str) -> list[tuple[Heading, str]]:
    """The headings of the name elements inside an element (origination, controlaccess, title)."""
    if container is None:
        return []
    headings = []
    for element in container.iter():
        if not isinstance(element.tag, str):
            continue
        kind = NAME_KINDS.get(local_name(element))
        if kind is None or (kind is Kind.WORK and field != "controlaccess"):
            continue
        text = ead.text(element, "")
        link = element.get("authfilenumber")
        heading = text_heading(
            kind,
            text or "",
            local_name(element),
            link if authority_key(link) else None,
            element.get("normal"),
        )
        if heading is not None:
            headings.append((heading, (element.get("role") or "").lower()))
    return headings


def _access_points(graph: RecordGraph, ead: Finding, controlaccess: Any, iri: IRI) -> None:
    for heading, _role in _names(ead, controlaccess, "controlaccess"):
        entity = emit(graph, heading)
        graph.add(iri, SCHEMA.genre if heading.kind is Kind.GENRE else SCHEMA.about, entity)


def _is_component(element: Any) -> bool:
    return isinstance(element.tag, str) and bool(COMPONENT.match(local_name(element)))


class _Components:
    """Walks the component tree of one finding aid."""

    def __init__(
        self, graph: RecordGraph, ead: Finding, key: str, creators: list[IRI], unitids: Counter
    ) -> None:
        self.graph, self.ead, self.key, self.creators, self.unitids = (
            graph,
            ead,
            key,
            creators,
            unitids,
        )

    def walk(self, parent_element: Any, parent: IRI, path: tuple[int, ...]) -> None:
        """Map every component under this element, depth first."""
        children = [c for c in parent_element if _is_component(c)]
        for position, element in enumerate(children, start=1):
            here = (*path, position)
            iri = self.component(element, parent, here)
            self.walk(element, iri, here)

    def component(self, element: Any, parent: IRI, path: tuple[int, ...]) -> IRI:
        """One component: typed, named, dated, placed in the hierarchy, with its names."""
        graph, ead = self.graph, self.ead
        level = (element.get("level") or "").lower()
        title = ead.text(element, "did/unittitle")
        iri = graph.entity(
            Kind.ITEM,
            self._key(element, path),
            title or ead.text(element, "did/unitid") or f"Component {'.'.join(map(str, path))}",
        )
        graph.add(iri, RDF.type, SCHEMA.ArchiveComponent)
        graph.add(iri, RDF.type, RICO.Record if level in RECORD_LEVELS else RICO.RecordSet)
        for prop, inverse in (
            (SCHEMA.isPartOf, SCHEMA.hasPart),
            (RICO.isOrWasIncludedIn, RICO.includesOrIncluded),
        ):
            graph.add(iri, prop, parent)
            graph.add(parent, inverse, iri)
        _describe_unit(graph, ead, element, iri, "component")
        graph.text(iri, SCHEMA.description, ead.text(element, "scopecontent"))
        self._mentions(element, iri, title or "")
        return iri

    def _key(self, element: Any, path: tuple[int, ...]) -> str:
        own_id = element.get("id")
        if own_id and slug(own_id):
            return f"{self.key}.{slug(own_id)}"[:120]
        unitid = self.ead.text(element, "did/unitid")
        if unitid and self.unitids[unitid] == 1 and slug(unitid):
            return f"{self.key}.{slug(unitid)}"[:120]
        return f"{self.key}.p{'-'.join(map(str, path))}"[:120]

    def _mentions(self, element: Any, iri: IRI, title: str) -> None:
        graph, ead = self.graph, self.ead
        letters = bool(LETTERS.match(title))
        found: list[tuple[Heading, str]] = []
        for path in ("did/unittitle", "controlaccess", "did/origination"):
            found += _names(ead, ead.find(element, path), "controlaccess")
        for heading, role in found:
            entity = emit(graph, heading)
            graph.add(iri, SCHEMA.genre if heading.kind is Kind.GENRE else SCHEMA.about, entity)
            if heading.kind in AGENT_KINDS and (role == "correspondent" or letters):
                self._correspondent(iri, entity)

    def _correspondent(self, component: IRI, person: IRI) -> None:
        self.graph.add(component, LG.correspondent, person)
        for creator in self.creators:
            if creator != person:
                self.graph.add(creator, LG.correspondedWith, person)
                self.graph.add(person, LG.correspondedWith, creator)
