"""Decisions that change a running contract's course: breach, withdrawal, completion, outcome.

Ending decisions (exit without conviction, termination, prosecution referral) need a
supervisor (``checkpoint.permissions``): each service names its permission when it locks the
case, and the transition checks its own as well.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from checkpoint import conditions, dates, links
from checkpoint.actors import Actor, user_of
from checkpoint.blockers import Blocker, BlockerCode
from checkpoint.models import (
    BreachDecisionKind,
    BreachReview,
    Case,
    CaseState,
    Outcome,
    OutcomeKind,
)
from checkpoint.permissions import Permission
from checkpoint.text import long_date
from notifications import outbox
from notifications.models import Audience, Channel

from .common import require_text, resolve_now, today_of
from .errors import InvalidInput, TransitionBlocked
from .locking import lock_case
from .transitions import apply_transition
from .victims import notify_victims

_DECISION_ACTIONS: dict[str, str] = {
    BreachDecisionKind.CONTINUE: "continue_contract",
    BreachDecisionKind.VARY: "vary_contract",
    BreachDecisionKind.TERMINATE: "terminate",
}


@transaction.atomic
def breach_refer(
    *, case_id: int, by: Actor, recommendation: str, now: datetime | None = None
) -> BreachReview:
    """A navigator refers non-compliance to a supervisor, with a recommendation."""
    now = resolve_now(now)
    case = lock_case(case_id, by=by, needs=Permission.REFER_BREACH)
    recommendation = require_text(
        recommendation,
        field="recommendation",
        message="Enter your recommendation to the supervisor",
    )
    apply_transition(case, "refer_breach", by=by, at=now, reason=recommendation)
    return BreachReview.objects.create(
        case=case, referred_by=user_of(by), referred_at=now, recommendation=recommendation
    )


@transaction.atomic
def breach_decide(
    *,
    case_id: int,
    by: Actor,
    decision: str,
    reasons: str,
    extra_hours: int | None = None,
    extend_days: int | None = None,
    now: datetime | None = None,
) -> BreachReview:
    """The supervisor's decision on a breach: continue, vary or terminate the contract.

    Varying may add community hours (the total stays within the scheme's range) and extend the
    end date (only as far as the scheme profile allows, and never so late that a failing case
    could not be referred before the s.127 deadline). The navigator is told by email through the
    outbox, in the same transaction as the decision.
    """
    now = resolve_now(now)
    case = lock_case(
        case_id,
        by=by,
        needs=Permission.DECIDE_BREACH,
        related=("contract__community_condition", "navigator"),
    )
    if decision not in _DECISION_ACTIONS:
        raise InvalidInput("Select a decision", field="decision")
    reasons = require_text(reasons, field="reasons", message="Enter the reasons for the decision")
    if case.state != CaseState.BREACH_REVIEW:
        raise TransitionBlocked(
            f"This case is now '{case.get_state_display()}', so there is no breach to decide."
        )
    review = case.breach_reviews.filter(decision="").first()
    if decision == BreachDecisionKind.VARY:
        _vary_hours(case, extra_hours)
        _extend(case, extend_days)
    apply_transition(case, _DECISION_ACTIONS[decision], by=by, at=now, reason=reasons)
    if review is None:  # reached breach review without a referral row (e.g. admin)
        review = BreachReview(
            case=case, referred_by=user_of(by), referred_at=now, recommendation=""
        )
    review.decision, review.decided_by, review.decided_at = decision, user_of(by), now
    review.reasons = reasons
    review.save()
    _tell_navigator(case, review, now=now)
    return review


def _vary_hours(case: Case, extra_hours: int | None) -> None:
    """Add community hours, keeping the total within the scheme's range."""
    if not extra_hours:
        return
    community = getattr(case.contract, "community_condition", None)
    if community is None or community.hours_required is None:
        raise InvalidInput("This contract has no community hours to vary", field="extra_hours")
    total = community.hours_required + extra_hours
    scheme = case.scheme_version
    if extra_hours < 0 or total > scheme.hours_max:
        raise InvalidInput(
            f"Community hours must stay between {scheme.hours_min} and {scheme.hours_max}; "
            f"this contract has {community.hours_required}, so add at most "
            f"{max(scheme.hours_max - community.hours_required, 0)}",
            field="extra_hours",
        )
    community.hours_required = total
    community.save(update_fields=["hours_required"])


def _extend(case: Case, extend_days: int | None) -> None:
    """Move the contract's end date, within the profile's limit and the statutory deadline."""
    if not extend_days:
        return
    limit = case.scheme_version.max_extension_days
    if limit == 0:
        raise InvalidInput(
            f"The {case.scheme_version} profile does not allow contracts to be extended",
            field="extend_days",
        )
    if not 0 < extend_days <= limit:
        raise InvalidInput(f"An extension must be between 1 and {limit} days", field="extend_days")
    contract = case.contract
    if contract.ends_on is None:  # unreachable in breach review: signing sets it
        raise TransitionBlocked("The contract has not been signed, so it has no end date to move.")
    new_end = contract.ends_on + timedelta(days=extend_days)
    deadline = case.prosecution_deadline
    margin = timedelta(days=settings.EXTENSION_DEADLINE_MARGIN_DAYS)
    # s.127: if the extended contract then fails, the file must still reach the prosecutor in
    # time, so the new end date keeps a margin before the deadline.
    if deadline is not None and new_end > deadline - margin:
        latest = deadline - margin
        raise InvalidInput(
            f"The contract cannot end after {latest:%-d %B %Y}: the prosecution deadline is "
            f"{deadline:%-d %B %Y} and a failing case needs {margin.days} days to be referred",
            field="extend_days",
        )
    contract.ends_on = new_end
    contract.save(update_fields=["ends_on", "updated_at"])


def _tell_navigator(case: Case, review: BreachReview, *, now: datetime) -> None:
    navigator = case.navigator
    if navigator is None or not navigator.email:
        return
    outbox.enqueue(
        key=f"breach-decision:{review.pk}:user:{navigator.pk}",
        channel=Channel.EMAIL,
        audience=Audience.STAFF,
        recipient=navigator.email,
        template="breach_decision",
        context={
            "reference": case.reference,
            "decision": review.get_decision_display(),
            "state": case.get_state_display(),
            "url": links.url(links.CASE, reference=case.reference),
        },
        send_after=now,
        case_id=case.pk,
        user=navigator,
    )


@transaction.atomic
def case_withdraw(*, case_id: int, by: Actor, reason: str, now: datetime | None = None) -> Case:
    """The participant withdraws; a supervisor then refers the case for prosecution."""
    now = resolve_now(now)
    case = lock_case(case_id, by=by, needs=Permission.WITHDRAW)
    reason = require_text(reason, field="reason", message="Enter why the participant withdrew")
    apply_transition(case, "withdraw", by=by, at=now, reason=reason)
    return case


@transaction.atomic
def completion_review_begin(*, case_id: int, by: Actor, now: datetime | None = None) -> Case:
    """Move a case whose contract end date has been reached to completion review.

    Normally taken by the scheduled work (``by=SYSTEM``); a navigator may take it too.
    """
    now = resolve_now(now)
    case = lock_case(
        case_id, by=by, needs=Permission.BEGIN_COMPLETION_REVIEW, related=("contract",)
    )
    blockers = []
    contract = getattr(case, "contract", None)
    if contract is not None and contract.ends_on and today_of(now) < contract.ends_on:
        blockers.append(
            Blocker(
                BlockerCode.CONTRACT_STILL_RUNNING,
                f"The contract runs until {long_date(contract.ends_on)}",
            )
        )
    apply_transition(
        case,
        "begin_completion_review",
        by=by,
        at=now,
        reason="Contract end date reached",
        blockers=blockers,
    )
    return case


@transaction.atomic
def completion_sign_off(
    *, case_id: int, by: Actor, reason: str = "", now: datetime | None = None
) -> Outcome:
    """Every condition met (``checkpoint.conditions``): the person exits the justice system
    with no conviction."""
    now = resolve_now(now)
    case = lock_case(
        case_id,
        by=by,
        needs=Permission.SIGN_OFF,
        related=("contract__victim_condition", "contract__community_condition"),
    )
    contract = getattr(case, "contract", None)
    blockers = (
        conditions.unmet(contract.condition_statuses())
        if contract
        else [Blocker(BlockerCode.NO_CONTRACT, "The case has no contract")]
    )
    case.closed_at = now
    apply_transition(case, "sign_off", by=by, at=now, reason=reason.strip(), blockers=blockers)
    return _record_outcome(case, OutcomeKind.EXITED_NO_CONVICTION, by=by, now=now, notes=reason)


@transaction.atomic
def completion_terminate(
    *, case_id: int, by: Actor, reasons: str, now: datetime | None = None
) -> Case:
    """At completion review the supervisor finds the conditions were not met."""
    now = resolve_now(now)
    case = lock_case(case_id, by=by, needs=Permission.TERMINATE)
    reasons = require_text(reasons, field="reasons", message="Enter the reasons for termination")
    if case.state != CaseState.COMPLETION_REVIEW:
        raise TransitionBlocked(
            f"This case is now '{case.get_state_display()}', so termination at completion "
            "review is not possible."
        )
    apply_transition(case, "terminate", by=by, at=now, reason=reasons)
    return case


@transaction.atomic
def prosecution_refer(
    *, case_id: int, by: Actor, reason: str, now: datetime | None = None
) -> Outcome:
    """Refer the original offence for prosecution (after decline, withdrawal, termination).

    A case whose s.127 deadline has passed is time-barred: the referral still closes it, and
    the outcome records that it was made after the time limit (``within_time_limit``).
    """
    now = resolve_now(now)
    case = lock_case(case_id, by=by, needs=Permission.REFER_FOR_PROSECUTION)
    reason = require_text(reason, field="reason", message="Enter the reason for the referral")
    case.closed_at = now
    apply_transition(case, "refer_for_prosecution", by=by, at=now, reason=reason)
    return _record_outcome(case, OutcomeKind.PROSECUTION_REFERRED, by=by, now=now, notes=reason)


def _record_outcome(case: Case, kind: str, *, by: Actor, now: datetime, notes: str) -> Outcome:
    today = today_of(now)
    deadline = case.deadline_status(today)
    notify_victims(case, event="outcome", now=now, outcome=kind)
    return Outcome.objects.create(
        case=case,
        kind=kind,
        decided_by=user_of(by),
        decided_on=today,
        notes=notes.strip(),
        reoffended_during_contract=case.new_offences.exists(),
        follow_up_due_on=dates.follow_up_date(today),
        within_time_limit=(
            not deadline.time_barred
            if kind == OutcomeKind.PROSECUTION_REFERRED and deadline.deadline
            else None
        ),
    )
