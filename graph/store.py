"""Store access: the only module that imports pyoxigraph.

Layout of a store directory (``--store DIR``; everything a deployment keeps lives below it):

    DIR/labourgraph.json    base IRI, current generation, current snapshot
    DIR/oxigraph/           the read-write database; only ``ingest`` opens it
    DIR/snapshots/NNNNNN/   immutable checkpoints (hard links, made in milliseconds by
                            ``Store.backup``); servers and ``query`` open the current one
                            read-only, so a reader never sees a half-finished ingest
                            (pyoxigraph calls a read-only open beside a writer undefined
                            behaviour) and a new ingest becomes visible atomically

Each source record's statements live in a named graph of its own, so every read asks for the
union default graph (``use_default_graph_as_union``): the dataset users query is the union of
all record graphs, and ``GRAPH ?g`` still says which record says what.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import logging
import os
import shutil
import signal
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from . import queries
from .iris import DEFAULT_BASE, check_base
from .rdf import IRI, BNode, Lit, Term, Triple
from .results import Answer, QuerySyntaxError, ResultFormat, UserQuery, check_allowed
from .vocab import PREFIXES

log = logging.getLogger(__name__)

META_FILE = "labourgraph.json"
KEEP_SNAPSHOTS = 3


class StoreError(Exception):
    """A store that cannot be opened or used, with what to do about it."""


class GraphStore(ABC):
    """What the rest of labourgraph needs from a store, embedded or remote."""

    def __init__(self, base: str, root: Path | None, writable: bool, generation: int) -> None:
        self._base = base
        self._root = root
        self._writable = writable
        self._generation = generation

    @property
    def base(self) -> str:
        """The IRI base recorded in this store."""
        return self._base

    @property
    def generation(self) -> int:
        """A number that grows with every published ingest (for ETags and caches)."""
        return self._generation

    @property
    def root(self) -> Path | None:
        """The store directory, or None for an in-memory store."""
        return self._root

    @abstractmethod
    def select_text(self, query: str, **bindings: Term) -> list[dict[str, Term]]:
        """Rows of a SELECT query over the union graph, with variables pre-bound."""

    @abstractmethod
    def ask_text(self, query: str, **bindings: Term) -> bool:
        """The answer of an ASK query over the union graph."""

    @abstractmethod
    def construct_text(self, query: str, **bindings: Term) -> list[Triple]:
        """The triples of a CONSTRUCT or DESCRIBE query over the union graph."""

    @abstractmethod
    def replace_graphs(
        self, graphs: Mapping[IRI, Sequence[Triple]], drop: Iterable[IRI] = ()
    ) -> None:
        """In one transaction: replace each named graph's content, and remove ``drop`` graphs."""

    def add_new_graphs(
        self,
        graphs: Mapping[IRI, Sequence[Triple]],
        markers: Mapping[IRI, Sequence[Triple]],
        texts: Mapping[IRI, str] | None = None,
    ) -> None:
        """Write graphs not in the store yet: their statements, then their ``markers`` last.

        Only the markers are written in one transaction, and after everything else: a graph whose
        marker is missing may be incomplete (a crash mid-write) and must be written again. This
        default writes both at once with ``replace_graphs``; the embedded store bulk-loads.
        ``texts``: for some graphs, their statements already written as N-Triples, one a line
        (a store that loads text may use them instead of writing the statements again).
        """
        self.replace_graphs({g: [*t, *markers.get(g, ())] for g, t in graphs.items()})

    @abstractmethod
    def graph_names(self) -> list[IRI]:
        """The named graphs in the store."""

    @abstractmethod
    def dump(self, output: IO[bytes], media_type: str) -> None:
        """Write the whole dataset (quads for N-Quads/TriG, union triples otherwise)."""

    def publish(self, compact: bool = False) -> None:  # noqa: B027 (remote stores need nothing)
        """Make what was written visible to readers (a new snapshot for embedded stores).

        ``compact``: first rewrite the embedded store's files into one sorted level, which a
        big bulk load leaves scattered (see ``OxigraphStore.publish``).
        """

    def start_compaction(self) -> None:  # noqa: B027 (only embedded stores compact)
        """Begin now, beside the caller's work, the compaction the next ``publish`` would run.

        The caller may go on reading and writing; ``publish`` waits for it to end.
        """

    def refresh(self) -> bool:
        """Reopen a newer published snapshot if there is one; True if it changed."""
        return False

    def close(self) -> None:  # noqa: B027 (an optional hook)
        """Release the store."""

    @abstractmethod
    def run_user_query(self, query: UserQuery) -> Answer:
        """A user's query (endpoint, CLI) serialized, capped at ``query.limit`` results."""

    def select(self, query_name: str, **bindings: Term) -> list[dict[str, Term]]:
        """Rows of the named query ``sparql/{query_name}.rq``."""
        return self.select_text(queries.load(query_name), **bindings)

    def construct(self, query_name: str, **bindings: Term) -> list[Triple]:
        """Triples of the named CONSTRUCT query ``sparql/{query_name}.rq``."""
        return self.construct_text(queries.load(query_name), **bindings)

    def select_plain(
        self, query_name: str, columns: Sequence[str], **bindings: Term
    ) -> Iterator[tuple[str, ...]]:
        """Rows of a named query as plain strings in ``columns`` order ("" when unbound).

        IRIs and literals' lexical forms only: the fast path for scans of millions of rows
        (the search index), where converting every term to ours would dominate.
        """
        for row in self.select(query_name, **bindings):
            yield tuple(str(row[c]) if c in row else "" for c in columns)


