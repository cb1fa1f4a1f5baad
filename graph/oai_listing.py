"""OAI-PMH lists read page by page from the change log, with stateless resumption tokens.

A page is ``page_size`` rows of (identifier, datestamp, deleted) fetched with keyset paging
on (datestamp, identifier); the records of a page are made one at a time as they are written.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from xml.sax.saxutils import escape

from .harvest_index import set_name

DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OAIError(Exception):
    """An OAI-PMH error: its code and a message a harvester's operator can act on."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ListRequest:
    """A list request and how far it has got: what a resumption token carries."""

    verb: str
    ingest: int = 0
    prefix: str | None = None
    start: str | None = None
    end: str | None = None
    set_spec: str | None = None
    after: tuple[str, str] | None = None  # sort key of the last row already sent
    cursor: int = 0


def encode_token(request: ListRequest) -> str:
    """A resumption token for ``request``."""
    text = json.dumps(asdict(request), separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def decode_token(token: str, verb: str, ingest: int) -> ListRequest:
    """The request a token continues; badResumptionToken if it is unknown, foreign or stale."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        after = data.pop("after")
        request = ListRequest(**data, after=tuple(after) if after else None)
        _check_token_types(request)
    except (ValueError, TypeError, KeyError, AttributeError, binascii.Error):
        raise OAIError(
            "badResumptionToken", f'the resumptionToken "{token}" is not one this repository issued'
        ) from None
    if request.verb != verb:
        raise OAIError(
            "badResumptionToken", f"this resumptionToken continues {request.verb}, not {verb}"
        )
    if request.ingest != ingest:
        raise OAIError(
            "badResumptionToken",
            "this resumptionToken has expired: the repository changed since the list "
            "was started; start the harvest again without it",
        )
    return request


def _check_token_types(request: ListRequest) -> None:
    texts = (request.verb, request.prefix, request.start, request.end, request.set_spec)
    if not all(t is None or isinstance(t, str) for t in texts) or not isinstance(request.verb, str):
        raise TypeError("token field is not text")
    if not isinstance(request.ingest, int) or not isinstance(request.cursor, int):
        raise TypeError("token counter is not a number")
    if request.after is not None and (
        len(request.after) != 2 or not all(isinstance(a, str) for a in request.after)
    ):
        raise TypeError("token position is not two texts")


def parse_dates(start: str | None, end: str | None) -> tuple[str | None, str | None]:
    """``from`` and ``until`` as inclusive datestamps; badArgument if malformed or inverted."""
    bounds = []
    for name, value, day_time in (("from", start, "T00:00:00Z"), ("until", end, "T23:59:59Z")):
        if value is None:
            bounds.append(None)
            continue
        if DAY.match(value):
            value_full = value + day_time
        elif SECOND.match(value):
            value_full = value
        else:
            raise OAIError(
                "badArgument",
                f'{name} "{value}" is not a UTC date; expected YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ',
            )
        try:
            datetime.strptime(value_full, "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            raise OAIError("badArgument", f'{name} "{value}" is not a real date') from None
        bounds.append(value_full)
    if start and end and len(start) != len(end):
        raise OAIError(
            "badArgument",
            f'from "{start}" and until "{end}" have different '
            "granularities; give both as days or both as seconds",
        )
    if bounds[0] and bounds[1] and bounds[0] > bounds[1]:
        raise OAIError("badArgument", f'from "{start}" is later than until "{end}"')
    return bounds[0], bounds[1]


class Listing:
    """One page of a list: checked and fetched when made, written lazily."""

    def __init__(self, db: sqlite3.Connection, request: ListRequest, page_size: int) -> None:
        self.db = db
        self.request = request
        self.page_size = page_size
        self.rows: list[tuple[str, str, int]] = []
        if request.verb in ("ListIdentifiers", "ListRecords", "ListSets"):
            self._fetch()

    def _fetch(self) -> None:
        has_sets = self.db.execute("SELECT 1 FROM sets LIMIT 1").fetchone() is not None
        if self.request.verb == "ListSets":
            if not has_sets:
                raise OAIError("noSetHierarchy", "this repository has no sets yet")
            self.rows = [
                (s, n, 0)
                for s, n in self.db.execute(
                    "SELECT set_spec, name FROM sets WHERE set_spec > ? ORDER BY set_spec LIMIT ?",
                    ((self.request.after or ("", ""))[0], self.page_size + 1),
                )
            ]
            return
        if self.request.set_spec is not None and not has_sets:
            raise OAIError("noSetHierarchy", "this repository has no sets yet")
        where, values = self._where()
        after = self.request.after or ("", "")
        self.rows = list(
            self.db.execute(
                f"SELECT iri, datestamp, deleted FROM items i WHERE {where} "
                "AND (datestamp, iri) > (?, ?) ORDER BY datestamp, iri LIMIT ?",
                (*values, *after, self.page_size + 1),
            )
        )
        if not self.rows and self.request.cursor == 0:
            raise OAIError(
                "noRecordsMatch",
                "no items match these from, until, set and metadataPrefix arguments",
            )

    def _where(self) -> tuple[str, list[object]]:
        r = self.request
        clauses, values = ["1"], []
        if r.start:
            clauses.append("datestamp >= ?")
            values.append(r.start)
        if r.end:
            clauses.append("datestamp <= ?")
            values.append(r.end)
        if r.set_spec is not None:
            clauses.append(
                "EXISTS (SELECT 1 FROM item_sets s WHERE s.iri = i.iri AND "
                "(s.set_spec = ? OR substr(s.set_spec, 1, ?) = ?))"
            )
            values += [r.set_spec, len(r.set_spec) + 1, r.set_spec + ":"]
        if r.prefix not in (None, "oai_dc", "rdf"):
            clauses.append(
                "EXISTS (SELECT 1 FROM item_formats f WHERE f.iri = i.iri AND f.prefix = ?)"
            )
            values.append(r.prefix)
        return " AND ".join(clauses), values

    def _count(self) -> int:
        if self.request.verb == "ListSets":
            return int(self.db.execute("SELECT COUNT(*) FROM sets").fetchone()[0])
        where, values = self._where()
        return int(
            self.db.execute(f"SELECT COUNT(*) FROM items i WHERE {where}", values).fetchone()[0]
        )

    def _token(self) -> str:
        r = self.request
        more = len(self.rows) > self.page_size
        if not more and r.cursor == 0:
            return ""
        attributes = f' completeListSize="{self._count()}" cursor="{r.cursor}"'
        if not more:
            return f"<resumptionToken{attributes}/>"
        last = self.rows[self.page_size - 1]
        following = replace(
            r,
            after=(last[0], "") if r.verb == "ListSets" else (last[1], last[0]),
            cursor=r.cursor + self.page_size,
        )
        return f"<resumptionToken{attributes}>{encode_token(following)}</resumptionToken>"

    def sets_xml(self) -> Iterator[str]:
        """The ListSets answer."""
        yield "<ListSets>"
        for spec, name, _ in self.rows[: self.page_size]:
            name = name or set_name(spec, {})
            yield f"<set><setSpec>{escape(spec)}</setSpec><setName>{escape(name)}</setName></set>"
        yield self._token() + "</ListSets>"

    def items_xml(self, metadata: Callable[[str], str], with_metadata: bool) -> Iterator[str]:
        """The ListIdentifiers or ListRecords answer, one record at a time."""
        yield f"<{self.request.verb}>"
        for iri, stamp, deleted in self.rows[: self.page_size]:
            yield self._record(iri, stamp, bool(deleted), metadata, with_metadata)
        yield self._token() + f"</{self.request.verb}>"

    def record_xml(self, iri: str, metadata: Callable[[str], str], with_metadata: bool) -> str:
        """One item's record (header and metadata, or the header alone if deleted)."""
        stamp, deleted = self.db.execute(
            "SELECT datestamp, deleted FROM items WHERE iri = ?", (iri,)
        ).fetchone()
        return self._record(iri, stamp, bool(deleted), metadata, with_metadata)

    def _record(
        self,
        iri: str,
        stamp: str,
        deleted: bool,
        metadata: Callable[[str], str],
        with_metadata: bool,
    ) -> str:
        specs = "".join(
            f"<setSpec>{escape(s)}</setSpec>"
            for (s,) in self.db.execute(
                "SELECT set_spec FROM item_sets WHERE iri = ? ORDER BY set_spec", (iri,)
            )
        )
        status = ' status="deleted"' if deleted else ""
        header = (
            f"<header{status}><identifier>{escape(iri)}</identifier>"
            f"<datestamp>{stamp}</datestamp>{specs}</header>"
        )
        if not with_metadata:
            return header
        if deleted:
            return f"<record>{header}</record>"
        return f"<record>{header}<metadata>{metadata(iri)}</metadata></record>"
