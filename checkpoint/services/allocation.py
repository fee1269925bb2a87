"""Allocating cases to navigators, handing a caseload over, and the alert for a case left
unallocated (DESIGN.md 1.2: a navigator works their own caseload; a supervisor allocates within
the team). Every allocation is a ``CaseAllocation`` row: the case's allocation history.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from checkpoint import access, links, roles
from checkpoint.actors import Actor, user_of
from checkpoint.models import (
    TERMINAL_STATES,
    Case,
    CaseAllocation,
    CaseState,
    CaseTransition,
)
from checkpoint.permissions import Permission
from notifications import outbox
from notifications.models import Audience, Channel

from .common import require_text, resolve_now
from .errors import InvalidInput, NotPermitted, TransitionBlocked
from .locking import authorise, lock_case

logger = logging.getLogger(__name__)

# Before acceptance a case is the decision maker's; closed cases are not allocated again.
ALLOCATABLE_STATES = frozenset(set(CaseState) - TERMINAL_STATES) - {
    CaseState.ASSESSMENT,
    CaseState.ELIGIBLE,
    CaseState.OFFERED,
    CaseState.DECLINED,
}


def check_navigator(navigator: User, case: Case) -> None:
    """A case is allocated to an active navigator of its own team."""
    profile = getattr(navigator, "staff_profile", None)
    if not roles.has_role(navigator, roles.NAVIGATOR) or not navigator.is_active:
        raise InvalidInput("Choose a navigator", field="navigator")
    if profile is None or profile.team_id != case.team_id:
        raise InvalidInput(f"Choose a navigator of the {case.team} team", field="navigator")


def record_allocation(
    case: Case, navigator: User | None, *, by: User, at: datetime, reason: str = ""
) -> CaseAllocation | None:
    """Set the case's navigator and write the allocation history row (nothing when the case
    already has that navigator). The caller holds the case's lock."""
    if case.navigator_id == (navigator.pk if navigator else None):
        return None
    row = CaseAllocation.objects.create(
        case=case,
        navigator=navigator,
        previous_navigator_id=case.navigator_id,
        by=by,
        at=at,
        reason=reason.strip(),
    )
    case.navigator = navigator
    case.save(update_fields=["navigator", "updated_at"])
    return row


@transaction.atomic
def case_allocate(
    *,
    case_ids: Sequence[int],
    by: Actor,
    navigator: User,
    reason: str = "",
    now: datetime | None = None,
) -> list[Case]:
    """Allocate (or reallocate) one or more of the team's cases to a navigator of the team.

    All or nothing: a case that cannot be allocated refuses the whole allocation, saying
    which and why. Cases are locked in id order, so two allocations never deadlock. Taking a
    case from one navigator to another needs a reason (kept in the case's history: the
    participant and the navigator who had the case will ask why).
    """
    now = resolve_now(now)
    if not case_ids:
        raise InvalidInput("Select at least one case", field="cases")
    cases = []
    for case_id in sorted(set(case_ids)):
        case = lock_case(case_id, by=by, needs=Permission.ALLOCATE, related=("team",))
        if case.state not in ALLOCATABLE_STATES:
            raise TransitionBlocked(
                f"{case.reference} is '{case.get_state_display()}': only cases accepted onto "
                "the scheme and still open are allocated."
            )
        check_navigator(navigator, case)
        if case.navigator_id not in (None, navigator.pk) and not reason.strip():
            raise InvalidInput(
                f"Enter why {case.reference} is reallocated from its navigator", field="reason"
            )
        record_allocation(case, navigator, by=user_of(by), at=now, reason=reason)
        cases.append(case)
    logger.info("%s cases allocated to user %s", len(cases), navigator.pk)
    return cases


@transaction.atomic
def caseload_handover(
    *,
    by: Actor,
    from_navigator: User,
    assignments: Mapping[int, User],
    reason: str,
    now: datetime | None = None,
) -> int:
    """Hand a navigator's whole open caseload to others (e.g. when they leave): each of their
    open cases to the navigator ``assignments`` names for it. Every open case of theirs must
    be named, so none is left behind; the reason is kept with each allocation."""
    now = resolve_now(now)
    authorise(by, Permission.HAND_OVER_CASELOAD)
    user = user_of(by)
    team = getattr(getattr(from_navigator, "staff_profile", None), "team_id", None)
    if not user.is_superuser and access.supervised_team_id(user) != team:
        raise NotPermitted("You can hand over the caseloads of your own team's navigators only.")
    reason = require_text(reason, field="reason", message="Enter why the caseload is handed over")
    open_ids = set(
        Case.objects.filter(
            navigator=from_navigator, state__in=sorted(ALLOCATABLE_STATES)
        ).values_list("pk", flat=True)
    )
    missing = open_ids - set(assignments)
    if missing:
        raise InvalidInput(
            f"Choose a navigator for each of the {len(open_ids)} open cases "
            f"({len(missing)} without one)",
            field="assignments",
        )
    if any(navigator.pk == from_navigator.pk for navigator in assignments.values()):
        raise InvalidInput("Hand each case to another navigator", field="assignments")
    for case_id in sorted(open_ids):
        case_allocate(case_ids=[case_id], by=by, navigator=assignments[case_id], reason=reason)
    return len(open_ids)


def unallocated_alerts(*, by: Actor, now: datetime) -> int:
    """Email the team's supervisors about each case accepted more than
    ``UNALLOCATED_ALERT_HOURS`` ago and still without a navigator (once per case: the outbox
    key). Returns how many cases were newly alerted. Run hourly by the scheduled work."""
    authorise(by, Permission.RUN_SCHEDULED_WORK)
    since = now - timedelta(hours=settings.UNALLOCATED_ALERT_HOURS)
    accepted = CaseTransition.objects.filter(transition="accept_offer", at__lt=since)
    cases = list(
        Case.objects.filter(
            navigator__isnull=True,
            state__in=sorted(ALLOCATABLE_STATES),
            pk__in=accepted.values("case_id"),
        ).values("pk", "reference", "team_id")
    )
    supervisors = _supervisors_by_team({c["team_id"] for c in cases})
    with transaction.atomic():
        for case in cases:
            for user in supervisors.get(case["team_id"], []):
                outbox.enqueue(
                    key=f"unallocated:case:{case['pk']}:user:{user.pk}",
                    channel=Channel.EMAIL,
                    audience=Audience.STAFF,
                    recipient=user.email,
                    template="unallocated_alert",
                    context={
                        "reference": case["reference"],
                        "hours": settings.UNALLOCATED_ALERT_HOURS,
                        "url": links.url(links.CASE, reference=case["reference"]),
                    },
                    send_after=now,
                    case_id=case["pk"],
                    user=user,
                )
    return len(cases)


def _supervisors_by_team(team_ids: set[int]) -> dict[int, list[User]]:
    result: dict[int, list[User]] = {}
    for user in (
        User.objects.filter(
            groups__name=roles.SUPERVISOR,
            is_active=True,
            staff_profile__team_id__in=team_ids,
        )
        .exclude(email="")
        .select_related("staff_profile")
    ):
        profile = user.staff_profile
        if profile.team_id is not None:
            result.setdefault(profile.team_id, []).append(user)
    return result
