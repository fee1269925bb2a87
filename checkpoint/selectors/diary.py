"""Reads for the diary: a navigator's today and week, a supervisor's team week, and the
appointments of a navigator's calendar feed.

Scoped like the caseload: a navigator's diary holds their own cases and those shared with them
(``access.own_and_shared`` inside ``access.cases_visible_to``); the team week holds the cases
of the team a supervisor leads (``access.team_cases_for``). A clash is two appointments that
overlap in time and concern the same participant or the same navigator, the rule the booking
service warns about (``services.appointments.clashes``); cancelled appointments and those
replaced by a rescheduled one never clash.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import QuerySet

from checkpoint import access, dates
from checkpoint.models import (
    UNRESOLVED_STATES,
    Appointment,
    AppointmentOutcome,
    Case,
    CaseState,
    HoursLogEntry,
)
from checkpoint.models.case import deadline_near_q

# Cases with a contract in hand or under way: the diary's tasks (outcomes, hours) are theirs.
OPEN_STATES = (
    CaseState.ACCEPTED,
    CaseState.ACTIVE,
    CaseState.BREACH_REVIEW,
    CaseState.COMPLETION_REVIEW,
)
# The calendar feed's window: the recent past (to see what needs an outcome) and what is booked.
FEED_DAYS_BEFORE = 28
FEED_DAYS_AFTER = 183


@dataclass
class DiaryEntry:
    """An appointment in the diary, with the appointments it clashes with."""

    appointment: Appointment
    clashes: list[Appointment] = field(default_factory=list)

    @property
    def case(self) -> Case:
        return self.appointment.case

    @property
    def ends_at(self) -> datetime:
        return ends_at(self.appointment)


@dataclass
class DiaryDay:
    day: date
    entries: list[DiaryEntry]

    @property
    def clash_count(self) -> int:
        return sum(1 for e in self.entries if e.clashes)


@dataclass
class Diary:
    """A navigator's diary: today's appointments, the week's, and the work waiting on them."""

    today: date
    week_start: date
    today_entries: list[DiaryEntry]
    days: list[DiaryDay]
    outcomes_due: list[Appointment]
    hours_to_verify: list[HoursLogEntry]
    deadlines: list[Case]

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def clash_count(self) -> int:
        return sum(d.clash_count for d in self.days)


@dataclass
class TeamWeek:
    """A supervisor's team week: each day's appointments across the team, with clashes."""

    today: date
    week_start: date
    days: list[DiaryDay]
    outcomes_due: int = 0
    hours_to_verify: int = 0

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def clash_count(self) -> int:
        return sum(d.clash_count for d in self.days)


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def ends_at(appointment: Appointment) -> datetime:
    return appointment.starts_at + timedelta(minutes=appointment.duration_minutes)


def find_clashes(appointments: Iterable[Appointment]) -> dict[int, list[Appointment]]:
    """For each appointment (by pk), the others in ``appointments`` that overlap it and concern
    the same participant or the same navigator. Pure: reads ``case.person_id`` and
    ``case.navigator_id`` from the loaded cases. Cancelled or rescheduled ones are left out."""
    live = sorted(
        (
            a
            for a in appointments
            if a.cancelled_at is None and a.outcome != AppointmentOutcome.RESCHEDULED
        ),
        key=lambda a: a.starts_at,
    )
    found: dict[int, list[Appointment]] = defaultdict(list)
    for i, first in enumerate(live):
        for second in live[i + 1 :]:
            if second.starts_at >= ends_at(first):
                break  # sorted by start: nothing later overlaps ``first``
            if _same_people(first, second):
                found[first.pk].append(second)
                found[second.pk].append(first)
    return dict(found)


def _same_people(a: Appointment, b: Appointment) -> bool:
    if a.case.person_id == b.case.person_id:
        return True
    return a.case.navigator_id is not None and a.case.navigator_id == b.case.navigator_id


def _appointments(cases: QuerySet, start: date, end: date) -> list[Appointment]:
    """Appointments of ``cases`` from ``start`` to ``end`` (inclusive, London days), not
    cancelled, in time order."""
    return list(
        Appointment.objects.filter(
            case__in=cases.values("pk"),
            cancelled_at__isnull=True,
            starts_at__gte=dates.start_of_local_day(start),
            starts_at__lt=dates.start_of_local_day(end + timedelta(days=1)),
        )
        .select_related("case__person", "case__navigator", "referral__provider")
        .order_by("starts_at", "pk")
    )


