"""The curator's decisions: which headings are the same entity, which entities are different.

The file (``data/curation.tsv``, see ``data/README.md``) is tab-separated with ``#`` comments;
columns ``decision`` (``same`` or ``different``), ``kind``, ``left``, ``right``, ``reason``.
``left`` and ``right`` are authority links as the records write them (``(LG)goldman-emma``) or
headings exactly as a record writes them (``Goldman, E.``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .iris import Kind
from .mappers.common import authority_key
from .rdf import IRI
from .reconcile_mentions import Facts

CURATION_FILE = "curation.tsv"
DECISIONS = ("same", "different")


class CurationError(ValueError):
    """A line of the curator's file that cannot be used."""


@dataclass(frozen=True, slots=True)
class CuratorDecision:
    """One line of the curator's file."""

    decision: str
    kind: Kind
    left: str
    right: str
    reason: str

    def line(self) -> str:
        """The decision as a line of the file."""
        return "\t".join((self.decision, self.kind.value, self.left, self.right, self.reason))


def parse_decision(line: str, where: str) -> CuratorDecision:
    """One decision line; CurationError naming the place and what was expected."""
    cells = [c.strip() for c in line.rstrip("\n").split("\t")]
    if len(cells) < 4:
        raise CurationError(
            f"{where}: {len(cells)} column(s); expected decision, kind, left, right and a reason, "
            "separated by tabs"
        )
    decision, kind_text, left, right = cells[:4]
    if decision not in DECISIONS:
        raise CurationError(f'{where}: decision "{decision}"; expected "same" or "different"')
    try:
        kind = Kind(kind_text)
    except ValueError:
        raise CurationError(
            f'{where}: kind "{kind_text}"; expected person, family, organisation or place'
        ) from None
    if not left or not right:
        raise CurationError(
            f"{where}: left and right must both name an authority link or a heading"
        )
    return CuratorDecision(decision, kind, left, right, cells[4] if len(cells) > 4 else "")


def read_curation(path: Path) -> list[CuratorDecision]:
    """The decisions of a curator's file, in file order."""
    decisions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip() and not line.lstrip().startswith("#"):
            decisions.append(parse_decision(line, f"{path.name}, line {number}"))
    return decisions


def find_curation(paths: Iterable[Path]) -> list[Path]:
    """The curator's files among ingested paths: the file itself, or one at a folder's top."""
    found = []
    for path in paths:
        candidate = path / CURATION_FILE if path.is_dir() else path
        if candidate.name == CURATION_FILE and candidate.is_file():
            found.append(candidate)
    return found


class Curation:
    """The decisions in force, resolved against the mapped IRIs they name."""

    def __init__(self, decisions: Iterable[CuratorDecision] = ()) -> None:
        self.decisions = tuple(decisions)

    def _named(self, form: str, kind: Kind, facts: dict[IRI, Facts]) -> list[IRI]:
        """The mapped IRIs a form names: an authority link's key, or a heading as written."""
        key = authority_key(form) if form.startswith("(") else None
        if key is not None:
            return sorted(i for i, f in facts.items() if f.key == key and f.kind is kind)
        return sorted(
            i for i, f in facts.items() if f.kind is kind and not f.anchored and form in f.names
        )

    def same_pairs(self, facts: dict[IRI, Facts]) -> list[tuple[IRI, IRI, str]]:
        """(left, right, reason) of every "same" decision whose two sides are both mapped."""
        pairs = []
        for d in self.decisions:
            if d.decision == "same":
                for left in self._named(d.left, d.kind, facts):
                    pairs += [(left, r, d.reason) for r in self._named(d.right, d.kind, facts)]
        return pairs

    def apart(self, facts: dict[IRI, Facts]) -> dict[IRI, set[IRI]]:
        """For each mapped IRI, those a "different" decision keeps it apart from."""
        apart: dict[IRI, set[IRI]] = defaultdict(set)
        for d in self.decisions:
            if d.decision == "different":
                for left in self._named(d.left, d.kind, facts):
                    for right in self._named(d.right, d.kind, facts):
                        apart[left].add(right)
                        apart[right].add(left)
        return apart

    def same_as_anchor(self, kind: Kind, names: Iterable[str]) -> str | None:
        """The authority key a "same" decision gives one of these headings, if any."""
        wanted = set(names)
        for d in self.decisions:
            if d.decision == "same" and d.kind is kind and d.right in wanted:
                return authority_key(d.left)
        return None
