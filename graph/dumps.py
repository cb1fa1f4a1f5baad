"""Full dumps of the dataset, regenerated after each ingest under ``DIR/dumps/``.

``labourgraph.nq.gz`` keeps every record's named graph; ``labourgraph.nt.gz`` and
``labourgraph.ttl`` hold the union graph. Each file is written beside its final name and
moved into place (``os.replace``), so a download never sees half a dump, and its
modification time is the finishing time of the ingest the change log recorded.

The store is scanned once: its N-Quads dump streams through a ``union_dump.DumpTee``, which
writes the N-Triples and Turtle of the union graph from its lines as they pass (the bytes the
store's own union dump and Turtle rewrite gave, in half the time). After an ingest into a
store directory, a child process (``python -m labourgraph.graph.dumps DIR``) writes them from
the published snapshot while the ingest runs its other after-ingest steps on the other core;
``start_dumps`` starts it and returns the function that waits for it and raises ``DumpError``
if it failed. The gzip files
use compression level 3: about a fifth larger than level 6, at less than half its cost.
"""

from __future__ import annotations

import gzip
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import IO

from .changes import last_change, read_log
from .changeset import ChangeSet
from .store import GraphStore, OxigraphStore, StoreError, convert_rdf_stream, open_store
from .union_dump import DumpTee

log = logging.getLogger(__name__)

GZIP_LEVEL = 3  # as fast as 1 on N-Quads, 10% smaller; 6 took twice as long
DUMPS_DIR = "dumps"
# file name -> (media type of the content, the RDF media type the store writes, gzipped)
DUMPS: dict[str, tuple[str, str, bool]] = {
    "labourgraph.nq.gz": ("application/n-quads", "application/n-quads", True),
    "labourgraph.nt.gz": ("application/n-triples", "application/n-triples", True),
    "labourgraph.ttl": ("text/turtle", "text/turtle", False),
}
# when the store's default graph holds statements (no ingest puts any there), its N-Quads lines
# cannot all be read as quads of a named graph: the union is then dumped by the store and the
# Turtle rewritten from that dump (written before it)
DERIVED = {"labourgraph.ttl": "labourgraph.nt.gz"}
DESCRIPTIONS = {
    "labourgraph.nq.gz": "N-Quads, gzip: every statement with the record graph that holds it",
    "labourgraph.nt.gz": "N-Triples, gzip: the union of all record graphs",
    "labourgraph.ttl": "Turtle: the union of all record graphs",
}


class DumpError(Exception):
    """The dumps of a store could not be written, with what the writer said."""


@dataclass(frozen=True)
class DumpFile:
    """A dump on offer: name, what it is, its size and date."""

    name: str
    media_type: str
    description: str
    size: int
    modified: str


def dumps_dir(root: Path) -> Path:
    """Where the dumps of a store directory live."""
    return root / DUMPS_DIR


def dump_path(root: Path, name: str) -> Path | None:
    """The path of a dump by file name, or None if no dump has that name."""
    return dumps_dir(root) / name if name in DUMPS else None


def media_type(name: str) -> str:
    """The media type a dump is served with (gzip files as application/gzip)."""
    return "application/gzip" if DUMPS[name][2] else DUMPS[name][0]


def _dumps_needed(store: GraphStore, changes: ChangeSet) -> bool:
    """Whether this ingest must rewrite the dumps (logged when not)."""
    if store.root is None:
        log.info("dumps: in-memory store, no dumps written")
        return False
    if changes.empty and all((dumps_dir(store.root) / name).is_file() for name in DUMPS):
        log.info("dumps: the ingest changed nothing; the dumps stay as they are")
        return False
    return True


def write_dumps(store: GraphStore, changes: ChangeSet) -> None:
    """After-ingest step: rewrite every dump and date it with the logged ingest time."""
    if _dumps_needed(store, changes):
        assert store.root is not None
        write_all(store, store.root, _ingest_time(store.root) or changes.when)


def start_dumps(store: GraphStore, changes: ChangeSet) -> Callable[[], None]:
    """Start ``write_dumps`` beside the other steps; the returned function waits for it.

    An on-disk embedded store has a published snapshot that another process may read, so a
    child process writes the dumps from it, from the start of the after-ingest steps (dated
    as the change log will date this ingest); any other store writes them when waited for.
    """
    if not isinstance(store, OxigraphStore) or not _dumps_needed(store, changes):
        return lambda: write_dumps(store, changes)
    assert store.root is not None
    root = store.root
    child = subprocess.Popen(
        [sys.executable, "-m", __name__, str(root), _logged_time(root, changes).isoformat()],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )

    def wait() -> None:
        _, err = child.communicate()
        said = err.decode("utf-8", "replace").strip()
        if child.returncode != 0:
            raise DumpError(
                f"the dumps of {root} were not written: the writer exited with code "
                f"{child.returncode}: {said or 'no message'}; run the ingest again"
            )
        if said:
            log.warning("dumps of %s: %s", root, said)

    return wait


