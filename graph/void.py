"""The dataset description at ``/.well-known/void``: VoID and a ``schema:Dataset``.

The schema.org part follows the NDE Dataset Register requirements (name, description,
licence, publisher, distributions with media types and URLs, date modified); the VoID part
adds the SPARQL endpoint, the dumps and statistics computed from the store (triples,
entities by class, links to outside datasets). Statistics cost a scan of the graph, so the
after-ingest step precomputes both serialisations into ``DIR/void.ttl`` and
``DIR/void.jsonld``; a store without them (in memory, or never ingested) computes them on
demand.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from .changes import last_change_time
from .changeset import ChangeSet
from .dumps import DUMPS
from .rdf import IRI, Lit, Triple
from .store import GraphStore
from .vocab import DCTERMS, RDF, SCHEMA, VOID, XSD

log = logging.getLogger(__name__)

TURTLE = "text/turtle"
JSON_LD = "application/ld+json"
FILES = {TURTLE: "void.ttl", JSON_LD: "void.jsonld"}
NAME = "labourgraph: a knowledge graph of labour and social history"
DESCRIPTION = (
    "People, organisations, places, events and archival collections of labour and "
    "social history, linked from the archive records (MARCXML, EAD, EAC-CPF) of the "
    "International Institute of Social History and its peers."
)
LICENSE = "http://creativecommons.org/publicdomain/zero/1.0/"
PUBLISHER = ("International Institute of Social History", "https://iisg.amsterdam/")
STATS_QUERIES = ("void_triples", "void_classes", "void_links")


def dataset_iri(base: str) -> IRI:
    """The IRI of the dataset this store publishes."""
    return IRI(f"{base}.well-known/void#labourgraph")


def description_triples(store: GraphStore) -> list[Triple]:
    """The whole description, statistics computed from the store now."""
    base = store.base
    ds = dataset_iri(base)
    t: list[Triple] = [(ds, RDF.type, VOID.Dataset), (ds, RDF.type, SCHEMA.Dataset)]
    t += [
        (ds, SCHEMA.name, Lit(NAME, lang="en")),
        (ds, DCTERMS.title, Lit(NAME, lang="en")),
        (ds, SCHEMA.description, Lit(DESCRIPTION, lang="en")),
        (ds, DCTERMS.description, Lit(DESCRIPTION, lang="en")),
        (ds, SCHEMA.license, IRI(LICENSE)),
        (ds, DCTERMS.license, IRI(LICENSE)),
        (ds, SCHEMA.url, IRI(base)),
        (ds, VOID.uriSpace, Lit(f"{base}id/")),
        (ds, VOID.sparqlEndpoint, IRI(f"{base}sparql")),
        (ds, VOID.rootResource, IRI(base)),
    ]
    t += _publisher(ds)
    t += _distributions(ds, base)
    modified = last_change_time(store.root)
    if modified:
        t += [
            (ds, SCHEMA.dateModified, Lit(modified, datatype=XSD.dateTime)),
            (ds, DCTERMS.modified, Lit(modified, datatype=XSD.dateTime)),
        ]
    t += _statistics(store, ds)
    return t


def _publisher(ds: IRI) -> list[Triple]:
    name, url = PUBLISHER
    org = IRI(url)
    return [
        (ds, SCHEMA.publisher, org),
        (ds, DCTERMS.publisher, org),
        (ds, SCHEMA.creator, org),
        (org, RDF.type, SCHEMA.Organization),
        (org, SCHEMA.name, Lit(name, lang="en")),
        (org, SCHEMA.url, IRI(url)),
    ]


def _distributions(ds: IRI, base: str) -> list[Triple]:
    t: list[Triple] = []
    for name, (media_type, _, gzipped) in DUMPS.items():
        url = IRI(f"{base}dumps/{name}")
        t += [
            (ds, SCHEMA.distribution, url),
            (url, RDF.type, SCHEMA.DataDownload),
            (url, SCHEMA.contentUrl, url),
            (url, SCHEMA.encodingFormat, Lit("application/gzip" if gzipped else media_type)),
            (ds, VOID.dataDump, url),
        ]
        if gzipped:
            t.append((url, SCHEMA.fileFormat, Lit(media_type)))
    endpoint = IRI(f"{base}sparql")
    t += [
        (ds, SCHEMA.distribution, endpoint),
        (endpoint, RDF.type, SCHEMA.DataDownload),
        (endpoint, SCHEMA.contentUrl, endpoint),
        (endpoint, SCHEMA.encodingFormat, Lit("application/sparql-query")),
    ]
    oai = IRI(f"{base}oai")
    t += [
        (ds, SCHEMA.distribution, oai),
        (oai, RDF.type, SCHEMA.DataDownload),
        (oai, SCHEMA.contentUrl, oai),
        (oai, SCHEMA.encodingFormat, Lit("application/xml")),
        (
            oai,
            SCHEMA.description,
            Lit("OAI-PMH 2.0 repository (oai_dc, rdf, marcxml, ead)", lang="en"),
        ),
    ]
    return t


def _statistics(store: GraphStore, ds: IRI) -> list[Triple]:
    count = store.select("void_triples")[0]
    t: list[Triple] = [
        (ds, VOID.triples, Lit(str(count["triples"]), datatype=XSD.integer)),
        (ds, VOID.entities, Lit(str(count["entities"]), datatype=XSD.integer)),
        (ds, VOID.distinctSubjects, Lit(str(count["subjects"]), datatype=XSD.integer)),
    ]
    for n, row in enumerate(store.select("void_classes")):
        part = IRI(f"{ds}-class-{n}")
        t += [
            (ds, VOID.classPartition, part),
            (part, VOID["class"], row["class"]),
            (part, VOID.entities, Lit(str(row["entities"]), datatype=XSD.integer)),
        ]
    for n, row in enumerate(store.select("void_links", base=Lit(store.base))):
        links = IRI(f"{ds}-links-{n}")
        target = IRI(str(row["target"]))
        t += [
            (ds, VOID.subset, links),
            (links, RDF.type, VOID.Linkset),
            (links, VOID.subjectsTarget, ds),
            (links, VOID.objectsTarget, target),
            (target, RDF.type, VOID.Dataset),
            (target, VOID.uriSpace, Lit(str(target))),
            (links, VOID.linkPredicate, row["predicate"]),
            (links, VOID.triples, Lit(str(row["links"]), datatype=XSD.integer)),
        ]
    return t


def serialize(triples: list[Triple], media_type: str) -> bytes:
    """The description as Turtle, or as JSON-LD compacted with our prefixes."""
    import rdflib  # local: only this (small) graph needs rdflib's JSON-LD writer

    from .rdf import ntriples
    from .vocab import PREFIXES

    graph = rdflib.Graph()
    graph.parse(data=ntriples(triples), format="nt")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    if media_type == JSON_LD:
        context: dict[str, Any] = dict(PREFIXES)
        data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    return graph.serialize(format="turtle").encode("utf-8")


def description(store: GraphStore, media_type: str) -> bytes:
    """The description in ``media_type``: precomputed when the store has it, else made now."""
    if store.root is not None:
        path = store.root / FILES[media_type]
        if path.is_file():
            return path.read_bytes()
    return serialize(description_triples(store), media_type)


def write_description(store: GraphStore, changes: ChangeSet) -> None:
    """After-ingest step: precompute the description in both formats."""
    if store.root is None:
        return
    if changes.empty and all((store.root / name).is_file() for name in FILES.values()):
        return
    triples = description_triples(store)
    for media_type, name in FILES.items():
        tmp = store.root / f".{name}.tmp"
        tmp.write_bytes(serialize(triples, media_type))
        os.replace(tmp, store.root / name)
    log.info("void: wrote %s", ", ".join(FILES.values()))
