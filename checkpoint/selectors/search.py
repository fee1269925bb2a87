"""Finding a case by what a person types: a name, a case reference, a PNC ID or a date of birth.

The one place that reads a search box, used by the caseload, the custody list and the team's
case list. Each screen's selector scopes its cases to the user first (``checkpoint.access``)
and then narrows them with ``filter_cases``, so a search never reaches further than the list it
is typed into.

A query is split into words, and each word is read as one of:

- a case reference, ``CP-7KQ4-M2XD`` (or its start, ``CP-7KQ4``);
- a PNC ID, ``26/123456A`` (spaces and case ignored, as stored: ``checkpoint.text``);
- a date of birth, day first as people write it in the UK (``3/12/1990``, ``3.12.1990``,
  ``3-12-1990``) or ISO (``1990-12-03``);
- otherwise part of a name: matched against ``Person.search_name``, which the domain keeps with
  accents and case folded (``checkpoint.text.search_key``); the words are folded the same way,
  so "Ni Bhriain" finds "Ní Bhriain" and "NÍ BHRIAIN" finds "Ni Bhriain", on SQLite and
  PostgreSQL alike (no database collation is involved). A name word also matches the inside
  of a reference ("7KQ4").

Every word must match (AND). Pure parsing (``parse_case_query``) is separate from the filter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from django.db.models import Q, QuerySet

from checkpoint.text import normalise_pnc, search_key

_REFERENCE = re.compile(r"^CP-[0-9A-Z]{1,4}(-[0-9A-Z]{0,4})?$")
_PNC = re.compile(r"^\d{2}(\d{2})?/\d{1,7}[A-Z]$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")

_Cases = TypeVar("_Cases", bound=QuerySet)

DATE_ERROR = "Enter a real date of birth, like 3/12/1990 or 1990-12-03"


@dataclass(frozen=True)
class CaseQuery:
    """A search box's text, read. ``error`` says what could not be read (nothing is searched
    then); ``empty`` when nothing was typed."""

    text: str = ""
    references: tuple[str, ...] = ()
    pnc_ids: tuple[str, ...] = ()
    born_on: tuple[date, ...] = ()
    name_words: tuple[str, ...] = ()
    error: str = ""

    @property
    def empty(self) -> bool:
        return not (self.references or self.pnc_ids or self.born_on or self.name_words)


def _date_of(word: str) -> date | str | None:
    """The date a word states, None when it is not a date, or "" when it looks like a date
    but is not a real one (31/2/1990)."""
    day_first, iso = _DAY_FIRST.match(word), _ISO.match(word)
    if day_first:
        day, month, year = (int(g) for g in day_first.groups())
    elif iso:
        year, month, day = (int(g) for g in iso.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return ""


def parse_case_query(text: str) -> CaseQuery:
    """Read a search box (pure: no database). See the module docstring for what each word
    may be."""
    references: list[str] = []
    pnc_ids: list[str] = []
    born_on: list[date] = []
    names: list[str] = []
    for word in (text or "").split():
        upper = word.upper()
        day = _date_of(word)
        if day == "":
            return CaseQuery(text=text, error=DATE_ERROR)
        if isinstance(day, date):
            born_on.append(day)
        elif _REFERENCE.match(upper):
            references.append(upper)
        elif _PNC.match(normalise_pnc(word)):
            pnc_ids.append(normalise_pnc(word))
        else:
            names += search_key(word).split()
    return CaseQuery(
        text=text,
        references=tuple(references),
        pnc_ids=tuple(pnc_ids),
        born_on=tuple(born_on),
        name_words=tuple(w for w in names if w),
    )


def filter_cases(queryset: _Cases, query: CaseQuery | str) -> _Cases:
    """Narrow an already user-scoped queryset of cases to those matching ``query`` (nothing
    when the query could not be read)."""
    if isinstance(query, str):
        query = parse_case_query(query)
    if query.error:
        return queryset.none()
    for ref in query.references:
        queryset = queryset.filter(reference__istartswith=ref)
    for pnc in query.pnc_ids:
        queryset = queryset.filter(person__pnc_id=pnc)
    for born in query.born_on:
        queryset = queryset.filter(person__date_of_birth=born)
    for word in query.name_words:
        # Both sides folded by ``search_key``: a plain (case-sensitive) LIKE is exact here.
        queryset = queryset.filter(
            Q(person__search_name__contains=word) | Q(reference__icontains=word)
        )
    return queryset
