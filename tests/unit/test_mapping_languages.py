"""Language tags are BCP 47: ISO 639-1 where a language has a code there, scripts in title case."""

from __future__ import annotations

from pathlib import Path

import pytest
from labourgraph.graph.mappers.languages import TWO_LETTER, bcp47
from labourgraph.graph.mapping import map_record
from labourgraph.graph.rdf import Lit
from labourgraph.graph.records import SourceRecord, read_records
from labourgraph.graph.vocab import SCHEMA

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "records"
BASE = "http://127.0.0.1:5000/"
# ISO 639-2 bibliographic (MARC) and terminology codes of the same language
B_AND_T = [
    ("alb", "sqi"),
    ("arm", "hye"),
    ("baq", "eus"),
    ("bod", "tib"),
    ("bur", "mya"),
    ("ces", "cze"),
    ("chi", "zho"),
    ("cym", "wel"),
    ("deu", "ger"),
    ("dut", "nld"),
    ("ell", "gre"),
    ("fas", "per"),
    ("fra", "fre"),
    ("geo", "kat"),
    ("ice", "isl"),
    ("mac", "mkd"),
    ("mao", "mri"),
    ("may", "msa"),
    ("ron", "rum"),
    ("slk", "slo"),
]


def _names(path: Path) -> dict[str, str | None]:
    """Each schema:name and schema:alternateName the records of a file give, with its tag."""
    return {
        o.value: o.lang
        for r in read_records(path)
        if isinstance(r, SourceRecord)
        for _, p, o in map_record(r, BASE).triples
        if p in (SCHEMA.name, SCHEMA.alternateName) and isinstance(o, Lit)
    }


@pytest.mark.parametrize(
    ("code", "script", "tag"),
    [
        ("rus", None, "ru"),
        ("eng", None, "en"),
        ("ger", None, "de"),
        ("deu", None, "de"),
        ("fre", None, "fr"),
        ("fra", None, "fr"),
        ("spa", None, "es"),
        ("dut", None, "nl"),
        ("nld", None, "nl"),
        ("ita", None, "it"),
        ("yid", None, "yi"),
        ("scc", None, "sr"),  # obsolete MARC code for Serbian
        ("gsw", None, "gsw"),  # Swiss German has no 639-1 code: the 639-2 code stays
        ("RUS ", None, "ru"),
        ("rus", "Cyrl", "ru-Cyrl"),
        ("rus", "cyrl", "ru-Cyrl"),
        ("chi", "Hans", "zh-Hans"),
        ("zh-hans", None, "zh-Hans"),
        ("ru-cyrl", "Latn", "ru-Cyrl"),  # a tag that names its script keeps it
        ("pt_br", None, "pt-BR"),
        ("sr-latn-rs", None, "sr-Latn-RS"),
        ("es-419", None, "es-419"),
        ("en-x-iish", None, "en-x-iish"),
        ("und", "Cyrl", None),
        ("mul", None, None),
        ("zxx", None, None),
        ("", None, None),
        (None, None, None),
        ("e n", None, None),
        ("|||", None, None),
    ],
)
def test_bcp47_tag(code: str | None, script: str | None, tag: str | None) -> None:
    assert bcp47(code, script) == tag


def test_every_language_with_a_639_1_code_is_in_the_table() -> None:
    assert len(set(TWO_LETTER.values())) == 184
    assert all(len(three) == 3 and len(two) == 2 for three, two in TWO_LETTER.items())


@pytest.mark.parametrize(("bibliographic", "terminology"), B_AND_T)
def test_bibliographic_and_terminology_codes_give_one_tag(
    bibliographic: str, terminology: str
) -> None:
    assert len(bcp47(bibliographic) or "") == 2
    assert bcp47(bibliographic) == bcp47(terminology)


def test_eac_name_tags_are_bcp47_with_title_case_script() -> None:
    names = _names(FIXTURES / "eac_person.xml")
    assert names["Goldman, Emma"] == "en"  # eng + Latn: Latin is English's usual script
    assert names["Гольдман, Эмма"] == "ru-Cyrl"
    assert names["Gol'dman, Ėmma"] == "ru-Latn"  # Russian in Latin letters says so
    assert names["עמה גולדמאן"] is None  # a script alone does not say the language


def test_marc_variant_in_the_script_of_the_authoritys_377_language() -> None:
    assert _names(FIXTURES / "marc_authority_full.xml")["Троцкий, Лев"] == "ru-Cyrl"


def test_marc_008_and_041_languages_are_bcp47(tmp_path: Path) -> None:
    record = tmp_path / "bib.xml"
    record.write_text(
        """<marc:record xmlns:marc="http://www.loc.gov/MARC21/slim">
  <marc:leader>00000nam a2200000 a 4500</marc:leader>
  <marc:controlfield tag="001">LG-BIB-0042</marc:controlfield>
  <marc:controlfield tag="003">LG</marc:controlfield>
  <marc:controlfield tag="008">240101s1921    ru            000 0 rus d</marc:controlfield>
  <marc:datafield tag="041" ind1="1" ind2=" ">
    <marc:subfield code="a">rusgerfre</marc:subfield>
    <marc:subfield code="a">yid</marc:subfield>
    <marc:subfield code="a">und</marc:subfield>
  </marc:datafield>
  <marc:datafield tag="245" ind1="0" ind2="0">
    <marc:subfield code="a">Manifest</marc:subfield>
  </marc:datafield>
</marc:record>""",
        encoding="utf-8",
    )
    source = next(r for r in read_records(record) if isinstance(r, SourceRecord))
    languages = [o.value for _, p, o in map_record(source, BASE).triples if p == SCHEMA.inLanguage]
    assert languages == ["ru", "de", "fr", "yi"]
