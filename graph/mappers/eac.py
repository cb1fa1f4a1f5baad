"""EAC-CPF records (placeholder until the EAD mapper lands)."""

from __future__ import annotations

from ..records import SourceRecord
from .common import MappingError, RecordGraph


def map_eac(record: SourceRecord, base: str) -> RecordGraph:
    """Not yet mapped."""
    raise MappingError("EAC-CPF records are not mapped yet; expected MARCXML for now")
