"""The staff morning digest: today's appointments, overdue items, approaching deadlines.

One email per navigator per day (the outbox key includes the date), built from three grouped
queries whatever the number of staff.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from checkpoint import dates, roles
from checkpoint.models import (
    UNRESOLVED_STATES,
    Appointment,
    Case,
    ComplianceEvent,
    SweepKind,
)
from notifications import outbox
from notifications.models import Audience, Channel

from .runs import finish_run, start_run

DEADLINE_WINDOW_DAYS = 28


def staff_digest(*, now: datetime):
    today = dates.local_date(now)
    run = start_run(SweepKind.DIGEST, for_date=today)
    if run is None:
        return None
    try:
        with transaction.atomic():
            stats = _write_digests(now)
    except Exception as exc:
        finish_run(run, Counter(), failed=exc)
        raise
    return finish_run(run, stats)


def _write_digests(now: datetime) -> Counter:
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
                "name": user.get_full_name() or user.get_username(),
                "today": today.isoformat(),
                "appointments": appointments[user.pk],
                "overdue": overdue[user.pk],
                "deadlines": deadlines[user.pk],
                "window": DEADLINE_WINDOW_DAYS,
                "url": settings.SITE_URL + reverse("navigators:caseload"),
            },
        )
    return Counter(examined=len(navigators), findings=len(navigators))


def _appointments_today(ids, today) -> dict[int, list]:
    result = defaultdict(list)
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


def _overdue(ids, today) -> dict[int, list]:
    result = defaultdict(list)
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


def _deadlines(ids, today) -> dict[int, list]:
    result = defaultdict(list)
    horizon = today + timedelta(days=DEADLINE_WINDOW_DAYS)
    for c in Case.objects.filter(
        navigator_id__in=ids, state__in=list(UNRESOLVED_STATES), prosecution_deadline__lte=horizon
    ).values("navigator_id", "reference", "prosecution_deadline"):
        result[c["navigator_id"]].append(
            {
                "reference": c["reference"],
                "deadline": f"{c['prosecution_deadline']:%d %b %Y}",
                "days_left": dates.days_until(c["prosecution_deadline"], today),
            }
        )
    return result
