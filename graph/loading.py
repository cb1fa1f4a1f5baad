"""Loading mapped records into the store in batches, and keeping count of what changed.

One named graph per source record. New record graphs are bulk-loaded (fast, no transaction) in
chunks of about ``BULK_QUADS`` statements, and each one's ``lg:contentHash`` - its commit marker -
is written afterwards in one transaction: a graph with statements but no hash was cut short by a
crash, and ``drop_unfinished`` removes it at the start of the next ingest so it is loaded again.
Each chunk is loaded by a writer thread while the next batches are reconciled and hashed; the
store is read or written elsewhere only once that load has landed. Replacements of existing
graphs are one transaction per batch. A record whose content hash is unchanged is skipped, so a
re-ingest of the same data changes nothing (its ingest time included).
The ``RecordLoader`` also works out the ``ChangeSet``: which record graphs and which entities
(subjects of statements, record IRIs excepted) were added, changed or removed.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter

from .changeset import ChangeSet
from .mapping import MappedRecord
from .rdf import IRI, BNode, Lit, Term, Triple
from .store import GraphStore
from .vocab import LG, PROV, XSD

log = logging.getLogger(__name__)

EXISTS_CHUNK = 2_000
BULK_QUADS = 200_000
_BNODE_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


@dataclass
class LoadCounts:
    """Running totals of one ingest's loading."""

    loaded: int = 0
    unchanged: int = 0
    removed: int = 0
    triples_added: int = 0
    triples_removed: int = 0


@dataclass(frozen=True)
class PriorGraph:
    """What the store held for a record graph before this ingest."""

    source_file: str
    content_hash: str


@dataclass
class _Touched:
    """Entities this ingest touched, and whether a record described them before it began."""

    existed: dict[IRI, bool] = field(default_factory=dict)
    lost_statements: set[IRI] = field(default_factory=set)


def _hashed_text(triples: Iterable[Triple]) -> tuple[str, str]:
    """A SHA-256 of the triples' N-Triples lines, sorted so statement order does not matter,
    and that text."""
    known: dict[Term, str] = {}  # a record repeats its subjects and predicates: write each once

    def n3(term: Term) -> str:
        text = known.get(term)
        if text is None:
            text = known[term] = term.n3()
        return text

    # objects that are IRIs repeat too (types, links); literals rarely do, and hash slowly
    lines = sorted(
        [f"{n3(s)} {n3(p)} {o.n3() if type(o) is Lit else n3(o)} .\n" for s, p, o in triples]
    )
    text = "".join(lines)
    return hashlib.sha256(text.encode("utf-8")).hexdigest(), text


def scope_blank_nodes(graph: IRI, triples: Sequence[Triple]) -> list[Triple]:
    """The triples with blank node labels made unique to this record's graph.

    The store shares blank node labels across graphs, so the ``_:b0`` of two records would be
    one node; prefixing a digest of the graph name keeps them apart, and deterministically.
    """
    if not has_blank_nodes(triples):
        return list(triples)
    prefix = "r" + hashlib.sha1(graph.encode("utf-8")).hexdigest()[:16] + "_"

    def scoped(term):  # type: ignore[no-untyped-def]
        return BNode(prefix + _BNODE_UNSAFE.sub("_", term)) if isinstance(term, BNode) else term

    return [(scoped(s), p, scoped(o)) for s, p, o in triples]


def has_blank_nodes(triples: Iterable[Triple]) -> bool:
    """Whether any statement has a blank node (the mappers write none; a store may)."""
    return any(type(s) is BNode or type(o) is BNode for s, _, o in triples)


@dataclass(frozen=True, slots=True)
class Described:
    """A record graph's statements with its provenance, the content hash last.

    ``text`` is the N-Triples text of every statement but the content hash: what the hash was
    computed from, plus the ingest time. Loading reuses it instead of writing the statements
    out again (they were the costliest part of a bulk load after the load itself).
    """

    triples: list[Triple]
    digest: str
    text: str
    blank_nodes: bool

    def distinct_statements(self) -> int:
        """How many distinct statements the graph has: the lines of its text, and its hash."""
        return len(set(self.text.split("\n")) - {""}) + 1


