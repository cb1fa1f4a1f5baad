"""Entity pages, the home page, browse lists and the published ontology (issue: Entity pages).

Every entity IRI ``{base}id/{kind}/{key}`` is served here under the path ``/id/{kind}/{key}``
whatever host the app is reached at: HTML or RDF by ``Accept`` (200 with ``Vary: Accept``
and a ``Content-Location`` naming the document), or one format by a document URL
``/id/{kind}/{key}.ttl|.jsonld|.nt|.rdf``. Responses carry an ETag (store generation, IRI,
format, query string) and Last-Modified, and conditional requests get 304 before any query runs.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from labourgraph.graph import browse, entities, ontology_terms, overview, queries
from labourgraph.graph.documents import describe_as, embedded_jsonld
from labourgraph.graph.entity_rows import page_path
from labourgraph.graph.iris import Kind, mint, parse

from . import current, search
from .negotiation import ALL_FORMATS, Format, NoAcceptableFormatError, choose

bp = Blueprint("entity_pages", __name__)

HOME_QUESTIONS = ("browse_question_members", "browse_question_uncertain", "browse_question_sources")
BROWSABLE = tuple(k for k in Kind if k not in (Kind.ROLE, Kind.RECORD))


@bp.get("/")
def home() -> str:
    """The home page: what is in the graph, a search box and example questions."""
    ours = [(n, queries.load(n)) for n in HOME_QUESTIONS]
    examples = [(_question(text, name), text) for name, text in ours + queries.examples()[:5]]
    return render_template(
        "home.html",
        overview=overview.load(current.store()),
        examples=examples,
        browsable={k.value for k in BROWSABLE},
    )


def _question(text: str, name: str) -> str:
    """The first comment line of an example query, or its file name."""
    for line in text.splitlines():
        if line.startswith("#") and line.strip("# "):
            return line.strip("# ").strip()
    return name.replace("_", " ")


@bp.app_template_global()
def entity_path(kind: str, key: str) -> str:
    """The path of an entity page, as ``url_for`` builds it, without its cost per link.

    A page of relations links two entities per row; werkzeug's URL builder took a tenth of an
    organisation page. Segments are quoted as werkzeug quotes a path segment.
    """
    return f"{request.script_root}/{page_path(kind, key)}"


@bp.get("/id/<kind>/<key>")
def entity(kind: str, key: str) -> Response:
    """An entity page, or its RDF document, by Accept header or document extension."""
    store = current.store()
    key, fmt = _split_extension(key)
    iri = _entity_iri(kind, key)
    fmt = fmt or _negotiate()
    etag = _etag(store.generation, iri, fmt)
    if request.if_none_match.contains(etag):
        return _not_modified(etag, fmt)
    if fmt is Format.HTML:
        found = entities.describe(store, iri, _focus(), labels=search.link_labels())
        if found is None:
            return _missing(iri, "")
        jsonld = embedded_jsonld(store, iri, found.document)
        body = render_template("entity.html", entity=found, formats=ALL_FORMATS[1:], jsonld=jsonld)
        modified = found.last_modified
    else:
        own, modified = entities.own_statements(store, iri)
        if not own:
            return _missing(iri, "." + fmt.extension)
        body = describe_as(store, iri, fmt.document, own)  # type: ignore[arg-type]
    return _respond(body, fmt, etag, modified, kind, key)


def _split_extension(key: str) -> tuple[str, Format | None]:
    stem, dot, extension = key.rpartition(".")
    fmt = Format.from_extension(extension) if dot else None
    return (stem, fmt) if fmt is not None and fmt is not Format.HTML else (key, None)


def _entity_iri(kind: str, key: str) -> str:
    base = current.store().base
    try:
        return mint(base, Kind(kind), key)
    except ValueError:
        kinds = ", ".join(k.value for k in Kind)
        abort(
            404,
            f'No entity <{base}id/{kind}/{key}> in this graph: "{kind}" is not a kind of '
            f'entity (expected one of {kinds}) or "{key}" is not a valid key.',
        )


def _negotiate(offered: tuple[Format, ...] = ALL_FORMATS) -> Format:
    try:
        return choose(request.headers.get("Accept"), offered)
    except NoAcceptableFormatError as exc:
        abort(406, str(exc))


def _focus() -> entities.GroupRequest | None:
    direction, prop = request.args.get("dir", ""), request.args.get("property", "")
    if direction not in ("in", "out") or not prop:
        return None
    return entities.GroupRequest(direction, prop, request.args.get("page", 1, type=int) or 1)


def _etag(generation: int, iri: str, fmt: Format) -> str:
    digest = hashlib.sha1(
        f"{iri}\n{fmt.name}\n{request.query_string.decode()}".encode()
    ).hexdigest()
    return f"g{generation}-{digest[:20]}"


def _not_modified(etag: str, fmt: Format) -> Response:
    response = Response(status=304)
    response.set_etag(etag)
    response.headers["Vary"] = "Accept"
    return response


def _missing(iri: str, extension: str) -> Response:
    moved = entities.survivor(current.store(), iri)
    if moved:
        kind, key = parse(current.store().base, moved)
        return redirect(url_for(".entity", kind=kind.value, key=key + extension), 301)  # type: ignore[return-value]
    abort(404, f"No entity <{iri}> in this graph.")


def _respond(
    body: str | bytes, fmt: Format, etag: str, modified: object, kind: str, key: str
) -> Response:
    mimetype = fmt.media_type + ("; charset=utf-8" if fmt in (Format.HTML, Format.TURTLE) else "")
    response = Response(body, content_type=mimetype)
    response.set_etag(etag)
    response.last_modified = modified  # type: ignore[assignment]
    response.headers["Vary"] = "Accept"
    response.headers["Content-Location"] = entity_path(kind, f"{key}.{fmt.extension}")
    response.headers["Link"] = ", ".join(
        f'<{entity_path(kind, f"{key}.{f.extension}")}>; rel="alternate"; type="{f.media_type}"'
        for f in ALL_FORMATS
        if f is not fmt
    )
    response.cache_control.public = True
    response.cache_control.max_age = 60
    return response.make_conditional(request)


@bp.get("/browse/<kind>")
def browse_kind(kind: str) -> str:
    """A list of the entities of one kind, narrowed by facets kept in the URL."""
    try:
        chosen = Kind(kind)
    except ValueError:
        abort(
            404,
            f'No browse list for "{kind}"; expected one of '
            f"{', '.join(k.value for k in BROWSABLE)}.",
        )
    try:
        facets = browse.Facets.from_query(request.args, current.store().base)
    except browse.FacetError as exc:
        abort(400, str(exc))
    listing = browse.list_entities(current.store(), chosen, facets)
    return render_template(
        "browse.html", listing=listing, kinds=BROWSABLE, choices=overview.load(current.store())
    )


@bp.get("/ontology")
def ontology() -> Response:
    """The labourgraph vocabulary: a section per term in HTML, or Turtle by Accept."""
    if _negotiate((Format.HTML, Format.TURTLE)) is Format.TURTLE:
        return ontology_turtle()
    response = Response(render_template("ontology.html", ontology=ontology_terms.load()))
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/ontology.ttl")
def ontology_turtle() -> Response:
    """The labourgraph vocabulary as the Turtle file in the repository."""
    response = Response(ontology_terms.turtle(), content_type="text/turtle; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response
