"""Opening the store a command or server works on: embedded pyoxigraph, or a remote SPARQL store.

``open_any`` is what ``web/cli.py`` and ``web/server.py`` call. With a SPARQL endpoint (given,
or recorded in ``DIR/labourgraph.json`` by an earlier remote ingest) it opens a ``RemoteStore``;
otherwise the embedded store of ``graph/store.py``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from .iris import DEFAULT_BASE, check_base
from .rdf import IRI, Lit
from .remote_store import Endpoint, RemoteStore, RemoteStoreError
from .store import GraphStore, StoreError, open_store, read_meta, write_meta

log = logging.getLogger(__name__)

DEFAULT_REMOTE_TIMEOUT = 60.0
UNION_ENV = "LABOURGRAPH_UNION_PARAMETER"
_OFF = frozenset({"0", "false", "no", "off"})
# One triple of a record graph, whose IRI subject and non-blank object can be asked back.
_SAMPLE = (
    "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s) && !isBlank(?o)) } LIMIT 1"
)


def open_any(
    path: Path | None,
    *,
    sparql_endpoint: str | None = None,
    update_endpoint: str | None = None,
    writable: bool = False,
    base: str | None = None,
    timeout: float = DEFAULT_REMOTE_TIMEOUT,
    union_parameter: bool | None = None,
) -> GraphStore:
    """The store under ``path``: remote when an endpoint is given or recorded, else embedded.

    ``union_parameter`` None means ``$LABOURGRAPH_UNION_PARAMETER`` (on unless 0/false/no/off).
    """
    if path is not None and not sparql_endpoint:
        recorded = read_meta(Path(path))
        sparql_endpoint = recorded.get("sparql_endpoint")
        update_endpoint = update_endpoint or (recorded.get("update_endpoint") if writable else None)
    if not sparql_endpoint:
        return open_store(path, writable=writable, base=base)
    if path is None:
        raise StoreError(
            "a remote SPARQL store needs --store DIR for its base IRI, search index and dumps"
        )
    if union_parameter is None:
        union_parameter = os.environ.get(UNION_ENV, "1").strip().lower() not in _OFF
    endpoint = Endpoint(sparql_endpoint, update_endpoint, timeout, union_parameter)
    return open_remote(Path(path), endpoint, writable=writable, base=base)


def open_remote(
    root: Path, endpoint: Endpoint, *, writable: bool = False, base: str | None = None
) -> RemoteStore:
    """A RemoteStore whose base IRI and generation live in ``root/labourgraph.json``."""
    if writable and not endpoint.update_url:
        raise StoreError(
            f"--sparql-endpoint {endpoint.query_url} is only for reading: ingest needs "
            "--update-endpoint URL as well (for oxigraph serve: http://HOST:PORT/update)"
        )
    meta = _writable_meta(root, endpoint, base) if writable else read_meta(root)
    if not meta:
        raise StoreError(
            f"{root} is not a labourgraph store yet: run `labourgraph ingest --store {root} "
            f"--sparql-endpoint {endpoint.query_url} --update-endpoint URL data/` first"
        )
    store = RemoteStore(
        endpoint, root, meta["base"], writable=writable, generation=int(meta.get("generation", 0))
    )
    if not writable:
        check_union(store)
    return store


def _writable_meta(root: Path, endpoint: Endpoint, base: str | None) -> dict[str, Any]:
    """The metadata, with the base recorded at the first ingest and the endpoints remembered."""
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"--store {root} cannot be created: {exc}") from exc
    meta = read_meta(root)
    recorded, wanted = meta.get("base"), check_base(base) if base else None
    if recorded and wanted and recorded != wanted:
        raise StoreError(
            f"--store {root} was built with base {recorded}, not {wanted}: every IRI in it depends "
            "on the base, so ingest into a new store directory to change it"
        )
    meta.setdefault("base", wanted or DEFAULT_BASE)
    meta.setdefault("generation", 0)
    meta.update(sparql_endpoint=endpoint.query_url, update_endpoint=endpoint.update_url)
    write_meta(root, meta)
    return meta


def check_union(store: RemoteStore) -> None:
    """Fail unless the store's default graph shows what its record graphs hold.

    Two cheap requests: one triple from some named graph, then ASK for it without GRAPH.
    """
    rows = store.select_text(_SAMPLE)
    if not rows or {"s", "p", "o"} - rows[0].keys():
        return  # no record graph yet: nothing to check
    s, p, o = rows[0]["s"], rows[0]["p"], rows[0]["o"]
    if not (isinstance(s, IRI) and isinstance(p, IRI) and isinstance(o, IRI | Lit)):
        return  # the store ignored our filter; nothing we can ask back
    if not store.ask_text("ASK { ?s ?p ?o }", s=s, p=p, o=o):
        raise RemoteStoreError(
            f"the SPARQL store at {store.endpoint.query_url} does not query the union of its named "
            "graphs by default, and labourgraph keeps each record in a graph of its own: "
            "turn on its "
            'union default graph (see README "Deploying with another store")'
        )
    log.info(
        "remote store %s: the default graph is the union of the record graphs",
        store.endpoint.query_url,
    )
