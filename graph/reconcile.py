"""Reconciliation: one entity per real person, organisation, family and place, across records.

The ingest calls a ``Reconciliation`` on each mapped batch (``__call__``, the hook between
mapping and loading) and once more when every batch is loaded (``settle``):

- the hook resolves each unlinked heading against the authority-backed entities seen so far
  and renames its IRI to the entity it names before the batch is loaded;
- ``settle`` clusters every mention in the store and in this ingest at once
  (``reconcile_clusters.cluster``, a pure function, so file order does not matter), hands back
  the record graphs whose IRIs must change (an early record named someone a later authority
  record describes), and writes the decisions with their rules and evidence to the graph
  ``{base}id/reconciliation``, with ``survivor owl:sameAs merged`` for every merged IRI so
  the old IRI keeps resolving (the entity page redirects).

``explain(store, iri)`` says in words which mentions were merged into an entity and why.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

from .iris import Kind, parse
from .mapping import MappedRecord
from .rdf import IRI, BNode, Triple
from .reconcile_clusters import Decision, cluster, overlap
from .reconcile_curation import Curation, find_curation, read_curation
from .reconcile_index import AnchorIndex
from .reconcile_mentions import Facts, Mention, gather, mentions_of
from .reconcile_store import MergeRecord, load_prior, reconciliation_graph, state_triples
from .store import GraphStore
from .vocab import LG, PROV, RDF

log = logging.getLogger(__name__)

_PROVENANCE = frozenset({LG.sourceFile, LG.contentHash, PROV.generatedAtTime})
_SOURCE_FILE = (
    f"SELECT ?file ?graph WHERE {{ GRAPH ?graph {{ ?graph {LG.sourceFile.n3()} ?file }} }}"
)
_SCOPED_BNODE = re.compile(r"^r[0-9a-f]{16}_")


class Reconciliation:
    """The reconciliation of one ingest: the batch hook and the final whole-corpus pass."""

    def __init__(self, store: GraphStore, curation_files: Sequence[Path] = ()) -> None:
        self.base = store.base
        prior = load_prior(store)
        self.mentions: dict[IRI, dict[IRI, Mention]] = prior.mentions
        self.written: dict[IRI, dict[IRI, IRI]] = prior.written
        self._prior_graphs = set(prior.mentions)
        self._originals: dict[IRI, MappedRecord] = {}
        self._earlier = {m: s for renames in prior.written.values() for m, s in renames.items()}
        self._prior_state = {_n3(t) for t in prior.state}
        self.state_counts = (0, 0)  # triples the decisions graph gained and lost in settle
        decisions = [d for path in curation_files for d in read_curation(path)]
        self.curation = Curation(decisions if curation_files else prior.decisions)
        self._facts = gather(self.mentions)
        self._index = AnchorIndex()
        for iri, facts in sorted(self._facts.items()):
            if facts.anchored:
                self._index.add(iri, facts.kind, facts.names)

    @classmethod
    def for_paths(cls, store: GraphStore, paths: Sequence[Path]) -> Reconciliation:
        """The reconciliation of an ingest of these paths, with the curator's file among them."""
        return cls(store, find_curation(paths))

    def __call__(self, store: GraphStore, batch: list[MappedRecord]) -> list[MappedRecord]:
        """The batch with each mention renamed to the entity it resolves to so far."""
        for record in batch:
            found = mentions_of(self.base, record.graph, record.triples)
            self.mentions[record.graph] = found
            for iri, mention in found.items():
                facts = self._facts.get(iri)
                if facts is None:
                    facts = self._facts[iri] = Facts(iri, mention.kind, mention.key)
                facts.add(record.graph, mention)
                if facts.anchored:
                    self._index.add(iri, facts.kind, mention.names | mention.headings)
        resolved: dict[IRI, IRI] = {}
        out = []
        for record in batch:
            renames = {}
            for iri in self.mentions[record.graph]:
                target = resolved.get(iri) or resolved.setdefault(iri, self._resolve(iri))
                if target != iri:
                    renames[iri] = target
            self.written[record.graph] = renames
            if len(
                set(renames.values()) | (self.mentions[record.graph].keys() - renames.keys())
            ) < len(self.mentions[record.graph]):
                self._originals[record.graph] = record  # two mentions became one: keep them apart
            out.append(_renamed(record, renames, self.base) if renames else record)
        return out

    def _resolve(self, iri: IRI) -> IRI:
        """Where the hook sends a mention: the best guess before the whole corpus is known."""
        facts = self._facts[iri]
        earlier = self._earlier.get(iri)
        if earlier is not None and earlier in self._facts:
            return earlier  # what the last ingest decided, until settle knows better
        if facts.anchored:
            return iri
        key = self.curation.same_as_anchor(facts.kind, facts.names)
        if key is not None:
            anchor = IRI(f"{self.base}id/{facts.kind.value}/{key}")
            if anchor in self._facts:
                return anchor
        match = self._index.match(facts.kind, facts.names, lambda a: _agree(facts, self._facts[a]))
        return match.anchor if match is not None else iri

    def settle(self, store: GraphStore) -> list[tuple[MappedRecord, str]]:
        """Cluster everything and store the decisions; the record graphs to rewrite, and files."""
        if self._prior_graphs:
            present = set(store.graph_names())
            for graph in [g for g in self._prior_graphs if g not in present]:
                self.mentions.pop(graph, None)
                self.written.pop(graph, None)
        facts = gather(self.mentions)
        decisions = cluster(facts, self.curation)
        revised = []
        for graph in sorted(self.mentions):
            wanted = {m: decisions[m].survivor for m in self.mentions[graph] if m in decisions}
            if wanted != self.written.get(graph, {}):
                revised.append(self._revise(store, graph, wanted))
        self._store_state(store, facts, decisions)
        log.info(
            "reconciliation: %d IRIs merged; %d record graphs revised", len(decisions), len(revised)
        )
        return revised

    def _revise(
        self, store: GraphStore, graph: IRI, wanted: dict[IRI, IRI]
    ) -> tuple[MappedRecord, str]:
        """A record graph as stored, renamed from what was written to what is wanted now."""
        original = self._originals.pop(graph, None)
        if original is not None:
            self.written[graph] = wanted
            rows = store.select_text(_SOURCE_FILE, graph=graph)
            return _renamed(original, wanted, self.base), str(rows[0]["file"]) if rows else ""
        written = self.written.get(graph, {})
        renames: dict[IRI, IRI] = {}
        for mention in sorted(self.mentions[graph], key=lambda m: (m not in written, m)):
            now, then = wanted.get(mention, mention), written.get(mention, mention)
            if renames.setdefault(then, now) != now:
                log.warning(
                    "%s: %s and another mention were written as one entity <%s>; "
                    "re-ingest the record's file to part them",
                    graph,
                    mention,
                    then,
                )
        source, triples = "", []
        for row in store.select("ingest_graph_triples", graph=graph):
            s, p, o = row["s"], row["p"], row["o"]
            if s == graph and p in _PROVENANCE:
                source = str(o) if p == LG.sourceFile else source
                continue
            triples.append((_unscoped(s), p, _unscoped(o)))  # type: ignore[arg-type]
        renames = {k: v for k, v in renames.items() if k != v}
        record = MappedRecord(graph, triples, frozenset())
        self.written[graph] = wanted
        return (_renamed(record, renames, self.base) if renames else record), source

    def _store_state(
        self, store: GraphStore, facts: dict[IRI, Facts], decisions: dict[IRI, Decision]
    ) -> None:
        merges = [
            MergeRecord(
                iri,
                d.survivor,
                d.rule,
                d.evidence,
                tuple(sorted(facts[iri].graphs)),
                tuple(sorted(facts[iri].names)),
            )
            for iri, d in sorted(decisions.items())
        ]
        triples = state_triples(self.base, merges, self.curation.decisions)
        now = {_n3(t) for t in triples}
        if now != self._prior_state:
            store.replace_graphs({reconciliation_graph(self.base): triples})
        self.state_counts = (len(now - self._prior_state), len(self._prior_state - now))


