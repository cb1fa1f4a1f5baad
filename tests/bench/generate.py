# ruff: noqa: RUF001  (names in their own scripts: the ambiguity is the point)
"""Deterministic generators of IISH-shaped records for the benchmarks (shared by every bench).

``write_marcxml_corpus(folder, records)`` writes ``records`` MARCXML records in files of a few
thousand each, as ``<marc:collection>`` documents: authority records (leader type ``z``:
persons, organisations, places, meetings, topics), collection-level archive descriptions
(leader type ``p``) and bibliographic records, linked by ``$0 (NL-AMISG)n`` to the authorities,
with free-text dates (``1920-1935``, ``ca. 1970``, ``19--``), subjects and handles. The same
arguments always give byte-identical files.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

RECORDS_PER_FILE = 2_000
SEED = 1935  # the year the IISH was founded

GIVEN = [
    "Emma",
    "Karl",
    "Rosa",
    "Leon",
    "Mikhail",
    "Sylvia",
    "Max",
    "Ernest",
    "Clara",
    "Pjotr",
    "Domela",
    "Henriette",
    "Anselmo",
    "Federica",
    "Nikolaj",
    "Alexandra",
    "Jean",
    "Louise",
    "Hüseyin",
    "Nazım",
    "Wang",
    "Fatima",
    "Errico",
    "Lucía",
    "Jan",
    "Aleksandr",
    "Mary",
]
FAMILY = [
    "Goldman",
    "Kautsky",
    "Luxemburg",
    "Trotsky",
    "Bakunin",
    "Pankhurst",
    "Nettlau",
    "Mandel",
    "Zetkin",
    "Kropotkin",
    "Nieuwenhuis",
    "Roland Holst",
    "Lorenzo",
    "Montseny",
    "Žukovskij",
    "Kollontaj",
    "Jaurès",
    "Michel",
    "Kıvılcım",
    "Hikmet",
    "Jingwei",
    "Malatesta",
    "Ibárruri",
    "Oudegeest",
    "Herzen",
    "Jones",
    "Вера Засулич",
]
ORG_HEADS = [
    "Confederación Nacional del Trabajo",
    "Sociaal-Democratische Arbeiderspartij",
    "International Working Men's Association",
    "Freedom Press",
    "Socialist International",
    "Christelijk Nationaal Vakverbond",
    "Amnesty International",
    "Greenpeace International",
    "Federación Anarquista Ibérica",
    "Partija socialistov-revoljucionerov",
    "European Trade Union Confederation",
    "Nationaal Arbeids-Secretariaat",
]
ORG_PARTS = ["", "Afdeling Delft", "Comité Regional", "London Group", "Youth Section", "Archief"]
PLACES = [
    "Amsterdam",
    "Barcelona",
    "London",
    "Paris",
    "Moskva",
    "Berlin",
    "Genève",
    "Wien",
    "New York",
    "İstanbul",
    "Buenos Aires",
    "Shanghai",
    "Den Haag",
    "Hannover",
    "Zürich",
]
TOPICS = [
    "Anarchist movements",
    "Labour movements",
    "Strikes",
    "Women's movements",
    "Socialist movements",
    "Trade unions",
    "Human rights",
    "Environmental movements",
    "Communist movements and parties",
    "Cooperative movements",
    "Peace movements",
]
GENRES = ["Archival material", "Posters", "Books", "Periodicals", "Photographs", "Drawings"]
MEETINGS = ["Congres", "Conference", "1 mei", "Kongress", "Congreso", "Jubilee meeting"]
RELATORS = [
    ("aut", "author."),
    ("edt", "editor."),
    ("ill", "illustrator."),
    ("cre", "creator."),
    ("pbl", "publisher."),
]


@dataclass(frozen=True)
class Authority:
    """An authority record the other records link to."""

    number: int
    tag: str  # 100, 110, 111, 150, 151
    heading: list[tuple[str, str]]  # subfields


def _date_text(rng: random.Random) -> str:
    start = rng.randint(1840, 1990)
    shape = rng.randrange(5)
    if shape == 0:
        return f"{start}-{start + rng.randint(1, 40)}"
    if shape == 1:
        return f"ca. {start}"
    if shape == 2:
        return f"{str(start)[:2]}--"
    if shape == 3:
        return f"{start}?"
    return str(start)


def _authorities(rng: random.Random, count: int) -> list[Authority]:
    out = []
    for i in range(count):
        number = 100_000 + i
        kind = i % 5
        if kind == 0:
            born = rng.randint(1800, 1950)
            name = f"{rng.choice(FAMILY)}, {rng.choice(GIVEN)} {chr(65 + i % 26)}.{i}"
            heading = [("a", name + ","), ("d", f"{born}-{born + rng.randint(25, 90)}")]
            out.append(Authority(number, "100", heading))
        elif kind == 1:
            part = rng.choice(ORG_PARTS)
            heading = [("a", f"{rng.choice(ORG_HEADS)} {i}.")] + (
                [("b", part + ".")] if part else []
            )
            out.append(Authority(number, "110", heading))
        elif kind == 2:
            year = rng.randint(1864, 1995)
            heading = [
                ("a", f"{rng.choice(MEETINGS)} {i}"),
                ("n", f"({rng.randint(1, 30)} :"),
                ("d", f"{year} :"),
                ("c", f"{rng.choice(PLACES)})"),
            ]
            out.append(Authority(number, "111", heading))
        elif kind == 3:
            out.append(Authority(number, "151", [("a", f"{rng.choice(PLACES)} {i}")]))
        else:
            out.append(Authority(number, "150", [("a", f"{rng.choice(TOPICS)} {i}")]))
    return out


def _field(tag: str, subfields: list[tuple[str, str]], ind1: str = " ", ind2: str = " ") -> str:
    subs = "".join(f'<marc:subfield code="{c}">{escape(v)}</marc:subfield>' for c, v in subfields)
    return f'<marc:datafield tag="{tag}" ind1="{ind1}" ind2="{ind2}">{subs}</marc:datafield>'


def _record(leader: str, number: str, fields: list[str], date: str) -> str:
    control = (
        f'<marc:controlfield tag="001">{number}</marc:controlfield>'
        '<marc:controlfield tag="003">NL-AmISG</marc:controlfield>'
        f'<marc:controlfield tag="005">{date}</marc:controlfield>'
    )
    body = "".join(fields)
    return f"<marc:record><marc:leader>{leader}</marc:leader>{control}{body}</marc:record>\n"


def _link(rng: random.Random, authority: Authority, tag: str) -> str:
    casing = rng.choice(["(NL-AMISG)", "(NL-AmISG)"])
    return _field(tag, [*authority.heading, ("0", f"{casing}{authority.number}")], "1", "7")


def _authority_record(a: Authority, rng: random.Random) -> str:
    fields = [
        _field("040", [("a", "IISG"), ("c", "IISG")]),
        _field(a.tag, a.heading, "1" if a.tag == "100" else "2"),
    ]
    if a.tag == "100" and rng.random() < 0.5:
        fields.append(
            _field("024", [("a", f"http://viaf.org/viaf/{a.number * 7}"), ("2", "viaf")], "7")
        )
    if rng.random() < 0.4:
        fields.append(_field("4" + a.tag[1:], [("a", a.heading[0][1].rstrip(",.") + " (variant)")]))
    return _record("00221nz  a2200097o  45 0", str(a.number), fields, "20110802154910.0")


def _subjects(rng: random.Random, authorities: list[Authority]) -> list[str]:
    fields = []
    for a in rng.sample(authorities, 3):
        tag = {"100": "600", "110": "610", "111": "611", "151": "651", "150": "650"}[a.tag]
        fields.append(_link(rng, a, tag))
    fields.append(_field("650", [("a", rng.choice(TOPICS)), ("2", "ingest")], " ", "7"))
    fields.append(_field("655", [("a", rng.choice(GENRES)), ("2", "ingest")], " ", "7"))
    return fields


def _archive_record(
    n: int, rng: random.Random, persons: list[Authority], authorities: list[Authority]
) -> str:
    number = f"ARCH{n:05d}"
    creator = rng.choice(persons)
    dates = _date_text(rng)
    fields = [
        _field("040", [("a", "AmISG"), ("b", "eng")]),
        _link(rng, creator, "100"),
        _field(
            "245", [("a", f"{creator.heading[0][1].rstrip(',')} Papers"), ("g", dates)], "1", "0"
        ),
        _field("300", [("a", f"{rng.randint(1, 90)} Meters")]),
        _field(
            "545", [("a", f"Active in {rng.choice(PLACES)}; member of {rng.choice(ORG_HEADS)}.")]
        ),
        *_subjects(rng, authorities),
        _field(
            "856",
            [("q", "text/xml"), ("u", f"https://hdl.handle.net/10622/{number}?locatt=view:ead")],
            "4",
        ),
    ]
    return _record("00000npcaa2200000 u 4500", f"10622/{number}", fields, "20220627000000.0")


def _biblio_record(
    n: int, rng: random.Random, persons: list[Authority], authorities: list[Authority]
) -> str:
    author = rng.choice(persons)
    code, term = rng.choice(RELATORS)
    year = rng.randint(1850, 2020)
    fields = [
        _field("040", [("a", "IISG")]),
        _field("041", [("a", rng.choice(["dut", "eng", "spa", "rus", "ger"]))]),
        _field(
            "100",
            [*author.heading, ("e", term), ("4", code), ("0", f"(NL-AMISG){author.number}")],
            "1",
        ),
        _field(
            "245",
            [
                ("a", f"Over de arbeidersbeweging {n} :"),
                ("b", "een studie"),
                ("c", "door de auteur."),
            ],
            "1",
            "0",
        ),
        _field(
            "260",
            [
                ("a", f"{rng.choice(PLACES)} :"),
                ("b", "Uitgeverij De Arbeiderspers,"),
                ("c", f"[{year}]"),
            ],
        ),
        _field("300", [("a", f"{rng.randint(20, 600)} p.")]),
        *_subjects(rng, authorities),
        _field("700", [*rng.choice(persons).heading, ("e", "editor."), ("4", "edt")], "1"),
        _field("856", [("u", f"https://hdl.handle.net/10622/N{n:08d}")], "4", "0"),
    ]
    return _record("00000cam a22000007a 4500", str(1_000_000 + n), fields, "20230101120000.0")


def marcxml_records(records: int, seed: int = SEED) -> Iterator[str]:
    """``records`` MARCXML record elements: 10% authorities, 10% archives, 80% catalogue."""
    rng = random.Random(seed)
    authorities = _authorities(rng, max(records // 10, 5))
    persons = [a for a in authorities if a.tag == "100"]
    for i in range(records):
        if i < len(authorities):
            yield _authority_record(authorities[i], rng)
        elif i % 9 == 0:
            yield _archive_record(i, rng, persons, authorities)
        else:
            yield _biblio_record(i, rng, persons, authorities)


def write_marcxml_corpus(
    folder: Path, records: int, per_file: int = RECORDS_PER_FILE, seed: int = SEED
) -> list[Path]:
    """Write the corpus as ``<marc:collection>`` files under ``folder``; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    out = None
    for i, record in enumerate(marcxml_records(records, seed)):
        if i % per_file == 0:
            if out is not None:
                out.write("</marc:collection>\n")
                out.close()
            paths.append(folder / f"iish-{len(paths):04d}.xml")
            out = paths[-1].open("w", encoding="utf-8")
            out.write(
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim">\n'
            )
        out.write(record)  # type: ignore[union-attr]
    if out is not None:
        out.write("</marc:collection>\n")
        out.close()
    return paths


def main() -> None:
    """Write a corpus: ``python tests/bench/generate.py FOLDER --records N``."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
    paths = write_marcxml_corpus(args.folder, args.records)
    print(f"{args.records:,} records in {len(paths)} files under {args.folder}")


if __name__ == "__main__":
    main()
