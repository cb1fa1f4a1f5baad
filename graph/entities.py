"""The read model of the entity pages: ``describe(store, iri)`` gives frozen dataclasses.

Templates and the web layer see only these dataclasses, never RDF terms. Relations are paged
in SPARQL (LIMIT/OFFSET on index order) and counted without labels, so an organisation with
thousands of members costs one count and one page of labels, not thousands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from . import entity_rows, queries
from .entity_rows import (
    DateFact,
    Fact,
    Link,
    Merge,
    Name,
    Relation,
    SourceRecord,
)
from .iris import IRIError, Kind, parse
from .property_labels import relation_label
from .rdf import IRI, Lit, Term
from .store import GraphStore

__all__ = [
    "DateFact",
    "Entity",
    "Fact",
    "Link",
    "Merge",
    "Name",
    "Relation",
    "RelationGroup",
    "SourceRecord",
    "describe",
    "exists",
    "last_modified",
    "survivor",
]

PER_PAGE = 25
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class GroupRequest:
    """Which page of which relation group the reader asked for."""

    direction: str  # "out" or "in"
    property: str
    page: int = 1


@dataclass(frozen=True)
class RelationGroup:
    """The links of the entity by one property in one direction, one page of them."""

    direction: str
    property: str
    label: str
    total: int
    page: int
    per_page: int
    relations: tuple[Relation, ...]

    @property
    def pages(self) -> int:
        """How many pages the group has."""
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        """1-based position of the first relation on this page."""
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        """1-based position of the last relation on this page."""
        return min(self.total, self.page * self.per_page)


@dataclass(frozen=True)
class Entity:
    """Everything an entity page shows."""

    iri: str
    kind: str
    key: str
    label: str
    types: tuple[str, ...]
    names: tuple[Name, ...]
    descriptions: tuple[Name, ...]
    dates: tuple[DateFact, ...]
    facts: tuple[Fact, ...]
    same_as: tuple[str, ...]
    groups: tuple[RelationGroup, ...]
    collections: tuple[Link, ...]
    sources: tuple[SourceRecord, ...]
    merges: tuple[Merge, ...] = ()

    @property
    def last_modified(self) -> datetime | None:
        """When a record about the entity was last ingested (for Last-Modified)."""
        times = [s.ingested for s in self.sources if s.ingested]
        return max(times) if times else None


def describe(
    store: GraphStore, iri: str, focus: GroupRequest | None = None, per_page: int = PER_PAGE
) -> Entity | None:
    """The entity ``iri`` as the page shows it, or None if no record describes it."""
    try:
        kind, key = parse(store.base, iri)
    except IRIError:
        return None
    entity = IRI(iri)
    id_prefix = Lit(f"{store.base}id/")
    rows = store.select("entity_statements", entity=entity, idPrefix=id_prefix)
    if not rows:
        return None
    own = entity_rows.own_statements(rows, store.select("entity_uncertain_dates", entity=entity))
    return Entity(
        iri=iri,
        kind=kind.value,
        key=key,
        label=own.label,
        types=own.types,
        names=own.names,
        descriptions=own.descriptions,
        dates=own.dates,
        facts=own.facts,
        same_as=own.same_as,
        groups=_groups(store, entity, id_prefix, focus, per_page),
        collections=_collections(store, entity),
        sources=entity_rows.sources(store.select("entity_sources", entity=entity)),
        merges=_merges(store, entity),
    )


def exists(store: GraphStore, iri: str) -> bool:
    """True when a record describes the entity ``iri``."""
    return store.ask_text(queries.load("entity_exists"), entity=IRI(iri))


def last_modified(store: GraphStore, iri: str) -> datetime | None:
    """When a record describing ``iri`` was last ingested (None if none says when)."""
    found = entity_rows.sources(store.select("entity_sources", entity=IRI(iri)))
    times = [s.ingested for s in found if s.ingested]
    return max(times) if times else None


def survivor(store: GraphStore, iri: str) -> str | None:
    """The entity a merged IRI now belongs to (it declares owl:sameAs the old IRI), if any."""
    rows = store.select("entity_survivor", entity=IRI(iri), idPrefix=Lit(f"{store.base}id/"))
    return str(rows[0]["survivor"]) if rows else None


def link(store: GraphStore, iri: str) -> Link:
    """A link to an entity with its preferred name, kind and key."""
    rows = store.select("entity_names", entity=IRI(iri))
    try:
        kind, key = parse(store.base, iri)
        kind_text: str | None = kind.value
        key_text: str | None = key
    except IRIError:
        kind_text = key_text = None
    return Link(iri, entity_rows.preferred_label(rows, iri), kind_text, key_text)


def _groups(
    store: GraphStore, entity: IRI, id_prefix: Lit, focus: GroupRequest | None, per_page: int
) -> tuple[RelationGroup, ...]:
    per_page = max(1, min(per_page, MAX_PAGE_SIZE))
    counts = [
        ("out", r)
        for r in store.select("entity_link_counts_out", entity=entity, idPrefix=id_prefix)
    ]
    counts += [("in", r) for r in store.select("entity_link_counts_in", entity=entity)]
    groups = []
    for direction, row in sorted(counts, key=lambda c: (c[0] != "out", str(c[1]["p"]))):
        prop, total = str(row["p"]), int(str(row["n"]))
        page = 1
        if focus and focus.direction == direction and focus.property == prop:
            page = max(1, min(focus.page, -(-total // per_page)))
        relations = _relation_page(store, entity, id_prefix, direction, prop, page, per_page)
        label = relation_label(prop, direction)
        groups.append(RelationGroup(direction, prop, label, total, page, per_page, relations))
    return tuple(groups)


def _relation_page(
    store: GraphStore,
    entity: IRI,
    id_prefix: Lit,
    direction: str,
    prop: str,
    page: int,
    per_page: int,
) -> tuple[Relation, ...]:
    bindings: dict[str, Term] = {"entity": entity, "p": IRI(prop)}
    if direction == "out":
        bindings["idPrefix"] = id_prefix
    # LIMIT and OFFSET cannot be bound as variables; they are ints we computed, never user
    # text. No ORDER BY: pyoxigraph sorts slowly (20 ms for 350 rows on 5M triples), and its
    # index order is stable within one published snapshot, which the ETag names.
    text = queries.load(f"entity_links_{direction}") + (
        f"\nLIMIT {int(per_page)} OFFSET {int((page - 1) * per_page)}\n"
    )
    rows = store.select_text(text, **bindings)
    role_prefix = f"{store.base}id/{Kind.ROLE.value}/"
    roles = _roles(
        store, [r["target"] for r in rows if str(r["target"]).startswith(role_prefix)], prop
    )
    relations = []
    for row in rows:
        role = roles.get(str(row["target"]), {})
        end = role.get("target" if direction == "out" else "holder", row["target"])
        relations.append((str(end), [role] if role else [], str(row["g"])))
    labels = page_labels(store, {n for end, _, g in relations for n in (end, g)})
    return tuple(
        entity_rows.relation(labels[end], details, labels[g]) for end, details, g in relations
    )


def _roles(store: GraphStore, roles: list[Term], prop: str) -> dict[str, dict[str, Term]]:
    """What each dated Role node on a page links to, who holds it, its dates and name."""
    if not roles:
        return {}
    text = with_values(queries.load("entity_page_roles"), "role", roles)
    return {str(r["role"]): r for r in store.select_text(text, p=IRI(prop))}


def page_labels(store: GraphStore, iris: set[str]) -> dict[str, Link]:
    """Links with preferred names for every IRI of a page, in one query."""
    if not iris:
        return {}
    rows = store.select_text(
        with_values(queries.load("entity_page_labels"), "entity", sorted(iris))
    )
    by_entity: dict[str, list[dict[str, Term]]] = {}
    for row in rows:
        by_entity.setdefault(str(row["entity"]), []).append(row)
    links = {}
    for iri in iris:
        try:
            kind, key = parse(store.base, iri)
            kind_text, key_text = kind.value, key
        except IRIError:
            kind_text = key_text = None  # type: ignore[assignment]
        label = entity_rows.preferred_label(by_entity.get(iri, []), iri)
        links[iri] = Link(iri, label, kind_text, key_text)
    return links


def with_values(query: str, variable: str, iris: Sequence[Term | str]) -> str:
    """The query with its empty ``VALUES ?variable {}`` filled with these IRIs.

    pyoxigraph binds one value per variable; a page's worth of IRIs goes in a VALUES block.
    Every IRI comes from the store and is written in N-Triples syntax, which escapes any
    character that could end it, so no text from a request reaches the query.
    """
    placeholder = f"VALUES ?{variable} {{}}"
    if placeholder not in query:
        raise ValueError(f"the query has no {placeholder!r} to fill")
    values = " ".join(IRI(str(i)).n3() for i in iris)
    return query.replace(placeholder, f"VALUES ?{variable} {{ {values} }}", 1)


def _merges(store: GraphStore, entity: IRI) -> tuple[Merge, ...]:
    rows = store.select("entity_merges", entity=entity)
    records = page_labels(store, {str(r["record"]) for r in rows if "record" in r})
    return entity_rows.merges(rows, records)


def _collections(store: GraphStore, entity: IRI) -> tuple[Link, ...]:
    prefix = Lit(f"{store.base}id/{Kind.COLLECTION.value}/")
    rows = store.select("entity_collections", entity=entity, collectionPrefix=prefix)
    found = page_labels(store, {str(r["collection"]) for r in rows} - {str(entity)})
    return tuple(sorted(found.values(), key=lambda x: x.label.casefold()))
