"""EAC-CPF authority records for persons, corporate bodies and families.

The entity's key comes from ``otherRecordId`` (``localType="LG"`` value ``goldman-emma`` gives
``lg-goldman-emma``, ``NL-AMISG`` gives ``a{n}``: the key a MARC ``$0`` link computes), else
``eac-{recordId}``. Names keep their ``@xml:lang`` as BCP 47 (``rus`` -> ``ru``), with
``@scriptCode`` when not Latin (``ru-Cyrl``) or Latin where unusual (``ru-Latn``);
``cpfRelation`` arcroles become the relations of the data model, dated where the record dates them.
"""

from __future__ import annotations

import re
from typing import Any

from ..iris import Kind, identifier_key
from ..rdf import IRI
from ..records import SourceRecord, local_name
from ..vocab import LG, RDF, RICO, SCHEMA
from . import source
from .common import RecordGraph, authority_key, clean, heading_key
from .ead import ARCHIVE_NUMBER, Finding
from .headings import Heading, emit, place_heading
from .languages import USUAL_SCRIPT, bcp47
from .relations import Dated, relate

XLINK = "{http://www.w3.org/1999/xlink}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ENTITY_KINDS = {"person": Kind.PERSON, "corporatebody": Kind.ORGANISATION, "family": Kind.FAMILY}
TARGET_BY_ARCROLE = {
    "memberof": Kind.ORGANISATION,
    "founderof": Kind.ORGANISATION,
    "chairof": Kind.ORGANISATION,
    "employeeof": Kind.ORGANISATION,
    "participantin": Kind.EVENT,
    "correspondedwith": Kind.PERSON,
}
RELATION_BY_TYPE = {
    "hierarchical-parent": "part of",
    "hierarchical-child": "has part",
    "temporal-earlier": "successor of",
    "temporal-later": "predecessor of",
}
PLACE_ROLES = {
    "birth": SCHEMA.birthPlace,
    "death": SCHEMA.deathPlace,
    "residence": SCHEMA.homeLocation,
    "headquarters": SCHEMA.location,
    "seat": SCHEMA.location,
    "founding": SCHEMA.foundingLocation,
    "foundation": SCHEMA.foundingLocation,
}
SAME_AS = re.compile(
    r"^https?://(viaf\.org/viaf/\d+|www\.wikidata\.org/(entity|wiki)/Q\d+|isni\.org/isni/\d{15}[\dX])$"
)


def map_eac(record: SourceRecord, base: str) -> RecordGraph:
    """The record graph of one EAC-CPF record."""
    eac = Finding(record.element)
    key = _entity_key(eac, record)
    graph = source.start(record, base, key if key.startswith("eac-") else f"eac-{key}")
    identity = eac.find(record.element, "cpfDescription/identity")
    entity_type = eac.text(identity, "entityType") if identity is not None else None
    kind = ENTITY_KINDS.get(re.sub(r"[^a-z]", "", (entity_type or "").lower()), Kind.PERSON)
    entity = graph.entity(kind, key, None)
    _names(graph, eac, identity, entity)
    if graph.label_of(entity) is None:
        graph.name(entity, record.identifier)
    _identifiers(graph, eac, identity, entity)
    description = eac.find(record.element, "cpfDescription/description")
    if description is not None:
        _description(graph, eac, description, entity, kind)
    relations = eac.find(record.element, "cpfDescription/relations")
    if relations is not None:
        _relations(graph, eac, relations, entity, kind)
    source.describe(graph, entity, [])
    return graph


def _entity_key(eac: Finding, record: SourceRecord) -> str:
    control = eac.find(record.element, "control")
    for other in control.iterfind(f"{eac.prefix}otherRecordId") if control is not None else []:
        local_type, value = other.get("localType"), eac.text(other, "")
        key = authority_key(f"({local_type}){value}") if local_type and value else None
        if key:
            return key
    return f"eac-{identifier_key(record.identifier)}"


def _names(graph: RecordGraph, eac: Finding, identity: Any | None, entity: IRI) -> None:
    if identity is None:
        return
    entries = list(identity.iter(f"{eac.prefix}nameEntry"))
    authorized = [e for e in entries if eac.find(e, "authorizedForm") is not None] or entries[:1]
    for entry in authorized + [e for e in entries if e not in authorized]:
        parts = [eac.text(p, "") for p in entry.iterfind(f"{eac.prefix}part")]
        name = ", ".join(p for p in parts if p)
        lang = _language(entry)
        if entry in authorized:
            graph.name(entity, name, lang)
        else:
            graph.alternate(entity, name, lang)
        graph.text(entity, LG.heading, name)


def _language(entry: Any) -> str | None:
    """BCP 47: ``rus`` + ``Cyrl`` is ``ru-Cyrl``; Latin is said only where unusual (``ru-Latn``)."""
    lang = bcp47(entry.get(XML_LANG))
    script = (entry.get("scriptCode") or "").strip()
    if lang is None:
        return None  # a script alone does not say the language: leave the name untagged
    if script.title() == "Latn" and USUAL_SCRIPT.get(lang.split("-")[0]) is None:
        return lang
    return bcp47(lang, script)


