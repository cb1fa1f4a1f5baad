"""Browse lists: the entities of one kind, narrowed by facets that live in the URL."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from . import queries
from .entity_rows import Link
from .iris import IRIError, Kind, parse
from .rdf import IRI, XSD, Lit
from .store import GraphStore

PER_PAGE = 50
ANY = IRI("urn:labourgraph:any")
OPEN_START, OPEN_END = -9999, 9999


class FacetError(ValueError):
    """A facet value in the URL that cannot be used, with what was expected."""


@dataclass(frozen=True)
class Facets:
    """The narrowing a browse URL asks for; every field may be absent."""

    place: str | None = None
    organisation: str | None = None
    start: int | None = None
    end: int | None = None
    page: int = 1

    @classmethod
    def from_query(cls, args: Mapping[str, str], base: str) -> Facets:
        """Facets from URL parameters: place and organisation keys, from/to years, page."""
        return cls(
            place=_entity(args.get("place"), base, Kind.PLACE),
            organisation=_entity(args.get("organisation"), base, Kind.ORGANISATION),
            start=_year(args.get("from"), "from"),
            end=_year(args.get("to"), "to"),
            page=max(1, _int(args.get("page"), "page", "a page number such as 2") or 1),
        )

    def query(self, **changes: object) -> dict[str, str]:
        """URL parameters for these facets, with ``changes`` applied (None drops one)."""
        facets = replace(self, **changes)  # type: ignore[arg-type]
        params = {
            "place": facets.place,
            "organisation": facets.organisation,
            "from": facets.start,
            "to": facets.end,
            "page": facets.page if facets.page > 1 else None,
        }
        return {
            k: _key(v) if k in ("place", "organisation") else str(v)
            for k, v in params.items()
            if v is not None
        }


@dataclass(frozen=True)
class Listing:
    """One page of a browse list."""

    kind: str
    facets: Facets
    entities: tuple[Link, ...]
    has_next: bool
    place: Link | None
    organisation: Link | None


def list_entities(store: GraphStore, kind: Kind, facets: Facets) -> Listing:
    """One page of the entities of ``kind`` matching ``facets``, ordered by name."""
    from .entities import link

    text = queries.load("browse_entities") + (
        f"\nORDER BY LCASE(?label) ?e\nLIMIT {PER_PAGE + 1} OFFSET {(facets.page - 1) * PER_PAGE}\n"
    )
    rows = store.select_text(
        text,
        kindPrefix=Lit(f"{store.base}id/{kind.value}/"),
        place=IRI(facets.place) if facets.place else ANY,
        organisation=IRI(facets.organisation) if facets.organisation else ANY,
        **{
            "from": _integer(facets.start if facets.start is not None else OPEN_START),
            "to": _integer(facets.end if facets.end is not None else OPEN_END),
        },
    )
    found = tuple(
        Link(str(r["e"]), str(r["label"]), kind.value, parse(store.base, str(r["e"]))[1])
        for r in rows[:PER_PAGE]
    )
    return Listing(
        kind.value,
        facets,
        found,
        len(rows) > PER_PAGE,
        link(store, facets.place) if facets.place else None,
        link(store, facets.organisation) if facets.organisation else None,
    )


def _integer(value: int) -> Lit:
    return Lit(str(value), datatype=XSD + "integer")


def _entity(key: str | None, base: str, kind: Kind) -> str | None:
    if not key:
        return None
    iri = f"{base}id/{kind.value}/{key}"
    try:
        parse(base, iri)
    except IRIError:
        raise FacetError(
            f'{kind.value} "{key}" is not a valid key; expected lowercase a-z, 0-9, ".", "_", "-"'
        ) from None
    return iri


def _key(iri: object) -> str:
    return str(iri).rsplit("/", 1)[-1]


def _year(text: str | None, name: str) -> int | None:
    value = _int(text, name, "a year such as 1936")
    if value is not None and not -9999 < value < 9999:
        raise FacetError(f'{name} "{text}" is not a year; expected a year such as 1936')
    return value


def _int(text: str | None, name: str, expected: str) -> int | None:
    if text is None or text.strip() == "":
        return None
    try:
        return int(text)
    except ValueError:
        raise FacetError(f'{name} "{text}" is not a number; expected {expected}') from None