def with_provenance(
    graph: IRI, triples: list[Triple], source_file: str, when: datetime, *, blank_nodes: bool
) -> Described:
    """The record's triples plus where it came from, when it was ingested and its content hash.

    ``blank_nodes``: whether ``triples`` have any (scoped to the graph by ``scope_blank_nodes``).
    """
    described = [*triples, (graph, LG.sourceFile, Lit(source_file))]
    digest, text = _hashed_text(described)
    stamp = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    ingested = (graph, PROV.generatedAtTime, Lit(stamp, datatype=XSD.dateTime))
    described.append(ingested)
    described.append((graph, LG.contentHash, Lit(digest)))
    text += f"{graph.n3()} {PROV.generatedAtTime.n3()} {ingested[2].n3()} .\n"
    return Described(described, digest, text, blank_nodes)


def _entities(triples: Iterable[Triple], base: str) -> set[IRI]:
    """The entities these triples are about: subjects ``{base}id/{kind}/{key}``, records excepted.

    Helper nodes inside a record (``{record}#date-1``) and blank nodes are not entities.
    """
    prefix, records = base + "id/", base + "id/record/"
    return {
        s
        for s in set(map(itemgetter(0), triples))  # a record has few subjects: each once
        if isinstance(s, IRI)
        and s.startswith(prefix)
        and "#" not in s
        and not s.startswith(records)
    }


def described(store: GraphStore, iris: Iterable[IRI]) -> set[IRI]:
    """Those of ``iris`` that are the subject of a statement in some record graph."""
    wanted = sorted(iris)
    found: set[IRI] = set()
    for start in range(0, len(wanted), EXISTS_CHUNK):
        values = " ".join(i.n3() for i in wanted[start : start + EXISTS_CHUNK])
        rows = store.select_text(
            f"SELECT DISTINCT ?s WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}"
        )
        found.update(IRI(row["s"]) for row in rows)
    return found


def drop_unfinished(store: GraphStore) -> list[IRI]:
    """Drop the record graphs that have statements but no content hash (a crash cut them short)."""
    finished = {IRI(row["graph"]) for row in store.select("ingest_record_graphs")}
    records = store.base + "id/record/"
    unfinished = sorted(
        g for g in store.graph_names() if g.startswith(records) and g not in finished
    )
    if unfinished:
        log.warning(
            "dropping %d record graph(s) an earlier ingest left unfinished, to load them again: %s",
            len(unfinished),
            ", ".join(unfinished[:5]),
        )
        store.replace_graphs({}, drop=unfinished)
    return unfinished


def split_marker(described: Described) -> tuple[list[Triple], list[Triple]]:
    """A new graph's statements to bulk-load, and those to write in the marker transaction.

    The marker is the content hash (``with_provenance`` puts it last). Bulk loading renames blank
    nodes, so a graph with any is written whole in the transaction instead.
    """
    triples = described.triples
    if described.blank_nodes:
        return [], triples
    return triples[:-1], triples[-1:]


