"""What every mapper shares: the record graph being built, entity minting, names and dates.

A ``RecordGraph`` collects the triples of one source record as plain tuples (no rdflib on the
hot path), types every entity the first time it is minted, keeps the first name of an entity as
its ``schema:name`` and later different forms as ``schema:alternateName``, and records the
heading "as written" (``lg:heading``) so reconciliation and the pages can show it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from ..dates import EXPECTED, DateError, HistoricalDate, parse_date
from ..iris import Kind, identifier_key, mint, slug
from ..rdf import IRI, XSD, Lit, Term, Triple
from ..vocab import LG, RDF, RICO, SCHEMA, SKOS

CLASSES: dict[Kind, tuple[IRI, ...]] = {
    Kind.PERSON: (SCHEMA.Person,),
    Kind.FAMILY: (RICO.Family, SCHEMA.Organization),
    Kind.ORGANISATION: (SCHEMA.Organization,),
    Kind.PLACE: (SCHEMA.Place,),
    Kind.EVENT: (SCHEMA.Event,),
    Kind.COLLECTION: (SCHEMA.ArchiveComponent, RICO.RecordSet),
    Kind.ITEM: (SCHEMA.CreativeWork,),
    Kind.WORK: (SCHEMA.CreativeWork,),
    Kind.TOPIC: (SCHEMA.DefinedTerm, SKOS.Concept),
    Kind.GENRE: (SCHEMA.DefinedTerm, SKOS.Concept),
    Kind.ROLE: (SCHEMA.OrganizationRole,),
}
_AUTHORITY_LINK = re.compile(r"^\s*\(([^()\s]+)\)\s*([^\s()].*?)\s*$")
_TRAILING = re.compile(r"[\s,;:/=+]+$|(?<![A-Z\s.])\.$")


class MappingError(ValueError):
    """Something in a record that makes it unusable; ``map_record`` turns it into a RecordError."""


def authority_key(link: str | None) -> str | None:
    """The entity key an authority link names: ``a123`` for (NL-AMISG)123, ``lg-x`` for (LG)x."""
    if not link:
        return None
    match = _AUTHORITY_LINK.match(link)
    if not match:
        return None  # garbled or a URI: treated as no link, the heading still makes an entity
    source, number = match.group(1), match.group(2)
    number_key = identifier_key(number)
    if source.upper() == "NL-AMISG":
        return f"a{number_key}"
    return f"{slug(source)}-{number_key}"


def clean(text: str | None) -> str:
    """A heading part without the ISBD punctuation cataloguers leave at its end."""
    if not text:
        return ""
    value = " ".join(text.split())
    previous = None
    while previous != value:
        previous, value = value, _TRAILING.sub("", value).strip()
    return value


def heading_key(*parts: str) -> str:
    """The key of an unlinked heading: the slug of its normalised text."""
    return slug(" ".join(clean(p) for p in parts if p))


def role_key(*parts: str) -> str:
    """A deterministic key for a dated role from what identifies it."""
    return "r-" + hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:20]


def script_of(text: str) -> str | None:
    """The ISO 15924 code of a name's script when it is not Latin (Cyrl, Arab, Hani, ...)."""
    for char in text:
        if char.isalpha() and ord(char) > 0x24F:
            name = unicodedata.name(char, "")
            for prefix, code in _SCRIPTS:
                if name.startswith(prefix):
                    return code
            return None
    return None


_SCRIPTS = (
    ("CYRILLIC", "Cyrl"),
    ("GREEK", "Grek"),
    ("ARABIC", "Arab"),
    ("HEBREW", "Hebr"),
    ("CJK", "Hani"),
    ("HIRAGANA", "Jpan"),
    ("KATAKANA", "Jpan"),
    ("HANGUL", "Kore"),
    ("ARMENIAN", "Armn"),
    ("GEORGIAN", "Geor"),
    ("DEVANAGARI", "Deva"),
    ("THAI", "Thai"),
)


