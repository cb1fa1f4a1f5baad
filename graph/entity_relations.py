"""The relation groups of an entity page, read in as few index seeks as a page allows.

The entity's outgoing links come with its own statements (one index scan, see ``describe``);
its incoming links are counted per property first, then read in one query when there are at
most ``IN_AT_ONCE`` (50) of them, else paged per property in SPARQL (LIMIT/OFFSET on index
order), so an organisation with thousands of members costs one count and one page. Dated Role
nodes are read by ``entity_roles``, and every name the page shows by ``page_labels``: from the
search index's link labels when they are of the store's generation (``link_labels``), else one
seek per entity for its schema:name, and another only for those without one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import entity_rows, queries
from .entity_rows import Link, Relation
from .iris import KEY_PATTERN, Kind
from .link_labels import LabelTable, link_label
from .property_labels import relation_label
from .rdf import IRI, Term
from .store import GraphStore
from .vocab import LG, SCHEMA

PER_PAGE = 25
MAX_PAGE_SIZE = 200
IN_AT_ONCE = 50
MERGED_INTO = str(LG.mergedInto)
KINDS = frozenset(k.value for k in Kind)

Edge = tuple[str, str, str]  # property, the entity (or Role node) at the other end, record


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
class GroupPage:
    """One page of a relation group before its names are known: the edges on the page."""

    direction: str
    property: str
    total: int
    page: int
    edges: tuple[Edge, ...]


class PageReader:
    """Reads the relation groups of one entity page: which page of which group, how many."""

    def __init__(
        self, store: GraphStore, entity: IRI, focus: GroupRequest | None, per_page: int
    ) -> None:
        self.store, self.entity, self.focus = store, entity, focus
        self.per_page = max(1, min(per_page, MAX_PAGE_SIZE))
        self.merged = True  # whether merge decisions point at the entity (see incoming)
        self.all_incoming: list[Edge] | None = None  # every incoming link, when all were read
        self.in_counts: dict[str, int] = {}  # incoming links per property
        self.in_pages: list[GroupPage] = []  # the pages of the incoming groups

    def _page(self, direction: str, prop: str, total: int) -> int:
        focus = self.focus
        if focus and focus.direction == direction and focus.property == prop:
            return max(1, min(focus.page, -(-total // self.per_page)))
        return 1

    def from_edges(self, direction: str, edges: Sequence[Edge]) -> list[GroupPage]:
        """Pages cut from every edge of one direction, grouped by property in reading order."""
        by_property: dict[str, list[Edge]] = {}
        for edge in edges:
            by_property.setdefault(edge[0], []).append(edge)
        pages = []
        for prop, found in by_property.items():
            page = self._page(direction, prop, len(found))
            start = (page - 1) * self.per_page
            cut = tuple(found[start : start + self.per_page])
            pages.append(GroupPage(direction, prop, len(found), page, cut))
        return pages

    def incoming(self) -> list[GroupPage]:
        """The pages of the incoming groups: counts, then every link or a page per property."""
        counts = {
            str(row["p"]): int(str(row["n"]))
            for row in self.store.select("entity_link_counts_in", entity=self.entity)
        }
        self.merged = MERGED_INTO in counts  # merge decisions are read with entity_merges
        self.in_counts = counts
        if sum(counts.values()) <= IN_AT_ONCE:
            # rows as plain strings (pyoxigraph's CSV writer); the query's LIMIT is one above
            edges = list(
                self.store.select_plain(
                    "entity_links_in_all", ("p", "target", "g"), entity=self.entity
                )
            )
            self.all_incoming = edges
            self.in_pages = self.from_edges("in", [e for e in edges if e[0] != MERGED_INTO])
            return self.in_pages
        pages = []
        for prop, total in counts.items():
            if prop != MERGED_INTO:
                page = self._page("in", prop, total)
                pages.append(GroupPage("in", prop, total, page, self._paged_in(prop, page)))
        self.in_pages = pages
        return pages

    def read_whole(self, properties: frozenset[str]) -> list[Edge] | None:
        """The incoming links by these properties when the page read every one of them (each
        of their groups fits on one page), else None; call after ``incoming``."""
        if any(total > self.per_page for p, total in self.in_counts.items() if p in properties):
            return None
        return [e for page in self.in_pages if page.property in properties for e in page.edges]

    def _paged_in(self, prop: str, page: int) -> tuple[Edge, ...]:
        # LIMIT and OFFSET are ints we computed, never user text. No ORDER BY: pyoxigraph
        # sorts slowly, and its index order is stable within one published snapshot (the ETag)
        text = queries.load("entity_links_in") + (
            f"\nLIMIT {int(self.per_page)} OFFSET {int((page - 1) * self.per_page)}\n"
        )
        rows = self.store.select_text(text, entity=self.entity, p=IRI(prop))
        return tuple((prop, str(r["target"]), str(r["g"])) for r in rows)


RoleDetails = dict[tuple[str, str], dict[str, Term]]  # (role, property) -> its details


def _ends(page: GroupPage, roles: RoleDetails) -> list[tuple[str, dict[str, Term], str]]:
    """Each edge of the page read through its Role node: the end, the role's row, the record."""
    side = "target" if page.direction == "out" else "holder"
    found = []
    for _, end, g in page.edges:
        role = roles.get((str(end), page.property), {})
        found.append((str(role.get(side, end)), role, str(g)))
    return found