def _days(appointments: list[Appointment], start: date) -> list[DiaryDay]:
    clashes = find_clashes(appointments)
    by_day: dict[date, list[DiaryEntry]] = defaultdict(list)
    for appointment in appointments:
        day = dates.local_date(appointment.starts_at)
        by_day[day].append(DiaryEntry(appointment, clashes.get(appointment.pk, [])))
    return [
        DiaryDay(start + timedelta(days=n), by_day.get(start + timedelta(days=n), []))
        for n in range(7)
    ]


def _own_cases(user) -> QuerySet:
    return access.cases_visible_to(user).filter(access.own_and_shared(user))


def outcomes_due(cases: QuerySet, *, now: datetime) -> QuerySet:
    """Appointments of open ``cases`` that have started with no outcome recorded."""
    return Appointment.objects.filter(
        case__in=cases.filter(state__in=list(OPEN_STATES)).values("pk"),
        outcome="",
        cancelled_at__isnull=True,
        starts_at__lt=now,
    )


def hours_to_verify(cases: QuerySet) -> QuerySet:
    """Self-reported hours of open ``cases`` nobody has verified (withdrawn ones left out)."""
    return HoursLogEntry.objects.filter(
        community_condition__contract__case__in=cases.filter(state__in=list(OPEN_STATES)).values(
            "pk"
        ),
        verified_at__isnull=True,
        withdrawn_at__isnull=True,
    )


def diary_for(user, *, now: datetime, week_of: date | None = None) -> Diary:
    """The user's diary for the week holding ``week_of`` (this week by default): today's and
    the week's appointments with clashes, outcomes to record, hours to verify and deadlines
    near (``checkpoint.deadlines``, each case's own warning window). A fixed number of
    queries whatever the caseload's size."""
    today = dates.local_date(now)
    start = week_start(week_of or today)
    cases = _own_cases(user)
    week = _appointments(cases, start, start + timedelta(days=6))
    days = _days(week, start)
    if start <= today <= start + timedelta(days=6):
        today_entries = days[today.weekday()].entries
    else:
        today_entries = _days(_appointments(cases, today, today), week_start(today))[
            today.weekday()
        ].entries
    deadlines = list(
        cases.filter(deadline_near_q(today), state__in=list(UNRESOLVED_STATES))
        .select_related("person", "scheme_version")
        .order_by("prosecution_deadline", "reference")
    )
    for case in deadlines:
        case.deadline = case.deadline_status(today)
    return Diary(
        today=today,
        week_start=start,
        today_entries=today_entries,
        days=days,
        outcomes_due=list(
            outcomes_due(cases, now=now).select_related("case__person").order_by("starts_at")
        ),
        hours_to_verify=list(
            hours_to_verify(cases)
            .select_related("community_condition__contract__case__person")
            .order_by("worked_on", "pk")
        ),
        deadlines=deadlines,
    )


def team_week_for(user, *, now: datetime, week_of: date | None = None) -> TeamWeek:
    """The week's appointments of the supervisor's team, by day, with clashes, and how many
    outcomes and hours wait across the team (none for anyone who leads no team)."""
    today = dates.local_date(now)
    start = week_start(week_of or today)
    cases = access.team_cases_for(user)
    week = _appointments(cases, start, start + timedelta(days=6))
    return TeamWeek(
        today=today,
        week_start=start,
        days=_days(week, start),
        outcomes_due=outcomes_due(cases, now=now).count(),
        hours_to_verify=hours_to_verify(cases).count(),
    )


def feed_appointments_for(user, *, now: datetime) -> list[Appointment]:
    """The appointments of the user's own cases (not those shared with them) for their
    calendar feed: from four weeks ago to six months ahead, cancelled ones left out."""
    today = dates.local_date(now)
    cases = access.cases_visible_to(user).filter(navigator=user)
    return _appointments(
        cases,
        today - timedelta(days=FEED_DAYS_BEFORE),
        today + timedelta(days=FEED_DAYS_AFTER),
    )
