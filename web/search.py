"""Search for people (/search) and machines (/api/search)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

bp = Blueprint("search", __name__)


@bp.get("/search")
def search_page() -> str:
    """The search page."""
    return render_template("search.html", q=request.args.get("q", ""))