def page_iris(pages: Sequence[GroupPage], roles: RoleDetails) -> set[str]:
    """Every entity and record the relation groups link to (what ``page_labels`` must name)."""
    return {iri for page in pages for end, _, g in _ends(page, roles) for iri in (end, g)}


def relation_groups(
    pages: Sequence[GroupPage], roles: RoleDetails, labels: dict[str, Link], per_page: int
) -> tuple[RelationGroup, ...]:
    """The labelled groups, outgoing first, by property; ``labels`` must name every end."""
    groups = []
    for page in sorted(pages, key=lambda g: (g.direction != "out", g.property)):
        relations = tuple(
            entity_rows.relation(labels[end], [role] if role else [], labels[g])
            for end, role, g in _ends(page, roles)
        )
        label = relation_label(page.property, page.direction)
        per_page = max(1, min(per_page, MAX_PAGE_SIZE))
        groups.append(
            RelationGroup(
                page.direction, page.property, label, page.total, page.page, per_page, relations
            )
        )
    return tuple(groups)


def page_labels(
    store: GraphStore,
    iris: set[str],
    known: Mapping[str, Sequence[tuple[str, Term]]] | None = None,
    table: LabelTable | None = None,
) -> dict[str, Link]:
    """Links with preferred names for every IRI of a page: one query for the schema:names, one
    more for the variants and identifiers of those without one. ``known`` gives what some of
    them (source records, read already) say as (property, value) pairs; ``table``, the link
    labels of the store's search index, names the others it holds for the store's generation."""
    said = {i: list(known[i]) for i in iris if known and i in known}
    labelled = table.lookup(sorted(iris - said.keys()), store.generation) if table else {}
    if labelled:
        iris = iris - labelled.keys()
    # a source record has no schema:name (its identifier names it): no seek to look for one
    records = f"{store.base}id/{Kind.RECORD.value}/"
    ask = sorted(i for i in iris - said.keys() if not i.startswith(records))
    if ask:
        text = with_values(queries.load("entity_page_names"), "entity", ask)
        for row in store.select_text(text):
            said.setdefault(str(row["entity"]), []).append((SCHEMA.name, row["o"]))
    rest = sorted(iris - said.keys())
    if rest:
        text = with_values(queries.load("entity_page_labels"), "entity", rest)
        for row in store.select_text(text):
            said.setdefault(str(row["entity"]), []).append((str(row["p"]), row["o"]))
    id_prefix = f"{store.base}id/"
    found = {iri: link_to(id_prefix, iri, link_label(iri, said.get(iri, []))) for iri in iris}
    found.update((iri, link_to(id_prefix, iri, label)) for iri, label in labelled.items())
    return found


def link_to(id_prefix: str, iri: str, label: str) -> Link:
    """A link with its label, and its kind and key when it is one of ours (``{base}id/``):
    what ``iris.parse`` reads, without the cost of its exceptions on a page of links."""
    if iri.startswith(id_prefix):
        kind, _, key = iri[len(id_prefix) :].partition("/")
        if kind in KINDS and KEY_PATTERN.match(key):
            return Link(iri, label, kind, key)
    return Link(iri, label)


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


def with_pairs(query: str, variables: tuple[str, str], pairs: Sequence[tuple[str, str]]) -> str:
    """The query with its empty ``VALUES (?a ?b) {}`` filled with these pairs of IRIs."""
    placeholder = f"VALUES (?{variables[0]} ?{variables[1]}) {{}}"
    if placeholder not in query:
        raise ValueError(f"the query has no {placeholder!r} to fill")
    values = " ".join(f"({IRI(a).n3()} {IRI(b).n3()})" for a, b in pairs)
    return query.replace(placeholder, f"{placeholder[:-2]}{{ {values} }}", 1)
