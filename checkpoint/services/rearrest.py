"""A person arrested while on a contract (DESIGN.md 1.1 stage 5: a new arrest is reported
against the Offending condition).

When custody opens a case, the person is matched against everyone on a running contract: the
same PNC ID is a match (``exact``); the same name (accents and case folded) and date of birth is
a *possible* match that a person must confirm. Each match is a ``RearrestMatch`` awaiting the
active case's navigator, who is emailed with the team's supervisors; confirming it records the
new offence on the active case (the Offending condition), dismissing it says why.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q

from checkpoint import links, roles
from checkpoint.actors import Actor, user_of
from checkpoint.models import (
    SUPERVISED_STATES,
    Case,
    ComplianceKind,
    MatchKind,
    MatchStatus,
    NewOffenceReport,
    Person,
    RearrestMatch,
)
from checkpoint.permissions import Permission
from checkpoint.text import long_date, normalise_pnc
from notifications import outbox
from notifications.models import Audience, Channel

from .common import CONTRACT_STATES, require_state, require_text, resolve_now, today_of
from .compliance import record_event
from .errors import RecordNotFound, TransitionBlocked
from .locking import lock_case

logger = logging.getLogger(__name__)


def find_rearrests(new_case: Case, *, now: datetime) -> list[RearrestMatch]:
    """Match the person of a newly opened case against everyone on a running contract and
    record each match, alerting the navigator and supervisors. Called by ``case_open``, in its
    transaction."""
    person = new_case.person
    same_person = Q(person=person)
    pnc = normalise_pnc(person.pnc_id)
    exact = Q(person__pnc_id=pnc) if pnc else Q(pk__in=[])
    possible = Q(person__search_name=person.search_name, person__date_of_birth=person.date_of_birth)
    running = (
        Case.objects.filter(state__in=sorted(SUPERVISED_STATES))
        .filter(same_person | exact | possible)
        .exclude(pk=new_case.pk)
        .select_related("person", "navigator")
    )
    matches = []
    for active in running:
        kind = MatchKind.EXACT if _same(active.person, person, pnc) else MatchKind.POSSIBLE
        match = RearrestMatch.objects.create(
            active_case=active, new_case=new_case, kind=kind, found_at=now
        )
        _alert(match, now=now)
        matches.append(match)
    if matches:
        logger.info("case %s: %s possible re-arrests recorded", new_case.pk, len(matches))
    return matches


def _same(known: Person, arrested: Person, pnc: str) -> bool:
    """The same record, or the same PNC ID: certain; a name and birth date only: possible."""
    return known.pk == arrested.pk or (bool(pnc) and normalise_pnc(known.pnc_id) == pnc)


def _alert(match: RearrestMatch, *, now: datetime) -> None:
    case = match.active_case
    recipients = list(
        User.objects.filter(
            groups__name=roles.SUPERVISOR, is_active=True, staff_profile__team_id=case.team_id
        ).exclude(email="")
    )
    if case.navigator is not None and case.navigator.email:
        recipients.append(case.navigator)
    for user in recipients:
        outbox.enqueue(
            key=f"rearrest:{match.pk}:user:{user.pk}",
            channel=Channel.EMAIL,
            audience=Audience.STAFF,
            recipient=user.email,
            template="rearrest_alert",
            context={
                "reference": case.reference,
                "kind": match.get_kind_display(),
                "url": links.url(links.CASE, reference=case.reference),
            },
            send_after=now,
            case_id=case.pk,
            user=user,
        )


def _pending(match_id: int, by: Actor) -> tuple[Case, RearrestMatch]:
    case_id = RearrestMatch.objects.filter(pk=match_id).values_list("active_case_id", flat=True)
    case = lock_case(case_id.first(), by=by, needs=Permission.CONFIRM_REARREST)
    match = RearrestMatch.objects.select_related("new_case__arrest").filter(pk=match_id).first()
    if match is None:
        raise RecordNotFound("Re-arrest")
    if match.status != MatchStatus.PENDING:
        raise TransitionBlocked(f"This match is already decided: {match.get_status_display()}.")
    return case, match


@transaction.atomic
def rearrest_confirm(
    *, match_id: int, by: Actor, description: str = "", now: datetime | None = None
) -> NewOffenceReport:
    """The navigator confirms the arrest is their participant's: a new offence is reported on
    the active case (the Offending condition), with the custody case's reference."""
    now = resolve_now(now)
    case, match = _pending(match_id, by)
    require_state(case, CONTRACT_STATES, "A new offence is reported against a running contract.")
    arrest = match.new_case.arrest
    occurred_on = min(o.committed_on for o in arrest.offences.all())
    report = NewOffenceReport.objects.create(
        case=case,
        occurred_on=occurred_on,
        reported_on=today_of(now),
        reference=arrest.custody_reference[:40],
        description=description.strip()
        or f"Arrested on {long_date(today_of(arrest.arrested_at))} (case {match.new_case})",
        reported_by=user_of(by),
    )
    record_event(
        case,
        ComplianceKind.NEW_OFFENCE,
        occurred_on=occurred_on,
        detail="New offence reported",
        by=by,
        at=now,
        dedupe_key=f"new_offence:{report.pk}",
    )
    _decide(match, MatchStatus.CONFIRMED, by=by, now=now, report=report)
    return report


@transaction.atomic
def rearrest_dismiss(
    *, match_id: int, by: Actor, reason: str, now: datetime | None = None
) -> RearrestMatch:
    """Not the same person (a possible match by name and birth date): kept, with why."""
    now = resolve_now(now)
    _case, match = _pending(match_id, by)
    match.reason = require_text(reason, field="reason", message="Enter why it is not them")
    _decide(match, MatchStatus.DISMISSED, by=by, now=now)
    return match


def _decide(
    match: RearrestMatch,
    status: str,
    *,
    by: Actor,
    now: datetime,
    report: NewOffenceReport | None = None,
) -> None:
    match.status, match.decided_by, match.decided_at = status, user_of(by), now
    match.report = report
    match.save()
