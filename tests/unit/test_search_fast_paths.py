"""The fast paths of name folding, search keys and label ranking say what the plain code says.

Each reference below is the straightforward form the fast one replaced; both run on names
drawn from a pool of the characters that take different paths (ASCII, Latin with diacritics,
háček letters precomposed and combining, Cyrillic, Arabic, digits that are not ASCII,
compatibility forms, apostrophes, dotted initials, brackets and years).
"""

from __future__ import annotations

import random
import re
import unicodedata

import pytest
from anyascii import anyascii
from labourgraph.graph import names
from labourgraph.graph.entity_rows import PREFERRED_LANGUAGES, _latin, _name_rank, label_order
from labourgraph.graph.iris import Kind
from labourgraph.graph.link_labels import NAME as SCHEMA_NAME
from labourgraph.graph.link_labels import labels_of, link_label
from labourgraph.graph.rdf import Lit
from labourgraph.graph.search_entries import IndexEntry
from labourgraph.graph.search_keys import (
    ACRONYM,
    CONSONANT,
    CONSONANT_MARK,
    FOLDED,
    MAX_KEY,
    VARIANT,
    _rotations,
    entry_keys,
    entry_words,
)

POOL = (
    "abcdefghijklmnopqrstuvwxyzABCZ0123456789      ,.-'`()[]/&"
    "éüñçøåßÆœ"  # Latin with diacritics and ligatures
    "čšžřČŠŽŘ\u030c"  # háček letters, and the combining háček
    "ЛевТроцкийЭмма"  # Cyrillic
    "ليونטרוצקי"  # Arabic, Hebrew
    "²٣Ⅻ①"  # digits and numbers that are not ASCII
    "ＡｂﬁİΣς\u2019\u02bc\u00b4"  # compatibility forms, special case folds, apostrophes
    "ḀỹɐȺ"  # Latin extensions inside and outside the Latin ranges
)
WORDS = ["Goldman", "Emma", "1869-1940", "C.N.T.", "(Spain)", "[ca. 1900]", "Trockij", "Lev"]


def _names(count: int, seed: int) -> list[str]:
    chooser = random.Random(seed)
    found = []
    for _ in range(count):
        parts = [
            chooser.choice(WORDS)
            if chooser.random() < 0.4
            else "".join(chooser.choice(POOL) for _ in range(chooser.randint(0, 9)))
            for _ in range(chooser.randint(1, 5))
        ]
        found.append(chooser.choice([" ", ", ", "-"]).join(parts))
    return found


NAMES = _names(3000, 1917)


# -- the plain references ------------------------------------------------------------------
def _ascii_fold(text: str) -> str:
    return anyascii(unicodedata.normalize("NFKC", text).casefold()).lower()


def _tokens(text: str, scholarly: bool = False) -> list[str]:
    hacek = str.maketrans({"č": "ch", "Č": "Ch", "š": "sh", "Š": "Sh", "ž": "zh", "Ž": "Zh"})
    hacek.update(str.maketrans({"ř": "rzh", "Ř": "Rzh"}))
    folded = (
        _ascii_fold(unicodedata.normalize("NFC", text).translate(hacek))
        if scholarly
        else _ascii_fold(text)
    )
    folded = re.sub(r"['`\u2019\u02bc\u00b4]", "", folded)
    folded = re.sub(r"\b(?:[a-z]\.){2,}", lambda m: m.group(0).replace(".", ""), folded)
    return [t for t in re.split(r"[^a-z0-9]+", folded) if t]


def _name_rank_reference(term: Lit) -> tuple[int, bool, int, str]:
    lang = term.lang or ""
    rank = (
        PREFERRED_LANGUAGES.index(lang) if lang in PREFERRED_LANGUAGES else len(PREFERRED_LANGUAGES)
    )
    text = str(term)
    return rank, any(c.isdigit() for c in text), -len(text), text


def _latin_reference(text: str) -> bool:
    return all(not c.isalpha() or ord(c) < 0x250 or 0x1E00 <= ord(c) <= 0x1EFF for c in text)


def _name_words(name: str, scholarly: bool = False) -> list[str]:
    return [w for w in names.tokens(name, scholarly=scholarly) if not w.isdigit() or len(w) < 3]


