"""A big on-disk store shaped like labourgraph's data, shared by every benchmark.

``build_bigstore(path, triples=5_000_000)`` generates N-Quads deterministically (a seeded
random generator, so every run and every machine gets the same graph), bulk-loads them into
a labourgraph store directory and publishes a snapshot, exactly as an ingest leaves it:
``open_store(path)`` reads it and ``oxigraph serve-read-only --location {snapshot}`` serves it.
The result is cached: a second call with the same size returns at once.

Shape (one named graph per generated source record, like the real ingest):
- person records (EAC-CPF): a ``schema:Person`` with name, dates, birth place, and dated
  memberships, each a ``schema:OrganizationRole`` (``schema:memberOf`` role → organisation,
  ``schema:startDate``/``schema:endDate``/``schema:roleName``), some with ``schema:knows``;
- organisation records: ``schema:Organization`` with founding date and place;
- event records: ``schema:Event`` with date, place, organiser and attendees;
- collection records (EAD): a ``schema:Collection`` (``rico:RecordSet``) with items
  (``schema:CreativeWork``, ``schema:isPartOf``) about persons and events;
- places live in the graphs of the records that mention them first.
Every record graph also describes its record (``lg:SourceRecord``, format, datestamp, hash).
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DIR = REPO / "var" / "bench"
BASE = "http://127.0.0.1:5000/"
DONE_MARKER = "bigstore.json"

S = "https://schema.org/"
RICO = "https://www.ica.org/standards/RiC/ontology#"
LG = "https://w3id.org/labourgraph/ontology#"
PROV = "http://www.w3.org/ns/prov#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"


def words(text: str) -> tuple[str, ...]:
    """The words of a space-separated list."""
    return tuple(text.split())


FIRST = words(
    "Anna Bart Clara Dirk Emma Frits Greet Henk Ida Jan Klaas Lena Marie Nico Oskar"
    " Pieter Rosa Sjoerd Trui Willem Ferdinand Henriette Domela Emma Jacques Louise"
    " Karl Rosa Emile Clara August Flora Hendrik Alida Mathilde Carlos Dolores"
    " Buenaventura Federica"
)
LAST = words(
    "Jansen Bakker Visser Smit Meijer Mulder Bos Vos Peters Hendriks Dekker Brouwer"
    " Roland Holst Nieuwenhuis Troelstra Wibaut Luxemburg Zetkin Bebel Kautsky Durruti"
    " Montseny Ibarruri Nin Maurin Goldman Berkman Rocker Malatesta Pelloutier Jouhaux"
    " Lansbury"
)
CITIES = words(
    "Amsterdam Rotterdam Den_Haag Utrecht Groningen Leiden Haarlem Zaandam Enschede"
    " Tilburg Barcelona Madrid Valencia Bilbao Berlin Hamburg London Paris Brussel"
    " Antwerpen Wien Zürich Moskva Buenos_Aires Chicago"
)
ORG_KINDS = ("Union", "Federation", "Party", "Cooperative", "Association", "League", "Committee")
TRADES = (
    "Metalworkers",
    "Dockworkers",
    "Diamond workers",
    "Textile workers",
    "Typographers",
    "Railwaymen",
    "Miners",
    "Tobacco workers",
    "Teachers",
    "Seamen",
    "Bakers",
    "Builders",
)
ROLES = ("member", "chair", "secretary", "treasurer", "editor", "board member")
TOPICS = (
    "Spanish Civil War",
    "general strike",
    "eight-hour day",
    "women's suffrage",
    "anarchism",
    "cooperative movement",
    "trade unions",
    "socialism",
    "emigration",
)


def iri(kind: str, key: str) -> str:
    """A labourgraph entity IRI in N-Triples syntax."""
    return f"<{BASE}id/{kind}/{key}>"


def year(value: int) -> str:
    """An xsd:gYear literal in N-Triples syntax."""
    return f'"{value}"^^<{XSD}gYear>'


def lit(value: str, datatype: str | None = None, lang: str | None = None) -> str:
    """A literal in N-Triples syntax."""
    text = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if lang:
        return f"{text}@{lang}"
    return f"{text}^^<{datatype}>" if datatype else text


class Generator:
    """Deterministic record-by-record N-Quads for the big store."""

    def __init__(self, seed: int = 20240501) -> None:
        self.rng = random.Random(seed)
        self.persons = 0
        self.orgs = 0
        self.places_seen: set[int] = set()
        self.roles = 0

    def year(self, low: int = 1850, high: int = 1990) -> int:
        """A year in the corpus' range."""
        return self.rng.randint(low, high)

    def some(self, kind: str, prefix: str, count: int) -> str:
        """One of the ``count`` entities of a kind generated so far."""
        return iri(kind, f"{prefix}{self.rng.randint(1, count)}")

    def place(self, out: list[str], graph: str) -> str:
        """A place IRI, described in the first graph that mentions it."""
        n = self.rng.randrange(len(CITIES) * 20)
        node = iri("place", f"p{n}")
        if n not in self.places_seen:
            self.places_seen.add(n)
            city = CITIES[n % len(CITIES)].replace("_", " ")
            name = city if n < len(CITIES) else f"{city} district {n // len(CITIES)}"
            out += [
                f"{node} <{RDF_TYPE}> <{S}Place> {graph} .",
                f"{node} <{S}name> {lit(name)} {graph} .",
            ]
        return node

    def record(self, out: list[str], key: str, fmt: str) -> str:
        """Open a record graph: the record describes itself inside it."""
        graph = iri("record", key)
        stamp = f"20{self.rng.randint(10, 24)}-0{self.rng.randint(1, 9)}-1{self.rng.randint(0, 9)}"
        digest = hashlib.blake2b(key.encode(), digest_size=8).hexdigest()
        out += [
            f"{graph} <{RDF_TYPE}> <{LG}SourceRecord> {graph} .",
            f"{graph} <{LG}recordFormat> {lit(fmt)} {graph} .",
            f"{graph} <{LG}sourceFile> {lit(f'data/{fmt}/{key}.xml')} {graph} .",
            f"{graph} <{S}identifier> {lit(key)} {graph} .",
            f"{graph} <{S}dateModified> {lit(stamp, XSD + 'date')} {graph} .",
            f"{graph} <{PROV}generatedAtTime> {lit(stamp + 'T12:00:00Z', XSD + 'dateTime')}"
            f" {graph} .",
            f"{graph} <{LG}contentHash> {lit(digest)} {graph} .",
        ]
        return graph

    def organisation(self, out: list[str]) -> None:
        """An organisation record."""
        n = self.orgs = self.orgs + 1
        graph = self.record(out, f"org{n}", "eac-cpf")
        org = iri("organisation", f"o{n}")
        name = f"{self.rng.choice(TRADES)} {self.rng.choice(ORG_KINDS)} {n}"
        out += [
            f"{org} <{RDF_TYPE}> <{S}Organization> {graph} .",
            f"{org} <{S}name> {lit(name, lang='nl')} {graph} .",
            f"{org} <{S}foundingDate> {year(self.year(1860, 1960))} {graph} .",
            f"{org} <{S}foundingLocation> {self.place(out, graph)} {graph} .",
            f"{org} <{S}location> {self.place(out, graph)} {graph} .",
            f"{org} <{S}description> {lit(f'{name}, a labour organisation.')} {graph} .",
        ]

    def person(self, out: list[str]) -> None:
        """A person record with dated memberships."""
        n = self.persons = self.persons + 1
        graph = self.record(out, f"person{n}", "eac-cpf")
        person = iri("person", f"a{n}")
        born = self.year(1840, 1940)
        name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
        out += [
            f"{person} <{RDF_TYPE}> <{S}Person> {graph} .",
            f"{person} <{S}name> {lit(name)} {graph} .",
            f"{person} <{S}birthDate> {year(born)} {graph} .",
            f"{person} <{S}deathDate> {year(born + self.rng.randint(30, 90))} {graph} .",
            f"{person} <{S}birthPlace> {self.place(out, graph)} {graph} .",
        ]
        for _ in range(self.rng.randint(1, 3) if self.orgs else 0):
            self.membership(out, graph, person, born)
        if n > 1 and self.rng.random() < 0.5:
            friend = iri("person", f"a{self.rng.randint(1, n - 1)}")
            out.append(f"{person} <{S}knows> {friend} {graph} .")

    def membership(self, out: list[str], graph: str, person: str, born: int) -> None:
        """A dated schema:OrganizationRole linking a person to an organisation."""
        r = self.roles = self.roles + 1
        role = iri("role", f"r{r}")
        org = self.some("organisation", "o", self.orgs)
        start = born + self.rng.randint(16, 40)
        out += [
            f"{person} <{S}memberOf> {role} {graph} .",
            f"{role} <{RDF_TYPE}> <{S}OrganizationRole> {graph} .",
            f"{role} <{S}memberOf> {org} {graph} .",
            f"{role} <{S}roleName> {lit(self.rng.choice(ROLES))} {graph} .",
            f"{role} <{S}startDate> {year(start)} {graph} .",
            f"{role} <{S}endDate> {year(start + self.rng.randint(1, 25))} {graph} .",
        ]

    def event(self, out: list[str], n: int) -> None:
        """An event record (a strike, congress, demonstration)."""
        graph = self.record(out, f"event{n}", "marcxml")
        event = iri("event", f"e{n}")
        when = self.year(1870, 1980)
        kind = self.rng.choice(("Strike", "Congress", "Demonstration", "Lock-out"))
        out += [
            f"{event} <{RDF_TYPE}> <{S}Event> {graph} .",
            f"{event} <{S}name> {lit(f'{kind} of {when} ({n})')} {graph} .",
            f"{event} <{S}startDate> {year(when)} {graph} .",
            f"{event} <{S}location> {self.place(out, graph)} {graph} .",
            f"{event} <{S}organizer> {self.some('organisation', 'o', self.orgs)} {graph} .",
        ]
        for _ in range(self.rng.randint(1, 4)):
            out.append(f"{event} <{S}attendee> {self.some('person', 'a', self.persons)} {graph} .")

    def collection(self, out: list[str], n: int) -> None:
        """A collection record (EAD) with its items."""
        key = f"arch{n:05d}"
        graph = self.record(out, key, "ead")
        coll = iri("collection", key)
        topic = self.rng.choice(TOPICS)
        creator = self.some("organisation", "o", self.orgs)
        dates = f"{self.year(1880, 1950)}/{self.year(1951, 1995)}"
        out += [
            f"{coll} <{RDF_TYPE}> <{S}Collection> {graph} .",
            f"{coll} <{RDF_TYPE}> <{RICO}RecordSet> {graph} .",
            f"{coll} <{S}name> {lit(f'Archive of the {topic} ({n})')} {graph} .",
            f"{coll} <{S}creator> {creator} {graph} .",
            f"{coll} <{S}about> {lit(topic)} {graph} .",
            f"{coll} <{S}dateCreated> {lit(dates)} {graph} .",
        ]
        for i in range(self.rng.randint(3, 12)):
            item = iri("item", f"{key}.{i}")
            out += [
                f"{item} <{RDF_TYPE}> <{S}CreativeWork> {graph} .",
                f"{item} <{S}isPartOf> {coll} {graph} .",
                f"{item} <{S}name> {lit(f'Letters and papers, file {i}')} {graph} .",
                f"{item} <{S}about> {self.some('person', 'a', self.persons)} {graph} .",
                f"{item} <{S}dateCreated> {year(self.year())} {graph} .",
            ]

    def records(self) -> Iterator[list[str]]:
        """Record after record, forever: 10 persons per organisation, then events, collections."""
        n = 0
        while True:
            n += 1
            out: list[str] = []
            self.organisation(out)
            for _ in range(10):
                self.person(out)
            self.event(out, n)
            if n % 2 == 0:
                self.collection(out, n // 2)
            yield out


def write_nquads(target: Path, triples: int) -> int:
    """Write at least ``triples`` quads to ``target``; the number written."""
    written = 0
    with target.open("w", encoding="utf-8") as out:
        for lines in Generator().records():
            out.write("\n".join(lines) + "\n")
            written += len(lines)
            if written >= triples:
                return written
    return written


def build_bigstore(path: Path | None = None, triples: int = 5_000_000) -> Path:
    """The store directory of a big generated store (built once, then cached)."""
    import pyoxigraph as ox
    from labourgraph.graph.store import open_store

    root = Path(path) if path else DEFAULT_DIR / f"store-{triples}"
    marker = root / DONE_MARKER
    if marker.exists():
        built = json.loads(marker.read_text(encoding="utf-8"))
        if not built.get("compacted"):  # built before ingests compacted what they bulk-load
            store = open_store(root, writable=True, base=BASE)
            store.publish(compact=True)
            store.close()
            marker.write_text(json.dumps({**built, "compacted": True}) + "\n")
        ensure_search_index(root)
        return root
    root.mkdir(parents=True, exist_ok=True)
    source = root.parent / f"{root.name}.nq"
    started = time.monotonic()
    written = write_nquads(source, triples)
    generated = time.monotonic()
    store = open_store(root, writable=True, base=BASE)
    store.raw.bulk_load(path=str(source), format=ox.RdfFormat.N_QUADS)
    store.publish(compact=True)  # as an ingest of this size would
    store.close()
    source.unlink()
    ensure_search_index(root)
    marker.write_text(
        json.dumps(
            {
                "quads": written,
                "generate_s": round(generated - started, 1),
                "load_s": round(time.monotonic() - generated, 1),
                "compacted": True,
            }
        )
        + "\n"
    )
    return root


def ensure_search_index(root: Path) -> None:
    """Build the store's search index (with the link labels of entity pages) as an ingest
    would, unless it is there already for the store's generation."""
    import sqlite3

    from labourgraph.graph.search_upkeep import index_path, rebuild
    from labourgraph.graph.store import open_store

    store = open_store(root)
    path = index_path(store)
    assert path is not None
    if path.exists():
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as db:
            try:
                row = db.execute("SELECT max(generation) FROM link_label_built").fetchone()
            except sqlite3.OperationalError:  # an index from before link labels
                row = None
        if row is not None and row[0] == store.generation:
            return
    started = time.monotonic()
    rebuild(store).close()
    logging.getLogger(__name__).info(
        "search index of %s built in %.1f s", root, time.monotonic() - started
    )


def snapshot_dir(root: Path) -> Path:
    """The published snapshot of a store directory (what read-only servers open)."""
    meta = json.loads((root / "labourgraph.json").read_text(encoding="utf-8"))
    return root / meta["snapshot"]


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000
    built = build_bigstore(triples=size)
    print(built, (built / DONE_MARKER).read_text().strip())
