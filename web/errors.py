"""Turning exceptions into responses: user mistakes are 4xx, our bugs are 500."""

from __future__ import annotations

import logging

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

HANDLERS: dict[type[Exception], int] = {}


def wants_html() -> bool:
    """True when the client prefers HTML (a browser) over plain text or data."""
    best = request.accept_mimetypes.best_match(["text/html", "text/plain", "application/json"])
    return best == "text/html"


def respond(status: int, message: str, title: str | None = None) -> Response:
    """An error response in HTML for browsers and plain text for everyone else."""
    if wants_html():
        html = render_template("error.html", status=status, title=title or message, message=message)
        return Response(html, status=status, mimetype="text/html")
    return Response(message + "\n", status=status, mimetype="text/plain")


def register(app: Flask) -> None:
    """Install the error handlers on ``app``."""

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        response = respond(exc.code or 500, exc.description or exc.name, exc.name)
        for key, value in exc.get_headers():
            if key.lower() not in {"content-type", "content-length"}:
                response.headers[key] = value
        return response

    @app.errorhandler(Exception)
    def _ours(exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return respond(500, "Something went wrong on our side; it has been logged.", "Server error")
