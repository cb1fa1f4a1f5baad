"""The union graph's dumps derived from the N-Quads dump while it streams: one scan, three files.

Decoding a store's terms costs most of a dump, so the store is scanned once: its N-Quads dump
goes to a ``DumpTee``, which writes it on and derives from each quad line the N-Triples line of
its statement (the line without its graph term), written the first time it is seen. That is
what the store's own union-graph dump (a CONSTRUCT over the union default graph) writes, in the
same order. The Turtle dump is written from those statements as the store's Turtle serializer
writes them without prefixes: one block a run of statements about the same subject, ``a`` for
``rdf:type``, ``;`` and ``,`` for repeats, numbers and booleans in their short form.

Quads of the default graph (a line with no graph term) cannot be told from quads of a named
graph by their end alone, so ``DumpTee`` expects lines that all name a graph, as the stores of
an ingest have them (``dumps.write_all`` checks first and writes the union another way if not).
"""

from __future__ import annotations

import io
import re
from typing import IO

RDF_TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD = b"http://www.w3.org/2001/XMLSchema#"
# lexical forms Turtle writes bare, by datatype (the INTEGER, DECIMAL, DOUBLE, BOOLEAN rules)
SHORT_FORMS: dict[bytes, re.Pattern[bytes]] = {
    XSD + b"integer": re.compile(rb"[+-]?[0-9]+"),
    XSD + b"decimal": re.compile(rb"[+-]?[0-9]*\.[0-9]+"),
    XSD + b"double": re.compile(
        rb"[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+)"
    ),
    XSD + b"boolean": re.compile(rb"true|false"),
}
TYPED = b'"^^<' + XSD
PIECE_SIZE = 1 << 20


class UnionStatements:
    """The statements of N-Quads text fed in pieces, each once, in the order first seen."""

    def __init__(self) -> None:
        self._seen: set[bytes] = set()
        self._rest = b""  # the start of a line cut by the end of the last piece

    def feed(self, piece: bytes) -> list[bytes]:
        """The statements (``s p o``, no ``" ."``) of the lines ending in ``piece`` not seen yet."""
        end = piece.rfind(b"\n") + 1
        if end == 0:
            self._rest += piece
            return []
        lines = (self._rest + piece[:end] if self._rest else piece[:end]).split(b"\n")
        self._rest = piece[end:]
        lines.pop()  # the empty text after the last newline
        seen = self._seen
        add = seen.add
        # `<s> <p> <o> <g> .`: the graph term and the dot are the last two words, as graph
        # names hold no space (a literal object may hold any, but comes before them)
        return [
            s
            for line in lines
            for s in (line.rsplit(b" ", 2)[0],)
            if s not in seen and not add(s)  # type: ignore[func-returns-value]
        ]

    def finish(self) -> None:
        """Check that the text ended with a whole line."""
        if self._rest:
            raise ValueError(
                f"N-Quads dump: the text ended inside a line ({self._rest[:80]!r}); "
                "expected every line to end with a newline"
            )

    @property
    def count(self) -> int:
        """How many distinct statements were fed."""
        return len(self._seen)


def turtle_object(term: bytes) -> bytes:
    """An N-Triples object term as Turtle writes it: typed numbers and booleans bare."""
    if term[-1:] != b">" or TYPED not in term:
        return term
    quote = term.rfind(b'"^^<')
    form = SHORT_FORMS.get(term[quote + 4 : -1])
    lexical = term[1:quote]
    if form is not None and form.fullmatch(lexical):
        return lexical
    return term


class TurtleText:
    """Turtle of statements given in order, grouped as the store's serializer groups them."""

    def __init__(self) -> None:
        self._subject: bytes | None = None
        self._predicate = b""

    def add(self, statements: list[bytes]) -> bytes:
        """The Turtle text of ``statements`` (``s p o`` each) following those added before."""
        out: list[bytes] = []
        write = out.append
        subject, predicate = self._subject, self._predicate
        for statement in statements:
            s, p, o = statement.split(b" ", 2)
            if TYPED in o:
                o = turtle_object(o)
            if s == subject:
                if p == predicate:
                    write(b" , " + o)
                    continue
                write(b" ;\n\t")
            else:
                if subject is not None:
                    write(b" .\n")
                write(s + b" ")
                subject = s
            predicate = p
            write((b"a " if p == RDF_TYPE else p + b" ") + o)
        self._subject, self._predicate = subject, predicate
        return b"".join(out)

    def finish(self) -> bytes:
        """The text that closes the last block."""
        return b"" if self._subject is None else b" .\n"


class DumpTee(io.RawIOBase):
    """A sink for an N-Quads dump: writes it on, and its union as N-Triples and Turtle."""

    def __init__(self, nquads: IO[bytes], ntriples: IO[bytes], turtle: IO[bytes]) -> None:
        super().__init__()
        self._outputs = (nquads, ntriples, turtle)
        self.union = UnionStatements()
        self._turtle = TurtleText()
        self._pending: list[bytes] = []  # the store writes 8 KiB at a time: handled a MiB at once
        self._pending_size = 0

    def writable(self) -> bool:
        """A sink is writable."""
        return True

    def write(self, piece: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        """Take a piece of the N-Quads text; write on what it completes once a MiB is waiting."""
        data = bytes(piece)
        self._pending.append(data)
        self._pending_size += len(data)
        if self._pending_size >= PIECE_SIZE:
            self._write_pending()
        return len(data)

    def _write_pending(self) -> None:
        data = b"".join(self._pending)
        self._pending.clear()
        self._pending_size = 0
        nquads, ntriples, turtle = self._outputs
        nquads.write(data)
        statements = self.union.feed(data)
        if statements:
            ntriples.write(b" .\n".join(statements) + b" .\n")
            turtle.write(self._turtle.add(statements))

    def finish(self) -> None:
        """Write what is still waiting and close the Turtle text, once the whole dump was taken."""
        self._write_pending()
        self.union.finish()
        self._outputs[2].write(self._turtle.finish())
