"""A remote SPARQL 1.1 store (Oxigraph server, QLever, Fuseki, GraphDB, Virtuoso) behind GraphStore.

``--sparql-endpoint URL`` (and ``--update-endpoint URL`` to write) swaps the embedded pyoxigraph
store for this one; everything else still lives under ``--store DIR`` (base IRI, generation,
search index, change log, dumps). All traffic goes through SPARQLWrapper.

Each source record is a named graph, so every read must see the union of the record graphs as
its default graph. Oxigraph server does so per request with the ``union-default-graph``
parameter, which we always send; the other stores ignore that parameter and need their own
setting (README "Deploying with another store"). ``check_union`` finds out on open.

There are no snapshots: each ``replace_graphs`` call is one SPARQL Update request, which the
stores apply atomically, so readers see an ingest batch by batch; ``publish`` bumps the
generation in ``DIR/labourgraph.json`` so that servers renew their ETags and caches.
"""

from __future__ import annotations

import ast
import logging
import urllib.error
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from SPARQLWrapper import JSON, POST, POSTDIRECTLY, TSV, TURTLE, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from . import query_text
from .rdf import IRI, BNode, Term, Triple
from .remote_results import quads_from_tsv, rows_from_json, triples_from_ntriples, write_quads
from .results import Answer, UserQuery
from .store import META_FILE, GraphStore, StoreError, read_meta, write_meta

log = logging.getLogger(__name__)

UNION_PARAMETER = "union-default-graph"
UPDATE = "INSERT"  # SPARQLWrapper sends any update form to the update endpoint
NTRIPLES = "application/n-triples"
_AGENT = "labourgraph (SPARQLWrapper)"


@dataclass(frozen=True)
class Endpoint:
    """Where a remote store answers, and how long we wait for it."""

    query_url: str
    update_url: str | None = None
    timeout: float = 60.0
    # Send ``union-default-graph`` with every query (Oxigraph server honours it, the others
    # ignore it); off for a store that rejects parameters it does not know.
    union_parameter: bool = True

    def client(self, text: str, *, update: bool = False, union: bool = True) -> SPARQLWrapper:
        """A SPARQLWrapper for one request (they are cheap, and not shared between threads).

        ``union`` False leaves out the union parameter (a user named the dataset's graphs).
        """
        client = SPARQLWrapper(self.query_url, updateEndpoint=self.update_url, agent=_AGENT)
        client.setOnlyConneg(True)  # no format=/output= parameters: content negotiation only
        client.setMethod(POST)  # POST: our queries and updates outgrow a URL
        client.setRequestMethod(POSTDIRECTLY if update else URLENCODED)
        client.setTimeout(max(1, round(self.timeout)))
        if self.union_parameter and union and not update:
            client.addParameter(UNION_PARAMETER, "")
        # set the text and its form ourselves: SPARQLWrapper's setQuery takes words in comments
        # for update keywords, and runs its regular expressions over whole bulk updates
        client.queryString = text
        client.queryType = UPDATE if update else query_text.query_form(text)
        return client


class RemoteStoreError(StoreError):
    """The remote store could not be reached, or refused or failed a request."""


def server_message(exc: BaseException) -> str:
    """What the server said about a failed request (SPARQLWrapper keeps only a repr of it)."""
    text = str(exc)
    marker = "Response:\n"
    if marker in text:
        try:
            body = ast.literal_eval(text.split(marker, 1)[1])
            return (
                body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
            ).strip()
        except (ValueError, SyntaxError):
            return text
    return text


def send(endpoint: Endpoint, client: SPARQLWrapper) -> Any:
    """Run one request; a failure becomes a RemoteStoreError naming the endpoint."""
    url = endpoint.update_url if client.isSparqlUpdateRequest() else endpoint.query_url
    try:
        return client.query()
    except SPARQLWrapperException as exc:
        raise RemoteStoreError(
            f"the SPARQL store at {url} refused a request: {server_message(exc)}"
        ) from exc
    except TimeoutError as exc:
        raise RemoteStoreError(
            f"the SPARQL store at {url} did not answer within {endpoint.timeout:g} s"
        ) from exc
    except urllib.error.HTTPError as exc:
        said = exc.read().decode("utf-8", "replace").strip() or exc.reason
        raise RemoteStoreError(
            f"the SPARQL store at {url} answered HTTP {exc.code}: {said}"
        ) from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise RemoteStoreError(
                f"the SPARQL store at {url} did not answer within {endpoint.timeout:g} s"
            ) from exc
        raise RemoteStoreError(
            f"the SPARQL store at {url} cannot be reached: {exc.reason}. "
            "Is it running, and is the URL right?"
        ) from exc


