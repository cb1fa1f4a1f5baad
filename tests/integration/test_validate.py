"""SHACL validation: broken entities are flagged in words, naming the record that says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from labourgraph.graph.rdf import IRI, Lit, Triple
from labourgraph.graph.store import open_store
from labourgraph.graph.validate import Violation, validate_store, violations
from labourgraph.graph.vocab import LG, PROV, RDF, SCHEMA, XSD
from labourgraph.web.cli import main

BASE = "http://127.0.0.1:5000/"
RECORD = IRI(BASE + "id/record/10622-arch01234")
EVENT = IRI(BASE + "id/event/congres-amsterdam-1904")
PLACE = IRI(BASE + "id/place/amsterdam")


def _record(identifier: str = "10622/ARCH01234") -> list[Triple]:
    return [
        (RECORD, RDF.type, LG.SourceRecord),
        (RECORD, LG.sourceFile, Lit("data/archives/ARCH01234.xml")),
        (RECORD, LG.recordFormat, Lit("marcxml")),
        (RECORD, SCHEMA.identifier, Lit(identifier)),
        (RECORD, PROV.generatedAtTime, Lit("2026-11-23T12:00:00Z", datatype=XSD.dateTime)),
        (RECORD, LG.contentHash, Lit("0" * 64)),
    ]


def _event(*extra: Triple) -> list[Triple]:
    return [
        (EVENT, RDF.type, SCHEMA.Event),
        (EVENT, SCHEMA.name, Lit("Internationaler Sozialistenkongress", lang="de")),
        (EVENT, SCHEMA.location, PLACE),
        (PLACE, RDF.type, SCHEMA.Place),
        (PLACE, SCHEMA.name, Lit("Amsterdam")),
        *extra,
    ]


def test_a_complete_event_conforms() -> None:
    start = (EVENT, SCHEMA.startDate, Lit("1904-08-14", datatype=XSD.date))
    assert violations([*_record(), *_event(start)]) == []


def test_an_event_without_start_date_is_named_with_its_record() -> None:
    store = open_store(None)
    store.replace_graphs({RECORD: [*_record(), *_event()]})
    found = validate_store(store)
    assert [v.message() for v in found] == [
        "ARCH01234 -> <http://127.0.0.1:5000/id/event/congres-amsterdam-1904> (EventShape): "
        "schema:startDate is required but missing."
    ]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            (EVENT, SCHEMA.startDate, Lit("14 Aug 1904")),
            "schema:startDate must be a date written as xsd:date (1936-07-19), "
            "xsd:gYearMonth (1936-07) or xsd:gYear (1936).",
        ),
        (
            (EVENT, SCHEMA.about, IRI(BASE + "id/topic/nobody-describes-this")),
            "schema:about must link to an entity some record describes (with a type); "
            "this link leads nowhere.",
        ),
    ],
)
def test_broken_values_are_explained(extra: Triple, expected: str) -> None:
    start = (EVENT, SCHEMA.startDate, Lit("1904", datatype=XSD.gYear))
    found = violations([*_record(), *_event(start, extra)])
    assert found == [Violation(focus=EVENT, shape="EventShape", text=expected)]


def test_a_record_without_identifier_or_hash_is_flagged() -> None:
    triples = [t for t in _record() if t[1] not in (SCHEMA.identifier, LG.contentHash)]
    assert sorted(v.text for v in violations(triples)) == [
        "lg:contentHash is required (once): "
        "the hash that lets a re-ingest skip an unchanged record.",
        "schema:identifier is required but missing: the record's own identifier.",
    ]


def test_cli_validate_prints_violations_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(tmp_path / "store", writable=True)
    store.replace_graphs({RECORD: [*_record(), *_event()]})
    store.publish()
    store.close()
    assert main(["validate", "--store", str(tmp_path / "store")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "1 violation(s)"
    assert out[0].endswith("(EventShape): schema:startDate is required but missing.")
