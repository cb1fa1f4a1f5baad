"""Hot-prefix lists kept by after-ingest updates equal those a full build ranks."""

from __future__ import annotations

import random
import sqlite3
from collections import Counter

from labourgraph.graph.iris import Kind
from labourgraph.graph.search_entries import IndexEntry
from labourgraph.graph.search_hot import HOT, HOT_TOP, MAX_HOT_LENGTH, find_hot
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


def _hot_by_counting(db: sqlite3.Connection) -> list[str]:
    """The hot prefixes as one count per parent and length defines them (the plain form)."""
    parents, found_all = [""], list[str]()
    for length in range(1, MAX_HOT_LENGTH + 1):
        found = [
            p
            for parent in parents
            for (p,) in db.execute(
                "SELECT substr(key, 1, ?) FROM name_key WHERE key >= ? AND key < ? "
                "GROUP BY 1 HAVING count(*) > ?",
                (length, parent, parent + "~", HOT),
            )
            if len(p) == length
        ]
        if not found:
            break
        found_all += found
        parents = found
    return sorted(found_all, key=lambda p: (-len(p), p))


def test_the_hot_prefixes_are_those_more_than_hot_keys_begin_with() -> None:
    # long shared names make hot prefixes many levels deep; consonant keys (~) stay out
    entries = [
        *people(3000, 3),
        *(
            IndexEntry(f"http://x/id/person/m{n}", Kind.PERSON, name, (name,))
            for n in range(900)
            for name in [f"Bakker Bakkerszoon {'ab'[n % 2]}{n % 7}"]
        ),
    ]
    index = SearchIndex.connect(None)
    index.fill(entries)
    db = index._db
    hot = find_hot(db)
    assert hot == _hot_by_counting(db)
    assert len(hot[0]) == MAX_HOT_LENGTH and "b" in hot and not any("~" in p for p in hot)
    assert sorted(hot) == sorted(index.hot())


def test_a_prefix_is_hot_past_hot_keys_exactly() -> None:
    db = SearchIndex.connect(None)._db
    keys = [
        *(["ab"] * 150 + [f"abc {n}" for n in range(251)]),  # ab: 401 keys, abc: 251
        *[f"ac{n % 3}" for n in range(HOT)],  # ac: exactly HOT keys
        *["~ab"] * (HOT + 1),  # consonant keys: never a prefix
        *["a~b"] * (HOT + 1),  # nor a prefix with "~" further on (counted under "a")
        *[f"b{'x' * 20}{n}" for n in range(HOT + 1)],  # hot all the way to MAX_HOT_LENGTH
    ]
    db.executemany("INSERT INTO name_key VALUES (?, 1, 0, 0, 0, 'person')", [(k,) for k in keys])
    hot = find_hot(db)
    assert hot == _hot_by_counting(db)
    deep = ["b" + "x" * (n - 1) for n in range(MAX_HOT_LENGTH, 2, -1)]
    assert hot == [*deep, "ab", "bx", "a", "b"]
