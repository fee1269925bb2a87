"""Pure compliance rules used by the scheduled sweep: values in, a decision out, no clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from checkpoint import dates

# Hours may lag the straight-line schedule by this much before it is a finding: one missed
# session is normal, two are worth a conversation.
HOURS_SLACK = Decimal(4)
# No pro-rata finding in the first fortnight: placements take time to arrange.
GRACE_DAYS = 14


@dataclass(frozen=True)
class HoursCheck:
    behind: bool
    expected: Decimal
    logged: Decimal
    period: int  # which month of the contract the finding belongs to (1-based; 0 if on track)


def hours_behind(
    *, required: int, logged: Decimal, starts_on: date, ends_on: date, today: date
) -> HoursCheck:
    """Is the participant behind a straight-line (pro-rata) schedule of community hours?

    Expected hours by ``today`` = required x elapsed days / contract days. A finding is
    recorded at most once per month of the contract (``period``).
    """
    total_days = (ends_on - starts_on).days or 1
    elapsed = max(0, min((today - starts_on).days, total_days))
    expected = (Decimal(required) * elapsed / total_days).quantize(Decimal("0.01"))
    behind = elapsed >= GRACE_DAYS and logged + HOURS_SLACK < expected
    # The month only matters for a finding (its key), so it is worked out only then.
    period = contract_month(starts_on, today) if behind else 0
    return HoursCheck(behind=behind, expected=expected, logged=logged, period=period)


def contract_month(starts_on: date, today: date) -> int:
    """Which month of the contract ``today`` falls in (1-based), by calendar months from the
    start, as the contract's own dates are (31 Oct -> month 2 begins on 30 Nov)."""
    months = (today.year - starts_on.year) * 12 + today.month - starts_on.month
    if months > 0 and dates.add_months(starts_on, months) > today:
        months -= 1  # this month's anniversary has not come yet
    return max(months, 0) + 1
