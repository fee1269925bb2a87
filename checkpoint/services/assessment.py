"""Eligibility assessment, overrides, the decision, the offer and the person's answer."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from checkpoint import dates, eligibility
from checkpoint.actors import Actor, user_of
from checkpoint.blockers import Blocker, BlockerCode
from checkpoint.models import (
    Admission,
    AssessmentRule,
    Case,
    CaseState,
    EligibilityAssessment,
    RiskBand,
    RuleOutcome,
)
from checkpoint.permissions import Permission

from .allocation import check_navigator, record_allocation
from .common import require_text, resolve_now, today_of
from .errors import InvalidInput, TransitionBlocked
from .locking import lock_case
from .transitions import apply_transition

MIN_JUSTIFICATION = 20  # characters: an override must say why, not just "ok"


def _facts(case: Case, **facts: Any) -> eligibility.Facts:
    offences = case.arrest.offences.select_related("offence_type__excluded_category")
    age = dates.age_on(case.person.date_of_birth, dates.local_date(case.arrest.arrested_at))
    return eligibility.Facts(offences=tuple(o.facts() for o in offences), age_years=age, **facts)


@transaction.atomic
def assessment_record(
    *,
    case_id: int,
    by: Actor,
    evidential_test_met: bool,
    admission: str,
    previous_convictions: int,
    custodial_sentence_likely: bool,
    risk_band: str,
    risk_source: str,
    risk_tool_score: Decimal | None = None,
    dpp_consent: bool | None = None,
    now: datetime | None = None,
) -> EligibilityAssessment:
    """Record the facts, apply the case's policy version and store every rule's result.

    A correction is a new assessment; the earlier one and its results are kept.
    """
    now = resolve_now(now)
    case = lock_case(
        case_id, by=by, needs=Permission.RECORD_ASSESSMENT, related=("arrest", "person")
    )
    if case.state != CaseState.ASSESSMENT:
        raise TransitionBlocked("The eligibility decision has already been made for this case.")
    _check_choices(admission, risk_band, previous_convictions)
    facts = _facts(
        case,
        evidential_test_met=evidential_test_met,
        admission=admission,
        previous_convictions=previous_convictions,
        custodial_sentence_likely=custodial_sentence_likely,
        risk_band=risk_band,
        dpp_consent=dpp_consent,
    )
    results = eligibility.evaluate(case.scheme_version.policy(), facts, today_of(now))
    assessment = EligibilityAssessment.objects.create(
        case=case,
        scheme_version=case.scheme_version,
        assessed_on=today_of(now),
        assessed_by=user_of(by),
        evidential_test_met=evidential_test_met,
        admission=admission,
        previous_convictions=previous_convictions,
        custodial_sentence_likely=custodial_sentence_likely,
        risk_band=risk_band,
        risk_source=require_text(
            risk_source, field="risk_source", message="Enter where the risk band came from"
        ),
        risk_tool_score=risk_tool_score,
        dpp_consent=dpp_consent,
        is_eligible=eligibility.decide(results, set()).eligible,
    )
    _store_rule_results(assessment, results)
    return assessment


def _check_choices(admission: str, risk_band: str, previous_convictions: int) -> None:
    if admission not in Admission.values:
        raise InvalidInput("Select whether the person admitted the offence", field="admission")
    if risk_band not in RiskBand.values:
        raise InvalidInput("Select the risk of reoffending band", field="risk_band")
    if previous_convictions < 0:
        raise InvalidInput("Previous convictions cannot be negative", field="previous_convictions")


def _store_rule_results(
    assessment: EligibilityAssessment, results: list[eligibility.RuleResult]
) -> None:
    """Every rule's result, in the policy's order (kept however the policy changes later)."""
    rules = [
        AssessmentRule(
            assessment=assessment,
            code=r.code,
            label=r.label,
            reason=r.reason,
            outcome=RuleOutcome.PASSED if r.passed else RuleOutcome.FAILED,
            overridable=r.overridable,
            position=i,
        )
        for i, r in enumerate(results)
    ]
    bulk_create_with_history(rules, AssessmentRule, default_user=assessment.assessed_by)


@transaction.atomic
def assessment_override_rule(
    *, case_id: int, by: Actor, code: str, justification: str, now: datetime | None = None
) -> EligibilityAssessment:
    """Override one failed rule of the latest assessment, with a recorded justification.

    A rule the scheme profile fixes (``eligibility.Policy.fixed_rules``: the evidential test,
    a time-barred offence, the minimum age, what the law requires for the profile) is refused
    with a message naming the rule and why no override may lift it.
    """
    now = resolve_now(now)
    case = lock_case(case_id, by=by, needs=Permission.OVERRIDE_RULE)
    if case.state != CaseState.ASSESSMENT:
        raise TransitionBlocked("The eligibility decision has already been made for this case.")
    assessment = case.latest_assessment()
    if assessment is None:
        raise TransitionBlocked("Record the assessment before overriding a rule.")
    rule = assessment.rules.filter(code=code).first()
    if rule is None or rule.outcome != RuleOutcome.FAILED:
        raise InvalidInput("Only a failed rule can be overridden", field="code")
    why_fixed = assessment.scheme_version.policy().why_fixed(code)
    if why_fixed or not rule.overridable:
        raise InvalidInput(
            f"'{rule.label}' cannot be overridden: "
            + (why_fixed or "the scheme profile fixes this rule."),
            field="code",
        )
    rule.override_justification = require_text(
        justification,
        field="justification",
        min_length=MIN_JUSTIFICATION,
        message=f"Explain the override in at least {MIN_JUSTIFICATION} characters",
    )
    rule.outcome, rule.overridden_by, rule.overridden_at = RuleOutcome.OVERRIDDEN, user_of(by), now
    rule.save()
    _refresh_result(assessment)
    return assessment


def _refresh_result(assessment: EligibilityAssessment) -> None:
    failed = assessment.rules.filter(outcome=RuleOutcome.FAILED).exists()
    assessment.is_eligible = not failed
    assessment.save(update_fields=["is_eligible", "updated_at"])


@transaction.atomic
def assessment_decide(
    *, case_id: int, by: Actor, eligible: bool, reason: str = "", now: datetime | None = None
) -> Case:
    """The decision maker's decision: eligible (every rule passed or overridden) or not."""
    now = resolve_now(now)
    case = lock_case(case_id, by=by, needs=Permission.DECIDE_ELIGIBILITY)
    assessment = case.latest_assessment()
    blockers: list[Blocker] = []
    if assessment is None:
        blockers.append(
            Blocker(BlockerCode.ASSESSMENT_MISSING, "Record the eligibility assessment first")
        )
    elif eligible and not assessment.is_eligible:
        failed = assessment.rules.filter(outcome=RuleOutcome.FAILED).values_list("label", flat=True)
        blockers += [
            Blocker(BlockerCode.RULE_FAILED, f"Failed and not overridden: {label}", label)
            for label in failed
        ]
    elif not eligible and assessment.is_eligible and not reason.strip():
        raise InvalidInput(
            "Every rule passed: explain why the person is nevertheless not eligible",
            field="reason",
        )
    if not eligible:
        case.closed_at = now  # ineligible is terminal for the scheme
    action = "decide_eligible" if eligible else "decide_ineligible"
    apply_transition(case, action, by=by, at=now, reason=reason.strip(), blockers=blockers)
    return case


