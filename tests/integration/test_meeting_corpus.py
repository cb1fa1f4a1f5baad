"""The events of the corpus in data/: one start date and one place each, as a historian expects."""

from __future__ import annotations

import pytest
from labourgraph.graph.ingest import ingest_paths
from labourgraph.graph.store import OxigraphStore, open_store
from support import DATA

BASE = "http://127.0.0.1:5000/"
MORE_THAN_ONE = """PREFIX schema: <https://schema.org/>
SELECT ?e (GROUP_CONCAT(DISTINCT STR(?v); separator=" | ") AS ?vs)
WHERE {{ ?e a schema:Event ; schema:{prop} ?v }}
GROUP BY ?e HAVING (COUNT(DISTINCT ?v) > 1) ORDER BY ?e"""


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    """The corpus, ingested with reconciliation as `labourgraph ingest data/` does."""
    store = open_store(None, base=BASE)
    ingest_paths(store, [DATA])
    return store


@pytest.mark.parametrize("prop", ["startDate", "location"])
def test_no_event_has_two_values(store: OxigraphStore, prop: str) -> None:
    rows = store.select_text(MORE_THAN_ONE.format(prop=prop))
    assert [f"{row['e']}: {row['vs']}" for row in rows] == []


def test_the_paris_congress_starts_on_its_046_day_at_its_370_place(store: OxigraphStore) -> None:
    rows = store.select_text(
        "PREFIX schema: <https://schema.org/> SELECT ?d ?p WHERE { "
        f"<{BASE}id/event/lg-paris-congress-1889> schema:startDate ?d ; schema:location ?p }}"
    )
    assert [(str(r["d"]), str(r["p"])) for r in rows] == [
        ("1889-07-14", f"{BASE}id/place/lg-paris")
    ]


def test_every_event_that_had_a_start_date_keeps_one(store: OxigraphStore) -> None:
    rows = store.select_text(
        "PREFIX schema: <https://schema.org/> SELECT ?e WHERE { ?e a schema:Event "
        "FILTER NOT EXISTS { ?e schema:startDate ?d } }"
    )
    assert [str(r["e"]) for r in rows] == []
