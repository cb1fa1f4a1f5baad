"""Users' queries (``/sparql``, ``labourgraph query``) passed through to a remote SPARQL store.

The query goes as the user wrote it (after the same refusals as the embedded store: no
updates, no SERVICE), with the protocol's ``default-graph-uri``/``named-graph-uri`` when given
and the union default graph otherwise. The answer streams back line by line in a line-shaped
format (TSV for rows, N-Triples for triples), so we stop reading at our row cap without holding
more than that, and convert the kept lines to the format the user asked for. The time limit is
the endpoint's socket timeout (``Settings.query_timeout`` when serving) and the store's own
server-side limit (README "Deploying with another store").
"""

from __future__ import annotations

from typing import IO

from SPARQLWrapper import JSON, TSV, TURTLE
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from .remote_store import NTRIPLES, Endpoint, RemoteStoreError, send, server_message
from .results import Answer, QuerySyntaxError, ResultFormat, UserQuery, check_allowed
from .store import convert_rdf, convert_results
from .vocab import PREFIXES

TSV_TYPE = ResultFormat.TSV.media_type


def run_remote_user_query(endpoint: Endpoint, query: UserQuery) -> Answer:
    """The user's query run by the remote store, serialized and capped at ``query.limit``."""
    check_allowed(query.text)
    client = endpoint.client(query.text, union=not (query.default_graphs or query.named_graphs))
    for graph in query.default_graphs:
        client.addDefaultGraph(graph)
    for graph in query.named_graphs:
        client.addNamedGraph(graph)
    form = client.queryType
    if form == "ASK":
        client.setReturnFormat(JSON)
        client.addCustomHttpHeader("Accept", query.tabular_format.media_type)
        body = _sent(endpoint, client).response.read()
        return Answer(body, query.tabular_format, False, query.limit, "ASK")
    if form in ("CONSTRUCT", "DESCRIBE"):
        client.setReturnFormat(TURTLE)
        client.addCustomHttpHeader("Accept", NTRIPLES)
        result = _sent(endpoint, client)
        _expect(endpoint, result, NTRIPLES, "text/plain")
        lines, truncated = capped_lines(result.response, query.limit)
        body = convert_rdf(b"".join(lines), NTRIPLES, query.graph_format.media_type, PREFIXES)
        return Answer(body, query.graph_format, truncated, query.limit, form)
    client.setReturnFormat(TSV)
    result = _sent(endpoint, client)
    _expect(endpoint, result, TSV_TYPE)
    header = result.response.readline()
    rows, truncated = capped_lines(result.response, query.limit)
    body = header + b"".join(rows)
    if query.tabular_format is not ResultFormat.TSV:
        body = convert_results(body, TSV_TYPE, query.tabular_format.media_type)
    return Answer(body, query.tabular_format, truncated, query.limit, "SELECT")


def capped_lines(stream: IO[bytes], limit: int) -> tuple[list[bytes], bool]:
    """Up to ``limit`` non-empty lines of the stream, and whether there were more."""
    kept: list[bytes] = []
    for line in stream:
        if not line.strip():
            continue
        if len(kept) == limit:
            stream.close()  # stop the transfer: the rest is past the cap
            return kept, True
        kept.append(line if line.endswith(b"\n") else line + b"\n")
    return kept, False


def _sent(endpoint: Endpoint, client: object) -> object:
    try:
        return send(endpoint, client)  # type: ignore[arg-type]
    except RemoteStoreError as exc:
        if isinstance(exc.__cause__, QueryBadFormed):
            raise QuerySyntaxError(server_message(exc.__cause__)) from exc
        raise


def _expect(endpoint: Endpoint, result: object, *media_types: str) -> None:
    answered = result.info().get("content-type", "").split(";")[0].strip()  # type: ignore[attr-defined]
    if answered not in media_types:
        raise RemoteStoreError(
            f"the SPARQL store at {endpoint.query_url} answered as {answered!r}; "
            f"expected {' or '.join(media_types)}"
        )
