"""Reading record files: format detection, envelopes, bad files, and hostile XML."""

from __future__ import annotations

from pathlib import Path

import pytest
from labourgraph.graph.records import (
    NotRecords,
    RecordError,
    RecordFormat,
    SourceRecord,
    read_records,
)

RECORDS = Path(__file__).resolve().parents[1] / "fixtures" / "records"


def _read(name: str) -> list[SourceRecord | RecordError]:
    return list(read_records(RECORDS / name))


def test_bare_marc_record() -> None:
    [record] = _read("marc_authority_minimal.xml")
    assert isinstance(record, SourceRecord)
    assert (record.format, record.identifier, record.position, record.oai_identifier) == (
        RecordFormat.MARCXML,
        "pankhurst-sylvia",
        1,
        None,
    )
    assert record.xml.startswith(b"<marc:record")


def test_marc_collection_wrapper() -> None:
    records = _read("marc_authority_full.xml")
    assert [(r.identifier, r.position) for r in records if isinstance(r, SourceRecord)] == [
        ("trotsky-leon", 1),
        ("hague-congress-1872", 2),
    ]


def test_oai_list_records_skips_deleted_records_and_keeps_headers() -> None:
    records = _read("oai_listrecords_marc.xml")
    assert [
        (r.identifier, r.oai_identifier, r.datestamp)
        for r in records
        if isinstance(r, SourceRecord)
    ] == [
        ("LG-COLL-0001", "oai:example.org:LG-COLL-0001", "2024-01-01"),
        ("LG-BIB-0001", "oai:example.org:LG-BIB-0001", "2024-01-03T10:00:00Z"),
    ]


@pytest.mark.parametrize(
    ("name", "fmt", "identifier"),
    [
        ("ead_nested.xml", RecordFormat.EAD, "LG-COLL-0002"),
        ("eac_person.xml", RecordFormat.EAC_CPF, "LG-EAC-0001"),
    ],
)
def test_format_is_detected_from_content(name: str, fmt: RecordFormat, identifier: str) -> None:
    [record] = _read(name)
    assert isinstance(record, SourceRecord)
    assert (record.format, record.identifier) == (fmt, identifier)


def test_format_detection_ignores_the_file_name(tmp_path: Path) -> None:
    disguised = tmp_path / "finding-aid.ead.txt"
    disguised.write_bytes((RECORDS / "eac_family.xml").read_bytes())
    [record] = list(read_records(disguised))
    assert isinstance(record, SourceRecord) and record.format is RecordFormat.EAC_CPF


def test_record_without_identifier_is_rejected_and_others_still_read() -> None:
    records = _read("marc_bad_date.xml")
    assert [type(r).__name__ for r in records] == ["SourceRecord", "RecordError", "SourceRecord"]
    assert str(records[1]) == (
        f"{RECORDS / 'marc_bad_date.xml'}, record #2: the marcxml record has no identifier; "
        "expected a 001 control number"
    )


def test_malformed_xml_is_one_error_for_the_file() -> None:
    [error] = _read("malformed.xml")
    assert isinstance(error, RecordError)
    assert str(error).startswith(f"{RECORDS / 'malformed.xml'}, record #1: malformed XML: ")
    assert str(error).endswith("; expected well-formed XML")


def test_xxe_is_refused_and_leaks_nothing() -> None:
    [error] = _read("xxe.xml")
    assert isinstance(error, RecordError)
    assert str(error) == (
        f"{RECORDS / 'xxe.xml'}, record #1: refused XML: the DOCTYPE declares entities (x), which "
        "are never expanded or fetched; expected a record without a DOCTYPE internal subset"
    )
    assert "root:" not in str(error)


def test_billion_laughs_is_refused() -> None:
    [error] = _read("billion_laughs.xml")
    assert isinstance(error, RecordError)
    assert error.problem == (
        "refused XML: the DOCTYPE declares entities (lol, lol2, lol3, lol4), which are never "
        "expanded or fetched; expected a record without a DOCTYPE internal subset"
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("README.txt", "README.txt: not XML; skipped"),
        (
            "not_records.xml",
            "not_records.xml: XML root <html> is not MARCXML, EAD, EAC-CPF or OAI-PMH; skipped",
        ),
    ],
)
def test_files_that_are_not_records_are_skipped(name: str, message: str) -> None:
    with pytest.raises(NotRecords) as raised:
        _read(name)
    assert str(raised.value) == f"{RECORDS}/{message}"
