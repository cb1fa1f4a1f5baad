"""Mapping in a worker process beside the loading gives the ingest of mapping in process."""

from __future__ import annotations

import io
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from labourgraph.graph.export import export_to
from labourgraph.graph.ingest import IngestReport, ingest_paths
from labourgraph.graph.map_worker import (
    CHUNK,
    MapWorkerError,
    map_chunks,
    mapped_chunks,
    use_worker,
)
from labourgraph.graph.store import OxigraphStore, open_store
from support import DATA

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "records"


def _ingest(root: Path, folder: Path, *, in_worker: bool) -> tuple[IngestReport, str]:
    """The report and the sorted N-Quads of an ingest of ``folder`` into a new store."""
    store = open_store(root, writable=True)
    try:
        report = ingest_paths(store, [folder], now=NOW, map_in_worker=in_worker)
        assert isinstance(store, OxigraphStore)
        out = io.BytesIO()
        export_to(store, "nq", out)
    finally:
        store.close()
    quads = "".join(sorted(out.getvalue().decode("utf-8").splitlines(keepends=True)))
    return report, quads


def _kept_xml(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.xml")}


def test_the_worker_ingests_the_corpus_as_the_ingest_itself_does(tmp_path: Path) -> None:
    alone, alone_quads = _ingest(tmp_path / "alone", DATA, in_worker=False)
    beside, beside_quads = _ingest(tmp_path / "beside", DATA, in_worker=True)
    assert beside_quads == alone_quads
    assert beside.summary() == alone.summary()
    assert beside.problems() == alone.problems()
    assert beside.changes == alone.changes
    assert _kept_xml(tmp_path / "beside" / "records") == _kept_xml(tmp_path / "alone" / "records")
    assert alone.loaded > 100


def test_rejections_and_skipped_files_come_back_in_order_from_the_worker(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("marc_bad_date.xml", "malformed.xml", "not_records.xml", "eac_person.xml"):
        shutil.copy(FIXTURES / name, folder / name)
    (folder / "notes.txt").write_text("a curator's note, not a record\n", encoding="utf-8")
    alone, _ = _ingest(tmp_path / "alone", folder, in_worker=False)
    beside, _ = _ingest(tmp_path / "beside", folder, in_worker=True)
    assert beside.problems() == alone.problems()
    assert len(alone.rejections) == 3  # the malformed file; two records of marc_bad_date.xml
    assert len(alone.skipped) == 2
    assert beside.summary() == alone.summary()


def test_a_file_comes_in_chunks_of_records_and_rejections_in_record_order(tmp_path: Path) -> None:
    mapped = list(map_chunks(FIXTURES / "marc_bad_date.xml", 3, "http://example.org/", None))
    assert [(c.file, c.last, c.skipped) for c in mapped] == [(3, True, None)]
    assert mapped[0].read == len(mapped[0].items)
    assert any(isinstance(item, str) for item in mapped[0].items)
    many = write_records(tmp_path / "many.xml", CHUNK + 1)
    chunks = list(map_chunks(many, 0, "http://example.org/", None))
    assert [(c.read, len(c.items), c.last) for c in chunks] == [(CHUNK, CHUNK, False), (1, 1, True)]


def write_records(path: Path, count: int) -> Path:
    """A MARCXML collection of ``count`` small records."""
    records = "".join(
        f"<marc:record><marc:leader>00000cam a22000007a 4500</marc:leader>"
        f'<marc:controlfield tag="001">{n}</marc:controlfield>'
        f'<marc:datafield tag="245" ind1="1" ind2="0"><marc:subfield code="a">Title {n}'
        f"</marc:subfield></marc:datafield></marc:record>"
        for n in range(1, count + 1)
    )
    path.write_text(
        f'<marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim">{records}</marc:collection>',
        encoding="utf-8",
    )
    return path


def test_only_large_ingests_start_a_worker(tmp_path: Path) -> None:
    small = [FIXTURES / "eac_person.xml", FIXTURES / "eac_family.xml"]
    assert not use_worker(small)
    big = tmp_path / "big.xml"
    big.write_bytes(b" " * (16 << 20))
    assert use_worker([big, *small])
    assert not use_worker([big])  # one file: nothing to map ahead of the loading


def test_a_worker_that_stops_early_is_reported_with_its_last_line(tmp_path: Path) -> None:
    missing = tmp_path / "gone.xml"
    chunks = mapped_chunks(
        [FIXTURES / "eac_person.xml", missing], "http://example.org/", None, in_worker=True
    )
    first = next(chunks)
    assert (first.file, first.read, first.last) == (0, 1, True)
    with pytest.raises(MapWorkerError) as stopped:
        next(chunks)
    assert str(stopped.value) == (
        "the mapping worker stopped before the last file: FileNotFoundError: [Errno 2] "
        f"No such file or directory: '{missing}'"
    )


def test_the_worker_sends_a_file_of_many_records_in_chunks(tmp_path: Path) -> None:
    many = write_records(tmp_path / "many.xml", CHUNK * 2 + 3)
    paths = [many, FIXTURES / "eac_person.xml"]
    beside = list(mapped_chunks(paths, "http://example.org/", None, in_worker=True))
    alone = list(mapped_chunks(paths, "http://example.org/", None, in_worker=False))
    assert [(c.file, c.read, c.last) for c in beside] == [
        (0, CHUNK, False),
        (0, CHUNK, False),
        (0, 3, True),
        (1, 1, True),
    ]
    assert beside == alone
