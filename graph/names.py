"""Name normalisation shared by search and reconciliation.

Historians meet one person under many spellings: ``Trotsky``, ``Trockij`` (scholarly),
``Trotzki`` (German), ``Trotskii`` (Library of Congress) and ``Троцкий``; ``Goldman, Emma`` and
``Emma Goldman``; ``C.N.T.`` and ``Confederación Nacional del Trabajo``. The functions here turn
names into comparable keys at three strengths: *folded* (case, diacritics and script removed by
``anyascii``), *variant* (a skeleton on which the usual transliteration systems meet) and
*consonant* (for abjad scripts, Arabic and Hebrew, that write few vowels).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

from anyascii import anyascii

_APOSTROPHES = re.compile(r"['`\u2019\u02bc\u00b4]")
_DOTTED_INITIALS = re.compile(r"\b(?:[a-z]\.){2,}")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_PARENTHETICAL = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_YEAR = re.compile(r"^\d{3,4}$")
_ABJAD = re.compile("[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\ufb1d-\ufdff\ufe70-\ufeff]")

# Ordered rewrites on which the common romanisations of Cyrillic (English, German, French,
# Library of Congress, scholarly/ISO 9) and Polish spellings meet. Upper-case letters are
# placeholders that protect a digraph from the single-letter rules that follow.
_VARIANT_RULES: tuple[tuple[str, str], ...] = (
    ("tsch", "C"),
    ("tch", "C"),
    ("szcz", "SC"),
    ("sch", "S"),
    ("sz", "S"),
    ("cz", "C"),
    ("ch", "C"),
    ("sh", "S"),
    ("zh", "Z"),
    ("kh", "h"),
    ("ph", "f"),
    ("th", "t"),
    ("tz", "ts"),
    ("x", "ks"),
    ("c", "ts"),
    ("w", "v"),
    ("y", "i"),
    ("j", "i"),
    ("ou", "u"),
    ("C", "ch"),
    ("S", "sh"),
    ("Z", "zh"),
)
_HACEK = str.maketrans(
    {"č": "ch", "Č": "Ch", "š": "sh", "Š": "Sh", "ž": "zh", "Ž": "Zh", "ř": "rzh", "Ř": "Rzh"}
)
_DOUBLED = re.compile(r"([a-z])\1+")
_LEADING_IE = re.compile(r"^i(?=e)")
_VOWELS = re.compile(r"[aeiouyvw]")

# Function words left out of an organisation's initials (Confederación Nacional *del* Trabajo
# is the CNT, Industrial Workers *of the* World the IWW).
ACRONYM_STOPWORDS = frozenset(
    {
        "a",
        "and",
        "at",
        "de",
        "del",
        "della",
        "der",
        "des",
        "di",
        "die",
        "das",
        "do",
        "dos",
        "du",
        "e",
        "el",
        "en",
        "et",
        "for",
        "het",
        "i",
        "in",
        "la",
        "las",
        "le",
        "les",
        "los",
        "of",
        "och",
        "og",
        "on",
        "the",
        "und",
        "van",
        "voor",
        "von",
        "y",
        "zu",
        "zur",
    }
)


def ascii_fold(text: str) -> str:
    """Lower-case ASCII of any script: compatibility forms, case and diacritics folded."""
    if text.isascii():  # most names: NFKC, casefold and anyascii leave ASCII as lower() does
        return text.lower()
    return anyascii(unicodedata.normalize("NFKC", text).casefold()).lower()


def scholarly_fold(text: str) -> str:
    """Like ``ascii_fold``, but reading the scholarly háček letters as English digraphs.

    ``Čajkovskij`` folds to ``cajkovskij`` (as a reader without a háček key types it) and reads
    here as ``chajkovskij``, whose skeleton meets ``Tchaikovsky``.
    """
    if text.isascii():  # no háček letters to read
        return text.lower()
    return ascii_fold(unicodedata.normalize("NFC", text).translate(_HACEK))


def tokens(text: str, *, scholarly: bool = False) -> list[str]:
    """The folded words of a name; apostrophes vanish and ``C.N.T.`` becomes ``cnt``."""
    folded = scholarly_fold(text) if scholarly else ascii_fold(text)
    # folded text is ASCII: the only apostrophes left are ' and `, and no dot, no initials
    if "'" in folded or "`" in folded:
        folded = _APOSTROPHES.sub("", folded)
    if "." in folded:
        folded = _DOTTED_INITIALS.sub(lambda m: m.group(0).replace(".", ""), folded)
    return [t for t in _NON_WORD.split(folded) if t]


def fold(text: str) -> str:
    """The folded words of a name joined by single spaces."""
    return " ".join(tokens(text))


@functools.lru_cache(maxsize=1 << 16)  # a pure function of a word, called for every word
def variant(token: str) -> str:
    """The transliteration skeleton of one folded word (``trockij`` and ``trotsky`` meet)."""
    if token.isdigit() or len(token) < 2:
        return token
    out = token
    for old, new in _VARIANT_RULES:
        out = out.replace(old, new)
    return _LEADING_IE.sub("", _DOUBLED.sub(r"\1", out))


def variants(words: Iterable[str]) -> list[str]:
    """The skeleton of each folded word."""
    return [variant(w) for w in words]


@functools.lru_cache(maxsize=1 << 16)  # a pure function of a word, called for every word
def consonants(token: str) -> str:
    """The consonant skeleton of a folded word, on which abjad spellings meet Latin ones."""
    if token.isdigit():
        return token
    return _DOUBLED.sub(r"\1", _VOWELS.sub("", token)) or token


def uses_abjad(text: str) -> bool:
    """True when the text is (partly) in Arabic or Hebrew script."""
    return bool(_ABJAD.search(text))


def heading_words(text: str, *, scholarly: bool = False) -> list[str]:
    """The folded words of a name without qualifiers in brackets and without years."""
    words = tokens(_PARENTHETICAL.sub(" ", text), scholarly=scholarly)
    return [t for t in words if not _YEAR.match(t)]


def name_key(text: str) -> str:
    """An order-free key: ``Goldman, Emma, 1869-1940`` and ``Emma Goldman`` share it."""
    return " ".join(sorted(heading_words(text)))


def variant_keys(text: str) -> set[str]:
    """Order-free keys on transliteration skeletons: ``Trockij, Lev`` meets ``Lev Trotsky``."""
    return {" ".join(sorted(variants(heading_words(text, scholarly=s)))) for s in (False, True)}


class Spellings(NamedTuple):
    """The folded words of one name, as ``tokens`` and ``heading_words`` read it plainly and
    the scholarly way: what the search index files a name under, folded once."""

    words: tuple[str, ...]
    scholarly: tuple[str, ...]
    heading: tuple[str, ...]
    scholarly_heading: tuple[str, ...]

    def name_key(self) -> str:
        """``name_key`` of the name."""
        return " ".join(sorted(self.heading))

    def variant_keys(self) -> set[str]:
        """``variant_keys`` of the name (built in the same order, so iterated alike)."""
        if self.scholarly_heading is self.heading:  # one reading: one key
            return {" ".join(sorted(variants(self.heading)))}
        return {" ".join(sorted(variants(w))) for w in (self.heading, self.scholarly_heading)}


@functools.lru_cache(maxsize=1 << 10)  # the index files each name under keys and under words
def spellings(name: str) -> Spellings:
    """The name's words, plain and scholarly, with and without qualifiers and years."""
    plain = tuple(tokens(name))
    # an ASCII name has no háček letters: its scholarly reading is the plain one
    scholarly = plain if name.isascii() else tuple(tokens(name, scholarly=True))
    if _PARENTHETICAL.search(name) is None:  # nothing in brackets: heading words drop years only
        # a folded word is [a-z0-9]+: _YEAR matches it when it is 3 or 4 digits
        heading = tuple(t for t in plain if not (2 < len(t) < 5 and t.isdigit()))
        scholarly_heading = (
            heading
            if scholarly is plain
            else tuple(t for t in scholarly if not (2 < len(t) < 5 and t.isdigit()))
        )
    else:
        heading = tuple(heading_words(name))
        scholarly_heading = tuple(heading_words(name, scholarly=True))
    return Spellings(plain, scholarly, heading, scholarly_heading)


