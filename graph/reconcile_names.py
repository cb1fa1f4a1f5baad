"""The name keys reconciliation compares: whole names, transliterations, initials, acronyms.

Built on ``graph/names.py`` (shared with search). Each function is pure and cheap; a
``NameKeys`` is computed once per distinct name and cached for the run, because a big ingest
repeats the same headings many thousands of times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .names import acronyms, ascii_fold, heading_words, variant, variant_keys

_APOSTROPHES = re.compile(r"['`\u2019\u02bc\u00b4]")
_SPLIT = re.compile(r"[^a-z0-9]+")
_QUALIFIER = re.compile(r"\(([^)]*)\)")
_DATES = re.compile(r"\b\d{3,4}\b.*$")
_ACRONYM_SHAPE = re.compile(r"^(?:[A-Z]\.?\s?){2,8}$")


@dataclass(frozen=True, slots=True)
class NameKeys:
    """The comparable forms of one name."""

    exact: str  # folded words in any order, without years and qualifiers
    variants: frozenset[str]  # the same on transliteration skeletons
    qualifier: str  # the folded text in brackets ("spain"), or ""
    surname: str  # skeleton of the part before the comma (or the last word)
    given: tuple[str, ...]  # folded forenames and initials, in order
    acronyms: frozenset[str]  # initials the name may be abbreviated to
    as_acronym: str  # "cnt" when the name itself is an acronym (CNT, C.N.T.), else ""


@lru_cache(maxsize=200_000)
def keys_of(name: str) -> NameKeys:
    """The comparable forms of a name (cached: headings repeat across records)."""
    qualifier = " ".join(ascii_fold(q) for q in _QUALIFIER.findall(name)).strip()
    surname, given = person_parts(name)
    shape = _ACRONYM_SHAPE.match(name.strip())
    return NameKeys(
        exact=" ".join(sorted(heading_words(name))),
        variants=frozenset(variant_keys(name)),
        qualifier=qualifier,
        surname=surname,
        given=given,
        acronyms=frozenset(acronyms(name)),
        as_acronym=re.sub(r"[^a-z]", "", name.lower()) if shape else "",
    )


def _words(text: str) -> list[str]:
    folded = _APOSTROPHES.sub("", ascii_fold(text))
    return [w for w in _SPLIT.split(folded) if w and not w.isdigit()]


def person_parts(name: str) -> tuple[str, tuple[str, ...]]:
    """(surname skeleton, forenames) of ``Surname, Forenames`` or ``Forenames Surname``.

    Initials stay one letter each: ``Lenin, V.I.`` gives ("lenin", ("v", "i")).
    """
    text = _QUALIFIER.sub(" ", name)
    if "," in text:
        surname, _, rest = text.partition(",")
        rest = _DATES.sub("", rest.split(",")[0] if "," in rest else rest)
        last, given = _words(surname), _words(rest)
    else:
        words = _words(_DATES.sub("", text))
        last, given = words[-1:], words[:-1]
    return variant("".join(last)), tuple(given)


def forenames_agree(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """True when forenames may be the same person's: initials against words, in order.

    The shorter list is compared with the start of the longer one (``Karl`` and
    ``Karl Heinrich``); an initial agrees with a word that starts with it.
    """
    if not left or not right:
        return False
    for a, b in zip(left, right, strict=False):
        if len(a) == 1 or len(b) == 1:
            if a[0] != b[0]:
                return False
        elif variant(a) != variant(b):
            return False
    return True


def qualifiers_agree(left: NameKeys, right: NameKeys) -> bool:
    """Bracketed qualifiers (a country, a year) must be equal when both names have one."""
    return not (left.qualifier and right.qualifier and left.qualifier != right.qualifier)
