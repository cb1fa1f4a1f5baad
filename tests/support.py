"""Paths and helpers every test level shares (importable as ``support``; pytest puts tests/ on
sys.path when it loads tests/conftest.py). Not named conftest: several conftest.py files exist,
and ``from conftest import`` would pick whichever pytest loaded last."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import rdflib
from labourgraph.graph.rdf import IRI, BNode, Lit, Triple

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
IISH_FIXTURES = SHARED / "fixtures" / "iish"
DATA = REPO / "data"


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skip (or fail under CI) when ../shared is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = (
            f"{path} is missing: ../shared (fixtures, conformance tests) must sit beside the clone"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def turtle_triples(turtle: str) -> list[Triple]:
    """The triples of a Turtle text as our terms (to load with ``replace_graphs``)."""
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    return [(_term(s), IRI(str(p)), _term(o)) for s, p, o in graph]  # type: ignore[misc]


def _term(node: rdflib.term.Node) -> IRI | BNode | Lit:
    if isinstance(node, rdflib.URIRef):
        return IRI(str(node))
    if isinstance(node, rdflib.BNode):
        return BNode(str(node))
    assert isinstance(node, rdflib.Literal)
    datatype = str(node.datatype) if node.datatype else None
    return Lit(str(node), lang=node.language, datatype=datatype)
