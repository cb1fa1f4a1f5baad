"""Entity pages, the home page, browse lists and the published ontology (issue: Entity pages)."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("entity_pages", __name__)


@bp.get("/")
def home() -> str:
    """The home page."""
    return render_template("home.html")
