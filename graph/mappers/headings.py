"""Name headings (MARC X00-X55 fields, EAD and EAC names) and the entities they become.

A ``Heading`` says what kind of entity a heading names, its key (authority link first, else the
normalised heading), its display name and the heading as written, plus what the heading itself
carries: life dates (``$d 1869-1940``), a meeting's number, date and place, or the place a
place name is qualified by (``Nijmegen (Netherlands)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..dates import EXPECTED, DateError, parse_life_dates
from ..iris import Kind
from ..rdf import IRI, Lit
from ..vocab import LG, SCHEMA
from .common import MappingError, RecordGraph, authority_key, clean, heading_key
from .marc_fields import Field

KIND_BY_SUFFIX = {
    "00": Kind.PERSON,
    "10": Kind.ORGANISATION,
    "11": Kind.EVENT,
    "30": Kind.WORK,
    "50": Kind.TOPIC,
    "51": Kind.PLACE,
    "55": Kind.GENRE,
}
_MEETING_TAIL = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_LIFE_DATES_TAIL = re.compile(
    r"^(.*?),?\s+((?:ca\.\s*)?\d{4}\??\s*-\s*(?:(?:ca\.\s*)?\d{4}\??)?|(?:b|d)\.\s*\d{4}\??)\.?$"
)
_NOT_A_PLACE = {"former", "region", "kingdom", "state", "province", "county", "republic"}


@dataclass(frozen=True, slots=True)
class Heading:
    """A name as a record gives it, and what it says about the entity."""

    kind: Kind
    key: str
    name: str
    written: str
    field: str  # where it came from, for messages: "100", "600", "persname"
    link: str | None = None
    life_dates: str | None = None
    number: str | None = None
    date: str | None = None
    place: str | None = None
    within: str | None = None  # "Netherlands" in "Nijmegen (Netherlands)"


def marc_heading(field: Field) -> Heading | None:
    """The heading of a MARC name/subject field (1XX, 4XX, 5XX, 6XX, 7XX, 8XX), or None."""
    kind = KIND_BY_SUFFIX.get(field.tag[1:])
    if kind is None:
        return None
    if kind is Kind.PERSON and field.ind1 == "3":
        kind = Kind.FAMILY
    link = field.first("0")
    written = field.display() if field.tag[0] in "6" else field.joined("abcdnqt")
    if kind in (Kind.PERSON, Kind.FAMILY):
        return _person(kind, field, link, written)
    if kind is Kind.ORGANISATION:
        name = ". ".join(clean(v) for v in field.every("a") + field.every("b") if clean(v))
        return _keyed(kind, name, written, field.tag, link)
    if kind is Kind.EVENT:
        return _meeting(field, link, written)
    name = ". ".join(
        clean(v) for v in field.every("a") + field.every("n") + field.every("p") if clean(v)
    )
    return _keyed(kind, name, written, field.tag, link)


def _person(kind: Kind, field: Field, link: str | None, written: str) -> Heading | None:
    name = clean(field.joined("abc"))
    dates = clean(field.first("d") or "").strip("()") or None
    if not name:
        return None
    key = authority_key(link) or heading_key(name, field.first("q") or "", dates or "")
    return Heading(kind, key, name, written, field.tag, link, life_dates=dates)


def _keyed(kind: Kind, name: str, written: str, tag: str, link: str | None) -> Heading | None:
    if not name:
        return None
    within = _qualifier(name) if kind is Kind.PLACE else None
    return Heading(
        kind, authority_key(link) or heading_key(name), name, written, tag, link, within=within
    )


def _meeting(field: Field, link: str | None, written: str) -> Heading | None:
    name = clean(field.joined("aeq"))
    number = clean(field.first("n") or "").strip("()").strip(" :") or None
    date = clean(field.first("d") or "").strip("()").strip(" :") or None
    place = clean(field.first("c") or "").strip("()").strip(" :") or None
    if number is None and date is None and place is None:
        name, number, date, place = split_meeting(name)
    if not name:
        return None
    qualifiers = " : ".join(p for p in (number, date, place) if p)
    display = f"{name} ({qualifiers})" if qualifiers else name
    key = authority_key(link) or heading_key(display)
    return Heading(
        Kind.EVENT, key, display, written, field.tag, link, number=number, date=date, place=place
    )


def split_meeting(text: str) -> tuple[str, str | None, str | None, str | None]:
    """Name, number, date and place of a meeting written "Congress (2 : 1990 : Paris)"."""
    match = _MEETING_TAIL.match(text)
    if not match:
        return text, None, None, None
    number = date = place = None
    for part in (p.strip() for p in match.group(2).split(":")):
        if re.fullmatch(r"\d+(st|nd|rd|th|e|er|\.)?", part) and number is None and date is None:
            number = part
        elif re.search(r"\d{4}", part) and date is None:
            date = part
        elif part:
            place = part
    if date is None and place is None and number is None:
        return text, None, None, None
    return match.group(1).strip(), number, date, place


def _qualifier(name: str) -> str | None:
    match = _MEETING_TAIL.match(name)
    if not match or not match.group(1):
        return None
    qualifier = match.group(2).strip()
    if not qualifier[:1].isupper() or qualifier.lower() in _NOT_A_PLACE:
        return None
    return qualifier


def place_heading(name: str, written: str, field: str, link: str | None) -> Heading:
    """A place named in a field of its own (MARC 370, EAC placeEntry), linked when it can be."""
    key = authority_key(link) or heading_key(name)
    return Heading(
        Kind.PLACE,
        key,
        name,
        written,
        field,
        link if authority_key(link) else None,
        within=_qualifier(name),
    )


def text_heading(
    kind: Kind, text: str, field: str, link: str | None = None, normal: str | None = None
) -> Heading | None:
    """The heading of a name given as text (EAD persname/corpname..., EAC relationEntry)."""
    written = " ".join(text.split())
    form = " ".join((normal or written).split())
    if not form:
        return None
    dates = None
    if kind in (Kind.PERSON, Kind.FAMILY):
        match = _LIFE_DATES_TAIL.match(form)
        if match:
            form, dates = match.group(1), match.group(2)
    if kind is Kind.EVENT:
        name, number, date, place = split_meeting(clean(form))
        qualifiers = " : ".join(p for p in (number, date, place) if p)
        display = f"{name} ({qualifiers})" if qualifiers else name
        key = authority_key(link) or heading_key(display)
        return Heading(
            kind, key, display, written, field, link, number=number, date=date, place=place
        )
    name = clean(form)
    if not name:
        return None
    key = authority_key(link) or heading_key(name, dates or "")
    within = _qualifier(name) if kind is Kind.PLACE else None
    return Heading(kind, key, name, written, field, link, life_dates=dates, within=within)


def emit(graph: RecordGraph, heading: Heading, described: bool = False) -> IRI:
    """The entity a heading names, with what the heading itself says about it.

    ``described``: the record is the entity's own authority record, which states its dates.
    """
    iri = graph.entity(heading.kind, heading.key, heading.name, heading=heading.written)
    if heading.link and heading.link.strip():
        graph.add(iri, SCHEMA.identifier, Lit(heading.link.strip()))
    if heading.life_dates:
        _life_dates(graph, iri, heading)
    if heading.kind is Kind.EVENT:
        _meeting_details(graph, iri, heading, described or not authority_key(heading.link))
    if heading.within:
        outer = graph.entity(Kind.PLACE, heading_key(heading.within), heading.within)
        graph.add(iri, SCHEMA.containedInPlace, outer)
    return iri


def _life_dates(graph: RecordGraph, iri: IRI, heading: Heading) -> None:
    text = heading.life_dates or ""
    try:
        birth, death = parse_life_dates(text)
    except DateError as error:
        raise MappingError(
            f'{_date_field(heading)} date "{text}" {error}; expected {EXPECTED}'
        ) from None
    born, died = (
        (SCHEMA.birthDate, SCHEMA.deathDate)
        if heading.kind is Kind.PERSON
        else (SCHEMA.foundingDate, SCHEMA.dissolutionDate)
    )
    graph.parsed_date(iri, born, birth)
    graph.parsed_date(iri, died, death)


def _meeting_details(graph: RecordGraph, iri: IRI, heading: Heading, stated: bool) -> None:
    """A meeting's number, and its date and place unless its authority record states them.

    A heading linked to an authority names the meeting that record describes: its $d and $c
    only qualify the name (the year of a precise 046 date, the place 370 links), so stating
    them here would give the event a second, coarser start date and a second, unlinked place.
    """
    if heading.number:
        graph.text(iri, LG.meetingNumber, heading.number)
    if heading.date and stated:
        graph.date(iri, SCHEMA.startDate, _date_field(heading), heading.date)
    if heading.place and stated:
        name = meeting_place(heading.place)
        place = graph.entity(Kind.PLACE, heading_key(name), name, heading=heading.place)
        graph.add(iri, SCHEMA.location, place)


def meeting_place(text: str) -> str:
    """A meeting's place as a place heading: "Paris, France" is "Paris (France)".

    The qualified form is the one place headings (651) use, so reconciliation resolves it to
    the authority place named "Paris" like any other place heading.
    """
    town, comma, country = text.partition(",")
    if not comma or not town.strip() or not country.strip() or "(" in text:
        return text
    return f"{town.strip()} ({country.strip()})"


def _date_field(heading: Heading) -> str:
    return f"{heading.field} $d" if heading.field.isdigit() else heading.field
