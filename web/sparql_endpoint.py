"""The SPARQL 1.1 Protocol endpoint at /sparql (read-only)."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("sparql_endpoint", __name__)


@bp.route("/sparql", methods=["GET", "POST"])
def sparql() -> str:
    """The endpoint; a query editor for browsers."""
    return render_template("sparql.html")
