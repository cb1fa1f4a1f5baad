"""Binding variables in SPARQL text for remote stores: where VALUES goes, and what it refuses."""

from __future__ import annotations

import pytest
from labourgraph.graph.query_text import BindingError, bind, query_form, values_block
from labourgraph.graph.rdf import IRI, BNode, Lit
from labourgraph.graph.store import open_store

EMMA = IRI("https://lg.example.org/id/person/a1")
V = "VALUES (?e) { (<https://lg.example.org/id/person/a1>) }"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT ?n WHERE { ?e <p> ?n }", f"SELECT ?n WHERE {{ {V}  ?e <p> ?n }}"),
        ("select ?n { ?e <p> ?n }", f"select ?n {{ {V}  ?e <p> ?n }}"),
        ("ASK { ?e ?p ?o }", f"ASK {{ {V}  ?e ?p ?o }}"),
        (
            "CONSTRUCT { ?e ?p ?o } WHERE { ?e ?p ?o }",
            f"CONSTRUCT {{ ?e ?p ?o }} WHERE {{ {V}  ?e ?p ?o }}",
        ),
        ("CONSTRUCT { ?e ?p ?o } { ?e ?p ?o }", f"CONSTRUCT {{ ?e ?p ?o }} {{ {V}  ?e ?p ?o }}"),
        ("CONSTRUCT WHERE { ?e ?p ?o }", f"CONSTRUCT WHERE {{ ?e ?p ?o }}\n{V}\n"),
        ("DESCRIBE ?e", f"DESCRIBE ?e\n{V}\n"),
        # braces and WHERE inside comments, strings and IRIs are not the WHERE group
        (
            '# SELECT { WHERE\nSELECT * WHERE { ?e <p> "}{ WHERE" }',
            f'# SELECT {{ WHERE\nSELECT * WHERE {{ {V}  ?e <p> "}}{{ WHERE" }}',
        ),
        (
            "PREFIX x: <http://x/#{>\nSELECT * { ?e x:p ?o }",
            f"PREFIX x: <http://x/#{{>\nSELECT * {{ {V}  ?e x:p ?o }}",
        ),
        # a sub-select's WHERE is not the outer one; its own group uses ?e, so it is bound there
        (
            "SELECT * { { SELECT ?e WHERE { ?e ?p ?o } } }",
            f"SELECT * {{ {V}  {{ SELECT ?e WHERE {{ {V}  ?e ?p ?o }} }} }}",
        ),
        # bound again in each group that uses the variable, as substitutions would be
        (
            "SELECT ?e { { GRAPH ?g { ?e ?p ?o } } UNION "
            "{ ?s ?p ?e FILTER NOT EXISTS { ?e a ?t } } }",
            f"SELECT ?e {{ {V}  {{ GRAPH ?g {{ {V}  ?e ?p ?o }} }} UNION "
            f"{{ {V}  ?s ?p ?e FILTER NOT EXISTS {{ {V}  ?e a ?t }} }} }}",
        ),
        # a VALUES data block is not a group
        (
            "SELECT ?e { VALUES ?x { <a> } ?e ?p ?x }",
            f"SELECT ?e {{ {V}  VALUES ?x {{ <a> }} ?e ?p ?x }}",
        ),
    ],
)
def test_values_go_first_into_the_where_groups_that_use_them(query: str, expected: str) -> None:
    assert bind(query, {"e": EMMA}) == expected


def test_no_bindings_leave_the_query_alone() -> None:
    assert bind("SELECT * { ?s ?p ?o }", {}) == "SELECT * { ?s ?p ?o }"


def test_literals_are_written_escaped_with_their_tag_or_type() -> None:
    block = values_block(
        {
            "a": Lit('say "hi"\n\\', lang="en"),
            "b": Lit("1917", datatype="http://www.w3.org/2001/XMLSchema#gYear"),
        }
    )
    assert block == (
        'VALUES (?a ?b) { ("say \\"hi\\"\\n\\\\"@en '
        '"1917"^^<http://www.w3.org/2001/XMLSchema#gYear>) }'
    )


def test_hostile_iri_cannot_leave_its_brackets() -> None:
    assert values_block({"e": IRI("http://x/> } ; DROP ALL ; <y")}) == (
        "VALUES (?e) { (<http://x/%3E%20%7D%20;%20DROP%20ALL%20;%20%3Cy>) }"
    )


@pytest.mark.parametrize(
    ("bindings", "message"),
    [
        (
            {"e": BNode("b0")},
            "?e: a blank node cannot be bound in a query; expected an IRI or a literal",
        ),
        ({"e x": EMMA}, '"e x" is not a SPARQL variable name; expected letters, digits and "_"'),
        (
            {"n": Lit("x", lang="en } ;")},
            '?n: "en } ;" is not a language tag; expected one like "en" or "pt-BR"',
        ),
    ],
)
def test_unbindable_values_are_refused(bindings: dict, message: str) -> None:
    with pytest.raises(BindingError) as caught:
        bind("SELECT * { ?e ?p ?o }", bindings)
    assert str(caught.value) == message


def test_a_query_without_a_form_is_refused() -> None:
    with pytest.raises(BindingError) as caught:
        bind("INSERT DATA { <a> <b> <c> }", {"e": EMMA})
    assert (
        str(caught.value)
        == "the query has no SELECT, CONSTRUCT, DESCRIBE or ASK; cannot bind variables in it"
    )


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?e ?o WHERE { ?e <http://p> ?o } ORDER BY ?o",
        "SELECT ?e (COUNT(?o) AS ?n) WHERE { ?e <http://p> ?o } GROUP BY ?e",
        "SELECT ?e ?o WHERE { ?s <http://p> ?o FILTER(?s = ?e) }",
        "SELECT ?e ?o WHERE { { SELECT ?e ?o WHERE { ?e <http://p> ?o } } }",
        "SELECT ?e ?o WHERE { ?e <http://p> ?o OPTIONAL { ?e <http://q> ?x } }",
        "SELECT ?e ?o WHERE { { GRAPH ?g { ?e <http://p> ?o } } UNION { ?o <http://p> ?e } }",
        "SELECT ?e ?o WHERE { ?s <http://p> ?o MINUS { ?s <http://p> ?e } }",
    ],
)
def test_bound_queries_answer_as_pyoxigraph_substitutions_do(query: str) -> None:
    store = open_store(None)
    other = IRI("https://lg.example.org/id/person/a2")
    store.replace_graphs(
        {
            IRI("https://lg.example.org/id/record/r1"): [
                (EMMA, IRI("http://p"), Lit("one")),
                (EMMA, IRI("http://p"), Lit("two")),
                (other, IRI("http://p"), Lit("three")),
            ]
        }
    )
    substituted = store.select_text(query, e=EMMA)
    assert store.select_text(bind(query, {"e": EMMA})) == substituted
    assert substituted  # the comparison is not between two empty answers


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("# the graphs to add or drop\n# and more\nSELECT ?g { GRAPH ?g {} }", "SELECT"),
        ("PREFIX ask: <http://x/construct#>\nCONSTRUCT WHERE { ?s ask:p ?o }", "CONSTRUCT"),
        ("select ?ask ?describe { ?ask ?p ?describe }", "SELECT"),
        ('ASK { ?s ?p "SELECT" }', "ASK"),
        ("DESCRIBE <http://x/select>", "DESCRIBE"),
        ("not a query", "SELECT"),
    ],
)
def test_the_query_form_is_read_past_comments_strings_and_iris(query: str, form: str) -> None:
    assert query_form(query) == form
