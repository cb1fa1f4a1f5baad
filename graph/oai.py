"""The OAI-PMH 2.0 repository: the six verbs, their arguments and errors, as streamed XML.

``respond(repo, params)`` checks the request and answers every error before the first byte is
written, then returns an iterator of XML text: lists are read page by page from the change
log (``graph/changes.py``) and each record is made when it is written, so memory stays flat
however big the repository. Items are identified by their entity IRI. Resumption tokens are
stateless (the request and the position, base64url-encoded JSON) and name the ingest they
started under: after a newer ingest they are refused with ``badResumptionToken``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from . import oai_formats
from .changes import last_change, read_log
from .oai_listing import Listing, ListRequest, OAIError, decode_token, parse_dates
from .store import GraphStore

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"

# verb -> (required arguments, optional arguments); resumptionToken is exclusive
VERBS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset({"resumptionToken"})),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
    "ListIdentifiers": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set", "resumptionToken"}),
    ),
    "ListRecords": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set", "resumptionToken"}),
    ),
}


@dataclass(frozen=True)
class Repository:
    """What one request needs: the store, its directory, where it is served, and page size."""

    store: GraphStore
    root: Path
    base_url: str
    admin_email: str = "oai@labourgraph.example.org"
    name: str = "labourgraph"
    page_size: int = 100


def respond(
    repo: Repository, params: Sequence[tuple[str, str]], now: datetime | None = None
) -> Iterator[str]:
    """The whole OAI-PMH response to ``params`` (every pair of the query or form), as text."""
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        verb, args = check_arguments(params)
    except OAIError as error:
        return _envelope(repo, stamp, {}, _errors([error]))
    try:
        body = _verb_body(repo, verb, args)
    except OAIError as error:
        # the protocol forbids echoing the arguments of a malformed request
        echo = {} if error.code in ("badVerb", "badArgument") else {"verb": verb, **args}
        return _envelope(repo, stamp, echo, _errors([error]))
    return _envelope(repo, stamp, {"verb": verb, **args}, body)


def check_arguments(params: Sequence[tuple[str, str]]) -> tuple[str, dict[str, str]]:
    """The verb and its arguments; badVerb or badArgument if the request is not well formed."""
    verbs = [v for k, v in params if k == "verb"]
    if not verbs:
        raise OAIError("badVerb", "the request has no verb; expected one of " + ", ".join(VERBS))
    if len(verbs) > 1:
        raise OAIError("badVerb", "the verb argument is repeated; give exactly one verb")
    verb = verbs[0]
    if verb not in VERBS:
        raise OAIError(
            "badVerb", f'"{verb}" is not an OAI-PMH verb; expected one of ' + ", ".join(VERBS)
        )
    required, optional = VERBS[verb]
    args: dict[str, str] = {}
    for key, value in params:
        if key == "verb":
            continue
        if key not in required | optional:
            raise OAIError("badArgument", f'"{key}" is not an argument of {verb}')
        if key in args:
            raise OAIError("badArgument", f'the argument "{key}" is repeated; give it once')
        args[key] = value
    if "resumptionToken" in args:
        if len(args) > 1:
            raise OAIError(
                "badArgument",
                "resumptionToken is an exclusive argument; send it alone with the verb",
            )
        return verb, args
    missing = sorted(required - args.keys())
    if missing:
        raise OAIError("badArgument", f"{verb} requires the argument {', '.join(missing)}")
    return verb, args


def _verb_body(repo: Repository, verb: str, args: dict[str, str]) -> Iterator[str]:
    db = read_log(repo.root)
    try:
        body = _dispatch(repo, db, verb, args)
    except Exception:
        db.close()
        raise
    return _closing(body, db)


def _closing(body: Iterator[str], db: sqlite3.Connection) -> Iterator[str]:
    try:
        yield from body
    finally:
        db.close()


def _dispatch(
    repo: Repository, db: sqlite3.Connection, verb: str, args: dict[str, str]
) -> Iterator[str]:
    if verb == "Identify":
        return iter([identify(repo, db)])
    if verb == "ListMetadataFormats":
        return iter([list_metadata_formats(db, args.get("identifier"))])
    if verb == "GetRecord":
        return iter([get_record(repo, db, args["identifier"], args["metadataPrefix"])])
    if verb == "ListSets":
        listing = Listing(db, _list_request(db, verb, args), repo.page_size)
        return listing.sets_xml()
    listing = Listing(db, _list_request(db, verb, args), repo.page_size)
    return listing.items_xml(
        lambda iri: metadata(repo, db, iri, listing.request.prefix),
        with_metadata=verb == "ListRecords",
    )


def _list_request(db: sqlite3.Connection, verb: str, args: dict[str, str]) -> ListRequest:
    state = last_change(db)
    ingest = state[0] if state else 0
    if "resumptionToken" in args:
        return decode_token(args["resumptionToken"], verb, ingest)
    if verb == "ListSets":
        return ListRequest(verb=verb, ingest=ingest)
    prefix = args["metadataPrefix"]
    if prefix not in oai_formats.FORMATS:
        raise OAIError(
            "cannotDisseminateFormat",
            f'metadataPrefix "{prefix}" is not offered; '
            "expected one of " + ", ".join(oai_formats.FORMATS),
        )
    start, end = parse_dates(args.get("from"), args.get("until"))
    return ListRequest(
        verb=verb, ingest=ingest, prefix=prefix, start=start, end=end, set_spec=args.get("set")
    )


def identify(repo: Repository, db: sqlite3.Connection) -> str:
    """The Identify answer."""
    row = db.execute("SELECT MIN(datestamp) FROM items").fetchone()
    first = db.execute("SELECT MIN(finished) FROM ingests").fetchone()
    earliest = (row and row[0]) or (first and first[0]) or "1970-01-01T00:00:00Z"
    return (
        "<Identify>"
        f"<repositoryName>{escape(repo.name)}</repositoryName>"
        f"<baseURL>{escape(repo.base_url)}</baseURL>"
        "<protocolVersion>2.0</protocolVersion>"
        f"<adminEmail>{escape(repo.admin_email)}</adminEmail>"
        f"<earliestDatestamp>{earliest}</earliestDatestamp>"
        "<deletedRecord>persistent</deletedRecord>"
        f"<granularity>{GRANULARITY}</granularity>"
        "</Identify>"
    )


def item_formats(db: sqlite3.Connection, iri: str) -> list[oai_formats.MetadataFormat] | None:
    """The formats an item is disseminated in ([] when deleted), or None if it is unknown."""
    row = db.execute("SELECT deleted FROM items WHERE iri = ?", (iri,)).fetchone()
    if row is None:
        return None
    if row[0]:
        return []
    extra = [
        p
        for (p,) in db.execute(
            "SELECT prefix FROM item_formats WHERE iri = ? ORDER BY prefix", (iri,)
        )
    ]
    return [*oai_formats.EVERY_ITEM, *(oai_formats.FORMATS[p] for p in extra)]


def list_metadata_formats(db: sqlite3.Connection, identifier: str | None) -> str:
    """The ListMetadataFormats answer, for the repository or one item."""
    if identifier is None:
        extra = [
            p for (p,) in db.execute("SELECT DISTINCT prefix FROM item_formats ORDER BY prefix")
        ]
        formats = [*oai_formats.EVERY_ITEM, *(oai_formats.FORMATS[p] for p in extra)]
    else:
        found = item_formats(db, identifier)
        if found is None:
            raise OAIError(
                "idDoesNotExist", f'"{identifier}" is not the identifier of an item here'
            )
        if not found:
            raise OAIError(
                "noMetadataFormats",
                f'the item "{identifier}" has been deleted; '
                "no metadata formats are available for it",
            )
        formats = found
    return (
        "<ListMetadataFormats>"
        + "".join(
            f"<metadataFormat><metadataPrefix>{f.prefix}</metadataPrefix><schema>{f.schema}</schema>"
            f"<metadataNamespace>{f.namespace}</metadataNamespace></metadataFormat>"
            for f in formats
        )
        + "</ListMetadataFormats>"
    )


def get_record(repo: Repository, db: sqlite3.Connection, identifier: str, prefix: str) -> str:
    """The GetRecord answer."""
    if prefix not in oai_formats.FORMATS:
        raise OAIError(
            "cannotDisseminateFormat",
            f'metadataPrefix "{prefix}" is not offered; '
            "expected one of " + ", ".join(oai_formats.FORMATS),
        )
    found = item_formats(db, identifier)
    if found is None:
        raise OAIError("idDoesNotExist", f'"{identifier}" is not the identifier of an item here')
    deleted = not found
    if not deleted and prefix not in {f.prefix for f in found}:
        raise OAIError(
            "cannotDisseminateFormat",
            f'the item "{identifier}" is not available as '
            f'"{prefix}"; ask ListMetadataFormats for its formats',
        )
    listing = Listing(db, ListRequest(verb="GetRecord", prefix=prefix), repo.page_size)
    record = listing.record_xml(identifier, lambda iri: metadata(repo, db, iri, prefix), True)
    return f"<GetRecord>{record}</GetRecord>"


def metadata(repo: Repository, db: sqlite3.Connection, iri: str, prefix: str) -> str:
    """An item's metadata in one format (the caller knows the item has it)."""
    if prefix == "oai_dc":
        return oai_formats.dc_metadata(repo.store, iri)
    if prefix == "rdf":
        return oai_formats.rdf_metadata(repo.store, iri)
    row = db.execute(
        "SELECT record FROM item_formats WHERE iri = ? AND prefix = ?", (iri, prefix)
    ).fetchone()
    return oai_formats.original_record(repo.root, repo.store.base, row[0])


def _errors(errors: list[OAIError]) -> Iterator[str]:
    for error in errors:
        yield f"<error code={quoteattr(error.code)}>{escape(error.message)}</error>"


def _envelope(
    repo: Repository, stamp: str, request: dict[str, str], body: Iterator[str]
) -> Iterator[str]:
    attributes = "".join(f" {k}={quoteattr(v)}" for k, v in request.items())
    yield (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<OAI-PMH xmlns="{OAI_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{OAI_NS} {OAI_SCHEMA}">'
        f"<responseDate>{stamp}</responseDate>"
        f"<request{attributes}>{escape(repo.base_url)}</request>"
    )
    yield from body
    yield "</OAI-PMH>\n"
