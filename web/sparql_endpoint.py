"""The SPARQL 1.1 Protocol endpoint at /sparql (queries only; read-only and guarded).

GET ``?query=``, POST form-encoded and POST ``application/sparql-query``; answers by ``Accept``
or a ``format`` parameter; the Service Description at GET without a query; YASGUI for
browsers. A query is charged to its client's budget (429 past it), guarded by the watchdog
(stopped at the time limit) and capped at the result limit (``X-Labourgraph-Truncated``).
"""

from __future__ import annotations

import functools
import time
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from flask.blueprints import BlueprintSetupState
from labourgraph.graph.results import (
    FORMAT_ALIASES,
    Answer,
    QueryRefusedError,
    QuerySyntaxError,
    ResultFormat,
    UserQuery,
    example_queries,
    format_named,
)
from labourgraph.graph.store import GraphStore, convert_rdf
from labourgraph.graph.vocab import PREFIXES
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from . import current
from .errors import respond
from .ratelimit import QueryBudget
from .watchdog import QueryWatchdog

bp = Blueprint("sparql_endpoint", __name__)

SERVICE_DESCRIPTION = Path(__file__).resolve().parent.parent / "sparql" / "service_description.ttl"
# media types (with aliases) by kind of answer; the first is what */* gets
MEDIA_TYPES = {f.media_type: f for f in ResultFormat} | {
    name: f for name, f in FORMAT_ALIASES.items() if "/" in name
}
TABULAR = {name: f for name, f in MEDIA_TYPES.items() if f.tabular}
GRAPH = {name: f for name, f in MEDIA_TYPES.items() if not f.tabular}
COUNTERPARTS = {
    ResultFormat.XML: ResultFormat.RDF_XML,
    ResultFormat.RDF_XML: ResultFormat.XML,
    ResultFormat.JSON: ResultFormat.JSON_LD,
    ResultFormat.JSON_LD: ResultFormat.JSON,
}
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-Labourgraph-Truncated, X-Labourgraph-Result-Limit",
}
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"


class ProtocolError(Exception):
    """A request the SPARQL protocol says to refuse, with its status and message."""

    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    app = state.app
    settings = app.extensions["labourgraph.settings"]
    root = app.extensions["labourgraph.store"].root
    budget = QueryBudget(root / "ratelimit" if root else None, settings.rate_limit_seconds)
    app.extensions["labourgraph.query_budget"] = budget
    limit = settings.query_timeout
    app.extensions["labourgraph.query_watchdog"] = QueryWatchdog(
        limit, on_timeout=lambda client: budget.charge(client, limit)
    )


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def sparql() -> Response:
    """The endpoint; the Service Description or the query editor when no query is given."""
    if request.method == "OPTIONS":
        return _with_cors(
            Response(
                status=204,
                headers={
                    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                    "Access-Control-Allow-Headers": "Content-Type, Accept",
                },
            )
        )
    try:
        query = _read_query()
        if query is None:
            return _with_cors(_editor_or_description())
        if request.method == "GET" and _wants_editor():
            return _editor(query.text)
        return _answer_response(_run(query))
    except ProtocolError as exc:
        response = (
            respond(exc.status, exc.message)
            if _wants_editor()
            else Response(exc.message + "\n", status=exc.status, mimetype="text/plain")
        )
        if exc.retry_after is not None:
            response.headers["Retry-After"] = str(exc.retry_after)
        return _with_cors(response)


def _read_query() -> UserQuery | None:
    """The query and dataset of this request, or None if it carries no query."""
    if request.method == "GET":
        params = request.args
    elif request.mimetype == FORM:
        params = request.form
    elif request.mimetype == DIRECT:
        params = request.args
    elif request.mimetype == "application/sparql-update" or "update" in request.args:
        raise ProtocolError(403, _read_only())
    else:
        shown = request.mimetype or "no Content-Type"
        raise ProtocolError(415, f"POST a query as {FORM} or {DIRECT}, not {shown}.")
    if "update" in params:
        raise ProtocolError(403, _read_only())
    texts = params.getlist("query")
    if request.method == "POST" and request.mimetype == DIRECT:
        texts = [_body_text()]
    if len(texts) > 1:
        raise ProtocolError(400, f"Give exactly one query; this request has {len(texts)}.")
    if not texts:
        if request.method == "POST":
            raise ProtocolError(400, "The request has no query parameter: nothing to run.")
        return None
    return _user_query(
        texts[0], params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
    )


def _body_text() -> str:
    try:
        return request.get_data().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"The query is not UTF-8 text: {exc}.") from exc


def _read_only() -> str:
    return (
        "SPARQL updates are not accepted: this endpoint is read-only. "
        "The graph changes only through `labourgraph ingest`."
    )


def _user_query(text: str, default_graphs: list[str], named_graphs: list[str]) -> UserQuery:
    if "\ufffd" in text:
        raise ProtocolError(400, "The query is not UTF-8 text (it holds undecodable bytes).")
    tabular, graph = _negotiate()
    return UserQuery(
        text,
        tabular,
        graph,
        current.settings().result_limit,
        tuple(default_graphs),
        tuple(named_graphs),
    )


