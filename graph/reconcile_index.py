"""The names of authority-backed entities, indexed for the name rules of reconciliation.

An unlinked heading is compared with the entities that have an authority record or an
authority link ("anchors"), rule by rule in order of trust: the same name (``name``), the same
transliteration skeleton (``transliteration``), a surname with agreeing forenames or initials
(``initials``, persons only), an acronym (``acronym``, organisations only). A rule decides only
when exactly one anchor matches; two or more is ambiguous and the heading stays on its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .iris import Kind
from .rdf import IRI
from .reconcile_names import NameKeys, forenames_agree, keys_of, qualifiers_agree

Compatible = Callable[[IRI], bool]
Entry = tuple[IRI, str]  # (anchor, the anchor's name that matched)


@dataclass(frozen=True, slots=True)
class Match:
    """Where a heading resolves, by which rule, and why."""

    anchor: IRI
    rule: str
    evidence: str


class AnchorIndex:
    """Anchors by their name keys, per kind."""

    def __init__(self) -> None:
        self._exact: dict[tuple[Kind, str], set[Entry]] = defaultdict(set)
        self._variant: dict[tuple[Kind, str], set[Entry]] = defaultdict(set)
        self._surname: dict[tuple[Kind, str], set[Entry]] = defaultdict(set)
        self._acronym: dict[str, set[Entry]] = defaultdict(set)
        self._seen: set[tuple[IRI, str]] = set()

    def add(self, anchor: IRI, kind: Kind, names: Iterable[str]) -> None:
        """Index the names of one anchor (again: names already indexed are skipped)."""
        for name in names:
            if (anchor, name) in self._seen:
                continue
            self._seen.add((anchor, name))
            keys, entry = keys_of(name), (anchor, name)
            if keys.exact:
                self._exact[(kind, keys.exact)].add(entry)
            for skeleton in keys.variants:
                if skeleton:
                    self._variant[(kind, skeleton)].add(entry)
            if kind is Kind.PERSON and keys.surname and keys.given:
                self._surname[(kind, keys.surname)].add(entry)
            if kind is Kind.ORGANISATION:
                for acronym in keys.acronyms:
                    self._acronym[acronym].add(entry)

    def match(self, kind: Kind, names: Iterable[str], compatible: Compatible) -> Match | None:
        """The one anchor these names resolve to, by the most trusted rule that decides."""
        ordered = sorted(set(names))
        for rule, finder in self._rules(kind):
            found: dict[IRI, tuple[str, str]] = {}
            for name in ordered:
                for anchor, other in finder(name, keys_of(name)):
                    if compatible(anchor):
                        found.setdefault(anchor, (name, other))
            if len(found) == 1:
                anchor, (name, other) = next(iter(found.items()))
                return Match(anchor, rule, _evidence(rule, name, other))
            if found:
                return None  # ambiguous: a weaker rule must not choose among them
        return None

    def _rules(self, kind: Kind) -> list[tuple[str, Callable[[str, NameKeys], list[Entry]]]]:
        def exact(name: str, keys: NameKeys) -> list[Entry]:
            if keys.as_acronym and kind is Kind.ORGANISATION:
                return []  # an acronym is judged by the acronym rule, against every expansion
            return _agreeing(keys, self._exact.get((kind, keys.exact), ()))

        def transliteration(name: str, keys: NameKeys) -> list[Entry]:
            if kind is Kind.PLACE or (keys.as_acronym and kind is Kind.ORGANISATION):
                return []
            hits: list[Entry] = []
            for skeleton in sorted(keys.variants):
                hits += _agreeing(keys, self._variant.get((kind, skeleton), ()))
            return hits

        def initials(name: str, keys: NameKeys) -> list[Entry]:
            entries = self._surname.get((kind, keys.surname), ()) if keys.given else ()
            return [e for e in sorted(entries) if forenames_agree(keys.given, keys_of(e[1]).given)]

        def acronym(name: str, keys: NameKeys) -> list[Entry]:
            if not keys.as_acronym:
                return []
            expansions = self._acronym.get(keys.as_acronym, set())
            spelled = self._exact.get((kind, keys.as_acronym), set())
            return sorted(expansions | spelled)

        rules = [("name", exact), ("transliteration", transliteration)]
        if kind is Kind.PERSON:
            rules.append(("initials", initials))
        if kind is Kind.ORGANISATION:
            rules.append(("acronym", acronym))
        return rules


def _agreeing(keys: NameKeys, entries: Iterable[Entry]) -> list[Entry]:
    return [e for e in sorted(entries) if qualifiers_agree(keys, keys_of(e[1]))]


_RULE_WORDS = {
    "name": "the same name once case, diacritics, punctuation, word order and dates are set aside",
    "transliteration": "the same name in another transliteration",
    "initials": "the same surname, with forenames or initials that agree",
    "acronym": "the acronym of the organisation's name",
}


def _evidence(rule: str, name: str, other: str) -> str:
    return f'"{name}" matches "{other}": {_RULE_WORDS[rule]}'
