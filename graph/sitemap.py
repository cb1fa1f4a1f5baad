"""The sitemap of every entity page, with ``lastmod`` from the change log, streamed in parts.

A sitemap holds at most 50,000 URLs; past that ``/sitemap.xml`` is an index of parts.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from .changes import last_change_time, read_log

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000
_BATCH = 1000


def page_count(root: Path | None, per_part: int = MAX_URLS) -> int:
    """How many sitemap parts the live entity pages need (at least one)."""
    db = read_log(root)
    try:
        count = int(db.execute("SELECT COUNT(*) FROM items WHERE deleted = 0").fetchone()[0])
    finally:
        db.close()
    return max(1, -(-count // per_part))


def last_modified(root: Path | None) -> str | None:
    """The datestamp of the newest ingest, or None before the first."""
    return last_change_time(root)


def urlset_xml(
    root: Path | None, part: int, base: str, site: str, per_part: int = MAX_URLS
) -> Iterator[str]:
    """One sitemap part: entity IRIs under ``base`` rewritten to ``site``, with lastmod."""
    db = read_log(root)
    try:
        yield f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n'
        rows = db.execute(
            "SELECT iri, datestamp FROM items WHERE deleted = 0 ORDER BY iri LIMIT ? OFFSET ?",
            (per_part, (part - 1) * per_part),
        )
        while batch := rows.fetchmany(_BATCH):
            yield "".join(
                f"<url><loc>{escape(_page(iri, base, site))}</loc>"
                f"<lastmod>{stamp}</lastmod></url>\n"
                for iri, stamp in batch
            )
        yield "</urlset>\n"
    finally:
        db.close()


def index_xml(parts: list[str], lastmod: str | None) -> Iterator[str]:
    """A sitemap index naming every part."""
    modified = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n'
    for url in parts:
        yield f"<sitemap><loc>{escape(url)}</loc>{modified}</sitemap>\n"
    yield "</sitemapindex>\n"


def _page(iri: str, base: str, site: str) -> str:
    # the page of an entity is its IRI's path on whatever site serves it
    return site + iri[len(base) :] if iri.startswith(base) else iri