def _negotiate() -> tuple[ResultFormat, ResultFormat]:
    """The result formats for SELECT/ASK and for CONSTRUCT/DESCRIBE that this client wants."""
    named = request.values.get("format")
    try:
        return formats_for(request.headers.get("Accept", ""), named or None)
    except ValueError as exc:
        raise ProtocolError(400, f"{exc}.") from exc


@functools.lru_cache(maxsize=512)
def formats_for(accept_header: str, named: str | None) -> tuple[ResultFormat, ResultFormat]:
    """The formats for an ``Accept`` header and ``format`` value (clients repeat theirs)."""
    accept = parse_accept_header(accept_header, MIMEAccept)
    if named:
        chosen = format_named(named)
        # the same name may be asked for any query form (SPARQLWrapper sends format=xml for
        # CONSTRUCT too): the other kind of answer gets its counterpart, else Accept decides
        if chosen.tabular:
            return chosen, COUNTERPARTS.get(chosen) or _best(accept, GRAPH, ResultFormat.TURTLE)
        return COUNTERPARTS.get(chosen) or _best(accept, TABULAR, ResultFormat.JSON), chosen
    return _best(accept, TABULAR, ResultFormat.JSON), _best(accept, GRAPH, ResultFormat.TURTLE)


def _best(
    accept: MIMEAccept, offered: dict[str, ResultFormat], fallback: ResultFormat
) -> ResultFormat:
    best = accept.best_match(list(offered), default=None)
    return offered[best] if best else fallback


def _run(query: UserQuery) -> Answer:
    """Run a query under the client's budget and the watchdog."""
    ext = current_app.extensions
    return run_guarded(
        current.store(),
        query,
        request.remote_addr or "unknown",
        client_connection(request.environ),
        ext["labourgraph.query_budget"],
        ext["labourgraph.query_watchdog"],
    )


def run_guarded(
    store: GraphStore,
    query: UserQuery,
    client: str,
    connection: int | None,
    budget: QueryBudget,
    watchdog: QueryWatchdog,
) -> Answer:
    """Run ``query`` for ``client`` under its budget, and under the watchdog when the client's
    connection (a file descriptor) is known; ProtocolError for what the protocol refuses."""
    wait = budget.retry_after(client)
    if wait is not None:
        raise ProtocolError(
            429,
            f"Too many expensive queries from {client}: more than "
            f"{budget.seconds:g} s of query time in the last {budget.window:g} s. "
            f"Try again in {wait} s.",
            retry_after=wait,
        )
    started = time.monotonic()
    if connection is not None:
        watchdog.arm(connection, client)
    try:
        return store.run_user_query(query)
    except QuerySyntaxError as exc:
        raise ProtocolError(400, f"SPARQL syntax error: {exc}") from exc
    except QueryRefusedError as exc:
        raise ProtocolError(403, str(exc)) from exc
    finally:
        if connection is not None:
            watchdog.disarm()
        budget.charge(client, time.monotonic() - started)


def client_connection(environ: dict[str, Any]) -> int | None:
    """The file descriptor of this request's client connection (None under a test client)."""
    if "uwsgi.version" in environ:
        import uwsgi  # only importable inside a uWSGI worker

        return int(uwsgi.connection_fd())
    return None


def answer_headers(answer: Answer) -> list[tuple[str, str]]:
    """The headers of a successful answer, CORS included."""
    media_type = answer.format.media_type
    headers = [
        (
            "Content-Type",
            f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type,
        ),
        ("Content-Length", str(len(answer.body))),
        *CORS.items(),
    ]
    if answer.truncated:
        headers += [
            ("X-Labourgraph-Truncated", "true"),
            ("X-Labourgraph-Result-Limit", str(answer.limit)),
        ]
    return headers


def _answer_response(answer: Answer) -> Response:
    return Response(answer.body, headers=answer_headers(answer))


def _wants_editor() -> bool:
    """A browser asks for HTML by name and above data; ``*/*`` alone means a protocol client."""
    return "format" not in request.args and html_first(request.headers.get("Accept", ""))


@functools.lru_cache(maxsize=512)
def html_first(accept_header: str) -> bool:
    accept = parse_accept_header(accept_header, MIMEAccept)
    if not any(m == "text/html" for m, _ in accept):
        return False
    return (
        accept.best_match(["application/sparql-results+json", "text/turtle", "text/html"])
        == "text/html"
    )


def _editor_or_description() -> Response:
    if _wants_editor():
        return _editor("")
    _, graph = _negotiate()
    turtle = _service_description_turtle().replace("<ENDPOINT>", f"<{request.base_url}>")
    body = turtle.encode("utf-8")
    if graph is not ResultFormat.TURTLE:
        body = convert_rdf(body, "text/turtle", graph.media_type)
    return Response(body, mimetype=graph.media_type)


@functools.cache
def _service_description_turtle() -> str:
    return SERVICE_DESCRIPTION.read_text(encoding="utf-8")


def _editor(text: str) -> Response:
    examples = example_queries()
    html = render_template(
        "sparql.html",
        query=text,
        prefixes=PREFIXES,
        examples=examples,
        examples_json=[{"name": e.name, "title": e.title, "text": e.text} for e in examples],
        settings=current.settings(),
    )
    return Response(html, mimetype="text/html")


def _with_cors(response: Response) -> Response:
    response.headers.update(CORS)
    return response
