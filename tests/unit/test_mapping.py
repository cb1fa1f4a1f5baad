"""Each mapper on small fixture records, compared as graphs with the expected Turtle."""

from __future__ import annotations

from pathlib import Path

import pytest
from labourgraph.graph.mapping import MappedRecord, map_record
from labourgraph.graph.rdf import Triple, to_rdflib
from labourgraph.graph.records import RecordError, SourceRecord, read_records
from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BASE = "http://127.0.0.1:5000/"


def mapped(name: str) -> list[MappedRecord]:
    """Every good record of a fixture file, mapped."""
    return [
        map_record(r, BASE)
        for r in read_records(FIXTURES / "records" / name)
        if isinstance(r, SourceRecord)
    ]


def assert_same_graph(actual_triples: list[Triple], expected_file: Path) -> None:
    """Isomorphism, with the difference spelled out on failure."""
    actual = to_isomorphic(to_rdflib(actual_triples))
    expected = to_isomorphic(Graph().parse(expected_file))
    if actual != expected:
        _, only_actual, only_expected = graph_diff(actual, expected)
        pytest.fail(
            "only in actual:\n"
            + only_actual.serialize(format="nt")
            + "\nonly in expected:\n"
            + only_expected.serialize(format="nt")
        )


@pytest.mark.parametrize(
    "name",
    [
        "marc_authority_minimal",
        "marc_authority_full",
        "marc_authority_places",
        "oai_listrecords_marc",
        "ead_nested",
        "eac_person",
        "eac_corporate",
        "eac_family",
    ],
)
def test_mapper_output_matches_expected_turtle(name: str) -> None:
    triples = [t for record in mapped(f"{name}.xml") for t in record.triples]
    assert_same_graph(triples, FIXTURES / "expected" / f"{name}.ttl")


def test_each_record_has_its_own_graph_and_entities() -> None:
    collection, book = mapped("oai_listrecords_marc.xml")
    assert collection.graph == BASE + "id/record/marc-lg-coll-0001"
    assert book.graph == BASE + "id/record/marc-lg-bib-0001"
    assert BASE + "id/collection/lg-coll-0001" in collection.entities
    assert BASE + "id/person/lg-goldman-emma" in collection.entities
    assert BASE + "id/person/lg-goldman-emma" not in book.entities  # no $0 there: a heading key
    assert BASE + "id/person/goldman-emma" in book.entities


def test_impossible_date_is_a_record_error_naming_field_and_value() -> None:
    record = next(
        r
        for r in read_records(FIXTURES / "records" / "marc_bad_date.xml")
        if isinstance(r, SourceRecord)
    )
    with pytest.raises(RecordError) as raised:
        map_record(record, BASE)
    assert str(raised.value) == (
        f"{FIXTURES / 'records' / 'marc_bad_date.xml'}, record LG-BIB-9001: "
        '260 $c date "1923-13-01" is not a date; expected a year, a range (1920-1935), '
        "an approximation (ca. 1970) or an ISO date"
    )


def test_mapping_is_deterministic() -> None:
    first = [m.triples for m in mapped("ead_nested.xml")]
    assert first == [m.triples for m in mapped("ead_nested.xml")]
