"""``labourgraph export``: the whole dataset, loaded back into an empty store, is the same."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from labourgraph.graph.export import ExportError, ExportFormat, export_format, export_to
from labourgraph.graph.rdf import IRI, BNode, Lit
from labourgraph.graph.store import open_store
from labourgraph.web.cli import main

BASE = "http://127.0.0.1:5000/"
SHARED_TRIPLE = (
    IRI(BASE + "id/person/a169"),
    IRI("https://schema.org/name"),
    Lit("Goldman, Emma", lang="en"),
)
GRAPHS = {
    IRI(BASE + "id/record/one"): [
        SHARED_TRIPLE,
        (
            IRI(BASE + "id/person/a169"),
            IRI("https://schema.org/birthDate"),
            Lit("1869-06-27", datatype="http://www.w3.org/2001/XMLSchema#date"),
        ),
        (
            BNode("rone_b0"),
            IRI("https://schema.org/name"),
            Lit('quote " and \\ backslash\nnewline'),
        ),
    ],
    IRI(BASE + "id/record/two"): [
        SHARED_TRIPLE,
        (
            IRI(BASE + "id/place/amsterdam"),
            IRI("https://schema.org/name"),
            Lit("Амстердам", lang="ru"),
        ),
    ],
}


def _filled_store():  # type: ignore[no-untyped-def]
    store = open_store(None)
    store.replace_graphs(GRAPHS)
    return store


def _quads(data: bytes, fmt: ox.RdfFormat) -> Counter[str]:
    """The quads of a serialisation, blank node labels blanked (a load renames them)."""
    loaded = ox.Store()
    loaded.load(data, format=fmt)
    return Counter(re.sub(r"_:[A-Za-z0-9_]+", "_:b", str(q)) for q in loaded)


def _graph_names(data: bytes, fmt: ox.RdfFormat) -> set[str]:
    loaded = ox.Store()
    loaded.load(data, format=fmt)
    return {str(q.graph_name) for q in loaded}


def test_nquads_round_trip_keeps_every_quad() -> None:
    out = io.BytesIO()
    export_to(_filled_store(), "nq", out)
    expected = {
        f"{s.n3()} {p.n3()} {o.n3()} {g.n3()}" for g, ts in GRAPHS.items() for s, p, o in ts
    }
    assert {line.rstrip(" .") for line in out.getvalue().decode().splitlines()} == expected
    assert sum(_quads(out.getvalue(), ox.RdfFormat.N_QUADS).values()) == 5


def test_trig_round_trip_gives_the_same_quads_as_nquads() -> None:
    nq, trig = io.BytesIO(), io.BytesIO()
    export_to(_filled_store(), ExportFormat.NQ, nq)
    export_to(_filled_store(), ExportFormat.TRIG, trig)
    assert _quads(trig.getvalue(), ox.RdfFormat.TRIG) == _quads(nq.getvalue(), ox.RdfFormat.N_QUADS)


@pytest.mark.parametrize(
    ("name", "fmt"), [("nt", ox.RdfFormat.N_TRIPLES), ("ttl", ox.RdfFormat.TURTLE)]
)
def test_triple_formats_hold_the_union_once(name: str, fmt: ox.RdfFormat) -> None:
    out = io.BytesIO()
    export_to(_filled_store(), name, out)
    assert sum(_quads(out.getvalue(), fmt).values()) == 4  # what both records say appears once
    assert _graph_names(out.getvalue(), fmt) == {str(ox.DefaultGraph())}


def test_unknown_format_says_what_is_offered() -> None:
    with pytest.raises(ExportError) as caught:
        export_format("rdfxml")
    assert (
        str(caught.value)
        == 'export format "rdfxml" is not supported; expected one of nq, nt, ttl, trig'
    )


def test_cli_export_writes_the_published_store(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store", writable=True)
    store.replace_graphs(GRAPHS)
    store.publish()
    store.close()
    target = tmp_path / "graph.nq"
    assert main(["export", "--store", str(tmp_path / "store"), "-o", str(target)]) == 0
    assert _graph_names(target.read_bytes(), ox.RdfFormat.N_QUADS) == {g.n3() for g in GRAPHS}
    assert sum(_quads(target.read_bytes(), ox.RdfFormat.N_QUADS).values()) == 5
