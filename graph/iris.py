"""The IRI pattern of every entity: ``{base}id/{kind}/{key}``.

The base is data, chosen once at the first ingest (``LABOURGRAPH_BASE`` or ``--base``) and
recorded in the store, so pages, dumps and the SPARQL endpoint always agree.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from enum import Enum

from anyascii import anyascii

from .rdf import IRI

DEFAULT_BASE = "http://127.0.0.1:5000/"


class Kind(str, Enum):  # noqa: UP042 (str(kind) stays the enum's repr; code uses .value)
    """What an entity is; the second path segment of its IRI."""

    PERSON = "person"
    FAMILY = "family"
    ORGANISATION = "organisation"
    PLACE = "place"
    EVENT = "event"
    COLLECTION = "collection"
    ITEM = "item"
    WORK = "work"
    TOPIC = "topic"
    GENRE = "genre"
    ROLE = "role"  # a dated membership or office (schema:OrganizationRole)
    RECORD = "record"  # a source record; also the name of the graph holding its statements


KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,119}$")
_SLUG_DROP = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 80


class IRIError(ValueError):
    """An IRI that is not ``{base}id/{kind}/{key}`` under this store's base."""


def check_base(base: str) -> str:
    """The base IRI, validated: absolute http(s) and ending in a slash."""
    if not re.match(r"^https?://[^\s/]+(/[^\s]*)?$", base) or not base.endswith("/"):
        raise IRIError(
            f'base IRI "{base}" must be an absolute http(s) IRI ending in "/", '
            'for example "https://data.example.org/"'
        )
    return base


def mint(base: str, kind: Kind, key: str) -> IRI:
    """The IRI of the entity of this kind and key."""
    if not KEY_PATTERN.match(key):
        raise IRIError(
            f'"{key}" is not a valid {kind.value} key (lowercase a-z, 0-9, ".", "_", "-")'
        )
    return IRI(f"{base}id/{kind.value}/{key}")


def parse(base: str, iri: str) -> tuple[Kind, str]:
    """The kind and key of an entity IRI under ``base``; IRIError if it is not one."""
    prefix = f"{base}id/"
    if not iri.startswith(prefix):
        raise IRIError(f"<{iri}> is not under {prefix}")
    kind_text, _, key = iri[len(prefix) :].partition("/")
    try:
        kind = Kind(kind_text)
    except ValueError:
        raise IRIError(f'<{iri}>: "{kind_text}" is not an entity kind') from None
    if not KEY_PATTERN.match(key):
        raise IRIError(f'<{iri}>: "{key}" is not a valid key')
    return kind, key


def slug(text: str) -> str:
    """A stable, readable key for a heading: transliterated, lowercased, hyphenated.

    Long or unreadable headings keep a short hash so that two different headings never share a
    key by truncation.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    ascii_text = _SLUG_DROP.sub("-", anyascii(folded).lower()).strip("-")
    digest = hashlib.sha1(folded.encode("utf-8")).hexdigest()[:8]
    if not ascii_text:
        return f"h{digest}"
    if len(ascii_text) > MAX_SLUG:
        return f"{ascii_text[:MAX_SLUG].rstrip('-')}-{digest}"
    return ascii_text


def identifier_key(identifier: str) -> str:
    """A key from a catalogue identifier such as ``10622/ARCH00018`` or ``IISG 1004952``."""
    key = _SLUG_DROP.sub("-", identifier.strip().lower()).strip("-")
    if not key or len(key) > 120:
        return "h" + hashlib.sha1(identifier.encode("utf-8")).hexdigest()[:16]
    return key
