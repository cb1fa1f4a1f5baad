"""The ingest pipeline: files and folders of records in, one named graph per record out.

read (``records``) -> map (``mapping``) -> reconcile (a hook, see ``keep_as_mapped``) -> load
(``loading``, in batches, one transaction each) -> publish -> the after-ingest steps.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from . import after_ingest
from .changeset import ChangeSet
from .loading import RecordLoader, drop_unfinished
from .map_worker import MappedChunk, mapped_chunks, use_worker
from .mapping import MappedRecord
from .rdf import IRI
from .reconcile import Reconciliation
from .store import GraphStore

log = logging.getLogger(__name__)

BATCH_SIZE = 500


class Progress(Protocol):
    """What the pipeline tells a progress display (``web.progress.TerminalProgress``)."""

    def start(self, total_bytes: int) -> None: ...
    def update(self, bytes_done: int, records: int) -> None: ...
    def finish(self) -> None: ...


Reconciler = Callable[[GraphStore, list[MappedRecord]], list[MappedRecord]]


def keep_as_mapped(store: GraphStore, batch: list[MappedRecord]) -> list[MappedRecord]:
    """The reconciliation hook, for now the identity: each batch is loaded as mapped.

    Reconciliation (issue 3) will replace this with a function of the same shape that rewrites
    the mentions in a batch to the entities they resolve to, before the batch is hashed and loaded.
    """
    return batch


@dataclass(frozen=True)
class SourceFile:
    """A file to ingest and the name its records carry in ``lg:sourceFile``."""

    path: Path
    name: str


@dataclass(frozen=True)
class IngestReport:
    """What one ingest did, in numbers and in the lines a cataloguer needs to act on."""

    read: int
    loaded: int
    unchanged: int
    rejected: int
    removed: int
    triples_added: int
    triples_removed: int
    rejections: tuple[str, ...]
    skipped: tuple[str, ...]
    changes: ChangeSet

    def problems(self) -> list[str]:
        """One line per rejected record and per skipped file."""
        return [*self.rejections, *self.skipped]

    def summary(self) -> str:
        """The whole ingest in one line."""
        files = f"; {len(self.skipped)} file(s) skipped" if self.skipped else ""
        return (
            f"{self.read:,} records read: {self.loaded:,} loaded, {self.unchanged:,} unchanged, "
            f"{self.rejected:,} rejected, {self.removed:,} removed{files}; "
            f"{self.triples_added:,} triples added, {self.triples_removed:,} removed."
        )


def source_files(paths: Sequence[Path]) -> list[SourceFile]:
    """Every file under ``paths``, sorted, named as given or relative to the ingested folder."""
    found: dict[Path, SourceFile] = {}
    for given in paths:
        if given.is_dir():
            for path in sorted(p for p in given.rglob("*") if p.is_file()):
                if not any(part.startswith(".") for part in path.relative_to(given).parts):
                    found.setdefault(path, SourceFile(path, _file_name(given, path)))
        elif given.is_file():
            found.setdefault(given, SourceFile(given, _file_name(None, given)))
        else:
            raise FileNotFoundError(f"{given}: no such file or folder to ingest")
    return list(found.values())


def _file_name(folder: Path | None, path: Path) -> str:
    """The path as given if relative and inside the working folder, else from the folder name."""
    if not path.is_absolute() and ".." not in path.parts:
        return path.as_posix()
    if folder is None:
        return path.name
    return (Path(folder.resolve().name) / path.relative_to(folder)).as_posix()


def _folder_prefix(folder: Path) -> str:
    """How the names of files under ``folder`` begin ("" for the working folder itself)."""
    name = _file_name(folder, folder / "x")
    return name[:-1] if name != "x" else ""


def ingest_paths(
    store: GraphStore,
    paths: Sequence[Path],
    *,
    progress: Progress | None = None,
    now: datetime | None = None,
    reconcile: Reconciler | None = None,
    batch_size: int = BATCH_SIZE,
    map_in_worker: bool | None = None,
) -> IngestReport:
    """Ingest files and folders of records, publish, then run the after-ingest steps.

    ``reconcile`` defaults to ``reconcile.Reconciliation`` with the curator's file found among
    ``paths``; pass ``keep_as_mapped`` to load records exactly as mapped. ``map_in_worker``:
    read and map in a worker process beside the loading (default: for large ingests).
    """
    files = source_files(paths)
    drop_unfinished(store)  # before anything reads the store: what a crash left is loaded again
    if reconcile is None:
        reconcile = Reconciliation.for_paths(store, paths)
    run = _Run(store, now or datetime.now(UTC), reconcile, batch_size)
    run.folders = [prefix for p in paths if p.is_dir() and (prefix := _folder_prefix(p))]
    run.present = {f.name for f in files}
    if progress is not None:
        progress.start(sum(f.path.stat().st_size for f in files))
    bytes_done = 0
    if map_in_worker is None:
        map_in_worker = use_worker([f.path for f in files])
    chunks = mapped_chunks([f.path for f in files], store.base, store.root, in_worker=map_in_worker)
    # What an ingest keeps (reconciliation's mentions, the loader's bookkeeping, the search
    # entries) grows to millions of objects, which Python's cyclic collector walks again and
    # again: 35 of the 196 CPU-seconds of loading 100,000 records, even with the objects frozen
    # out of collection after each batch. An ingest leaves next to no cycles behind (66
    # unreachable objects after 20,000 records), so the collector is off until it ends.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for chunk in chunks:
            source = files[chunk.file]
            run.take_chunk(source, chunk)
            if chunk.last:
                bytes_done += source.path.stat().st_size
                if progress is not None:
                    progress.update(bytes_done, run.read)
        report = run.finish()
    finally:
        if collecting:
            gc.enable()
    if progress is not None:
        progress.finish()
    return report


class _Run:
    """The state of one ingest: the batch being filled, the loader, the problems met."""

    def __init__(
        self, store: GraphStore, when: datetime, reconcile: Reconciler, batch_size: int
    ) -> None:
        self.store = store
        self.loader = RecordLoader(store, when)
        self.reconcile = reconcile
        self.batch_size = batch_size
        self.batch: list[MappedRecord] = []
        self.batch_files: dict[IRI, str] = {}
        self.read = 0
        self.rejections: list[str] = []
        self.file_rejections = 0  # of the file being read
        self.skipped: list[str] = []
        self.complete_files: set[str] = set()
        self.folders: list[str] = []
        self.present: set[str] = set()
        self.started = time.perf_counter()

    def take_chunk(self, source: SourceFile, chunk: MappedChunk) -> None:
        """Queue the chunk's mapped records; rejected records are noted, not loaded."""
        self.read += chunk.read
        for item in chunk.items:
            if isinstance(item, str):
                self.rejections.append(item)
                self.file_rejections += 1
                continue
            self.batch.append(item)
            self.batch_files[item.graph] = source.name
            if len(self.batch) >= self.batch_size:
                self._load_batch()
        if not chunk.last:
            return
        if chunk.skipped is not None:
            self.skipped.append(chunk.skipped)
        elif not self.file_rejections:
            # only a file read without rejections says which records it no longer holds
            self.complete_files.add(source.name)
        self.file_rejections = 0

    def _load_batch(self) -> None:
        if self.batch:
            self.loader.load(self.reconcile(self.store, self.batch), self.batch_files)
        self.batch, self.batch_files = [], {}

    def _settle(self) -> None:
        """Let a reconciler with a whole-corpus pass rewrite the record graphs it revises."""
        settle = getattr(self.reconcile, "settle", None)
        if settle is None:
            return
        revised = settle(self.store)
        for start in range(0, len(revised), self.batch_size):
            chunk = revised[start : start + self.batch_size]
            files = {record.graph: source for record, source in chunk}
            self.loader.revise([record for record, _ in chunk], files)
        added, removed = getattr(self.reconcile, "state_counts", (0, 0))
        self.loader.counts.triples_added += added
        self.loader.counts.triples_removed += removed

    def finish(self) -> IngestReport:
        """Load the last batch, drop vanished records, publish and run the after-ingest steps."""
        self._load_batch()
        self.loader.flush()
        # the last bulk load has landed: a compaction the publish would run begins now, beside
        # reconciliation's final pass
        self.store.start_compaction()
        self.loader.drop_vanished(self.complete_files, self.folders, self.present)
        self._settle()
        changes = self.loader.changes()
        loaded_at = time.perf_counter()
        if not changes.empty or self.store.generation == 0:
            self.store.publish()
        published_at = time.perf_counter()
        after_ingest.run(self.store, changes)
        counts = self.loader.counts
        log.info(
            "ingest timings: read, map and load %.1f s; publish %.1f s; after-ingest steps %.1f s",
            loaded_at - self.started,
            published_at - loaded_at,
            time.perf_counter() - published_at,
        )
        return IngestReport(
            read=self.read,
            loaded=counts.loaded,
            unchanged=counts.unchanged,
            rejected=len(self.rejections),
            removed=counts.removed,
            triples_added=counts.triples_added,
            triples_removed=counts.triples_removed,
            rejections=tuple(self.rejections),
            skipped=tuple(self.skipped),
            changes=changes,
        )
