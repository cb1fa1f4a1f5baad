"""Choosing HTML, Turtle, JSON-LD, N-Triples or RDF/XML from an ``Accept`` header.

Pure functions on strings: the entity pages ask ``choose(request.headers.get("Accept"),
offered)`` and get a ``Format``. Each offered format is matched against the most specific
media range of the header that covers it (RFC 9110 section 12.5.1), the highest quality wins,
and ties go to the format offered first, so a browser's ``*/*;q=0.8`` never beats HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from labourgraph.graph.documents import DocFormat


class Format(Enum):
    """A representation of an entity: the HTML page or one of the RDF documents."""

    HTML = ("text/html", "html", "HTML", ("text/html", "application/xhtml+xml"))
    TURTLE = ("text/turtle", "ttl", "Turtle", ("text/turtle", "application/x-turtle"))
    JSON_LD = (
        "application/ld+json",
        "jsonld",
        "JSON-LD",
        ("application/ld+json", "application/json"),
    )
    N_TRIPLES = ("application/n-triples", "nt", "N-Triples", ("application/n-triples",))
    RDF_XML = ("application/rdf+xml", "rdf", "RDF/XML", ("application/rdf+xml",))

    def __init__(
        self, media_type: str, extension: str, label: str, aliases: tuple[str, ...]
    ) -> None:
        self.media_type = media_type
        self.extension = extension
        self.label = label
        self.aliases = aliases

    @property
    def document(self) -> DocFormat | None:
        """The RDF document format, or None for HTML."""
        return None if self is Format.HTML else DocFormat[self.name]

    @classmethod
    def from_extension(cls, extension: str) -> Format | None:
        """The format of a document URL's extension (``ttl``, ``jsonld``, ...), if any."""
        return next((f for f in cls if f.extension == extension), None)


ALL_FORMATS: tuple[Format, ...] = tuple(Format)
RDF_FORMATS: tuple[Format, ...] = tuple(f for f in Format if f is not Format.HTML)


class NoAcceptableFormatError(ValueError):
    """The ``Accept`` header excludes every format offered."""


@dataclass(frozen=True)
class MediaRange:
    """One element of an Accept header: ``type/subtype;q=...``."""

    type: str
    subtype: str
    quality: float

    def specificity(self, media_type: str) -> int:
        """2 for an exact match, 1 for ``type/*``, 0 for ``*/*``, -1 if it does not match."""
        kind, _, sub = media_type.partition("/")
        if self.type == kind and self.subtype == sub:
            return 2
        if self.type == kind and self.subtype == "*":
            return 1
        if self.type == "*" and self.subtype == "*":
            return 0
        return -1


def parse_accept(accept: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed elements are ignored."""
    ranges = []
    for part in (accept or "").split(","):
        media, *params = (p.strip() for p in part.split(";"))
        kind, slash, sub = media.lower().partition("/")
        if not slash or not kind or not sub:
            continue
        ranges.append(MediaRange(kind, sub, _quality(params)))
    return ranges


def _quality(params: Sequence[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def quality(ranges: Sequence[MediaRange], fmt: Format) -> float:
    """How much the client wants ``fmt``: the quality of the most specific matching range."""
    best = (-1, 0.0)
    for media_type in fmt.aliases:
        for r in ranges:
            score = r.specificity(media_type)
            if score < 0:
                continue
            # an alias (application/json for JSON-LD) counts a little less than the real type
            penalty = 0.0 if media_type == fmt.media_type else 0.001
            if score > best[0] or (score == best[0] and r.quality - penalty > best[1]):
                best = (score, max(r.quality - penalty, 0.0))
    return best[1]


def choose(accept: str | None, offered: Sequence[Format]) -> Format:
    """The offered format the client prefers; the first offered one if Accept is absent."""
    ranges = parse_accept(accept)
    if not ranges:
        return offered[0]
    scored = [(quality(ranges, fmt), -i, fmt) for i, fmt in enumerate(offered)]
    best_q, _, best = max(scored, key=lambda s: (s[0], s[1]))
    if best_q <= 0.0:
        wanted = ", ".join(f.media_type for f in offered)
        raise NoAcceptableFormatError(
            f'Accept "{accept}" excludes every format offered here: {wanted}.'
        )
    return best
