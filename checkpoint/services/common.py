"""Small helpers shared by the services."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from checkpoint import dates

from .errors import InvalidInput


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


def require_not_future(value: date, *, today: date, field: str, what: str) -> date:
    if value > today:
        raise InvalidInput(f"{what} must be today or in the past", field=field)
    return value
