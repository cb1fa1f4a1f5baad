"""What the search index keeps about each entity, read from the store.

An entry holds an entity's names in every language and script, its preferred name (the
label), a short description, the years its dates span (for the date-range filter) and how many
statements point at it (the popularity that breaks ties in ranking).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from .entity_rows import label_order
from .iris import IRIError, Kind, parse
from .link_labels import Said, gather
from .rdf import IRI
from .store import GraphStore
from .vocab import SCHEMA

NAME_PROPERTIES = ("name", "alternateName")
DATE_PROPERTIES = (
    "birthDate",
    "deathDate",
    "foundingDate",
    "dissolutionDate",
    "startDate",
    "endDate",
    "dateCreated",
    "temporalCoverage",
)
INDEXED_PROPERTIES = (*NAME_PROPERTIES, "description", *DATE_PROPERTIES)
# Roles (dated memberships) and source records are reached through entities, not searched.
SEARCHED_KINDS = frozenset(Kind) - {Kind.ROLE, Kind.RECORD}
MAX_DESCRIPTION = 240
_YEAR = re.compile(r"^\s*(-?\d{3,4})(?!\d)")
_ANY_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_ROW = ("entity", "property", "value", "lang")


@dataclass(frozen=True)
class IndexEntry:
    """One entity as the search index sees it."""

    iri: str
    kind: Kind
    label: str
    names: tuple[str, ...]
    description: str = ""
    start_year: int | None = None
    end_year: int | None = None
    links: int = 0


@dataclass
class _Draft:
    """The statements of one entity gathered before they become an entry."""

    names: list[tuple[int, str, str]] = field(default_factory=list)  # (rank, lang, value)
    descriptions: list[tuple[str, str]] = field(default_factory=list)  # (lang, value)
    years: list[int] = field(default_factory=list)

    def add(self, local: str, value: str, lang: str) -> None:
        """Take one statement."""
        if local in NAME_PROPERTIES and value.strip():
            self.names.append((NAME_PROPERTIES.index(local), lang, value.strip()))
        elif local == "description" and value.strip():
            self.descriptions.append((lang, value.strip()))
        elif local in DATE_PROPERTIES:
            self.years.extend(years_of(value))


def years_of(value: str) -> list[int]:
    """The years a date literal names: ``1917-03-08``, ``1917``, ``1920/1935``, ``ca. 1970``."""
    found = _YEAR.match(value)
    if found:
        rest = value[found.end() :]
        return [int(found.group(1)), *(int(y) for y in _ANY_YEAR.findall(rest))]
    return [int(y) for y in _ANY_YEAR.findall(value)]


def _lang_rank(lang: str) -> tuple[int, str]:
    # the untagged name is the cataloguer's heading; then English, then any language in order
    return (0 if not lang else 1 if lang.lower().startswith("en") else 2, lang)


def entry_from(iri: str, kind: Kind, draft: _Draft, links: int) -> IndexEntry | None:
    """The entry of one entity, or None when it has no name to be found by."""
    if not draft.names:
        return None
    # an entity named in many records has each name many times: rank each distinct name once
    distinct = list(dict.fromkeys(draft.names))
    if len(distinct) == 1:  # most entities: one name, its own label, nothing to rank
        names, label = (distinct[0][2],), distinct[0][2]
    else:
        ordered = sorted(distinct, key=lambda n: (n[0], _lang_rank(n[1]), n[2]))
        names = tuple(dict.fromkeys(value for _, _, value in ordered))
        label = min(distinct, key=lambda n: label_order(n[2], n[1], n[0]))[2]
    description = ""
    if draft.descriptions:
        description = min(set(draft.descriptions), key=lambda d: (_lang_rank(d[0]), d[1]))[1]
        if len(description) > MAX_DESCRIPTION:
            description = description[: MAX_DESCRIPTION - 1].rstrip() + "…"
    years = draft.years
    return IndexEntry(
        iri,
        kind,
        label,
        names,
        description,
        min(years) if years else None,
        max(years) if years else None,
        links,
    )


def _searched_kind(base: str, iri: str) -> Kind | None:
    try:
        kind, _ = parse(base, iri)
    except IRIError:
        return None
    return kind if kind in SEARCHED_KINDS else None


def _gather(base: str, rows: Iterable[tuple[str, ...]], drafts: dict[str, _Draft]) -> None:
    # millions of rows on a big store: a cheap look at the kind segment instead of parse()
    id_prefix = f"{base}id/"
    start = len(id_prefix)
    kinds = {k.value for k in SEARCHED_KINDS}
    prefix = len(SCHEMA.base)
    for entity, prop, value, lang in rows:
        if (
            entity.startswith(id_prefix)
            and entity[start : entity.find("/", start)] in kinds
            and prop.startswith(SCHEMA.base)
        ):
            draft = drafts.get(entity)
            if draft is None:  # (setdefault would build a draft for every row)
                draft = drafts[entity] = _Draft()
            draft.add(prop[prefix:], value, lang)


def _links(store: GraphStore) -> dict[str, int]:
    """How many statements point at each named IRI (one store-wide count)."""
    return {e: int(n) for e, n in store.select_plain("search_links", ("entity", "links"))}


def _identifiers(store: GraphStore) -> list[tuple[str, ...]]:
    """Every schema:identifier in the store (source records are labelled by theirs), as rows
    (entity, property, value, lang)."""
    identifier = str(SCHEMA.identifier)
    return [
        (entity, identifier, value, lang)
        for entity, value, lang in store.select_plain(
            "search_identifiers", ("entity", "value", "lang")
        )
    ]


def read_all(store: GraphStore, said: Said | None = None) -> list[IndexEntry]:
    """Every searchable entity of the store (one scan per indexed property); ``said``, when
    given, receives the naming statements of every entity and record (for link labels: the
    same name scans, and one more of identifiers).

    The store-wide count of links and the identifier scan run in threads beside the property
    scans: the store evaluates queries without Python's lock, and each thread reads only its own
    results.
    """
    drafts: dict[str, _Draft] = {}
    id_prefix = f"{store.base}id/"
    with ThreadPoolExecutor(2, thread_name_prefix="search-read") as beside:
        counted = beside.submit(_links, store)
        identifiers = beside.submit(_identifiers, store) if said is not None else None
        for local in INDEXED_PROPERTIES:
            rows: Iterable[tuple[str, ...]]
            rows = store.select_plain("search_property", _ROW, property=SCHEMA[local])
            if said is not None and local in NAME_PROPERTIES:
                rows = list(rows)
                gather(id_prefix, rows, said)
            _gather(store.base, rows, drafts)
        if identifiers is not None and said is not None:
            gather(id_prefix, identifiers.result(), said)
        links = counted.result()
    entries = (
        entry_from(iri, kind, drafts[iri], links.get(iri, 0))
        for iri in drafts
        if (kind := _searched_kind(store.base, iri))
    )
    return [e for e in entries if e is not None]


def read_some(
    store: GraphStore, iris: Iterable[str], said: Said | None = None
) -> Iterator[tuple[str, IndexEntry | None]]:
    """Each searchable entity's entry now, or None when it is gone or no longer has a name;
    ``said``, when given, receives the naming statements of every one of the IRIs."""
    for iri in iris:
        kind = _searched_kind(store.base, iri)
        if kind is None and said is None:
            continue
        rows = list(store.select_plain("search_entity", _ROW, entity=IRI(iri)))
        if said is not None:
            gather(f"{store.base}id/", rows, said)
        if kind is None:
            continue
        drafts: dict[str, _Draft] = {}
        _gather(store.base, rows, drafts)
        counted = list(store.select_plain("search_links_of", ("links",), entity=IRI(iri)))
        links = int(counted[0][0]) if counted and counted[0][0] else 0
        yield iri, entry_from(iri, kind, drafts[iri], links) if iri in drafts else None