def _entry_keys_reference(entry: IndexEntry) -> dict[str, tuple[int, int]]:
    keys: dict[str, tuple[int, int]] = {}

    def add(key: str, weight: int, whole: int) -> None:
        if key:
            old = keys.get(key, (-1, 0))
            keys[key] = (max(old[0], weight), max(old[1], whole))

    for name in entry.names:
        words = _name_words(name)
        add(names.name_key(name)[:MAX_KEY], FOLDED, 1)
        for key in names.variant_keys(name):
            add(key[:MAX_KEY], VARIANT, 1)
        for key in _rotations(words):
            add(key, FOLDED, 0)
        for scholarly in (False, True):
            for key in _rotations(names.variants(_name_words(name, scholarly))):
                add(key, VARIANT, 0)
        if entry.kind is Kind.ORGANISATION:
            for acronym in names.acronyms(name):
                add(acronym, ACRONYM, 1)
        for word in words:
            add(CONSONANT_MARK + names.consonants(word), CONSONANT, 0)
    return keys


def _entry_words_reference(entry: IndexEntry) -> str:
    found: dict[str, None] = {}
    for name in entry.names:
        words = names.tokens(name)
        found.update(dict.fromkeys(words))
        found.update(dict.fromkeys(names.variants(words)))
        found.update(dict.fromkeys(names.variants(names.tokens(name, scholarly=True))))
        if entry.kind is Kind.ORGANISATION:
            found.update(dict.fromkeys(names.acronyms(name)))
    return " ".join(found)


# -- the comparisons ---------------------------------------------------------------------
def test_the_drawn_names_take_every_path() -> None:
    assert sum(n.isascii() for n in NAMES) > 300
    assert sum(not n.isascii() for n in NAMES) > 300
    assert any("\u030c" in n for n in NAMES)
    assert any("(" in n for n in NAMES)


def test_folding_and_words_match_the_plain_forms() -> None:
    for name in NAMES:
        assert names.ascii_fold(name) == _ascii_fold(name), name
        assert names.tokens(name) == _tokens(name), name
        assert names.tokens(name, scholarly=True) == _tokens(name, scholarly=True), name


def test_spellings_match_the_functions_they_stand_for() -> None:
    for name in NAMES:
        spelled = names.spellings(name)
        assert list(spelled.words) == names.tokens(name), name
        assert list(spelled.scholarly) == names.tokens(name, scholarly=True), name
        assert list(spelled.heading) == names.heading_words(name), name
        assert list(spelled.scholarly_heading) == names.heading_words(name, scholarly=True), name
        assert spelled.name_key() == names.name_key(name), name
        # the same keys in the same order: the index files them in iteration order
        assert list(spelled.variant_keys()) == list(names.variant_keys(name)), name


@pytest.mark.parametrize("lang", ["", "en", "eng", "fr", "ru"])
def test_label_ranking_matches_the_plain_forms(lang: str) -> None:
    for name in NAMES:
        assert _name_rank(Lit(name, lang or None)) == _name_rank_reference(Lit(name, lang or None))
        assert _latin(name) == _latin_reference(name), name
        rank = _name_rank_reference(Lit(name, lang or None))
        assert label_order(name, lang, 1) == (1, not _latin_reference(name), rank[1], rank)


@pytest.mark.parametrize("kind", [Kind.PERSON, Kind.ORGANISATION])
def test_entry_keys_and_words_match_the_plain_forms(kind: Kind) -> None:
    for start in range(0, len(NAMES), 3):
        entry = IndexEntry(
            "http://example.org/id/x/1", kind, NAMES[start], tuple(NAMES[start:][:3])
        )
        assert list(entry_keys(entry).items()) == list(_entry_keys_reference(entry).items())
        assert entry_words(entry) == _entry_words_reference(entry)


def test_a_naming_statement_given_by_many_records_labels_as_if_given_once() -> None:
    iri = "http://example.org/id/person/1"
    name, short, dated = (
        (SCHEMA_NAME, "Goldman, Emma", ""),
        (SCHEMA_NAME, "Goldman, E.", ""),
        (SCHEMA_NAME, "Goldman, Emma, 1869-1940", ""),
    )
    said = {iri: [dated, name, short, name, dated, name]}
    plain = link_label(iri, [(p, Lit(v, lang or None)) for p, v, lang in said[iri]])
    assert labels_of(said) == {iri: plain} == {iri: "Goldman, Emma"}
    assert labels_of({iri: [short, short]}) == {iri: "Goldman, E."}
