"""The keys under which the search index files an entity, and the forms of a query.

Every name of an entity is filed under *whole* keys (its words sorted, so ``Goldman, Emma`` and
``Emma Goldman`` are one key) and under *rotations* (its words starting at each word, so that
typing the beginning of any word finds it), at several strengths: the folded spelling, the
transliteration skeleton, an organisation's initials and, for abjad queries, consonants.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import names
from .iris import Kind
from .search_entries import IndexEntry

FOLDED, VARIANT, ACRONYM, CONSONANT = 3, 2, 1, 0
CONSONANT_MARK = "~"  # sorts after every letter and digit: never inside a query's prefix range
MAX_ROTATIONS = 8
MAX_KEY = 80
MAX_QUERY_WORDS = 12
# On a tie, the kinds a name search is most often after come first.
KIND_PRIOR = {
    Kind.PERSON: 3,
    Kind.ORGANISATION: 3,
    Kind.FAMILY: 3,
    Kind.EVENT: 2,
    Kind.PLACE: 2,
    Kind.WORK: 1,
    Kind.TOPIC: 1,
    Kind.GENRE: 1,
}


def _rotations(words: list[str]) -> list[str]:
    if len(words) == 1:  # most words of most names: the one rotation is the word
        return [words[0][:MAX_KEY]]
    doubled = words + words  # rotation i is words[i:] + words[:i]
    return [
        " ".join(doubled[i : i + len(words)])[:MAX_KEY]
        for i in range(min(len(words), MAX_ROTATIONS))
    ]


def _name_words(words: Iterable[str]) -> list[str]:
    # long numbers (years of a heading) are dates, not words a name is typed by
    return [w for w in words if not w.isdigit() or len(w) < 3]


def _file(keys: dict[str, tuple[int, int]], found: Iterable[str], weight: int, whole: int) -> None:
    """File each key at ``weight``, keeping the strongest weight and wholeness it was given."""
    for key in found:
        old = keys.get(key)
        if old is None:
            if key:
                keys[key] = (weight, whole)
        elif old[0] < weight or old[1] < whole:
            keys[key] = (max(old[0], weight), max(old[1], whole))


def entry_keys(entry: IndexEntry) -> dict[str, tuple[int, int]]:
    """Every key of an entry, as key -> (strength, 1 if a whole name else 0)."""
    keys: dict[str, tuple[int, int]] = {}
    for name in entry.names:
        spelled = names.spellings(name)  # each name folded once, for all its keys
        words = _name_words(spelled.words)
        _file(keys, (spelled.name_key()[:MAX_KEY],), FOLDED, 1)
        _file(keys, [key[:MAX_KEY] for key in spelled.variant_keys()], VARIANT, 1)
        _file(keys, _rotations(words), FOLDED, 0)
        _file(keys, _rotations(names.variants(words)), VARIANT, 0)
        # a name without háček letters reads the same the scholarly way: its keys are there
        if spelled.scholarly != spelled.words:
            _file(keys, _rotations(names.variants(_name_words(spelled.scholarly))), VARIANT, 0)
        if entry.kind is Kind.ORGANISATION:
            _file(keys, names.acronyms(name), ACRONYM, 1)
        _file(keys, [CONSONANT_MARK + names.consonants(word) for word in words], CONSONANT, 0)
    return keys


def entry_words(entry: IndexEntry) -> str:
    """The words of every name, spelled every way the index knows (for word search)."""
    found: list[str] = []
    for name in entry.names:
        spelled = names.spellings(name)
        found += spelled.words
        found += names.variants(spelled.words)
        if spelled.scholarly != spelled.words:
            found += names.variants(spelled.scholarly)
        if entry.kind is Kind.ORGANISATION:
            found += names.acronyms(name)
    return " ".join(dict.fromkeys(found))  # each word once, where it first came


@dataclass(frozen=True)
class QueryForms:
    """What a query is looked up as."""

    words: tuple[str, ...]
    exact: frozenset[str]
    prefixes: frozenset[str]
    variants: tuple[str, ...]
    consonants: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> QueryForms:
        """The forms of a query typed by a person (anything, hostile input included)."""
        words = tuple(names.tokens(text)[:MAX_QUERY_WORDS])
        text = " ".join(text.split()[: MAX_QUERY_WORDS * 2])
        exact = {names.name_key(text) or " ".join(sorted(words)), *names.variant_keys(text)}
        prefixes = {" ".join(words)}
        for scholarly in (False, True):
            prefixes.add(" ".join(names.variants(names.tokens(text, scholarly=scholarly))))
        consonants = (
            tuple(CONSONANT_MARK + names.consonants(w) for w in words)
            if names.uses_abjad(text)
            else ()
        )
        return cls(
            words,
            frozenset(k for k in exact if k),
            frozenset(p for p in prefixes if p),
            tuple(names.variants(words)),
            consonants,
        )

    def fts(self) -> str:
        """An FTS5 expression over the name words: every word, the last one as a prefix."""
        parts = []
        for i, (word, variant) in enumerate(zip(self.words, self.variants, strict=True)):
            star = "*" if i == len(self.words) - 1 else ""
            # words are [a-z0-9]+ after folding, so quoting them cannot smuggle in an operator
            parts.append(f'("{word}"{star} OR "{variant}"{star})')
        return " AND ".join(parts)
