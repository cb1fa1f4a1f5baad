"""The dumps written in one scan: the union's N-Triples and Turtle derived from N-Quads lines."""

from __future__ import annotations

import gzip
import io
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from labourgraph.graph import dumps
from labourgraph.graph.rdf import IRI, BNode, Lit, Triple
from labourgraph.graph.store import OxigraphStore, convert_rdf_stream, open_store
from labourgraph.graph.union_dump import UnionStatements

BASE = "http://example.org/"
WHEN = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = IRI("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PERSON = IRI(f"{BASE}id/person/p1")
NAME = IRI("https://schema.org/name")
NOTE = IRI("https://schema.org/description")
VALUE = IRI("https://schema.org/value")
R1 = IRI(f"{BASE}id/record/r1")
R2 = IRI(f"{BASE}id/record/r2")
# typed literals Turtle writes bare, and some that only look so (the store keeps numbers in
# their canonical form: "05" as "5", "1." as "1", "1.e3" as "1000", "-.5" as "-0.5")
NUMBERS = [
    Lit("5", datatype=f"{XSD}integer"),
    Lit("05", datatype=f"{XSD}integer"),
    Lit("-.5", datatype=f"{XSD}decimal"),
    Lit("1.", datatype=f"{XSD}decimal"),
    Lit("5", datatype=f"{XSD}decimal"),
    Lit("1.5", datatype=f"{XSD}double"),
    Lit("1.e3", datatype=f"{XSD}double"),
    Lit("INF", datatype=f"{XSD}double"),
    Lit("true", datatype=f"{XSD}boolean"),
    Lit("TRUE", datatype=f"{XSD}boolean"),
    Lit('7"^^<http://www.w3.org/2001/XMLSchema#integer>', datatype=f"{XSD}integer"),
    Lit("1890", datatype=f"{XSD}gYear"),
]
SHARED: Triple = (PERSON, RDF_TYPE, IRI("https://schema.org/Person"))
RECORDS: dict[IRI, list[Triple]] = {
    R1: [
        SHARED,
        (PERSON, NAME, Lit("Emma Goldman")),
        (PERSON, NOTE, Lit(f'wrote " <{R2}> .', lang="en")),
        (PERSON, NOTE, Lit("two lines\nwith a tab\t and a \\ <x> .")),
        (PERSON, VALUE, BNode("n1")),
        (BNode("n1"), NAME, Lit("Ἀναρχία")),
        *((PERSON, VALUE, number) for number in NUMBERS),
    ],
    R2: [
        SHARED,
        (PERSON, NAME, Lit("Emma Goldman")),
        (PERSON, NAME, Lit("Goldman, Emma", lang="de")),
        (IRI(f"{BASE}id/organisation/o1"), NAME, Lit("<not an IRI> .")),
        (IRI(f"{BASE}id/organisation/o1"), RDF_TYPE, IRI("https://schema.org/Organization")),
    ],
}


def _store_with(root: Path, graphs: dict[IRI, list[Triple]]) -> None:
    store = open_store(root, writable=True, base=BASE)
    store.replace_graphs(graphs)
    store.publish()
    store.close()


def _written(root: Path) -> dict[str, bytes]:
    """Every dump of ``root`` written by ``write_all``, gunzipped."""
    store = open_store(root)
    try:
        dumps.write_all(store, root, WHEN)
    finally:
        store.close()
    folder = root / "dumps"
    return {
        name: gzip.decompress(data) if name.endswith(".gz") else data
        for name in dumps.DUMPS
        for data in ((folder / name).read_bytes(),)
    }


def _by_the_store(root: Path) -> dict[str, bytes]:
    """What the store itself writes: its N-Quads, its union as N-Triples, that as Turtle."""
    store = open_store(root)
    try:
        nquads, ntriples = io.BytesIO(), io.BytesIO()
        store.dump(nquads, "application/n-quads")
        store.dump(ntriples, "application/n-triples")
    finally:
        store.close()
    turtle = io.BytesIO()
    convert_rdf_stream(
        io.BytesIO(ntriples.getvalue()), "application/n-triples", turtle, "text/turtle"
    )
    return {
        "labourgraph.nq.gz": nquads.getvalue(),
        "labourgraph.nt.gz": ntriples.getvalue(),
        "labourgraph.ttl": turtle.getvalue(),
    }


def test_one_scan_writes_what_the_store_writes(tmp_path: Path) -> None:
    _store_with(tmp_path, RECORDS)
    written = _written(tmp_path)
    assert written == _by_the_store(tmp_path)
    lines = written["labourgraph.nt.gz"].decode().splitlines()
    assert lines.count(f"<{PERSON}> <{RDF_TYPE}> <https://schema.org/Person> .") == 1
    assert f'<{PERSON}> <{NOTE}> "wrote \\" <{R2}> ."@en .' in lines
    # two statements in both records, and "05" the same integer as "5"
    assert len(lines) == len(set(lines)) == sum(map(len, RECORDS.values())) - 3
    assert b" , true , " in written["labourgraph.ttl"]
    assert b" , 5 , " in written["labourgraph.ttl"]
    assert b" , -0.5 , " in written["labourgraph.ttl"]


def test_the_union_holds_each_statement_once_in_the_order_first_seen() -> None:
    text = (
        b'<http://e/s> <http://e/p> "a b <http://e/x> ." <http://e/g1> .\n'
        b"<http://e/s> <http://e/p> _:b1 <http://e/g1> .\n"
        b'<http://e/s> <http://e/p> "a b <http://e/x> ." <http://e/g2> .\n'
        b'<http://e/s> <http://e/q> "1"^^<http://www.w3.org/2001/XMLSchema#integer> _:g3 .\n'
        b"<http://e/s> <http://e/p> _:b1 _:g3 .\n"
    )
    union = UnionStatements()
    fed = [s for at in range(0, len(text), 5) for s in union.feed(text[at : at + 5])]
    union.finish()
    assert fed == [
        b'<http://e/s> <http://e/p> "a b <http://e/x> ."',
        b"<http://e/s> <http://e/p> _:b1",
        b'<http://e/s> <http://e/q> "1"^^<http://www.w3.org/2001/XMLSchema#integer>',
    ]
    assert union.count == 3


def test_a_dump_ending_inside_a_line_is_refused() -> None:
    union = UnionStatements()
    union.feed(b"<http://e/s> <http://e/p> <http://e/o> <http://e/g> .\n<http://e/s> <ht")
    with pytest.raises(ValueError) as refused:
        union.finish()
    assert str(refused.value) == (
        "N-Quads dump: the text ended inside a line (b'<http://e/s> <ht'); "
        "expected every line to end with a newline"
    )


def test_a_store_with_statements_in_its_default_graph_is_dumped_by_two_scans(
    tmp_path: Path,
) -> None:
    _store_with(tmp_path, RECORDS)
    store = open_store(tmp_path, writable=True)
    assert isinstance(store, OxigraphStore)
    store.raw.add(
        ox.Quad(ox.NamedNode(str(PERSON)), ox.NamedNode(str(NAME)), ox.NamedNode(f"{BASE}x"))
    )
    store.publish()
    store.close()
    written = _written(tmp_path)
    assert written == _by_the_store(tmp_path)
    assert f"<{PERSON}> <{NAME}> <{BASE}x> .\n".encode() in written["labourgraph.nq.gz"]


def test_a_failed_write_leaves_every_dump_as_it_was(tmp_path: Path) -> None:
    _store_with(tmp_path, RECORDS)
    before = _written(tmp_path)
    _store_with(tmp_path, {R1: [(PERSON, NAME, Lit("Alexander Berkman"))]})
    blocked = tmp_path / "dumps" / ".labourgraph.ttl.tmp"
    blocked.mkdir()  # the Turtle cannot be written: opened after the other two
    with pytest.raises(IsADirectoryError) as failed:
        _written(tmp_path)
    assert str(failed.value) == f"[Errno 21] Is a directory: '{blocked}'"
    blocked.rmdir()
    store = open_store(tmp_path)
    store.close()
    after = {
        name: gzip.decompress(data) if name.endswith(".gz") else data
        for name in dumps.DUMPS
        for data in ((tmp_path / "dumps" / name).read_bytes(),)
    }
    assert after == before
