"""Records in, RDF out: ``map_record`` turns one source record into the statements of its graph.

Pure and cheap: the mappers in ``graph/mappers/`` build tuples of our plain RDF terms (no rdflib
on this path). Every record's statements go into a named graph of its own,
``{base}id/record/{key}``, which is also the IRI of the record's own description.
"""

from __future__ import annotations

from dataclasses import dataclass

from .iris import IRIError
from .mappers.common import MappingError, RecordGraph
from .mappers.eac import map_eac
from .mappers.ead import map_ead
from .mappers.marc import map_marc
from .rdf import IRI, Triple
from .records import RecordError, RecordFormat, SourceRecord

MAPPERS = {RecordFormat.MARCXML: map_marc, RecordFormat.EAD: map_ead, RecordFormat.EAC_CPF: map_eac}


@dataclass(frozen=True)
class MappedRecord:
    """The statements of one record and the entities it describes or mentions."""

    graph: IRI
    triples: list[Triple]
    entities: frozenset[IRI]


def map_record(record: SourceRecord, base: str) -> MappedRecord:
    """The named graph, statements and entities of one record; RecordError if it is unusable."""
    try:
        graph: RecordGraph = MAPPERS[record.format](record, base)
    except (MappingError, IRIError) as problem:
        raise RecordError(record.path, record.identifier, str(problem)) from None
    triples, entities = graph.result()
    return MappedRecord(graph.record, triples, entities)
