"""The ingest pipeline on real stores: IISH records in, one named graph per record out."""

from __future__ import annotations

import gc
import io
import re
import shutil
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from labourgraph.graph.export import export_to
from labourgraph.graph.ingest import IngestReport, ingest_paths
from labourgraph.graph.rdf import IRI
from labourgraph.graph.store import OxigraphStore, StoreError, open_store
from support import DATA, shared_path

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
BASE = "http://127.0.0.1:5000/"
MARC = "http://www.loc.gov/MARC21/slim"


def marc_record(
    number: str, title: str, author: str = "Goldman, Emma,", authority: str = "169"
) -> str:
    """A small catalogue record: an author with an authority link and a title."""
    return (
        f"<marc:record><marc:leader>00000cam a22000007a 4500</marc:leader>"
        f'<marc:controlfield tag="001">{number}</marc:controlfield>'
        f'<marc:datafield tag="100" ind1="1" ind2=" ">'
        f'<marc:subfield code="a">{author}</marc:subfield>'
        f'<marc:subfield code="0">(NL-AMISG){authority}</marc:subfield></marc:datafield>'
        f'<marc:datafield tag="245" ind1="1" ind2="0">'
        f'<marc:subfield code="a">{title}</marc:subfield>'
        f"</marc:datafield></marc:record>"
    )


