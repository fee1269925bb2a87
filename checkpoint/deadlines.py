"""The prosecution deadline's status: days left, near (inside the scheme's warning window) or
passed (time-barred). Pure: values in, a status out; the one place that decides it, read by the
caseload, the custody list, the team screens, the digest, the case page and the prosecution
referral.

Magistrates' Courts Act 1980 s.127: a summary-only offence must be charged within six months
(``checkpoint.dates.prosecution_deadline``); the deadline is the last day a charge can be laid,
so a case is time-barred from the day after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from checkpoint import dates


class DeadlineState(StrEnum):
    NONE = "none"  # no statutory time limit (not a summary-only offence)
    OK = "ok"
    NEAR = "near"  # inside the scheme profile's warning window
    PASSED = "passed"  # time-barred: the offence can no longer be charged


@dataclass(frozen=True)
class DeadlineStatus:
    deadline: date | None
    days_left: int | None
    warning_days: int
    state: DeadlineState

    @property
    def near(self) -> bool:
        return self.state == DeadlineState.NEAR

    @property
    def time_barred(self) -> bool:
        return self.state == DeadlineState.PASSED

    @property
    def needs_attention(self) -> bool:
        """Near or passed: shown with a warning tag."""
        return self.state in (DeadlineState.NEAR, DeadlineState.PASSED)


def deadline_status(deadline: date | None, *, today: date, warning_days: int) -> DeadlineStatus:
    """The status of a prosecution deadline on ``today`` under a warning window of
    ``warning_days`` (the case's scheme profile, ``SchemeVersion.deadline_warning_days``)."""
    if deadline is None:
        return DeadlineStatus(None, None, warning_days, DeadlineState.NONE)
    days_left = dates.days_until(deadline, today)
    if days_left < 0:
        state = DeadlineState.PASSED
    elif days_left <= warning_days:
        state = DeadlineState.NEAR
    else:
        state = DeadlineState.OK
    return DeadlineStatus(deadline, days_left, warning_days, state)


def warn_from(today: date, warning_days: int) -> date:
    """The latest deadline that is inside a warning window of ``warning_days`` on ``today``
    (for a database filter: ``prosecution_deadline <= warn_from(...)``)."""
    return today + timedelta(days=warning_days)


@dataclass(frozen=True)
class ContractDates:
    """What the builder shows before signing: the end date and its slack to the deadline."""

    starts_on: date
    ends_on: date
    deadline: date | None
    days_from_end_to_deadline: int | None
    warning_days: int

    @property
    def deadline_before_end(self) -> bool:
        return self.days_from_end_to_deadline is not None and self.days_from_end_to_deadline < 0

    @property
    def tight(self) -> bool:
        """The deadline falls within the warning window of the contract's end (or before it):
        a failing case would have little time to reach the prosecutor."""
        slack = self.days_from_end_to_deadline
        return slack is not None and slack <= self.warning_days


def contract_dates(
    *, starts_on: date, months: int, deadline: date | None, warning_days: int
) -> ContractDates:
    """The contract's end date for a start date, and how it sits against the deadline."""
    ends_on = dates.contract_end(starts_on, months)
    slack = dates.days_until(deadline, ends_on) if deadline else None
    return ContractDates(starts_on, ends_on, deadline, slack, warning_days)