def _identifiers(graph: RecordGraph, eac: Finding, identity: Any | None, entity: IRI) -> None:
    if identity is None:
        return
    for element in identity.iterfind(f"{eac.prefix}entityId"):
        value = eac.text(element, "") or ""
        if SAME_AS.match(value):
            graph.add(entity, SCHEMA.sameAs, IRI(value.replace("/wiki/", "/entity/")))
        else:
            graph.text(entity, SCHEMA.identifier, value)


def _description(
    graph: RecordGraph, eac: Finding, description: Any, entity: IRI, kind: Kind
) -> None:
    born, died = (
        (SCHEMA.birthDate, SCHEMA.deathDate)
        if kind is Kind.PERSON
        else (SCHEMA.foundingDate, SCHEMA.dissolutionDate)
    )
    exist = eac.find(description, "existDates")
    if exist is not None:
        start, end, single = _date_range(eac, exist)
        parsed = graph.date(entity, born, "existDates", start or single)
        if end:
            graph.date(entity, died, "existDates", end, end=True)
        elif not start and parsed is not None and parsed.end is not None:
            graph.parsed_date(entity, died, parsed, end=True)
    for place in description.iter(f"{eac.prefix}place"):
        role = (eac.text(place, "placeRole") or "").lower()
        entry = eac.find(place, "placeEntry")
        name = clean(eac.text(entry, "") if entry is not None else None)
        if name:
            link = entry.get("vocabularySource") if entry is not None else None
            target = emit(graph, place_heading(name, name, "placeEntry", link))
            graph.add(
                entity,
                next((p for word, p in PLACE_ROLES.items() if word in role), SCHEMA.location),
                target,
            )
    for occupation in description.iter(f"{eac.prefix}occupation"):
        term = clean(eac.text(occupation, "term"))
        if term:
            topic = graph.entity(Kind.TOPIC, heading_key("occupation", term), term, heading=term)
            graph.add(topic, RDF.type, SCHEMA.Occupation)
            graph.add(entity, SCHEMA.hasOccupation, topic)
    biography = eac.find(description, "biogHist")
    if biography is not None:
        texts = [eac.text(p, "") for p in biography.iter(f"{eac.prefix}p")]
        graph.text(
            entity,
            SCHEMA.description,
            "\n\n".join(t for t in texts if t) or eac.text(biography, ""),
        )


def _date_range(eac: Finding, element: Any) -> tuple[str | None, str | None, str | None]:
    """(from, to, single date) of an element holding dateRange or date, standardDate first."""

    def value(path: str) -> str | None:
        found = eac.find(element, path)
        if found is None:
            return None
        return found.get("standardDate") or eac.text(found, "")

    return value("dateRange/fromDate"), value("dateRange/toDate"), value("date")


def _relations(graph: RecordGraph, eac: Finding, relations: Any, entity: IRI, kind: Kind) -> None:
    for relation in relations:
        if not isinstance(relation.tag, str):
            continue
        name = local_name(relation)
        if name == "cpfRelation":
            _cpf_relation(graph, eac, relation, entity, kind)
        elif name == "resourceRelation":
            _resource_relation(graph, eac, relation, entity)


def _cpf_relation(graph: RecordGraph, eac: Finding, relation: Any, entity: IRI, kind: Kind) -> None:
    arcrole = re.split(r"[/#]", relation.get(f"{XLINK}arcrole") or "")[-1]
    word = re.sub(r"[^a-z]", "", arcrole.lower())
    href = (relation.get(f"{XLINK}href") or "").strip()
    target_name = clean(eac.text(relation, "relationEntry")) or href
    if not target_name:
        return
    target_kind = _target_kind(relation.get(f"{XLINK}role") or "", word, kind)
    key = authority_key(href) or (
        f"eac-{identifier_key(href[4:])}" if href.startswith("eac:") else heading_key(target_name)
    )
    target = emit(
        graph,
        Heading(
            target_kind,
            key,
            target_name,
            target_name,
            "cpfRelation",
            href if authority_key(href) else None,
        ),
    )
    start, end, single = _date_range(eac, relation)
    text = arcrole or RELATION_BY_TYPE.get(relation.get("cpfRelationType") or "", "related")
    relate(graph, entity, text, target, Dated(start or single, end, None, "cpfRelation"))


def _target_kind(role: str, word: str, kind: Kind) -> Kind:
    lowered = role.lower()
    for text, target in (
        ("person", Kind.PERSON),
        ("corporate", Kind.ORGANISATION),
        ("family", Kind.FAMILY),
        ("event", Kind.EVENT),
        ("place", Kind.PLACE),
    ):
        if text in lowered:
            return target
    return TARGET_BY_ARCROLE.get(word, kind)


def _resource_relation(graph: RecordGraph, eac: Finding, relation: Any, entity: IRI) -> None:
    href = (relation.get(f"{XLINK}href") or "").strip()
    name = clean(eac.text(relation, "relationEntry"))
    match = ARCHIVE_NUMBER.search(href) or ARCHIVE_NUMBER.search(name or "")
    key = (
        match.group(0).lower()
        if match
        else (identifier_key(href) if href else heading_key(name or ""))
    )
    if not key:
        return
    collection = graph.entity(Kind.COLLECTION, key, name or href)
    kind = (relation.get("resourceRelationType") or "").lower()
    if kind == "creatorof":
        graph.add(collection, SCHEMA.creator, entity)
    elif kind == "subjectof":
        graph.add(collection, SCHEMA.about, entity)
    else:
        graph.add(collection, RICO.isRelatedTo, entity)
