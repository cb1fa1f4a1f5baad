"""The corpus in data/: well-formed, big enough, and internally linked, checked without a mapper."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import lxml.etree as etree
import pytest

DATA = Path(__file__).resolve().parents[2] / "data"
MARC = "{http://www.loc.gov/MARC21/slim}"
EAC = "{urn:isbn:1-931666-33-4}"
EAD = "{urn:isbn:1-931666-22-9}"
LG_LINK = re.compile(r"^\(LG\)([a-z0-9][a-z0-9-]*)$")
Trees = dict[Path, etree._ElementTree]
HEADING_TAG = {"100": "person", "110": "organisation", "111": "event", "151": "place"}


def xml_files() -> list[Path]:
    """Every XML file of the corpus."""
    return sorted(DATA.rglob("*.xml"))


def parse(path: Path) -> etree._ElementTree:
    """A file parsed the safe way the ingest does: no entities, no network."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.parse(str(path), parser)


@pytest.fixture(scope="module")
def trees() -> Trees:
    """All corpus files, parsed once."""
    return {path: parse(path) for path in xml_files()}


def marc_records(trees: Trees) -> list[etree._Element]:
    """Every MARC record in the corpus."""
    return [r for tree in trees.values() for r in tree.iter(f"{MARC}record")]


def control(record: etree._Element, tag: str) -> str:
    """The value of a control field, or "" when absent."""
    found = record.find(f"{MARC}controlfield[@tag='{tag}']")
    return "" if found is None else (found.text or "")


def of_kind(trees: Trees, root_tag: str) -> list[etree._ElementTree]:
    """The parsed files whose root element is ``root_tag``."""
    return [t for t in trees.values() if t.getroot().tag == root_tag]


def leader(record: etree._Element) -> str:
    """The record's leader."""
    return record.findtext(f"{MARC}leader") or ""


def authorities(trees: Trees) -> dict[str, str]:
    """Our own authority records (003 LG): key -> kind from the heading tag."""
    found: dict[str, str] = {}
    for record in marc_records(trees):
        if leader(record)[6] == "z" and control(record, "003") == "LG":
            tags = {f.get("tag") for f in record.iter(f"{MARC}datafield")}
            kind = next(HEADING_TAG[t] for t in HEADING_TAG if t in tags)
            found[control(record, "001")] = kind
    return found


def links(trees: Trees) -> list[tuple[str, str, str]]:
    """Every (LG) authority link: (file, owner record id, linked key)."""
    out: list[tuple[str, str, str]] = []
    for path, tree in trees.items():
        for record in tree.iter(f"{MARC}record"):
            owner = control(record, "001")
            for sub in record.iter(f"{MARC}subfield"):
                if sub.get("code") == "0":
                    out.append((path.name, owner, sub.text or ""))
        for element in tree.iter():
            value = element.get("authfilenumber") or element.get(
                "{http://www.w3.org/1999/xlink}href"
            )
            if value and value.startswith("(LG)"):
                out.append((path.name, path.stem, value))
    return out


def test_every_file_is_well_formed_xml() -> None:
    bad = []
    for path in xml_files():
        try:
            parse(path)
        except etree.XMLSyntaxError as error:
            bad.append(f"{path.relative_to(DATA)}: {error}")
    assert xml_files(), "data/ holds no XML files"
    assert bad == []


def test_counts_by_type_meet_the_targets(trees: Trees) -> None:
    kinds = Counter(authorities(trees).values())
    records = len(marc_records(trees))
    eac = sum(1 for t in trees.values() if t.getroot().tag == f"{EAC}eac-cpf")
    ead = [t for t in trees.values() if t.getroot().tag == f"{EAD}ead"]
    archives = {control(r, "001") for r in marc_records(trees) if leader(r)[6:8] == "pc"}
    archives |= {(t.findtext(f".//{EAD}eadid") or "").removeprefix("10622/") for t in ead}
    assert kinds["person"] >= 60, kinds
    assert kinds["organisation"] >= 40, kinds
    assert kinds["place"] >= 30, kinds
    assert kinds["event"] >= 25, kinds
    assert len(archives) >= 30, sorted(archives)
    assert records + eac + len(ead) >= 150


