"""The daily compliance sweep over every running contract, set-based.

Cases are walked in batches by primary key; each batch costs a handful of queries whatever its
size: one per kind of finding, one bulk insert of compliance events, and one compare-and-set
update (plus one bulk insert of history rows) for contracts whose end date has been reached.

Idempotence: every finding has a deterministic ``dedupe_key`` (unique in the database) and is
inserted with ON CONFLICT DO NOTHING, so running the sweep twice, or in two workers at once,
records each finding once. Moving a case to completion review is a compare-and-set on its
state under a row lock, so it happens once and writes one history row.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum, Value
from django.db.models.functions import Coalesce

from checkpoint import compliance_rules, dates
from checkpoint.models import (
    Appointment,
    Case,
    CaseState,
    CaseTransition,
    CommunityKind,
    ComplianceEvent,
    ComplianceKind,
    Contract,
    NewOffenceReport,
    SweepKind,
    SweepRun,
    VictimCondition,
)

from .runs import finish_run, start_run

logger = logging.getLogger(__name__)

SWEPT_STATES = (CaseState.ACTIVE, CaseState.BREACH_REVIEW)


def compliance_sweep(*, now: datetime, batch_size: int | None = None) -> SweepRun | None:
    """Run the sweep for ``now``'s date. Returns the run, or None if one is already running."""
    today = dates.local_date(now)
    run = start_run(SweepKind.COMPLIANCE, for_date=today)
    if run is None:
        return None
    stats: Counter = Counter()
    try:
        for ids in _batches(batch_size or settings.SWEEP_BATCH_SIZE):
            with transaction.atomic():
                stats.update(_sweep_batch(ids, today=today, now=now))
            stats["examined"] += len(ids)
    except Exception as exc:
        finish_run(run, stats, failed=exc)
        raise
    return finish_run(run, stats)


