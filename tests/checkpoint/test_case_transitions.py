"""The case state machine, driven through its services (DESIGN.md 1.2 and 1.3).

Each allowed transition is taken through the service a screen would call, and checked for the
new state and exactly one history row (from, to, by, at, reason, transition). Then: transitions
refused in the wrong state, the guards, who may take each decision, and the protected field.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from checkpoint import dates, roles, services
from checkpoint.actors import SYSTEM
from checkpoint.models import (
    BreachReview,
    Case,
    CaseShare,
    CaseState,
    CaseTransition,
    CommunityKind,
    ConsentMethod,
    Outcome,
    OutcomeKind,
    Pathway,
    RestorativeApproach,
)
from checkpoint.services import CaseNotFound, InvalidInput, NotPermitted, TransitionBlocked
from tests import factories

S = CaseState
LONDON = dates.LONDON
pytestmark = pytest.mark.django_db

# A contract signed on factories.NOW (2 March 2026) runs four calendar months, to 2 July 2026.
END_DATE = date(2026, 7, 2)
AT_END = datetime(2026, 7, 2, 9, 0, tzinfo=LONDON)


# --- helpers ---------------------------------------------------------------------------------
def reload(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def history(case: Case) -> list[CaseTransition]:
    return list(CaseTransition.objects.filter(case_id=case.pk).order_by("at", "pk"))


def assert_moved(
    case: Case,
    *,
    rows_before: int,
    transition: str,
    from_state: str,
    to_state: str,
    by,
    at: datetime,
    reason: str = "",
) -> Case:
    """The case is now in ``to_state`` and exactly one matching history row was added."""
    fresh = reload(case)
    assert fresh.state == to_state
    rows = history(case)
    assert len(rows) == rows_before + 1
    row = rows[-1]
    assert (row.transition, row.from_state, row.to_state) == (transition, from_state, to_state)
    assert row.by_id == (by.pk if by is not SYSTEM else None)
    assert row.at == at
    assert row.reason == reason
    return fresh


def assert_unchanged(case: Case, *, state: str, rows_before: int) -> Case:
    fresh = reload(case)
    assert fresh.state == state
    assert len(history(case)) == rows_before
    return fresh


def offered_case(*, dm, team, now, **kwargs) -> Case:
    case = factories.eligible_case(dm=dm, team=team, now=now, **kwargs)
    return services.case_offer(case_id=case.pk, by=dm, now=now)


def declined_case(*, dm, team, now, **kwargs) -> Case:
    case = offered_case(dm=dm, team=team, now=now, **kwargs)
    return services.offer_decline(case_id=case.pk, by=dm, reason="Wants to go to court", now=now)


def breach_case(*, dm, team, navigator, now, **kwargs) -> Case:
    case = factories.active_case(dm=dm, team=team, navigator=navigator, now=now, **kwargs)
    services.breach_refer(
        case_id=case.pk, by=navigator, recommendation="Two missed sessions", now=now
    )
    return reload(case)


def withdrawn_case(*, dm, team, navigator, now, **kwargs) -> Case:
    case = factories.active_case(dm=dm, team=team, navigator=navigator, now=now, **kwargs)
    return services.case_withdraw(case_id=case.pk, by=navigator, reason="Moved away", now=now)


def terminated_case(*, dm, team, navigator, supervisor, now, **kwargs) -> Case:
    case = breach_case(dm=dm, team=team, navigator=navigator, now=now, **kwargs)
    services.breach_decide(
        case_id=case.pk,
        by=supervisor,
        decision="terminate",
        reasons="Further offence",
        now=now + timedelta(days=1),
    )
    return reload(case)


def review_case(*, dm, team, navigator, now, **kwargs) -> Case:
    case = factories.active_case(dm=dm, team=team, navigator=navigator, now=now, **kwargs)
    return services.completion_review_begin(case_id=case.pk, by=SYSTEM, now=AT_END)


# --- assessment -> eligible / ineligible -----------------------------------------------------
def test_decide_eligible_moves_assessment_to_eligible(dm, team, now):
    case = factories.open_case(dm=dm, team=team, now=now)
    services.assessment_record(case_id=case.pk, by=dm, now=now, **factories.GOOD_FACTS)

    services.assessment_decide(case_id=case.pk, by=dm, eligible=True, now=now)

    case = assert_moved(
        case,
        rows_before=0,
        transition="decide_eligible",
        from_state=S.ASSESSMENT,
        to_state=S.ELIGIBLE,
        by=dm,
        at=now,
    )
    assert case.closed_at is None


def test_decide_ineligible_moves_to_ineligible_and_closes_the_case(dm, team, now):
    case = factories.open_case(dm=dm, team=team, now=now)
    services.assessment_record(
        case_id=case.pk, by=dm, now=now, **{**factories.GOOD_FACTS, "admission": "denied"}
    )

    services.assessment_decide(
        case_id=case.pk, by=dm, eligible=False, reason="  Denies the offence ", now=now
    )

    case = assert_moved(
        case,
        rows_before=0,
        transition="decide_ineligible",
        from_state=S.ASSESSMENT,
        to_state=S.INELIGIBLE,
        by=dm,
        at=now,
        reason="Denies the offence",
    )
    assert case.closed_at == now


def test_decide_eligible_is_blocked_while_a_rule_fails(dm, team, now):
    case = factories.open_case(dm=dm, team=team, now=now)
    services.assessment_record(
        case_id=case.pk, by=dm, now=now, **{**factories.GOOD_FACTS, "admission": "denied"}
    )

    with pytest.raises(TransitionBlocked) as exc:
        services.assessment_decide(case_id=case.pk, by=dm, eligible=True, now=now)

    assert exc.value.problems == ["Failed and not overridden: Offence admitted"]
    assert_unchanged(case, state=S.ASSESSMENT, rows_before=0)


def test_decision_needs_a_recorded_assessment(dm, team, now):
    case = factories.open_case(dm=dm, team=team, now=now)

    with pytest.raises(TransitionBlocked) as exc:
        services.assessment_decide(case_id=case.pk, by=dm, eligible=False, now=now)

    assert exc.value.problems == ["Record the eligibility assessment first"]
    assert reload(case).closed_at is None
    assert_unchanged(case, state=S.ASSESSMENT, rows_before=0)


# --- eligible -> offered -> accepted / declined ----------------------------------------------
def test_offer_moves_eligible_to_offered(dm, team, now):
    case = factories.eligible_case(dm=dm, team=team, now=now)
    later = now + timedelta(minutes=30)

    services.case_offer(case_id=case.pk, by=dm, now=later)

    assert_moved(
        case,
        rows_before=1,
        transition="make_offer",
        from_state=S.ELIGIBLE,
        to_state=S.OFFERED,
        by=dm,
        at=later,
    )


def test_accept_moves_offered_to_accepted_and_allocates_the_navigator(dm, navigator, team, now):
    case = offered_case(dm=dm, team=team, now=now)

    services.offer_accept(case_id=case.pk, by=dm, navigator=navigator, now=now)

    case = assert_moved(
        case,
        rows_before=2,
        transition="accept_offer",
        from_state=S.OFFERED,
        to_state=S.ACCEPTED,
        by=dm,
        at=now,
        reason="Agreed to take part",
    )
    assert case.navigator_id == navigator.pk
    assert case.closed_at is None


def test_decline_moves_offered_to_declined_with_the_reason(dm, team, now):
    case = offered_case(dm=dm, team=team, now=now)

    services.offer_decline(case_id=case.pk, by=dm, reason=" Wants to go to court ", now=now)

    case = assert_moved(
        case,
        rows_before=2,
        transition="decline_offer",
        from_state=S.OFFERED,
        to_state=S.DECLINED,
        by=dm,
        at=now,
        reason="Wants to go to court",
    )
    # Declined is not the end: a supervisor still refers the case for prosecution.
    assert case.closed_at is None


# --- accepted -> active / withdrawn ----------------------------------------------------------
def test_contract_sign_moves_accepted_to_active_and_dates_the_contract(dm, navigator, team, now):
    case = factories.accepted_case(dm=dm, team=team, navigator=navigator, now=now)
    factories.build_contract(case, navigator=navigator, now=now)

    services.contract_sign(case_id=case.pk, by=navigator, starts_on=now.date(), now=now)

    case = assert_moved(
        case,
        rows_before=3,
        transition="sign_contract",
        from_state=S.ACCEPTED,
        to_state=S.ACTIVE,
        by=navigator,
        at=now,
    )
    contract = case.contract
    assert (contract.starts_on, contract.ends_on) == (now.date(), END_DATE)
    assert contract.signed_at == now
    assert contract.victim_condition.due_on == now.date() + timedelta(days=56)


def test_withdraw_moves_accepted_to_withdrawn(dm, navigator, team, now):
    case = factories.accepted_case(dm=dm, team=team, navigator=navigator, now=now)

    services.case_withdraw(case_id=case.pk, by=navigator, reason="Changed their mind", now=now)

    case = assert_moved(
        case,
        rows_before=3,
        transition="withdraw",
        from_state=S.ACCEPTED,
        to_state=S.WITHDRAWN,
        by=navigator,
        at=now,
        reason="Changed their mind",
    )
    assert case.closed_at is None


# --- active -> breach_review / completion_review / withdrawn ---------------------------------
def test_withdraw_moves_active_to_withdrawn(dm, navigator, team, now):
    case = factories.active_case(dm=dm, team=team, navigator=navigator, now=now)
    later = now + timedelta(days=3)

    services.case_withdraw(case_id=case.pk, by=navigator, reason="Moved away", now=later)

    assert_moved(
        case,
        rows_before=4,
        transition="withdraw",
        from_state=S.ACTIVE,
        to_state=S.WITHDRAWN,
        by=navigator,
        at=later,
        reason="Moved away",
    )


def test_breach_refer_moves_active_to_breach_review_and_opens_a_review(dm, navigator, team, now):
    case = factories.active_case(dm=dm, team=team, navigator=navigator, now=now)
    later = now + timedelta(days=20)

    review = services.breach_refer(
        case_id=case.pk, by=navigator, recommendation="Two missed sessions", now=later
    )

    assert_moved(
        case,
        rows_before=4,
        transition="refer_breach",
        from_state=S.ACTIVE,
        to_state=S.BREACH_REVIEW,
        by=navigator,
        at=later,
        reason="Two missed sessions",
    )
    assert (review.decision, review.referred_by_id) == ("", navigator.pk)


def test_scheduled_check_moves_active_to_completion_review_on_the_end_date(
    dm, navigator, team, now
):
    case = factories.active_case(dm=dm, team=team, navigator=navigator, now=now)

    services.completion_review_begin(case_id=case.pk, by=SYSTEM, now=AT_END)

    case = assert_moved(
        case,
        rows_before=4,
        transition="begin_completion_review",
        from_state=S.ACTIVE,
        to_state=S.COMPLETION_REVIEW,
        by=SYSTEM,
        at=AT_END,
        reason="Contract end date reached",
    )
    assert history(case)[-1].actor_label == "Scheduled check"


# --- breach_review -> active (continue / vary) / terminated ----------------------------------
def test_continue_moves_breach_review_back_to_active(dm, navigator, supervisor, team, now):
    case = breach_case(dm=dm, team=team, navigator=navigator, now=now)
    later = now + timedelta(days=22)

    review = services.breach_decide(
        case_id=case.pk,
        by=supervisor,
        decision="continue",
        reasons="First lapse, now engaging",
        now=later,
    )

    assert_moved(
        case,
        rows_before=5,
        transition="continue_contract",
        from_state=S.BREACH_REVIEW,
        to_state=S.ACTIVE,
        by=supervisor,
        at=later,
        reason="First lapse, now engaging",
    )
    review = BreachReview.objects.get(pk=review.pk)
    assert (review.decision, review.decided_by_id, review.decided_at) == (
        "continue",
        supervisor.pk,
        later,
    )


def test_vary_moves_breach_review_back_to_active_with_more_hours(
    dm, navigator, supervisor, team, now
):
    case = breach_case(dm=dm, team=team, navigator=navigator, now=now, hours=24)

    services.breach_decide(
        case_id=case.pk,
        by=supervisor,
        decision="vary",
        reasons="Add hours",
        extra_hours=12,
        now=now,
    )

    case = assert_moved(
        case,
        rows_before=5,
        transition="vary_contract",
        from_state=S.BREACH_REVIEW,
        to_state=S.ACTIVE,
        by=supervisor,
        at=now,
        reason="Add hours",
    )
    assert case.contract.community_condition.hours_required == 36


def test_vary_beyond_the_scheme_maximum_is_refused_and_changes_nothing(
    dm, navigator, supervisor, team, now
):
    case = breach_case(dm=dm, team=team, navigator=navigator, now=now, hours=24)

    with pytest.raises(InvalidInput) as exc:
        services.breach_decide(
            case_id=case.pk,
            by=supervisor,
            decision="vary",
            reasons="Add hours",
            extra_hours=13,
            now=now,
        )

    assert exc.value.field == "extra_hours"
    assert "between 18 and 36" in exc.value.message
    case = assert_unchanged(case, state=S.BREACH_REVIEW, rows_before=5)
    assert case.contract.community_condition.hours_required == 24
    assert case.breach_reviews.get().decision == ""


def test_terminate_moves_breach_review_to_terminated(dm, navigator, supervisor, team, now):
    case = breach_case(dm=dm, team=team, navigator=navigator, now=now)

    services.breach_decide(
        case_id=case.pk, by=supervisor, decision="terminate", reasons="Further offence", now=now
    )

    case = assert_moved(
        case,
        rows_before=5,
        transition="terminate",
        from_state=S.BREACH_REVIEW,
        to_state=S.TERMINATED,
        by=supervisor,
        at=now,
        reason="Further offence",
    )
    # Terminated is not the end: the prosecution referral follows.
    assert case.closed_at is None


# --- completion_review -> exited_no_conviction / terminated ----------------------------------
def test_sign_off_moves_completion_review_to_exit_without_conviction(
    dm, navigator, supervisor, team, now
):
    case = review_case(dm=dm, team=team, navigator=navigator, now=now)
    factories.complete_conditions(case, navigator=navigator, now=now)

    outcome = services.completion_sign_off(
        case_id=case.pk, by=supervisor, reason="All conditions met", now=AT_END
    )

    case = assert_moved(
        case,
        rows_before=5,
        transition="sign_off",
        from_state=S.COMPLETION_REVIEW,
        to_state=S.EXITED_NO_CONVICTION,
        by=supervisor,
        at=AT_END,
        reason="All conditions met",
    )
    assert case.closed_at == AT_END
    assert (outcome.kind, outcome.decided_by_id) == (
        OutcomeKind.EXITED_NO_CONVICTION,
        supervisor.pk,
    )


def test_sign_off_is_blocked_listing_every_unmet_condition(dm, navigator, supervisor, team, now):
    case = review_case(dm=dm, team=team, navigator=navigator, now=now)

    with pytest.raises(TransitionBlocked) as exc:
        services.completion_sign_off(case_id=case.pk, by=supervisor, now=AT_END)

    assert exc.value.problems == [
        "Victim condition not yet met: Letter of apology: pending",
        "Pathway condition not yet met: 0 of 1 referral completed",
        "Community condition not yet met: 0 of 24 hours verified",
    ]
    case = assert_unchanged(case, state=S.COMPLETION_REVIEW, rows_before=5)
    assert case.closed_at is None
    assert not Outcome.objects.filter(case=case).exists()


def test_sign_off_is_blocked_by_a_new_offence_even_with_everything_else_met(
    dm, navigator, supervisor, team, now
):
    case = factories.active_case(dm=dm, team=team, navigator=navigator, now=now)
    factories.complete_conditions(case, navigator=navigator, now=now)
    services.new_offence_report(
        case_id=case.pk,
        by=navigator,
        occurred_on=date(2026, 5, 1),
        description="Shoplifting",
        now=now + timedelta(days=70),
    )
    services.completion_review_begin(case_id=case.pk, by=SYSTEM, now=AT_END)

    with pytest.raises(TransitionBlocked) as exc:
        services.completion_sign_off(case_id=case.pk, by=supervisor, now=AT_END)

    assert exc.value.problems == ["Offending condition not met: 1 new offence was reported"]
    assert_unchanged(case, state=S.COMPLETION_REVIEW, rows_before=5)


def test_completion_terminate_moves_completion_review_to_terminated(
    dm, navigator, supervisor, team, now
):
    case = review_case(dm=dm, team=team, navigator=navigator, now=now)

    services.completion_terminate(
        case_id=case.pk, by=supervisor, reasons="Hours not completed", now=AT_END
    )

    case = assert_moved(
        case,
        rows_before=5,
        transition="terminate",
        from_state=S.COMPLETION_REVIEW,
        to_state=S.TERMINATED,
        by=supervisor,
        at=AT_END,
        reason="Hours not completed",
    )
    assert case.closed_at is None


# --- declined / withdrawn / terminated -> prosecution_referred -------------------------------
@pytest.mark.parametrize("start", ["declined", "withdrawn", "terminated"])
def test_prosecution_refer_closes_the_case_and_records_the_outcome(
    start, dm, navigator, supervisor, team, now
):
    build = {
        "declined": lambda: declined_case(dm=dm, team=team, now=now),
        "withdrawn": lambda: withdrawn_case(dm=dm, team=team, navigator=navigator, now=now),
        "terminated": lambda: terminated_case(
            dm=dm, team=team, navigator=navigator, supervisor=supervisor, now=now
        ),
    }
    case = build[start]()
    rows_before = len(history(case))
    later = now + timedelta(days=40)

    outcome = services.prosecution_refer(
        case_id=case.pk, by=supervisor, reason="File to the CPS", now=later
    )

    case = assert_moved(
        case,
        rows_before=rows_before,
        transition="refer_for_prosecution",
        from_state=start,
        to_state=S.PROSECUTION_REFERRED,
        by=supervisor,
        at=later,
        reason="File to the CPS",
    )
    assert case.closed_at == later
    assert (outcome.kind, outcome.decided_by_id, outcome.decided_on) == (
        OutcomeKind.PROSECUTION_REFERRED,
        supervisor.pk,
        later.date(),
    )
    # An either-way offence (theft from a shop) has no s.127 time limit.
    assert outcome.within_time_limit is None


@pytest.mark.parametrize(
    ("referred_on", "within"),
    [
        (date(2026, 8, 19), True),
        (date(2026, 8, 20), True),  # the last day: six months from 20 February
        (date(2026, 8, 21), False),
    ],
)
def test_referral_of_a_summary_only_offence_records_if_it_beat_the_s127_limit(
    referred_on, within, dm, supervisor, team, now
):
    offence = factories.offence("COMMON-ASSAULT", committed_on=date(2026, 2, 20))
    case = declined_case(dm=dm, team=team, now=now, offences=[offence])
    assert case.prosecution_deadline == date(2026, 8, 20)

    outcome = services.prosecution_refer(
        case_id=case.pk,
        by=supervisor,
        reason="File to the CPS",
        now=datetime.combine(referred_on, datetime.min.time(), tzinfo=LONDON) + timedelta(hours=16),
    )

    assert outcome.within_time_limit is within
    assert reload(case).state == S.PROSECUTION_REFERRED


# --- transitions refused in the wrong state --------------------------------------------------
FORBIDDEN = {
    # name: (how to build the case, the call, the state named in the message)
    "sign_off from active": (
        "active",
        lambda c, u, now: services.completion_sign_off(case_id=c.pk, by=u["sup"], now=now),
        "Active",
    ),
    "contract_sign from offered": (
        "offered",
        lambda c, u, now: services.contract_sign(
            case_id=c.pk, by=u["sup"], starts_on=now.date(), now=now
        ),
        "Offered",  # refused before the state machine, still naming the state
    ),
    "decide_eligible twice": (
        "eligible",
        lambda c, u, now: services.assessment_decide(
            case_id=c.pk, by=u["dm"], eligible=True, now=now
        ),
        "Eligible",
    ),
    "ineligible after eligible": (
        "eligible",
        lambda c, u, now: services.assessment_decide(
            case_id=c.pk, by=u["dm"], eligible=False, reason="Changed mind", now=now
        ),
        "Eligible",
    ),
    "offer from assessment": (
        "assessment",
        lambda c, u, now: services.case_offer(case_id=c.pk, by=u["dm"], now=now),
        "Assessment",
    ),
    "accept after decline": (
        "declined",
        lambda c, u, now: services.offer_accept(case_id=c.pk, by=u["dm"], now=now),
        "Declined",
    ),
    "continue from active": (
        "active",
        lambda c, u, now: services.breach_decide(
            case_id=c.pk, by=u["sup"], decision="continue", reasons="x", now=now
        ),
        "Active",
    ),
    "breach referral from completion review": (
        "completion_review",
        lambda c, u, now: services.breach_refer(
            case_id=c.pk, by=u["nav"], recommendation="x", now=now
        ),
        "Completion review",
    ),
    "withdraw from breach review": (
        "breach_review",
        lambda c, u, now: services.case_withdraw(case_id=c.pk, by=u["nav"], reason="x", now=now),
        "Breach review",
    ),
    "completion review from breach review": (
        "breach_review",
        lambda c, u, now: services.completion_review_begin(case_id=c.pk, by=SYSTEM, now=AT_END),
        "Breach review",
    ),
    "prosecution referral from active": (
        "active",
        lambda c, u, now: services.prosecution_refer(
            case_id=c.pk, by=u["sup"], reason="x", now=now
        ),
        "Active",
    ),
    "prosecution referral twice": (
        "prosecution_referred",
        lambda c, u, now: services.prosecution_refer(
            case_id=c.pk, by=u["sup"], reason="x", now=now
        ),
        "Referred for prosecution",
    ),
    "withdraw after exit": (
        "exited_no_conviction",
        lambda c, u, now: services.case_withdraw(case_id=c.pk, by=u["sup"], reason="x", now=now),
        "Exited without conviction",
    ),
}


def build_in_state(state: str, *, dm, navigator, supervisor, team, now) -> Case:
    people = {"dm": dm, "team": team, "now": now}
    if state == "assessment":
        return factories.open_case(**people)
    if state == "eligible":
        return factories.eligible_case(**people)
    if state == "offered":
        return offered_case(**people)
    if state == "declined":
        return declined_case(**people)
    if state == "active":
        return factories.active_case(navigator=navigator, **people)
    if state == "breach_review":
        return breach_case(navigator=navigator, **people)
    if state == "completion_review":
        return review_case(navigator=navigator, **people)
    if state == "exited_no_conviction":
        case = review_case(navigator=navigator, **people)
        factories.complete_conditions(case, navigator=navigator, now=now)
        services.completion_sign_off(case_id=case.pk, by=supervisor, now=AT_END)
        return reload(case)
    if state == "prosecution_referred":
        case = declined_case(**people)
        services.prosecution_refer(case_id=case.pk, by=supervisor, reason="CPS", now=now)
        return reload(case)
    raise AssertionError(state)


@pytest.mark.parametrize("name", list(FORBIDDEN))
def test_a_transition_not_allowed_from_the_current_state_is_blocked(
    name, dm, navigator, supervisor, team, now
):
    state, call, label = FORBIDDEN[name]
    case = build_in_state(
        state, dm=dm, navigator=navigator, supervisor=supervisor, team=team, now=now
    )
    rows_before = len(history(case))
    closed_at = case.closed_at

    with pytest.raises(TransitionBlocked) as exc:
        call(case, {"dm": dm, "nav": navigator, "sup": supervisor}, now + timedelta(days=1))

    if label is not None:
        assert f"'{label}'" in exc.value.message
    case = assert_unchanged(case, state=state, rows_before=rows_before)
    assert case.closed_at == closed_at


def test_the_refusal_says_who_made_the_last_change_and_when(dm, team, now):
    case = factories.eligible_case(dm=dm, team=team, now=now)

    with pytest.raises(TransitionBlocked) as exc:
        services.assessment_decide(
            case_id=case.pk, by=dm, eligible=True, now=now + timedelta(hours=1)
        )

    assert exc.value.message == (
        "This case is now 'Eligible', so 'Record as eligible' is not possible. "
        f"It was changed to 'Eligible' by {dm.get_full_name()} at 10:00 on 2 March 2026."
    )


@pytest.mark.parametrize("service", ["contract_sign", "completion_terminate"])
def test_every_wrong_state_refusal_names_the_current_state(
    service, dm, navigator, supervisor, team, now
):
    case = factories.active_case(dm=dm, team=team, navigator=navigator, now=now)
    calls = {
        "contract_sign": lambda: services.contract_sign(
            case_id=case.pk, by=navigator, starts_on=now.date(), now=now
        ),
        "completion_terminate": lambda: services.completion_terminate(
            case_id=case.pk, by=supervisor, reasons="Not met", now=now
        ),
    }

    with pytest.raises(TransitionBlocked) as exc:
        calls[service]()

    assert "'Active'" in exc.value.message


# --- guards ----------------------------------------------------------------------------------
CONTRACT_PARTS = ("victim", "referral", "community", "consent")
MISSING_MESSAGE = {
    "victim": "Add the Victim condition",
    "referral": "Add at least one Pathway referral",
    "community": "Add the Community condition",
    "consent": "Record the participant's consent",
}


def build_contract_parts(case: Case, *, navigator, now, parts) -> None:
    services.contract_open(case_id=case.pk, by=navigator)
    if "victim" in parts:
        services.victim_condition_set(
            case_id=case.pk, by=navigator, approach=RestorativeApproach.LETTER
        )
    if "referral" in parts:
        provider = factories.ServiceProviderFactory(pathways=["drugs"])
        services.referral_add(
            case_id=case.pk,
            by=navigator,
            provider_id=provider.pk,
            pathway_id=Pathway.objects.get(code="drugs").pk,
            what="Drug awareness",
            frequency="Weekly",
            required_sessions=4,
        )
    if "community" in parts:
        services.community_set(
            case_id=case.pk, by=navigator, kind=CommunityKind.HOURS, hours_required=24
        )
    if "consent" in parts:
        services.consent_record(
            case_id=case.pk,
            by=navigator,
            method=ConsentMethod.IN_PERSON,
            given_on=now.date(),
            now=now,
        )


@pytest.mark.parametrize(
    "missing", [("victim",), ("community",), ("consent",), ("referral",), CONTRACT_PARTS]
)
def test_contract_sign_lists_each_missing_item_and_leaves_the_case_accepted(
    missing, dm, navigator, team, now
):
    case = factories.accepted_case(dm=dm, team=team, navigator=navigator, now=now)
    parts = set(CONTRACT_PARTS) - set(missing)
    build_contract_parts(case, navigator=navigator, now=now, parts=parts)

    with pytest.raises(TransitionBlocked) as exc:
        services.contract_sign(case_id=case.pk, by=navigator, starts_on=now.date(), now=now)

    assert sorted(exc.value.problems) == sorted(MISSING_MESSAGE[m] for m in missing)
    case = assert_unchanged(case, state=S.ACCEPTED, rows_before=3)
    assert (case.contract.starts_on, case.contract.ends_on, case.contract.signed_at) == (
        None,
        None,
        None,
    )


def test_contract_sign_without_any_contract_is_blocked(dm, navigator, team, now):
    case = factories.accepted_case(dm=dm, team=team, navigator=navigator, now=now)

    with pytest.raises(TransitionBlocked):
        services.contract_sign(case_id=case.pk, by=navigator, starts_on=now.date(), now=now)

    assert_unchanged(case, state=S.ACCEPTED, rows_before=3)


@pytest.mark.parametrize("by", ["system", "navigator"])
def test_completion_review_cannot_begin_before_the_end_date(by, dm, navigator, team, now):
    case = factories.active_case(dm=dm, team=team, navigator=navigator, now=now)
    actor = SYSTEM if by == "system" else navigator
    last_evening = datetime(2026, 7, 1, 23, 59, tzinfo=LONDON)

    with pytest.raises(TransitionBlocked) as exc:
        services.completion_review_begin(case_id=case.pk, by=actor, now=last_evening)

    assert exc.value.problems == ["The contract runs until 2 July 2026"]
    assert_unchanged(case, state=S.ACTIVE, rows_before=4)


def test_a_contract_signed_on_31_october_reaches_its_end_on_28_february(dm, navigator, team):
    signed = datetime(2025, 10, 31, 11, 0, tzinfo=LONDON)
    offence = factories.offence(committed_on=date(2025, 10, 20))
    case = factories.active_case(
        dm=dm, team=team, navigator=navigator, now=signed, offences=[offence]
    )
    assert reload(case).contract.ends_on == date(2026, 2, 28)

    with pytest.raises(TransitionBlocked):
        services.completion_review_begin(
            case_id=case.pk, by=SYSTEM, now=datetime(2026, 2, 27, 23, 0, tzinfo=LONDON)
        )
    # Just after midnight, London time, on the end date: the scheduled check may act.
    just_reached = datetime(2026, 2, 28, 0, 1, tzinfo=LONDON)
    services.completion_review_begin(case_id=case.pk, by=SYSTEM, now=just_reached)

    assert_moved(
        case,
        rows_before=4,
        transition="begin_completion_review",
        from_state=S.ACTIVE,
        to_state=S.COMPLETION_REVIEW,
        by=SYSTEM,
        at=just_reached,
        reason="Contract end date reached",
    )


# --- permission: role --------------------------------------------------------------------------
def test_a_navigator_cannot_sign_off(dm, navigator, team, now):
    case = review_case(dm=dm, team=team, navigator=navigator, now=now)
    factories.complete_conditions(case, navigator=navigator, now=now)

    with pytest.raises(NotPermitted) as exc:
        services.completion_sign_off(case_id=case.pk, by=navigator, now=AT_END)

    assert exc.value.message == "Only a supervisor can sign off an exit without conviction."
    case = assert_unchanged(case, state=S.COMPLETION_REVIEW, rows_before=5)
    assert case.closed_at is None
    assert not Outcome.objects.filter(case=case).exists()


@pytest.mark.parametrize("decision", ["terminate", "continue"])
def test_a_navigator_cannot_decide_a_breach(decision, dm, navigator, team, now):
    case = breach_case(dm=dm, team=team, navigator=navigator, now=now)

    with pytest.raises(NotPermitted) as exc:
        services.breach_decide(
            case_id=case.pk, by=navigator, decision=decision, reasons="My call", now=now
        )

    assert exc.value.message == "Only a supervisor can decide on a breach."
    case = assert_unchanged(case, state=S.BREACH_REVIEW, rows_before=5)
    assert case.breach_reviews.get().decision == ""


def test_a_navigators_refused_variation_leaves_the_hours_alone(dm, navigator, team, now):
    # breach_decide adds the hours before the role check: the rollback must undo them.
    case = breach_case(dm=dm, team=team, navigator=navigator, now=now, hours=24)

    with pytest.raises(NotPermitted):
        services.breach_decide(
            case_id=case.pk,
            by=navigator,
            decision="vary",
            reasons="More hours",
            extra_hours=6,
            now=now,
        )

    case = assert_unchanged(case, state=S.BREACH_REVIEW, rows_before=5)
    assert case.contract.community_condition.hours_required == 24


def test_a_navigator_cannot_refer_for_prosecution(dm, navigator, team, now):
    case = withdrawn_case(dm=dm, team=team, navigator=navigator, now=now)

    with pytest.raises(NotPermitted) as exc:
        services.prosecution_refer(case_id=case.pk, by=navigator, reason="CPS", now=now)

    assert exc.value.message == "Only a supervisor can refer a case for prosecution."
    case = assert_unchanged(case, state=S.WITHDRAWN, rows_before=5)
    assert case.closed_at is None
    assert not Outcome.objects.filter(case=case).exists()


def test_a_navigator_cannot_terminate_at_completion_review(dm, navigator, team, now):
    case = review_case(dm=dm, team=team, navigator=navigator, now=now)

    with pytest.raises(NotPermitted) as exc:
        services.completion_terminate(case_id=case.pk, by=navigator, reasons="x", now=AT_END)

    assert exc.value.message == "Only a supervisor can terminate a contract."
    assert_unchanged(case, state=S.COMPLETION_REVIEW, rows_before=5)


def test_a_decision_maker_cannot_sign_a_contract(dm, navigator, team, now):
    case = factories.accepted_case(dm=dm, team=team, navigator=navigator, now=now)
    factories.build_contract(case, navigator=navigator, now=now)

    with pytest.raises(NotPermitted) as exc:
        services.contract_sign(case_id=case.pk, by=dm, starts_on=now.date(), now=now)

    assert exc.value.message == "Only a navigator or supervisor can sign the contract."
    assert_unchanged(case, state=S.ACCEPTED, rows_before=3)


# --- permission: relationship ----------------------------------------------------------------
@pytest.fixture
def other_team():
    return factories.TeamFactory(name="Durham South")


@pytest.mark.parametrize("same_team", [True, False])
def test_a_navigator_not_assigned_to_the_case_cannot_reach_it(
    same_team, dm, navigator, team, other_team, now
):
    case = factories.active_case(dm=dm, team=team, navigator=navigator, now=now)
    stranger = factories.make_user(
        roles.NAVIGATOR, team=team if same_team else other_team, username="nav2"
    )

    with pytest.raises(CaseNotFound):
        services.breach_refer(case_id=case.pk, by=stranger, recommendation="x", now=now)
    with pytest.raises(CaseNotFound):
        services.case_withdraw(case_id=case.pk, by=stranger, reason="x", now=now)
    with pytest.raises(CaseNotFound):
        services.completion_review_begin(case_id=case.pk, by=stranger, now=AT_END)

    assert_unchanged(case, state=S.ACTIVE, rows_before=4)


def test_a_navigator_the_case_is_shared_with_can_act_on_it(dm, navigator, team, now):
    case = factories.active_case(dm=dm, team=team, navigator=navigator, now=now)
    cover = factories.make_user(roles.NAVIGATOR, team=team, username="cover")
    CaseShare.objects.create(case=case, user=cover, shared_by=navigator, reason="Leave")

    services.breach_refer(case_id=case.pk, by=cover, recommendation="Missed sessions", now=now)

    assert_moved(
        case,
        rows_before=4,
        transition="refer_breach",
        from_state=S.ACTIVE,
        to_state=S.BREACH_REVIEW,
        by=cover,
        at=now,
        reason="Missed sessions",
    )


def test_a_supervisor_of_another_team_cannot_reach_the_case(dm, navigator, team, other_team, now):
    case = breach_case(dm=dm, team=team, navigator=navigator, now=now)
    outsider = factories.make_user(roles.SUPERVISOR, team=other_team, username="sup2")

    with pytest.raises(CaseNotFound):
        services.breach_decide(
            case_id=case.pk, by=outsider, decision="terminate", reasons="x", now=now
        )

    assert_unchanged(case, state=S.BREACH_REVIEW, rows_before=5)


def test_a_decision_maker_loses_reach_once_another_dms_case_leaves_custody(dm, team, now):
    case = declined_case(dm=dm, team=team, now=now)
    colleague = factories.make_user(roles.DECISION_MAKER, username="dm2")

    with pytest.raises(CaseNotFound):
        services.offer_accept(case_id=case.pk, by=colleague, now=now)


ANALYST_CALLS = {
    "assessment_decide": lambda c, a, now: services.assessment_decide(
        case_id=c.pk, by=a, eligible=True, now=now
    ),
    "case_offer": lambda c, a, now: services.case_offer(case_id=c.pk, by=a, now=now),
    "offer_accept": lambda c, a, now: services.offer_accept(case_id=c.pk, by=a, now=now),
    "breach_refer": lambda c, a, now: services.breach_refer(
        case_id=c.pk, by=a, recommendation="x", now=now
    ),
    "case_withdraw": lambda c, a, now: services.case_withdraw(
        case_id=c.pk, by=a, reason="x", now=now
    ),
    "breach_decide": lambda c, a, now: services.breach_decide(
        case_id=c.pk, by=a, decision="terminate", reasons="x", now=now
    ),
    "completion_sign_off": lambda c, a, now: services.completion_sign_off(
        case_id=c.pk, by=a, now=now
    ),
    "completion_terminate": lambda c, a, now: services.completion_terminate(
        case_id=c.pk, by=a, reasons="x", now=now
    ),
    "prosecution_refer": lambda c, a, now: services.prosecution_refer(
        case_id=c.pk, by=a, reason="x", now=now
    ),
}


@pytest.mark.parametrize("service", list(ANALYST_CALLS))
def test_an_analyst_cannot_reach_any_case(service, dm, analyst, team, now):
    case = factories.open_case(dm=dm, team=team, now=now)
    services.assessment_record(case_id=case.pk, by=dm, now=now, **factories.GOOD_FACTS)

    with pytest.raises(CaseNotFound):
        ANALYST_CALLS[service](case, analyst, now)

    assert_unchanged(case, state=S.ASSESSMENT, rows_before=0)


def test_an_analyst_cannot_begin_a_completion_review(dm, navigator, analyst, team, now):
    # Reach is checked before role, as for every service: the case is not found.
    case = factories.active_case(dm=dm, team=team, navigator=navigator, now=now)

    with pytest.raises(CaseNotFound):
        services.completion_review_begin(case_id=case.pk, by=analyst, now=AT_END)

    assert_unchanged(case, state=S.ACTIVE, rows_before=4)


# --- the protected state field and the history -----------------------------------------------
def test_the_state_cannot_be_assigned_directly(dm, team, now):
    case = factories.eligible_case(dm=dm, team=team, now=now)

    with pytest.raises(AttributeError, match="Direct state modification is not allowed"):
        case.state = CaseState.ACTIVE

    assert case.state == S.ELIGIBLE
    case.refresh_from_db()  # refreshing a protected field is still allowed
    assert case.state == S.ELIGIBLE
    assert len(history(case)) == 1


def test_history_rows_cannot_be_edited_or_deleted(dm, team, now):
    case = factories.eligible_case(dm=dm, team=team, now=now)
    row = history(case)[0]

    row.reason = "Rewritten"
    with pytest.raises(ValueError, match="cannot be changed"):
        row.save()
    with pytest.raises(ValueError, match="cannot be deleted"):
        row.delete()

    assert history(case)[0].reason == ""


def test_every_state_change_of_a_whole_journey_is_in_the_history(
    dm, navigator, supervisor, team, now
):
    case = breach_case(dm=dm, team=team, navigator=navigator, now=now)
    services.breach_decide(
        case_id=case.pk,
        by=supervisor,
        decision="continue",
        reasons="Ok",
        now=now + timedelta(days=21),
    )
    services.case_withdraw(
        case_id=case.pk, by=navigator, reason="Moved away", now=now + timedelta(days=30)
    )
    services.prosecution_refer(
        case_id=case.pk, by=supervisor, reason="CPS", now=now + timedelta(days=31)
    )

    rows = history(case)
    pairs = [(r.from_state, r.to_state) for r in rows]
    assert pairs == [
        ("assessment", "eligible"),
        ("eligible", "offered"),
        ("offered", "accepted"),
        ("accepted", "active"),
        ("active", "breach_review"),
        ("breach_review", "active"),
        ("active", "withdrawn"),
        ("withdrawn", "prosecution_referred"),
    ]
    assert [r.by_id for r in rows[-4:]] == [
        navigator.pk,
        supervisor.pk,
        navigator.pk,
        supervisor.pk,
    ]
    assert reload(case).state == rows[-1].to_state
