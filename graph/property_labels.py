"""What the entity pages call each property, in both directions, in a historian's words.

A property missing here is shown by its prefixed name (``rico:isSuccessorOf``), so a new
mapping never hides a statement; it only reads less well until it gets a label here.
"""

from __future__ import annotations

from .mappers.relators import TERMS as RELATOR_TERMS
from .vocab import LG, MARCREL, PREFIXES, SCHEMA

# property -> (label read from the entity, label read from the other end)
RELATION_LABELS: dict[str, tuple[str, str]] = {
    SCHEMA.memberOf: ("Member of", "Members"),
    SCHEMA.member: ("Members", "Member of"),
    SCHEMA.affiliation: ("Affiliated with", "Affiliated people"),
    SCHEMA.worksFor: ("Worked for", "Employees"),
    SCHEMA.founder: ("Founders", "Founded"),
    SCHEMA.foundingLocation: ("Founded in", "Organisations founded here"),
    SCHEMA.location: ("Location", "Location of"),
    SCHEMA.birthPlace: ("Born in", "Birthplace of"),
    SCHEMA.deathPlace: ("Died in", "Place of death of"),
    SCHEMA.containedInPlace: ("Part of", "Contains"),
    SCHEMA.creator: ("Created by", "Creator of"),
    SCHEMA.author: ("Author", "Author of"),
    SCHEMA.contributor: ("Contributors", "Contributed to"),
    SCHEMA.about: ("About", "Subject of"),
    SCHEMA.mentions: ("Mentions", "Mentioned in"),
    SCHEMA.isPartOf: ("Part of", "Parts"),
    SCHEMA.hasPart: ("Parts", "Part of"),
    SCHEMA.knows: ("Knows", "Known by"),
    SCHEMA.parentOrganization: ("Parent organisation", "Sub-organisations"),
    SCHEMA.subOrganization: ("Sub-organisations", "Parent organisation"),
    SCHEMA.organizer: ("Organised by", "Organised"),
    SCHEMA.attendee: ("Attendees", "Attended"),
    SCHEMA.performer: ("Participants", "Took part in"),
    SCHEMA.superEvent: ("Part of event", "Sub-events"),
    SCHEMA.genre: ("Genre", "Genre of"),
    SCHEMA.holdingArchive: ("Held by", "Holds"),
    SCHEMA.sender: ("Sender", "Sent"),
    SCHEMA.recipient: ("Recipient", "Received"),
    SCHEMA.spatialCoverage: ("Places covered", "Covered by"),
    SCHEMA.temporalCoverage: ("Period covered", "Covered by"),
    "http://www.w3.org/2002/07/owl#sameAs": ("Merged identifiers (redirect here)", "Same as"),
    LG.correspondedWith: ("Corresponded with", "Corresponded with"),
    LG.correspondent: ("Correspondent in", "Correspondents"),
    SCHEMA.mainEntity: ("Main entity", "Main entity of record"),
    SCHEMA.hasOccupation: ("Occupations", "Occupation of"),
}

DATE_LABELS: dict[str, str] = {
    SCHEMA.birthDate: "Born",
    SCHEMA.deathDate: "Died",
    SCHEMA.foundingDate: "Founded",
    SCHEMA.dissolutionDate: "Dissolved",
    SCHEMA.startDate: "Began",
    SCHEMA.endDate: "Ended",
    SCHEMA.dateCreated: "Created",
    SCHEMA.datePublished: "Published",
    SCHEMA.temporalCoverage: "Period covered",
}

NAME_PROPERTIES = (SCHEMA.name, SCHEMA.alternateName)
DESCRIPTION_PROPERTIES = (SCHEMA.description, SCHEMA.disambiguatingDescription)
SAME_AS_PROPERTIES = (SCHEMA.sameAs, "http://www.w3.org/2002/07/owl#sameAs")
TYPE_PROPERTY = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def curie(iri: str) -> str:
    """``schema:memberOf`` for ``https://schema.org/memberOf``; the IRI itself if no prefix fits."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


FACT_LABELS: dict[str, str] = {
    LG.heading: "Heading as written",
    SCHEMA.identifier: "Identifier",
    SCHEMA.url: "Web page",
    SCHEMA.inLanguage: "Language",
    SCHEMA.numberOfEmployees: "Members",
}


def _relator_labels() -> dict[str, tuple[str, str]]:
    # the first term listed for a code is its name (TERMS maps terms, variants too, to codes)
    labels: dict[str, tuple[str, str]] = {}
    for term, code in RELATOR_TERMS.items():
        labels.setdefault(
            MARCREL[code],
            (f"{term.capitalize()} (MARC relator)", f"{term.capitalize()} of (MARC relator)"),
        )
    return labels


def relation_label(iri: str, direction: str) -> str:
    """The heading of a group of relations by ``iri`` seen from the entity ("out" or "in")."""
    labels = RELATION_LABELS.get(iri) or _relator_labels().get(iri)
    if labels:
        return labels[0] if direction == "out" else labels[1]
    return curie(iri) if direction == "out" else f"{curie(iri)} (from)"


def fact_label(iri: str) -> str:
    """The label of any other property ("Heading as written", or its prefixed name)."""
    return FACT_LABELS.get(iri) or curie(iri)


def date_label(iri: str) -> str:
    """The label of a date property ("Born", "Founded", ...)."""
    return DATE_LABELS.get(iri) or curie(iri)
