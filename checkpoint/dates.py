"""All calendar arithmetic for Checkpoint, in one place.

Pure functions: values in, values out, no clock. Month arithmetic is calendar-month
arithmetic (``relativedelta``), never ``timedelta(days=30)``: a contract signed on 31 October
ends on 28 February (29 February in a leap year), and the s.127 time limit for a
summary-only offence committed on 31 August runs out on the last day of February.

Datetimes are aware and interpreted in Europe/London, so a local day boundary is correct
across the clock changes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from dateutil.relativedelta import relativedelta

LONDON = ZoneInfo("Europe/London")

# Magistrates' Courts Act 1980 s.127(1): an information for a summary offence must be laid
# "within six months from the time when the offence was committed".
SUMMARY_ONLY_TIME_LIMIT_MONTHS = 6


def add_months(start: date, months: int) -> date:
    """The corresponding date ``months`` calendar months later (or earlier, if negative).

    Where the target month is shorter, the result is its last day (31 Oct + 4 -> 28/29 Feb).
    """
    return start + relativedelta(months=months)


def contract_end(starts_on: date, months: int) -> date:
    """The last day of a contract that starts on ``starts_on`` and lasts ``months`` months."""
    if months < 1:
        raise ValueError("A contract lasts at least one month.")
    return add_months(starts_on, months)


def prosecution_deadline(
    *, summary_only: bool, committed_on: date, limit_months: int = SUMMARY_ONLY_TIME_LIMIT_MONTHS
) -> date | None:
    """The last day on which a charge can be laid, or None when no statutory limit applies.

    s.127 applies only to summary-only offences; either-way and indictable-only offences have
    no statutory time limit. The day of the offence is excluded and the period ends on the
    corresponding date (the "corresponding date rule"), so 1 January -> 1 July.
    """
    if not summary_only:
        return None
    return add_months(committed_on, limit_months)


def earliest_deadline(deadlines: list[date | None]) -> date | None:
    """The binding deadline for a case with several offences: the earliest one that exists."""
    present = [d for d in deadlines if d is not None]
    return min(present) if present else None


def days_until(target: date, today: date) -> int:
    """Whole days from ``today`` to ``target``; negative once ``target`` has passed."""
    return (target - today).days


def contract_day(starts_on: date, ends_on: date, today: date) -> tuple[int, int]:
    """(day x, of y days) for a contract; x is clamped to 0..y (0 before it starts)."""
    total = (ends_on - starts_on).days + 1
    elapsed = (today - starts_on).days + 1
    return max(0, min(elapsed, total)), total


def within_months(earlier: date, later: date, months: int) -> bool:
    """True when ``later`` is no more than ``months`` calendar months after ``earlier``."""
    return later <= add_months(earlier, months)


def age_on(date_of_birth: date, on: date) -> int:
    """Age in whole years on a date.

    A 29 February birthday counts from 1 March in common years (Family Law Reform Act 1969
    s.9: a person attains an age at the start of the anniversary of their birth).
    """
    before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - before_birthday


def local_date(moment: datetime) -> date:
    """The Europe/London calendar date of an aware datetime."""
    if moment.tzinfo is None:
        raise ValueError("Naive datetime: Checkpoint stores aware datetimes only.")
    return moment.astimezone(LONDON).date()


def start_of_local_day(day: date) -> datetime:
    """The aware instant at which ``day`` begins in Europe/London."""
    return datetime.combine(day, time.min, tzinfo=LONDON)


def end_of_local_day(day: date) -> datetime:
    """The aware instant at which ``day`` ends (the start of the next day) in Europe/London."""
    return start_of_local_day(day + timedelta(days=1))


def follow_up_date(outcome_on: date, months: int = 24) -> date:
    """When reoffending is checked for evaluation (the Cambridge trial used 24 months)."""
    return add_months(outcome_on, months)


def bank_holiday(day: date) -> str:
    """The name of the bank holiday in England and Wales on ``day``, or "" (from the
    maintained ``holidays`` data package: substitute days included)."""
    return str(holidays.country_holidays("GB", subdiv="ENG", years=day.year).get(day) or "")
