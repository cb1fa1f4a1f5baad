"""/ontology: a section per labourgraph term (label, comment, alignments) and the Turtle file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from labourgraph.graph.store import open_store
from labourgraph.graph.vocab import LG, LG_NAMESPACE
from labourgraph.web.app import create_app
from markupsafe import escape
from rdflib.compare import isomorphic

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology" / "labour.ttl"
RDFS = rdflib.Namespace("http://www.w3.org/2000/01/rdf-schema#")


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    return create_app(open_store(None)).test_client()


@pytest.fixture(scope="module")
def declared() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY, format="turtle")


def _section(page: str, name: str) -> str:
    found = re.search(rf'<section class="term" id="{name}".*?</section>', page, re.S)
    assert found, f"no section for lg:{name}"
    return found.group(0)


def test_every_term_has_a_section_with_its_label_comment_and_alignments(  # type: ignore[no-untyped-def]
    client, declared: rdflib.Graph
) -> None:
    response = client.get("/ontology", headers={"Accept": "text/html"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    terms = sorted(
        {
            str(s)[len(LG_NAMESPACE) :]
            for s in declared.subjects()
            if str(s).startswith(LG_NAMESPACE) and str(s) != LG_NAMESPACE
        }
    )
    assert len(terms) >= len(LG.terms)
    for name in terms:
        section = _section(page, name)
        subject = rdflib.URIRef(LG_NAMESPACE + name)
        label, comment = declared.value(subject, RDFS.label), declared.value(subject, RDFS.comment)
        assert label is not None and comment is not None, f"lg:{name} lacks a label or comment"
        assert str(escape(str(label))) in section
        assert str(escape(str(comment))) in section
        for target in declared.objects(subject, RDFS.subClassOf | RDFS.subPropertyOf):
            assert (
                f'href="{target}"' in section
                or f'href="#{str(target).rsplit("#", 1)[-1]}"' in section
            )


def test_the_code_uses_only_terms_the_page_documents(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/ontology", headers={"Accept": "text/html"}).get_data(as_text=True)
    for name in LG.terms:
        assert f'id="{name}"' in page


@pytest.mark.parametrize(
    ("path", "accept"), [("/ontology", "text/turtle"), ("/ontology.ttl", "*/*")]
)
def test_turtle_is_the_ontology_file(
    client, declared: rdflib.Graph, path: str, accept: str
) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    assert response.headers["Vary"] == "Accept"
    assert isomorphic(rdflib.Graph().parse(data=response.data, format="turtle"), declared)