class RecordGraph:
    """The triples of one source record, built up by a mapper."""

    def __init__(self, base: str, record: IRI) -> None:
        self.base = base
        self.record = record
        self.triples: list[Triple] = []
        self.entities: set[IRI] = set()
        self._names: dict[IRI, set[tuple[str, str | None]]] = {}
        self._named: dict[IRI, set[str | None]] = {}
        self._labels: dict[IRI, str] = {}
        self._date_nodes = 0

    def add(self, subject: IRI, predicate: IRI, obj: Term) -> None:
        """Add one statement."""
        self.triples.append((subject, predicate, obj))

    def text(
        self, subject: IRI, predicate: IRI, value: str | None, lang: str | None = None
    ) -> None:
        """Add a string statement when the value is not empty."""
        if value and value.strip():
            self.triples.append((subject, predicate, Lit(value.strip(), lang=lang)))

    def entity(self, kind: Kind, key: str, name: str | None, *, heading: str | None = None) -> IRI:
        """The entity of this kind and key, typed, named, with the heading as written."""
        iri = mint(self.base, kind, key)
        if iri not in self.entities:
            self.entities.add(iri)
            for cls in CLASSES.get(kind, ()):
                self.triples.append((iri, RDF.type, cls))
        if name:
            self.name(iri, name)
        if heading and heading.strip():
            self.text(iri, LG.heading, heading)
        return iri

    def name(self, iri: IRI, name: str, lang: str | None = None) -> None:
        """The first name (per language) is schema:name; other forms become schema:alternateName."""
        value = name.strip()
        names = self._names.setdefault(iri, set())
        if not value or (value, lang) in names:
            return
        names.add((value, lang))
        named = self._named.setdefault(iri, set())
        if lang in named or (lang is None and named) or (lang is not None and None in named):
            self.triples.append((iri, SCHEMA.alternateName, Lit(value, lang=lang)))
        else:
            named.add(lang)
            self._labels.setdefault(iri, value)
            self.triples.append((iri, SCHEMA.name, Lit(value, lang=lang)))

    def label_of(self, iri: IRI) -> str | None:
        """The first schema:name given to an entity in this record."""
        return self._labels.get(iri)

    def alternate(self, iri: IRI, name: str, lang: str | None = None) -> None:
        """A variant name."""
        value = name.strip()
        if value and (value, lang) not in self._names.setdefault(iri, set()):
            self._names[iri].add((value, lang))
            self.triples.append((iri, SCHEMA.alternateName, Lit(value, lang=lang)))

    def date(
        self, subject: IRI, predicate: IRI, field: str, text: str | None, *, end: bool = False
    ) -> HistoricalDate | None:
        """Parse a date written in ``field`` and state it; MappingError when it cannot exist."""
        if not text or not text.strip():
            return None
        parsed = _parse(field, text)
        self.parsed_date(subject, predicate, parsed, end=end)
        return parsed

    def coverage(self, subject: IRI, field: str, text: str) -> None:
        """The period a collection or item covers: an ISO interval string plus bounds."""
        parsed = _parse(field, text)
        if parsed is None:
            return
        self.triples.append((subject, SCHEMA.temporalCoverage, Lit(parsed.interval())))
        if parsed.needs_bounds:
            self._bounds(subject, SCHEMA.temporalCoverage, parsed)

    def parsed_date(
        self, subject: IRI, predicate: IRI, parsed: HistoricalDate | None, *, end: bool = False
    ) -> None:
        """State a parsed date: the typed value, plus bounds when it is uncertain or imprecise."""
        if parsed is None:
            return
        value = (parsed.end or parsed.start) if end else parsed.start
        if value is not None:
            self.triples.append((subject, predicate, value.literal()))
        # a point property takes one end of a range: only doubt or coarseness needs bounds
        if parsed.uncertain or value is None:
            self._bounds(subject, predicate, parsed)

    def _bounds(self, subject: IRI, predicate: IRI, parsed: HistoricalDate) -> None:
        self._date_nodes += 1
        node = IRI(f"{self.record}#date-{self._date_nodes}")
        self.triples += [
            (subject, LG.uncertainDate, node),
            (node, RDF.type, LG.UncertainDate),
            (node, LG.qualifiesProperty, predicate),
            (node, LG.originalText, Lit(parsed.original)),
            (node, LG.earliest, Lit(parsed.earliest.isoformat(), datatype=XSD + "date")),
            (node, LG.latest, Lit(parsed.latest.isoformat(), datatype=XSD + "date")),
        ]

    def result(self) -> tuple[list[Triple], frozenset[IRI]]:
        """The statements without duplicates (first occurrence order) and the entities."""
        return list(dict.fromkeys(self.triples)), frozenset(self.entities)


def _parse(field: str, text: str) -> HistoricalDate | None:
    """The date written in ``field``; MappingError naming the field when it cannot exist."""
    try:
        return parse_date(text)
    except DateError as error:
        raise MappingError(f'{field} date "{text.strip()}" {error}; expected {EXPECTED}') from None
