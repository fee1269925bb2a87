"""Supervision during the contract: appointments, hours, new offences, compliance, notes."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from checkpoint.actors import Actor, staff_user, user_of
from checkpoint.models import (
    Appointment,
    AppointmentKind,
    AppointmentOutcome,
    Case,
    CaseNote,
    CaseState,
    CommunityCondition,
    CommunityKind,
    ComplianceEvent,
    ComplianceKind,
    ComplianceWarning,
    HoursLogEntry,
    NewOffenceReport,
    OffenceType,
    PathwayReferral,
    ReferralStatus,
    RestorativeOutcome,
    VictimCondition,
)
from checkpoint.permissions import Permission
from checkpoint.text import display_name
from notifications import outbox

from .common import require_not_future, require_text, resolve_now, today_of
from .errors import InvalidInput, TransitionBlocked
from .locking import lock_case

SCHEDULABLE_STATES = (CaseState.ACCEPTED, CaseState.ACTIVE, CaseState.BREACH_REVIEW)
CONTRACT_STATES = (CaseState.ACTIVE, CaseState.BREACH_REVIEW, CaseState.COMPLETION_REVIEW)
MAX_SESSION_HOURS = Decimal(12)


def _require_state(case: Case, states: Collection[str], message: str) -> None:
    if case.state not in states:
        raise TransitionBlocked(message)


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
    now: datetime | None = None,
) -> Appointment:
    """Book an appointment with the navigator or a service."""
    now = resolve_now(now)
    case = lock_case(case_id, by=by, needs=Permission.SUPERVISE_CONTRACT, related=("contract",))
    _require_state(case, SCHEDULABLE_STATES, "Appointments are booked for an open contract.")
    if kind not in AppointmentKind.values:
        raise InvalidInput("Select the type of appointment", field="kind")
    if starts_at <= now:
        raise InvalidInput("The appointment must be in the future", field="starts_at")
    if not 5 <= duration_minutes <= 480:
        raise InvalidInput(
            "An appointment lasts between 5 minutes and 8 hours", field="duration_minutes"
        )
    if referral_id is not None and not case.contract.referrals.filter(pk=referral_id).exists():
        raise InvalidInput("Select one of this contract's referrals", field="referral")
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


@transaction.atomic
def appointment_record_outcome(
    *,
    appointment_id: int,
    by: Actor,
    outcome: str,
    notes: str = "",
    rescheduled_to: datetime | None = None,
    now: datetime | None = None,
) -> Appointment:
    """Record what happened. An unacceptable absence raises a compliance event."""
    now = resolve_now(now)
    case_id = Appointment.objects.values_list("case_id", flat=True).filter(pk=appointment_id)
    case = lock_case(case_id.first(), by=by, needs=Permission.SUPERVISE_CONTRACT)
    appointment = Appointment.objects.get(pk=appointment_id)
    if appointment.outcome:
        raise TransitionBlocked(_already_recorded(appointment))
    if outcome not in AppointmentOutcome.values:
        raise InvalidInput("Select what happened at the appointment", field="outcome")
    if outcome != AppointmentOutcome.RESCHEDULED and appointment.starts_at > now:
        raise InvalidInput(
            "You can record attendance once the appointment has started", field="outcome"
        )
    if outcome == AppointmentOutcome.RESCHEDULED:
        appointment.rescheduled_to = _reschedule(appointment, rescheduled_to, by, now)
    appointment.outcome, appointment.outcome_notes = outcome, notes.strip()
    appointment.outcome_recorded_at, appointment.outcome_recorded_by = now, user_of(by)
    appointment.save()
    if outcome == AppointmentOutcome.UNACCEPTABLE_ABSENCE:
        _raise_event(
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
    appointment: Appointment, starts_at: datetime | None, by: Actor, now: datetime
) -> Appointment:
    if starts_at is None or starts_at <= now:
        raise InvalidInput("Enter a new date and time in the future", field="rescheduled_to")
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
def hours_log(
    *,
    case_id: int,
    by: Actor,
    worked_on: date,
    hours: Decimal,
    activity: str,
    placement: str = "",
    verified: bool = False,
    verifier_name: str = "",
    now: datetime | None = None,
) -> HoursLogEntry:
    """Log a community work session.

    ``by`` is who recorded it: a navigator, or the ``Participant`` reporting their own hours.
    Unless ``verified`` (a navigator confirmed it, e.g. with the placement), the hours stay
    self-reported until a navigator verifies them (``hours_verify``).
    """
    now = resolve_now(now)
    case = lock_case(
        case_id, by=by, needs=Permission.LOG_HOURS, related=("contract__community_condition",)
    )
    _require_state(case, CONTRACT_STATES, "Hours are logged while the contract runs.")
    community = getattr(case.contract, "community_condition", None)
    if community is None or community.kind != CommunityKind.HOURS:
        raise TransitionBlocked("This contract has no community hours to log.")
    _check_worked_on(worked_on, starts_on=case.contract.starts_on, today=today_of(now))
    if not Decimal(0) < hours <= MAX_SESSION_HOURS:
        raise InvalidInput("Hours must be more than 0 and at most 12", field="hours")
    recorder = staff_user(by)
    if verified and recorder is None:
        raise InvalidInput("Self-reported hours cannot be marked as verified", field="verified")
    return HoursLogEntry.objects.create(
        community_condition=community,
        worked_on=worked_on,
        hours=hours,
        activity=require_text(activity, field="activity", message="Enter the work done"),
        placement=placement.strip(),
        reported_by=recorder,
        verified_by=recorder if verified else None,
        verified_at=now if verified else None,
        verifier_name=verifier_name.strip() if verified else "",
    )


def _check_worked_on(worked_on: date, *, starts_on: date | None, today: date) -> None:
    require_not_future(worked_on, today=today, field="worked_on", what="The date worked")
    if starts_on is None:  # unreachable in CONTRACT_STATES: signing sets the start date
        raise TransitionBlocked("The contract has not started, so no hours can be logged yet.")
    if worked_on < starts_on:
        raise InvalidInput(
            "The date worked must be on or after the contract start", field="worked_on"
        )


@transaction.atomic
def hours_verify(
    *, entry_id: int, by: Actor, verifier_name: str = "", now: datetime | None = None
) -> HoursLogEntry:
    """Mark self-reported hours as verified (by whom, and who at the placement confirmed)."""
    now = resolve_now(now)
    case_id = (
        HoursLogEntry.objects.filter(pk=entry_id)
        .values_list("community_condition__contract__case_id", flat=True)
        .first()
    )
    lock_case(case_id, by=by, needs=Permission.SUPERVISE_CONTRACT)
    entry = HoursLogEntry.objects.get(pk=entry_id)
    if entry.verified_at is not None:
        raise TransitionBlocked("These hours are already verified.")
    entry.verified_by, entry.verified_at = user_of(by), now
    entry.verifier_name = verifier_name.strip() or entry.verifier_name
    entry.save()
    return entry


@transaction.atomic
def new_offence_report(
    *,
    case_id: int,
    by: Actor,
    occurred_on: date,
    description: str,
    reference: str = "",
    offence_type_id: int | None = None,
    now: datetime | None = None,
) -> NewOffenceReport:
    """Report a new arrest or charge against the Offending condition."""
    now = resolve_now(now)
    today = today_of(now)
    case = lock_case(case_id, by=by, needs=Permission.SUPERVISE_CONTRACT, related=("contract",))
    _require_state(case, CONTRACT_STATES, "A new offence is reported against a running contract.")
    require_not_future(occurred_on, today=today, field="occurred_on", what="The offence date")
    if offence_type_id is not None and not OffenceType.objects.filter(pk=offence_type_id).exists():
        raise InvalidInput("Select an offence from the list", field="offence_type")
    report = NewOffenceReport.objects.create(
        case=case,
        occurred_on=occurred_on,
        reported_on=today,
        reference=reference.strip(),
        description=require_text(
            description, field="description", message="Describe the new offence"
        ),
        offence_type_id=offence_type_id,
        reported_by=user_of(by),
    )
    _raise_event(
        case,
        ComplianceKind.NEW_OFFENCE,
        occurred_on=occurred_on,
        detail="New offence reported",
        by=by,
        at=now,
        dedupe_key=f"new_offence:{report.pk}",
    )
    return report


def _raise_event(
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
    _require_state(case, CONTRACT_STATES, "Compliance is recorded while the contract runs.")
    if kind not in ComplianceKind.values:
        raise InvalidInput("Select the kind of non-compliance", field="kind")
    require_not_future(
        occurred_on, today=today_of(now), field="occurred_on", what="The date it happened"
    )
    detail = require_text(detail, field="detail", message="Describe what happened")
    return _raise_event(case, kind, occurred_on=occurred_on, detail=detail, by=by, at=now)


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
    _require_state(case, CONTRACT_STATES, "Warnings are issued while the contract runs.")
    events = list(case.compliance_events.filter(pk__in=list(event_ids), resolved_at__isnull=True))
    if len(events) != len(set(event_ids)):
        raise InvalidInput("Select open compliance events of this case", field="events")
    warning = ComplianceWarning.objects.create(
        case=case,
        issued_by=user_of(by),
        issued_on=today_of(now),
        reason=require_text(reason, field="reason", message="Enter the reason for the warning"),
    )
    warning.events.set(events)
    return warning


@transaction.atomic
def note_add(*, case_id: int, by: Actor, text: str) -> CaseNote:
    """Add a note to the case; notes are never edited."""
    case = lock_case(case_id, by=by, needs=Permission.ADD_NOTE)
    return CaseNote.objects.create(
        case=case,
        author=user_of(by),
        text=require_text(text, field="text", message="Enter the note"),
    )


@transaction.atomic
def restorative_outcome_record(
    *,
    case_id: int,
    by: Actor,
    outcome: str,
    notes: str = "",
    recorded_on: date | None = None,
    now: datetime | None = None,
) -> VictimCondition:
    """Record the outcome of the restorative approach (Victim condition)."""
    now = resolve_now(now)
    recorded_on = recorded_on or today_of(now)
    case = lock_case(
        case_id, by=by, needs=Permission.SUPERVISE_CONTRACT, related=("contract__victim_condition",)
    )
    _require_state(case, CONTRACT_STATES, "Restorative outcomes are recorded during a contract.")
    condition: VictimCondition | None = getattr(case.contract, "victim_condition", None)
    if condition is None or condition.approach in VictimCondition.NOTHING_REQUIRED:
        raise TransitionBlocked("This contract has no restorative approach to record.")
    if outcome not in RestorativeOutcome.values or outcome == RestorativeOutcome.PENDING:
        raise InvalidInput("Select the outcome of the restorative approach", field="outcome")
    require_not_future(
        recorded_on, today=today_of(now), field="recorded_on", what="The date of the outcome"
    )
    condition.outcome, condition.outcome_recorded_on = outcome, recorded_on
    condition.outcome_notes = notes.strip()
    condition.save()
    return condition


@transaction.atomic
def referral_status_set(
    *, referral_id: int, by: Actor, status: str, reason: str = ""
) -> PathwayReferral:
    """Mark a Pathway referral completed, not completed or replaced.

    Completed means the required attendance was recorded, or ``reason`` says why it counts as
    completed without it (``checkpoint.conditions.referral_completed``): a referral cannot be
    completed at 0 of 6 sessions with nothing said.
    """
    case_id = (
        PathwayReferral.objects.filter(pk=referral_id)
        .values_list("contract__case_id", flat=True)
        .first()
    )
    case = lock_case(case_id, by=by, needs=Permission.SUPERVISE_CONTRACT)
    _require_state(case, CONTRACT_STATES, "Referrals are updated during a contract.")
    if status not in ReferralStatus.values:
        raise InvalidInput("Select the referral's status", field="status")
    referral = PathwayReferral.objects.with_attendance().get(pk=referral_id)
    reason = reason.strip()
    short = referral.attended < referral.required_sessions
    if status == ReferralStatus.COMPLETED and short and not reason:
        raise InvalidInput(
            f"{referral.attended} of {referral.required_sessions} sessions are recorded as "
            "attended: record the missing attendance first, or enter why the referral "
            "counts as completed without it",
            field="reason",
        )
    referral.status, referral.status_reason = status, reason
    referral.save(update_fields=["status", "status_reason", "updated_at"])
    return referral


@transaction.atomic
def gps_tag_complete(
    *, case_id: int, by: Actor, completed_on: date, now: datetime | None = None
) -> CommunityCondition:
    """Record that the GPS tag period was completed."""
    now = resolve_now(now)
    case = lock_case(
        case_id,
        by=by,
        needs=Permission.SUPERVISE_CONTRACT,
        related=("contract__community_condition",),
    )
    _require_state(case, CONTRACT_STATES, "The GPS tag is recorded during a contract.")
    community: CommunityCondition | None = getattr(case.contract, "community_condition", None)
    if community is None or community.kind != CommunityKind.GPS_TAG:
        raise TransitionBlocked("This contract has no GPS tag condition.")
    if community.gps_ends_on is None:  # unreachable: ``community_set`` requires a tag's dates
        raise TransitionBlocked("Record the dates the GPS tag is worn first.")
    require_not_future(
        completed_on, today=today_of(now), field="completed_on", what="The completion date"
    )
    if completed_on < community.gps_ends_on:
        raise InvalidInput(
            f"The tag period runs until {community.gps_ends_on:%d %B %Y}", field="completed_on"
        )
    community.gps_completed_on = completed_on
    community.save(update_fields=["gps_completed_on"])
    return community
