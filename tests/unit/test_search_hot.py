"""Hot-prefix lists kept by after-ingest updates equal those a full build ranks."""

from __future__ import annotations

import random
from collections import Counter

from labourgraph.graph.iris import Kind
from labourgraph.graph.search_entries import IndexEntry
from labourgraph.graph.search_hot import HOT_TOP
from labourgraph.graph.search_index import SearchIndex

FIRST = ("Anna", "Bart", "Clara", "Dirk", "Emma", "Frits", "Greet", "Henk", "Ida", "Jan")
LAST = ("Bakker", "Bos", "Brouwer", "Berkman", "Bebel", "Goldman", "Groen", "Jansen", "Visser")


def people(count: int, seed: int) -> list[IndexEntry]:
    """Persons and organisations with many shared names (deterministic)."""
    pick = random.Random(seed)
    return [
        IndexEntry(
            f"http://x/id/{'person' if n % 3 else 'organisation'}/{n}",
            Kind.PERSON if n % 3 else Kind.ORGANISATION,
            label := f"{pick.choice(FIRST)} {pick.choice(LAST)}",
            (label,),
            links=pick.randrange(6),
        )
        for n in range(count)
    ]


def lists(index: SearchIndex) -> dict[tuple[str, str], Counter[tuple[int, int]]]:
    """Each hot (prefix, kind) list as the ranks and links it holds (ids break ties)."""
    found: dict[tuple[str, str], Counter[tuple[int, int]]] = {}
    for prefix, kind, rank, links in index._db.execute(
        "SELECT prefix, kind, rank, links FROM hot_top"
    ):
        found.setdefault((prefix, kind), Counter())[(rank, links)] += 1
    return found


def test_an_update_keeps_the_lists_a_full_build_makes() -> None:
    before = people(3000, 1)
    pick = random.Random(2)
    after = {e.iri: e for e in before}
    for entry in pick.sample(before, 300):  # renamed, re-linked or removed
        roll = pick.random()
        if roll < 0.4:
            after[entry.iri] = IndexEntry(
                entry.iri, entry.kind, "Zeno Bakker", ("Zeno Bakker",), links=9
            )
        elif roll < 0.7:
            after[entry.iri] = IndexEntry(
                entry.iri, entry.kind, entry.label, entry.names, links=entry.links + 7
            )
        else:
            del after[entry.iri]
    added = [
        IndexEntry(f"http://x/id/person/new{n}", Kind.PERSON, "Bart Bos", ("Bart Bos",), links=8)
        for n in range(30)
    ]
    after.update((e.iri, e) for e in added)
    updated = SearchIndex.connect(None)
    updated.fill(before)
    changed = [(e.iri, after.get(e.iri)) for e in before if after.get(e.iri) != e]
    assert updated.apply([*changed, *((e.iri, e) for e in added)]) == len(changed) + 30
    built = SearchIndex.connect(None)
    built.fill(list(after.values()))
    kept, ranked = lists(updated), lists(built)
    assert "b" in updated.hot() and sum(ranked[("b", "person")].values()) == HOT_TOP
    assert {k: kept[k] for k in ranked if k[0] in updated.hot()} == {
        k: v for k, v in ranked.items() if k[0] in updated.hot()
    }
    # equally ranked entities may come in another order (ids break ties): compare what they are
    for query in ("Zeno B", "b", "bart bo", "ida"):
        assert [h.label for h in updated.search(query)] == [h.label for h in built.search(query)], (
            query
        )
