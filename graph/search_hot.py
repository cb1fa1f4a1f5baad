"""Hot prefixes: the best entities of every short, common prefix, ranked when the index is written.

A prefix such as ``g`` matches a large part of the index; one that matches more than ``HOT``
keys is *hot*, and its best ``HOT_TOP`` entities of each kind are kept in ``hot_top``, so that
as-you-type search stays a few index lookups. A full build ranks the longest hot prefixes
first and each shorter one from its hot children's lists plus the few keys outside them (the
best of a prefix are among the best of its children). An update ranks only the entities it
touched, against the lists they belong to, and re-reads a list only when one of them left it
or fell in it.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping
from itertools import accumulate

HOT = 400
HOT_TOP = 40
MAX_HOT_LENGTH = 16
_END = "\x7f"  # sorts after every character a key holds: [p, p + _END) is every key under p
_BEST = "ORDER BY rank DESC, links DESC, entity"


def find_hot(db: sqlite3.Connection) -> list[str]:
    """Record (in ``hot``) every prefix matching more than HOT keys; them, longest first.

    Consonant keys (``~`` and after) are looked up whole, never by prefix: they are left out.
    A prefix is hot when its parent is and more than HOT keys begin with it (a key holds no
    ``~`` after its first character); the keys are read once, as their first MAX_HOT_LENGTH
    characters with a count each (far fewer than the keys), and counted by bisection.
    """
    db.execute("DELETE FROM hot")
    rows = db.execute(
        "SELECT substr(key, 1, ?) AS head, count(*) FROM name_key WHERE key < ? "
        "GROUP BY head ORDER BY head",
        (MAX_HOT_LENGTH, "~"),
    ).fetchall()
    heads = [head for head, _ in rows]
    before = list(accumulate((count for _, count in rows), initial=0))  # keys before heads[i]
    parents, found_all = [""], list[str]()
    for length in range(1, MAX_HOT_LENGTH + 1):
        found: list[str] = []
        for parent in parents:
            found += _hot_children(heads, before, parent, length)
        if not found:
            break
        found_all += found
        parents = found
    db.executemany("INSERT INTO hot VALUES (?)", [(p,) for p in found_all])
    return sorted(found_all, key=lambda p: (-len(p), p))


def _hot_children(heads: list[str], before: list[int], parent: str, length: int) -> list[str]:
    """The prefixes of ``length`` under ``parent`` (keys in [parent, parent + "~")) that more
    than HOT keys begin with; ``heads`` sorted, ``before[i]``: the keys before ``heads[i]``."""
    found = []
    at, end = bisect_left(heads, parent), bisect_left(heads, parent + "~")
    while at < end:
        if len(heads[at]) < length:  # the parent itself as a whole key
            at += 1
            continue
        prefix = heads[at][:length]
        # every head beginning with prefix sorts before prefix with its last character raised
        past = bisect_left(heads, prefix[:-1] + chr(ord(prefix[-1]) + 1), at, end)
        if before[past] - before[at] > HOT:
            found.append(prefix)
        at = past
    return found


def rank_all(db: sqlite3.Connection, hot: list[str]) -> None:
    """Fill ``hot_top`` for every hot prefix, longest first (``hot`` as find_hot orders it)."""
    children: dict[str, list[str]] = defaultdict(list)
    for prefix in hot:
        children[prefix[:-1]].append(prefix)
    for prefix in hot:
        kids = sorted(children.get(prefix, ()))
        # the keys under prefix that no hot child covers: the gaps between the children
        bounds = [prefix, *(b for kid in kids for b in (kid, kid + _END)), prefix + _END]
        gaps = " UNION ALL ".join(
            "SELECT entity, kind, rank, links FROM name_key WHERE key >= ? AND key < ?"
            for _ in range(0, len(bounds), 2)
        )
        marks = ",".join("?" * len(kids))
        candidates = (
            f"SELECT entity, kind, rank, links FROM hot_top WHERE prefix IN ({marks}) "
            f"UNION ALL {gaps}"
        )
        # one kind at a time (an entity has one kind): a best-first LIMIT keeps only HOT_TOP
        # rows in its sorter, where ranking every entity under a long prefix sorted them all
        for (kind,) in db.execute(
            f"SELECT DISTINCT kind FROM ({candidates}) ORDER BY kind", [*kids, *bounds]
        ).fetchall():
            db.execute(
                f"INSERT INTO hot_top SELECT ?, kind, entity, max(rank) AS rank, links "
                f"FROM ({candidates}) WHERE kind = ? GROUP BY entity {_BEST} LIMIT ?",
                [prefix, *kids, *bounds, kind, HOT_TOP],
            )


def hot_ranks(keys: Mapping[str, int], hot: frozenset[str]) -> dict[str, int]:
    """An entity's rank under each hot prefix of its keys (key -> rank given)."""
    ranks: dict[str, int] = {}
    for key, rank in keys.items():
        for length in range(1, min(len(key), MAX_HOT_LENGTH) + 1):
            prefix = key[:length]
            if prefix not in hot:
                break  # no longer prefix matches more keys than a cold one
            if rank > ranks.get(prefix, -1):
                ranks[prefix] = rank
    return ranks


