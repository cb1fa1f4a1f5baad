"""The read model of the entity pages: ``describe(store, iri)`` gives frozen dataclasses.

Templates and the web layer see only these dataclasses, never RDF terms. Relations are paged
in SPARQL (LIMIT/OFFSET on index order) and counted without labels, so an organisation with
thousands of members costs one count and one page of labels, not thousands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from . import entity_rows, queries
from .documents import own_document
from .entity_collections import NAMING, collection_iris
from .entity_records import read_records, record_sources
from .entity_relations import (
    PER_PAGE,
    Edge,
    GroupRequest,
    PageReader,
    RelationGroup,
    page_iris,
    page_labels,
    relation_groups,
    with_values,
)
from .entity_roles import read_roles
from .entity_rows import (
    DateFact,
    Fact,
    Link,
    Merge,
    Name,
    Relation,
    SourceRecord,
)
from .iris import IRIError, parse
from .link_labels import LabelTable
from .rdf import IRI, Lit, Term, Triple
from .store import GraphStore
from .vocab import LG

__all__ = [
    "DateFact",
    "Entity",
    "Fact",
    "GroupRequest",
    "Link",
    "Merge",
    "Name",
    "Relation",
    "RelationGroup",
    "SourceRecord",
    "describe",
    "exists",
    "last_modified",
    "own_statements",
    "page_labels",
    "survivor",
    "with_values",
]


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
    # the entity's own statements and its nodes' (own_document), for the embedded JSON-LD
    document: tuple[Triple, ...] = field(default=(), repr=False, compare=False)

    @property
    def last_modified(self) -> datetime | None:
        """When a record about the entity was last ingested (for Last-Modified)."""
        times = [s.ingested for s in self.sources if s.ingested]
        return max(times) if times else None


def describe(
    store: GraphStore,
    iri: str,
    focus: GroupRequest | None = None,
    per_page: int = PER_PAGE,
    labels: LabelTable | None = None,
) -> Entity | None:
    """The entity ``iri`` as the page shows it, or None if no record describes it; ``labels``:
    the link labels of the store's search index, when the page may take them from there."""
    try:
        kind, key = parse(store.base, iri)
    except IRIError:
        return None
    entity = IRI(iri)
    rows = store.select("entity_own", entity=entity)
    if not rows:
        return None
    statements, links = _split_links(rows, f"{store.base}id/")
    document = own_document(store, entity, [(entity, r["p"], r["o"]) for r in rows])  # type: ignore[misc]
    own = entity_rows.own_statements(statements, entity_rows.uncertain_dates(document, iri))
    reader = PageReader(store, entity, focus, per_page)
    pages = reader.from_edges("out", links) + reader.incoming()
    roles = read_roles(store, pages, document)
    if reader.all_incoming is not None:
        collections = collection_iris(store, entity, reader.all_incoming)
    else:  # an entity with many links: its naming ones may still all be on the page
        collections = collection_iris(store, entity, reader.read_whole(NAMING), naming_only=True)
    merge_rows = store.select("entity_merges", entity=entity) if reader.merged else []
    records = read_records(store, (str(r["g"]) for r in rows))
    merged_from = {str(r["record"]) for r in merge_rows if "record" in r}
    wanted = page_iris(pages, roles) | collections | merged_from
    links = page_labels(store, wanted, records, labels)
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
        groups=relation_groups(pages, roles, links, per_page),
        collections=tuple(sorted((links[c] for c in collections), key=_by_label)),
        sources=record_sources(records),
        merges=entity_rows.merges(merge_rows, links),
        document=tuple(document),
    )


def _split_links(
    rows: Sequence[dict[str, Term]], id_prefix: str
) -> tuple[list[dict[str, Term]], list[Edge]]:
    """The entity's own statements, and its links to other entities (IRIs under ``id_prefix``)."""
    statements, links = [], []
    for row in rows:
        value = row["o"]
        if not (isinstance(value, IRI) and value.startswith(id_prefix)):
            statements.append(row)
        elif row["p"] != LG.uncertainDate:
            links.append((str(row["p"]), str(value), str(row["g"])))
    return statements, links


def exists(store: GraphStore, iri: str) -> bool:
    """True when a record describes the entity ``iri``."""
    return store.ask_text(queries.load("entity_exists"), entity=IRI(iri))


def last_modified(store: GraphStore, iri: str) -> datetime | None:
    """When a record describing ``iri`` was last ingested (None if none says when)."""
    return own_statements(store, iri)[1]


def own_statements(store: GraphStore, iri: str) -> tuple[list[Triple], datetime | None]:
    """The entity's own statements (none: no record describes it) and when a record describing
    it was last ingested: one seek for the statements and one per record graph they are in."""
    entity = IRI(iri)
    rows = store.select("entity_own", entity=entity)
    records = read_records(store, (str(r["g"]) for r in rows))
    times = [s.ingested for s in record_sources(records) if s.ingested]
    return [(entity, r["p"], r["o"]) for r in rows], max(times) if times else None  # type: ignore[misc]


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


def _by_label(link: Link) -> str:
    return link.label.casefold()
