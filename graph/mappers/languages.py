"""Language codes: MARC / ISO 639-2 (``dut``, ``rus``) and EAC ``xml:lang`` to BCP 47 tags.

RDF language tags are BCP 47: the ISO 639-1 two-letter code where the language has one
(``rus`` -> ``ru``), else the ISO 639-2 code itself (``gsw``); a script subtag in title case
(``ru-Cyrl``), a region in upper case (``pt-BR``). ``TWO_LETTER`` holds every ISO 639-2 code,
terminology (``deu``) and bibliographic (``ger``), of the 184 languages that have a 639-1 code.
"""

from __future__ import annotations

import re

TWO_LETTER = {
    "aar": "aa",
    "abk": "ab",
    "afr": "af",
    "aka": "ak",
    "alb": "sq",
    "amh": "am",
    "ara": "ar",
    "arg": "an",
    "arm": "hy",
    "asm": "as",
    "ava": "av",
    "ave": "ae",
    "aym": "ay",
    "aze": "az",
    "bak": "ba",
    "bam": "bm",
    "baq": "eu",
    "bel": "be",
    "ben": "bn",
    "bih": "bh",
    "bis": "bi",
    "bod": "bo",
    "bos": "bs",
    "bre": "br",
    "bul": "bg",
    "bur": "my",
    "cat": "ca",
    "ces": "cs",
    "cha": "ch",
    "che": "ce",
    "chi": "zh",
    "chu": "cu",
    "chv": "cv",
    "cor": "kw",
    "cos": "co",
    "cre": "cr",
    "cym": "cy",
    "cze": "cs",
    "dan": "da",
    "deu": "de",
    "div": "dv",
    "dut": "nl",
    "dzo": "dz",
    "ell": "el",
    "eng": "en",
    "epo": "eo",
    "est": "et",
    "eus": "eu",
    "ewe": "ee",
    "fao": "fo",
    "fas": "fa",
    "fij": "fj",
    "fin": "fi",
    "fra": "fr",
    "fre": "fr",
    "fry": "fy",
    "ful": "ff",
    "geo": "ka",
    "ger": "de",
    "gla": "gd",
    "gle": "ga",
    "glg": "gl",
    "glv": "gv",
    "gre": "el",
    "grn": "gn",
    "guj": "gu",
    "hat": "ht",
    "hau": "ha",
    "heb": "he",
    "her": "hz",
    "hin": "hi",
    "hmo": "ho",
    "hrv": "hr",
    "hun": "hu",
    "hye": "hy",
    "ibo": "ig",
    "ice": "is",
    "ido": "io",
    "iii": "ii",
    "iku": "iu",
    "ile": "ie",
    "ina": "ia",
    "ind": "id",
    "ipk": "ik",
    "isl": "is",
    "ita": "it",
    "jav": "jv",
    "jpn": "ja",
    "kal": "kl",
    "kan": "kn",
    "kas": "ks",
    "kat": "ka",
    "kau": "kr",
    "kaz": "kk",
    "khm": "km",
    "kik": "ki",
    "kin": "rw",
    "kir": "ky",
    "kom": "kv",
    "kon": "kg",
    "kor": "ko",
    "kua": "kj",
    "kur": "ku",
    "lao": "lo",
    "lat": "la",
    "lav": "lv",
    "lim": "li",
    "lin": "ln",
    "lit": "lt",
    "ltz": "lb",
    "lub": "lu",
    "lug": "lg",
    "mac": "mk",
    "mah": "mh",
    "mal": "ml",
    "mao": "mi",
    "mar": "mr",
    "may": "ms",
    "mkd": "mk",
    "mlg": "mg",
    "mlt": "mt",
    "mon": "mn",
    "mri": "mi",
    "msa": "ms",
    "mya": "my",
    "nau": "na",
    "nav": "nv",
    "nbl": "nr",
    "nde": "nd",
    "ndo": "ng",
    "nep": "ne",
    "nld": "nl",
    "nno": "nn",
    "nob": "nb",
    "nor": "no",
    "nya": "ny",
    "oci": "oc",
    "oji": "oj",
    "ori": "or",
    "orm": "om",
    "oss": "os",
    "pan": "pa",
    "per": "fa",
    "pli": "pi",
    "pol": "pl",
    "por": "pt",
    "pus": "ps",
    "que": "qu",
    "roh": "rm",
    "ron": "ro",
    "rum": "ro",
    "run": "rn",
    "rus": "ru",
    "sag": "sg",
    "san": "sa",
    "sin": "si",
    "slk": "sk",
    "slo": "sk",
    "slv": "sl",
    "sme": "se",
    "smo": "sm",
    "sna": "sn",
    "snd": "sd",
    "som": "so",
    "sot": "st",
    "spa": "es",
    "sqi": "sq",
    "srd": "sc",
    "srp": "sr",
    "ssw": "ss",
    "sun": "su",
    "swa": "sw",
    "swe": "sv",
    "tah": "ty",
    "tam": "ta",
    "tat": "tt",
    "tel": "te",
    "tgk": "tg",
    "tgl": "tl",
    "tha": "th",
    "tib": "bo",
    "tir": "ti",
    "ton": "to",
    "tsn": "tn",
    "tso": "ts",
    "tuk": "tk",
    "tur": "tr",
    "twi": "tw",
    "uig": "ug",
    "ukr": "uk",
    "urd": "ur",
    "uzb": "uz",
    "ven": "ve",
    "vie": "vi",
    "vol": "vo",
    "wel": "cy",
    "wln": "wa",
    "wol": "wo",
    "xho": "xh",
    "yid": "yi",
    "yor": "yo",
    "zha": "za",
    "zho": "zh",
    "zul": "zu",
}
# Codes the MARC language list made obsolete but older catalogue records still carry.
OBSOLETE_MARC = {
    "esp": "eo",
    "fri": "fy",
    "gae": "gd",
    "gag": "gl",
    "iri": "ga",
    "mol": "ro",
    "scc": "sr",
    "scr": "hr",
    "tag": "tl",
}
NOT_A_LANGUAGE = {"und", "mul", "zxx", "mis"}
TAG = re.compile(r"^[a-z]{2,8}(-[a-z0-9]{1,8})*$")
SCRIPT = re.compile(r"^[a-z]{4}$")
USUAL_SCRIPT = {
    "ru": "Cyrl",
    "uk": "Cyrl",
    "be": "Cyrl",
    "bg": "Cyrl",
    "mk": "Cyrl",
    "sr": "Cyrl",
    "el": "Grek",
    "ar": "Arab",
    "fa": "Arab",
    "ur": "Arab",
    "he": "Hebr",
    "yi": "Hebr",
    "zh": "Hani",
    "ja": "Jpan",
    "ko": "Kore",
    "hy": "Armn",
    "ka": "Geor",
    "hi": "Deva",
    "th": "Thai",
}


