"""Reading and mapping record files, in the ingest's own process or in a worker process beside it.

Reading a file (lxml), mapping its records and keeping their original XML cost about half of
an ingest's loading phase, all of it in Python on one core. For a large ingest a worker process
does this for the next files while the ingest reconciles and loads the current one, so both
cores work; small ingests (a few files, the tests) do it in process, where starting a worker
would cost more than it saves. Either way the ingest gets the same ``MappedChunk`` values, file
after file: records and rejection lines in record order, as plain picklable values.
"""

from __future__ import annotations

import gc
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .mapping import MappedRecord, map_record
from .oai_formats import keep_record_xml
from .rdf import Lit
from .records import NotRecords, RecordError, RecordFormat, SourceRecord, read_records

KEPT_FORMATS = frozenset({RecordFormat.MARCXML, RecordFormat.EAD})
WORKER_BYTES = 16 << 20  # from this many bytes of records, a worker process maps them
CHUNK = 500  # records mapped at a time: what the ingest holds of a file at once


@dataclass(frozen=True)
class MappedChunk:
    """Up to ``CHUNK`` records of one file (``paths[file]``), each mapped or its rejection line,
    in record order; the file's last chunk says so, and why the file was skipped if it was."""

    file: int
    items: list[MappedRecord | str]
    read: int
    last: bool = False
    skipped: str | None = None


def map_chunks(path: Path, file: int, base: str, root: Path | None) -> Iterator[MappedChunk]:
    """Read and map every record of one file, keeping the XML of MARCXML and EAD records."""
    items: list[MappedRecord | str] = []
    read = 0
    try:
        for item in read_records(path):
            read += 1
            items.append(_mapped(item, base, root))
            if len(items) >= CHUNK:
                yield MappedChunk(file, items, read)
                items, read = [], 0
    except NotRecords as skipped:
        yield MappedChunk(file, items, read, last=True, skipped=str(skipped))
        return
    yield MappedChunk(file, items, read, last=True)


def _mapped(item: SourceRecord | RecordError, base: str, root: Path | None) -> MappedRecord | str:
    """A record mapped, or the line that says why it was rejected."""
    if isinstance(item, RecordError):
        return str(item)
    try:
        mapped = map_record(item, base)
    except RecordError as error:
        return str(error)
    if root is not None and item.format in KEPT_FORMATS:
        # OAI-PMH serves collections in their original marcxml/ead as well as in RDF
        keep_record_xml(root, base, mapped.graph, item.xml)
    return mapped


def use_worker(paths: Sequence[Path]) -> bool:
    """Whether these files are enough work to map in a worker process."""
    return len(paths) > 1 and sum(p.stat().st_size for p in paths) >= WORKER_BYTES


def mapped_chunks(
    paths: Sequence[Path], base: str, root: Path | None, *, in_worker: bool
) -> Iterator[MappedChunk]:
    """Every file's chunks, file after file; ``in_worker``: by a worker process that maps ahead."""
    if not in_worker:
        for file, path in enumerate(paths):
            yield from map_chunks(path, file, base, root)
        return
    if not paths:
        return
    # our own child process and a pipe, not multiprocessing: spawning with multiprocessing
    # re-imports the caller's main module, which breaks any script without a __main__ guard
    with tempfile.TemporaryFile() as said:
        child = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=said,
        )
        assert child.stdin is not None and child.stdout is not None
        try:
            pickle.dump((list(paths), base, root), child.stdin)
            child.stdin.close()
            while True:
                # the pipe holds back a worker that is a chunk ahead: memory stays bounded
                chunk = _next_chunk(child.stdout, said)
                yield chunk
                if chunk.last and chunk.file == len(paths) - 1:
                    break
        finally:
            if child.poll() is None:
                child.kill()  # the ingest stopped early (an error): the worker is not needed
            child.wait()
            child.stdout.close()


def _next_chunk(results: IO[bytes], said: IO[bytes]) -> MappedChunk:
    try:
        chunk: MappedChunk = pickle.load(results)
    except EOFError:
        said.seek(0)
        last = (said.read().decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
        raise MapWorkerError(f"the mapping worker stopped before the last file: {last}") from None
    return chunk


class MapWorkerError(Exception):
    """The worker process that maps records stopped early, with the last line it wrote."""


def main() -> int:
    """The worker: (paths, base, root) pickled on stdin -> each file's pickled MappedChunks."""
    paths, base, root = pickle.load(sys.stdin.buffer)
    # mapping leaves no reference cycles behind (none after 8,000 records), and the cyclic
    # collector's passes over each chunk's new objects cost a sixth of the worker's time
    gc.disable()
    writer = pickle.Pickler(sys.stdout.buffer, pickle.HIGHEST_PROTOCOL)
    # a literal rebuilt from its three values: dataclasses' own state restoring costs 3x
    writer.dispatch_table = {Lit: _literal_parts}
    for chunk in mapped_chunks(paths, base, root, in_worker=False):
        writer.dump(chunk)
        writer.clear_memo()  # each chunk stands alone: the reader unpickles them one by one
        sys.stdout.buffer.flush()
    return 0


def _literal_parts(lit: Lit) -> tuple[type[Lit], tuple[str, str | None, str | None]]:
    return Lit, (lit.value, lit.lang, lit.datatype)


if __name__ == "__main__":
    from . import map_worker  # so that pickles name the package's MappedChunk, not __main__'s

    sys.exit(map_worker.main())
