"""What one ingest changed: the input of the steps that follow it (change log, search, dumps)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .rdf import IRI


@dataclass(frozen=True)
class ChangeSet:
    """Record graphs and entities an ingest added, changed or removed, and when it finished.

    An entity is *changed* when a statement about it (as subject) was added or removed in any
    record graph, *added* when no record described it before, *removed* when no record
    describes it any more.
    """

    when: datetime
    graphs_added: frozenset[IRI] = field(default_factory=frozenset)
    graphs_changed: frozenset[IRI] = field(default_factory=frozenset)
    graphs_removed: frozenset[IRI] = field(default_factory=frozenset)
    entities_added: frozenset[IRI] = field(default_factory=frozenset)
    entities_changed: frozenset[IRI] = field(default_factory=frozenset)
    entities_removed: frozenset[IRI] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        """True when the ingest changed nothing."""
        return not (self.graphs_added or self.graphs_changed or self.graphs_removed)
