"""Dates as historians write them: value at its precision, bounds, and impossible dates."""

from __future__ import annotations

from datetime import date

import pytest
from labourgraph.graph.dates import DateError, parse_date, parse_life_dates

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(
    ("text", "value", "datatype", "earliest", "latest", "uncertain"),
    [
        ("1920", "1920", "gYear", date(1920, 1, 1), date(1920, 12, 31), False),
        ("1920-05", "1920-05", "gYearMonth", date(1920, 5, 1), date(1920, 5, 31), False),
        ("1920-02-29", "1920-02-29", "date", date(1920, 2, 29), date(1920, 2, 29), False),
        ("19200514", "1920-05-14", "date", date(1920, 5, 14), date(1920, 5, 14), False),
        ("1920-1935", "1920", "gYear", date(1920, 1, 1), date(1935, 12, 31), False),
        ("1920-21", "1920", "gYear", date(1920, 1, 1), date(1921, 12, 31), False),
        ("1920/1935", "1920", "gYear", date(1920, 1, 1), date(1935, 12, 31), False),
        ("ca. 1970", "1970", "gYear", date(1965, 1, 1), date(1975, 12, 31), True),
        ("[ca. 1970]", "1970", "gYear", date(1965, 1, 1), date(1975, 12, 31), True),
        ("1917?", "1917", "gYear", date(1917, 1, 1), date(1917, 12, 31), True),
        ("[1917]", "1917", "gYear", date(1917, 1, 1), date(1917, 12, 31), True),
        ("19--", None, None, date(1900, 1, 1), date(1999, 12, 31), True),
        ("197-", None, None, date(1970, 1, 1), date(1979, 12, 31), True),
        ("(1823-) 1860-1876 (-1935)", "1823", "gYear", date(1823, 1, 1), date(1935, 12, 31), False),
        (
            "1898-1905, 1911-1915, 1918-1931.",
            "1898",
            "gYear",
            date(1898, 1, 1),
            date(1931, 12, 31),
            False,
        ),
        ("1990.", "1990", "gYear", date(1990, 1, 1), date(1990, 12, 31), False),
    ],
)
def test_parse_date(text, value, datatype, earliest, latest, uncertain) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    if value is None:
        assert parsed.start is None
    else:
        assert parsed.start is not None
        assert parsed.start.literal().value == value
        assert parsed.start.literal().datatype == XSD + datatype
    assert (parsed.earliest, parsed.latest, parsed.uncertain) == (earliest, latest, uncertain)
    assert parsed.original == text


@pytest.mark.parametrize("text", ["z.d.", "s.d.", "n.d.", "undated", "", "   ", "no year here"])
def test_undated_texts_give_nothing(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1923-13-01", "is not a date"),
        ("1923-02-30", "is not a date"),
        ("1935-1920", "ends before it starts"),
    ],
)
def test_impossible_dates_are_refused(text: str, message: str) -> None:
    with pytest.raises(DateError) as raised:
        parse_date(text)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("text", "birth", "death"),
    [
        ("1869-1940", "1869", "1940"),
        ("1985-", "1985", None),
        ("-1940", None, "1940"),
        ("b. 1869", "1869", None),
        ("d. 1940", None, "1940"),
        ("ca. 1814-1876", "1814", "1876"),
        ("fl. 1920", None, None),
    ],
)
def test_life_dates(text: str, birth: str | None, death: str | None) -> None:
    born, died = parse_life_dates(text)
    assert (born.start.literal().value if born and born.start else None) == birth
    assert (died.start.literal().value if died and died.start else None) == death


def test_interval_of_a_century() -> None:
    parsed = parse_date("19--")
    assert parsed is not None and parsed.interval() == "1900/1999"
