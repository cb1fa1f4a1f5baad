"""A meeting's date and place: one start date and one place when its authority states them."""

from __future__ import annotations

from pathlib import Path

import pytest
from labourgraph.graph.ingest import ingest_paths
from labourgraph.graph.mappers.headings import meeting_place
from labourgraph.graph.store import OxigraphStore, open_store

BASE = "http://127.0.0.1:5000/"
MARC = 'xmlns:marc="http://www.loc.gov/MARC21/slim"'
PARIS_1889 = "<http://127.0.0.1:5000/id/event/lg-paris-congress-1889>"


def sub(code: str, value: str) -> str:
    """One subfield."""
    return f'<marc:subfield code="{code}">{value}</marc:subfield>'


def field(tag: str, ind1: str, *subfields: str) -> str:
    """One data field."""
    inner = "".join(subfields)
    return f'<marc:datafield tag="{tag}" ind1="{ind1}" ind2=" ">{inner}</marc:datafield>'


def record(leader: str, identifier: str, *fields: str) -> str:
    """One MARC record under the LG authority source."""
    return (
        f"<marc:record {MARC}><marc:leader>00000n{leader}  a2200000n  4500</marc:leader>"
        f'<marc:controlfield tag="001">{identifier}</marc:controlfield>'
        '<marc:controlfield tag="003">LG</marc:controlfield>' + "".join(fields) + "</marc:record>"
    )


HEADING_111 = field(
    "111",
    "2",
    sub("a", "International Socialist Workers' Congress"),
    sub("d", "(1889 :"),
    sub("c", "Paris, France)"),
)
AUTHORITY = record(
    "z",
    "paris-congress-1889",
    field("046", " ", sub("s", "1889-07-14"), sub("t", "1889-07-20"), sub("2", "edtf")),
    HEADING_111,
    field("370", " ", sub("f", "Paris (France)"), sub("0", "(LG)paris")),
)
PARIS = record("z", "paris", field("151", " ", sub("a", "Paris")))
BOOK = record(
    "am",
    "bib-1",
    field("245", "1", sub("a", "Protokoll des Internationalen Arbeiter-Congresses")),
    field(
        "611",
        "2",
        sub("a", "International Socialist Workers' Congress"),
        sub("d", "(1889 :"),
        sub("c", "Paris, France)"),
        sub("0", "(LG)paris-congress-1889"),
    ),
)
# the same congress named in a record with no authority link: its own year and place
UNLINKED = record(
    "am",
    "bib-2",
    field("245", "1", sub("a", "Der Pariser Kongress")),
    field(
        "611", "2", sub("a", "Socialist Congress"), sub("d", "(1891 :"), sub("c", "Paris, France)")
    ),
)


def ingested(tmp_path: Path, *records: str) -> OxigraphStore:
    """An in-memory store holding these records, each in a file of its own, ingested together."""
    for number, text in enumerate(records):
        (tmp_path / f"r{number}.xml").write_text(text, encoding="utf-8")
    store = open_store(None, base=BASE)
    ingest_paths(store, [tmp_path])
    return store


def values(store: OxigraphStore, event: str, prop: str) -> set[str]:
    """The values of one schema.org property of an event: an IRI, or a literal and its type."""
    rows = store.select_text(
        "SELECT (IF(isLiteral(?v), CONCAT(STR(?v), ' ', STR(DATATYPE(?v))), STR(?v)) AS ?x) "
        f"WHERE {{ {event} <https://schema.org/{prop}> ?v }}"
    )
    return {str(row["x"]) for row in rows}


@pytest.mark.parametrize(
    "records",
    [(AUTHORITY, PARIS), (AUTHORITY, PARIS, BOOK), (BOOK, PARIS, AUTHORITY)],
    ids=["authority", "authority-then-book", "book-then-authority"],
)
def test_the_authority_dates_and_places_the_event_once(tmp_path: Path, records: tuple[str]) -> None:
    store = ingested(tmp_path, *records)
    assert values(store, PARIS_1889, "startDate") == {
        "1889-07-14 http://www.w3.org/2001/XMLSchema#date"
    }
    assert values(store, PARIS_1889, "location") == {"http://127.0.0.1:5000/id/place/lg-paris"}


def test_a_linked_heading_whose_authority_is_absent_states_no_date_or_place(tmp_path: Path) -> None:
    store = ingested(tmp_path, BOOK)
    assert values(store, PARIS_1889, "startDate") == set()
    assert values(store, PARIS_1889, "location") == set()
    assert values(store, PARIS_1889, "name") == {
        "International Socialist Workers' Congress (1889 : Paris, France) "
        "http://www.w3.org/2001/XMLSchema#string"
    }


def test_an_unlinked_meeting_keeps_its_year_and_its_place_resolves_to_the_authority_place(
    tmp_path: Path,
) -> None:
    store = ingested(tmp_path, PARIS, UNLINKED)
    event = "<http://127.0.0.1:5000/id/event/socialist-congress-1891-paris-france>"
    assert values(store, event, "startDate") == {"1891 http://www.w3.org/2001/XMLSchema#gYear"}
    assert values(store, event, "location") == {"http://127.0.0.1:5000/id/place/lg-paris"}


@pytest.mark.parametrize(
    ("written", "place"),
    [
        ("Paris, France", "Paris (France)"),
        ("Chicago, Ill.", "Chicago (Ill.)"),
        ("Paris (France)", "Paris (France)"),
        ("Brussels and London", "Brussels and London"),
        ("Zimmerwald", "Zimmerwald"),
        (", France", ", France"),
    ],
)
def test_a_meeting_place_is_written_as_a_place_heading(written: str, place: str) -> None:
    assert meeting_place(written) == place
