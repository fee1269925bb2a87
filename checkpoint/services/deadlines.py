"""Prosecution-deadline watch: escalating alerts (e.g. 28, 14 and 7 days) once per threshold.

Unresolved cases (not yet ineligible, exited or referred) whose s.127 deadline is within the
largest threshold get a ``DeadlineAlert`` row per threshold crossed (unique per case and
threshold) and, for the tightest threshold newly crossed, an email to the navigator and the
team's supervisors through the outbox, written in the same transaction.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from checkpoint import dates, links, roles
from checkpoint.actors import Actor
from checkpoint.models import (
    UNRESOLVED_STATES,
    Case,
    CaseState,
    DeadlineAlert,
    SweepKind,
    SweepRun,
)
from notifications import outbox
from notifications.models import Audience, Channel

from .runs import finish_run, start_run

logger = logging.getLogger(__name__)

# A case to alert on (its ``values()`` row), the threshold crossed and the days left.
_Notice = tuple[dict[str, Any], int, int]


def deadline_watch(*, by: Actor, now: datetime) -> SweepRun | None:
    """Raise the alerts due on ``now``'s date (``by``: the scheduled work, ``SYSTEM``). Returns
    the run, or None if one is already running."""
    today = dates.local_date(now)
    run = start_run(SweepKind.DEADLINES, for_date=today, by=by)
    if run is None:
        return None
    thresholds = sorted(settings.DEADLINE_ALERT_DAYS)
    stats: Counter[str] = Counter()
    try:
        with transaction.atomic():
            stats.update(_raise_alerts(today, now, thresholds))
    except Exception as exc:
        finish_run(run, stats, failed=exc)
        raise
    return finish_run(run, stats)


def _raise_alerts(today: date, now: datetime, thresholds: list[int]) -> Counter[str]:
    horizon = today.fromordinal(today.toordinal() + max(thresholds))
    cases = list(
        Case.objects.filter(
            state__in=list(UNRESOLVED_STATES), prosecution_deadline__lte=horizon
        ).values("pk", "reference", "state", "prosecution_deadline", "navigator_id", "team_id")
    )
    existing = set(
        DeadlineAlert.objects.filter(case_id__in=[c["pk"] for c in cases]).values_list(
            "case_id", "threshold_days"
        )
    )
    new_alerts: list[DeadlineAlert] = []
    to_notify: list[_Notice] = []
    for case in cases:
        days_left = dates.days_until(case["prosecution_deadline"], today)
        crossed = [t for t in thresholds if days_left <= t and (case["pk"], t) not in existing]
        new_alerts += [
            DeadlineAlert(
                case_id=case["pk"],
                threshold_days=t,
                raised_at=now,
                deadline=case["prosecution_deadline"],
                days_left=days_left,
            )
            for t in crossed
        ]
        if crossed:
            to_notify.append((case, min(crossed), days_left))
    DeadlineAlert.objects.bulk_create(new_alerts, ignore_conflicts=True)
    _notify(to_notify, now)
    return Counter(examined=len(cases), findings=len(new_alerts), notified_cases=len(to_notify))


def _notify(items: list[_Notice], now: datetime) -> None:
    supervisors = _supervisors_by_team()
    users = get_user_model().objects.in_bulk(
        {c["navigator_id"] for c, _t, _d in items if c["navigator_id"]}
    )
    for case, threshold, days_left in items:
        recipients = list(supervisors.get(case["team_id"], []))
        if case["navigator_id"] in users:
            recipients.append(users[case["navigator_id"]])
        context = {
            "reference": case["reference"],
            "days_left": days_left,
            "deadline": case["prosecution_deadline"].isoformat(),
            "state": CaseState(case["state"]).label,
            "url": links.url(links.CASE, reference=case["reference"]),
        }
        for user in recipients:
            if user.email:
                outbox.enqueue(
                    key=f"deadline:case:{case['pk']}:{threshold}:user:{user.pk}",
                    channel=Channel.EMAIL,
                    audience=Audience.STAFF,
                    recipient=user.email,
                    template="deadline_alert",
                    context=context,
                    send_after=now,
                    case_id=case["pk"],
                    user=user,
                )


def _supervisors_by_team() -> dict[int | None, list[User]]:
    result: dict[int | None, list[User]] = {}
    for user in (
        get_user_model()
        .objects.filter(
            groups__name=roles.SUPERVISOR, is_active=True, staff_profile__team__isnull=False
        )
        .select_related("staff_profile")
    ):
        result.setdefault(user.staff_profile.team_id, []).append(user)
    return result
