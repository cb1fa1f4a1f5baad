"""Name normalisation: the spellings historians meet must meet, and different names must not."""

from __future__ import annotations

import pytest
from labourgraph.graph import names


@pytest.mark.parametrize(
    "spelling",
    [
        "Trotsky",
        "Trockij",
        "Trotzki",
        "Trotskii",
        "Trotskiy",
        "Троцкий",
        "Τρότσκι",
        "TROTSKY",
        "Trotski",
    ],
)
def test_transliterations_of_trotsky_meet(spelling: str) -> None:
    assert names.variant_keys(spelling) & names.variant_keys("Trotsky")


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Čajkovskij", "Tchaikovsky"),
        ("Evgenij", "Yevgeny"),
        ("Sergej", "Sergey"),
        ("Чайковский", "Tschaikowsky"),
    ],
)
def test_other_romanisations_meet(left: str, right: str) -> None:
    assert names.variant_keys(left) & names.variant_keys(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Trotsky", "Goldman"),
        ("Marx", "Marks, Karl"),
        ("Emma", "Emil"),
    ],
)
def test_different_names_stay_apart(left: str, right: str) -> None:
    assert not names.variant_keys(left) & names.variant_keys(right)


def test_folding_removes_case_diacritics_and_script() -> None:
    assert names.fold("Confederación Nacional del Trabajo") == "confederacion nacional del trabajo"
    assert names.fold("Mühsam, Erich") == "muhsam erich"
    assert names.fold("Гольдман, Эмма") == "goldman emma"
    assert names.fold("Straße") == "strasse"


def test_dotted_initials_become_one_word_and_punctuation_goes() -> None:
    assert names.tokens("C.N.T.") == ["cnt"]
    assert names.tokens("Goldman, E. M.") == ["goldman", "e", "m"]
    assert names.tokens('"<script>alert(1)</script>" AND *') == [
        "script",
        "alert",
        "1",
        "script",
        "and",
    ]


def test_inverted_order_and_life_dates_share_a_key() -> None:
    assert names.name_key("Goldman, Emma, 1869-1940") == names.name_key("Emma Goldman")
    assert names.name_key("Goldman, Emma") != names.name_key("Goldman, Eric")


def test_acronyms_of_organisations() -> None:
    assert "cnt" in names.acronyms("Confederación Nacional del Trabajo (Spain)")
    assert "iww" in names.acronyms("Industrial Workers of the World")
    assert "nas" in names.acronyms("Nationaal Arbeids-Secretariaat")
    assert names.acronyms("CNT") == set()


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("Goldman, E.", "Emma Goldman", True),
        ("Trockij, Lev", "Lev Trotsky", True),
        ("Goldman, Emma", "Goldman, Eric", False),
        ("E. G.", "Emma Goldman", False),
        ("Goldman", "Emma Goldman", False),
    ],
)
def test_compatible_names(left: str, right: str, expected: bool) -> None:
    assert names.compatible(left, right) is expected


def test_abjad_spellings_meet_latin_ones_on_consonants() -> None:
    arabic = [names.consonants(w) for w in names.tokens("ليون تروتسكي")]
    hebrew = [names.consonants(w) for w in names.tokens("לאון טרוצקי")]
    latin = [names.consonants(w) for w in names.tokens("Leon Trotsky")]
    assert arabic == hebrew == latin
    assert names.uses_abjad("ليون") and not names.uses_abjad("Leon")
