"""User queries (the SPARQL endpoint and ``labourgraph query``): formats, limits, refusals.

The store runs a ``UserQuery`` and returns an ``Answer``: serialized bytes, ready to send,
that pyoxigraph wrote itself (rows never pass through Python one by one on the way out), plus
whether the answer was cut at the result limit. Everything here is plain Python; the store
does the pyoxigraph work (``GraphStore.run_user_query``).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from .store import GraphStore

DEFAULT_RESULT_LIMIT = 10_000


class ResultFormat(Enum):
    """A serialization the endpoint offers: (``format=`` key, media type, for SELECT/ASK?)."""

    JSON = ("json", "application/sparql-results+json", True)
    XML = ("xml", "application/sparql-results+xml", True)
    CSV = ("csv", "text/csv", True)
    TSV = ("tsv", "text/tab-separated-values", True)
    TURTLE = ("ttl", "text/turtle", False)
    JSON_LD = ("jsonld", "application/ld+json", False)
    N_TRIPLES = ("nt", "application/n-triples", False)
    RDF_XML = ("rdfxml", "application/rdf+xml", False)

    @property
    def key(self) -> str:
        """The value of the ``format`` parameter that asks for this format."""
        return self.value[0]

    @property
    def media_type(self) -> str:
        """The media type of this format."""
        return self.value[1]

    @property
    def tabular(self) -> bool:
        """True for SELECT/ASK result formats, False for RDF graph formats."""
        return self.value[2]


# Other names clients send for the same formats (Accept headers and ``format`` values).
FORMAT_ALIASES: dict[str, ResultFormat] = {
    "application/json": ResultFormat.JSON,
    "application/sparql-results+json": ResultFormat.JSON,
    "application/xml": ResultFormat.XML,
    "text/xml": ResultFormat.XML,
    "application/sparql-results+xml": ResultFormat.XML,
    "text/csv": ResultFormat.CSV,
    "text/tab-separated-values": ResultFormat.TSV,
    "text/turtle": ResultFormat.TURTLE,
    "application/x-turtle": ResultFormat.TURTLE,
    "turtle": ResultFormat.TURTLE,
    "n3": ResultFormat.TURTLE,  # Turtle is N3 without its extensions
    "text/n3": ResultFormat.TURTLE,
    "json-ld": ResultFormat.JSON_LD,
    "application/ld+json": ResultFormat.JSON_LD,
    "application/n-triples": ResultFormat.N_TRIPLES,
    "text/plain": ResultFormat.N_TRIPLES,
    "ntriples": ResultFormat.N_TRIPLES,
    "application/rdf+xml": ResultFormat.RDF_XML,
    "rdf": ResultFormat.RDF_XML,
    **{f.key: f for f in ResultFormat},
}


class QueryRefusedError(Exception):
    """A query this read-only endpoint will not run (an update, or SERVICE)."""


class QuerySyntaxError(Exception):
    """A query the SPARQL parser rejected; the message is the parser's."""


@dataclass(frozen=True)
class UserQuery:
    """A query as a user sent it, with the dataset and formats asked for."""

    text: str
    tabular_format: ResultFormat = ResultFormat.JSON
    graph_format: ResultFormat = ResultFormat.TURTLE
    limit: int = DEFAULT_RESULT_LIMIT
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """A serialized query answer; ``truncated`` when rows past ``limit`` were left out."""

    body: bytes
    format: ResultFormat
    truncated: bool = False
    limit: int = DEFAULT_RESULT_LIMIT
    form: str = field(default="SELECT")


_COMMENT_OR_TOKEN = re.compile(
    r'#[^\n]*|<[^<>"{}|^`\\\s]*>|"""(?:[^"\\]|\\.|"(?!""))*"""|'
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'"
)
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*|BASE\s*)<>\s*)*", re.IGNORECASE)
_UPDATE = re.compile(r"^(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)
_SERVICE = re.compile(r"(?<![?$\w:.-])SERVICE(?![\w:.-])", re.IGNORECASE)
# the words that could make a query refused: a query without any of them needs no closer look
_REFUSAL_WORDS = (
    "insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with", "service"
)  # fmt: skip


def check_allowed(text: str) -> None:
    """Raise ``QueryRefusedError`` for updates and SERVICE calls, which this endpoint never runs."""
    lowered = text.lower()
    if not any(word in lowered for word in _REFUSAL_WORDS):
        return  # the common case, in a microsecond or two
    # blank out comments, IRIs and strings, so words inside them cannot trigger a refusal
    bare = _COMMENT_OR_TOKEN.sub(lambda m: "<>" if m.group(0).startswith("<") else " ", text)
    body = _PROLOGUE.sub("", bare)
    if _UPDATE.match(body):
        raise QueryRefusedError(
            "SPARQL updates are not accepted: this endpoint is read-only. "
            "The graph changes only through `labourgraph ingest`."
        )
    if _SERVICE.search(bare):
        raise QueryRefusedError(
            "SERVICE is not allowed: this endpoint never fetches other endpoints on a user's "
            "behalf. Query the other endpoint yourself and join the results in your client."
        )


def format_named(name: str) -> ResultFormat:
    """The format a ``format`` parameter or media type names, or ValueError."""
    found = FORMAT_ALIASES.get(name.strip().lower())
    if found is None:
        offered = ", ".join(f.key for f in ResultFormat)
        raise ValueError(f'unknown result format "{name}"; expected one of {offered}')
    return found


def run_cli_query(store: GraphStore, text: str, fmt: str, limit: int | None = None) -> Answer:
    """Run a query for ``labourgraph query``: json, csv, tsv, or a text table."""
    check_allowed(text)
    tabular = ResultFormat.TSV if fmt == "table" else format_named(fmt)
    answer = store.run_user_query(
        UserQuery(text, tabular_format=tabular, limit=limit or DEFAULT_RESULT_LIMIT)
    )
    if fmt == "table" and answer.format is ResultFormat.TSV:
        return Answer(
            text_table(answer.body), answer.format, answer.truncated, answer.limit, answer.form
        )
    return answer


def text_table(tsv: bytes) -> bytes:
    """SPARQL TSV results as aligned columns for a terminal."""
    reader = csv.reader(io.StringIO(tsv.decode("utf-8")), delimiter="\t", quoting=csv.QUOTE_NONE)
    rows = list(reader)
    if not rows:
        return b""
    widths = [max(len(row[i]) if i < len(row) else 0 for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return ("\n".join(lines) + "\n").encode("utf-8")


def print_answer(answer: Answer, stream: IO[str]) -> None:
    """Write an answer for a person at a terminal, saying when it was cut at the limit."""
    stream.write(answer.body.decode("utf-8"))
    if not answer.body.endswith(b"\n"):
        stream.write("\n")
    if answer.truncated:
        stream.write(f"(only the first {answer.limit} results are shown: the result limit)\n")


EXAMPLES = Path(__file__).resolve().parent.parent / "sparql" / "examples"


@dataclass(frozen=True)
class Example:
    """An example query: its file name, its title (the first comment line) and its text."""

    name: str
    title: str
    text: str


def example_queries(folder: Path = EXAMPLES) -> list[Example]:
    """The example queries of ``sparql/examples``, in file-name order."""
    examples = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = next((line for line in text.splitlines() if line.startswith("#")), path.stem)
        examples.append(Example(path.stem, first.lstrip("# ").strip(), text))
    return examples
