"""Supervision during the contract: hours, new offences, notes, the restorative outcome, the
referrals' outcomes and the GPS tag. (Appointments: ``appointments``; compliance events and
warnings: ``compliance``; corrections: ``corrections``.)"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction

from checkpoint.actors import Actor, staff_user, user_of
from checkpoint.models import (
    CaseNote,
    CommunityCondition,
    CommunityKind,
    ComplianceKind,
    Contract,
    HoursLogEntry,
    NewOffenceReport,
    OffenceType,
    PathwayReferral,
    ReferralStatus,
    RestorativeOutcome,
    VictimCondition,
)
from checkpoint.permissions import Permission
from checkpoint.text import long_date

from .common import (
    CONTRACT_STATES,
    require_not_future,
    require_plain_text,
    require_state,
    require_text,
    resolve_now,
    today_of,
)
from .compliance import record_event, resolve_staff_tasks
from .errors import InvalidInput, TransitionBlocked
from .locking import lock_case

MAX_SESSION_HOURS = Decimal(12)


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
    require_state(case, CONTRACT_STATES, "Hours are logged while the contract runs.")
    community = getattr(case.contract, "community_condition", None)
    if community is None or community.kind != CommunityKind.HOURS:
        raise TransitionBlocked("This contract has no community hours to log.")
    check_hours_entry(case.contract, worked_on, hours, today=today_of(now))
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
        verifier_name=(
            require_plain_text(verifier_name, field="verifier_name", what="The name")
            if verified
            else ""
        ),
    )


def check_hours_entry(contract: Contract, worked_on: date, hours: Decimal, *, today: date) -> None:
    """The rules for a session of community work, whether logged or corrected: worked while
    the contract ran (from its start to its end, and not in the future), 0 to 12 hours."""
    require_not_future(worked_on, today=today, field="worked_on", what="The date worked")
    if contract.starts_on is None:  # unreachable in CONTRACT_STATES: signing sets the start
        raise TransitionBlocked("The contract has not started, so no hours can be logged yet.")
    if worked_on < contract.starts_on:
        raise InvalidInput(
            "The date worked must be on or after the contract start", field="worked_on"
        )
    if contract.ends_on is not None and worked_on > contract.ends_on:
        raise InvalidInput(
            f"The contract ended on {long_date(contract.ends_on)}: hours after it do not count",
            field="worked_on",
        )
    if not Decimal(0) < hours <= MAX_SESSION_HOURS:
        raise InvalidInput("Hours must be more than 0 and at most 12", field="hours")


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
    verifier_name = require_plain_text(verifier_name, field="verifier_name", what="The name")
    entry.verifier_name = verifier_name or entry.verifier_name
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
    require_state(case, CONTRACT_STATES, "A new offence is reported against a running contract.")
    require_not_future(occurred_on, today=today, field="occurred_on", what="The offence date")
    if offence_type_id is not None and not OffenceType.objects.filter(pk=offence_type_id).exists():
        raise InvalidInput("Select an offence from the list", field="offence_type")
    report = NewOffenceReport.objects.create(
        case=case,
        occurred_on=occurred_on,
        reported_on=today,
        reference=require_plain_text(reference, field="reference", what="The reference"),
        description=require_text(
            description, field="description", message="Describe the new offence"
        ),
        offence_type_id=offence_type_id,
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
    return report


@transaction.atomic
def note_add(*, case_id: int, by: Actor, text: str) -> CaseNote:
    """Add a note to the case; notes are never edited."""
    case = lock_case(case_id, by=by, needs=Permission.ADD_NOTE)
    return CaseNote.objects.create(
        case=case,
        author=user_of(by),
        text=require_text(text, field="text", message="Enter the note"),
    )


def check_restorative_outcome(
    contract: Contract, outcome: str, recorded_on: date, *, today: date
) -> None:
    """The rules for the outcome of a restorative approach, recorded or corrected: one of the
    outcomes (not "pending"), dated from the contract's start to today."""
    if outcome not in RestorativeOutcome.values or outcome == RestorativeOutcome.PENDING:
        raise InvalidInput("Select the outcome of the restorative approach", field="outcome")
    require_not_future(
        recorded_on, today=today, field="recorded_on", what="The date of the outcome"
    )
    if contract.starts_on is not None and recorded_on < contract.starts_on:
        raise InvalidInput(
            "The outcome cannot be dated before the contract started on "
            f"{long_date(contract.starts_on)}",
            field="recorded_on",
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
    require_state(case, CONTRACT_STATES, "Restorative outcomes are recorded during a contract.")
    condition: VictimCondition | None = getattr(case.contract, "victim_condition", None)
    if condition is None or condition.approach in VictimCondition.NOTHING_REQUIRED:
        raise TransitionBlocked("This contract has no restorative approach to record.")
    check_restorative_outcome(case.contract, outcome, recorded_on, today=today_of(now))
    condition.outcome, condition.outcome_recorded_on = outcome, recorded_on
    condition.outcome_notes = notes.strip()
    condition.save()
    resolve_staff_tasks(
        case,
        keys=[f"restorative_overdue:case:{case.pk}"],
        by=by,
        at=now,
        what=f"Restorative outcome recorded: {condition.get_outcome_display()}",
    )
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
    require_state(case, CONTRACT_STATES, "Referrals are updated during a contract.")
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
    require_state(case, CONTRACT_STATES, "The GPS tag is recorded during a contract.")
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
            f"The tag period runs until {long_date(community.gps_ends_on)}", field="completed_on"
        )
    community.gps_completed_on = completed_on
    community.save(update_fields=["gps_completed_on"])
    return community
