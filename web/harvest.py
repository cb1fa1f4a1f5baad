"""Harvest interfaces: OAI-PMH (/oai), dumps (/dumps/), VoID, sitemap and robots.txt."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("harvest", __name__)
