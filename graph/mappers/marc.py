"""MARC 21 bibliographic records (catalogue items and collection-level archive descriptions).

Authority records (leader/06 ``z``) are handed to ``marc_authority``. A collection (leader/07
``c``) is keyed by its archive number (``arch00018``) so that its MARC description and its EAD
finding aid describe one collection.
"""

from __future__ import annotations

import re

from ..iris import Kind, identifier_key, slug
from ..rdf import IRI, Lit
from ..records import SourceRecord
from ..vocab import MARCREL, RDF, RICO, SCHEMA
from . import source
from .common import RecordGraph, clean, heading_key
from .headings import emit, marc_heading
from .languages import bcp47, marc_languages
from .marc_authority import map_authority
from .marc_fields import Field, MarcRecord, read_marc
from .relators import relator_codes

ARCHIVE_NUMBER = re.compile(r"ARCH\d{3,}", re.I)
ITEM_TYPES = {
    "a": "Book",
    "t": "Book",
    "c": "MusicComposition",
    "d": "MusicComposition",
    "e": "Map",
    "f": "Map",
    "g": "VideoObject",
    "i": "AudioObject",
    "j": "MusicRecording",
    "k": "VisualArtwork",
    "m": "SoftwareApplication",
    "o": "CreativeWork",
    "p": "ArchiveComponent",
    "r": "CreativeWork",
}
SERIAL_TYPES = {"s": "Periodical", "b": "Article", "a": "Article", "i": "CreativeWork"}
SUBJECTS = ("600", "610", "611", "630", "650", "651")


def map_marc(record: SourceRecord, base: str) -> RecordGraph:
    """The record graph of one MARCXML record."""
    marc = read_marc(record.element)
    if marc.is_authority:
        return map_authority(record, marc, base)
    identifier = qualified_identifier(marc, record.identifier)
    graph = source.start(record, base, source.record_key("marc", identifier))
    if marc.is_collection:
        main = graph.entity(
            Kind.COLLECTION, collection_key(marc, identifier), title(marc) or record.identifier
        )
        _collection(graph, marc, main)
    else:
        main = graph.entity(Kind.ITEM, identifier_key(identifier), title(marc) or record.identifier)
        _item(graph, marc, main)
    graph.add(main, SCHEMA.identifier, Lit(record.identifier))
    _agents(graph, marc, main, collection=marc.is_collection)
    _subjects(graph, marc, main)
    _common(graph, marc, main)
    urls = [*marc_urls(marc)]
    for url in urls[:1]:
        if url.startswith("http"):
            graph.add(main, SCHEMA.url, IRI(url))
    source.describe(graph, main, urls)
    return graph


def qualified_identifier(marc: MarcRecord, identifier: str) -> str:
    """001, prefixed by the 003 source when it is not the IISH and 001 does not already say it."""
    source_code = marc.control.get("003", "").strip()
    if (
        source_code
        and source_code.upper() != "NL-AMISG"
        and not slug(identifier).startswith(slug(source_code))
    ):
        return f"{source_code}-{identifier}"
    return identifier


def collection_key(marc: MarcRecord, identifier: str) -> str:
    """The archive number (``arch00018``) from 001, 852 $j or 902, else the record's identifier."""
    candidates = [
        identifier,
        *(f.first("j") or "" for f in marc.all("852")),
        marc.first("902", "a") or "",
    ]
    for text in candidates:
        match = ARCHIVE_NUMBER.search(text)
        if match:
            return match.group(0).lower()
    return identifier_key(identifier)


def title(marc: MarcRecord) -> str:
    """The title proper (245 $a $b $n $p), without ISBD punctuation."""
    for field in marc.all("245"):
        return clean(field.joined("abnp"))
    for field in marc.all("130", "240"):
        return clean(field.joined("anp"))
    return ""


def _collection(graph: RecordGraph, marc: MarcRecord, main: IRI) -> None:
    graph.add(main, RICO.hasRecordSetType, RECORD_SET_TYPES["collection"])
    coverage = marc.first("245", "f") or marc.first("245", "g") or fixed_dates(marc)
    if coverage:
        graph.coverage(main, "245 $f" if marc.first("245", "f") else "008", coverage)
    for field in marc.all("852"):
        holder = clean(field.first("a"))
        if holder:
            graph.add(
                main,
                SCHEMA.holdingArchive,
                graph.entity(Kind.ORGANISATION, heading_key(holder), holder, heading=holder),
            )
    for field in marc.all("506"):
        graph.text(main, SCHEMA.conditionsOfAccess, field.joined("a"))


RECORD_SET_TYPES = {
    level: IRI(f"https://www.ica.org/standards/RiC/vocabularies/recordSetTypes#{name}")
    for level, name in (
        ("fonds", "Fonds"),
        ("collection", "Collection"),
        ("series", "Series"),
        ("file", "File"),
    )
}


