"""Language codes: MARC / ISO 639-2 (``dut``, ``rus``) to BCP 47, and their usual script."""

from __future__ import annotations

BCP47 = {
    "ara": "ar",
    "bul": "bg",
    "chi": "zh",
    "zho": "zh",
    "cze": "cs",
    "ces": "cs",
    "dan": "da",
    "dut": "nl",
    "nld": "nl",
    "eng": "en",
    "epo": "eo",
    "fin": "fi",
    "fre": "fr",
    "fra": "fr",
    "ger": "de",
    "deu": "de",
    "gre": "el",
    "ell": "el",
    "heb": "he",
    "hun": "hu",
    "ind": "id",
    "ita": "it",
    "jpn": "ja",
    "kor": "ko",
    "nor": "no",
    "per": "fa",
    "fas": "fa",
    "pol": "pl",
    "por": "pt",
    "rum": "ro",
    "ron": "ro",
    "rus": "ru",
    "scc": "sr",
    "srp": "sr",
    "slo": "sk",
    "slk": "sk",
    "spa": "es",
    "swe": "sv",
    "tur": "tr",
    "ukr": "uk",
    "yid": "yi",
    "cat": "ca",
    "baq": "eu",
    "eus": "eu",
    "glg": "gl",
    "fry": "fy",
    "lat": "la",
    "hin": "hi",
    "urd": "ur",
    "vie": "vi",
    "tha": "th",
    "arm": "hy",
    "hye": "hy",
    "geo": "ka",
    "kat": "ka",
    "bel": "be",
    "hrv": "hr",
    "slv": "sl",
    "lit": "lt",
    "lav": "lv",
    "est": "et",
    "ice": "is",
    "isl": "is",
    "may": "ms",
    "msa": "ms",
    "swa": "sw",
    "afr": "af",
    "alb": "sq",
    "sqi": "sq",
    "mac": "mk",
    "mkd": "mk",
    "kur": "ku",
}
NOT_A_LANGUAGE = {"und", "mul", "zxx", "mis", "   ", "|||", ""}
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


def bcp47(code: str | None) -> str | None:
    """The BCP 47 tag of a MARC/ISO 639-2 or BCP 47 code; None for "und", "mul" and blanks."""
    if code is None:
        return None
    value = code.strip().lower()
    if value in NOT_A_LANGUAGE or not value.replace("-", "").isalpha():
        return None
    return BCP47.get(value, value)


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