def acronyms(text: str) -> set[str]:
    """Initials an organisation's name may be abbreviated to (``cnt`` for the CNT).

    Every reading is given: without function words (``cnt``) and with them (``cndt``), with
    hyphenated compounds as one word or as several (``na`` and ``nas`` for the Nationaal
    Arbeids-Secretariaat); a name of fewer than two words has none.
    """
    plain = _PARENTHETICAL.sub(" ", text)
    found: set[str] = set()
    for words in ([fold(p).replace(" ", "") for p in plain.split()], tokens(plain)):
        words = [w for w in words if w]
        if len(words) < 2:
            continue
        found.add("".join(w[0] for w in words))
        content = [w for w in words if w not in ACRONYM_STOPWORDS]
        if len(content) >= 2:
            found.add("".join(w[0] for w in content))
    return found


def _word_matches(a: str, b: str) -> bool:
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return variant(a) == variant(b)


def compatible(a: str, b: str) -> bool:
    """True when two names may be the same: same words in any order, allowing initials.

    ``Goldman, E.`` is compatible with ``Emma Goldman`` and ``Trockij, Lev`` with
    ``Lev Trotsky``; at least one full word (not an initial) must match.
    """
    left, right = heading_words(a), heading_words(b)
    if not left or not right or len(left) != len(right):
        return False
    remaining = list(right)
    full_match = False
    for word in sorted(left, key=len, reverse=True):
        match = next((r for r in remaining if _word_matches(word, r)), None)
        if match is None:
            return False
        remaining.remove(match)
        full_match = full_match or (len(word) > 1 and len(match) > 1)
    return full_match