def _batches(size: int):
    """Ids of cases with a running contract, in pk order (keyset pagination)."""
    last = 0
    while True:
        ids = list(
            Case.objects.filter(state__in=SWEPT_STATES, pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def _in_batch(ids: list[int], path: str = "case") -> dict:
    """Filter to the batch's cases by id range and state (a range, not an IN list of 5,000
    ids, lets PostgreSQL walk the case-id indexes instead of scanning whole tables)."""
    return {
        f"{path}_id__gte": ids[0],
        f"{path}_id__lte": ids[-1],
        f"{path}__state__in": SWEPT_STATES,
    }


def _sweep_batch(ids: list[int], *, today: date, now: datetime) -> Counter:
    events = [
        *_missed_outcomes(ids, now),
        *_hours_behind(ids, today),
        *_restorative_overdue(ids, today),
        *_new_offences(ids),
    ]
    for event in events:
        event.raised_at = now
    # Which findings are new (one query): runs never overlap (see runs.start_run), so this is
    # exactly what the insert below adds; ON CONFLICT DO NOTHING still guards the rows.
    keys = {event.dedupe_key for event in events}
    known = set(
        ComplianceEvent.objects.filter(dedupe_key__in=keys)
        .order_by()
        .values_list("dedupe_key", flat=True)
    )
    ComplianceEvent.objects.bulk_create(events, ignore_conflicts=True, batch_size=1000)
    moved = _end_date_reached(ids, today=today, now=now)
    return Counter(
        candidates=len(events), findings=len(keys - known), moved_to_completion_review=moved
    )


def _missed_outcomes(ids, now: datetime) -> list[ComplianceEvent]:
    cutoff = now - timedelta(hours=settings.SWEEP_OUTCOME_GRACE_HOURS)
    rows = (
        Appointment.objects.filter(**_in_batch(ids), outcome="", starts_at__lt=cutoff)
        .order_by()
        .values_list("pk", "case_id", "starts_at")
    )
    return [
        ComplianceEvent(
            case_id=case_id,
            kind=ComplianceKind.MISSED_APPOINTMENT,
            occurred_on=dates.local_date(starts_at),
            dedupe_key=f"missed:appointment:{pk}",
            detail=f"No outcome recorded for the appointment at "
            f"{dates.local_date(starts_at):%d %b %Y}",
        )
        for pk, case_id, starts_at in rows
    ]


def _hours_behind(ids, today: date) -> list[ComplianceEvent]:
    rows = (
        Contract.objects.filter(
            **_in_batch(ids),
            community_condition__kind=CommunityKind.HOURS,
            starts_on__isnull=False,
        )
        .order_by()
        .annotate(logged=Coalesce(Sum("community_condition__hours_log__hours"), Value(Decimal(0))))
        .values_list(
            "case_id", "starts_on", "ends_on", "community_condition__hours_required", "logged"
        )
    )
    events = []
    for case_id, starts_on, ends_on, required, logged in rows:
        if logged + compliance_rules.HOURS_SLACK >= required:
            continue  # can never be behind: expected hours never exceed those required
        check = compliance_rules.hours_behind(
            required=required, logged=logged, starts_on=starts_on, ends_on=ends_on, today=today
        )
        if check.behind:
            events.append(
                ComplianceEvent(
                    case_id=case_id,
                    kind=ComplianceKind.HOURS_BEHIND,
                    occurred_on=today,
                    dedupe_key=f"hours_behind:case:{case_id}:month:{check.period}",
                    detail=f"{_hours(check.logged)} hours logged; {_hours(check.expected)} "
                    "expected by now",
                )
            )
    return events


def _hours(value: Decimal) -> str:
    """4.50 -> 4.5, 3.00 -> 3 (the same on every database)."""
    value = Decimal(value)
    return (
        str(value.to_integral_value())
        if value == value.to_integral_value()
        else (format(value.normalize(), "f"))
    )


def _restorative_overdue(ids, today: date) -> list[ComplianceEvent]:
    rows = (
        VictimCondition.objects.filter(
            **_in_batch(ids, "contract__case"), outcome="pending", due_on__lt=today
        )
        .exclude(approach__in=VictimCondition.NOTHING_REQUIRED)
        .order_by()
        .values_list("contract__case_id", "due_on")
    )
    return [
        ComplianceEvent(
            case_id=case_id,
            kind=ComplianceKind.RESTORATIVE_OVERDUE,
            occurred_on=due_on,
            dedupe_key=f"restorative_overdue:case:{case_id}",
            detail=f"Restorative outcome was due by {due_on:%d %b %Y}",
        )
        for case_id, due_on in rows
    ]


def _new_offences(ids) -> list[ComplianceEvent]:
    # The report service raises these at once; the sweep is the safety net (same key).
    rows = (
        NewOffenceReport.objects.filter(**_in_batch(ids))
        .order_by()
        .values_list("pk", "case_id", "occurred_on")
    )
    return [
        ComplianceEvent(
            case_id=case_id,
            kind=ComplianceKind.NEW_OFFENCE,
            occurred_on=occurred_on,
            dedupe_key=f"new_offence:{pk}",
            detail="New offence reported",
        )
        for pk, case_id, occurred_on in rows
    ]


def _end_date_reached(ids, *, today: date, now: datetime) -> int:
    """Active contracts whose end date has been reached move to completion review.

    Race guarded against: a navigator or supervisor changing the same case meanwhile. Rows are
    locked (others skipped until the next run) and the update repeats ``state='active'``, so
    only cases still active move, each exactly once, with one history row each.
    """
    due = list(
        Case.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk__range=(ids[0], ids[-1]), state=CaseState.ACTIVE, contract__ends_on__lte=today)
        .order_by()
        .values_list("pk", flat=True)
    )
    if not due:
        return 0
    Case.objects.filter(pk__in=due, state=CaseState.ACTIVE).update(
        state=CaseState.COMPLETION_REVIEW, lock_version=F("lock_version") + 1, updated_at=now
    )
    CaseTransition.objects.bulk_create(
        CaseTransition(
            case_id=pk,
            transition="begin_completion_review",
            from_state=CaseState.ACTIVE,
            to_state=CaseState.COMPLETION_REVIEW,
            by=None,
            at=now,
            reason="Contract end date reached",
        )
        for pk in due
    )
    return len(due)
