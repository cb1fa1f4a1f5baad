"""A small store for the harvest tests, built as an ingest leaves one (README data model).

Until the ingest fills test stores for us, these record graphs are written with
``replace_graphs``, published, and handed to the real after-ingest steps with the ChangeSet
an ingest would make; the MARCXML and EAD records are kept as the ingest keeps them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from labourgraph.graph import after_ingest
from labourgraph.graph.changeset import ChangeSet
from labourgraph.graph.iris import Kind, mint
from labourgraph.graph.oai_formats import keep_record_xml
from labourgraph.graph.rdf import IRI, BNode, Lit, Triple
from labourgraph.graph.store import OxigraphStore, open_store
from labourgraph.graph.vocab import LG, RDF, RICO, SCHEMA, XSD

BASE = "http://lg.test/"
MARC_NS = "http://www.loc.gov/MARC21/slim"
EAD_NS = "urn:isbn:1-931666-22-9"


def e(kind: Kind, key: str) -> IRI:
    """An entity IRI under the test base."""
    return mint(BASE, kind, key)


def _record(key: str, fmt: str, identifier: str) -> tuple[IRI, list[Triple]]:
    rec = e(Kind.RECORD, key)
    return rec, [
        (rec, RDF.type, LG.SourceRecord),
        (rec, LG.recordFormat, Lit(fmt)),
        (rec, LG.sourceFile, Lit(f"data/{key}.xml")),
        (rec, SCHEMA.identifier, Lit(identifier)),
    ]


def record_graphs() -> dict[IRI, list[Triple]]:
    """Four records: a MARCXML archive, an EAD finding aid, an EAC-CPF person, an authority."""
    bakunin, goldman = e(Kind.PERSON, "a169"), e(Kind.PERSON, "a612")
    arch18, arch1293 = e(Kind.COLLECTION, "arch00018"), e(Kind.COLLECTION, "arch01293")
    box, anarchism = e(Kind.ITEM, "arch01293-box-1"), e(Kind.TOPIC, "anarchism")
    sdap, delft = e(Kind.ORGANISATION, "a187"), e(Kind.PLACE, "delft")
    role = e(Kind.ROLE, "a612-member-a187")
    marc, marc_t = _record("arch00018", "marcxml", "10622/ARCH00018")
    marc_t += [
        (arch18, RDF.type, SCHEMA.ArchiveComponent),
        (arch18, RDF.type, RICO.RecordSet),
        (arch18, SCHEMA.name, Lit("Michail Bakunin Papers", lang="en")),
        (arch18, SCHEMA.creator, bakunin),
        (arch18, SCHEMA.about, anarchism),
        (arch18, SCHEMA.dateCreated, Lit("1860", datatype=XSD.gYear)),
        (bakunin, RDF.type, SCHEMA.Person),
        (bakunin, SCHEMA.name, Lit("Bakunin, Michail Aleksandrovič")),
        (bakunin, SCHEMA.sameAs, IRI("http://viaf.org/viaf/66477450")),
        (anarchism, RDF.type, SCHEMA.DefinedTerm),
        (anarchism, SCHEMA.name, Lit("anarchism")),
    ]
    ead, ead_t = _record("arch01293", "ead", "ARCH01293")
    ead_t += [
        (arch1293, RDF.type, SCHEMA.ArchiveComponent),
        (arch1293, SCHEMA.name, Lit("SDAP Afdeling Delft", lang="nl")),
        (arch1293, SCHEMA.creator, sdap),
        (box, RDF.type, SCHEMA.ArchiveComponent),
        (box, SCHEMA.name, Lit("Notulen & <brieven>")),
        (box, SCHEMA.isPartOf, arch1293),
        (sdap, RDF.type, SCHEMA.Organization),
        (sdap, SCHEMA.name, Lit("SDAP")),
        (sdap, SCHEMA.location, delft),
        (delft, RDF.type, SCHEMA.Place),
        (delft, SCHEMA.name, Lit("Delft")),
    ]
    eac, eac_t = _record("eac-a612", "eac-cpf", "a612")
    when = BNode("d1")
    eac_t += [
        (goldman, RDF.type, SCHEMA.Person),
        (goldman, SCHEMA.name, Lit("Goldman, Emma")),
        (goldman, SCHEMA.alternateName, Lit("Гольдман, Эмма", lang="ru")),
        (goldman, SCHEMA.birthDate, Lit("1869-06-27", datatype=XSD.date)),
        (goldman, SCHEMA.sameAs, IRI("http://www.wikidata.org/entity/Q79969")),
        (goldman, SCHEMA.memberOf, role),
        (role, RDF.type, SCHEMA.OrganizationRole),
        (role, SCHEMA.memberOf, sdap),
        (role, SCHEMA.startDate, Lit("1900", datatype=XSD.gYear)),
        (goldman, LG.uncertainDate, when),
        (when, LG.originalText, Lit("ca. 1869")),
    ]
    auth, auth_t = _record("a187", "marcxml", "187")
    auth_t += [
        (sdap, RDF.type, SCHEMA.Organization),
        (sdap, SCHEMA.alternateName, Lit("Sociaal-Democratische Arbeiderspartij")),
    ]
    return {marc: marc_t, ead: ead_t, eac: eac_t, auth: auth_t}


def record_xml(key: str) -> bytes:
    """The original XML the ingest would keep for a MARCXML or EAD record."""
    if key == "arch01293":
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<ead xmlns="{EAD_NS}"><eadheader>'
            f'<eadid>ARCH01293</eadid></eadheader><archdesc level="fonds"><did><unittitle>'
            "SDAP Afdeling Delft</unittitle></did></archdesc></ead>"
        ).encode()
    return (
        f'<marc:record xmlns:marc="{MARC_NS}"><marc:leader>00000npc a2200000 i 4500</marc:leader>'
        f'<marc:controlfield tag="001">{key}</marc:controlfield></marc:record>'
    ).encode()


def entities(graphs: dict[IRI, list[Triple]]) -> set[IRI]:
    """Every IRI that is a subject in these graphs."""
    return {s for triples in graphs.values() for s, _, _ in triples if isinstance(s, IRI)}


def ingest(
    root: Path, graphs: dict[IRI, list[Triple]], when: datetime, drop: tuple[IRI, ...] = ()
) -> OxigraphStore:
    """Load ``graphs`` (and drop ``drop``) as an ingest does, then run the after-ingest steps."""
    store = open_store(root, writable=True, base=BASE)
    before = {g: set(t for (t,) in [(t,) for t in ()]) for g in ()}
    del before
    before = _statements(store)
    existing = set(store.graph_names())
    store.replace_graphs(graphs, drop=drop)
    for g, triples in graphs.items():
        key = g.rsplit("/", 1)[-1]
        if any(t[1] == LG.recordFormat and str(t[2]) in ("marcxml", "ead") for t in triples):
            keep_record_xml(root, BASE, g, record_xml(key))
    store.publish()
    after = _statements(store)
    changes = ChangeSet(
        when=when,
        graphs_added=frozenset(g for g in graphs if g not in existing),
        graphs_changed=frozenset(g for g in graphs if g in existing),
        graphs_removed=frozenset(drop),
        entities_added=frozenset(after.keys() - before.keys()),
        entities_changed=frozenset(
            s for s in after.keys() & before.keys() if after[s] != before[s]
        ),
        entities_removed=frozenset(before.keys() - after.keys()),
    )
    after_ingest.run(store, changes)
    return store


def _statements(store: OxigraphStore) -> dict[IRI, set[tuple[str, str, str]]]:
    """Each IRI subject's statements, with the record graph that makes each (as a ChangeSet
    counts them: an entity changed when a statement about it changed in any record graph)."""
    rows = store.select_text("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s)) }")
    found: dict[IRI, set[tuple[str, str, str]]] = {}
    for r in rows:
        found.setdefault(IRI(str(r["s"])), set()).add((str(r["p"]), r["o"].n3(), str(r["g"])))
    return found
