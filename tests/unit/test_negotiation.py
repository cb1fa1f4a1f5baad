"""Accept header -> format: browsers get HTML, RDF clients the format they prefer."""

from __future__ import annotations

import pytest
from labourgraph.web.negotiation import (
    ALL_FORMATS,
    RDF_FORMATS,
    Format,
    NoAcceptableFormatError,
    choose,
    parse_accept,
)

FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
CHROME = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, Format.HTML),
        ("", Format.HTML),
        ("*/*", Format.HTML),
        (FIREFOX, Format.HTML),
        (CHROME, Format.HTML),
        ("text/turtle", Format.TURTLE),
        ("application/x-turtle", Format.TURTLE),
        ("application/ld+json", Format.JSON_LD),
        ("application/json", Format.JSON_LD),
        ("application/n-triples", Format.N_TRIPLES),
        ("application/rdf+xml", Format.RDF_XML),
        ("text/*", Format.HTML),
        ("application/*", Format.JSON_LD),
        ("text/turtle;q=0.5, application/rdf+xml", Format.RDF_XML),
        ("text/turtle, application/rdf+xml;q=0.9, text/html;q=0.8", Format.TURTLE),
        ("text/html;q=0.1, application/ld+json;q=0.2", Format.JSON_LD),
        # the most specific range decides: text/turtle is excluded although text/* is not
        ("text/*, text/turtle;q=0", Format.HTML),
        ("text/*;q=0.5, text/turtle", Format.TURTLE),
        ("application/ld+json, application/json;q=1", Format.JSON_LD),
        ("TEXT/TURTLE", Format.TURTLE),
        ("text/turtle; charset=utf-8; q=0.7, */*;q=0.1", Format.TURTLE),
        ("garbage, text/turtle", Format.TURTLE),
    ],
)
def test_choose(accept: str | None, expected: Format) -> None:
    assert choose(accept, ALL_FORMATS) is expected


def test_an_excluded_type_is_never_chosen() -> None:
    assert choose("*/*, text/html;q=0", ALL_FORMATS) is Format.TURTLE


def test_ties_go_to_the_first_format_offered() -> None:
    assert choose("*/*", RDF_FORMATS) is Format.TURTLE
    assert choose("*/*", (Format.N_TRIPLES, Format.TURTLE)) is Format.N_TRIPLES


def test_the_real_media_type_beats_its_alias() -> None:
    assert choose("application/json, text/html", ALL_FORMATS) is Format.HTML
    assert choose("application/json", (Format.HTML, Format.JSON_LD)) is Format.JSON_LD


def test_nothing_acceptable_says_what_is_offered() -> None:
    with pytest.raises(NoAcceptableFormatError) as caught:
        choose("image/png, text/html;q=0", (Format.HTML, Format.TURTLE))
    assert str(caught.value) == (
        'Accept "image/png, text/html;q=0" excludes every format offered here: '
        "text/html, text/turtle."
    )


@pytest.mark.parametrize(
    ("quality", "expected"), [("0.5", 0.5), ("2", 1.0), ("-1", 0.0), ("x", 0.0)]
)
def test_quality_values_are_clamped_and_garbage_is_zero(quality: str, expected: float) -> None:
    assert parse_accept(f"text/turtle;q={quality}")[0].quality == expected


@pytest.mark.parametrize(
    ("extension", "expected"),
    [
        ("ttl", Format.TURTLE),
        ("jsonld", Format.JSON_LD),
        ("nt", Format.N_TRIPLES),
        ("rdf", Format.RDF_XML),
        ("xml", None),
    ],
)
def test_document_extensions(extension: str, expected: Format | None) -> None:
    assert Format.from_extension(extension) is expected
