"""Exports of the whole dataset: quads (N-Quads, TriG) or the union graph (N-Triples, Turtle)."""

from __future__ import annotations

from enum import StrEnum
from typing import IO

from .store import GraphStore


class ExportFormat(StrEnum):
    """The formats ``labourgraph export --format`` offers, by file extension."""

    NQ = "nq"
    NT = "nt"
    TTL = "ttl"
    TRIG = "trig"

    @property
    def media_type(self) -> str:
        """The media type of this format."""
        return _MEDIA_TYPES[self]

    @property
    def keeps_graphs(self) -> bool:
        """True for the quad formats, which keep each record's named graph."""
        return self in (ExportFormat.NQ, ExportFormat.TRIG)


_MEDIA_TYPES = {
    ExportFormat.NQ: "application/n-quads",
    ExportFormat.NT: "application/n-triples",
    ExportFormat.TTL: "text/turtle",
    ExportFormat.TRIG: "application/trig",
}


class ExportError(ValueError):
    """An export format we do not write."""


def export_format(name: str) -> ExportFormat:
    """The export format for an extension such as ``nq``; ExportError if there is none."""
    try:
        return ExportFormat(name.lower().lstrip("."))
    except ValueError:
        offered = ", ".join(f.value for f in ExportFormat)
        raise ExportError(
            f'export format "{name}" is not supported; expected one of {offered}'
        ) from None


def export_to(store: GraphStore, fmt: str | ExportFormat, out: IO[bytes]) -> None:
    """Write the whole dataset to ``out``: every quad for nq/trig, the union graph for nt/ttl."""
    chosen = fmt if isinstance(fmt, ExportFormat) else export_format(fmt)
    store.dump(out, chosen.media_type)
