"""Pure functions from query rows (our plain terms) to the entity page's dataclasses."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

from .property_labels import (
    DATE_LABELS,
    DESCRIPTION_PROPERTIES,
    NAME_PROPERTIES,
    SAME_AS_PROPERTIES,
    TYPE_PROPERTY,
    curie,
    date_label,
    fact_label,
)
from .rdf import IRI, Lit, Term
from .vocab import LG, SCHEMA

Row = Mapping[str, Term]
PREFERRED_LANGUAGES = ("en", "eng", "")
PATH_SAFE = "!$&'()*+,/:;=@"  # werkzeug's BaseConverter.to_url
UNQUOTED = re.compile(r"[A-Za-z0-9._~-]*")  # characters a quoted path segment keeps as they are
_ASCII_DIGIT = re.compile(r"[0-9]")


@dataclass(frozen=True)
class Name:
    """A name or a description, with its language tag ("" when none)."""

    text: str
    lang: str = ""
    variant: bool = False


@dataclass(frozen=True)
class DateFact:
    """A date as a typed value and, when uncertain, as the record wrote it."""

    label: str
    value: str
    original: str = ""
    earliest: str = ""
    latest: str = ""


@dataclass(frozen=True)
class Fact:
    """Any other statement: a property and a value (text, or a link out)."""

    label: str
    value: str
    is_link: bool = False


@dataclass(frozen=True)
class Link:
    """Another entity (or record) with its preferred name; kind and key when it is ours."""

    iri: str
    label: str
    kind: str | None = None
    key: str | None = None


@dataclass(frozen=True)
class Relation:
    """One link to another entity, with its dates and role, and the record that says so."""

    target: Link
    source: Link
    start: str = ""
    end: str = ""
    role: str = ""
    # the page paths of both ends (see page_path), made once here: a template call per link
    # cost more than the rest of its row
    target_path: str = field(default="", init=False, repr=False, compare=False)
    source_path: str = field(default="", init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "target_path", _link_path(self.target))
        object.__setattr__(self, "source_path", _link_path(self.source))


def page_path(kind: str, key: str) -> str:
    """The path of an entity page below the site's root, ``id/{kind}/{key}``, each segment
    quoted as werkzeug quotes a path segment (every key we mint needs no quoting)."""
    if UNQUOTED.fullmatch(kind) and UNQUOTED.fullmatch(key):
        return f"id/{kind}/{key}"
    return f"id/{quote(kind, safe=PATH_SAFE)}/{quote(key, safe=PATH_SAFE)}"


def _link_path(link: Link) -> str:
    return page_path(link.kind, link.key) if link.kind and link.key is not None else ""


@dataclass(frozen=True)
class Merge:
    """A mention reconciliation merged into the entity: as written, by which rule and why."""

    heading: str
    rule: str
    evidence: str
    record: Link | None
    former_iri: str


@dataclass(frozen=True)
class SourceRecord:
    """A source record whose graph describes the entity."""

    iri: str
    key: str
    identifier: str
    format: str
    url: str
    modified: str
    ingested: datetime | None


@dataclass(frozen=True)
class OwnStatements:
    """What the entity's own statements say, sorted into what the page shows."""

    label: str
    types: tuple[str, ...]
    names: tuple[Name, ...]
    descriptions: tuple[Name, ...]
    dates: tuple[DateFact, ...]
    facts: tuple[Fact, ...]
    same_as: tuple[str, ...]


def preferred_label(rows: Sequence[Row], iri: str) -> str:
    """The name a link shows: a name without life dates in it, schema:name before variants,
    English or untagged, the fullest form; else the identifier (source records have no
    name); else the key."""
    candidates = [
        (_name_rank(r[column])[1], order, _name_rank(r[column]), str(r[column]))
        for r in rows
        for order, column in enumerate(("name", "alternate", "identifier"))
        if column in r
    ]
    return min(candidates)[3] if candidates else iri.rstrip("/").rsplit("/", 1)[-1]


def label_order(text: str, lang: str, property_rank: int = 0) -> tuple[object, ...]:
    """How a name ranks as an entity's label (lowest first): schema:name before variants, Latin
    script, no life dates in it, English or untagged, the fullest form."""
    rank = _name_rank(Lit(text, lang or None))
    return (property_rank, not _latin(text), rank[1], rank)


def _latin(text: str) -> bool:
    # Latin script (with its extensions), so "Trotsky, Leon" labels him before "Троцкий, Лев";
    # ASCII (most names) is Latin without a look at each character
    return text.isascii() or all(
        not c.isalpha() or ord(c) < 0x250 or 0x1E00 <= ord(c) <= 0x1EFF for c in text
    )


def _has_digit(text: str) -> bool:
    # what any(c.isdigit() for c in text) says, without a Python step per character for ASCII
    if text.isascii():
        return _ASCII_DIGIT.search(text) is not None
    return any(map(str.isdigit, text))


def _name_rank(term: Term) -> tuple[int, bool, int, str]:
    # English or untagged first; then a name without life dates in it, the fullest form
    # ("Goldman, Emma" before "Goldman, E." and "Goldman, Emma, 1869-1940")
    lang = (term.lang or "") if isinstance(term, Lit) else ""
    rank = (
        PREFERRED_LANGUAGES.index(lang) if lang in PREFERRED_LANGUAGES else len(PREFERRED_LANGUAGES)
    )
    text = str(term)
    return rank, _has_digit(text), -len(text), text


