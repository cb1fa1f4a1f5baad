"""The source records of an entity page: read once, for the list of sources and for labels.

The records whose graphs describe the entity are known from its own statements (each comes with
its graph), so what each record says about itself is one seek per record, in one query; the
same rows give the records' labels for the relation groups (a record is named by its
identifier).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from . import entity_rows, queries
from .entity_relations import with_values
from .entity_rows import SourceRecord
from .rdf import Term
from .store import GraphStore
from .vocab import LG, PROV, SCHEMA

RecordStatements = dict[str, list[tuple[str, Term]]]  # record graph -> (property, value)

SOURCE_COLUMNS = {
    str(SCHEMA.identifier): "identifier",
    str(LG.recordFormat): "format",
    str(SCHEMA.url): "url",
    str(SCHEMA.dateModified): "modified",
    str(PROV.generatedAtTime): "ingested",
}


def read_records(store: GraphStore, graphs: Iterable[str]) -> RecordStatements:
    """What each record graph says about its record (every graph gets an entry, in the order
    given: records with the same identifier are listed in it)."""
    found: RecordStatements = {g: [] for g in graphs}
    if found:
        text = with_values(queries.load("entity_records"), "g", list(found))
        for row in store.select_text(text):
            found[str(row["g"])].append((str(row["p"]), row["o"]))
    return found


def record_sources(records: Mapping[str, Sequence[tuple[str, Term]]]) -> tuple[SourceRecord, ...]:
    """The page's source records, sorted by identifier (the first value of each detail)."""
    rows = []
    for graph, statements in records.items():
        row: dict[str, Term] = {"g": graph}  # type: ignore[dict-item]
        for prop, value in statements:
            if prop in SOURCE_COLUMNS:
                row.setdefault(SOURCE_COLUMNS[prop], value)
        rows.append(row)
    return entity_rows.sources(rows)
