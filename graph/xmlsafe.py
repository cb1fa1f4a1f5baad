"""The one XML parser: lxml hardened against XXE, entity expansion and network access.

Every record file goes through ``parse_xml``. Entities are never resolved, no DTD is loaded,
nothing is fetched, huge text nodes and deep trees are refused; a DOCTYPE that declares
entities (or carries any internal subset) is refused outright, because a record exchanged by
OAI-PMH never needs one and it is the vehicle of both XXE and "billion laughs".
"""

from __future__ import annotations

from typing import Any

from lxml import etree


class UnsafeXMLError(ValueError):
    """XML that is well-formed but refused for safety (DOCTYPE internal subset, entities)."""


class MalformedXMLError(ValueError):
    """Bytes that are not well-formed XML; the message is the parser's."""


def _parser() -> etree.XMLParser:
    # A new parser per call: lxml parsers are not thread-safe, and this is cheap.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes) -> Any:
    """The root element of these bytes; MalformedXMLError or UnsafeXMLError if unusable."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise MalformedXMLError(str(error)) from None
    if root is None:
        raise MalformedXMLError("the document is empty")
    _refuse_internal_subset(root.getroottree())
    return root


def _refuse_internal_subset(tree: Any) -> None:
    dtd = tree.docinfo.internalDTD
    if dtd is None:
        return
    entities = [entity.name for entity in dtd.iterentities()]
    if entities:
        raise UnsafeXMLError(
            f"the DOCTYPE declares entities ({', '.join(entities[:5])}), which are never "
            "expanded or fetched; expected a record without a DOCTYPE internal subset"
        )
    if any(True for _ in dtd.iterelements()):
        raise UnsafeXMLError(
            "the DOCTYPE carries an internal subset; expected a record without one"
        )


def looks_like_xml(head: bytes) -> bool:
    """Whether a file's first bytes can start an XML document (BOMs and whitespace allowed)."""
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(bom):
            return True
    return head.lstrip().startswith(b"<")
