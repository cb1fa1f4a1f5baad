"""The dated Role nodes of an entity page: who holds each role, what it links to, its dates.

A role the entity holds (an outgoing link through a Role node) is read from the entity's own
document, which already holds the statements of its Role nodes and of their uncertain dates:
no query. A role held by others (an incoming link, an organisation's members) costs one query
for all the roles on the page (each role's holder and dated statements), and one more only when
some of them have uncertain dates. Seeks in the store's indexes are what a page pays for (about
30 µs each on a 5-million-triple store), so each role costs two, where one OPTIONAL per detail
cost seven.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from . import queries
from .entity_relations import GroupPage, with_pairs, with_values
from .iris import Kind
from .rdf import IRI, Term
from .store import GraphStore
from .vocab import LG, SCHEMA

RoleDetails = dict[tuple[str, str], dict[str, Term]]
Statements = dict[str, list[tuple[str, Term]]]  # node -> (property, value) of its statements

DATE_COLUMNS = {
    str(SCHEMA.startDate): ("start", "startText"),
    str(SCHEMA.endDate): ("end", "endText"),
}


def read_roles(
    store: GraphStore, pages: Sequence[GroupPage], document: Iterable[tuple[Term, Term, Term]]
) -> RoleDetails:
    """What each dated Role node on the page links to, who holds it, its dates and name."""
    role_prefix = f"{store.base}id/{Kind.ROLE.value}/"
    pairs = sorted(
        {
            (end, page.property, page.direction)
            for page in pages
            for _, end, _ in page.edges
            if end.startswith(role_prefix)
        }
    )
    if not pairs:
        return {}
    statements = statements_by_node(document)
    holders = _read_held_by_others(store, [(r, p) for r, p, d in pairs if d == "in"], statements)
    names = _role_name_labels(store, {r for r, _, _ in pairs}, statements)
    return {
        (role, prop): role_row(role, prop, statements, holders.get((role, prop)), names)
        for role, prop, _ in pairs
    }


def statements_by_node(triples: Iterable[tuple[Term, Term, Term]]) -> Statements:
    """The statements of a document grouped by subject, in document order."""
    found: Statements = {}
    for s, p, o in triples:
        found.setdefault(str(s), []).append((str(p), o))
    return found


def role_row(
    role: str, prop: str, statements: Statements, holder: Term | None, names: Mapping[str, Term]
) -> dict[str, Term]:
    """The details of one role as the page reads them: target (by ``prop``), holder, start
    and end (as written when uncertain), its role name and that name's label."""
    row: dict[str, Term] = {}
    if holder is not None:
        row["holder"] = holder
    for p, o in statements.get(role, []):
        if p == prop and isinstance(o, IRI):
            row.setdefault("target", o)
        elif p in DATE_COLUMNS:
            row.setdefault(DATE_COLUMNS[p][0], o)
        elif p == SCHEMA.roleName:
            row.setdefault("roleName", o)
            if str(o) in names and isinstance(o, IRI):
                row.setdefault("roleLabel", names[str(o)])
        elif p == LG.uncertainDate:
            _add_original_text(row, statements.get(str(o), []))
    return row


def _add_original_text(row: dict[str, Term], node: Sequence[tuple[str, Term]]) -> None:
    qualified = [str(o) for p, o in node if p == LG.qualifiesProperty]
    texts = [o for p, o in node if p == LG.originalText]
    for prop in qualified:
        if prop in DATE_COLUMNS and texts:
            row.setdefault(DATE_COLUMNS[prop][1], texts[0])


def _read_held_by_others(
    store: GraphStore, pairs: Sequence[tuple[str, str]], statements: Statements
) -> dict[tuple[str, str], Term]:
    """Holders of the roles of incoming links; their dated statements go into ``statements``."""
    if not pairs:
        return {}
    holders: dict[tuple[str, str], Term] = {}
    text = with_pairs(queries.load("entity_page_held_roles"), ("role", "p"), pairs)
    read: Statements = {}
    for row in store.select_text(text):
        role = str(row["role"])
        if "holder" in row:
            holders.setdefault((role, str(row["p"])), row["holder"])
        else:
            read.setdefault(role, []).append((str(row["q"]), row["o"]))
    for role, found in read.items():
        statements.setdefault(role, found)  # a role the entity also holds: its document has it
    uncertain = {o for found in read.values() for p, o in found if p == LG.uncertainDate}
    statements.update(statements_by_node(nodes_statements(store, uncertain - statements.keys())))
    return holders


def nodes_statements(store: GraphStore, nodes: Iterable[Term]) -> list[tuple[Term, Term, Term]]:
    """The statements of these nodes as subject: one query for the IRIs, one per blank node."""
    iris = sorted(n for n in nodes if isinstance(n, IRI))
    found: list[tuple[Term, Term, Term]] = [
        t
        for n in nodes
        if not isinstance(n, IRI)
        for t in store.construct("entity_document", entity=n)
    ]
    if iris:
        text = with_values(queries.load("entity_document_nodes"), "node", iris)
        found += [(r["node"], r["p"], r["o"]) for r in store.select_text(text)]
    return found


def _role_name_labels(
    store: GraphStore, roles: Iterable[str], statements: Statements
) -> dict[str, Term]:
    """The schema:name of each role name that is an entity rather than text (rare)."""
    named = sorted(
        {
            str(o)
            for r in roles
            for p, o in statements.get(r, [])
            if p == SCHEMA.roleName and isinstance(o, IRI)
        }
    )
    if not named:
        return {}
    text = with_values(queries.load("entity_role_name_labels"), "roleName", named)
    return {str(r["roleName"]): r["roleLabel"] for r in store.select_text(text)}