def _item(graph: RecordGraph, marc: MarcRecord, main: IRI) -> None:
    kind = marc.leader[6:7]
    name = (
        SERIAL_TYPES.get(marc.leader[7:8])
        if kind in "at" and marc.leader[7:8] in "sb"
        else ITEM_TYPES.get(kind)
    )
    if name and name != "CreativeWork":
        graph.add(main, RDF.type, IRI(SCHEMA.base + name))
    published = None
    for field in marc.all("260", "264"):
        published = published or field.first("c")
        for place in field.every("a"):
            _place_of_publication(graph, main, place)
        for publisher in field.every("b"):
            name_text = clean(publisher)
            if name_text and name_text.lower().strip("[]") not in {"s.n", "s.n.", "sn"}:
                graph.add(
                    main,
                    SCHEMA.publisher,
                    graph.entity(
                        Kind.ORGANISATION, heading_key(name_text), name_text, heading=publisher
                    ),
                )
    field_name = "260 $c" if published else "008"
    graph.date(main, SCHEMA.datePublished, field_name, published or fixed_dates(marc, single=True))
    for field in marc.all("020"):
        graph.text(main, SCHEMA.isbn, (field.first("a") or "").split(" ")[0])
    for field in marc.all("852"):
        number = field.first("j")
        if number and ARCHIVE_NUMBER.fullmatch(number.strip()):
            part_of = graph.entity(Kind.COLLECTION, number.strip().lower(), None)
            graph.add(main, SCHEMA.isPartOf, part_of)


def _place_of_publication(graph: RecordGraph, main: IRI, text: str) -> None:
    name = clean(text).strip("[]").strip()
    if name and name.lower() not in {"s.l", "s.l.", "sl", "n.p", "o.o"}:
        graph.add(
            main,
            SCHEMA.locationCreated,
            graph.entity(Kind.PLACE, heading_key(name), name, heading=text),
        )


def fixed_dates(marc: MarcRecord, single: bool = False) -> str | None:
    """The dates of 008/06-14 as text: "1823/1935" for inclusive dates, "1990" for a single one."""
    fixed = marc.control.get("008", "")
    if len(fixed) < 15 or marc.is_authority:
        return None
    kind, first, second = fixed[6], fixed[7:11].strip(), fixed[11:15].strip()
    if not re.fullmatch(r"\d{2}[\du]{2}", first):
        return None
    first = first.replace("uu", "--") if first.endswith("uu") else first.replace("u", "-")
    if single or kind in "se" or not re.fullmatch(r"\d{4}", second) or second == "9999":
        return first
    return f"{first}/{second}" if kind in "ikmq" and second != first else first


def _agents(graph: RecordGraph, marc: MarcRecord, main: IRI, collection: bool) -> None:
    for field in marc.all("100", "110", "111", "700", "710", "711"):
        heading = marc_heading(field)
        if heading is None:
            continue
        agent = emit(graph, heading)
        codes = relator_codes(field.every("4") + field.every("e"))
        creator = field.tag.startswith("1") and (
            not codes
            or codes & {"cre", "aut", "dsg", "drm", "art", "pht", "cmp", "org", "ill"}
            or collection
        )
        graph.add(main, SCHEMA.creator if creator else SCHEMA.contributor, agent)
        for code in sorted(codes):
            graph.add(main, MARCREL[code], agent)
        if creator and collection:
            for note in marc.all("545"):
                graph.text(agent, SCHEMA.description, note.joined("ab"))


def _subjects(graph: RecordGraph, marc: MarcRecord, main: IRI) -> None:
    for field in marc.all(*SUBJECTS):
        heading = marc_heading(field)
        if heading is not None:
            graph.add(main, SCHEMA.about, emit(graph, heading))
    for field in marc.all("655"):
        heading = marc_heading(Field("155", field.ind1, field.ind2, field.subfields))
        if heading is not None:
            graph.add(main, SCHEMA.genre, emit(graph, heading))
    for field in marc.all("648"):
        graph.coverage(main, "648", clean(field.joined("a")))
    for field in marc.all("830", "440"):
        heading = marc_heading(Field("130", field.ind1, field.ind2, field.subfields))
        if heading is not None:
            graph.add(main, SCHEMA.isPartOf, emit(graph, heading))


def _common(graph: RecordGraph, marc: MarcRecord, main: IRI) -> None:
    for field in marc.all("520"):
        graph.text(main, SCHEMA.description, field.joined("ab"))
    if not marc.is_collection:
        for field in marc.all("545"):
            graph.text(main, SCHEMA.description, field.joined("ab"))
    for field in marc.all("300"):
        graph.text(main, SCHEMA.materialExtent, clean(field.joined("abcfg")))
    codes = [marc.control.get("008", "")[35:38]]
    for field in marc.all("041"):
        codes += [code for value in field.every("a") for code in marc_languages(value)]
    for code in dict.fromkeys(bcp47(c) for c in codes):
        if code:
            graph.add(main, SCHEMA.inLanguage, Lit(code))
    for field in marc.all("246", "740", "242"):
        graph.alternate(main, clean(field.joined("abnp")))


def marc_urls(marc: MarcRecord) -> list[str]:
    """The record's own pages: 856 $u, else the handle of its 902 persistent identifier."""
    urls = [u.strip() for f in marc.all("856") for u in f.every("u") if u.strip()]
    handle = marc.first("902", "a")
    if not urls and handle and handle.strip().startswith("10622/"):
        urls.append(f"https://hdl.handle.net/{handle.strip()}")
    return urls
