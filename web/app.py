"""The application factory: the store and settings are injected, never global."""

from __future__ import annotations

import importlib

from flask import Flask
from labourgraph.graph.store import GraphStore

from . import errors, sparql_fast
from .settings import Settings

# One blueprint per feature, each in web/{name}.py exposing ``bp``.
FEATURES = ("entity_pages", "search", "sparql_endpoint", "harvest")


def create_app(store: GraphStore, settings: Settings | None = None) -> Flask:
    """A Flask app serving ``store``."""
    app = Flask(__name__)
    app.extensions["labourgraph.store"] = store
    app.extensions["labourgraph.settings"] = settings or Settings()
    app.config["JSON_SORT_KEYS"] = False
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    @app.before_request
    def _newest_snapshot() -> None:
        # an ingest publishes a new snapshot; a stat() per request is the price of seeing it
        store.refresh()

    for name in FEATURES:
        module = importlib.import_module(f"{__package__}.{name}")
        app.register_blueprint(module.bp)
    errors.register(app)
    sparql_fast.install(app)
    return app