class RemoteStore(GraphStore):
    """A SPARQL 1.1 store reached over HTTP, with its metadata under a store directory."""

    def __init__(
        self,
        endpoint: Endpoint,
        root: Path,
        base: str,
        *,
        writable: bool = False,
        generation: int = 0,
    ) -> None:
        super().__init__(base, root, writable, generation)
        self._endpoint = endpoint
        self._meta_mtime = _meta_mtime(root)

    @property
    def root(self) -> Path:
        """The store directory (remote stores always keep one, for their metadata)."""
        assert self._root is not None
        return self._root

    @property
    def endpoint(self) -> Endpoint:
        """Where this store answers."""
        return self._endpoint

    # -- reads -----------------------------------------------------------------------------
    def _read(
        self, query: str, bindings: Mapping[str, Term], fmt: str, accept: str | None = None
    ) -> Any:
        client = self._endpoint.client(query_text.bind(query, bindings))
        client.setReturnFormat(fmt)
        if accept:
            client.addCustomHttpHeader("Accept", accept)
        return send(self._endpoint, client)

    def select_text(self, query: str, **bindings: Term) -> list[dict[str, Term]]:
        return rows_from_json(self._read(query, bindings, JSON).convert())

    def ask_text(self, query: str, **bindings: Term) -> bool:
        answer = self._read(query, bindings, JSON).convert()
        if not isinstance(answer, dict) or "boolean" not in answer:
            raise RemoteStoreError(
                f"the SPARQL store at {self._endpoint.query_url} answered an ASK without a boolean"
            )
        return bool(answer["boolean"])

    def construct_text(self, query: str, **bindings: Term) -> list[Triple]:
        result = self._read(query, bindings, TURTLE, accept=NTRIPLES)
        body = result.response.read().decode("utf-8")
        media_type = result.info().get("content-type", "").split(";")[0].strip()
        if media_type in (NTRIPLES, "text/plain"):
            return triples_from_ntriples(body)
        if media_type in ("text/turtle", "application/turtle"):  # N-Triples is Turtle's subset
            return _triples_from_turtle(body)
        raise RemoteStoreError(
            f"the SPARQL store at {self._endpoint.query_url} answered a CONSTRUCT "
            f"as {media_type!r}; "
            f"expected {NTRIPLES} or text/turtle"
        )

    def graph_names(self) -> list[IRI]:
        rows = self.select_text("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return [IRI(row["g"]) for row in rows if isinstance(row.get("g"), IRI)]

    def dump(self, output: IO[bytes], media_type: str) -> None:
        """Quads stream through a TSV SELECT; triple formats are serialised by the store itself."""
        if media_type in ("application/n-quads", "application/trig"):
            result = self._read("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {}, TSV)
            write_quads(
                quads_from_tsv(result.response), output, trig=media_type == "application/trig"
            )
            return
        result = self._read(
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {}, TURTLE, accept=media_type
        )
        while chunk := result.response.read(1 << 16):
            output.write(chunk)

    # -- writes ----------------------------------------------------------------------------
    def replace_graphs(
        self, graphs: Mapping[IRI, Sequence[Triple]], drop: Iterable[IRI] = ()
    ) -> None:
        if not self._writable:
            raise StoreError(
                "this store was opened read-only; run `labourgraph ingest` to change it"
            )
        if not self._endpoint.update_url:
            raise RemoteStoreError(
                f"the SPARQL store at {self._endpoint.query_url} was opened without "
                "--update-endpoint; "
                "writing needs its SPARQL Update URL"
            )
        update = replace_update(graphs, drop)
        if update:
            send(self._endpoint, self._endpoint.client(update, update=True))

    def publish(self, compact: bool = False) -> None:
        """Bump the generation in DIR/labourgraph.json (the data is already live at the remote).

        ``compact`` is the remote store's own business, as is how it lays out its files.
        """
        meta = read_meta(self._root)
        self._generation = int(meta.get("generation", 0)) + 1
        meta["generation"] = self._generation
        write_meta(self._root, meta)
        self._meta_mtime = _meta_mtime(self._root)

    def run_user_query(self, query: UserQuery) -> Answer:
        """The user's query passed through to the remote store, capped at ``query.limit``."""
        from .remote_queries import run_remote_user_query  # it imports this module

        return run_remote_user_query(self._endpoint, query)

    def refresh(self) -> bool:
        mtime = _meta_mtime(self._root)
        if mtime == self._meta_mtime:
            return False
        self._meta_mtime = mtime
        generation = int(read_meta(self._root).get("generation", 0))
        changed, self._generation = generation != self._generation, generation
        return changed


def replace_update(graphs: Mapping[IRI, Sequence[Triple]], drop: Iterable[IRI] = ()) -> str:
    """One SPARQL Update: drop every graph being replaced or removed, then insert the new content.

    Blank-node labels are made distinct per graph: within one INSERT DATA the same label is the
    same node, and two records' ``_:b0`` must stay two nodes.
    """
    parts = [f"DROP SILENT GRAPH {IRI(g).n3()}" for g in [*graphs, *drop]]
    blocks = []
    for number, (name, triples) in enumerate(graphs.items()):
        if triples:
            lines = "".join(
                f"{_n3(s, number)} {p.n3()} {_n3(o, number)} .\n" for s, p, o in triples
            )
            blocks.append(f"GRAPH {IRI(name).n3()} {{\n{lines}}}\n")
    if blocks:
        parts.append("INSERT DATA {\n" + "".join(blocks) + "}")
    return " ;\n".join(parts)


def _n3(term: Term, graph_number: int) -> str:
    if isinstance(term, BNode):
        return f"_:g{graph_number}x{''.join(c if c.isalnum() else '_' for c in term)}"
    return term.n3()


def _triples_from_turtle(body: str) -> list[Triple]:
    import rdflib  # local: only stores that refuse N-Triples take this slower path

    graph = rdflib.Graph()
    graph.parse(data=body, format="turtle")
    return triples_from_ntriples(graph.serialize(format="nt"))


def _meta_mtime(root: Path) -> int | None:
    try:
        return (root / META_FILE).stat().st_mtime_ns
    except FileNotFoundError:
        return None
