"""The collections that hold material about an entity, as its page lists them.

A collection holds material about an entity when it, or one of its parts at any depth
(schema:isPartOf), names the entity as subject, creator, contributor, author or mention. When
the page has read every incoming link (most entities have few), the parts that name the entity
are among them, and the walk up to their collections costs a seek per part and level; an entity
with many incoming links is asked in one query (``entity_collections``).
"""

from __future__ import annotations

from collections.abc import Sequence

from . import queries
from .entity_relations import Edge, with_values
from .iris import Kind
from .rdf import IRI, Lit
from .store import GraphStore
from .vocab import SCHEMA

NAMING = frozenset(
    str(p)
    for p in (SCHEMA.about, SCHEMA.creator, SCHEMA.contributor, SCHEMA.mentions, SCHEMA.author)
)
MAX_COLLECTIONS = 50  # as entity_collections' LIMIT


def collection_iris(
    store: GraphStore, entity: IRI, incoming: Sequence[Edge] | None, naming_only: bool = False
) -> set[str]:
    """The collections (other than the entity) that hold material naming the entity;
    ``incoming``: every link pointing at the entity, when the page read them all, or (with
    ``naming_only``) every link by a NAMING property, when the page read all of those."""
    prefix = f"{store.base}id/{Kind.COLLECTION.value}/"
    parts = None if incoming is None else {t for p, t, _ in incoming if p in NAMING}
    if parts is None or any(not _is_iri(t) for t in parts):
        return _asked(store, entity, prefix)
    found = sorted(c for c in _walk_up(store, parts) if c.startswith(prefix))
    if naming_only and len(found) > MAX_COLLECTIONS:
        return _asked(store, entity, prefix)  # which 50 of them: the query's, as it always was
    return set(found[:MAX_COLLECTIONS]) - {str(entity)}


def _asked(store: GraphStore, entity: IRI, prefix: str) -> set[str]:
    """The collections as one query finds them (at most MAX_COLLECTIONS)."""
    rows = store.select("entity_collections", entity=entity, collectionPrefix=Lit(prefix))
    return {str(r["collection"]) for r in rows} - {str(entity)}


def _walk_up(store: GraphStore, parts: set[str]) -> set[str]:
    """The parts and everything they are part of, at any depth (a query per level)."""
    seen, level = set(parts), sorted(parts)
    while level:  # each level holds only nodes not seen before, so a cycle ends the walk
        rows = store.select_text(with_values(queries.load("entity_parts_of"), "part", level))
        level = sorted({str(r["whole"]) for r in rows if isinstance(r["whole"], IRI)} - seen)
        seen.update(level)
    return seen


def _is_iri(text: str) -> bool:
    return not text.startswith("_:")
