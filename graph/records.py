"""Reading record files: MARCXML, EAD 2002 and EAC-CPF, bare or inside OAI-PMH envelopes.

The format is detected from the content (root element and namespace), never from the file name.
``read_records`` yields one ``SourceRecord`` per record, or a ``RecordError`` for a record (or a
whole file) that cannot be used, so one bad record never stops the others.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from lxml import etree

from .xmlsafe import MalformedXMLError, UnsafeXMLError, looks_like_xml, parse_xml

MARC_NS = "http://www.loc.gov/MARC21/slim"
EAD_NS = "urn:isbn:1-931666-22-9"
EAC_NS = "urn:isbn:1-931666-33-4"
OAI_NS = "http://www.openarchives.org/OAI/2.0/"


class RecordFormat(str, Enum):  # noqa: UP042 (same shape as iris.Kind)
    """The exchange format of a record."""

    MARCXML = "marcxml"
    EAD = "ead"
    EAC_CPF = "eac-cpf"


@dataclass(frozen=True)
class SourceRecord:
    """One record as read from a file, before mapping."""

    path: Path
    position: int
    format: RecordFormat
    identifier: str
    oai_identifier: str | None
    datestamp: str | None
    element: Any
    xml: bytes


class RecordError(Exception):
    """A record (or a whole file) that cannot be loaded; ``str`` is the one-line message."""

    def __init__(self, path: Path, record: str, problem: str) -> None:
        self.path = path
        self.record = record
        self.problem = problem
        super().__init__(f"{path}, record {record}: {problem}")


class NotRecords(Exception):  # noqa: N818 (the name is the interface)
    """A file that holds no XML records at all (a README, a decisions file): skipped."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def local_name(element: Any) -> str:
    """The tag of an element without its namespace."""
    return etree.QName(element).localname


def namespace(element: Any) -> str | None:
    """The namespace IRI of an element's tag, if any."""
    return etree.QName(element).namespace


def detect_format(element: Any) -> RecordFormat | None:
    """The format of a record or wrapper element, from its name and namespace."""
    name, ns = local_name(element), namespace(element)
    if name in {"record", "collection"} and (
        ns == MARC_NS or (ns is None and _has_leader(element))
    ):
        return RecordFormat.MARCXML
    if name == "ead" and ns in {EAD_NS, None}:
        return RecordFormat.EAD
    if name == "eac-cpf" and ns in {EAC_NS, None}:
        return RecordFormat.EAC_CPF
    return None


def _has_leader(element: Any) -> bool:
    return any(
        local_name(child) in {"leader", "record"} for child in element if isinstance(child.tag, str)
    )


def read_records(path: Path) -> Iterator[SourceRecord | RecordError]:
    """Every record in this file, or RecordErrors; NotRecords if it holds no records at all."""
    data = path.read_bytes()
    if not looks_like_xml(data[:1024]):
        raise NotRecords(path, "not XML; skipped")
    try:
        root = parse_xml(data)
    except (MalformedXMLError, UnsafeXMLError) as error:
        expected = "" if isinstance(error, UnsafeXMLError) else "; expected well-formed XML"
        yield RecordError(path, "#1", f"{_kind(error)}: {error}{expected}")
        return
    for position, (envelope, element) in enumerate(_record_elements(path, root), start=1):
        yield _source_record(path, position, envelope, element)


def _kind(error: Exception) -> str:
    return "malformed XML" if isinstance(error, MalformedXMLError) else "refused XML"


def _record_elements(path: Path, root: Any) -> Iterator[tuple[Any | None, Any]]:
    """(OAI record element or None, the record element) for every record under root."""
    if local_name(root) == "OAI-PMH" and namespace(root) == OAI_NS:
        yield from _oai_records(root)
        return
    fmt = detect_format(root)
    if fmt is None:
        raise NotRecords(
            path, f"XML root <{local_name(root)}> is not MARCXML, EAD, EAC-CPF or OAI-PMH; skipped"
        )
    if local_name(root) == "collection":
        for child in root:
            if isinstance(child.tag, str) and local_name(child) == "record":
                yield None, child
        return
    yield None, root


def _oai_records(root: Any) -> Iterator[tuple[Any, Any]]:
    for record in root.iter(f"{{{OAI_NS}}}record"):
        header = record.find(f"{{{OAI_NS}}}header")
        if header is not None and header.get("status") == "deleted":
            continue  # a deletion notice carries no metadata to map
        metadata = record.find(f"{{{OAI_NS}}}metadata")
        children = [c for c in (metadata if metadata is not None else []) if isinstance(c.tag, str)]
        if not children:
            yield record, None
        for child in children:
            if local_name(child) == "collection":
                for inner in child:
                    if isinstance(inner.tag, str) and local_name(inner) == "record":
                        yield record, inner
            else:
                yield record, child


def _source_record(
    path: Path, position: int, envelope: Any | None, element: Any
) -> SourceRecord | RecordError:
    oai_identifier, datestamp = _oai_header(envelope)
    label = oai_identifier or f"#{position}"
    if element is None:
        return RecordError(
            path,
            label,
            "the OAI-PMH record has no metadata; "
            "expected a MARCXML, EAD or EAC-CPF record inside <metadata>",
        )
    fmt = detect_format(element)
    if fmt is None:
        return RecordError(
            path, label, f"<{local_name(element)}> is not a MARCXML, EAD or EAC-CPF record"
        )
    identifier = record_identifier(fmt, element)
    if not identifier:
        return RecordError(
            path,
            label,
            f"the {fmt.value} record has no identifier; expected {_IDENTIFIER_FIELD[fmt]}",
        )
    return SourceRecord(
        path=path,
        position=position,
        format=fmt,
        identifier=identifier,
        oai_identifier=oai_identifier,
        datestamp=datestamp,
        element=element,
        xml=etree.tostring(element, encoding="utf-8"),
    )


_IDENTIFIER_FIELD = {
    RecordFormat.MARCXML: "a 001 control number",
    RecordFormat.EAD: "an eadheader/eadid",
    RecordFormat.EAC_CPF: "a control/recordId",
}


def _oai_header(envelope: Any | None) -> tuple[str | None, str | None]:
    if envelope is None:
        return None, None
    header = envelope.find(f"{{{OAI_NS}}}header")
    if header is None:
        return None, None
    return _text(header.find(f"{{{OAI_NS}}}identifier")), _text(
        header.find(f"{{{OAI_NS}}}datestamp")
    )


def _text(element: Any | None) -> str | None:
    if element is None:
        return None
    text = "".join(element.itertext()).strip()
    return text or None


def record_identifier(fmt: RecordFormat, element: Any) -> str | None:
    """The record's own identifier: MARC 001, EAD eadid (else archdesc unitid), EAC recordId."""
    ns = namespace(element)
    q = (lambda name: f"{{{ns}}}{name}") if ns else (lambda name: name)
    if fmt is RecordFormat.MARCXML:
        for field in element.iter(q("controlfield")):
            if field.get("tag") == "001":
                return _text(field)
        return None
    if fmt is RecordFormat.EAD:
        eadid = _text(element.find(f"{q('eadheader')}/{q('eadid')}"))
        return eadid or _text(element.find(f"{q('archdesc')}/{q('did')}/{q('unitid')}"))
    return _text(element.find(f"{q('control')}/{q('recordId')}"))
