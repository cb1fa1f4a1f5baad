"""What reconciliation keeps in the store, and how it reads it back at the next ingest.

The graph ``{base}id/reconciliation`` holds one ``lg:Merge`` per merged IRI (the
survivor, the rule, the evidence, the records that mention it, its names as written), the
``survivor owl:sameAs merged`` statements that keep old IRIs resolving, and the curator's
decisions as last ingested. ``load_prior`` reads the store back into mentions keyed by the IRIs
the mappers minted, so a later ingest can cluster old and new records together.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from .iris import slug
from .rdf import IRI, Lit, Triple
from .reconcile_curation import CurationError, CuratorDecision, parse_decision
from .reconcile_mentions import Mention, entity_kind, mentions_of
from .store import GraphStore
from .vocab import LG, OWL, PROV, RDF, SCHEMA

_MENTION_TERMS = " ".join(
    p.n3()
    for p in (
        SCHEMA.name,
        SCHEMA.alternateName,
        LG.heading,
        SCHEMA.identifier,
        SCHEMA.sameAs,
        SCHEMA.birthDate,
        SCHEMA.deathDate,
        SCHEMA.foundingDate,
        SCHEMA.dissolutionDate,
        LG.uncertainDate,
        LG.qualifiesProperty,
        LG.earliest,
        LG.latest,
    )
)
_MENTIONS_QUERY = (
    "SELECT ?g ?s ?p ?o ?prefix ?state WHERE { "
    f"VALUES ?p {{ {_MENTION_TERMS} }} GRAPH ?g {{ ?s ?p ?o }} "
    "FILTER(STRSTARTS(STR(?s), STR(?prefix)) && ?g != ?state) }"
)
_MERGES_QUERY = f"""
SELECT ?merge ?merged ?survivor ?rule ?evidence ?g ?name ?state WHERE {{
  GRAPH ?state {{
    ?merge {LG.mergedEntity.n3()} ?merged ; {LG.mergedInto.n3()} ?survivor ;
           {LG.mergeRule.n3()} ?rule ; {LG.evidence.n3()} ?evidence .
    OPTIONAL {{ ?merge {PROV.wasDerivedFrom.n3()} ?g }}
    OPTIONAL {{ ?merge {LG.heading.n3()} ?name }}
  }}
}}"""


def reconciliation_graph(base: str) -> IRI:
    """The graph that holds the merge decisions and the curator's file."""
    return IRI(f"{base}id/reconciliation")


@dataclass(frozen=True)
class MergeRecord:
    """One merged IRI as stored: where it went, by which rule, and where it is mentioned."""

    merged: IRI
    survivor: IRI
    rule: str
    evidence: str
    graphs: tuple[IRI, ...]
    names: tuple[str, ...]


@dataclass
class PriorState:
    """What earlier ingests left: mentions by minted IRI, what each graph was written with."""

    mentions: dict[IRI, dict[IRI, Mention]] = field(default_factory=dict)
    written: dict[IRI, dict[IRI, IRI]] = field(default_factory=dict)
    decisions: list[CuratorDecision] = field(default_factory=list)
    state: set[Triple] = field(default_factory=set)


def state_triples(
    base: str, merges: list[MergeRecord], decisions: tuple[CuratorDecision, ...]
) -> list[Triple]:
    """The statements of the reconciliation graph."""
    graph = reconciliation_graph(base)
    triples: list[Triple] = [(graph, LG.curatorDecision, Lit(d.line())) for d in decisions]
    for m in merges:
        node = IRI(f"{graph}#merge-{slug(m.merged[len(base) + 3 :])}")
        triples += [
            (node, RDF.type, LG.Merge),
            (node, LG.mergedEntity, m.merged),
            (node, LG.mergedInto, m.survivor),
            (node, LG.mergeRule, Lit(m.rule)),
            (node, LG.evidence, Lit(m.evidence)),
            (m.survivor, OWL.sameAs, m.merged),
        ]
        triples += [(node, PROV.wasDerivedFrom, g) for g in m.graphs]
        triples += [(node, LG.heading, Lit(n)) for n in m.names]
    return triples


def read_merges(store: GraphStore) -> list[MergeRecord]:
    """Every merge decision in the store."""
    rows = store.select_text(_MERGES_QUERY, state=reconciliation_graph(store.base))
    found: dict[str, dict] = {}
    for row in rows:
        entry = found.setdefault(str(row["merge"]), {"row": row, "graphs": set(), "names": set()})
        if row.get("g") is not None:
            entry["graphs"].add(IRI(str(row["g"])))
        if row.get("name") is not None:
            entry["names"].add(str(row["name"]))
    return [
        MergeRecord(
            IRI(str(e["row"]["merged"])),
            IRI(str(e["row"]["survivor"])),
            str(e["row"]["rule"]),
            str(e["row"]["evidence"]),
            tuple(sorted(e["graphs"])),
            tuple(sorted(e["names"])),
        )
        for _, e in sorted(found.items())
    ]


def merges_about(store: GraphStore, iri: IRI) -> list[MergeRecord]:
    """The merge decisions an IRI takes part in, as the merged IRI or as the survivor."""
    return [m for m in read_merges(store) if iri in (m.merged, m.survivor)]


def load_prior(store: GraphStore) -> PriorState:
    """The mentions, written renames, curator's decisions and state an earlier ingest left."""
    prior = PriorState()
    state = reconciliation_graph(store.base)
    prior.state = {
        (IRI(str(r["s"])), IRI(str(r["p"])), r["o"])  # type: ignore[misc]
        for r in store.select("ingest_graph_triples", graph=state)
    }
    if not prior.state and not store.graph_names():
        return prior
    for s, p, o in sorted(prior.state, key=str):
        if s == state and p == LG.curatorDecision:
            try:
                prior.decisions.append(parse_decision(str(o), "stored curator's decision"))
            except CurationError:
                continue
    for m in read_merges(store):
        for graph in m.graphs:
            prior.written.setdefault(graph, {})[m.merged] = m.survivor
    by_graph: dict[IRI, list[Triple]] = defaultdict(list)
    rows = store.select_text(_MENTIONS_QUERY, prefix=IRI(store.base + "id/"), state=state)
    for row in rows:
        by_graph[IRI(str(row["g"]))].append((row["s"], row["p"], row["o"]))  # type: ignore[arg-type]
    for graph, triples in by_graph.items():
        prior.mentions[graph] = _as_minted(store.base, graph, triples, prior.written.get(graph, {}))
    return prior


def _as_minted(
    base: str, graph: IRI, triples: list[Triple], written: dict[IRI, IRI]
) -> dict[IRI, Mention]:
    """A stored graph's mentions under the IRIs the mappers minted, undoing the renames."""
    found = mentions_of(base, graph, triples)
    survivors = set(written.values())
    out = {iri: m for iri, m in found.items() if iri not in survivors or _direct(m)}
    for minted, survivor in written.items():
        seen, parsed = found.get(survivor), entity_kind(base + "id/", minted)
        if seen is None or parsed is None:
            continue
        kind, key = parsed
        own = seen.own and seen.key == key
        out[minted] = replace(
            seen,
            iri=minted,
            kind=kind,
            key=key,
            own=own,
            anchored=own or key in seen.links,
            names=set(seen.names),
            headings=set(seen.headings),
        )
    return out


def _direct(mention: Mention) -> bool:
    """A survivor named by its own link or record in a graph, not only through a merged heading."""
    return mention.own or mention.key in mention.links
