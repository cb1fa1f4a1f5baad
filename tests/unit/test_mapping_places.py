"""MARC authority 370 places by kind of entity: founding place, seat, where an event took place."""

from __future__ import annotations

from pathlib import Path

import pytest
from labourgraph.graph.mapping import map_record
from labourgraph.graph.records import SourceRecord, read_records
from labourgraph.graph.vocab import SCHEMA

BASE = "http://127.0.0.1:5000/"
HEADINGS = {"110": ("110", "2"), "100": ("100", "1"), "family": ("100", "3"), "111": ("111", "2")}
FOUNDED_IN_ZWOLLE = ("foundingLocation", "zwolle")


def _places(tmp_path: Path, tag: str, name: str, field_370: str) -> set[tuple[str, str]]:
    """(property, place key) of each place one authority record's 370 gives its entity."""
    path = tmp_path / "authority.xml"
    path.write_text(
        '<marc:record xmlns:marc="http://www.loc.gov/MARC21/slim">'
        "<marc:leader>00000nz  a2200000n  4500</marc:leader>"
        '<marc:controlfield tag="001">t1</marc:controlfield>'
        '<marc:controlfield tag="003">LG</marc:controlfield>'
        + '<marc:datafield tag="{}" ind1="{}" ind2=" ">'.format(*HEADINGS[tag])
        + f'<marc:subfield code="a">{name}</marc:subfield></marc:datafield>'
        + f'<marc:datafield tag="370" ind1=" " ind2=" ">{field_370}</marc:datafield>'
        + "</marc:record>",
        encoding="utf-8",
    )
    record = next(r for r in read_records(path) if isinstance(r, SourceRecord))
    mapped = map_record(record, BASE)
    entity = next(o for _, p, o in mapped.triples if p == SCHEMA.mainEntity)
    return {
        (p.removeprefix("https://schema.org/"), o.removeprefix(BASE + "id/place/"))
        for s, p, o in mapped.triples
        if s == entity and isinstance(o, str) and o.startswith(BASE + "id/place/")
    }


def sub(code: str, value: str) -> str:
    """One subfield."""
    return f'<marc:subfield code="{code}">{value}</marc:subfield>'


@pytest.mark.parametrize(
    ("tag", "field_370", "expected"),
    [
        # an organisation: $f with $i Place of founding is where it was founded
        ("110", sub("f", "Zwolle") + sub("i", "Place of founding"), {FOUNDED_IN_ZWOLLE}),
        ("110", sub("f", "Zwolle") + sub("i", "place of founding."), {FOUNDED_IN_ZWOLLE}),
        ("110", sub("i", "Place of foundation") + sub("f", "Zwolle"), {FOUNDED_IN_ZWOLLE}),
        ("family", sub("f", "Zwolle") + sub("i", "Place of founding"), {FOUNDED_IN_ZWOLLE}),
        # ... its seat ($e), and any other associated place ($f without $i), are its location
        ("110", sub("e", "Amsterdam"), {("location", "amsterdam")}),
        ("110", sub("f", "Delft"), {("location", "delft")}),
        ("110", sub("e", "Delft") + sub("i", "Place of founding"), {("location", "delft")}),
        # an event: $f is where it took place, whatever $i says
        ("111", sub("f", "The Hague"), {("location", "the-hague")}),
        ("111", sub("f", "Paris") + sub("i", "Place of founding"), {("location", "paris")}),
        # a person: $a birth, $b death, $e residence; $f stays a location
        (
            "100",
            sub("a", "Trier") + sub("b", "London"),
            {("birthPlace", "trier"), ("deathPlace", "london")},
        ),
        ("100", sub("e", "Paris"), {("homeLocation", "paris")}),
        ("100", sub("f", "Zurich") + sub("i", "Place of founding"), {("location", "zurich")}),
    ],
)
def test_370_place_property_by_kind(
    tmp_path: Path, tag: str, field_370: str, expected: set[tuple[str, str]]
) -> None:
    assert _places(tmp_path, tag, "Test", field_370) == expected
