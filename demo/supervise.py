"""The four months of a demo case: appointments, hours, compliance and the outcome."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from checkpoint import dates, services
from checkpoint.actors import SYSTEM, Participant
from checkpoint.models import (
    AppointmentKind,
    AppointmentOutcome,
    CaseState,
    CommunityKind,
    HoursLogEntry,
    ReferralStatus,
    RestorativeOutcome,
    VictimCondition,
)

from .journeys import working_day

S = CaseState
# A realistic reason a referral counts as completed with fewer sessions booked here: the
# service ran further sessions of its own and confirmed completion.
SERVICE_CONFIRMED = "The service confirmed in writing that the course was completed."
OUTCOMES = (
    [AppointmentOutcome.ATTENDED] * 17
    + [AppointmentOutcome.ACCEPTABLE_ABSENCE] * 2
    + [AppointmentOutcome.UNACCEPTABLE_ABSENCE]
)


def supervise(j, start: date) -> None:
    """Drive journey ``j`` (a signed contract starting on ``start``) to its target state."""
    contract = j.case.contract
    ends_on = contract.ends_on
    stop = _stop_day(j, start, ends_on)
    full = j.target in (S.EXITED_NO_CONVICTION, S.COMPLETION_REVIEW)
    _appointments(j, start, ends_on, stop, perfect=full)
    _hours(j, start, stop, complete=full)
    if full:
        _complete_conditions(j, ends_on)
    _finish(j, stop, ends_on)


def _stop_day(j, start: date, ends_on: date) -> date:
    """The last day simulated: today for running contracts, else when the case left 'active'."""
    if j.target in (S.ACTIVE,):
        return j.today
    if j.target in (S.EXITED_NO_CONVICTION, S.COMPLETION_REVIEW):
        return ends_on
    span = (min(ends_on, j.today) - start).days
    return start + timedelta(days=max(14, int(span * j.rng.uniform(0.4, 0.8))))


def _appointments(j, start: date, ends_on: date, stop: date, *, perfect: bool) -> None:
    day, week = start + timedelta(days=7), 0
    booked_at = j.at(start, 11, 30)
    # Service sessions are booked against the contract's referrals in turn, so that their
    # attendance counts towards each referral's required sessions.
    referrals = list(j.case.contract.referrals.order_by("pk").values_list("pk", flat=True))
    while day <= ends_on and day <= j.today + timedelta(days=21):
        week += 1
        kind = AppointmentKind.NAVIGATOR if week % 2 or not referrals else AppointmentKind.SERVICE
        referral = referrals[(week // 2) % len(referrals)] if kind == "service" else None
        on = working_day(day)  # never a weekend, Christmas Day or another bank holiday
        if on > ends_on:
            break
        appt = services.appointment_schedule(
            confirm=True,
            case_id=j.case.pk,
            by=j.navigator,
            kind=kind,
            starts_at=j.at(on, 10 + week % 5),
            location="Checkpoint office, Durham" if week % 2 else "Service premises",
            referral_id=referral,
            now=booked_at,
        )
        if on < stop and (perfect or j.rng.random() > 0.04):
            outcome = AppointmentOutcome.ATTENDED if perfect else j.rng.choice(OUTCOMES)
            services.appointment_record_outcome(
                appointment_id=appt.pk,
                by=j.navigator,
                outcome=outcome,
                now=j.at(on, 16),
                notes="",
            )
        day += timedelta(days=7)


def _hours(j, start: date, stop: date, *, complete: bool) -> None:
    community = getattr(j.case.contract, "community_condition", None)
    if community is None or community.kind != CommunityKind.HOURS:
        return
    required = Decimal(community.hours_required)
    done, day = Decimal(0), start + timedelta(days=3)
    pace = Decimal(j.rng.choice([3, 4, 4, 5, 6]))
    while day < stop and done < required:
        if dates.bank_holiday(day):  # placements are closed
            day += timedelta(days=1)
            continue
        hours = min(pace, required - done)
        verified = complete or j.rng.random() < 0.8
        entry = services.hours_log(
            case_id=j.case.pk,
            by=j.navigator if verified else Participant(j.case.person_id),
            worked_on=day,
            hours=hours,
            activity=j.rng.choice(
                ["Community garden", "Charity shop", "Litter picking", "Food bank"]
            ),
            placement="Darlington Community Garden",
            verified=verified,
            now=j.at(day, 18),
        )
        j.backdate(HoursLogEntry, entry.pk, j.at(day, 18))
        done += hours
        day += timedelta(days=j.rng.choice([6, 7, 8, 10]))


def _complete_conditions(j, ends_on: date) -> None:
    case_id, nav = j.case.pk, j.navigator
    contract = j.case.contract
    victim = VictimCondition.objects.get(contract=contract)
    when = j.at(ends_on - timedelta(days=5), 15)
    if victim.approach not in VictimCondition.NOTHING_REQUIRED:
        services.restorative_outcome_record(
            case_id=case_id, by=nav, now=when, outcome=RestorativeOutcome.COMPLETED
        )
    for referral in contract.referrals.with_attendance():
        short = referral.attended < referral.required_sessions
        services.referral_status_set(
            referral_id=referral.pk,
            by=nav,
            status=ReferralStatus.COMPLETED,
            reason=SERVICE_CONFIRMED if short else "",
        )
    community = contract.community_condition
    if community.kind == CommunityKind.GPS_TAG:
        services.gps_tag_complete(
            case_id=case_id, by=nav, completed_on=community.gps_ends_on, now=when
        )


def _finish(j, stop: date, ends_on: date) -> None:
    case_id, nav, sup = j.case.pk, j.navigator, j.supervisor
    if j.target == S.WITHDRAWN:
        services.case_withdraw(
            case_id=case_id,
            by=nav,
            now=j.at(stop, 12),
            reason="Moved out of the force area and asked to withdraw",
        )
    elif j.target in (S.BREACH_REVIEW, S.TERMINATED, S.PROSECUTION_REFERRED):
        _breach(j, stop)
    elif j.target in (S.COMPLETION_REVIEW, S.EXITED_NO_CONVICTION):
        services.completion_review_begin(case_id=case_id, by=SYSTEM, now=j.at(ends_on, 6))
        if j.target == S.EXITED_NO_CONVICTION:
            services.completion_sign_off(
                case_id=case_id,
                by=sup,
                now=j.at(min(ends_on + timedelta(days=3), j.today), 14),
                reason="All conditions met; evidence checked",
            )
    elif (
        j.target == S.ACTIVE
        and j.i % 9 == 0
        and stop - j.case.contract.starts_on > timedelta(days=30)
    ):
        _breach(j, stop - timedelta(days=10), decision="continue")


def _breach(j, day: date, decision: str | None = None) -> None:
    case_id, nav, sup = j.case.pk, j.navigator, j.supervisor
    event = services.compliance_event_raise(
        case_id=case_id,
        by=nav,
        kind="other",
        occurred_on=day - timedelta(days=2),
        detail="Missed two sessions without explanation",
        now=j.at(day, 9),
    )
    services.warning_issue(
        case_id=case_id,
        by=nav,
        reason="Formal warning after missed sessions",
        event_ids=[event.pk],
        now=j.at(day, 9, 30),
    )
    services.breach_refer(
        case_id=case_id,
        by=nav,
        now=j.at(day, 10),
        recommendation="Recommend termination: repeated non-attendance"
        if j.target != S.BREACH_REVIEW
        else "Recommend a final chance",
    )
    if j.target == S.BREACH_REVIEW and decision is None:
        return
    decision = decision or "terminate"
    services.breach_decide(
        case_id=case_id,
        by=sup,
        decision=decision,
        now=j.at(day + timedelta(days=2), 11),
        reasons="Non-attendance despite warning"
        if decision == "terminate"
        else "Engaging again; continue with a warning on file",
    )
    if j.target == S.PROSECUTION_REFERRED:
        services.prosecution_refer(
            case_id=case_id,
            by=sup,
            now=j.at(day + timedelta(days=3), 11),
            reason="Contract terminated; original offence to CPS",
        )
