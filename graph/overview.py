"""The home page's figures: entities by kind and the best-connected people and organisations.

Counting by kind and ranking by links are full scans with GROUP BY (seconds on 5M triples), so
an after-ingest step computes them once and keeps them in ``{store}/overview.json``; pages read
that small file. A store without the file (in memory, or ingested before this step existed)
shows none.
"""

from __future__ import annotations

import heapq
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from .changeset import ChangeSet
from .entities import link
from .entity_rows import Link
from .iris import Kind
from .store import GraphStore

log = logging.getLogger(__name__)

OVERVIEW_FILE = "overview.json"
RANKED_KINDS = (Kind.PERSON, Kind.ORGANISATION, Kind.PLACE)
RANKED = 12  # entities ranked per kind


@dataclass(frozen=True)
class Ranked:
    """An entity and how many links it has."""

    entity: Link
    links: int


@dataclass(frozen=True)
class Overview:
    """What is in the graph, as the home page says it."""

    generation: int
    computed: str
    counts: tuple[tuple[str, int], ...]
    people: tuple[Ranked, ...]
    organisations: tuple[Ranked, ...]
    places: tuple[Ranked, ...]

    @property
    def total(self) -> int:
        """All entities, every kind together (source records excluded)."""
        return sum(n for kind, n in self.counts if kind != Kind.RECORD.value)


def compute(store: GraphStore) -> Overview:
    """Count and rank from the store itself (a full scan)."""
    counts = sorted(_kind_counts(store).items(), key=lambda c: (-c[1], c[0]))
    ranked = _best_connected(store)
    return Overview(
        store.generation,
        datetime.now(UTC).isoformat(timespec="seconds"),
        tuple(counts),
        ranked[Kind.PERSON],
        ranked[Kind.ORGANISATION],
        ranked[Kind.PLACE],
    )


def _kind_counts(store: GraphStore) -> dict[str, int]:
    """Typed entities by the kind segment of their IRI ({base}id/{kind}/{key}), roles left out.

    The store lists each typed subject once; its IRI's text is read here, once, because the
    same test in SPARQL decodes the subject of every type statement.
    """
    id_prefix = f"{store.base}id/"
    known = {k.value for k in Kind} - {Kind.ROLE.value}
    counts: dict[str, int] = {}
    for (iri,) in store.select_plain("typed_subjects", ("e",)):
        if iri.startswith(id_prefix):
            kind, slash, _ = iri[len(id_prefix) :].partition("/")
            if slash and kind in known:
                counts[kind] = counts.get(kind, 0) + 1
    return counts


def _best_connected(store: GraphStore) -> dict[Kind, tuple[Ranked, ...]]:
    """The 12 best-connected entities of each ranked kind, from one scan of every entity's links."""
    id_prefix = f"{store.base}id/"
    degrees = degrees_of(store.select_plain("browse_degrees", ("e", "x", "links")), id_prefix)
    ranked: dict[str, list[tuple[int, str]]] = {kind.value: [] for kind in RANKED_KINDS}
    for iri, degree in degrees.items():
        found = ranked.get(iri[len(id_prefix) :].split("/", 1)[0])
        if found is not None:
            found.append((-degree, iri))
    return {
        kind: tuple(
            Ranked(link(store, iri), -negated)
            for negated, iri in heapq.nsmallest(RANKED, ranked[kind.value])
        )
        for kind in RANKED_KINDS
    }


def degrees_of(pairs: Iterable[tuple[str, ...]], id_prefix: str) -> dict[str, int]:
    """Each IRI under ``id_prefix`` with its links to and from the others (a link to itself: 2).

    ``pairs`` are (subject, object, how many statements link them) rows.
    """
    degrees: dict[str, int] = {}
    for subject, target, links in pairs:
        if subject.startswith(id_prefix) and target.startswith(id_prefix):
            n = int(links)
            degrees[subject] = degrees.get(subject, 0) + n
            degrees[target] = degrees.get(target, 0) + n
    return degrees


def refresh(store: GraphStore, changes: ChangeSet) -> None:
    """After-ingest step: recompute the figures and write ``{store}/overview.json``."""
    if store.root is None or (changes.empty and (store.root / OVERVIEW_FILE).exists()):
        return
    data = asdict(compute(store))
    tmp = store.root / (OVERVIEW_FILE + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, store.root / OVERVIEW_FILE)
    log.info(
        "overview: %d entities, generation %d",
        sum(n for _, n in data["counts"]),
        data["generation"],
    )


def load(store: GraphStore) -> Overview:
    """The figures from ``{store}/overview.json`` (computed now only for in-memory stores)."""
    if store.root is None:
        return compute(store)  # in memory: small, and there is no directory to keep it in
    path = store.root / OVERVIEW_FILE
    if not path.exists():
        # a full scan can take minutes on millions of triples: never on a page request
        log.warning("%s is missing: the next ingest computes it", path)
        return Overview(store.generation, "not yet (run an ingest)", (), (), (), ())
    data = json.loads(path.read_text(encoding="utf-8"))
    return Overview(
        data["generation"],
        data["computed"],
        tuple((k, n) for k, n in data["counts"]),
        *(
            tuple(Ranked(Link(**r["entity"]), r["links"]) for r in data[name])
            for name in ("people", "organisations", "places")
        ),
    )
