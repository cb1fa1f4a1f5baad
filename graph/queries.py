"""Reading the named SPARQL queries in ``sparql/*.rq``."""

from __future__ import annotations

import functools
from pathlib import Path

SPARQL_DIR = Path(__file__).resolve().parent.parent / "sparql"


class UnknownQueryError(KeyError):
    """No ``sparql/{name}.rq`` file."""


@functools.cache
def load(name: str) -> str:
    """The text of ``sparql/{name}.rq`` (cached: the files are read-only at run time)."""
    path = SPARQL_DIR / f"{name}.rq"
    if not path.is_file() or "/" in name or name.startswith("."):
        raise UnknownQueryError(f"no query named {name!r} in {SPARQL_DIR}")
    return path.read_text(encoding="utf-8")


def examples() -> list[tuple[str, str]]:
    """The example queries as (file stem, text), sorted by file name."""
    folder = SPARQL_DIR / "examples"
    return [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.rq"))]