class RecordLoader:
    """Writes batches of mapped records and remembers what changed, for one ingest."""

    def __init__(self, store: GraphStore, when: datetime) -> None:
        self._store = store
        self._when = when
        self._prior = {
            IRI(row["graph"]): PriorGraph(str(row["file"]), str(row["hash"]))
            for row in store.select("ingest_record_graphs")
        }
        self._store_was_empty = not self._prior
        self._written: dict[IRI, str] = {}  # graph -> source file, for every record seen this run
        self._touched = _Touched()
        self._graphs_added: set[IRI] = set()
        self._graphs_changed: set[IRI] = set()
        self._graphs_removed: set[IRI] = set()
        self.counts = LoadCounts()
        self._unchanged: set[IRI] = set()
        self._pending: dict[IRI, Described] = {}  # new graphs waiting for the next bulk load
        self._pending_quads = 0
        # the bulk load under way in the writer thread, beside the mapping of the next batches
        self._writer: ThreadPoolExecutor | None = None
        self._writing: Future[None] | None = None

    def load(self, batch: Sequence[MappedRecord], source_files: dict[IRI, str]) -> None:
        """Queue the batch's new records for bulk loading; replace its changed ones in one go."""
        replacements: dict[IRI, list[Triple]] = {}
        old_by_graph: dict[IRI, list[Triple]] = {}
        fresh: dict[IRI, Described] = {}
        repeats = {r.graph for r in batch} & self._written.keys()  # counted when first seen
        for record in batch:
            source = source_files[record.graph]
            seen = record.graph in self._written
            if seen:
                log.warning(
                    "record graph %s appears twice (%s, %s); the later one is kept",
                    record.graph,
                    self._written[record.graph],
                    source,
                )
            self._written[record.graph] = source
            blank = has_blank_nodes(record.triples)
            scoped = scope_blank_nodes(record.graph, record.triples) if blank else record.triples
            described = with_provenance(record.graph, scoped, source, self._when, blank_nodes=blank)
            triples, digest = described.triples, described.digest
            prior = self._prior.get(record.graph)
            if prior is not None and prior.content_hash == digest and prior.source_file == source:
                self.counts.unchanged += 1
                self._unchanged.add(record.graph)
                continue
            if prior is None and (not seen or record.graph in self._pending.keys() | fresh.keys()):
                fresh[record.graph] = described
                continue
            replacements[record.graph] = triples
            if prior is not None:
                self._written_out()
                old_by_graph[record.graph] = self._old_triples(record.graph)
        if fresh:
            self._note_changes(
                {g: d.triples for g, d in fresh.items()},
                {},
                {g: d.distinct_statements() for g, d in fresh.items()},
            )
            self._queue(fresh)
        if replacements:
            self._note_changes(replacements, old_by_graph)
            self._written_out()
            self._store.replace_graphs(replacements)
        self.counts.loaded += len(fresh.keys() - repeats) + len(replacements.keys() - repeats)

    def _queue(self, fresh: dict[IRI, Described]) -> None:
        """Add new graphs to the next bulk load; load once enough statements have gathered."""
        for graph, described in fresh.items():
            if graph in self._pending:  # a duplicate record: the later one replaces it
                self._pending_quads -= len(self._pending[graph].triples)
            self._pending[graph] = described
            self._pending_quads += len(described.triples)
        if self._pending_quads >= BULK_QUADS:
            self._write_pending()

    def flush(self) -> None:
        """Bulk-load the queued new graphs and wait until every write has landed."""
        self._write_pending()
        self._written_out()
        if self._writer is not None:
            self._writer.shutdown()
            self._writer = None

    def _written_out(self) -> None:
        """Wait for the writer thread's bulk load (raising what it raised): before the store is
        read or written here, and the loading thread is the only writer again."""
        if self._writing is not None:
            writing, self._writing = self._writing, None
            writing.result()

    def _write_pending(self) -> None:
        """Hand the queued new graphs to the writer thread: it bulk-loads their statements, then
        writes their content hashes in one transaction, while the next batches are mapped.

        pyoxigraph lets go of the interpreter while it bulk-loads (a sixth of the loading
        process's time on 20,000 records), so the two overlap. One load at a time: this waits
        for the one before.
        """
        if not self._pending:
            return
        statements: dict[IRI, list[Triple]] = {}
        markers: dict[IRI, list[Triple]] = {}
        texts: dict[IRI, str] = {}
        for graph, described in self._pending.items():
            statements[graph], markers[graph] = split_marker(described)
            if statements[graph]:
                texts[graph] = described.text
        self._written_out()
        if self._writer is None:
            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-load")
        self._writing = self._writer.submit(self._store.add_new_graphs, statements, markers, texts)
        self._pending, self._pending_quads = {}, 0

    def revise(self, batch: Sequence[MappedRecord], source_files: dict[IRI, str]) -> None:
        """Rewrite record graphs already in the store (reconciliation's final pass renamed IRIs).

        Each record still counts once: a graph first written by this ingest stays "added" with
        its final triples; one this ingest had found unchanged now counts as loaded.
        """
        self.flush()
        replacements: dict[IRI, list[Triple]] = {}
        for record in batch:
            graph, source = record.graph, source_files[record.graph]
            counted = graph in self._graphs_added or graph in self._graphs_changed
            self._written[graph] = source
            blank = has_blank_nodes(record.triples)
            scoped = scope_blank_nodes(graph, record.triples)
            triples = with_provenance(graph, scoped, source, self._when, blank_nodes=blank).triples
            replacements[graph] = triples
            current = self._old_triples(graph)
            if graph in self._prior:
                self._note_changes({graph: triples}, {graph: current})
            else:  # counted as added when first written: count its final triples instead
                self.counts.triples_added -= len(set(current))
                self._touched.lost_statements |= _entities(current, self._store.base)
                self._note_changes({graph: triples}, {})
            if graph in self._unchanged:
                self._unchanged.discard(graph)
                self.counts.unchanged -= 1
            if not counted:
                self.counts.loaded += 1
        if replacements:
            self._store.replace_graphs(replacements)

    def drop_vanished(
        self, finished_files: set[str], folders: Sequence[str] = (), present: set[str] = frozenset()
    ) -> None:
        """Remove the graphs of records that the re-ingested files no longer hold.

        Also those of files that were under a re-ingested folder (``folders``, as name prefixes
        ending in "/") and are no longer there (not in ``present``).
        """

        self.flush()

        def gone(source: str) -> bool:
            if source in finished_files:
                return True
            return source not in present and any(source.startswith(f) for f in folders)

        vanished = sorted(
            g
            for g, prior in self._prior.items()
            if g not in self._written and gone(prior.source_file)
        )
        if not vanished:
            return
        old_by_graph = {g: self._old_triples(g) for g in vanished}
        self._note_changes({}, old_by_graph)
        self._store.replace_graphs({}, drop=vanished)
        self._graphs_removed.update(vanished)
        self.counts.removed += len(vanished)

    def changes(self) -> ChangeSet:
        """What this ingest changed, once every batch is loaded and vanished records dropped."""
        self.flush()
        gone = self._touched.lost_statements
        still_there = described(self._store, gone) if gone else set()
        added, changed, removed = set(), set(), set()
        for entity, existed in self._touched.existed.items():
            exists = entity not in gone or entity in still_there
            if existed and exists:
                changed.add(entity)
            elif exists:
                added.add(entity)
            elif existed:
                removed.add(entity)
        return ChangeSet(
            when=self._when,
            graphs_added=frozenset(self._graphs_added),
            graphs_changed=frozenset(self._graphs_changed),
            graphs_removed=frozenset(self._graphs_removed),
            entities_added=frozenset(added),
            entities_changed=frozenset(changed),
            entities_removed=frozenset(removed),
        )

    def _old_triples(self, graph: IRI) -> list[Triple]:
        rows = self._store.select("ingest_graph_triples", graph=graph)
        return [(row["s"], row["p"], row["o"]) for row in rows]  # type: ignore[misc]

    def _note_changes(
        self,
        new: dict[IRI, list[Triple]],
        old: dict[IRI, list[Triple]],
        distinct: dict[IRI, int] | None = None,
    ) -> None:
        """Count triples and classify graphs; note each touched entity's state before the write.

        ``distinct``: how many distinct statements some new graphs have, if the caller knows.
        """
        touched: set[IRI] = set()
        base = self._store.base
        for graph in new.keys() | old.keys():
            if graph not in old and distinct and graph in distinct:
                # the common case of a first ingest: nothing to tell apart, the count is known
                self.counts.triples_added += distinct[graph]
                touched |= _entities(new[graph], base)
                self._graphs_added.add(graph)
                continue
            if graph not in old:
                gained, lost = set(new[graph]), set()
            else:
                new_set, old_set = set(new.get(graph, ())), set(old[graph])
                gained, lost = new_set - old_set, old_set - new_set
            self.counts.triples_added += len(gained)
            self.counts.triples_removed += len(lost)
            touched |= _entities(gained, base) | _entities(lost, base)
            self._touched.lost_statements |= _entities(lost, base)
            if graph in new:
                (self._graphs_changed if graph in old else self._graphs_added).add(graph)
        fresh = touched - self._touched.existed.keys()
        if not self._store_was_empty:
            self._written_out()
        existing = set() if self._store_was_empty else described(self._store, fresh)
        self._touched.existed.update((entity, entity in existing) for entity in fresh)
