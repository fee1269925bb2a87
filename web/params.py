"""Numbers read from a URL or a query string, parsed strictly.

``str.isdigit`` accepts characters ``int`` refuses ("²", "①") and ``int`` accepts what no
link of ours holds (" 12", "+1", "1_000", Arabic-Indic and full-width digits): a hand-typed or
hostile query string then raised a ValueError (a 500) or named a record no screen linked to.
Every id or number a view reads from ``request.GET``/``request.POST``/the URL goes through
these: ASCII digits only, no sign, no spaces, at most ``MAX_DIGITS`` digits and within the
range of the database's integers, else "not given" (``None``) or a 404/400 where the caller
asks for one.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import BadRequest
from django.http import Http404, QueryDict

MAX_ID = 2**63 - 1  # PostgreSQL's bigint (ids are BigAutoField)
MAX_DIGITS = len(str(MAX_ID))
ASCII_DIGITS = frozenset("0123456789")


def parse_int(value: object, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """``value`` as an int if it is ASCII digits within ``minimum``..``maximum``, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        if not value or len(value) > MAX_DIGITS or not ASCII_DIGITS.issuperset(value):
            return None
        number = int(value)
    else:
        return None
    return number if minimum <= number <= maximum else None


def parse_id(value: object) -> int | None:
    """A record id (1 or more) from a query string or a form, else None."""
    return parse_int(value, minimum=1)


def parse_ids(values: Iterable[object]) -> list[int]:
    """The valid ids among ``values`` (a ``getlist``), in order, without repeats."""
    found: list[int] = []
    for value in values:
        number = parse_id(value)
        if number is not None and number not in found:
            found.append(number)
    return found


def query_id(query: QueryDict, name: str) -> int | None:
    """The id in ``query[name]``, or None when absent or not an id."""
    return parse_id(query.get(name))


def id_or_404(value: object) -> int:
    """An id from the URL: a value that cannot be an id names nothing (404)."""
    number = parse_id(value)
    if number is None:
        raise Http404("No such record")
    return number


def id_or_400(value: object) -> int:
    """An id a form must carry: anything else is a malformed request (400)."""
    number = parse_id(value)
    if number is None:
        raise BadRequest("Malformed id")
    return number
