"""MARC relator terms ($e) and codes ($4) as codes of the LoC relator vocabulary."""

from __future__ import annotations

import re

CODES = {
    "aut",
    "cre",
    "edt",
    "ill",
    "dsg",
    "drm",
    "col",
    "ctb",
    "pht",
    "trl",
    "prt",
    "pbl",
    "art",
    "aft",
    "aui",
    "cmp",
    "dnr",
    "fmo",
    "own",
    "rcp",
    "crp",
    "dte",
    "ivr",
    "ive",
    "org",
    "sgn",
    "spk",
    "cwt",
    "scl",
    "cur",
    "com",
    "isb",
    "lyr",
    "ctg",
    "etr",
    "egr",
    "cll",
    "wpr",
}
TERMS = {
    "author": "aut",
    "creator": "cre",
    "editor": "edt",
    "ed": "edt",
    "illustrator": "ill",
    "designer": "dsg",
    "draughtsman": "drm",
    "draftsman": "drm",
    "collector": "col",
    "contributor": "ctb",
    "photographer": "pht",
    "translator": "trl",
    "printer": "prt",
    "publisher": "pbl",
    "artist": "art",
    "writer of afterword": "aft",
    "author of afterword": "aft",
    "writer of introduction": "aui",
    "author of introduction": "aui",
    "composer": "cmp",
    "donor": "dnr",
    "former owner": "fmo",
    "owner": "own",
    "addressee": "rcp",
    "recipient": "rcp",
    "correspondent": "crp",
    "dedicatee": "dte",
    "interviewer": "ivr",
    "interviewee": "ive",
    "originator": "org",
    "signer": "sgn",
    "speaker": "spk",
    "commentator": "cwt",
    "sculptor": "scl",
    "curator": "cur",
    "compiler": "com",
    "lyricist": "lyr",
    "cartographer": "ctg",
    "engraver": "egr",
    "calligrapher": "cll",
}


def relator_codes(values: list[str]) -> set[str]:
    """The relator codes that these $4 codes and $e terms name (unknown terms are dropped)."""
    codes: set[str] = set()
    for value in values:
        text = re.sub(r"[\s.,;:]+$", "", value.strip().lower())
        if text in CODES:
            codes.add(text)
        elif text in TERMS:
            codes.add(TERMS[text])
    return codes
