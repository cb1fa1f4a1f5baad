"""Relations between entities, as MARC 5XX ``$i`` texts and EAC-CPF arcroles name them.

``relate(graph, subject, relation, target, ...)`` states one relation in the data model's
pattern: memberships and offices through a dated ``schema:OrganizationRole``, succession in both
directions (RiC-O), founders, correspondence (``lg:correspondedWith``, both directions),
participation in events (``schema:attendee``), part-of by kind, and ``rico:isRelatedTo`` when
the relation is not one we know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..iris import Kind, parse
from ..rdf import IRI, Lit
from ..vocab import LG, RICO, SCHEMA
from .common import RecordGraph, role_key

_AGENTS = {Kind.PERSON, Kind.FAMILY, Kind.ORGANISATION}


@dataclass(frozen=True, slots=True)
class Dated:
    """What qualifies a relation: dates as written (with the field they come from) and a role."""

    start: str | None = None
    end: str | None = None
    role: str | None = None
    field: str = "relation"


def relation_word(text: str) -> str:
    """A relation text reduced to letters: "Member of:" -> "memberof", "chairOf" -> "chairof"."""
    return re.sub(r"[^a-z]", "", text.lower())


_OFFICE_WORDS = {
    "chairof": "chair",
    "chairman": "chair",
    "chair": "chair",
    "presidentof": "president",
    "secretaryof": "secretary",
    "treasurerof": "treasurer",
    "leaderof": "leader",
}


def relate(
    graph: RecordGraph, subject: IRI, relation: str, target: IRI, dated: Dated = Dated()
) -> None:
    """State ``subject <relation> target`` in the data model's pattern."""
    word = relation_word(relation)
    if word in {"memberof", "member", "affiliatedwith", "affiliation"} or word in _OFFICE_WORDS:
        role = dated.role or _OFFICE_WORDS.get(word)
        member, group = (target, subject) if word == "member" else (subject, target)
        membership(
            graph, member, SCHEMA.memberOf, group, Dated(dated.start, dated.end, role, dated.field)
        )
    elif word in {"employeeof", "employedby", "worksfor"}:
        membership(
            graph,
            subject,
            SCHEMA.worksFor,
            target,
            Dated(dated.start, dated.end, dated.role or "employee", dated.field),
        )
    elif word in {"successor", "predecessorof"}:
        _succession(graph, earlier=subject, later=target)
    elif word in {"predecessor", "successorof"}:
        _succession(graph, earlier=target, later=subject)
    elif word in {"founder", "foundedby"}:
        graph.add(subject, SCHEMA.founder, target)
    elif word in {"founderof", "founded"}:
        graph.add(target, SCHEMA.founder, subject)
    elif word in {"correspondent", "correspondedwith", "correspondence"}:
        graph.add(subject, LG.correspondedWith, target)
        graph.add(target, LG.correspondedWith, subject)
    elif word in {"participantin", "participatedin", "attended", "delegateto"}:
        graph.add(target, SCHEMA.attendee, subject)
    elif word in {"participant", "attendee", "delegate"}:
        graph.add(subject, SCHEMA.attendee, target)
    elif word in {
        "partof",
        "ispartof",
        "broader",
        "parent",
        "parentorganization",
        "hierarchicalparent",
    }:
        part_of(graph, subject, target)
    elif word in {"haspart", "narrower", "child", "suborganization", "hierarchicalchild"}:
        part_of(graph, target, subject)
    else:
        graph.add(subject, RICO.isRelatedTo, target)


def _succession(graph: RecordGraph, earlier: IRI, later: IRI) -> None:
    graph.add(earlier, RICO.hasSuccessor, later)
    graph.add(later, RICO.isSuccessorOf, earlier)


def part_of(graph: RecordGraph, part: IRI, whole: IRI) -> None:
    """``part`` is part of ``whole``: place, sub-organisation, sub-event or part of a work."""
    kinds = {_kind(graph, part), _kind(graph, whole)}
    if kinds == {Kind.PLACE}:
        graph.add(part, SCHEMA.containedInPlace, whole)
    elif kinds <= _AGENTS:
        graph.add(part, SCHEMA.parentOrganization, whole)
        graph.add(whole, SCHEMA.subOrganization, part)
    elif kinds == {Kind.EVENT}:
        graph.add(part, SCHEMA.superEvent, whole)
        graph.add(whole, SCHEMA.subEvent, part)
    elif kinds <= {Kind.TOPIC, Kind.GENRE}:
        graph.add(part, IRI("http://www.w3.org/2004/02/skos/core#broader"), whole)
    else:
        graph.add(part, SCHEMA.isPartOf, whole)
        graph.add(whole, SCHEMA.hasPart, part)


def _kind(graph: RecordGraph, iri: IRI) -> Kind | None:
    try:
        return parse(graph.base, iri)[0]
    except ValueError:
        return None


def membership(graph: RecordGraph, member: IRI, prop: IRI, group: IRI, dated: Dated) -> IRI:
    """``member prop group`` directly, and through a dated role when dates or a role are known."""
    graph.add(member, prop, group)
    if not (dated.start or dated.end or dated.role):
        return group
    key = role_key(
        _local(member),
        _local(prop),
        _local(group),
        dated.start or "",
        dated.end or "",
        dated.role or "",
    )
    role = graph.entity(Kind.ROLE, key, None)
    graph.add(member, prop, role)
    graph.add(role, prop, group)
    graph.text(role, SCHEMA.roleName, dated.role)
    graph.add(role, SCHEMA.name, Lit(_role_name(graph, dated, group)))
    graph.date(role, SCHEMA.startDate, dated.field, dated.start)
    graph.date(role, SCHEMA.endDate, dated.field, dated.end, end=True)
    if dated.role and relation_word(dated.role) in {"founder", "cofounder"}:
        graph.add(group, SCHEMA.founder, member)
    return role


def _local(iri: IRI) -> str:
    """An IRI without the deployment's base, so role keys do not depend on it."""
    return iri.split("/id/", 1)[-1]


def _role_name(graph: RecordGraph, dated: Dated, group: IRI) -> str:
    span = "-".join(p for p in (dated.start, dated.end) if p)
    what = dated.role or "member"
    label = graph.label_of(group) or group.rsplit("/", 1)[-1]
    return f"{what}, {label}" + (f" ({span})" if span else "")
