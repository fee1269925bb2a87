"""Compliance events: findings of non-compliance (raised by a navigator or the sweep), the
warnings issued about them, and their lifecycle: open, then resolved (how: the outcome recorded,
explained, or a warning issued) or withdrawn (with a reason).

Some findings are tasks for staff, not the participant's conduct (``STAFF_TASK_KINDS``: an
appointment's outcome not yet recorded, the restorative outcome not yet reported); they resolve
themselves when the staff work is done, and never count as the participant's non-compliance.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.db import IntegrityError, transaction

from checkpoint.actors import Actor, staff_user, user_of
from checkpoint.models import (
    Case,
    ComplianceEvent,
    ComplianceKind,
    ComplianceWarning,
    EventStatus,
    ResolvedHow,
)
from checkpoint.permissions import Permission

from .common import (
    CONTRACT_STATES,
    require_not_future,
    require_state,
    require_text,
    resolve_now,
    today_of,
)
from .errors import InvalidInput, TransitionBlocked
from .locking import lock_case


def record_event(
    case: Case,
    kind: str,
    *,
    occurred_on: date,
    detail: str,
    by: Actor,
    at: datetime,
    dedupe_key: str | None = None,
) -> ComplianceEvent:
    try:
        with transaction.atomic():
            return ComplianceEvent.objects.create(
                case=case,
                kind=kind,
                occurred_on=occurred_on,
                detail=detail,
                raised_by=staff_user(by),
                raised_at=at,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        # Already recorded (e.g. by the sweep): a finding is recorded once.
        return ComplianceEvent.objects.get(dedupe_key=dedupe_key)


@transaction.atomic
def compliance_event_raise(
    *,
    case_id: int,
    by: Actor,
    kind: str,
    occurred_on: date,
    detail: str,
    now: datetime | None = None,
) -> ComplianceEvent:
    """A navigator records non-compliance."""
    now = resolve_now(now)
    case = lock_case(case_id, by=by, needs=Permission.SUPERVISE_CONTRACT)
    require_state(case, CONTRACT_STATES, "Compliance is recorded while the contract runs.")
    if kind not in ComplianceKind.values:
        raise InvalidInput("Select the kind of non-compliance", field="kind")
    require_not_future(
        occurred_on, today=today_of(now), field="occurred_on", what="The date it happened"
    )
    detail = require_text(detail, field="detail", message="Describe what happened")
    return record_event(case, kind, occurred_on=occurred_on, detail=detail, by=by, at=now)


@transaction.atomic
def warning_issue(
    *,
    case_id: int,
    by: Actor,
    reason: str,
    event_ids: Sequence[int] = (),
    now: datetime | None = None,
) -> ComplianceWarning:
    """Issue a formal warning about one or more of the case's compliance events."""
    now = resolve_now(now)
    case = lock_case(case_id, by=by, needs=Permission.SUPERVISE_CONTRACT)
    require_state(case, CONTRACT_STATES, "Warnings are issued while the contract runs.")
    events = list(case.compliance_events.participant().open().filter(pk__in=list(event_ids)))
    if len(events) != len(set(event_ids)):
        raise InvalidInput(
            "Select open compliance events of this case (a staff task needs no warning)",
            field="events",
        )
    warning = ComplianceWarning.objects.create(
        case=case,
        issued_by=user_of(by),
        issued_on=today_of(now),
        reason=require_text(reason, field="reason", message="Enter the reason for the warning"),
    )
    warning.events.set(events)
    # The warning is how these events are dealt with: they are resolved by it.
    ComplianceEvent.objects.filter(pk__in=[e.pk for e in events]).update(
        status=EventStatus.RESOLVED,
        resolved_how=ResolvedHow.WARNING_ISSUED,
        resolved_at=now,
        resolved_by=user_of(by),
        resolution=f"Warning issued: {warning.reason}",
    )
    return warning


def resolve_staff_tasks(
    case: Case, *, keys: Sequence[str], by: Actor, at: datetime, what: str
) -> int:
    """Resolve the open staff tasks with these dedupe keys (the sweep's findings about work
    now done), as resolved by the one who did the work. The caller holds the case's lock."""
    return (
        ComplianceEvent.objects.staff_tasks()
        .open()
        .filter(case=case, dedupe_key__in=list(keys))
        .update(
            status=EventStatus.RESOLVED,
            resolved_how=ResolvedHow.OUTCOME_RECORDED,
            resolved_at=at,
            resolved_by=staff_user(by),
            resolution=what,
        )
    )


def _open_event(event_id: int, by: Actor, needs: Permission) -> tuple[Case, ComplianceEvent]:
    case_id = ComplianceEvent.objects.filter(pk=event_id).values_list("case_id", flat=True)
    case = lock_case(case_id.first(), by=by, needs=needs)
    event = ComplianceEvent.objects.get(pk=event_id)
    if event.status != EventStatus.OPEN:
        raise TransitionBlocked(
            f"This compliance event is already {event.get_status_display().lower()}."
        )
    return case, event


@transaction.atomic
def compliance_event_resolve(
    *, event_id: int, by: Actor, explanation: str, now: datetime | None = None
) -> ComplianceEvent:
    """Resolve an open event with the explanation given (e.g. the participant was in
    hospital, with a letter)."""
    now = resolve_now(now)
    _case, event = _open_event(event_id, by, Permission.RESOLVE_COMPLIANCE)
    event.resolution = require_text(
        explanation, field="explanation", message="Enter how it was resolved"
    )
    event.status, event.resolved_how = EventStatus.RESOLVED, ResolvedHow.EXPLAINED
    event.resolved_at, event.resolved_by = now, user_of(by)
    event.save()
    return event


@transaction.atomic
def compliance_event_withdraw(
    *, event_id: int, by: Actor, reason: str, now: datetime | None = None
) -> ComplianceEvent:
    """Withdraw an event raised in error; it is kept, with who withdrew it and why."""
    now = resolve_now(now)
    _case, event = _open_event(event_id, by, Permission.RESOLVE_COMPLIANCE)
    event.resolution = require_text(
        reason, field="reason", message="Enter why the compliance event is withdrawn"
    )
    event.status, event.resolved_at, event.resolved_by = EventStatus.WITHDRAWN, now, user_of(by)
    event.save()
    return event
