"""Every real IISH record in ../shared/fixtures/iish maps, and yields the entities it names."""

from __future__ import annotations

from pathlib import Path

import pytest
from labourgraph.graph.mapping import map_record
from labourgraph.graph.records import RecordError, read_records

from tests.conftest import shared_path

BASE = "http://127.0.0.1:5000/"


def _map_all(folder: Path) -> dict[str, set[str]]:
    entities: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.xml")):
        for record in read_records(path):
            assert not isinstance(record, RecordError), str(record)
            entities[path.name] = set(map_record(record, BASE).entities)
    return entities


def test_every_iish_record_maps() -> None:
    entities = _map_all(shared_path("fixtures", "iish"))
    assert len(entities) == 19


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        (
            "archive-ARCH00018.xml",
            [
                "collection/arch00018",
                "person/bakunin-michail-aleksandrovic",
                "person/marx-karl",
                "organisation/international-working-men-s-association-iwma",
                "place/italy",
            ],
        ),
        (
            "ARCH01293.xml",
            [
                "collection/arch01293",
                "organisation/sdap-afdeling-delft",
                "person/velden-g-j-ten",
                "person/j-w-albarda",
                "place/netherlands",
                "item/arch01293.35",
            ],
        ),
        ("authority-169.xml", ["event/a169", "place/amsterdam"]),
        ("authority-229111.xml", ["place/a229111", "place/netherlands"]),
        ("authority-612.xml", ["person/a612"]),
        (
            "biblio-1482763.xml",
            [
                "item/1482763",
                "event/congres-de-l-union-federale-des-retraites-de-la-filpac-2-1990",
                "organisation/a2009982",
                "place/a127741",
            ],
        ),
        ("biblio-1520855.xml", ["person/a2035251", "person/a558203", "work/a2035250"]),
        ("biblio-1004952.xml", ["collection/arch02110", "organisation/a8781"]),
    ],
)
def test_iish_records_yield_the_entities_they_name(file: str, expected: list[str]) -> None:
    entities = _map_all(shared_path("fixtures", "iish"))
    missing = [e for e in expected if BASE + "id/" + e not in entities[file]]
    assert missing == []