# ---------------------------------------------------------------------------------------
# term conversion


def to_ox(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Our term as a pyoxigraph term."""
    if isinstance(term, Lit):
        if term.lang:
            return ox.Literal(term.value, language=term.lang)
        if term.datatype:
            return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
        return ox.Literal(term.value)
    if isinstance(term, BNode):
        return ox.BlankNode(term)
    return ox.NamedNode(term)


def from_ox(term: Any) -> Term:
    """A pyoxigraph term as ours."""
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Lit(term.value, lang=term.language)
        return Lit(term.value, datatype=term.datatype.value)
    raise TypeError(f"unsupported term {term!r}")


def rdf_format(media_type: str) -> ox.RdfFormat:
    """The pyoxigraph RDF format for a media type."""
    found = ox.RdfFormat.from_media_type(media_type)
    if found is None:
        raise ValueError(f"unsupported RDF media type {media_type}")
    return found


def serialize_triples(
    triples: Iterable[Triple], media_type: str, prefixes: Mapping[str, str] | None = None
) -> bytes:
    """Triples as Turtle, N-Triples or RDF/XML bytes (pyoxigraph's writers: fast, no rdflib)."""
    return ox.serialize(  # type: ignore[no-any-return]
        (ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples),  # type: ignore[arg-type]
        format=rdf_format(media_type),
        prefixes=dict(prefixes) if prefixes else None,
    )


class OxigraphStore(GraphStore):
    """An embedded pyoxigraph store: in memory, read-write on disk, or a read-only snapshot."""

    def __init__(
        self,
        store: ox.Store,
        base: str,
        root: Path | None = None,
        writable: bool = True,
        generation: int = 0,
    ) -> None:
        super().__init__(base, root, writable, generation)
        self._store = store
        self._bulk_loaded = 0  # quads bulk-loaded since the last publish
        # a compaction under way (start_compaction): its end, and the bulk-load total it saw
        self._compaction: tuple[Future[None], int] | None = None
        self._snapshot_mtime = _meta_mtime(root) if root and not writable else None

    @property
    def raw(self) -> ox.Store:
        """The pyoxigraph store, for the few graph/ modules that stream from it."""
        return self._store

    # -- reads -----------------------------------------------------------------------------
    def _query(self, query: str, bindings: Mapping[str, Term]) -> Any:
        subs = {ox.Variable(k): to_ox(v) for k, v in bindings.items()}
        return self._store.query(query, use_default_graph_as_union=True, substitutions=subs or None)

    def select_text(self, query: str, **bindings: Term) -> list[dict[str, Term]]:
        results = self._query(query, bindings)
        names = [v.value for v in results.variables]
        # a solution iterates its values in the order of the variables (None when unbound):
        # zipping them costs a third of looking each one up by name
        return [
            {n: from_ox(v) for n, v in zip(names, solution, strict=True) if v is not None}
            for solution in results
        ]

    def select_plain(
        self, query_name: str, columns: Sequence[str], **bindings: Term
    ) -> Iterator[tuple[str, ...]]:
        # pyoxigraph writes CSV (IRIs and lexical forms) in Rust, ten times faster than
        # converting each row's terms in Python
        results = self._query(queries.load(query_name), bindings)
        data = results.serialize(format=ox.QueryResultsFormat.CSV)
        reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
        header = next(reader, [])
        picks = [header.index(c) for c in columns]
        for row in reader:
            yield tuple(row[i] for i in picks)

    def ask_text(self, query: str, **bindings: Term) -> bool:
        return bool(self._query(query, bindings))

    def construct_text(self, query: str, **bindings: Term) -> list[Triple]:
        return [
            (from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))  # type: ignore[misc]
            for t in self._query(query, bindings)
        ]

    def graph_names(self) -> list[IRI]:
        return [IRI(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)]

    def run_user_query(self, query: UserQuery) -> Answer:
        check_allowed(query.text)  # pyoxigraph would run updates elsewhere, and fetch SERVICE
        # the protocol's default-graph-uri / named-graph-uri replace the union default graph
        if query.default_graphs or query.named_graphs:
            dataset: dict[str, Any] = {
                "default_graph": [ox.NamedNode(g) for g in query.default_graphs],
                "named_graphs": [ox.NamedNode(g) for g in query.named_graphs] or None,
            }
        else:
            dataset = {"use_default_graph_as_union": True}
        try:
            # relative IRIs in a query resolve against the endpoint's canonical IRI, so
            # <id/person/x> means {base}id/person/x whatever host the query came through
            results = self._store.query(query.text, base_iri=self._base + "sparql", **dataset)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from exc
        if isinstance(results, ox.QueryBoolean):
            fmt = ox.QueryResultsFormat.from_media_type(query.tabular_format.media_type)
            return Answer(results.serialize(format=fmt), query.tabular_format, form="ASK")
        if isinstance(results, ox.QuerySolutions):
            return _capped_solutions(results, query)
        return _capped_triples(results, query)

    def dump(self, output: IO[bytes], media_type: str) -> None:
        fmt = rdf_format(media_type)
        if fmt.supports_datasets:
            self._store.dump(output, format=fmt)
        else:
            # pyoxigraph dumps triples of one graph only: serialise the union ourselves
            results = self._store.query(
                "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True
            )
            ox.serialize(results, output, format=fmt)

    # -- writes ----------------------------------------------------------------------------
    def replace_graphs(
        self, graphs: Mapping[IRI, Sequence[Triple]], drop: Iterable[IRI] = ()
    ) -> None:
        if not self._writable:
            raise StoreError(
                "this store is a read-only snapshot; run `labourgraph ingest` to change it"
            )
        existing = [g for g in graphs if self._store.contains_named_graph(ox.NamedNode(g))]
        dropped = [g for g in drop if self._store.contains_named_graph(ox.NamedNode(g))]
        if not existing and not dropped:
            # all new graphs: one transactional extend, the fast path of a first ingest
            self._store.extend(
                ox.Quad(to_ox(s), to_ox(p), to_ox(o), g_node)  # type: ignore[arg-type]
                for g, triples in graphs.items()
                for g_node in (ox.NamedNode(g),)
                for s, p, o in triples
            )
            for g in graphs:
                if not graphs[g]:
                    self._store.add_graph(ox.NamedNode(g))
            return
        # replacing: one SPARQL update, which pyoxigraph applies as a single transaction
        parts = [f"DROP SILENT GRAPH {IRI(g).n3()}" for g in [*existing, *dropped]]
        body = "".join(
            f"GRAPH {IRI(g).n3()} {{\n"
            + "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples)
            + "}\n"
            for g, triples in graphs.items()
            if triples
        )
        if body:
            parts.append("INSERT DATA {\n" + body + "}")
        self._store.update(" ;\n".join(parts))

    def add_new_graphs(
        self,
        graphs: Mapping[IRI, Sequence[Triple]],
        markers: Mapping[IRI, Sequence[Triple]],
        texts: Mapping[IRI, str] | None = None,
    ) -> None:
        """Bulk-load the graphs' statements as TriG (no transaction), then the markers in one.

        TriG, because each graph's N-Triples text (from ``texts``, or written here) goes into
        its graph block as it is: no statement is written out a second time.
        """
        if not self._writable:
            raise StoreError(
                "this store is a read-only snapshot; run `labourgraph ingest` to change it"
            )
        texts = texts or {}
        known: dict[Term, str] = {}  # subjects and predicates repeat: write each once

        def n3(term: Term) -> str:
            text = known.get(term)
            if text is None:
                text = known[term] = term.n3()
            return text

        blocks = []
        statements = 0
        for g, triples in graphs.items():
            if not triples:
                continue
            text = texts.get(g)
            if text is None:
                text = "".join(f"{n3(s)} {n3(p)} {o.n3()} .\n" for s, p, o in triples)
            blocks.append(f"{IRI(g).n3()} {{\n{text}}}\n")
            statements += len(triples)
        if blocks:
            self._store.bulk_load("".join(blocks).encode("utf-8"), format=ox.RdfFormat.TRIG)
            self._bulk_loaded += statements
        self._store.extend(
            ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(g))  # type: ignore[arg-type]
            for g, triples in markers.items()
            for s, p, o in triples
        )

    def publish(self, compact: bool | None = None) -> None:
        """Flush, checkpoint into a new snapshot and point readers at it.

        ``compact`` runs ``Store.optimize()`` first; by default (None), when ``needs_compaction``
        says the bulk loads since the last compaction are worth it. Bulk loading writes many
        files, each sorted but overlapping the others, so every lookup probes several;
        compacted, a lookup reads one, uncompressed. On 5 million quads this took 13 s and
        halved the cost of reading the whole store (the dumps, the after-ingest scans) and of a
        busy entity page. The files take about twice the room on disk (the compacted level is
        kept uncompressed, as the store's options ask).
        """
        if self._root is None or not self._writable:
            self._generation += 1
            return
        meta = read_meta(self._root)
        bulk_total = int(meta.get("bulk_loaded_quads", 0)) + self._bulk_loaded
        self._end_compaction(meta)
        at_compaction = int(meta.get("bulk_loaded_at_compaction", 0))
        if compact is None:
            compact = needs_compaction(bulk_total, at_compaction)
        if compact:
            started = time.perf_counter()
            self._store.optimize()
            log.info("compacted %s in %.1f s", self._root, time.perf_counter() - started)
            meta["bulk_loaded_at_compaction"] = bulk_total
        meta["bulk_loaded_quads"] = bulk_total
        self._bulk_loaded = 0
        self._store.flush()
        generation = int(meta.get("generation", 0)) + 1
        snapshots = self._root / "snapshots"
        snapshots.mkdir(exist_ok=True)
        target = snapshots / f"{generation:06d}"
        if target.exists():
            shutil.rmtree(target)
        self._store.backup(str(target))
        meta.update(generation=generation, snapshot=f"snapshots/{target.name}")
        write_meta(self._root, meta)
        self._generation = generation
        for old in sorted(snapshots.iterdir())[:-KEEP_SNAPSHOTS]:
            # a reader that still has an old snapshot open keeps its files (hard links)
            shutil.rmtree(old, ignore_errors=True)

    def start_compaction(self) -> None:
        """Compact in a thread if ``publish`` would (pyoxigraph lets go of the interpreter).

        A compaction keeps about one core busy: begun when the last bulk load has landed, it
        runs beside what an ingest does before publishing (reconciliation's final pass), on
        the other core. Reads and writes may go on meanwhile; what is written after it began
        stays in the store's own, smaller levels.
        """
        if self._root is None or not self._writable or self._compaction is not None:
            return
        meta = read_meta(self._root)
        bulk_total = int(meta.get("bulk_loaded_quads", 0)) + self._bulk_loaded
        if not needs_compaction(bulk_total, int(meta.get("bulk_loaded_at_compaction", 0))):
            return
        started = time.perf_counter()
        runner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="compaction")
        done = runner.submit(self._store.optimize)
        runner.shutdown(wait=False)
        done.add_done_callback(
            lambda _: log.info("compacted %s in %.1f s", self._root, time.perf_counter() - started)
        )
        self._compaction = (done, bulk_total)

    def _end_compaction(self, meta: dict[str, Any]) -> None:
        """Wait for a compaction under way (raising what it raised) and note what it saw."""
        if self._compaction is None:
            return
        done, bulk_total = self._compaction
        self._compaction = None
        done.result()
        meta["bulk_loaded_at_compaction"] = bulk_total

    def refresh(self) -> bool:
        if self._root is None or self._writable:
            return False
        mtime = _meta_mtime(self._root)
        if mtime == self._snapshot_mtime:
            return False
        meta = read_meta(self._root)
        if int(meta.get("generation", 0)) == self._generation:
            self._snapshot_mtime = mtime
            return False
        self._store = _open_snapshot(self._root, meta)
        self._generation = int(meta["generation"])
        self._snapshot_mtime = mtime
        log.info("reopened %s at generation %d", self._root, self._generation)
        return True

    def close(self) -> None:
        if self._compaction is not None:  # never published: the next publish compacts again
            self._compaction[0].result()
            self._compaction = None
        if self._writable and self._root is not None:
            self._store.flush()
        del self._store


