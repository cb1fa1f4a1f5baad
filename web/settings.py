"""Deployment settings (never data: the IRI base is recorded in the store)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

DEFAULT_STORE = Path("var/store")


def _help(text: str) -> dict[str, str]:
    return {"help": text}


@dataclass(frozen=True)
class Settings:
    """Everything a deployment may tune; each field has a default and a help text."""

    store: Path = field(
        default=DEFAULT_STORE, metadata=_help("store directory (LABOURGRAPH_STORE)")
    )
    host: str = field(default="127.0.0.1", metadata=_help("address to listen on"))
    port: int = field(default=5000, metadata=_help("port to listen on"))
    workers: int = field(default=0, metadata=_help("web worker processes (0: cores + 1)"))
    query_timeout: float = field(default=30.0, metadata=_help("seconds a SPARQL query may run"))
    result_limit: int = field(
        default=10_000, metadata=_help("rows (or triples) a SPARQL answer may hold")
    )
    rate_limit_seconds: float = field(
        default=120.0,
        metadata=_help("query seconds one client may spend per minute before getting 429"),
    )
    sparql_endpoint: str | None = field(
        default=None, metadata=_help("remote SPARQL 1.1 query endpoint")
    )
    update_endpoint: str | None = field(
        default=None, metadata=_help("remote SPARQL 1.1 update endpoint")
    )
    read_only: bool = field(default=True, metadata=_help("the public server never writes"))
    access_log: bool = field(default=False, metadata=_help("log every request to stdout"))
    allocator: str = field(
        default="jemalloc",
        metadata=_help("malloc of the server processes: jemalloc (if installed) or system"),
    )
    keep_alive: float = field(
        default=0.0,
        metadata=_help("seconds idle connections stay open (0: close after each answer)"),
    )

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then LABOURGRAPH_* environment variables, then explicit overrides."""
        values: dict[str, object] = {}
        for f in fields(cls):
            env = os.environ.get(f"LABOURGRAPH_{f.name.upper()}")
            if env is not None and env != "":
                values[f.name] = _convert(f.type, env)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


def _convert(kind: object, text: str) -> object:
    kind = str(kind)
    if "Path" in kind:
        return Path(text)
    if kind.startswith("int"):
        return int(text)
    if kind.startswith("float"):
        return float(text)
    if kind.startswith("bool"):
        return text.lower() in {"1", "true", "yes", "on"}
    return text