def forget(db: sqlite3.Connection, entity: int) -> set[tuple[str, str, int, int, int]]:
    """Drop an entity from every list; where it was: (prefix, kind, entity, rank, links)."""
    held = set(
        db.execute(
            "SELECT prefix, kind, entity, rank, links FROM hot_top WHERE entity = ?", (entity,)
        )
    )
    db.execute("DELETE FROM hot_top WHERE entity = ?", (entity,))
    return held


def enter(
    db: sqlite3.Connection,
    entity: int,
    kind: str,
    links: int,
    ranks: Mapping[str, int],
    floors: dict[tuple[str, str], tuple[int, int, int]],
) -> set[tuple[str, str]]:
    """Put one entity in the lists of its hot prefixes where it can belong; the lists touched.

    ``floors`` remembers, for this update, the last place (rank, links, -id) of each full list
    read so far. While entities enter a list its last place only rises, so a remembered one
    lets through at worst an entity that settle trims; an entity left out while a list is one
    short (another left it) is brought back when settle re-reads that list.
    """
    rows = []
    for prefix, rank in ranks.items():
        floor = floors.get((prefix, kind))
        if floor is None:
            last = db.execute(
                f"SELECT rank, links, -entity FROM hot_top WHERE prefix = ? "
                f"AND kind = ? {_BEST} LIMIT 1 OFFSET ?",
                (prefix, kind, HOT_TOP - 1),
            ).fetchone()
            floor = floors[(prefix, kind)] = tuple(last) if last else (-1, -1, 0)
        if (rank, links, -entity) >= floor:  # equal: the last place itself, back again
            rows.append((prefix, kind, entity, rank, links))
    db.executemany("INSERT INTO hot_top VALUES (?, ?, ?, ?, ?)", rows)
    return {(prefix, kind) for prefix, kind, *_ in rows}


def settle(
    db: sqlite3.Connection, entered: set[tuple[str, str]], left: set[tuple[str, str, int, int, int]]
) -> None:
    """Trim the lists that grew past HOT_TOP; re-read from the keys every list an entity left
    or fell in (an entity that was not in it may now belong there)."""
    for prefix, kind in sorted(entered):
        db.execute(
            "DELETE FROM hot_top WHERE prefix = ? AND kind = ? AND rowid NOT IN ("
            f" SELECT rowid FROM hot_top WHERE prefix = ? AND kind = ? {_BEST} LIMIT ?)",
            (prefix, kind, prefix, kind, HOT_TOP),
        )
    stale = set()
    for prefix, kind, entity, rank, links in left:
        now = db.execute(
            "SELECT rank, links FROM hot_top WHERE prefix = ? AND kind = ? AND entity = ?",
            (prefix, kind, entity),
        ).fetchone()
        if now is None or tuple(now) < (rank, links):
            stale.add((prefix, kind))
    for prefix, kind in sorted(stale):
        db.execute("DELETE FROM hot_top WHERE prefix = ? AND kind = ?", (prefix, kind))
        db.execute(
            "INSERT INTO hot_top SELECT ?, kind, entity, max(rank) AS rank, links "
            "FROM name_key WHERE key >= ? AND key < ? AND kind = ? "
            f"GROUP BY entity {_BEST} LIMIT ?",
            (prefix, prefix, prefix + _END, kind, HOT_TOP),
        )