# ---------------------------------------------------------------------------------------
# opening


COMPACT_AFTER_QUADS = 100_000  # bulk-loaded since the last compaction, at the least
COMPACT_GROWTH = 0.25  # ... and at least this share of what was bulk-loaded before it


def needs_compaction(bulk_total: int, at_compaction: int) -> bool:
    """Whether a publish should compact the store first.

    ``bulk_total``: quads bulk-loaded into the store since it was made; ``at_compaction``: that
    count when it was last compacted. A compaction rewrites the whole store (9.6 s for 250,000
    new quads on 5 million), so it waits until the bulk loads since the last one reach a
    quarter of what it compacted: the rewriting then costs each quad a bounded number of
    times, and a re-ingest of a few records (written in transactions, not bulk-loaded, which
    the store's own background compaction keeps in order) never pays for it.
    """
    grown = bulk_total - at_compaction
    return grown >= COMPACT_AFTER_QUADS and grown >= COMPACT_GROWTH * at_compaction


def read_meta(root: Path) -> dict[str, Any]:
    """The store's metadata file, or {} if there is none yet."""
    path = root / META_FILE
    if not path.exists():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")))


def write_meta(root: Path, meta: Mapping[str, Any]) -> None:
    """Atomically replace the store's metadata file."""
    tmp = root / (META_FILE + ".tmp")
    tmp.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, root / META_FILE)


