"""Harvest interfaces: OAI-PMH (/oai), dumps (/dumps/), VoID, sitemap and robots.txt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    send_file,
    url_for,
)
from labourgraph.graph import dumps, sitemap, void
from labourgraph.graph.oai import Repository, respond

from . import current

bp = Blueprint("harvest", __name__)

DEFAULT_PAGE_SIZE = 100
DEFAULT_ADMIN_EMAIL = "oai@labourgraph.example.org"


def _encoded(parts: Iterator[str]) -> Iterator[bytes]:
    for part in parts:
        yield part.encode("utf-8")


@bp.route("/oai", methods=["GET", "POST"])
def oai() -> Response:
    """OAI-PMH 2.0: every verb over GET and POST; errors are 200 responses, as the protocol says."""
    params = request.form if request.method == "POST" else request.args
    store = current.store()
    repo = Repository(
        store=store,
        root=store.root,
        base_url=request.base_url,
        admin_email=current_app.config.get("OAI_ADMIN_EMAIL", DEFAULT_ADMIN_EMAIL),
        page_size=int(current_app.config.get("OAI_PAGE_SIZE", DEFAULT_PAGE_SIZE)),
    )
    body = respond(repo, list(params.items(multi=True)))
    return Response(_encoded(body), content_type="text/xml; charset=utf-8")


def _store_root() -> Path:
    root = current.store().root
    if root is None:
        abort(404, description="This graph is held in memory: it has no dumps.")
    return root


@bp.route("/dumps/")
def dump_list() -> str:
    """The dumps on offer, with their sizes and dates."""
    root = current.store().root
    files = dumps.available(root) if root is not None else []
    return render_template("dumps.html", files=files)


@bp.route("/dumps/<name>")
def dump_file(name: str) -> Response:
    """One dump file, with Content-Length, ETag, Last-Modified, HEAD and Range support."""
    path = dumps.dump_path(_store_root(), name)
    if path is None or not path.is_file():
        abort(404, description=f'There is no dump named "{name}"; see /dumps/ for the list.')
    response = send_file(
        path.resolve(),  # Flask would read a relative path against the app's own folder
        mimetype=dumps.media_type(name),
        conditional=True,
        etag=True,
        download_name=name,
        as_attachment=False,
    )
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.route("/.well-known/void")
def void_description() -> Response:
    """The VoID and schema:Dataset description: Turtle or JSON-LD by content negotiation."""
    offered = [void.TURTLE, void.JSON_LD]
    chosen = request.accept_mimetypes.best_match(offered, default=void.TURTLE)
    if request.args.get("format") in ("ttl", "jsonld"):
        chosen = void.TURTLE if request.args["format"] == "ttl" else void.JSON_LD
    body = void.description(current.store(), chosen)
    response = Response(body, content_type=f"{chosen}; charset=utf-8")
    response.vary.add("Accept")
    return response


@bp.route("/sitemap.xml")
@bp.route("/sitemap-<int:part>.xml")
def sitemap_xml(part: int | None = None) -> Response:
    """Every entity page with its lastmod; an index of parts past 50,000 pages."""
    store = current.store()
    per_part = int(current_app.config.get("SITEMAP_MAX_URLS", sitemap.MAX_URLS))
    pages = sitemap.page_count(store.root, per_part)
    if part is None and pages > 1:
        parts = [
            url_for("harvest.sitemap_xml", part=n, _external=True) for n in range(1, pages + 1)
        ]
        body = sitemap.index_xml(parts, sitemap.last_modified(store.root))
    elif part is None or 1 <= part <= pages:
        body = sitemap.urlset_xml(store.root, part or 1, store.base, request.url_root, per_part)
    else:
        abort(404, description=f"There is no sitemap part {part}; there are {pages}.")
    return Response(_encoded(body), content_type="application/xml; charset=utf-8")


@bp.route("/robots.txt")
def robots() -> Response:
    """Crawlers may read every page but not run queries; the sitemap lists the pages."""
    text = (
        "User-agent: *\nDisallow: /sparql\nDisallow: /api/\nDisallow: /search\n"
        f"Allow: /\n\nSitemap: {url_for('harvest.sitemap_xml', _external=True)}\n"
    )
    return Response(text, content_type="text/plain; charset=utf-8")
