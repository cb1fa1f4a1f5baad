"""Reading what a remote SPARQL endpoint answers: SPARQL JSON bindings, N-Triples, TSV rows.

Only ``graph/store.py`` may import pyoxigraph, so the remote store reads answers itself; these
formats are line- or object-shaped and a regular expression per term reads them fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from .rdf import IRI, XSD, XSD_STRING, BNode, Lit, Term, Triple

_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
# One term in N-Triples / SPARQL TSV syntax; numbers and booleans are TSV's Turtle shorthands.
_TERM = (
    r"<(?P<iri{n}>[^>]*)>"
    r"|_:(?P<bnode{n}>[^\s]+)"
    r'|"(?P<lex{n}>(?:[^"\\]|\\.)*)"(?:@(?P<lang{n}>[A-Za-z0-9-]+)|\^\^<(?P<dt{n}>[^>]*)>)?'
    r'|(?P<bare{n}>[^\s<"_][^\s]*)'
)
_TRIPLE = re.compile(
    r"\s*(?:"
    + _TERM.format(n=0)
    + r")\s+(?:"
    + _TERM.format(n=1)
    + r")\s+(?:"
    + _TERM.format(n=2)
    + r")\s*\.\s*$"
)
_VERBATIM = (b"<", b'"', b"_")  # TSV cells that are N-Quads terms as they stand
_LINES_PER_WRITE = 10_000
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")
_DOUBLE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$")


class AnswerError(ValueError):
    """An answer from the remote store that is not what the protocol promises."""


def unescape(text: str) -> str:
    """A string with its N-Triples/Turtle escapes (``\\n``, ``\\u00e9``...) decoded."""
    if "\\" not in text:
        return text

    def decode(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        if code:
            return chr(int(code, 16))
        return _ESCAPES.get(match.group(3), "\\" + match.group(3))

    return _ESCAPE.sub(decode, text)


def term_from_json(value: Mapping[str, Any]) -> Term:
    """A term from one SPARQL 1.1 JSON results binding."""
    kind = value.get("type")
    if kind == "uri":
        return IRI(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in ("literal", "typed-literal"):
        lang = value.get("xml:lang")
        if lang:
            return Lit(value["value"], lang=lang)
        return Lit(value["value"], datatype=value.get("datatype") or XSD_STRING)
    raise AnswerError(
        f"SPARQL JSON binding {dict(value)!r} has type {kind!r}; expected uri, bnode or literal"
    )


def rows_from_json(answer: Mapping[str, Any]) -> list[dict[str, Term]]:
    """The rows of a SPARQL 1.1 JSON SELECT answer, unbound variables left out."""
    try:
        bindings = answer["results"]["bindings"]
    except (KeyError, TypeError):
        raise AnswerError(
            "the SPARQL JSON answer has no results.bindings; expected a SELECT answer"
        ) from None
    return [{name: term_from_json(value) for name, value in row.items()} for row in bindings]


def _term(match: re.Match[str], n: int) -> Term:
    groups = match.groupdict()
    if groups[f"iri{n}"] is not None:
        return IRI(unescape(groups[f"iri{n}"]))
    if groups[f"bnode{n}"] is not None:
        return BNode(groups[f"bnode{n}"])
    if groups[f"lex{n}"] is not None:
        lexical = unescape(groups[f"lex{n}"])
        if groups[f"lang{n}"]:
            return Lit(lexical, lang=groups[f"lang{n}"])
        return Lit(lexical, datatype=groups[f"dt{n}"] or XSD_STRING)
    return shorthand(groups[f"bare{n}"])


def shorthand(text: str) -> Lit:
    """A Turtle number or boolean shorthand (as SPARQL TSV may write them) as a typed literal."""
    if text in ("true", "false"):
        return Lit(text, datatype=XSD + "boolean")
    for pattern, datatype in ((_INTEGER, "integer"), (_DECIMAL, "decimal"), (_DOUBLE, "double")):
        if pattern.match(text):
            return Lit(text, datatype=XSD + datatype)
    raise AnswerError(
        f"{text!r} is not an RDF term; expected <iri>, _:label, a quoted literal or a number"
    )


def triples_from_ntriples(text: str) -> list[Triple]:
    """The triples of an N-Triples document."""
    triples: list[Triple] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _TRIPLE.match(line)
        if match is None:
            raise AnswerError(f"N-Triples line {number} is not a triple: {line[:200]!r}")
        triples.append((_term(match, 0), _term(match, 1), _term(match, 2)))  # type: ignore[arg-type]
    return triples


def quads_from_tsv(stream: IO[bytes]) -> Iterator[list[bytes]]:
    """Rows ``?s ?p ?o ?g`` of a SPARQL TSV answer as N-Quads terms, read line by line.

    Answers may hold the whole dataset, so the common cells (IRIs, quoted literals, blank nodes:
    already N-Quads syntax) pass through as bytes; only Turtle shorthands are rewritten.
    """
    header = stream.readline().decode("utf-8").rstrip("\r\n").split("\t")
    if [h.lstrip("?$") for h in header] != ["s", "p", "o", "g"]:
        raise AnswerError(f"the TSV answer has columns {header}; expected ?s ?p ?o ?g")
    for number, raw in enumerate(stream, 2):
        cells = raw.rstrip(b"\r\n").split(b"\t")
        if len(cells) != 4:
            if cells == [b""]:
                continue
            raise AnswerError(
                f"TSV line {number} has {len(cells)} cells; expected 4: {raw[:200]!r}"
            )
        for k, cell in enumerate(cells):
            if cell[:1] not in _VERBATIM:
                cells[k] = term_from_text(cell.decode("utf-8"), number).n3().encode("utf-8")
        yield cells


def term_from_text(cell: str, number: int = 0) -> Term:
    """One term written in N-Triples or SPARQL TSV syntax."""
    match = re.fullmatch(_TERM.format(n=0), cell)
    if match is None:
        raise AnswerError(f"line {number}: {cell[:200]!r} is not an RDF term")
    return _term(match, 0)


def write_quads(quads: Iterable[list[bytes]], output: IO[bytes], *, trig: bool) -> None:
    """Quads as N-Quads, or as TriG with one block per run of quads in the same graph."""
    current: bytes | None = None
    lines: list[bytes] = []
    for s, p, o, g in quads:
        if not trig:
            lines.append(b"%s %s %s %s .\n" % (s, p, o, g))
        else:
            if g != current:
                lines.append((b"}\n" if current is not None else b"") + g + b" {\n")
                current = g
            lines.append(b"%s %s %s .\n" % (s, p, o))
        if len(lines) >= _LINES_PER_WRITE:
            output.write(b"".join(lines))
            lines.clear()
    if trig and current is not None:
        lines.append(b"}\n")
    output.write(b"".join(lines))