def _meta_mtime(root: Path) -> float | None:
    try:  # os.stat on a string: a server calls this before every request
        return os.stat(os.path.join(root, META_FILE)).st_mtime_ns
    except FileNotFoundError:
        return None


def _open_snapshot(root: Path, meta: Mapping[str, Any]) -> ox.Store:
    snapshot = meta.get("snapshot")
    if not snapshot:
        raise StoreError(
            f"{root} has no graph yet: run `labourgraph ingest --store {root} data/` first"
        )
    try:
        with _signals_kept_from_store_threads():
            return ox.Store.read_only(str(root / snapshot))
    except OSError as exc:
        raise StoreError(f"--store {root} cannot be opened: {exc}") from exc


# the signals a server's master sends its workers to stop or reload them
_STOP_SIGNALS = frozenset(
    getattr(signal, name)
    for name in ("SIGINT", "SIGTERM", "SIGQUIT", "SIGHUP")
    if hasattr(signal, name)
)


@contextmanager
def _signals_kept_from_store_threads() -> Iterator[None]:
    """Block the stop signals while a store starts its background threads, which keep that mask.

    A signal goes to any thread that does not block it. A uWSGI worker stops by calling exit()
    from its signal handler; run on one of RocksDB's threads, exit() makes RocksDB join that
    very thread, and the process aborts ("terminate called ... Resource deadlock avoided")
    instead of ending cleanly. Kept from those threads, the signals reach the thread that
    opened the store.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def open_store(
    path: Path | None, *, writable: bool = False, base: str | None = None
) -> OxigraphStore:
    """Open a store directory (read-only snapshot unless ``writable``); memory if ``path`` is None.

    ``base`` is recorded at the first writable open; a different base later is an error, since
    every IRI already minted depends on it.
    """
    if path is None:
        return OxigraphStore(ox.Store(), check_base(base or DEFAULT_BASE))
    root = Path(path)
    if not writable:
        meta = read_meta(root)
        if not meta:
            raise StoreError(
                f"{root} is not a labourgraph store yet: "
                f"run `labourgraph ingest --store {root} data/` first"
            )
        return OxigraphStore(
            _open_snapshot(root, meta),
            meta["base"],
            root,
            writable=False,
            generation=int(meta.get("generation", 0)),
        )
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"--store {root} cannot be created: {exc}") from exc
    meta = read_meta(root)
    recorded = meta.get("base")
    wanted = check_base(base) if base else None
    if recorded and wanted and recorded != wanted:
        raise StoreError(
            f"--store {root} was built with base {recorded}, not {wanted}: every IRI in it depends "
            "on the base, so ingest into a new store directory to change it"
        )
    if not recorded:
        meta.update(base=wanted or DEFAULT_BASE, generation=0)
        write_meta(root, meta)
    try:
        store = ox.Store(str(root / "oxigraph"))
    except OSError as exc:
        raise StoreError(
            f'--store {root} cannot be opened: {exc}. Is another "ingest" using it?'
        ) from exc
    return OxigraphStore(
        store, meta["base"], root, writable=True, generation=int(meta.get("generation", 0))
    )


class _LineCap:
    """A binary sink that stops a serializer once it has written ``lines`` lines."""

    def __init__(self, lines: int) -> None:
        self.chunks: list[bytes] = []
        self.lines = 0
        self.max_lines = lines
        self.full = False

    def write(self, chunk: bytes) -> int:
        self.chunks.append(bytes(chunk))
        self.lines += chunk.count(b"\n")
        if self.lines >= self.max_lines:
            self.full = True
            raise OSError("result limit reached")
        return len(chunk)

    def flush(self) -> None:
        pass


def _capped_solutions(results: ox.QuerySolutions, query: UserQuery) -> Answer:
    # TSV holds one solution per line (terms are escaped), so pyoxigraph can write it and we
    # can stop it after limit + 1 rows without touching the rows in Python; pyoxigraph then
    # converts the kept rows to the format asked for.
    sink = _LineCap(query.limit + 2)  # header, limit rows, one more to know it was cut
    try:
        results.serialize(sink, format=ox.QueryResultsFormat.TSV)
    except OSError:
        if not sink.full:
            raise
    lines = b"".join(sink.chunks).split(b"\n")[:-1]  # complete lines: header, then rows
    truncated = len(lines) - 1 > query.limit
    tsv = b"".join(line + b"\n" for line in lines[: query.limit + 1])
    fmt = query.tabular_format
    if fmt is not ResultFormat.TSV:
        target = ox.QueryResultsFormat.from_media_type(fmt.media_type)
        tsv = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(format=target)
    return Answer(tsv, fmt, truncated, query.limit, "SELECT")


def _capped_triples(results: ox.QueryTriples, query: UserQuery) -> Answer:
    triples = list(itertools.islice(results, query.limit + 1))
    truncated = len(triples) > query.limit
    body = ox.serialize(
        triples[: query.limit],
        format=rdf_format(query.graph_format.media_type),
        prefixes=dict(PREFIXES),
    )
    return Answer(body, query.graph_format, truncated, query.limit, "CONSTRUCT")


def convert_rdf(
    data: bytes,
    source_media_type: str,
    target_media_type: str,
    prefixes: Mapping[str, str] | None = None,
) -> bytes:
    """RDF bytes in one syntax rewritten in another (the service description's formats)."""
    triples = ox.parse(data, format=rdf_format(source_media_type))
    return ox.serialize(
        triples,
        format=rdf_format(target_media_type),  # type: ignore[no-any-return]
        prefixes=dict(prefixes) if prefixes else None,
    )


def convert_rdf_stream(
    source: IO[bytes], source_media_type: str, target: IO[bytes], target_media_type: str
) -> None:
    """RDF read from one binary file and written to another in another syntax, streaming."""
    triples = ox.parse(source, format=rdf_format(source_media_type))
    ox.serialize(triples, target, format=rdf_format(target_media_type))


def convert_results(data: bytes, source_media_type: str, target_media_type: str) -> bytes:
    """SPARQL SELECT/ASK results in one format rewritten in another (remote answers, capped)."""
    source = ox.QueryResultsFormat.from_media_type(source_media_type)
    target = ox.QueryResultsFormat.from_media_type(target_media_type)
    if source is None or target is None:
        raise ValueError(
            f"unsupported SPARQL results media type: {source_media_type} or {target_media_type}"
        )
    return ox.parse_query_results(data, format=source).serialize(format=target)  # type: ignore[no-any-return]


def iter_quads(
    store: OxigraphStore, graph: IRI | None = None
) -> Iterator[tuple[Term, Term, Term, IRI | None]]:
    """Every quad (optionally of one graph) as our terms."""
    g = ox.NamedNode(graph) if graph else None
    for q in store.raw.quads_for_pattern(None, None, None, g):
        name = q.graph_name
        yield (
            from_ox(q.subject),
            from_ox(q.predicate),
            from_ox(q.object),
            IRI(name.value) if isinstance(name, ox.NamedNode) else None,
        )