def own_statements(rows: Sequence[Row], uncertain: Sequence[Row]) -> OwnStatements:
    """Sort the entity's own statements into names, descriptions, dates, facts and sameAs."""
    seen: set[tuple[str, Term]] = set()
    names, descriptions, facts, same_as, types = [], [], [], [], []
    dated: dict[str, list[str]] = {}
    for row in rows:
        prop, value = str(row["p"]), row["o"]
        if (prop, value) in seen:
            continue  # the same statement in two records: shown once
        seen.add((prop, value))
        if prop in NAME_PROPERTIES and isinstance(value, Lit):
            names.append(Name(value.value, value.lang or "", prop != SCHEMA.name))
        elif prop in DESCRIPTION_PROPERTIES and isinstance(value, Lit):
            descriptions.append(Name(value.value, value.lang or ""))
        elif prop in DATE_LABELS and isinstance(value, Lit):
            dated.setdefault(prop, []).append(value.value)
        elif prop in SAME_AS_PROPERTIES:
            same_as.append(str(value))
        elif prop == TYPE_PROPERTY:
            types.append(curie(str(value)))
        elif prop != LG.uncertainDate and not _is_blank(value):
            facts.append(Fact(fact_label(prop), str(value), isinstance(value, IRI)))
    # a heading with life dates in it ("Goldman, Emma, 1869-1940") yields to a plain variant
    names.sort(
        key=lambda n: (
            _name_rank(Lit(n.text, n.lang or None))[1],
            n.variant,
            _name_rank(Lit(n.text, n.lang or None)),
        )
    )
    label = names[0].text if names else "(no name)"
    return OwnStatements(
        label,
        tuple(sorted(types)),
        tuple(names),
        tuple(descriptions),
        _dates(dated, uncertain),
        tuple(sorted(facts, key=lambda f: f.label)),
        tuple(sorted(same_as)),
    )


UNCERTAIN_COLUMNS = {
    LG.qualifiesProperty: "property",
    LG.originalText: "text",
    LG.earliest: "earliest",
    LG.latest: "latest",
}


def uncertain_dates(document: Sequence[tuple[Term, Term, Term]], entity: str) -> list[Row]:
    """The entity's uncertain dates read from its document: a row per node that qualifies a
    property, with its original text and earliest/latest bounds (those it has)."""
    nodes = {o for s, p, o in document if s == entity and p == LG.uncertainDate}
    rows: dict[Term, dict[str, Term]] = {}
    for s, p, o in document:
        if s in nodes and p in UNCERTAIN_COLUMNS:
            rows.setdefault(s, {})[UNCERTAIN_COLUMNS[p]] = o
    return [row for row in rows.values() if "property" in row]


def _is_blank(value: Term) -> bool:
    return not isinstance(value, (IRI, Lit))


def _dates(dated: dict[str, list[str]], uncertain: Sequence[Row]) -> tuple[DateFact, ...]:
    originals = {str(r["property"]): r for r in uncertain}
    facts = []
    for prop in DATE_LABELS:
        for value in _most_precise(dated.get(prop, [])):
            u = originals.get(prop, {})
            facts.append(
                DateFact(
                    date_label(prop),
                    value,
                    _text(u, "text"),
                    _text(u, "earliest"),
                    _text(u, "latest"),
                )
            )
    for prop, u in originals.items():
        if prop not in dated:  # an uncertain date with no typed value still shows as written
            facts.append(
                DateFact(
                    date_label(prop), "", _text(u, "text"), _text(u, "earliest"), _text(u, "latest")
                )
            )
    return tuple(facts)


def _most_precise(values: Sequence[str]) -> list[str]:
    """The dates, sorted, without those another one refines.

    Two records may give one date at two precisions (a heading's "1869" and an authority's
    "1869-06-27"): the page shows the precise one, the RDF keeps both.
    """
    unique = sorted(set(values))
    return [v for v in unique if not any(o != v and o.startswith(v + "-") for o in unique)]


def _text(row: Row, name: str) -> str:
    value = row.get(name)
    return str(value) if value is not None else ""


def relation(target: Link, details: Sequence[Row], source: Link) -> Relation:
    """A relation from its target, its role node's details (if any) and its source record."""
    if not details:
        return Relation(target, source)
    row = details[0]
    start = _text(row, "startText") or _text(row, "start")
    end = _text(row, "endText") or _text(row, "end")
    role = _text(row, "roleLabel") or _text(row, "roleName")
    return Relation(target, source, start, end, role)


def sources(rows: Sequence[Row]) -> tuple[SourceRecord, ...]:
    """The source records of an entity, sorted by identifier."""
    found: dict[str, SourceRecord] = {}
    for row in rows:
        iri = str(row["g"])
        found.setdefault(
            iri,
            SourceRecord(
                iri=iri,
                key=iri.rstrip("/").rsplit("/", 1)[-1],
                identifier=_text(row, "identifier"),
                format=_text(row, "format"),
                url=_text(row, "url"),
                modified=_text(row, "modified"),
                ingested=_datetime(_text(row, "ingested")),
            ),
        )
    return tuple(sorted(found.values(), key=lambda s: s.identifier or s.key))


def _datetime(text: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def merges(rows: Sequence[Row], records: Mapping[str, Link]) -> tuple[Merge, ...]:
    """The merges into an entity, sorted by heading."""
    found = {
        str(r["merge"]): Merge(
            _text(r, "heading"),
            _text(r, "rule"),
            _text(r, "evidence"),
            records.get(_text(r, "record")),
            _text(r, "merged"),
        )
        for r in rows
    }
    return tuple(sorted(found.values(), key=lambda m: (m.heading.casefold(), m.former_iri)))