def bcp47(code: str | None, script: str | None = None) -> str | None:
    """The BCP 47 tag of a MARC/ISO 639-2 or BCP 47 code, with ``script`` added if it has none.

    None for "und", "mul", "zxx", "mis", blanks and anything that is not a language tag.
    """
    value = (code or "").strip().replace("_", "-").lower()
    if not TAG.match(value):
        return None
    language, *subtags = value.split("-")
    if language in NOT_A_LANGUAGE:
        return None
    language = TWO_LETTER.get(language) or OBSOLETE_MARC.get(language) or language
    has_script = bool(subtags) and SCRIPT.match(subtags[0]) is not None
    if script and SCRIPT.match(script.strip().lower()) and not has_script:
        subtags.insert(0, script.strip().lower())
    return "-".join([language, *_cased(subtags)])


def _cased(subtags: list[str]) -> list[str]:
    """BCP 47 case conventions: script in title case, region in upper case, the rest lower."""
    cased: list[str] = []
    for subtag in subtags:
        if len(subtag) == 1:  # an extension or private use: lower case from here on
            return cased + subtags[len(cased) :]
        if SCRIPT.match(subtag):
            subtag = subtag.title()
        elif len(subtag) == 2 and subtag.isalpha():
            subtag = subtag.upper()
        cased.append(subtag)
    return cased


def marc_languages(text: str) -> list[str]:
    """The 3-letter codes in a MARC 041 subfield, which may run together ("engfreger")."""
    value = text.strip()
    return (
        [value[i : i + 3] for i in range(0, len(value) - len(value) % 3, 3)]
        if value.isalpha()
        else []
    )


def tag_for_script(script: str | None, languages: list[str]) -> str | None:
    """``ru-Cyrl`` when exactly one known language of the entity is written in ``script``."""
    if script is None:
        return None
    matches = sorted(
        {
            lang
            for lang in (bcp47(code) for code in languages)
            if lang and USUAL_SCRIPT.get(lang) == script
        }
    )
    return f"{matches[0]}-{script}" if len(matches) == 1 else None
