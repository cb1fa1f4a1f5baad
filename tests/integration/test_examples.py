"""The example queries of sparql/examples: listed in the editor, and CORRECT on the corpus.

The corpus in data/ is loaded by the real ingest into an in-memory store whose IRI base is not
the default one, so the examples are also shown not to depend on the base. Each example is run
through the real /sparql endpoint (SPARQL JSON), and its answer is compared with rows checked by
hand against the records in data/ (see data/README.md). Entities are compared by their key (the
part of the IRI after ``id/``), which does not change with the base.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from labourgraph.graph.ingest import ingest_paths
from labourgraph.graph.results import example_queries
from labourgraph.graph.store import open_store
from labourgraph.web.app import create_app
from labourgraph.web.settings import Settings
from markupsafe import escape
from support import DATA

BASE = "https://labourgraph.example.org/"
EXAMPLES = Path(__file__).resolve().parents[2] / "sparql" / "examples"
Row = dict[str, str]


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    store = open_store(None, base=BASE)
    ingest_paths(store, [DATA])
    return create_app(store, Settings(rate_limit_seconds=10_000)).test_client()


def run_example(client: FlaskClient, name: str) -> list[Row]:
    """The rows of an example, run through /sparql; IRIs under the base become their keys."""
    text = (EXAMPLES / f"{name}.rq").read_text(encoding="utf-8")
    response = client.post(
        "/sparql", data={"query": text}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.data.decode()
    bindings = json.loads(response.data)["results"]["bindings"]
    return [{var: _plain(cell) for var, cell in row.items()} for row in bindings]


def _plain(cell: dict[str, str]) -> str:
    value = cell["value"]
    if cell["type"] == "uri" and value.startswith(BASE + "id/"):
        return value.removeprefix(BASE + "id/")
    return value


def column(rows: list[Row], name: str) -> list[str]:
    """One column of an answer, in answer order ("" where unbound)."""
    return [row.get(name, "") for row in rows]


def pick(rows: list[Row], *names: str) -> set[tuple[str, ...]]:
    """The set of tuples of these columns."""
    return {tuple(row.get(n, "") for n in names) for row in rows}


# ---- the listing -------------------------------------------------------------------------


def test_at_least_fifteen_examples_each_with_a_title_and_comments() -> None:
    examples = example_queries()
    assert len(examples) >= 15
    for example in examples:
        lines = example.text.splitlines()
        assert lines[0].startswith("# "), f"{example.name}: the first line must be '# title'"
        assert example.title == lines[0][2:].strip()
        comments = [line for line in lines if line.startswith("#")]
        assert len(comments) >= 5, f"{example.name}: explain what it asks and how"
        assert "How:" in example.text, f"{example.name}: the comments must say how it works"


def test_every_example_is_listed_in_the_editor(client: FlaskClient) -> None:
    page = client.get("/sparql", headers={"Accept": "text/html"}).data.decode()
    for example in example_queries():
        assert f'data-example="{example.name}">{escape(example.title)}</a>' in page


def test_every_example_has_an_expected_answer_here() -> None:
    assert sorted(e.name for e in example_queries()) == sorted(EXPECTED)


# ---- the answers -------------------------------------------------------------------------


def members_in_a_year(rows: list[Row]) -> None:
    # data/authorities/persons.xml 373: W. Liebknecht SPD 1890-1900 member, Bebel 1892-1913
    # chairman, Luxemburg 1898- member; Kautsky, Bernstein, K. Liebknecht have no dates
    assert pick(rows, "person", "roleName", "from", "until") == {
        ("person/lg-liebknecht-wilhelm", "member", "1890", "1900"),
        ("person/lg-bebel-august", "chairman", "1892", "1913"),
        ("person/lg-luxemburg-rosa", "member", "1898", ""),
    }
    assert column(rows, "name") == ["Liebknecht, Wilhelm", "Bebel, August", "Luxemburg, Rosa"]


def who_corresponded(rows: list[Row]) -> None:
    pairs = pick(rows, "a", "b")
    assert {
        ("person/lg-engels-friedrich", "person/lg-marx-karl"),
        ("person/lg-berkman-alexander", "person/lg-goldman-emma"),
        ("person/lg-goldman-emma", "person/lg-nettlau-max"),
        ("person/lg-sedov-lev", "person/lg-trotsky-leon"),
        ("person/lg-bakunin-michail", "person/lg-herzen-alexander"),
        ("organisation/lg-cnt", "person/lg-montseny-federica"),
    } <= pairs
    assert all(a < b for a, b in pairs), "each pair once, in IRI order"
    marx_engels = next(
        r
        for r in rows
        if r["b"] == "person/lg-marx-karl" and r["a"] == "person/lg-engels-friedrich"
    )
    # Engels' and Marx's authority records, Marx's EAC-CPF and the Marx-Engels Papers EAD
    assert set(marx_engels["formats"].split(", ")) == {"marcxml", "eac-cpf", "ead"}
    assert int(marx_engels["records"]) >= 3


def network_around_goldman(rows: list[Row]) -> None:
    edges = pick(rows, "direction", "relation", "other")
    schema, lg = "https://schema.org/", "https://w3id.org/labourgraph/ontology#"
    assert {
        ("out", f"{schema}birthPlace", "place/lg-kaunas"),
        ("out", f"{schema}deathPlace", "place/lg-toronto"),
        ("out", f"{lg}correspondedWith", "person/lg-berkman-alexander"),
        ("out", f"{lg}correspondedWith", "person/lg-kropotkin-petr"),
        ("out", f"{lg}correspondedWith", "person/lg-nettlau-max"),
        ("in", f"{schema}attendee", "event/lg-spanish-revolution-1936"),
    } <= edges
    assert "person/lg-goldman-emma" not in column(rows, "other")


def founded_by_city(rows: list[Row]) -> None:
    found = {(r["city"], r["decade"]): set(r["names"].split(" | ")) for r in rows}
    assert found[("place/lg-amsterdam", "1890")] == {
        "Nationaal Arbeids-Secretariaat",
        "Algemene Nederlandse Diamantbewerkersbond",
    }
    assert found[("place/lg-amsterdam", "1900")] == {
        "Sociaal-Democratische Partij (Netherlands)",
        "Nederlands Verbond van Vakverenigingen",
    }
    assert found[("place/lg-barcelona", "1910")] == {"Confederación Nacional del Trabajo (Spain)"}
    assert found[("place/lg-barcelona", "1930")] == {"Partido Obrero de Unificación Marxista"}
    assert found[("place/lg-zwolle", "1890")] == {
        "Sociaal-Democratische Arbeiderspartij (Netherlands)"
    }
    assert "International Institute of Social History" in found[("place/lg-amsterdam", "1930")]
    assert not any(city.startswith("place/lg-netherlands") for city, _ in found), "no countries"


def spanish_civil_war(rows: list[Row]) -> None:
    assert set(column(rows, "collection")) == {
        "collection/lg-coll-0009",
        "collection/lg-coll-0010",
        "collection/lg-coll-0001",
    }
    assert pick(rows, "collection", "part", "partName", "period") >= {
        (
            "collection/lg-coll-0009",
            "item/lg-coll-0009.lg-coll-0009-2",
            "Guerra civil y revolución",
            "1936/1939",
        ),
        ("collection/lg-coll-0001", "item/lg-coll-0001.lg-coll-0001-2", "Spain", "1936/1939"),
    }
    assert "item/lg-coll-0002.lg-coll-0002-3" not in column(rows, "part"), "1864/1872 is not"


def two_movements(rows: list[Row]) -> None:
    # Durruti, Montseny and García Oliver: 373 CNT and FAI in data/authorities/persons.xml
    assert pick(rows, "person", "inFirst", "inSecond") == {
        ("person/lg-durruti-buenaventura", "member until 1936", "member until 1936"),
        ("person/lg-garcia-oliver-juan", "member", "member"),
        ("person/lg-montseny-federica", "member", "member"),
    }


def most_organisations(rows: list[Row]) -> None:
    counts = {r["person"]: int(r["organisations"]) for r in rows}
    assert counts["person/lg-polak-henri"] == 3  # ANDB, SDAP, NVV
    assert counts["person/lg-kok-wim"] == 3  # NVV, FNV, PvdA
    assert counts["person/lg-luxemburg-rosa"] == 2  # SPD, KPD
    assert min(counts.values()) >= 2
    assert column(rows, "organisations") == sorted(
        column(rows, "organisations"), key=int, reverse=True
    )


def uncertain_dates(rows: list[Row]) -> None:
    assert pick(rows, "entity", "property", "asWritten", "earliest", "latest") >= {
        (
            "person/lg-parsons-lucy",
            "https://schema.org/birthDate",
            "1853?",
            "1853-01-01",
            "1853-12-31",
        ),
        (
            "collection/arch00018",
            "https://schema.org/temporalCoverage",
            "1823/1935",
            "1823-01-01",
            "1935-12-31",
        ),
    }


def born_in_the_1850s(rows: list[Row]) -> None:
    assert pick(rows, "person", "certainty") == {
        ("person/lg-bernstein-eduard", "exact"),
        ("person/lg-malatesta-errico", "exact"),
        ("person/lg-parsons-lucy", "uncertain"),
        ("person/lg-wilson-charlotte", "exact"),
        ("person/lg-kautsky-karl", "exact"),
        ("person/lg-debs-eugene", "exact"),
        ("person/lg-spies-august", "exact"),
        ("person/lg-pankhurst-emmeline", "exact"),
    }
    assert next(r["birth"] for r in rows if r["person"] == "person/lg-parsons-lucy") == "1853?"


def succession(rows: list[Row]) -> None:
    assert pick(rows, "direction", "other") == {
        ("predecessor", "organisation/lg-adav"),
        ("predecessor", "organisation/lg-sdap-de"),
        ("predecessor", "organisation/lg-sapd"),
        ("successor", "organisation/lg-uspd"),
    }
    predecessors = [r["other"] for r in rows if r["direction"] == "predecessor"]
    assert predecessors[-1] == "organisation/lg-sapd", "ordered by founding date"


def nettlau_files(rows: list[Row]) -> None:
    by_key = {r["component"]: r for r in rows}
    assert set(by_key) >= {
        f"item/lg-coll-0003.lg-coll-0003-{n}"
        for n in ("1", "1-1", "1-2", "1-3", "1-4", "2", "2-1", "2-2", "3")
    }
    letters = by_key["item/lg-coll-0003.lg-coll-0003-1-1"]
    assert (letters["title"], letters["level"], letters["parent"], letters["period"]) == (
        "Letters from Goldman, E.",
        "File",
        "item/lg-coll-0003.lg-coll-0003-1",
        "1922/1938",
    )
    assert letters["correspondents"] == "Goldman, E."
    assert by_key["item/lg-coll-0003.lg-coll-0003-1"]["parent"] == "collection/lg-coll-0003"


def records_say_so(rows: list[Row]) -> None:
    assert pick(rows, "org", "record", "format") >= {
        ("organisation/lg-bolsheviks", "record/auth-lg-trotsky-leon", "marcxml"),
        ("organisation/lg-bolsheviks", "record/eac-lg-trotsky-leon", "eac-cpf"),
        ("organisation/lg-fourth-international", "record/auth-lg-trotsky-leon", "marcxml"),
    }
    assert all(r["loaded"] for r in rows), "every record says when it was loaded"


def members_per_organisation(rows: list[Row]) -> None:
    counts = {r["org"]: int(r["members"]) for r in rows}
    assert len(rows) == 15
    assert counts["organisation/lg-iwma"] == 6
    assert counts["organisation/lg-spd"] == 6
    assert counts["organisation/lg-freedom-press"] == 4
    assert counts["organisation/lg-cnt"] == 3


def publications_per_decade(rows: list[Row]) -> None:
    counts = {(r["decade"], r["kind"]): int(r["publications"]) for r in rows}
    assert counts[("1840", "Book")] == 1  # the Communist Manifesto, 1848
    assert counts[("1910", "Book")] == 7
    assert {kind for _, kind in counts} >= {"Book", "Periodical"}
    assert "CreativeWork" not in {kind for _, kind in counts}


def hague_congress(rows: list[Row]) -> None:
    assert pick(rows, "participant", "otherEvents") == {
        ("person/lg-engels-friedrich", "0"),
        ("person/lg-guillaume-james", "1"),  # Saint-Imier, 1872
        ("person/lg-marx-karl", "1"),  # the inaugural meeting, 1864
        ("organisation/lg-iwma", "5"),
    }


def cyrillic_names(rows: list[Row]) -> None:
    assert pick(rows, "entity", "cyrillic", "language") >= {
        ("person/lg-trotsky-leon", "Троцкий, Лев Давидович", ""),
        ("person/lg-trotsky-leon", "Бронштейн, Лев Давидович", ""),
        ("person/lg-lenin-vladimir", "Ульянов, Владимир Ильич", ""),
        ("organisation/lg-bolsheviks", "Большевики", ""),
        # EAC rus + Cyrl is BCP 47 ru-Cyrl; Oxigraph stores (and LANG gives) tags in lower case
        ("person/lg-goldman-emma", "Гольдман, Эмма", "ru-cyrl"),
    }
    assert all(not any("\u0400" <= ch <= "\u04ff" for ch in r["name"]) for r in rows)


def wikidata_links(rows: list[Row]) -> None:
    # the table "Identifiers: what is ours and what is real" in data/README.md
    assert pick(rows, "entity", "qid") >= {
        ("person/lg-goldman-emma", "Q79969"),
        ("person/lg-marx-karl", "Q9061"),
        ("organisation/lg-pvda", "Q275441"),
        ("organisation/lg-spd", "Q49768"),
        ("place/lg-amsterdam", "Q727"),
        ("place/lg-spain", "Q29"),
    }
    assert set(column(rows, "kind")) == {"person", "organisation", "place"}


def founders(rows: list[Row]) -> None:
    found = {r["org"]: (r.get("founded", ""), set(r["founders"].split(" | "))) for r in rows}
    assert found["organisation/lg-iww"] == (
        "1905-06-27",
        {"Debs, Eugene V.", "Haywood, William D.", "Parsons, Lucy"},
    )
    assert found["organisation/lg-wspu"] == (
        "1903-10-10",
        {"Pankhurst, Emmeline", "Pankhurst, Christabel"},
    )
    assert found["organisation/lg-iish"] == ("1935", {"Posthumus, N.W."})
    assert found["organisation/lg-rsp"][1] == {"Sneevliet, Henk"}, "one name per founder"


EXPECTED: dict[str, Callable[[list[Row]], None]] = {
    "01_members_in_a_year": members_in_a_year,
    "02_who_corresponded_with_whom": who_corresponded,
    "03_network_around_a_person": network_around_goldman,
    "04_organisations_founded_by_city_and_decade": founded_by_city,
    "05_collections_about_the_spanish_civil_war": spanish_civil_war,
    "06_people_in_two_movements": two_movements,
    "07_people_in_most_organisations": most_organisations,
    "08_uncertain_dates": uncertain_dates,
    "09_born_in_a_decade_with_uncertain_dates": born_in_the_1850s,
    "10_succession_of_organisations": succession,
    "11_files_of_a_collection": nettlau_files,
    "12_which_records_say_so": records_say_so,
    "13_members_per_organisation": members_per_organisation,
    "14_publications_per_decade": publications_per_decade,
    "15_who_attended_an_event": hague_congress,
    "16_names_in_cyrillic": cyrillic_names,
    "17_links_to_wikidata": wikidata_links,
    "18_founders": founders,
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_gives_the_expected_answer(client: FlaskClient, name: str) -> None:
    rows = run_example(client, name)
    assert rows, f"{name} returned no rows"
    EXPECTED[name](rows)
