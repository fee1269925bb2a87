"""Small helpers shared by the services."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from django.utils import timezone

from checkpoint import dates
from checkpoint.models import Case, CaseState
from checkpoint.text import has_hidden_characters, hidden_characters_message

from .errors import InvalidInput, TransitionBlocked

# A contract is open to appointments from acceptance; the records of a running contract are
# kept while it runs or is reviewed.
SCHEDULABLE_STATES = (CaseState.ACCEPTED, CaseState.ACTIVE, CaseState.BREACH_REVIEW)
CONTRACT_STATES = (CaseState.ACTIVE, CaseState.BREACH_REVIEW, CaseState.COMPLETION_REVIEW)


def resolve_now(now: datetime | None) -> datetime:
    """The moment an action happens (tests and the scheduled work pass it in)."""
    if now is None:
        return timezone.now()
    if timezone.is_naive(now):
        raise ValueError("Services take aware datetimes only.")
    return now


def today_of(now: datetime) -> date:
    return dates.local_date(now)


def require_text(value: str, *, field: str, message: str, min_length: int = 1) -> str:
    text = (value or "").strip()
    if len(text) < min_length:
        raise InvalidInput(message, field=field)
    return text


def require_plain_text(value: str, *, field: str, what: str) -> str:
    """A name or reference with no control or hidden text-direction characters
    (``checkpoint.text.has_hidden_characters``), stripped."""
    text = (value or "").strip()
    if has_hidden_characters(text):
        raise InvalidInput(hidden_characters_message(what), field=field)
    return text


def require_not_future(value: date, *, today: date, field: str, what: str) -> date:
    if value > today:
        raise InvalidInput(f"{what} must be today or in the past", field=field)
    return value


def require_state(case: Case, states: Collection[str], message: str) -> None:
    if case.state not in states:
        raise TransitionBlocked(message)
