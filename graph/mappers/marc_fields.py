"""A MARCXML record read once into plain Python values: leader, control fields, data fields."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Field:
    """One MARC data field: tag, indicators and subfields in their order."""

    tag: str
    ind1: str
    ind2: str
    subfields: tuple[tuple[str, str], ...]

    def first(self, code: str) -> str | None:
        """The first value of this subfield code."""
        for sub_code, value in self.subfields:
            if sub_code == code:
                return value
        return None

    def every(self, code: str) -> list[str]:
        """Every value of this subfield code."""
        return [value for sub_code, value in self.subfields if sub_code == code]

    def joined(self, codes: str, separator: str = " ") -> str:
        """The values of these subfield codes, in record order, joined."""
        return separator.join(v.strip() for c, v in self.subfields if c in codes and v.strip())

    def display(self) -> str:
        """The field as written (every subfield except links, codes and control subfields)."""
        return self.joined("abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True, slots=True)
class MarcRecord:
    """A parsed MARC record."""

    leader: str
    control: dict[str, str]
    fields: tuple[Field, ...]

    def all(self, *tags: str) -> Iterator[Field]:
        """The data fields with these tags, in record order."""
        return (f for f in self.fields if f.tag in tags)

    def first(self, tag: str, code: str) -> str | None:
        """The first value of subfield ``code`` in the first field ``tag`` that has it."""
        for field in self.fields:
            if field.tag == tag:
                value = field.first(code)
                if value:
                    return value
        return None

    @property
    def is_authority(self) -> bool:
        """Leader/06 ``z``: an authority record."""
        return self.leader[6:7] == "z"

    @property
    def is_collection(self) -> bool:
        """Leader/06-07 ``p`` + ``c`` (or 07 ``c`` for any type): a collection-level description."""
        return self.leader[7:8] == "c" and self.leader[6:7] in {
            "p",
            "t",
            "a",
            "k",
            "g",
            "i",
            "j",
            "m",
            "o",
            "r",
        }


def read_marc(element: Any) -> MarcRecord:
    """The leader, control fields and data fields of a marc:record element."""
    leader = ""
    control: dict[str, str] = {}
    fields: list[Field] = []
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        name = tag.rpartition("}")[2]
        if name == "datafield":
            subfields = tuple(
                (sub.get("code") or "", sub.text or "")
                for sub in child
                if isinstance(sub.tag, str) and sub.tag.endswith("subfield")
            )
            fields.append(
                Field(
                    child.get("tag") or "",
                    _indicator(child.get("ind1")),
                    _indicator(child.get("ind2")),
                    subfields,
                )
            )
        elif name == "controlfield":
            control.setdefault(child.get("tag") or "", (child.text or "").strip())
        elif name == "leader":
            leader = child.text or ""
    return MarcRecord(leader.ljust(24), control, tuple(fields))


def _indicator(value: str | None) -> str:
    return (value or " ")[:1] or " "
