"""Eligibility: the pure rules, then recording, overriding and deciding through the services."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.utils import timezone

from checkpoint import eligibility, services
from checkpoint.eligibility import (
    EITHER_WAY,
    INDICTABLE_ONLY,
    SUMMARY_ONLY,
    Facts,
    OffenceFacts,
    Policy,
    RuleCode,
)
from checkpoint.models import (
    AssessmentRule,
    Case,
    CaseState,
    Offence,
    OffenceType,
    RuleOutcome,
    Scheme,
    SchemeVersion,
)
from tests import factories

TODAY = date(2026, 3, 2)

# Every rule switched on, with Durham-like limits.
STRICT = Policy(
    require_evidential_test=True,
    require_admission=True,
    accept_no_comment_interview=False,
    offence_within_months=3,
    max_gravity_score=3,
    excluded_categories=frozenset({"hate-crime"}),
    max_previous_convictions=3,
    require_custody_unlikely=True,
    allowed_risk_bands=frozenset({"low", "moderate"}),
    indictable_only_needs_dpp_consent=True,
)


def an_offence(**overrides) -> OffenceFacts:
    values = {
        "title": "Theft from a shop",
        "offence_class": EITHER_WAY,
        "committed_on": TODAY - timedelta(days=10),
        "gravity_score": 2,
    }
    return OffenceFacts(**{**values, **overrides})


def the_facts(*offences: OffenceFacts, **overrides) -> Facts:
    values = {
        "offences": offences or (an_offence(),),
        "evidential_test_met": True,
        "admission": "admitted",
        "previous_convictions": 0,
        "custodial_sentence_likely": False,
        "risk_band": "low",
    }
    return Facts(**{**values, **overrides})


def rule(code: RuleCode, facts: Facts | None = None, policy: Policy = STRICT):
    """The result of one rule; fails the test if the rule was not applied."""
    results = {r.code: r for r in eligibility.evaluate(policy, facts or the_facts(), TODAY)}
    assert code in results, f"{code} was not applied"
    return results[code]


def codes(policy: Policy, facts: Facts) -> list[RuleCode]:
    return [r.code for r in eligibility.evaluate(policy, facts, TODAY)]


# --- the pure rules -----------------------------------------------------------------------


def test_good_case_passes_every_applicable_rule_in_a_stable_order():
    results = eligibility.evaluate(STRICT, the_facts(), TODAY)
    assert all(r.passed for r in results)
    assert [r.code for r in results] == [
        RuleCode.EVIDENTIAL_TEST,
        RuleCode.TIME_LIMIT,
        RuleCode.OFFENCE_ADMITTED,
        RuleCode.OFFENCE_RECENT,
        RuleCode.GRAVITY,
        RuleCode.EXCLUDED_CATEGORY,
        RuleCode.PREVIOUS_CONVICTIONS,
        RuleCode.CUSTODY_UNLIKELY,
        RuleCode.RISK_BAND,
    ]


def test_evidential_test_met_passes():
    result = rule(RuleCode.EVIDENTIAL_TEST)
    assert result.passed
    assert result.reason == "There is sufficient evidence to charge."


def test_evidential_test_not_met_fails():
    result = rule(RuleCode.EVIDENTIAL_TEST, the_facts(evidential_test_met=False))
    assert not result.passed
    assert "evidential test is not met" in result.reason


def test_admission_passes():
    result = rule(RuleCode.OFFENCE_ADMITTED)
    assert result.passed
    assert result.reason == "The person admitted the offence."


def test_denial_fails_admission():
    result = rule(RuleCode.OFFENCE_ADMITTED, the_facts(admission="denied"))
    assert not result.passed
    assert "denies the offence" in result.reason


def test_no_comment_interview_fails_when_the_scheme_requires_an_admission():
    result = rule(RuleCode.OFFENCE_ADMITTED, the_facts(admission="no_comment"))
    assert not result.passed
    assert "no-comment interview; this scheme requires an admission" in result.reason


def test_no_comment_interview_passes_when_the_scheme_accepts_it():
    policy = replace(STRICT, accept_no_comment_interview=True)
    result = rule(RuleCode.OFFENCE_ADMITTED, the_facts(admission="no_comment"), policy)
    assert result.passed
    assert "No-comment interview, which this scheme accepts" in result.reason


def test_offence_exactly_three_months_ago_is_recent_enough():
    facts = the_facts(an_offence(committed_on=date(2025, 12, 2)))
    result = rule(RuleCode.OFFENCE_RECENT, facts)
    assert result.passed
    assert result.reason == "Committed on 2 December 2025, within 3 months."
    assert result.label == "Offence committed within 3 months"


def test_offence_three_months_and_a_day_ago_is_too_old():
    result = rule(RuleCode.OFFENCE_RECENT, the_facts(an_offence(committed_on=date(2025, 12, 1))))
    assert not result.passed
    assert result.reason == "Committed on 1 December 2025, more than 3 months ago."


def test_oldest_offence_decides_whether_the_offences_are_recent():
    facts = the_facts(an_offence(), an_offence(committed_on=date(2025, 11, 20)))
    result = rule(RuleCode.OFFENCE_RECENT, facts)
    assert not result.passed
    assert "20 November 2025" in result.reason


def test_offence_dated_in_the_future_fails_the_recency_rule():
    result = rule(RuleCode.OFFENCE_RECENT, the_facts(an_offence(committed_on=TODAY + timedelta(1))))
    assert not result.passed
    assert result.reason == "An offence date is in the future."


def test_a_later_offence_dated_in_the_future_also_fails_the_recency_rule():
    facts = the_facts(an_offence(), an_offence(committed_on=TODAY + timedelta(days=3)))
    result = rule(RuleCode.OFFENCE_RECENT, facts)
    assert not result.passed
    assert result.reason == "An offence date is in the future."


def test_gravity_at_the_limit_passes():
    result = rule(RuleCode.GRAVITY, the_facts(an_offence(gravity_score=3)))
    assert result.passed
    assert result.reason == "Gravity score 3 is within the limit of 3."


def test_most_serious_offence_above_the_gravity_limit_fails():
    facts = the_facts(an_offence(gravity_score=1), an_offence(gravity_score=4))
    result = rule(RuleCode.GRAVITY, facts)
    assert not result.passed
    assert result.reason == "Gravity score 4 is above the limit of 3."
    assert result.label == "Gravity score at most 3"


def test_offence_in_an_excluded_category_fails_naming_the_offence_and_category():
    hate = an_offence(
        title="Racially aggravated public order offence",
        excluded_category="hate-crime",
        excluded_category_name="Hate crime",
    )
    result = rule(RuleCode.EXCLUDED_CATEGORY, the_facts(an_offence(), hate))
    assert not result.passed
    assert result.reason == (
        "Excluded offence category: Racially aggravated public order offence (Hate crime)."
    )


def test_category_the_scheme_does_not_exclude_passes():
    driving = an_offence(excluded_category="driving", excluded_category_name="Driving offences")
    result = rule(RuleCode.EXCLUDED_CATEGORY, the_facts(driving))
    assert result.passed
    assert result.reason == "No offence is in an excluded category."


def test_previous_convictions_at_the_limit_pass():
    result = rule(RuleCode.PREVIOUS_CONVICTIONS, the_facts(previous_convictions=3))
    assert result.passed
    assert result.reason == "3 previous convictions, within the limit of 3."


def test_previous_convictions_above_the_limit_fail():
    result = rule(RuleCode.PREVIOUS_CONVICTIONS, the_facts(previous_convictions=4))
    assert not result.passed
    assert result.reason == "4 previous convictions, above the limit of 3."


def test_one_previous_conviction_is_singular():
    policy = replace(STRICT, max_previous_convictions=0)
    result = rule(RuleCode.PREVIOUS_CONVICTIONS, the_facts(previous_convictions=1), policy)
    assert not result.passed
    assert result.reason == "1 previous conviction, above the limit of 0."


def test_custody_unlikely_passes():
    assert rule(RuleCode.CUSTODY_UNLIKELY).passed


def test_likely_custodial_sentence_fails():
    result = rule(RuleCode.CUSTODY_UNLIKELY, the_facts(custodial_sentence_likely=True))
    assert not result.passed
    assert result.reason == "A custodial sentence is likely on conviction."


def test_allowed_risk_band_passes():
    result = rule(RuleCode.RISK_BAND, the_facts(risk_band="moderate"))
    assert result.passed
    assert result.reason == "Risk of reoffending 'moderate' is allowed (low, moderate)."


def test_risk_band_outside_the_policy_fails_listing_the_allowed_bands():
    result = rule(RuleCode.RISK_BAND, the_facts(risk_band="high"))
    assert not result.passed
    assert result.reason == "Risk of reoffending 'high' is not allowed (allowed: low, moderate)."


def test_indictable_only_offence_without_dpp_consent_fails_and_cannot_be_overridden():
    facts = the_facts(an_offence(offence_class=INDICTABLE_ONLY))
    result = rule(RuleCode.DPP_CONSENT, facts)
    assert not result.passed
    assert not result.overridable
    assert "needs the DPP's consent, which is not recorded" in result.reason


def test_indictable_only_offence_with_dpp_consent_passes():
    facts = the_facts(an_offence(offence_class=INDICTABLE_ONLY), dpp_consent=True)
    result = rule(RuleCode.DPP_CONSENT, facts)
    assert result.passed
    assert result.reason == "The DPP has consented for the indictable-only offence."


@pytest.mark.parametrize("offence_class", [SUMMARY_ONLY, EITHER_WAY])
def test_dpp_consent_rule_applies_only_to_indictable_only_offences(offence_class):
    facts = the_facts(an_offence(offence_class=offence_class))
    assert RuleCode.DPP_CONSENT not in codes(STRICT, facts)


def test_dpp_consent_rule_applies_only_when_the_policy_asks_for_it():
    facts = the_facts(an_offence(offence_class=INDICTABLE_ONLY))
    policy = replace(STRICT, indictable_only_needs_dpp_consent=False)
    assert RuleCode.DPP_CONSENT not in codes(policy, facts)


@pytest.mark.parametrize(
    ("code", "switch_off"),
    [
        (RuleCode.EVIDENTIAL_TEST, {"require_evidential_test": False}),
        (RuleCode.OFFENCE_ADMITTED, {"require_admission": False}),
        (RuleCode.OFFENCE_RECENT, {"offence_within_months": None}),
        (RuleCode.GRAVITY, {"max_gravity_score": None}),
        (RuleCode.EXCLUDED_CATEGORY, {"excluded_categories": frozenset()}),
        (RuleCode.PREVIOUS_CONVICTIONS, {"max_previous_convictions": None}),
        (RuleCode.CUSTODY_UNLIKELY, {"require_custody_unlikely": False}),
        (RuleCode.RISK_BAND, {"allowed_risk_bands": None}),
        (RuleCode.DPP_CONSENT, {"indictable_only_needs_dpp_consent": False}),
    ],
)
def test_rule_switched_off_by_the_policy_is_not_applied(code, switch_off):
    facts = the_facts(an_offence(offence_class=INDICTABLE_ONLY))
    assert code in codes(STRICT, facts)
    remaining = codes(replace(STRICT, **switch_off), facts)
    assert code not in remaining
    assert len(remaining) == len(codes(STRICT, facts)) - 1


def test_assessment_without_offences_is_refused():
    with pytest.raises(ValueError, match="at least one offence"):
        eligibility.evaluate(STRICT, replace(the_facts(), offences=()), TODAY)


def test_failed_rule_makes_the_person_ineligible_until_overridden():
    results = eligibility.evaluate(STRICT, the_facts(previous_convictions=5), TODAY)
    refused = eligibility.decide(results, set())
    assert not refused.eligible
    assert refused.failed == (RuleCode.PREVIOUS_CONVICTIONS,)
    assert eligibility.decide(results, {RuleCode.PREVIOUS_CONVICTIONS}).eligible


def test_overriding_one_of_two_failed_rules_leaves_the_other_failing():
    facts = the_facts(previous_convictions=5, custodial_sentence_likely=True)
    results = eligibility.evaluate(STRICT, facts, TODAY)
    decision = eligibility.decide(results, {RuleCode.PREVIOUS_CONVICTIONS})
    assert decision == eligibility.Decision(eligible=False, failed=(RuleCode.CUSTODY_UNLIKELY,))


def test_statutory_dpp_rule_cannot_be_overridden():
    facts = the_facts(an_offence(offence_class=INDICTABLE_ONLY))
    results = eligibility.evaluate(STRICT, facts, TODAY)
    decision = eligibility.decide(results, {RuleCode.DPP_CONSENT})
    assert not decision.eligible
    assert decision.failed == (RuleCode.DPP_CONSENT,)


# --- shipped scheme profiles --------------------------------------------------------------


def offence_facts(code: str, committed_on: date = TODAY) -> OffenceFacts:
    offence_type = OffenceType.objects.select_related("excluded_category").get(code=code)
    row = Offence(
        offence_type=offence_type,
        committed_on=committed_on,
        gravity_score=offence_type.default_gravity_score,
        has_victim=offence_type.victim_usual,
    )
    return row.facts()


def scheme_version(code: str) -> SchemeVersion:
    return SchemeVersion.objects.get(scheme__code=code, version=1)


@pytest.mark.django_db
def test_shipped_durham_scheme_is_published_and_pcsc_is_a_draft():
    assert scheme_version("durham-checkpoint").is_published
    assert not scheme_version("pcsc-diversionary-caution").is_published


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "category"),
    [
        ("ROBBERY", "Serious violence"),
        ("DRINK-DRIVE", "Driving offences"),
        ("ASSAULT-DOMESTIC", "Domestic abuse"),
        ("RA-PUBLIC-ORDER", "Hate crime"),
    ],
)
def test_durham_excludes_offence_categories(code, category):
    policy = scheme_version("durham-checkpoint").policy()
    result = rule(RuleCode.EXCLUDED_CATEGORY, the_facts(offence_facts(code)), policy)
    assert not result.passed
    assert f"({category})" in result.reason
    assert OffenceType.objects.get(code=code).title in result.reason


@pytest.mark.django_db
def test_durham_does_not_exclude_shoplifting():
    policy = scheme_version("durham-checkpoint").policy()
    assert rule(RuleCode.EXCLUDED_CATEGORY, the_facts(offence_facts("THEFT-SHOP")), policy).passed


@pytest.mark.django_db
def test_pcsc_caution_needs_dpp_consent_for_perverting_the_course_of_justice():
    policy = scheme_version("pcsc-diversionary-caution").policy()
    facts = the_facts(offence_facts("PERVERTING"))
    result = rule(RuleCode.DPP_CONSENT, facts, policy)
    assert not result.passed
    assert not eligibility.decide(eligibility.evaluate(policy, facts, TODAY), set()).eligible
    assert rule(RuleCode.DPP_CONSENT, replace(facts, dpp_consent=True), policy).passed


@pytest.mark.django_db
def test_pcsc_caution_applies_only_its_own_rules():
    policy = scheme_version("pcsc-diversionary-caution").policy()
    facts = the_facts(offence_facts("ROBBERY", committed_on=date(2020, 1, 1)), risk_band="high")
    assert codes(policy, facts) == [
        RuleCode.ADULT,
        RuleCode.EVIDENTIAL_TEST,
        RuleCode.TIME_LIMIT,
        RuleCode.OFFENCE_ADMITTED,
        RuleCode.RISK_BAND,
        RuleCode.DPP_CONSENT,
    ]
    assert rule(RuleCode.RISK_BAND, facts, policy).passed


# --- through the services -----------------------------------------------------------------

FACTS = dict(factories.GOOD_FACTS)
JUSTIFICATION = "Convictions are over ten years old and unrelated."


def record(case, dm, now, **changes):
    return services.assessment_record(case_id=case.pk, by=dm, now=now, **{**FACTS, **changes})


def stored_rules(assessment) -> dict[str, tuple[str, str]]:
    return {
        r.code: (r.outcome, r.reason) for r in AssessmentRule.objects.filter(assessment=assessment)
    }


def test_recording_stores_one_row_per_applied_rule_with_the_scheme_version(dm, team, now):
    case = factories.open_case(dm=dm, team=team, now=now)
    assessment = record(case, dm, now, previous_convictions=4)
    rows = list(assessment.rules.order_by("position"))
    assert [r.code for r in rows] == codes(case.scheme_version.policy(), the_facts())
    assert assessment.scheme_version == scheme_version("durham-checkpoint")
    failed = [r for r in rows if r.outcome == RuleOutcome.FAILED]
    assert [(r.code, r.reason) for r in failed] == [
        ("previous_convictions", "4 previous convictions, above the limit of 3.")
    ]
    assert all(r.outcome == RuleOutcome.PASSED and r.reason for r in rows if r not in failed)
    assert not assessment.is_eligible


def test_recording_a_good_assessment_is_eligible(dm, team, now):
    case = factories.open_case(dm=dm, team=team, now=now)
    assert record(case, dm, now).is_eligible


@pytest.mark.parametrize("justification", ["", "   ", "Old convictions onl", " " * 5 + "x" * 19])
def test_override_needs_a_justification_of_at_least_20_characters(dm, team, now, justification):
    case = factories.open_case(dm=dm, team=team, now=now)
    record(case, dm, now, previous_convictions=4)
    with pytest.raises(services.InvalidInput, match="at least 20 characters") as err:
        services.assessment_override_rule(
            case_id=case.pk,
            by=dm,
            code="previous_convictions",
            justification=justification,
            now=now,
        )
    assert err.value.field == "justification"


def test_override_records_who_when_and_why_and_makes_the_person_eligible(dm, team, now):
    case = factories.open_case(dm=dm, team=team, now=now)
    record(case, dm, now, previous_convictions=4)
    assessment = services.assessment_override_rule(
        case_id=case.pk,
        by=dm,
        code="previous_convictions",
        justification="  Old convictions only  ",
        now=now,  # exactly 20 once trimmed
    )
    row = assessment.rules.get(code="previous_convictions")
    assert (row.outcome, row.overridden_by, row.overridden_at) == (RuleOutcome.OVERRIDDEN, dm, now)
    assert row.override_justification == "Old convictions only"
    assert row.reason == "4 previous convictions, above the limit of 3."  # kept for the record
    assessment.refresh_from_db()
    assert assessment.is_eligible


def test_overriding_one_of_two_failures_leaves_the_person_ineligible(dm, team, now):
    case = factories.open_case(dm=dm, team=team, now=now)
    record(case, dm, now, previous_convictions=4, custodial_sentence_likely=True)
    assessment = services.assessment_override_rule(
        case_id=case.pk, by=dm, code="previous_convictions", justification=JUSTIFICATION, now=now
    )
    assessment.refresh_from_db()
    assert not assessment.is_eligible
    services.assessment_override_rule(
        case_id=case.pk, by=dm, code="custody_unlikely", justification=JUSTIFICATION, now=now
    )
    assessment.refresh_from_db()
    assert assessment.is_eligible


def test_a_passed_rule_cannot_be_overridden(dm, team, now):
    case = factories.open_case(dm=dm, team=team, now=now)
    record(case, dm, now)
    with pytest.raises(services.InvalidInput, match="Only a failed rule") as err:
        services.assessment_override_rule(
            case_id=case.pk, by=dm, code="gravity_score", justification=JUSTIFICATION, now=now
        )
    assert err.value.field == "code"


def test_deciding_eligible_with_a_failed_rule_names_the_rule(dm, team, now):
    case = factories.open_case(dm=dm, team=team, now=now)
    record(case, dm, now, previous_convictions=4)
    with pytest.raises(services.TransitionBlocked) as err:
        services.assessment_decide(case_id=case.pk, by=dm, eligible=True, now=now)
    assert err.value.problems == ["Failed and not overridden: At most 3 previous convictions"]
    assert Case.objects.get(pk=case.pk).state == CaseState.ASSESSMENT


def test_deciding_eligible_after_the_override_moves_the_case_on(dm, team, now):
    case = factories.open_case(dm=dm, team=team, now=now)
    record(case, dm, now, previous_convictions=4)
    services.assessment_override_rule(
        case_id=case.pk, by=dm, code="previous_convictions", justification=JUSTIFICATION, now=now
    )
    case = services.assessment_decide(case_id=case.pk, by=dm, eligible=True, now=now)
    assert case.state == CaseState.ELIGIBLE


def test_ineligible_despite_every_rule_passing_needs_a_reason(dm, team, now):
    case = factories.open_case(dm=dm, team=team, now=now)
    record(case, dm, now)
    with pytest.raises(services.InvalidInput, match="explain why") as err:
        services.assessment_decide(case_id=case.pk, by=dm, eligible=False, reason="  ", now=now)
    assert err.value.field == "reason"
    case = services.assessment_decide(
        case_id=case.pk, by=dm, eligible=False, reason="Victim strongly opposed", now=now
    )
    assert case.state == CaseState.INELIGIBLE


def test_ineligible_with_a_failed_rule_needs_no_extra_reason(dm, team, now):
    case = factories.open_case(dm=dm, team=team, now=now)
    record(case, dm, now, evidential_test_met=False)
    case = services.assessment_decide(case_id=case.pk, by=dm, eligible=False, now=now)
    assert case.state == CaseState.INELIGIBLE


@pytest.fixture
def pcsc_in_force(db, now):
    """The PCSC draft published and in force, as it will be on commencement of Part 6."""
    SchemeVersion.objects.filter(scheme__code="pcsc-diversionary-caution").update(
        published_at=now, effective_from=date(2026, 1, 1)
    )


def test_statutory_dpp_rule_cannot_be_overridden_through_the_service(dm, team, now, pcsc_in_force):
    case = factories.open_case(
        dm=dm,
        team=team,
        now=now,
        scheme_code="pcsc-diversionary-caution",
        offences=[factories.offence("PERVERTING")],
    )
    assessment = record(case, dm, now)
    assert stored_rules(assessment)["dpp_consent"][0] == RuleOutcome.FAILED
    with pytest.raises(
        services.InvalidInput, match="cannot be overridden: the law requires the Director"
    ) as err:
        services.assessment_override_rule(
            case_id=case.pk, by=dm, code="dpp_consent", justification=JUSTIFICATION, now=now
        )
    assert err.value.field == "code"
    with pytest.raises(services.TransitionBlocked) as blocked:
        services.assessment_decide(case_id=case.pk, by=dm, eligible=True, now=now)
    assert blocked.value.problems == [
        "Failed and not overridden: DPP consent for an indictable-only offence"
    ]


def test_changing_the_policy_does_not_change_a_recorded_assessment(dm, team, now):
    case = factories.open_case(
        dm=dm,
        team=team,
        now=now,
        offences=[factories.offence("BURGLARY-COM")],  # gravity 3
    )
    assessment = record(case, dm, now)
    before = stored_rules(assessment)
    version = case.scheme_version
    with pytest.raises(ValueError, match="published scheme version cannot be changed"):
        version.save()
    # Even a change made behind the application's back leaves the stored results alone.
    SchemeVersion.objects.filter(pk=version.pk).update(
        max_gravity_score=2, allow_risk_moderate=False
    )
    version.refresh_from_db()

    assessment.refresh_from_db()
    assert stored_rules(assessment) == before
    assert before["gravity_score"] == (
        RuleOutcome.PASSED,
        "Gravity score 3 is within the limit of 3.",
    )
    assert assessment.is_eligible
    # A fresh evaluation under the edited policy would now refuse it.
    facts = the_facts(offence_facts("BURGLARY-COM", now.date()), risk_band="moderate")
    assert not eligibility.decide(
        eligibility.evaluate(version.policy(), facts, TODAY), set()
    ).eligible


def test_a_new_scheme_version_applies_to_new_cases_only(dm, team, now):
    old_case = factories.open_case(dm=dm, team=team, now=now, offences=[factories.offence("ABH")])
    old = record(old_case, dm, now)
    v1 = old_case.scheme_version
    v2 = SchemeVersion.objects.create(
        scheme=Scheme.objects.get(code="durham-checkpoint"),
        version=2,
        effective_from=date(2026, 1, 1),
        published_at=timezone.now(),
        max_gravity_score=2,
    )
    new_case = factories.open_case(dm=dm, team=team, now=now, offences=[factories.offence("ABH")])
    new = record(new_case, dm, now)

    assert (new.scheme_version, new.is_eligible) == (v2, False)
    old.refresh_from_db()
    assert (old.scheme_version, old.is_eligible) == (v1, True)
    assert old.rules.get(code="gravity_score").outcome == RuleOutcome.PASSED


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("admission", "maybe", "Select whether the person admitted the offence"),
        ("risk_band", "extreme", "Select the risk of reoffending band"),
    ],
)
def test_assessment_refuses_unknown_choices_with_a_message(dm, team, now, field, value, message):
    case = factories.open_case(dm=dm, team=team, now=now)
    facts = {**factories.GOOD_FACTS, field: value}
    with pytest.raises(services.InvalidInput, match=message) as err:
        services.assessment_record(case_id=case.pk, by=dm, now=now, **facts)
    assert err.value.field == field
    assert not case.assessments.exists()


@pytest.mark.parametrize(("age", "passed"), [(17, False), (18, True), (None, False)])
def test_minimum_age_rule_is_statutory_and_uses_age_at_arrest(age, passed):
    policy = replace(STRICT, min_age=18)
    facts = replace(the_facts(an_offence()), age_years=age)
    result = rule(RuleCode.ADULT, facts, policy)
    assert result.passed is passed
    assert not result.overridable


def test_assessment_records_age_at_arrest_from_the_date_of_birth(dm, team, now):
    person = factories.PersonFactory(date_of_birth=now.date().replace(year=now.year - 18))
    case = factories.open_case(dm=dm, team=team, now=now, person=person)
    assessment = record(case, dm, now)
    assert assessment.rules.get(code="adult").reason == "Aged 18 at arrest."


# --- rules no override may lift (declared per scheme profile) --------------------------------


def test_a_summary_only_offence_past_its_time_limit_is_time_barred():
    # Committed 1 August 2025: s.127 ended on 1 February 2026, before the assessment.
    facts = the_facts(an_offence(offence_class=SUMMARY_ONLY, committed_on=date(2025, 8, 1)))
    result = rule(RuleCode.TIME_LIMIT, facts, replace(STRICT, offence_within_months=None))
    assert not result.passed
    assert "the time limit for charging it passed on 1 February 2026" in result.reason
    assert not result.overridable


@pytest.mark.parametrize(
    ("committed_on", "offence_class", "passed"),
    [
        (date(2025, 9, 2), SUMMARY_ONLY, True),  # the deadline is today: still in time
        (date(2025, 9, 1), SUMMARY_ONLY, False),  # the deadline was yesterday
        (date(2020, 1, 1), EITHER_WAY, True),  # no statutory time limit
    ],
)
def test_time_limit_at_its_edges(committed_on, offence_class, passed):
    facts = the_facts(an_offence(offence_class=offence_class, committed_on=committed_on))
    policy = replace(STRICT, offence_within_months=None)
    assert rule(RuleCode.TIME_LIMIT, facts, policy).passed is passed


@pytest.mark.parametrize(
    "code",
    [RuleCode.ADULT, RuleCode.EVIDENTIAL_TEST, RuleCode.TIME_LIMIT, RuleCode.DPP_CONSENT],
)
def test_the_law_fixes_some_rules_in_every_profile(code):
    assert Policy().is_fixed(code)
    assert Policy().why_fixed(code)


def test_a_profile_fixes_what_it_declares_and_nothing_else():
    durham_like = replace(STRICT, min_age=18)
    caution_like = replace(durham_like, fixed_rules=frozenset({RuleCode.OFFENCE_ADMITTED}))
    facts = the_facts(admission="denied", evidential_test_met=False)
    durham = {r.code: r for r in eligibility.evaluate(durham_like, facts, TODAY)}
    caution = {r.code: r for r in eligibility.evaluate(caution_like, facts, TODAY)}
    assert durham[RuleCode.OFFENCE_ADMITTED].overridable
    assert not caution[RuleCode.OFFENCE_ADMITTED].overridable
    assert not durham[RuleCode.EVIDENTIAL_TEST].overridable
    assert "no prosecution to defer" in caution_like.why_fixed(RuleCode.EVIDENTIAL_TEST)
    assert caution_like.why_fixed(RuleCode.GRAVITY) == ""


@pytest.mark.django_db
def test_the_shipped_profiles_declare_their_fixed_rules():
    durham = scheme_version("durham-checkpoint")
    caution = scheme_version("pcsc-diversionary-caution")
    assert set(durham.fixed_rules) == {"adult", "evidential_test", "time_limit", "dpp_consent"}
    assert set(caution.fixed_rules) == set(durham.fixed_rules) | {"offence_admitted"}
    assert caution.policy().is_fixed("offence_admitted")
    assert not durham.policy().is_fixed("offence_admitted")
    # The caution also needs the signed consent form before signing (a contract requirement
    # with no override anywhere): checkpoint.models.contract.Contract.blockers.
    assert caution.signed_consent_required and not durham.signed_consent_required


@pytest.mark.django_db
def test_a_profile_cannot_declare_a_rule_that_is_not_a_rule():
    from django.core.exceptions import ValidationError

    version = scheme_version("durham-checkpoint")
    version.fixed_rules = ["evidential_test", "gravity_score", "no_such_rule"]
    with pytest.raises(ValidationError, match="gravity_score, no_such_rule"):
        version.clean()


def test_the_evidential_test_cannot_be_overridden_through_the_service(dm, team, now):
    case = factories.open_case(dm=dm, team=team, now=now)
    assessment = record(case, dm, now, evidential_test_met=False)
    assert stored_rules(assessment)["evidential_test"][0] == RuleOutcome.FAILED
    with pytest.raises(services.InvalidInput) as err:
        services.assessment_override_rule(
            case_id=case.pk, by=dm, code="evidential_test", justification=JUSTIFICATION, now=now
        )
    assert err.value.message == (
        "'Evidential test met' cannot be overridden: without a realistic prospect of "
        "conviction there is no prosecution to defer."
    )
    with pytest.raises(services.TransitionBlocked):
        services.assessment_decide(case_id=case.pk, by=dm, eligible=True, now=now)
    assert Case.objects.get(pk=case.pk).state == CaseState.ASSESSMENT


def test_a_time_barred_offence_cannot_be_overridden_through_the_service(dm, team, now):
    # Drunk and disorderly (summary only) on 1 August 2025: time-barred since 1 February 2026.
    case = factories.open_case(
        dm=dm,
        team=team,
        now=now,
        offences=[factories.offence("DRUNK-DISORDERLY", committed_on=date(2025, 8, 1))],
    )
    assessment = record(case, dm, now)
    assert stored_rules(assessment)["time_limit"][0] == RuleOutcome.FAILED
    with pytest.raises(services.InvalidInput, match="a time-barred offence can no longer be"):
        services.assessment_override_rule(
            case_id=case.pk, by=dm, code="time_limit", justification=JUSTIFICATION, now=now
        )


def test_admission_can_be_overridden_under_durham_but_not_the_caution(dm, team, now, pcsc_in_force):
    durham = factories.open_case(dm=dm, team=team, now=now)
    record(durham, dm, now, admission="denied")
    services.assessment_override_rule(
        case_id=durham.pk, by=dm, code="offence_admitted", justification=JUSTIFICATION, now=now
    )
    assert Case.objects.get(pk=durham.pk).latest_assessment().is_eligible

    caution = factories.open_case(
        dm=dm, team=team, now=now, scheme_code="pcsc-diversionary-caution"
    )
    record(caution, dm, now, admission="denied")
    with pytest.raises(services.InvalidInput, match="'Offence admitted' cannot be overridden"):
        services.assessment_override_rule(
            case_id=caution.pk, by=dm, code="offence_admitted", justification=JUSTIFICATION, now=now
        )