def _agree(mention: Facts, anchor: Facts) -> bool:
    """Dates and outside identifiers of a heading do not contradict an anchor's."""
    if overlap(mention.start, anchor.start) is False or overlap(mention.end, anchor.end) is False:
        return False
    mine = {i.split("/", 3)[2]: i for i in mention.outside_ids}
    return all(mine.get(i.split("/", 3)[2], i) == i for i in anchor.outside_ids)


def _kind_of(base: str, iri: IRI) -> Kind | None:
    try:
        return parse(base, iri)[0]
    except ValueError:
        return None


def _renamed(record: MappedRecord, renames: dict[IRI, IRI], base: str) -> MappedRecord:
    """The record with IRIs renamed; a mention minted under the wrong kind loses its types."""
    retyped = {m for m, s in renames.items() if _kind_of(base, m) is not _kind_of(base, s)}
    out: list[Triple] = []
    for s, p, o in record.triples:
        if p == RDF.type and s in retyped:
            continue
        out.append((renames.get(s, s), p, renames.get(o, o) if isinstance(o, IRI) else o))  # type: ignore[arg-type]
    entities = frozenset(renames.get(e, e) for e in record.entities)
    return MappedRecord(record.graph, list(dict.fromkeys(out)), entities)


def _n3(triple: Triple) -> tuple[str, str, str]:
    return triple[0].n3(), triple[1].n3(), triple[2].n3()


def _unscoped(term: object) -> object:
    """A blank node as the mapper named it, before the loader scoped it to its graph."""
    if isinstance(term, BNode):
        return BNode(_SCOPED_BNODE.sub("", term))
    return term


def explain(store: GraphStore, iri: str) -> str:
    """In words: which mentions were merged into this entity (or where it went), and why."""
    from .reconcile_store import merges_about

    merges = merges_about(store, IRI(iri))
    into = [m for m in merges if m.merged == iri]
    if into:
        m = into[0]
        return (
            f"<{iri}> was merged into <{m.survivor}> by the {m.rule} rule: {m.evidence}.\n"
            f"Mentioned in: {', '.join(f'<{g}>' for g in m.graphs)}"
        )
    merged = [m for m in merges if m.survivor == iri]
    if not merged:
        return f"No mentions were merged into <{iri}>: every record names it by this IRI."
    lines = [f"<{iri}> merges {len(merged)} other IRI(s):"]
    for m in merged:
        forms = "; ".join(f'"{n}"' for n in m.names)
        lines.append(f"- <{m.merged}> ({forms}), by the {m.rule} rule: {m.evidence}.")
        lines += [f"    in <{g}>" for g in m.graphs]
    return "\n".join(lines)