@transaction.atomic
def case_offer(*, case_id: int, by: Actor, now: datetime | None = None) -> Case:
    """Record that the scheme was offered to an eligible person."""
    now = resolve_now(now)
    case = lock_case(case_id, by=by, needs=Permission.MAKE_OFFER)
    apply_transition(case, "make_offer", by=by, at=now)
    return case


@transaction.atomic
def offer_accept(
    *, case_id: int, by: Actor, navigator: User | None = None, now: datetime | None = None
) -> Case:
    """The person consents to take part; optionally allocate the navigator now."""
    now = resolve_now(now)
    case = lock_case(case_id, by=by, needs=Permission.RECORD_ANSWER, related=("team",))
    if navigator is not None:
        check_navigator(navigator, case)
    apply_transition(case, "accept_offer", by=by, at=now, reason="Agreed to take part")
    if navigator is not None:
        reason = "Allocated when the person accepted"
        record_allocation(case, navigator, by=user_of(by), at=now, reason=reason)
    return case


@transaction.atomic
def offer_decline(*, case_id: int, by: Actor, reason: str, now: datetime | None = None) -> Case:
    """The person declines; the refusal and its reason are recorded (normal route follows)."""
    now = resolve_now(now)
    case = lock_case(case_id, by=by, needs=Permission.RECORD_ANSWER)
    reason = require_text(reason, field="reason", message="Enter the reason the person gave")
    apply_transition(case, "decline_offer", by=by, at=now, reason=reason)
    return case
