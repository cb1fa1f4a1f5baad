"""EAD 2002 finding aids (placeholder until the EAD mapper lands)."""

from __future__ import annotations

from ..records import SourceRecord
from .common import MappingError, RecordGraph


def map_ead(record: SourceRecord, base: str) -> RecordGraph:
    """Not yet mapped."""
    raise MappingError("EAD finding aids are not mapped yet; expected MARCXML for now")
