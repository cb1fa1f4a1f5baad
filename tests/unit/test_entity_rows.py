"""The entity read model's pure helpers."""

from __future__ import annotations

import pytest
from labourgraph.graph.entity_rows import _most_precise, label_order


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        (["1869", "1869-06-27"], ["1869-06-27"]),
        (["1869-06", "1869", "1869-06-27"], ["1869-06-27"]),
        (["1869", "1870"], ["1869", "1870"]),
        (["1869-06-27", "1869-06-27"], ["1869-06-27"]),
        (["1936", "1936-07", "1937"], ["1936-07", "1937"]),
        ([], []),
    ],
)
def test_a_date_another_refines_is_not_shown_twice(values: list[str], shown: list[str]) -> None:
    assert _most_precise(values) == shown


@pytest.mark.parametrize(
    ("names", "label"),
    [
        # (text, lang, 0 = schema:name / 1 = variant): what a merge leaves on one entity
        (
            [("Goldman, E.", "", 0), ("Goldman, Emma, 1869-1940", "", 0), ("Goldman, Emma", "", 0)],
            "Goldman, Emma",
        ),
        (
            [("C.N.T.", "", 0), ("Confederación Nacional del Trabajo (Spain)", "", 0)],
            "Confederación Nacional del Trabajo (Spain)",
        ),
        (
            [("Троцкий, Лев Давидович", "", 0), ("Trockij, Lev Davidovič", "", 0)],
            "Trockij, Lev Davidovič",
        ),
        (
            [("Trotsky, Leon, 1879-1940", "", 0), ("Trockij, Lev", "", 1)],
            "Trotsky, Leon, 1879-1940",
        ),
    ],
)
def test_the_label_is_the_fullest_latin_name_without_life_dates(
    names: list[tuple[str, str, int]], label: str
) -> None:
    assert min(names, key=lambda n: label_order(*n))[0] == label
