"""Mentions: what one record says about a person, organisation, family or place it names.

Reconciliation compares mentions, not whole entities: ``mentions_of(base, graph, triples)``
reads them off a record's statements in one pass (names, headings as written, authority links,
outside identifiers, life or existence dates with their bounds), and ``Facts`` gathers the
mentions of one mapped IRI across records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .iris import Kind
from .mappers.common import authority_key
from .rdf import IRI, Lit, Triple
from .vocab import LG, SCHEMA

RECONCILED_KINDS = frozenset({Kind.PERSON, Kind.FAMILY, Kind.ORGANISATION, Kind.PLACE})
AGENT_KINDS = frozenset({Kind.PERSON, Kind.FAMILY, Kind.ORGANISATION})
OUTSIDE_ID = re.compile(
    r"^https?://(?:www\.)?(wikidata\.org/entity/Q\d+|viaf\.org/viaf/\d+|isni\.org/isni/[\dX]+)$"
)
NAME_PROPERTIES = frozenset({SCHEMA.name, SCHEMA.alternateName})
START = frozenset({SCHEMA.birthDate, SCHEMA.foundingDate})
END = frozenset({SCHEMA.deathDate, SCHEMA.dissolutionDate})
_YEAR = re.compile(r"^-?(\d{1,4})")
Span = tuple[int, int]


@dataclass
class Mention:
    """What one record says about one entity IRI it mints."""

    iri: IRI
    kind: Kind
    key: str
    names: set[str] = field(default_factory=set)
    headings: set[str] = field(default_factory=set)
    outside_ids: set[str] = field(default_factory=set)
    links: set[str] = field(default_factory=set)  # authority keys of its identifiers
    anchored: bool = False  # minted from an authority link or by its own authority record
    own: bool = False  # the entity the record itself describes (an authority or EAC record)
    start: Span | None = None  # birth or founding, as a span of years
    end: Span | None = None  # death or dissolution


def entity_kind(prefix: str, iri: str) -> tuple[Kind, str] | None:
    """The kind and key of an entity IRI under ``{base}id/`` when reconciliation handles it."""
    if not iri.startswith(prefix):
        return None
    kind_text, _, key = iri[len(prefix) :].partition("/")
    if kind_text not in _KIND_TEXTS or "#" in key:
        return None
    return Kind(kind_text), key


_KIND_TEXTS = frozenset(k.value for k in RECONCILED_KINDS)


def mentions_of(base: str, graph: IRI, triples: Iterable[Triple]) -> dict[IRI, Mention]:
    """The mentions of one record's statements, by the IRI the mapper minted."""
    prefix = base + "id/"
    own_key = graph[len(prefix) + len("record/") :] if graph.startswith(prefix) else ""
    found: dict[IRI, Mention] = {}
    bounds: dict[str, dict[IRI, object]] = {}
    for s, p, o in triples:
        if p in _INTERESTING:
            known = found.get(s) if isinstance(s, IRI) else None
            if known is None:
                parsed = entity_kind(prefix, s)
                if parsed is None:
                    continue
                known = found[s] = Mention(s, parsed[0], parsed[1])
                known.own = own_key in (f"auth-{parsed[1]}", f"eac-{parsed[1]}", parsed[1])
                known.anchored = known.own
            _note(known, p, o, bounds)
        elif p in _BOUND_PARTS and isinstance(s, IRI) and "#date-" in s:
            bounds.setdefault(s, {})[p] = o
    _apply_bounds(found, bounds)
    return found


def _note(mention: Mention, p: IRI, o: object, bounds: dict[str, dict[IRI, object]]) -> None:
    if isinstance(o, Lit):
        if p in NAME_PROPERTIES:
            mention.names.add(o.value)
        elif p == LG.heading:
            mention.headings.add(o.value)
        elif p == SCHEMA.identifier:
            linked = authority_key(o.value)
            if linked:
                mention.links.add(linked)
                mention.anchored = mention.anchored or linked == mention.key
        elif p in START:
            mention.start = _widen(mention.start, _year_span(o.value))
        elif p in END:
            mention.end = _widen(mention.end, _year_span(o.value))
    elif p == SCHEMA.sameAs and OUTSIDE_ID.match(o):  # type: ignore[arg-type]
        mention.outside_ids.add(
            str(o).replace("https://", "http://").replace("//wikidata", "//www.wikidata")
        )
    elif p == LG.uncertainDate:
        bounds.setdefault(str(o), {})["entity"] = mention


def _apply_bounds(found: dict[IRI, Mention], bounds: dict[str, dict[IRI, object]]) -> None:
    """Widen a date to the earliest and latest years an uncertain date allows."""
    for parts in bounds.values():
        mention = parts.get("entity")
        qualified, low, high = (
            parts.get(p) for p in (LG.qualifiesProperty, LG.earliest, LG.latest)
        )
        if (
            not isinstance(mention, Mention)
            or not isinstance(low, Lit)
            or not isinstance(high, Lit)
        ):
            continue
        span = (_year_span(low.value) or (0, 0))[0], (_year_span(high.value) or (0, 0))[1]
        if qualified in START:
            mention.start = _widen(mention.start, span)
        elif qualified in END:
            mention.end = _widen(mention.end, span)


_INTERESTING = frozenset(
    {*NAME_PROPERTIES, LG.heading, SCHEMA.identifier, SCHEMA.sameAs, *START, *END, LG.uncertainDate}
)
_BOUND_PARTS = frozenset({LG.qualifiesProperty, LG.earliest, LG.latest})


def _year_span(text: str) -> Span | None:
    match = _YEAR.match(text)
    if not match:
        return None
    year = int(match.group(1))
    return (year, year)


def _widen(span: Span | None, more: Span | None) -> Span | None:
    if more is None:
        return span
    if span is None:
        return more
    return (min(span[0], more[0]), max(span[1], more[1]))


@dataclass
class Facts:
    """Everything the records say about one mapped IRI, gathered from its mentions."""

    iri: IRI
    kind: Kind
    key: str
    names: set[str] = field(default_factory=set)
    outside_ids: set[str] = field(default_factory=set)
    anchored: bool = False
    own: bool = False
    start: Span | None = None
    end: Span | None = None
    graphs: set[IRI] = field(default_factory=set)

    def add(self, graph: IRI, mention: Mention) -> None:
        """Gather one more record's mention of this IRI."""
        self.names |= mention.names | mention.headings
        self.outside_ids |= mention.outside_ids
        self.anchored = self.anchored or mention.anchored
        self.own = self.own or mention.own
        self.start = _widen(self.start, mention.start)
        self.end = _widen(self.end, mention.end)
        self.graphs.add(graph)


def gather(mentions: dict[IRI, dict[IRI, Mention]]) -> dict[IRI, Facts]:
    """The facts of every mapped IRI, from the mentions of every record graph."""
    facts: dict[IRI, Facts] = {}
    for graph in sorted(mentions):
        for iri, mention in mentions[graph].items():
            known = facts.get(iri)
            if known is None:
                known = facts[iri] = Facts(iri, mention.kind, mention.key)
            known.add(graph, mention)
    return facts
