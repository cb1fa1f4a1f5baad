"""Search for people (/search) and for machines and the autocomplete (/api/search)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request
from labourgraph.graph.iris import Kind
from labourgraph.graph.link_labels import LabelTable, table_usable
from labourgraph.graph.search_entries import SEARCHED_KINDS
from labourgraph.graph.search_index import Filters, Hit
from labourgraph.graph.search_upkeep import IndexReader, MissingSearchIndexError, index_path

from . import current

bp = Blueprint("search", __name__)

READER = "labourgraph.search"
MAX_QUERY = 200
PAGE_SIZE = 30
API_LIMIT, API_MAX = 10, 50
KIND_NAMES = sorted(k.value for k in SEARCHED_KINDS)


@dataclass(frozen=True)
class Result:
    """One hit as a page shows it: the entity's path on this site, not its canonical IRI."""

    hit: Hit
    path: str

    @property
    def years(self) -> str:
        """The years the entity's dates span, as a reader scans them."""
        start, end = self.hit.start_year, self.hit.end_year
        if start is None:
            return ""
        return str(start) if end in (None, start) else f"{start}\u2013{end}"


def _reader() -> IndexReader:
    # one reader per app (it holds the open index); app.extensions, never a module global
    extensions = current_app.extensions
    if READER not in extensions:
        extensions[READER] = IndexReader(current.store())
    return extensions[READER]  # type: ignore[no-any-return]


def link_labels() -> LabelTable | None:
    """The search index's link labels for entity pages, when this store keeps them on disk."""
    store = current.store()
    if not table_usable(store) or index_path(store) is None:
        return None  # an in-memory store's index would be built just for them: ask the store
    try:
        return _reader().index().labels()
    except MissingSearchIndexError:
        return None


def _year(name: str) -> int | None:
    text = request.args.get(name, "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        abort(400, description=f'{name}="{text}" is not a year; expected a year such as 1917.')


def _filters() -> Filters:
    kind_text = request.args.get("kind", "").strip()
    if kind_text and kind_text not in KIND_NAMES:
        abort(
            400,
            description=f'kind="{kind_text}" is not a kind of entity; expected one of: '
            f"{', '.join(KIND_NAMES)}.",
        )
    return Filters(Kind(kind_text) if kind_text else None, _year("from"), _year("to"))


def _search(limit: int) -> list[Result]:
    query = request.args.get("q", "")[:MAX_QUERY]
    filters = _filters()
    try:
        hits = _reader().index().search(query, filters, limit)
    except MissingSearchIndexError as exc:
        abort(503, description=str(exc))
    base = current.store().base
    return [Result(h, "/" + h.iri[len(base) :] if h.iri.startswith(base) else h.iri) for h in hits]


@bp.get("/search")
def search_page() -> str:
    """The search page: a form, filters by kind and years, and the results."""
    args = request.args
    results = _search(PAGE_SIZE) if args.get("q", "").strip() else []
    return render_template(
        "search.html",
        q=args.get("q", "")[:MAX_QUERY],
        kind=args.get("kind", ""),
        year_from=args.get("from", ""),
        year_to=args.get("to", ""),
        kinds=KIND_NAMES,
        results=results,
    )


@bp.get("/api/search")
def api_search() -> Response:
    """Results as JSON, best first: ``{"results": [{"iri", "label", "kind", "description"}]}``."""
    limit = request.args.get("limit", type=int) or API_LIMIT
    results = _search(max(1, min(limit, API_MAX)))
    response = jsonify(
        results=[
            {
                "iri": r.hit.iri,
                "label": r.hit.label,
                "kind": r.hit.kind.value,
                "description": r.hit.description,
                "url": r.path,
            }
            for r in results
        ]
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
