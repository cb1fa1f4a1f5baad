"""The short way through for SPARQL protocol queries, in front of the Flask app.

A small query costs pyoxigraph about 50 µs; Flask's request and response objects, routing and
contexts cost several times that. This WSGI middleware answers the common case itself: a
query by GET, by POST form-encoded or by POST ``application/sparql-query``, for a program (not
the editor), with formats it can name. It runs the query the Flask view would, through the
same ``run_guarded`` (budget, watchdog, result cap), with the same headers and the same
errors. Everything else (the editor, the Service Description, OPTIONS, a request the protocol
refuses before any query runs) goes on to the Flask view, which answers it as before: the
body the middleware already read is handed on unchanged.
"""

from __future__ import annotations

import io
import logging
import urllib.parse
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from flask import Flask
from labourgraph.graph.results import UserQuery
from labourgraph.graph.store import GraphStore

from .ratelimit import QueryBudget
from .settings import Settings
from .sparql_endpoint import (
    CORS,
    DIRECT,
    FORM,
    ProtocolError,
    answer_headers,
    client_connection,
    formats_for,
    html_first,
    run_guarded,
)
from .watchdog import QueryWatchdog

log = logging.getLogger(__name__)

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]
MAX_FAST_BODY = 1 << 20  # larger POST bodies go the long way (Flask enforces its own limits)


class SparqlFastPath:
    """WSGI middleware: answers plain SPARQL queries, passes every other request to ``app``."""

    def __init__(
        self,
        app: WSGIApp,
        store: GraphStore,
        settings: Settings,
        budget: QueryBudget,
        watchdog: QueryWatchdog,
    ) -> None:
        self.app = app
        self.store = store
        self.limit = settings.result_limit
        self.budget = budget
        self.watchdog = watchdog

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/sparql":
            query = self._plain_query(environ)
            if query is not None:
                return self._answer(environ, start_response, query)
        return self.app(environ, start_response)

    def _plain_query(self, environ: Environ) -> UserQuery | None:
        """The query of a request the short way can answer, else None (and the body kept)."""
        method = environ.get("REQUEST_METHOD")
        # PEP 3333 hands the query string over as latin-1 text; its bytes are UTF-8
        args = _parse(environ.get("QUERY_STRING", "").encode("latin-1").decode("utf-8", "replace"))
        if method == "GET":
            params = args
        elif method == "POST":
            body = _read_body(environ)
            if body is None:
                return None
            mimetype = environ.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
            if mimetype == FORM:
                params = _parse(body.decode("utf-8", "replace"))
            elif mimetype == DIRECT:
                params = {**args, "query": [body.decode("utf-8", "replace")]}
            else:
                return None
        else:
            return None
        texts = params.get("query", [])
        accept = environ.get("HTTP_ACCEPT", "")
        if (
            len(texts) != 1
            or "update" in params
            or "update" in args
            or "\ufffd" in texts[0]
            or ("format" not in args and html_first(accept))
        ):
            return None
        named = (args.get("format") or params.get("format") or [None])[0]
        try:
            tabular, graph = formats_for(accept, named or None)
        except ValueError:
            return None
        return UserQuery(
            texts[0],
            tabular,
            graph,
            self.limit,
            tuple(params.get("default-graph-uri", ())),
            tuple(params.get("named-graph-uri", ())),
        )

    def _answer(
        self, environ: Environ, start_response: StartResponse, query: UserQuery
    ) -> Iterable[bytes]:
        client = environ.get("REMOTE_ADDR") or "unknown"
        self.store.refresh()  # an ingest may have published a newer snapshot
        try:
            answer = run_guarded(
                self.store, query, client, client_connection(environ), self.budget, self.watchdog
            )
        except ProtocolError as exc:
            retry = [] if exc.retry_after is None else [("Retry-After", str(exc.retry_after))]
            return _plain_text(start_response, exc.status, exc.message, retry)
        except Exception:  # our bug or the store's: logged, and the client told, as Flask would
            log.exception("unhandled error on %s /sparql", environ.get("REQUEST_METHOD"))
            return _plain_text(
                start_response, 500, "Something went wrong on our side; it has been logged."
            )
        start_response("200 OK", answer_headers(answer))
        return [answer.body]


def _parse(text: str) -> dict[str, list[str]]:
    # percent-escapes decode as UTF-8, undecodable bytes as U+FFFD, as werkzeug does
    return urllib.parse.parse_qs(text, keep_blank_values=True, errors="replace")


def _read_body(environ: Environ) -> bytes | None:
    """The request body, put back for the Flask app to read again; None if too large."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if length <= 0 or length > MAX_FAST_BODY:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    return bytes(body)


def _plain_text(
    start_response: StartResponse,
    status: int,
    message: str,
    extra: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    body = (message + "\n").encode("utf-8")
    start_response(
        f"{status} {HTTPStatus(status).phrase.upper()}",
        [  # as werkzeug
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            *CORS.items(),
            *(extra or []),
        ],
    )
    return [body]


def install(app: Flask) -> None:
    """Put the short way in front of ``app``, sharing its store, budget and watchdog."""
    ext = app.extensions
    app.wsgi_app = SparqlFastPath(  # type: ignore[method-assign]
        app.wsgi_app,
        ext["labourgraph.store"],
        ext["labourgraph.settings"],
        ext["labourgraph.query_budget"],
        ext["labourgraph.query_watchdog"],
    )
