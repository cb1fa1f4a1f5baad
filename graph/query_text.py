"""Binding variables in SPARQL text, for stores that take no substitutions (remote endpoints).

pyoxigraph binds variables with ``substitutions``; a remote SPARQL 1.1 endpoint only takes
text. Never format raw input into a query: the bound values go in a ``VALUES`` block built from
our terms' own N-Triples syntax, placed first in the outermost ``WHERE`` group so that the
store joins it before anything else (a trailing ``VALUES`` would be joined after grouping and
would make the store evaluate the whole pattern unbound first).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

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
_BRACE = re.compile(r"[{}]")
_SUBSELECT = re.compile(r"\s*SELECT\b", re.IGNORECASE)
_DATA_BLOCK = re.compile(r"VALUES\s*(?:[?$]\w+|\([^()]*\))\s*$", re.IGNORECASE)


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


def where_group(query: str, text: str | None = None) -> int | None:
    """Offset of the ``{`` opening the outermost WHERE group, or None if there is none to use.

    ``text`` is the query already ``masked``, when the caller has it.
    """
    text = masked(query) if text is None else text
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


def _groups_within(text: str, opening: int) -> list[tuple[int, str]]:
    """Every group nested in the one opening at ``opening``: its ``{`` offset and direct text.

    The direct text leaves out what nested groups hold, so a mention found in it is the
    group's own.
    """
    stack: list[tuple[int, list[tuple[int, int]]]] = []
    found: list[tuple[int, str]] = []
    for match in _BRACE.finditer(text, opening):
        if match.group(0) == "{":
            stack.append((match.start(), []))
            continue
        start, children = stack.pop()
        end, pieces, cursor = match.start(), [], start + 1
        for child_start, child_end in children:
            pieces.append(text[cursor:child_start])
            cursor = child_end + 1
        pieces.append(text[cursor:end])
        found.append((start, " ".join(pieces)))
        if not stack:
            return found
        stack[-1][1].append((start, end))
    return found


def _groups_to_bind(text: str, opening: int, names: Iterable[str]) -> list[int]:
    """The WHERE group, and each group inside it that mentions a bound variable directly.

    A VALUES block only at the top would be joined after the store evaluates a UNION or a
    GRAPH pattern unbound (Oxigraph does), so the block is repeated where the variables are
    used, as pyoxigraph's substitutions would bind them. Data blocks and sub-SELECTs are
    not groups that can take it.
    """
    mention = re.compile(r"[?$](?:" + "|".join(map(re.escape, names)) + r")(?!\w)")
    chosen = [opening]
    for start, direct in _groups_within(text, opening):
        if start == opening or _SUBSELECT.match(direct):
            continue
        if _DATA_BLOCK.search(text, max(0, start - 300), start) or not mention.search(direct):
            continue
        chosen.append(start)
    return sorted(chosen)


def bind(query: str, bindings: Mapping[str, Term]) -> str:
    """The query with ``bindings`` joined first into its WHERE group (trailing VALUES if none)."""
    if not bindings:
        return query
    block = values_block(bindings)
    text = masked(query)
    opening = where_group(query, text)
    if opening is None:
        return f"{query}\n{block}\n"
    for start in reversed(_groups_to_bind(text, opening, bindings)):
        query = f"{query[: start + 1]} {block} {query[start + 1 :]}"
    return query