def test_every_lg_link_points_at_an_existing_authority(trees: Trees) -> None:
    known = authorities(trees)
    dangling = []
    for file, owner, value in links(trees):
        match = LG_LINK.match(value)
        if value.startswith("(LG") and (match is None or match.group(1) not in known):
            dangling.append(f"{file} {owner}: {value}")
    assert dangling == []


def test_every_authority_record_is_used_by_another_record(trees: Trees) -> None:
    used = {
        LG_LINK.match(value).group(1)
        for _, owner, value in links(trees)
        if LG_LINK.match(value) and LG_LINK.match(value).group(1) != owner
    }
    unused = sorted(set(authorities(trees)) - used)
    assert unused == []


def test_no_duplicate_record_ids(trees: Trees) -> None:
    """Unique within each format: a MARC description and an EAD of one archive share its number."""
    by_format = {
        "marc": [control(r, "001") for r in marc_records(trees)],
        "eac": [t.findtext(f".//{EAC}recordId") for t in of_kind(trees, f"{EAC}eac-cpf")],
        "ead": [t.findtext(f".//{EAD}eadid") for t in of_kind(trees, f"{EAD}ead")],
        "component": [
            c.get("id")
            for t in trees.values()
            for c in t.iter()
            if c.get("level") and c.tag != f"{EAD}archdesc"
        ],
    }
    duplicates = {f: [i for i, n in Counter(ids).items() if n > 1] for f, ids in by_format.items()}
    assert duplicates == {"marc": [], "eac": [], "ead": [], "component": []}
    assert all(all(ids) for ids in by_format.values()), "a record has no identifier"


def test_eac_records_name_an_existing_lg_authority(trees: Trees) -> None:
    known = authorities(trees)
    keys = [
        t.findtext(f".//{EAC}otherRecordId[@localType='LG']")
        for t in trees.values()
        if t.getroot().tag == f"{EAC}eac-cpf"
    ]
    assert keys and [k for k in keys if k not in known] == []


def test_external_identifiers_are_well_formed(trees: Trees) -> None:
    patterns = {"wikidata": r"Q[1-9][0-9]*", "viaf": r"[1-9][0-9]*", "isni": r"[0-9]{15}[0-9X]"}
    bad = []
    for record in marc_records(trees):
        for field in record.iterfind(f"{MARC}datafield[@tag='024']"):
            source = field.findtext(f"{MARC}subfield[@code='2']")
            value = field.findtext(f"{MARC}subfield[@code='a']") or ""
            if source not in patterns or not re.fullmatch(patterns[source], value):
                bad.append(f"{control(record, '001')}: {source} {value}")
    assert bad == []


def test_the_reconciliation_cases_of_issue_3_are_in_the_corpus(trees: Trees) -> None:
    text = "\n".join(path.read_text(encoding="utf-8") for path in xml_files())
    for form in [
        '<marc:subfield code="a">Goldman, Emma,</marc:subfield>\n'
        '    <marc:subfield code="d">1869-1940</marc:subfield>',
        '<marc:subfield code="a">Goldman, Emma</marc:subfield>',
        'role="correspondent">Goldman, E.</persname>',
        "<part>Гольдман, Эмма</part>",
        "Confederación Nacional del Trabajo (Spain)",
        '<corpname role="subject">CNT</corpname>',
        "C.N.T.",
        '<marc:subfield code="a">Confederacion Nacional del Trabajo</marc:subfield>',
    ]:
        assert form in text, form


def test_curation_decisions_name_existing_authorities() -> None:
    known_keys = set()
    for path in (DATA / "authorities").glob("*.xml"):
        fields = parse(path).iter(f"{MARC}controlfield")
        known_keys |= {f.text for f in fields if f.get("tag") == "001"}
    with (DATA / "curation.tsv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.reader(handle, delimiter="\t") if r and not r[0].startswith("#")]
    assert rows, "curation.tsv holds no decisions"
    problems = []
    for row in rows:
        if len(row) != 5 or row[0] not in {"same", "different"}:
            problems.append(f"malformed row: {row}")
            continue
        for value in row[2:4]:
            match = LG_LINK.match(value)
            if value.startswith("(") and (match is None or match.group(1) not in known_keys):
                problems.append(f"unknown authority {value}")
    assert problems == []
