"""Binding variables in SPARQL text, for stores that take no substitutions (remote endpoints).

pyoxigraph binds variables with ``substitutions``; a remote SPARQL 1.1 endpoint only takes
text. Never format raw input into a query: the bound values go in a ``VALUES`` block built from
our terms' own N-Triples syntax, placed first in the outermost ``WHERE`` group so that the
store joins it before anything else (a trailing ``VALUES`` would be joined after grouping and
would make the store evaluate the whole pattern unbound first).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .rdf import IRI, BNode, Lit, Term

_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
# What may hide a brace or the word WHERE: strings (long and short), IRIs and comments.
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*",
    re.DOTALL,
)
_FORM = re.compile(r"(?<![\w?$:])(SELECT|CONSTRUCT|DESCRIBE|ASK)(?![\w:])", re.IGNORECASE)
_WHERE = re.compile(r"\bWHERE\b", re.IGNORECASE)


class BindingError(ValueError):
    """A binding that cannot be written into a query."""


def value_text(name: str, term: Term) -> str:
    """The SPARQL syntax of one bound value (IRIs escaped, literals quoted, tags checked)."""
    if isinstance(term, Lit):
        if term.lang and not _LANGUAGE.match(term.lang):
            raise BindingError(
                f'?{name}: "{term.lang}" is not a language tag; expected one like "en" or "pt-BR"'
            )
        return term.n3()
    if isinstance(term, BNode):
        raise BindingError(
            f"?{name}: a blank node cannot be bound in a query; expected an IRI or a literal"
        )
    return IRI(term).n3()


def values_block(bindings: Mapping[str, Term]) -> str:
    """``VALUES (?a ?b) { (<x> "y") }`` for these bindings."""
    for name in bindings:
        if not _VARIABLE.match(name):
            raise BindingError(
                f'"{name}" is not a SPARQL variable name; expected letters, digits and "_"'
            )
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(value_text(name, term) for name, term in bindings.items())
    return f"VALUES ({names}) {{ ({values}) }}"


def masked(query: str) -> str:
    """The query with strings, IRIs and comments blanked out (same length, same offsets)."""
    return _OPAQUE.sub(lambda m: " " * len(m.group(0)), query)


def _top_level_groups(text: str, start: int) -> list[int]:
    """Offsets of the ``{`` that open a group at brace depth 0, from ``start`` on."""
    depth, opened = 0, []
    for offset in range(start, len(text)):
        char = text[offset]
        if char == "{":
            if depth == 0:
                opened.append(offset)
            depth += 1
        elif char == "}":
            depth -= 1
    return opened


def where_group(query: str) -> int | None:
    """Offset of the ``{`` opening the outermost WHERE group, or None if there is none to use."""
    text = masked(query)
    form = _FORM.search(text)
    if form is None:
        raise BindingError(
            "the query has no SELECT, CONSTRUCT, DESCRIBE or ASK; cannot bind variables in it"
        )
    groups = _top_level_groups(text, form.end())
    where = next(
        (
            m
            for m in _WHERE.finditer(text, form.end())
            if text.count("{", form.end(), m.start()) == text.count("}", form.end(), m.start())
        ),
        None,
    )
    is_construct = form.group(1).upper() == "CONSTRUCT"
    if where is not None:
        if is_construct and (not groups or groups[0] > where.start()):
            return None  # CONSTRUCT WHERE { triples }: a template, not a group
        after = [g for g in groups if g > where.end()]
        return after[0] if after else None
    if is_construct:
        return groups[1] if len(groups) > 1 else None
    return groups[0] if groups else None


def query_form(query: str) -> str:
    """SELECT, CONSTRUCT, DESCRIBE or ASK, read past comments, strings and IRIs.

    SPARQLWrapper's own guess reads words in comments ("add", "drop") as updates.
    An unrecognisable query counts as a SELECT: the store then says what is wrong with it.
    """
    found = _FORM.search(masked(query))
    return found.group(1).upper() if found else "SELECT"


def bind(query: str, bindings: Mapping[str, Term]) -> str:
    """The query with ``bindings`` joined first into its WHERE group (trailing VALUES if none)."""
    if not bindings:
        return query
    block = values_block(bindings)
    opening = where_group(query)
    if opening is None:
        return f"{query}\n{block}\n"
    return f"{query[: opening + 1]} {block} {query[opening + 1 :]}"