def write_collection(path: Path, *records: str) -> Path:
    """A MARCXML collection file of these records."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(records)
    path.write_text(
        f'<?xml version="1.0"?>\n<marc:collection xmlns:marc="{MARC}">{body}</marc:collection>\n',
        encoding="utf-8",
    )
    return path


def nquads(store: OxigraphStore) -> str:
    """The whole store as sorted N-Quads lines."""
    out = io.BytesIO()
    export_to(store, "nq", out)
    return "".join(sorted(out.getvalue().decode("utf-8").splitlines(keepends=True)))


def record_graphs(store: OxigraphStore) -> set[str]:
    """The named graphs of records."""
    return {g for g in store.graph_names() if g.startswith(BASE + "id/record/")}


def subjects_of(store: OxigraphStore, graph: str) -> set[str]:
    """The entity IRIs a record graph describes."""
    rows = store.select_text("SELECT DISTINCT ?s ?g WHERE { GRAPH ?g { ?s ?p ?o } }", g=IRI(graph))
    return {
        str(r["s"])
        for r in rows
        if "#" not in r["s"] and not r["s"].startswith(BASE + "id/record/")
    }


@pytest.fixture(scope="module")
def iish_store() -> tuple[OxigraphStore, IngestReport]:
    """An in-memory store with every shared IISH record ingested once."""
    store = open_store(None)
    return store, ingest_paths(store, [shared_path("fixtures", "iish")], now=NOW)


def test_every_iish_record_ingests_into_a_graph_of_its_own(
    iish_store: tuple[OxigraphStore, IngestReport],
) -> None:
    store, report = iish_store
    folder = shared_path("fixtures", "iish")
    assert report.problems() == [f"{folder}/README.md: not XML; skipped"]
    files = sorted(p for p in shared_path("fixtures", "iish").rglob("*.xml"))
    assert report.rejected == 0
    assert report.read == report.loaded == len(files)
    assert len(record_graphs(store)) == len(files)
    assert report.changes.graphs_added == frozenset(record_graphs(store))
    rows = store.select_text(
        "PREFIX lg: <https://w3id.org/labourgraph/ontology#> "
        "SELECT ?g ?file WHERE { GRAPH ?g { ?g lg:sourceFile ?file } }"
    )
    assert sorted(str(r["file"]) for r in rows) == sorted(
        f"iish/{p.relative_to(shared_path('fixtures', 'iish')).as_posix()}" for p in files
    )


def test_iish_ingest_reports_its_numbers(iish_store: tuple[OxigraphStore, IngestReport]) -> None:
    store, report = iish_store
    quads = len(nquads(store).splitlines())
    assert report.triples_added == quads
    assert report.summary() == (
        f"{report.read} records read: {report.read} loaded, 0 unchanged, 0 rejected, 0 removed; "
        f"1 file(s) skipped; {quads:,} triples added, 0 removed."
    )


def test_each_record_graph_carries_its_provenance(
    iish_store: tuple[OxigraphStore, IngestReport],
) -> None:
    store, _ = iish_store
    rows = store.select_text(
        "PREFIX lg: <https://w3id.org/labourgraph/ontology#> "
        "PREFIX prov: <http://www.w3.org/ns/prov#> "
        "SELECT ?g ?when ?hash WHERE { GRAPH ?g { "
        "?g prov:generatedAtTime ?when ; lg:contentHash ?hash } }"
    )
    assert len(rows) == len(record_graphs(store))
    assert {str(r["when"]) for r in rows} == {"2026-11-23T12:00:00Z"}
    assert all(re.fullmatch(r"[0-9a-f]{64}", str(r["hash"])) for r in rows)


def test_reingest_of_the_same_data_changes_nothing(tmp_path: Path) -> None:
    store = open_store(None)
    folder = shared_path("fixtures", "iish")
    first = ingest_paths(store, [folder], now=NOW)
    before = nquads(store)
    again = ingest_paths(store, [folder], now=LATER)
    assert nquads(store) == before  # ingest time included: unchanged records are not rewritten
    assert (again.loaded, again.unchanged, again.triples_added, again.triples_removed) == (
        0,
        first.read,
        0,
        0,
    )
    assert again.changes.empty
    assert not (
        again.changes.entities_added
        or again.changes.entities_changed
        or again.changes.entities_removed
    )


def test_batches_do_not_change_the_result() -> None:
    folder = shared_path("fixtures", "iish")
    small, large = open_store(None), open_store(None)
    ingest_paths(small, [folder], now=NOW, batch_size=2)
    ingest_paths(large, [folder], now=NOW)
    assert nquads(small) == nquads(large)


def test_the_cyclic_collector_is_back_as_it_was_after_an_ingest(tmp_path: Path) -> None:
    # an ingest switches Python's cyclic collector off while it runs, and back on after it
    folder = shared_path("fixtures", "iish")
    ingest_paths(open_store(None), [folder], now=NOW)
    assert gc.isenabled()
    empty = open_store(tmp_path / "store", writable=True)
    empty.publish()
    empty.close()
    with pytest.raises(StoreError):  # a read-only snapshot: the ingest fails while loading
        ingest_paths(open_store(tmp_path / "store"), [folder], now=NOW)
    assert gc.isenabled()
    gc.disable()
    try:
        ingest_paths(open_store(None), [folder], now=NOW)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_bad_record_is_rejected_and_the_rest_loads(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    (folder / "README.md").parent.mkdir(parents=True)
    (folder / "README.md").write_text("# Notes for the curator\n", encoding="utf-8")
    missing_001 = marc_record("X", "No number").replace(
        '<marc:controlfield tag="001">X</marc:controlfield>', ""
    )
    write_collection(folder / "books.xml", marc_record("9001", "Living my life"), missing_001)
    shutil.copy(
        shared_path("fixtures", "iish", "marcxml", "authority-3248.xml"), folder / "authority.xml"
    )
    store = open_store(None)
    report = ingest_paths(store, [folder], now=NOW)
    assert report.problems() == [
        f"{folder}/books.xml, record #2: the marcxml record has no identifier; "
        "expected a 001 control number",
        f"{folder}/README.md: not XML; skipped",
    ]
    assert (report.read, report.loaded, report.rejected) == (3, 2, 1)
    assert len(record_graphs(store)) == 2


def test_a_record_dropped_from_its_file_loses_its_graph(tmp_path: Path) -> None:
    books = tmp_path / "books.xml"
    write_collection(
        books,
        marc_record("9001", "Living my life"),
        marc_record("9002", "Anarchism and other essays", "Berkman, Alexander,", "777"),
    )
    store = open_store(None)
    ingest_paths(store, [books], now=NOW)
    graphs = record_graphs(store)
    assert len(graphs) == 2
    (dropped,) = [
        g
        for g in graphs
        if subjects_of(store, g) & {s for s in subjects_of(store, g) if "a777" in s}
    ]
    only_there = subjects_of(store, dropped) - subjects_of(store, next(iter(graphs - {dropped})))
    write_collection(books, marc_record("9001", "Living my life"))
    report = ingest_paths(store, [books], now=LATER)
    assert record_graphs(store) == graphs - {dropped}
    assert (report.loaded, report.unchanged, report.removed) == (0, 1, 1)
    assert report.changes.graphs_removed == {dropped}
    assert report.changes.entities_removed == only_there
    assert not report.changes.entities_added and not report.changes.graphs_added


def test_a_changed_record_is_replaced_and_the_changes_named(tmp_path: Path) -> None:
    books = tmp_path / "books.xml"
    write_collection(
        books, marc_record("9001", "Living my life"), marc_record("9002", "My disillusionment")
    )
    store = open_store(None)
    ingest_paths(store, [books], now=NOW)
    before = {g: subjects_of(store, g) for g in record_graphs(store)}
    write_collection(
        books,
        marc_record("9001", "Living my life"),
        marc_record("9002", "My further disillusionment"),
    )
    report = ingest_paths(store, [books], now=LATER)
    (changed,) = report.changes.graphs_changed
    assert (report.loaded, report.unchanged, report.removed) == (1, 1, 0)
    assert report.triples_added == report.triples_removed >= 2  # the title and the ingest time
    assert not report.changes.entities_added and not report.changes.entities_removed
    assert report.changes.entities_changed and report.changes.entities_changed <= before[changed]
    titles = store.select_text(
        "SELECT ?t WHERE { ?s <https://schema.org/name> ?t FILTER(CONTAINS(?t, 'disillusion')) }"
    )
    assert [str(r["t"]) for r in titles] == ["My further disillusionment"]


def test_export_round_trips_every_quad(iish_store: tuple[OxigraphStore, IngestReport]) -> None:
    store, _ = iish_store
    out = io.BytesIO()
    export_to(store, "nq", out)
    loaded = ox.Store()
    loaded.load(out.getvalue(), format=ox.RdfFormat.N_QUADS)
    blank = re.compile(r"_:[A-Za-z0-9_]+")
    assert Counter(blank.sub("_:b", str(q)) + " ." for q in loaded) == Counter(
        blank.sub("_:b", line) for line in nquads(store).splitlines()
    )


def test_the_data_folder_validates_without_violations() -> None:
    from labourgraph.graph.validate import validate_store

    assert any(DATA.rglob("*.xml")), "data/ holds no records: the corpus is part of the repository"
    store = open_store(None)
    report = ingest_paths(store, [DATA], now=NOW)
    assert report.rejected == 0, report.problems()
    assert [v.message() for v in validate_store(store)] == []


def test_records_of_a_file_gone_from_a_reingested_folder_are_dropped(tmp_path: Path) -> None:
    folder = tmp_path / "catalogue"
    write_collection(folder / "a.xml", marc_record("9001", "Living my life"))
    write_collection(folder / "sub" / "b.xml", marc_record("9002", "My disillusionment"))
    elsewhere = write_collection(tmp_path / "other" / "c.xml", marc_record("9003", "Mother Earth"))
    store = open_store(None)
    ingest_paths(store, [folder, elsewhere], now=NOW)
    assert len(record_graphs(store)) == 3
    (folder / "sub" / "b.xml").unlink()
    report = ingest_paths(store, [folder], now=LATER)
    assert (report.read, report.unchanged, report.removed) == (1, 1, 1)
    rows = store.select_text(
        "PREFIX lg: <https://w3id.org/labourgraph/ontology#> "
        "SELECT ?file WHERE { ?g lg:sourceFile ?file }"
    )
    assert sorted(str(r["file"]) for r in rows) == ["c.xml", "catalogue/a.xml"]  # a file: its name
