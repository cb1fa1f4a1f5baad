"""Dates as historians write them, parsed into a value at its precision plus honest bounds.

``parse_date("ca. 1970")`` gives the year 1970 (an ``xsd:gYear``), flagged uncertain, with
earliest 1965-01-01 and latest 1975-12-31, and keeps the text as written. ISO dates, EAD
``@normal`` intervals (``1920/1935``), ranges (``1920-1935``), ``19--``, ``197-``, ``1917?``,
``[1917]``, MARC 046 ``yyyymmdd`` and free text with years in it are all understood; a date
that cannot exist (``1923-13-01``) raises ``DateError``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from .rdf import XSD, Lit

CIRCA_YEARS = 5  # "ca. 1970" means 1965-1975: wide enough for "active in" questions
EXPECTED = "a year, a range (1920-1935), an approximation (ca. 1970) or an ISO date"
_UNDATED = re.compile(
    r"^[\[(]?\s*(z\.\s*d|s\.\s*d|n\.\s*d|s\.\s*a|undated|unknown|o\.\s*j)\.?\s*[\])]?\.?$", re.I
)
_CIRCA = re.compile(r"\b(ca|c|circa|approx|approximately|omstreeks|ongeveer|vers|um)\b\.?\s*", re.I)
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T[\d:.]+Z?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")
_RANGE = re.compile(r"^(.+?)\s*(?:/|\s-\s|(?<=[\d?\]])-(?=[\d\[c]))\s*(.+)$", re.I)
_WILDCARD = re.compile(r"^(\d{2})(?:--|uu|\?\?)$|^(\d{3})(?:-|u|\?)$", re.I)
_YEARS = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})(?!\d)")


class DateError(ValueError):
    """A date that cannot exist (a month 13, a 31 February, an end before its start)."""


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    def literal(self) -> Lit:
        """The typed literal at this precision: xsd:gYear, xsd:gYearMonth or xsd:date."""
        if self.month is None:
            return Lit(f"{self.year:04d}", datatype=XSD + "gYear")
        if self.day is None:
            return Lit(f"{self.year:04d}-{self.month:02d}", datatype=XSD + "gYearMonth")
        return Lit(f"{self.year:04d}-{self.month:02d}-{self.day:02d}", datatype=XSD + "date")

    def earliest(self) -> date:
        """The first day this date can mean."""
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        """The last day this date can mean."""
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])


@dataclass(frozen=True, slots=True)
class HistoricalDate:
    """A parsed date: its value(s) at their precision, bounds, and the text as written."""

    original: str
    start: PartialDate | None  # None when known only to the decade or century
    end: PartialDate | None  # the end of a range; None for a single date
    earliest: date
    latest: date
    uncertain: bool

    @property
    def needs_bounds(self) -> bool:
        """Whether the typed value alone misleads (uncertain, a range, coarser than a year)."""
        return (
            self.uncertain
            or self.start is None
            or (self.end is not None and self.end != self.start)
        )

    def interval(self) -> str:
        """An ISO 8601 interval (``1920/1935``) or single value for coverage properties."""
        if self.start is None:
            return f"{self.earliest.year}/{self.latest.year}"
        first = self.start.literal().value
        last = self.end.literal().value if self.end else None
        return f"{first}/{last}" if last and last != first else first


def parse_date(text: str) -> HistoricalDate | None:
    """The date in this text; None if "undated" or yearless; DateError if impossible."""
    original = " ".join(text.split())
    core = original.strip(" .,;:")
    if not core or _UNDATED.match(core):
        return None
    single = _parse_single(core)
    if single is not None:
        start, earliest, latest, uncertain = single
        return HistoricalDate(original, start, None, earliest, latest, uncertain)
    ranged = _parse_range(core)
    if ranged is not None:
        return HistoricalDate(original, *ranged)
    return _parse_free_text(original)


def _parse_single(text: str) -> tuple[PartialDate | None, date, date, bool] | None:
    """(value, earliest, latest, uncertain) of one date, or None if the text is not one date."""
    uncertain = False
    body = text
    if body.startswith("[") and body.endswith("]"):
        body, uncertain = body[1:-1].strip(), True
    if _CIRCA.match(body):
        inner = _parse_single(_CIRCA.sub("", body, count=1).strip())
        if inner is None or inner[0] is None:
            return inner
        value = inner[0]
        return (
            value,
            date(value.year - CIRCA_YEARS, 1, 1),
            date(value.year + CIRCA_YEARS, 12, 31),
            True,
        )
    if body.endswith(("?", "~")) and not _WILDCARD.match(body):
        body, uncertain = body[:-1].strip(), True
    wildcard = _WILDCARD.match(body)
    if wildcard:
        digits = wildcard.group(1) or wildcard.group(2)
        span = 10 ** (4 - len(digits))
        first = int(digits) * span
        return None, date(first, 1, 1), date(first + span - 1, 12, 31), True
    value = _partial(body)
    if value is None:
        return None
    return value, value.earliest(), value.latest(), uncertain


def _partial(text: str) -> PartialDate | None:
    """An ISO (or MARC 046 compact) date; DateError when it has the shape but cannot exist."""
    match = _ISO.match(text) or _COMPACT.match(text)
    if not match:
        return None
    year, month, day = int(match.group(1)), match.group(2), match.group(3)
    if month and not day and int(month) > 12 and "-" in text:
        return None  # "1920-21" is a range, not a 21st month
    value = PartialDate(year, int(month) if month else None, int(day) if day else None)
    try:
        value.latest()
    except ValueError:
        raise DateError("is not a date") from None
    return value


def _parse_range(
    text: str,
) -> tuple[PartialDate | None, PartialDate | None, date, date, bool] | None:
    match = _RANGE.match(text)
    if not match:
        return None
    left_text, right_text = match.group(1).strip(), match.group(2).strip()
    if re.fullmatch(r"\d{2}", right_text) and re.fullmatch(r"\d{4}", left_text):
        right_text = left_text[:2] + right_text  # "1920-21" is 1920-1921
    left, right = _parse_single(left_text), _parse_single(right_text)
    if left is None or right is None:
        return None
    if right[2] < left[1]:
        raise DateError("ends before it starts")
    return left[0], right[0], left[1], right[2], left[3] or right[3]


def _parse_free_text(original: str) -> HistoricalDate | None:
    """Free text such as "(1823-) 1860-1876 (-1935)" or "1898-1905, 1911-1915": its extremes."""
    years = sorted({int(y) for y in _YEARS.findall(original)})
    if not years:
        return None
    first, last = PartialDate(years[0]), PartialDate(years[-1])
    uncertain = bool(_CIRCA.search(original) or "?" in original)
    end = last if last != first else None
    return HistoricalDate(original, first, end, first.earliest(), last.latest(), uncertain)


def parse_life_dates(text: str) -> tuple[HistoricalDate | None, HistoricalDate | None]:
    """Birth and death from a MARC $d such as "1869-1940", "1985-", "b. 1869", "d. 1940"."""
    core = " ".join(text.split()).strip(" .,;:()")
    if not core or re.match(r"^(fl|active|flourished)\b", core, re.I):
        return None, None
    born = re.match(r"^(?:b\.|born|geb\.)\s*(.+)$", core, re.I)
    if born:
        return parse_date(born.group(1)), None
    died = re.match(r"^(?:d\.|died|gest\.|overl\.)\s*(.+)$", core, re.I)
    if died:
        return None, parse_date(died.group(1))
    match = re.match(r"^(.*?\d[?\]]?)?\s*-\s*(.*)$", core)
    if not match:
        return parse_date(core), None
    birth_text, death_text = (match.group(1) or "").strip(), match.group(2).strip()
    return (
        parse_date(birth_text) if birth_text else None,
        parse_date(death_text) if death_text else None,
    )
