"""Refusals on record (issue 17 point 4): a page refused to a signed-in member of staff (403,
or 404 for a case out of reach) is written to the security log, and a burst of refusals to one
person raises one alert to the administrators.

The screens decide *which* requests are refusals worth recording (``web.refusals``); this
module writes the row and watches for bursts. A burst is ``REFUSAL_ALERT_THRESHOLD`` refusals
within ``REFUSAL_ALERT_WINDOW_MINUTES``: it raises one ``RefusalAlert`` (a WARNING on the
``checkpoint.security`` logger and an email to each administrator, through the outbox) and no
other alert for that person until a whole window has passed since it, however many refusals
follow.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q

from checkpoint import access, links, roles
from checkpoint.models import Case, RefusalAlert, RefusalLog, RefusalReason
from notifications import outbox
from notifications.models import Audience, Channel

security_log = logging.getLogger("checkpoint.security")

MAX_PATH = 300
MAX_REFERENCE = 40


def refusal_reason(user: User, status: int, reference: str) -> tuple[str, Case | None]:
    """Why a request was refused, and the case it named (if one has that reference): a 403 is
    the role; a 404 is a case out of the user's reach, a reference no case has, or (for a case
    in reach) a page or record that does not exist."""
    case = Case.objects.filter(reference=reference).first() if reference else None
    if status == 403:
        return RefusalReason.NOT_PERMITTED, case
    if case is not None:
        if access.can_see_case(user, case):
            return RefusalReason.NOT_FOUND, case
        return RefusalReason.OUT_OF_REACH, case
    if reference:
        return RefusalReason.NO_SUCH_CASE, None
    return RefusalReason.NOT_FOUND, None


@transaction.atomic
def refusal_record(
    *,
    user: User,
    status: int,
    method: str,
    path: str,
    page: str,
    reference: str,
    ip_address: str | None,
    now: datetime,
) -> RefusalLog:
    """Write one refusal to the security log, and raise an alert if it completes a burst."""
    reference = reference[:MAX_REFERENCE]
    reason, case = refusal_reason(user, status, reference)
    row = RefusalLog.objects.create(
        user=user,
        at=now,
        method=method[:10],
        path=path[:MAX_PATH],
        page=page[:80],
        status=status,
        reason=reason,
        case_reference=reference,
        case=case,
        ip_address=ip_address,
    )
    security_log.info(
        "refused: user %s, %s %s, status %s, reason %s", user.pk, method[:10], page, status, reason
    )
    _alert_if_burst(user, now)
    return row


def _alert_if_burst(user: User, now: datetime) -> RefusalAlert | None:
    minutes = settings.REFUSAL_ALERT_WINDOW_MINUTES
    threshold = settings.REFUSAL_ALERT_THRESHOLD
    since = now - timedelta(minutes=minutes)
    # Two refusals at once must not both raise the alert: the user's row is the lock.
    get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk").first()
    recent = RefusalLog.objects.filter(user=user, at__gt=since, at__lte=now)
    count = recent.count()
    if count < threshold:
        return None
    if RefusalAlert.objects.filter(user=user, raised_at__gt=since).exists():
        return None  # this burst has its alert already
    first_at = recent.order_by("at", "pk").values_list("at", flat=True).first() or now
    alert = RefusalAlert.objects.create(
        user=user, raised_at=now, first_at=first_at, refusals=count, window_minutes=minutes
    )
    security_log.warning(
        "refusal burst: user %s refused %s times in %s minutes (alert %s)",
        user.pk,
        count,
        minutes,
        alert.pk,
    )
    _email_administrators(alert, user, now)
    return alert


def administrators() -> list[User]:
    """Who is told of a burst: active administrators (the role, or superusers) with an email."""
    return list(
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(groups__name=roles.ADMINISTRATOR), is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _email_administrators(alert: RefusalAlert, user: User, now: datetime) -> None:
    context = {
        "username": user.get_username(),
        "refusals": alert.refusals,
        "minutes": alert.window_minutes,
        "first_at": alert.first_at.isoformat(),
        "url": links.url(links.AUDIT_REFUSALS, username=user.get_username()),
    }
    for admin in administrators():
        outbox.enqueue(
            key=f"refusal-alert:{alert.pk}:user:{admin.pk}",
            channel=Channel.EMAIL,
            audience=Audience.STAFF,
            recipient=admin.email,
            template="refusal_alert",
            context=context,
            send_after=now,
            user=admin,
        )
