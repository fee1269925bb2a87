"""The staff morning digest: today's appointments, overdue items, approaching deadlines.

One email per navigator per day (the outbox key includes the date), built from three grouped
queries whatever the number of staff.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime
from typing import TypedDict

from django.contrib.auth import get_user_model
from django.db import transaction

from checkpoint import dates, links, roles
from checkpoint.actors import Actor
from checkpoint.deadlines import deadline_status
from checkpoint.models import (
    UNRESOLVED_STATES,
    Appointment,
    Case,
    ComplianceEvent,
    SweepKind,
    SweepRun,
)
from checkpoint.text import display_name, long_date
from notifications import outbox
from notifications.models import Audience, Channel

from .runs import finish_run, start_run


class AppointmentItem(TypedDict):
    time: str
    reference: str
    kind: str


class OverdueItem(TypedDict):
    reference: str
    what: str


class DeadlineItem(TypedDict):
    reference: str
    deadline: str
    days_left: int | None
    time_barred: bool


def staff_digest(*, by: Actor, now: datetime) -> SweepRun | None:
    """Write the day's digests (``by``: the scheduled work, ``SYSTEM``). Returns the run, or
    None if one is already running."""
    today = dates.local_date(now)
    run = start_run(SweepKind.DIGEST, for_date=today, by=by)
    if run is None:
        return None
    try:
        with transaction.atomic():
            stats = _write_digests(now)
    except Exception as exc:
        finish_run(run, Counter(), failed=exc)
        raise
    return finish_run(run, stats)


def _write_digests(now: datetime) -> Counter[str]:
    today = dates.local_date(now)
    navigators = list(
        get_user_model()
        .objects.filter(groups__name=roles.NAVIGATOR, is_active=True)
        .exclude(email="")
    )
    ids = [u.pk for u in navigators]
    appointments, overdue = _appointments_today(ids, today), _overdue(ids, today)
    deadlines = _deadlines(ids, today)
    for user in navigators:
        outbox.enqueue(
            key=f"digest:user:{user.pk}:{today.isoformat()}",
            channel=Channel.EMAIL,
            audience=Audience.STAFF,
            recipient=user.email,
            template="staff_digest",
            send_after=now,
            user=user,
            context={
                "name": display_name(user),
                "today": today.isoformat(),
                "appointments": appointments[user.pk],
                "overdue": overdue[user.pk],
                "deadlines": deadlines[user.pk],
                "url": links.url(links.CASELOAD),
            },
        )
    return Counter(examined=len(navigators), findings=len(navigators))


def _appointments_today(ids: list[int], today: date) -> dict[int, list[AppointmentItem]]:
    result: defaultdict[int, list[AppointmentItem]] = defaultdict(list)
    for a in (
        Appointment.objects.filter(
            case__navigator_id__in=ids,
            outcome="",
            starts_at__gte=dates.start_of_local_day(today),
            starts_at__lt=dates.end_of_local_day(today),
        )
        .values("case__navigator_id", "case__reference", "starts_at", "kind")
        .order_by("starts_at")
    ):
        result[a["case__navigator_id"]].append(
            {
                "time": f"{a['starts_at'].astimezone(dates.LONDON):%H:%M}",
                "reference": a["case__reference"],
                "kind": a["kind"],
            }
        )
    return result


def _overdue(ids: list[int], today: date) -> dict[int, list[OverdueItem]]:
    result: defaultdict[int, list[OverdueItem]] = defaultdict(list)
    for a in Appointment.objects.filter(
        case__navigator_id__in=ids, outcome="", starts_at__lt=dates.start_of_local_day(today)
    ).values("case__navigator_id", "case__reference"):
        result[a["case__navigator_id"]].append(
            {"reference": a["case__reference"], "what": "appointment outcome to record"}
        )
    for e in ComplianceEvent.objects.filter(
        case__navigator_id__in=ids, resolved_at__isnull=True
    ).values("case__navigator_id", "case__reference"):
        result[e["case__navigator_id"]].append(
            {"reference": e["case__reference"], "what": "open compliance event"}
        )
    return result


def _deadlines(ids: list[int], today: date) -> dict[int, list[DeadlineItem]]:
    """Unresolved cases whose deadline is inside their scheme's warning window, or passed."""
    result: defaultdict[int, list[DeadlineItem]] = defaultdict(list)
    rows = (
        Case.objects.filter(navigator_id__in=ids, state__in=list(UNRESOLVED_STATES))
        .deadline_near(today)
        .values(
            "navigator_id",
            "reference",
            "prosecution_deadline",
            "scheme_version__deadline_warning_days",
        )
        .order_by("prosecution_deadline", "reference")
    )
    for c in rows:
        status = deadline_status(
            c["prosecution_deadline"],
            today=today,
            warning_days=c["scheme_version__deadline_warning_days"],
        )
        result[c["navigator_id"]].append(
            {
                "reference": c["reference"],
                "deadline": long_date(c["prosecution_deadline"]),
                "days_left": status.days_left,
                "time_barred": status.time_barred,
            }
        )
    return result
