"""Clustering mapped IRIs into entities: the whole-corpus pass of reconciliation.

``cluster(facts, curation)`` is a pure function of what the records say, so any file order
gives the same entities. Evidence is used in order of trust: shared outside identifiers
(Wikidata, VIAF, ISNI), one authority link minted under two kinds, the curator's "same"
decisions, then the name rules of ``reconcile_index`` (unlinked headings against authority-backed
entities), then identical unlinked headings. Conflicting outside identifiers, incompatible life
or existence dates and the curator's "different" decisions never merge. The survivor of a
cluster is the authority-backed IRI (the one an authority record describes first), then the
smallest key.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .iris import Kind
from .rdf import IRI
from .reconcile_curation import Curation
from .reconcile_index import AnchorIndex
from .reconcile_mentions import AGENT_KINDS, Facts, Span
from .reconcile_names import keys_of


@dataclass(frozen=True, slots=True)
class Decision:
    """The entity a mapped IRI was merged into, by which rule and on what evidence."""

    survivor: IRI
    rule: str
    evidence: str


def overlap(a: Span | None, b: Span | None) -> Span | bool | None:
    """The common years of two spans; None when either is unknown, False when they conflict."""
    if a is None or b is None:
        return a or b
    low, high = max(a[0], b[0]), min(a[1], b[1])
    return (low, high) if low <= high else False


def _scheme(outside_id: str) -> str:
    return outside_id.split("//", 1)[-1].split("/", 1)[0]


class _Clusters:
    """Union-find over mapped IRIs, refusing unions that would join conflicting evidence."""

    def __init__(self, facts: dict[IRI, Facts], curation: Curation) -> None:
        self.facts = facts
        self.parent = {iri: iri for iri in facts}
        self.members = {iri: [iri] for iri in facts}
        self.ids = {iri: set(f.outside_ids) for iri, f in facts.items()}
        self.spans = {iri: (f.start, f.end) for iri, f in facts.items()}
        self.apart = curation.apart(facts)
        self.how: dict[IRI, tuple[str, str]] = {}

    def root(self, iri: IRI) -> IRI:
        """The representative of an IRI's cluster."""
        while self.parent[iri] != iri:
            self.parent[iri] = self.parent[self.parent[iri]]
            iri = self.parent[iri]
        return iri

    def compatible(self, a: IRI, b: IRI, *, check_dates: bool = True) -> bool:
        """True when the clusters of ``a`` and ``b`` may be one entity."""
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return True
        schemes = defaultdict(set)
        for outside_id in self.ids[ra] | self.ids[rb]:
            schemes[_scheme(outside_id)].add(outside_id)
        if any(len(v) > 1 for v in schemes.values()):
            return False
        if check_dates and not all(
            overlap(x, y) is not False for x, y in zip(self.spans[ra], self.spans[rb], strict=True)
        ):
            return False
        small, large = sorted((self.members[ra], self.members[rb]), key=len)
        others = set(large)
        return not any(self.apart.get(m, set()) & others for m in small)

    def union(self, a: IRI, b: IRI, rule: str, evidence: str, *, check_dates: bool = True) -> bool:
        """Join the clusters of ``a`` and ``b`` when compatible; say whether they are one now."""
        ra, rb = self.root(a), self.root(b)
        if ra == rb:
            return True
        if not self.compatible(a, b, check_dates=check_dates):
            return False
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] += self.members.pop(rb)
        self.ids[ra] |= self.ids.pop(rb)
        sa, sb = self.spans[ra], self.spans.pop(rb)
        self.spans[ra] = tuple(overlap(x, y) or None for x, y in zip(sa, sb, strict=True))  # type: ignore[assignment]
        for iri in (b, a):
            self.how.setdefault(iri, (rule, evidence))
        return True


def cluster(facts: dict[IRI, Facts], curation: Curation) -> dict[IRI, Decision]:
    """For every mapped IRI that is merged into another, the survivor, the rule and evidence."""
    clusters = _Clusters(facts, curation)
    _by_outside_ids(clusters)
    _by_authority_key(clusters)
    for left, right, reason in curation.same_pairs(facts):
        clusters.union(left, right, "curator", f"the curator says so: {reason}", check_dates=False)
    _by_names(clusters)
    _by_identical_headings(clusters)
    return _decisions(clusters)


def _by_outside_ids(clusters: _Clusters) -> None:
    holders: dict[str, list[IRI]] = defaultdict(list)
    for iri in sorted(clusters.facts):
        for outside_id in clusters.facts[iri].outside_ids:
            holders[outside_id].append(iri)
    for outside_id in sorted(holders):
        first, *rest = holders[outside_id]
        for iri in rest:
            if clusters.facts[iri].kind is clusters.facts[first].kind:
                clusters.union(first, iri, "identifier", f"both are {outside_id}")


def _by_authority_key(clusters: _Clusters) -> None:
    """One authority link minted under two kinds (a person's link in an organisation's place)."""
    by_key: dict[str, list[IRI]] = defaultdict(list)
    for iri in sorted(clusters.facts):
        f = clusters.facts[iri]
        if f.anchored and f.kind in AGENT_KINDS:
            by_key[f.key].append(iri)
    for key in sorted(by_key):
        group = sorted(by_key[key], key=lambda i: (not clusters.facts[i].own, i))
        for iri in group[1:]:
            clusters.union(
                group[0],
                iri,
                "authority link",
                f"the same authority link ({key})",
                check_dates=False,
            )


def _anchor_index(clusters: _Clusters) -> AnchorIndex:
    index = AnchorIndex()
    for iri in sorted(clusters.facts):
        f = clusters.facts[iri]
        if f.anchored:
            index.add(iri, f.kind, f.names)
    return index


def _by_names(clusters: _Clusters) -> None:
    """Unlinked headings against the anchors as the stronger rules left them (order-free)."""
    index = _anchor_index(clusters)
    chosen = []
    for iri in sorted(clusters.facts):
        f = clusters.facts[iri]
        if f.anchored or len(clusters.members[clusters.root(iri)]) > 1:
            continue
        match = index.match(f.kind, f.names, lambda anchor, me=iri: clusters.compatible(me, anchor))
        if match is not None:
            chosen.append((iri, match))
    for iri, match in chosen:
        clusters.union(match.anchor, iri, match.rule, match.evidence)


def _by_identical_headings(clusters: _Clusters) -> None:
    """Unlinked headings left on their own join others of the same kind and the same name."""
    first: dict[tuple[Kind, str, str], IRI] = {}
    for iri in sorted(clusters.facts):
        f = clusters.facts[iri]
        if f.anchored or len(clusters.members[clusters.root(iri)]) > 1:
            continue
        for name in sorted(f.names):
            keys = keys_of(name)
            if not keys.exact:
                continue
            slot = (f.kind, keys.exact, keys.qualifier)
            other = first.setdefault(slot, iri)
            if other != iri:
                clusters.union(other, iri, "name", f'"{name}" is written the same way')


def _survivor_order(facts: Facts) -> tuple[bool, bool, str, str]:
    return (not facts.own, not facts.anchored, facts.key, facts.iri)


def _decisions(clusters: _Clusters) -> dict[IRI, Decision]:
    decisions: dict[IRI, Decision] = {}
    for members in clusters.members.values():
        if len(members) < 2:
            continue
        survivor = min(members, key=lambda i: _survivor_order(clusters.facts[i]))
        for iri in members:
            if iri != survivor:
                rule, evidence = clusters.how.get(iri, ("name", ""))
                decisions[iri] = Decision(survivor, rule, evidence)
    return decisions
