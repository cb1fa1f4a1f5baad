"""The dumps written by a child process beside the other after-ingest steps."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest
from labourgraph.graph import after_ingest, dumps
from labourgraph.graph.changeset import ChangeSet
from labourgraph.graph.rdf import IRI, Lit
from labourgraph.graph.store import open_store
from labourgraph.graph.vocab import SCHEMA

BASE = "http://example.org/"
WHEN = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
PERSON = IRI(f"{BASE}id/person/p1")
RECORD = IRI(f"{BASE}id/record/r1")


def _ingested(root: Path) -> ChangeSet:
    """A one-record store under ``root``, published as an ingest leaves it."""
    store = open_store(root, writable=True, base=BASE)
    store.replace_graphs({RECORD: [(PERSON, SCHEMA.name, Lit("Emma Goldman"))]})
    store.publish()
    store.close()
    return ChangeSet(
        when=WHEN,
        graphs_added=frozenset({RECORD}),
        graphs_changed=frozenset(),
        graphs_removed=frozenset(),
        entities_added=frozenset({PERSON}),
        entities_changed=frozenset(),
        entities_removed=frozenset(),
    )


def test_the_child_writes_every_dump_from_the_published_snapshot(tmp_path: Path) -> None:
    changes = _ingested(tmp_path)
    store = open_store(tmp_path, writable=True)
    try:
        dumps.start_dumps(store, changes)()
    finally:
        store.close()
    nquads = gzip.decompress((tmp_path / "dumps" / "labourgraph.nq.gz").read_bytes())
    assert nquads == (
        f'<{PERSON}> <https://schema.org/name> "Emma Goldman" <{RECORD}> .\n'.encode()
    )
    assert b'"Emma Goldman"' in (tmp_path / "dumps" / "labourgraph.ttl").read_bytes()
    stamp = (tmp_path / "dumps" / "labourgraph.nt.gz").stat().st_mtime
    assert stamp == WHEN.timestamp()  # no change log here: dated with the ingest time given


def test_a_failed_child_is_reported_with_what_it_said(tmp_path: Path) -> None:
    changes = _ingested(tmp_path)
    (tmp_path / "dumps").write_text("a file where the dumps folder goes")
    store = open_store(tmp_path, writable=True)
    try:
        wait = dumps.start_dumps(store, changes)
        with pytest.raises(dumps.DumpError) as failed:
            wait()
    finally:
        store.close()
    assert str(failed.value) == (
        f"the dumps of {tmp_path} were not written: the writer exited with code 1: "
        f"[Errno 17] File exists: '{tmp_path / 'dumps'}'; run the ingest again"
    )


def test_run_waits_for_the_dumps_and_raises_their_failure(tmp_path: Path) -> None:
    changes = _ingested(tmp_path)
    (tmp_path / "dumps").write_text("a file where the dumps folder goes")
    store = open_store(tmp_path, writable=True)
    try:
        with pytest.raises(dumps.DumpError):
            after_ingest.run(store, changes)
    finally:
        store.close()
    assert (tmp_path / "overview.json").is_file()  # the steps after the dumps still ran
    assert (tmp_path / "search.sqlite").is_file()


def test_an_ingest_that_changed_nothing_rewrites_missing_dumps_with_the_logged_date(
    tmp_path: Path,
) -> None:
    changes = _ingested(tmp_path)
    store = open_store(tmp_path, writable=True)
    try:
        after_ingest.run(store, changes)
        (tmp_path / "dumps" / "labourgraph.ttl").unlink()
        later = datetime(2026, 3, 5, 8, 0, 0, 250_000, tzinfo=UTC)
        nothing = ChangeSet(later, *(frozenset(),) * 6)
        after_ingest.run(store, nothing)
    finally:
        store.close()
    for name in ("labourgraph.ttl", "labourgraph.nq.gz"):
        assert (tmp_path / "dumps" / name).stat().st_mtime == WHEN.timestamp()
