"""Appointments with the navigator and the services: booking, outcomes, rescheduling and
cancelling, with the reminders that go with them (written to the outbox in the same
transaction)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from checkpoint import dates
from checkpoint.actors import Actor, user_of
from checkpoint.models import (
    Appointment,
    AppointmentKind,
    AppointmentOutcome,
    Case,
    ComplianceKind,
)
from checkpoint.permissions import Permission
from checkpoint.text import display_name, long_date
from notifications import outbox

from .common import (
    SCHEDULABLE_STATES,
    require_state,
    require_text,
    resolve_now,
    today_of,
)
from .compliance import record_event, resolve_staff_tasks
from .errors import InvalidInput, NeedsConfirmation, TransitionBlocked
from .locking import lock_case


@transaction.atomic
def appointment_schedule(
    *,
    case_id: int,
    by: Actor,
    kind: str,
    starts_at: datetime,
    duration_minutes: int = 60,
    location: str = "",
    referral_id: int | None = None,
    confirm: bool = False,
    now: datetime | None = None,
) -> Appointment:
    """Book an appointment with the navigator or a service.

    Within the contract and not after the prosecution deadline (errors); a clash with another
    appointment of the participant or of their navigator, or a bank holiday, is a warning the
    person confirms (``NeedsConfirmation`` unless ``confirm``).
    """
    now = resolve_now(now)
    case = lock_case(case_id, by=by, needs=Permission.SUPERVISE_CONTRACT, related=("contract",))
    require_state(case, SCHEDULABLE_STATES, "Appointments are booked for an open contract.")
    if kind not in AppointmentKind.values:
        raise InvalidInput("Select the type of appointment", field="kind")
    check_when(case, starts_at, duration_minutes, now=now)
    if referral_id is not None and not case.contract.referrals.filter(pk=referral_id).exists():
        raise InvalidInput("Select one of this contract's referrals", field="referral")
    if not confirm:
        ask_to_confirm(case, starts_at, duration_minutes)
    appointment = Appointment.objects.create(
        case=case,
        kind=kind,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location.strip(),
        referral_id=referral_id,
        created_by=user_of(by),
    )
    outbox.schedule_appointment_reminders(appointment, now=now)  # same transaction (outbox)
    return appointment


def check_when(
    case: Case, starts_at: datetime, duration_minutes: int, *, now: datetime, field: str = ""
) -> None:
    """An appointment is in the future, of a sensible length, inside the contract and on or
    before the prosecution deadline (s.127: after it, a failing case can no longer be
    charged, so the contract's work must be done by then)."""
    field = field or "starts_at"
    if starts_at <= now:
        raise InvalidInput("The appointment must be in the future", field=field)
    if not 5 <= duration_minutes <= 480:
        raise InvalidInput(
            "An appointment lasts between 5 minutes and 8 hours", field="duration_minutes"
        )
    day = today_of(starts_at)
    contract = getattr(case, "contract", None)
    ends_on = contract.ends_on if contract is not None else None
    if ends_on is not None and day > ends_on:
        raise InvalidInput(
            f"The contract ends on {long_date(ends_on)}: book the appointment on or before it",
            field=field,
        )
    deadline = case.prosecution_deadline
    if deadline is not None and day > deadline:
        raise InvalidInput(
            f"The prosecution deadline is {long_date(deadline)} (Magistrates' Courts Act 1980 "
            "s.127): book the appointment on or before it",
            field=field,
        )


def ask_to_confirm(
    case: Case, starts_at: datetime, duration_minutes: int, *, moving: int | None = None
) -> None:
    """Raise ``NeedsConfirmation`` for a clash or a bank holiday (nothing is saved).
    ``moving``: the appointment being rescheduled, which cannot clash with itself."""
    found = clashes(case, starts_at, duration_minutes, moving=moving)
    warnings = [f"It clashes with {clash}." for clash in found]
    holiday = dates.bank_holiday(today_of(starts_at))
    if holiday:
        warnings.append(f"{long_date(today_of(starts_at))} is a bank holiday ({holiday}).")
    if warnings:
        raise NeedsConfirmation(warnings)


def clashes(
    case: Case, starts_at: datetime, duration_minutes: int, *, moving: int | None = None
) -> list[str]:
    """Other pending appointments of the participant, or of the case's navigator, that overlap
    this one (an appointment lasts at most 8 hours, so only those starting up to 8 hours
    earlier can overlap)."""
    ends_at = starts_at + timedelta(minutes=duration_minutes)
    same = Q(case__person_id=case.person_id)
    if case.navigator_id is not None:
        same |= Q(case__navigator_id=case.navigator_id)
    nearby = (
        Appointment.objects.filter(same, outcome="", cancelled_at__isnull=True)
        .filter(starts_at__lt=ends_at, starts_at__gt=starts_at - timedelta(hours=8))
        .exclude(pk__in=[moving] if moving is not None else [])
        .select_related("case")
        .order_by("starts_at")
    )
    found = []
    for other in nearby:
        if other.starts_at + timedelta(minutes=other.duration_minutes) <= starts_at:
            continue
        whose = "the participant's" if other.case.person_id == case.person_id else "the navigator's"
        found.append(f"{whose} {other} ({other.case.reference})")
    return found


@transaction.atomic
def appointment_record_outcome(
    *,
    appointment_id: int,
    by: Actor,
    outcome: str,
    notes: str = "",
    rescheduled_to: datetime | None = None,
    confirm: bool = False,
    now: datetime | None = None,
) -> Appointment:
    """Record what happened. An unacceptable absence raises a compliance event; rescheduling
    books the new appointment under the same rules as booking one (``confirm``: clashes)."""
    now = resolve_now(now)
    case_id = Appointment.objects.values_list("case_id", flat=True).filter(pk=appointment_id)
    case = lock_case(
        case_id.first(), by=by, needs=Permission.SUPERVISE_CONTRACT, related=("contract",)
    )
    appointment = Appointment.objects.get(pk=appointment_id)
    if appointment.outcome:
        raise TransitionBlocked(_already_recorded(appointment))
    if appointment.cancelled_at is not None:
        raise TransitionBlocked("This appointment was cancelled: there is no outcome to record.")
    if outcome not in AppointmentOutcome.values:
        raise InvalidInput("Select what happened at the appointment", field="outcome")
    if outcome != AppointmentOutcome.RESCHEDULED and appointment.starts_at > now:
        raise InvalidInput(
            "You can record attendance once the appointment has started", field="outcome"
        )
    if outcome == AppointmentOutcome.RESCHEDULED:
        appointment.rescheduled_to = _reschedule(
            case, appointment, rescheduled_to, by=by, now=now, confirm=confirm
        )
    appointment.outcome, appointment.outcome_notes = outcome, notes.strip()
    appointment.outcome_recorded_at, appointment.outcome_recorded_by = now, user_of(by)
    appointment.save()
    # The sweep's "outcome overdue" task for this appointment is done now.
    resolve_staff_tasks(
        case,
        keys=[f"missed:appointment:{appointment.pk}"],
        by=by,
        at=now,
        what=f"Outcome recorded: {appointment.get_outcome_display()}",
    )
    if outcome == AppointmentOutcome.UNACCEPTABLE_ABSENCE:
        record_event(
            case,
            ComplianceKind.UNACCEPTABLE_ABSENCE,
            occurred_on=today_of(appointment.starts_at),
            detail=f"Unacceptable absence: {appointment}",
            by=by,
            at=now,
            dedupe_key=f"absence:appointment:{appointment.pk}",
        )
    return appointment


def _already_recorded(appointment: Appointment) -> str:
    """Tell the person who lost a race what the other recorded, who and when."""
    name = display_name(appointment.outcome_recorded_by) or "someone else"
    at = timezone.localtime(appointment.outcome_recorded_at)
    return (
        f"This appointment's outcome has already been recorded: "
        f"'{appointment.get_outcome_display()}', by {name} at {at:%H:%M}."
    )


def _reschedule(
    case: Case,
    appointment: Appointment,
    starts_at: datetime | None,
    *,
    by: Actor,
    now: datetime,
    confirm: bool,
) -> Appointment:
    if starts_at is None:
        raise InvalidInput("Enter the new date and time", field="rescheduled_to")
    check_when(case, starts_at, appointment.duration_minutes, now=now, field="rescheduled_to")
    if not confirm:
        ask_to_confirm(case, starts_at, appointment.duration_minutes, moving=appointment.pk)
    outbox.cancel_appointment_reminders(appointment.pk)
    new = Appointment.objects.create(
        case_id=appointment.case_id,
        kind=appointment.kind,
        referral=appointment.referral,
        starts_at=starts_at,
        duration_minutes=appointment.duration_minutes,
        location=appointment.location,
        created_by=user_of(by),
    )
    outbox.schedule_appointment_reminders(new, now=now)
    return new


@transaction.atomic
def appointment_reschedule(
    *,
    appointment_id: int,
    by: Actor,
    starts_at: datetime | None,
    reason: str,
    confirm: bool = False,
    now: datetime | None = None,
) -> Appointment:
    """Move an appointment that has not happened to a new date and time, with why.

    The appointment is kept, its outcome "Rescheduled" with the reason and a link to the new
    one, booked under the same rules as booking (within the contract, not after the deadline;
    a clash or a bank holiday is a ``NeedsConfirmation`` unless ``confirm``). Its reminders are
    stopped and the new one's queued. Returns the original appointment (``rescheduled_to``:
    the new one)."""
    now = resolve_now(now)
    case_id = Appointment.objects.values_list("case_id", flat=True).filter(pk=appointment_id)
    case = lock_case(
        case_id.first(), by=by, needs=Permission.SUPERVISE_CONTRACT, related=("contract",)
    )
    require_state(case, SCHEDULABLE_STATES, "Appointments are booked for an open contract.")
    appointment = Appointment.objects.get(pk=appointment_id)
    if appointment.outcome:
        raise TransitionBlocked(_already_recorded(appointment))
    if appointment.cancelled_at is not None:
        raise TransitionBlocked("This appointment was cancelled: book a new one instead.")
    reason = require_text(reason, field="reason", message="Enter why the appointment is moved")
    appointment.rescheduled_to = _reschedule(
        case, appointment, starts_at, by=by, now=now, confirm=confirm
    )
    appointment.outcome = AppointmentOutcome.RESCHEDULED
    appointment.outcome_notes = reason
    appointment.outcome_recorded_at, appointment.outcome_recorded_by = now, user_of(by)
    appointment.save()
    resolve_staff_tasks(
        case,
        keys=[f"missed:appointment:{appointment.pk}"],
        by=by,
        at=now,
        what="Appointment rescheduled",
    )
    return appointment


@transaction.atomic
def appointment_cancel(
    *, appointment_id: int, by: Actor, reason: str, now: datetime | None = None
) -> Appointment:
    """Cancel an appointment that has no outcome (booked in error, or no longer needed): it is
    kept, with who, when and why; its reminders are stopped and any "outcome overdue" task for
    it is closed."""
    now = resolve_now(now)
    case_id = Appointment.objects.values_list("case_id", flat=True).filter(pk=appointment_id)
    case = lock_case(case_id.first(), by=by, needs=Permission.SUPERVISE_CONTRACT)
    appointment = Appointment.objects.get(pk=appointment_id)
    if appointment.outcome:
        raise TransitionBlocked(_already_recorded(appointment))
    if appointment.cancelled_at is not None:
        raise TransitionBlocked("This appointment is already cancelled.")
    appointment.cancel_reason = require_text(
        reason, field="reason", message="Enter why the appointment is cancelled"
    )
    appointment.cancelled_at, appointment.cancelled_by = now, user_of(by)
    appointment.save()
    outbox.cancel_appointment_reminders(appointment.pk)
    resolve_staff_tasks(
        case,
        keys=[f"missed:appointment:{appointment.pk}"],
        by=by,
        at=now,
        what="Appointment cancelled",
    )
    return appointment
