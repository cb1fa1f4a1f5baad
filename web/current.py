"""Request-time access to what the application factory injected."""

from __future__ import annotations

from flask import current_app
from labourgraph.graph.store import GraphStore

from .settings import Settings


def store() -> GraphStore:
    """The store this app serves (reopened at the newest snapshot before each request)."""
    return current_app.extensions["labourgraph.store"]  # type: ignore[no-any-return]


def settings() -> Settings:
    """This deployment's settings."""
    return current_app.extensions["labourgraph.settings"]  # type: ignore[no-any-return]
