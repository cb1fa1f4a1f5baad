"""The entity read model's pure helpers."""

from __future__ import annotations

import pytest
from labourgraph.graph.entity_rows import _most_precise


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