def _logged_time(root: Path, changes: ChangeSet) -> datetime:
    """The time ``_ingest_time`` will give once the change log has recorded this ingest.

    An ingest that changed something is the newest that did; one that changed nothing leaves
    the newest before it (or, in an empty log, becomes the first).
    """
    if not changes.empty:
        return _to_the_second(changes.when)
    return _ingest_time(root) or _to_the_second(changes.when)


def _to_the_second(when: datetime) -> datetime:
    """A time as the change log keeps it: UTC, whole seconds."""
    return when.astimezone(UTC).replace(microsecond=0)


def write_all(store: GraphStore, root: Path, when: datetime) -> None:
    """Write every dump of ``store`` under ``root``, dated ``when``: one scan of the store."""
    folder = dumps_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    if not _one_scan_serves(store):
        _write_each(store, folder, when)
        return
    with ExitStack() as files:
        nquads, ntriples, turtle = (
            files.enter_context(_dump_file(folder / name, when)) for name in DUMPS
        )
        tee = DumpTee(nquads, ntriples, turtle)
        store.dump(tee, media_type="application/n-quads")
        tee.finish()
        log.info("dumps: %d statements in the union graph", tee.union.count)


def _one_scan_serves(store: GraphStore) -> bool:
    """Whether ``DumpTee`` can write the union from the store's N-Quads dump.

    It can for an embedded store with every statement in a named graph; a remote store's union
    is dumped by its server, as its N-Quads are written by us from a SELECT.
    """
    return isinstance(store, OxigraphStore) and not store.raw.query("ASK { ?s ?p ?o }")


def _write_each(store: GraphStore, folder: Path, when: datetime) -> None:
    """Write the dumps with two scans of the store: the quads, then the union's triples."""
    log.info("dumps: two scans (a remote store, or statements in the default graph)")
    for name, (_, rdf_type, _) in DUMPS.items():
        source = DERIVED.get(name)
        if source is None:
            _write_dump(folder / name, when, partial(store.dump, media_type=rdf_type))
        else:
            _write_dump(folder / name, when, partial(_rewrite, folder / source, rdf_type))


def _rewrite(source: Path, media_type: str, output: IO[bytes]) -> None:
    """Write the dump ``source`` (gzipped) again in ``media_type``."""
    with gzip.open(source, "rb") as written:
        convert_rdf_stream(written, DUMPS[source.name][1], output, media_type)


def _write_dump(target: Path, when: datetime, write: Callable[[IO[bytes]], None]) -> None:
    """Write one dump with ``write``, beside its final name, then date it and move it into place."""
    with _dump_file(target, when) as output:
        write(output)


@contextmanager
def _dump_file(target: Path, when: datetime) -> Iterator[IO[bytes]]:
    """The file of one dump, written beside its final name, dated and moved into place at the end.

    If the writing fails, the dump in place stays as it was.
    """
    name = target.name
    tmp = target.parent / f".{name}.tmp"
    with open(tmp, "wb") as raw:
        if DUMPS[name][2]:
            with gzip.GzipFile(
                filename=name.removesuffix(".gz"),
                mode="wb",
                fileobj=raw,
                compresslevel=GZIP_LEVEL,
                mtime=int(when.timestamp()),
            ) as packed:
                yield packed
        else:
            yield raw
    os.utime(tmp, (when.timestamp(), when.timestamp()))
    os.replace(tmp, target)
    log.info("dumps: wrote %s (%d bytes)", target, target.stat().st_size)


def _ingest_time(root: Path) -> datetime | None:
    db = read_log(root)
    try:
        row = last_change(db)
    finally:
        db.close()
    if row is None:
        return None
    return datetime.strptime(row[1] + "+0000", "%Y-%m-%dT%H:%M:%SZ%z")


def available(root: Path) -> list[DumpFile]:
    """The dumps that exist now, in the order of ``DUMPS``."""
    found = []
    for name in DUMPS:
        path = dumps_dir(root) / name
        if path.is_file():
            stat = path.stat()
            stamp = datetime.fromtimestamp(stat.st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            found.append(DumpFile(name, DUMPS[name][0], DESCRIPTIONS[name], stat.st_size, stamp))
    return found


def main(argv: list[str]) -> int:
    """The child process of ``start_dumps``: ``DIR INGEST-TIME`` (ISO 8601) -> the dumps of DIR."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    root = Path(argv[0])
    started = time.perf_counter()
    try:
        store = open_store(root)  # the newest published snapshot, read-only
        try:
            write_all(store, root, datetime.fromisoformat(argv[1]))
        finally:
            store.close()
    except (OSError, StoreError) as exc:
        log.error("%s", exc)
        return 1
    log.info("dumps of %s written in %.1f s", root, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
