"""MARC 21 authority records (leader/06 ``z``): one entity each, with its names and links.

The entity's key is its authority number under its source (``a169`` for 001 ``169`` of 003
``NL-AMISG``, ``lg-goldman-emma`` for 003 ``LG``), the same key every ``$0`` link to it
computes, so catalogue records and the authority record describe one entity.
"""

from __future__ import annotations

import dataclasses
import re

from ..iris import Kind
from ..rdf import IRI
from ..records import SourceRecord
from ..vocab import RDF, RICO, SCHEMA, SKOS
from . import source
from .common import MappingError, RecordGraph, authority_key, clean, heading_key, script_of
from .headings import Heading, emit, marc_heading, place_heading
from .languages import marc_languages, tag_for_script
from .marc_fields import Field, MarcRecord
from .relations import Dated, membership, relate

HEADING_TAGS = ("100", "110", "111", "130", "150", "151", "155")
SAME_AS = {
    "viaf": "http://viaf.org/viaf/{}",
    "wikidata": "http://www.wikidata.org/entity/{}",
    "isni": "https://isni.org/isni/{}",
    "aat": "http://vocab.getty.edu/aat/{}",
}
PERSON_PLACES = {
    "a": SCHEMA.birthPlace,
    "b": SCHEMA.deathPlace,
    "c": SCHEMA.nationality,
    "e": SCHEMA.homeLocation,
}
FOUNDING = re.compile(r"^place of (founding|foundation)\W*$", re.IGNORECASE)


def map_authority(record: SourceRecord, marc: MarcRecord, base: str) -> RecordGraph:
    """The record graph of one authority record."""
    source_code = marc.control.get("003", "").strip() or "local"
    own_link = f"({source_code}){record.identifier}"
    own_key = authority_key(own_link) or heading_key(record.identifier)
    graph = source.start(record, base, f"auth-{own_key}")
    heading = _heading(marc, own_key, own_link, record.identifier)
    entity = emit(graph, heading, described=True)
    languages = [
        code for f in marc.all("377") for value in f.every("a") for code in marc_languages(value)
    ]
    for field in marc.all("400", "410", "411", "430", "450", "451", "455"):
        variant = marc_heading(field)
        if variant is not None:
            graph.alternate(
                entity, variant.name, tag_for_script(script_of(variant.name), languages)
            )
    _identifiers(graph, marc, entity)
    _dates(graph, marc, entity, heading.kind)
    _places(graph, marc, entity, heading.kind)
    _memberships(graph, marc, entity)
    _occupations(graph, marc, entity)
    _related(graph, marc, entity, heading.kind)
    for field in marc.all("678"):
        graph.text(entity, SCHEMA.description, field.joined("ab"))
    source.describe(graph, entity, [])
    return graph


def _heading(marc: MarcRecord, key: str, link: str, identifier: str) -> Heading:
    for field in marc.all(*HEADING_TAGS):
        heading = marc_heading(field)
        if heading is not None:
            # 046 states the dates precisely and 370 the places, linked; the heading's $d and
            # a meeting's $c would only repeat them as years and as unlinked names
            dated, placed = any(marc.all("046")), any(marc.all("370"))
            return dataclasses.replace(
                heading,
                key=key,
                link=link,
                life_dates=None if dated else heading.life_dates,
                date=None if dated else heading.date,
                place=None if placed else heading.place,
            )
    raise MappingError(
        f"authority record {identifier} has no heading; "
        "expected a 1XX field (100, 110, 111, 130, 150, 151 or 155) with $a"
    )


def _identifiers(graph: RecordGraph, marc: MarcRecord, entity: IRI) -> None:
    for field in marc.all("024"):
        scheme, value = (field.first("2") or "").strip().lower(), (field.first("a") or "").strip()
        _same_as(graph, entity, scheme, value)
    for field in marc.all("035"):
        match = re.match(r"^\(([^)]+)\)\s*(\S+)$", (field.first("a") or "").strip())
        if match and match.group(1).lower() in SAME_AS:
            _same_as(graph, entity, match.group(1).lower(), match.group(2))
        else:
            graph.text(entity, SCHEMA.identifier, field.first("a"))


def _same_as(graph: RecordGraph, entity: IRI, scheme: str, value: str) -> None:
    if scheme == "isni":
        value = value.replace(" ", "")
    if scheme == "wikidata":
        value = value.rsplit("/", 1)[-1]
    if scheme in SAME_AS and value and re.fullmatch(r"[A-Za-z0-9]+", value):
        graph.add(entity, SCHEMA.sameAs, IRI(SAME_AS[scheme].format(value)))


def _dates(graph: RecordGraph, marc: MarcRecord, entity: IRI, kind: Kind) -> None:
    if kind is Kind.PERSON:
        codes = {"f": SCHEMA.birthDate, "g": SCHEMA.deathDate}
    elif kind is Kind.EVENT:
        codes = {"s": SCHEMA.startDate, "t": SCHEMA.endDate}
    else:
        codes = {
            "q": SCHEMA.foundingDate,
            "r": SCHEMA.dissolutionDate,
            "s": SCHEMA.foundingDate,
            "t": SCHEMA.dissolutionDate,
        }
    for field in marc.all("046"):
        seen: set[IRI] = set()
        for code, value in field.subfields:
            prop = codes.get(code)
            if prop is not None and prop not in seen:
                seen.add(prop)
                graph.date(entity, prop, f"046 ${code}", value, end=code in "grt")


def _places(graph: RecordGraph, marc: MarcRecord, entity: IRI, kind: Kind) -> None:
    for field in marc.all("370"):
        places = [(c, v) for c, v in field.subfields if c in "abcef" and clean(v)]
        links = field.every("0")
        for code, name in places:
            link = links[0] if len(places) == 1 and len(links) == 1 else None
            place = emit(graph, place_heading(clean(name), name, "370", link))
            graph.add(entity, _place_property(kind, code, field.every("i")), place)


def _place_property(kind: Kind, code: str, relations: list[str]) -> IRI:
    """370 $a-$f by kind: a person's birth/death place, country, residence; else location.

    On an organisation (or family), $f with $i "Place of founding" is where it was founded;
    $e is its seat. An event's $f is where it took place.
    """
    if kind is Kind.PERSON:
        return PERSON_PLACES.get(code, SCHEMA.location)
    founding = any(FOUNDING.match(clean(text)) for text in relations)
    if code == "f" and founding and kind in (Kind.ORGANISATION, Kind.FAMILY):
        return SCHEMA.foundingLocation
    return SCHEMA.location


def _memberships(graph: RecordGraph, marc: MarcRecord, entity: IRI) -> None:
    for field in marc.all("373"):
        names = [clean(v) for v in field.every("a") if clean(v)]
        links = field.every("0")
        role = clean(field.first("4") or field.first("i") or "") or None
        for name in names:
            link = links[0] if len(names) == 1 and len(links) == 1 else None
            group = emit(
                graph,
                Heading(
                    Kind.ORGANISATION,
                    authority_key(link) or heading_key(name),
                    name,
                    name,
                    "373",
                    link,
                ),
            )
            membership(
                graph,
                entity,
                SCHEMA.memberOf,
                group,
                Dated(field.first("s"), field.first("t"), role, "373"),
            )


def _occupations(graph: RecordGraph, marc: MarcRecord, entity: IRI) -> None:
    for field in marc.all("374"):
        for value in field.every("a"):
            name = clean(value)
            if name:
                occupation = graph.entity(
                    Kind.TOPIC, heading_key("occupation", name), name, heading=value
                )
                graph.add(occupation, RDF.type, SCHEMA.Occupation)
                graph.add(entity, SCHEMA.hasOccupation, occupation)


def _related(graph: RecordGraph, marc: MarcRecord, entity: IRI, kind: Kind) -> None:
    for field in marc.all("500", "510", "511", "530", "550", "551", "555"):
        heading = marc_heading(Field("1" + field.tag[1:], field.ind1, field.ind2, field.subfields))
        if heading is None:
            continue
        target = emit(graph, dataclasses.replace(heading, field=field.tag))
        relation = field.first("i") or ""
        control = (field.first("w") or " ")[:1]
        dated = Dated(field.first("s"), field.first("t"), None, field.tag)
        if relation:
            relate(graph, entity, relation, target, dated)
        elif control == "g":
            relate(graph, entity, "part of", target)
        elif control == "h":
            relate(graph, entity, "has part", target)
        elif control == "a":
            relate(graph, entity, "successor of", target)
        elif control == "b":
            relate(graph, entity, "predecessor of", target)
        elif kind in (Kind.TOPIC, Kind.GENRE) and heading.kind in (Kind.TOPIC, Kind.GENRE):
            graph.add(entity, SKOS.related, target)
        else:
            graph.add(entity, RICO.isRelatedTo, target)
