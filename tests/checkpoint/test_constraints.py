"""Database constraints, model validation messages and the services' input checks.

Rows written around the services must still be refused by the database; the services refuse
bad input first, with a message and the form field it belongs to.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from checkpoint import dates, services
from checkpoint.models import (
    Arrest,
    AssessmentRule,
    BreachReview,
    Case,
    CommunityCondition,
    CommunityKind,
    ComplianceEvent,
    ComplianceKind,
    ConsentMethod,
    Contract,
    HoursLogEntry,
    Offence,
    OffenceType,
    RuleOutcome,
    Scheme,
    SchemeVersion,
)
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = factories.NOW.date()


def refused_by_database(write, constraint: str) -> None:
    """``write()`` breaks ``constraint`` (a regex: SQLite names a unique constraint's columns,
    PostgreSQL its name); the savepoint keeps the test's transaction usable."""
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        write()


def violation_messages(instance) -> list[str]:
    with pytest.raises(ValidationError) as err:
        instance.validate_constraints()
    return err.value.messages


@pytest.fixture
def case(dm, team, now):
    return factories.open_case(dm=dm, team=team, now=now)


@pytest.fixture
def draft_case(dm, team, navigator, now):
    """Accepted, with an open contract and the Offending condition: conditions can be set."""
    case = factories.accepted_case(dm=dm, team=team, navigator=navigator, now=now)
    services.contract_open(case_id=case.pk, by=navigator)
    return case


@pytest.fixture
def active(dm, team, navigator, now):
    return factories.active_case(dm=dm, team=team, navigator=navigator, now=now)


def an_offence(case, **changes) -> Offence:
    values = {
        "arrest": case.arrest,
        "offence_type": OffenceType.objects.get(code="THEFT-SHOP"),
        "committed_on": TODAY,
        "has_victim": True,
        "gravity_score": 2,
    }
    return Offence(**{**values, **changes})


def an_hours_entry(active, hours) -> HoursLogEntry:
    community = Case.objects.get(pk=active.pk).contract.community_condition
    return HoursLogEntry(
        community_condition=community, worked_on=TODAY, hours=Decimal(hours), activity="Litter pick"
    )


# --- IntegrityError from the database -----------------------------------------------------


def test_database_refuses_offence_gravity_5(case):
    refused_by_database(lambda: an_offence(case, gravity_score=5).save(), "offence_gravity_range")


def test_database_refuses_unknown_ethnicity_code():
    refused_by_database(
        lambda: factories.PersonFactory(ethnicity="ZZ"), "checkpoint_person_ethnicity_valid"
    )


def test_database_refuses_unknown_offence_class():
    refused_by_database(
        lambda: OffenceType.objects.create(code="NEW", title="New", offence_class="unknown"),
        "checkpoint_offencetype_offence_class_valid",
    )


def test_database_refuses_scheme_hours_minimum_above_maximum():
    scheme = Scheme.objects.get(code="durham-checkpoint")
    refused_by_database(
        lambda: SchemeVersion.objects.create(
            scheme=scheme, version=2, effective_from=TODAY, hours_min=40, hours_max=36
        ),
        "schemeversion_hours_range_ordered",
    )


def test_database_refuses_second_scheme_version_with_the_same_number():
    scheme = Scheme.objects.get(code="durham-checkpoint")
    refused_by_database(
        lambda: SchemeVersion.objects.create(scheme=scheme, version=1, effective_from=TODAY),
        "schemeversion_unique|checkpoint_schemeversion.scheme_id",
    )


def test_database_refuses_community_condition_with_both_hours_and_gps(draft_case):
    contract = Contract.objects.get(case=draft_case)
    refused_by_database(
        lambda: CommunityCondition.objects.create(
            contract=contract,
            kind=CommunityKind.HOURS,
            hours_required=24,
            gps_starts_on=TODAY,
            gps_ends_on=TODAY + timedelta(days=30),
        ),
        "communitycondition_shape",
    )


def test_database_refuses_contract_ending_before_it_starts(draft_case):
    contract = Contract.objects.filter(case=draft_case)
    refused_by_database(
        lambda: contract.update(starts_on=TODAY, ends_on=TODAY - timedelta(days=1)),
        "contract_ends_after_start",
    )


@pytest.mark.parametrize("hours", ["0", "12.01", "13"])
def test_database_refuses_hours_session_outside_0_to_12(active, hours):
    refused_by_database(lambda: an_hours_entry(active, hours).save(), "hourslogentry_hours_range")


def test_database_accepts_a_12_hour_session(active):
    an_hours_entry(active, "12").save()


def assessment_rule_rows(dm, team, now):
    case = factories.eligible_case(dm=dm, team=team, now=now)
    row = AssessmentRule.objects.filter(assessment__case=case).first()
    return AssessmentRule.objects.filter(pk=row.pk)


def test_database_refuses_override_without_justification(dm, team, now):
    rows = assessment_rule_rows(dm, team, now)
    refused_by_database(
        lambda: rows.update(outcome=RuleOutcome.OVERRIDDEN, overridden_by=dm, overridden_at=now),
        "assessmentrule_override_justified",
    )


def test_database_refuses_override_of_a_statutory_rule(dm, team, now):
    rows = assessment_rule_rows(dm, team, now)
    refused_by_database(
        lambda: rows.update(
            outcome=RuleOutcome.OVERRIDDEN,
            overridden_by=dm,
            overridden_at=now,
            override_justification="A long enough justification.",
            overridable=False,
        ),
        "assessmentrule_override_justified",
    )


def test_database_refuses_a_second_open_breach_review(case, navigator, now):
    def refer():
        BreachReview.objects.create(
            case=case, referred_by=navigator, referred_at=now, recommendation="Terminate"
        )

    refer()
    refused_by_database(refer, "breachreview_one_open|checkpoint_breachreview.case_id")


def test_database_allows_a_new_breach_review_once_the_last_is_decided(case, navigator, now):
    review = BreachReview.objects.create(
        case=case, referred_by=navigator, referred_at=now, recommendation="Continue"
    )
    BreachReview.objects.filter(pk=review.pk).update(
        decision="continue", decided_by=navigator, decided_at=now, reasons="Engaging again"
    )
    BreachReview.objects.create(
        case=case, referred_by=navigator, referred_at=now, recommendation="Terminate"
    )
    assert BreachReview.objects.filter(case=case).count() == 2


def test_database_refuses_duplicate_compliance_event_dedupe_key(case, now):
    def raise_event():
        ComplianceEvent.objects.create(
            case=case,
            kind=ComplianceKind.HOURS_BEHIND,
            occurred_on=TODAY,
            raised_at=now,
            dedupe_key=f"hours_behind:{case.pk}:{TODAY}",
        )

    raise_event()
    refused_by_database(raise_event, "dedupe_key")


def test_database_refuses_a_case_state_outside_the_choices(case):
    refused_by_database(
        lambda: Case.objects.filter(pk=case.pk).update(state="bogus"),
        "checkpoint_case_state_valid",
    )
    assert Case.objects.get(pk=case.pk).state == "assessment"


def test_database_refuses_closing_a_case_that_is_not_terminal(case, now):
    refused_by_database(
        lambda: Case.objects.filter(pk=case.pk).update(closed_at=now),
        "case_closed_only_when_terminal",
    )


# --- model validation messages ------------------------------------------------------------


def test_offence_gravity_constraint_explains_the_range(case):
    messages = violation_messages(an_offence(case, gravity_score=5))
    assert messages == ["The gravity score must be between 1 and 4."]


def test_sms_reminders_without_a_mobile_explain_themselves():
    person = factories.PersonFactory.build(sms_reminders=True, mobile="")
    assert violation_messages(person) == ["SMS reminders need a mobile number."]


def test_email_reminders_without_an_address_explain_themselves():
    person = factories.PersonFactory.build(email_reminders=True, email="")
    assert violation_messages(person) == ["Email reminders need an email address."]


def test_unknown_ethnicity_fails_full_clean_on_the_field():
    person = factories.PersonFactory.build(ethnicity="ZZ")
    with pytest.raises(ValidationError) as err:
        person.full_clean()
    assert "ethnicity" in err.value.message_dict


def test_hours_session_constraint_explains_the_range(active):
    assert violation_messages(an_hours_entry(active, "13")) == [
        "Hours in one session must be more than 0 and at most 12."
    ]


def test_contract_date_constraint_explains_the_order(draft_case):
    contract = Contract.objects.get(case=draft_case)
    contract.starts_on, contract.ends_on = TODAY, TODAY
    assert violation_messages(contract) == ["The contract must end after it starts."]


def test_community_shape_constraint_explains_hours_or_gps(draft_case):
    condition = CommunityCondition(
        contract=Contract.objects.get(case=draft_case),
        kind=CommunityKind.GPS_TAG,
        gps_starts_on=TODAY,
        gps_ends_on=TODAY - timedelta(days=1),
    )
    assert violation_messages(condition) == [
        "Set either hours, or a GPS tag period that ends after it starts."
    ]


def test_override_constraint_explains_what_is_missing(dm, team, now):
    case = factories.eligible_case(dm=dm, team=team, now=now)
    row = AssessmentRule.objects.filter(assessment__case=case).first()
    row.outcome = RuleOutcome.OVERRIDDEN
    assert violation_messages(row) == ["An override needs a justification and who made it."]


def test_constraint_without_its_own_message_names_the_constraint():
    version = SchemeVersion(
        scheme=Scheme.objects.get(code="durham-checkpoint"),
        version=9,
        effective_from=TODAY,
        hours_min=40,
        hours_max=36,
    )
    assert violation_messages(version) == [
        "Constraint “schemeversion_hours_range_ordered” is violated."
    ]


# --- services refuse bad input with the field and a message -------------------------------


def assert_invalid(err, field: str, message: str) -> None:
    assert (err.value.field, err.value.message) == (field, message)


@pytest.mark.parametrize("hours", [17, 37, None])
def test_community_hours_outside_the_scheme_range_are_refused(draft_case, navigator, hours):
    with pytest.raises(services.InvalidInput) as err:
        services.community_set(
            case_id=draft_case.pk, by=navigator, kind=CommunityKind.HOURS, hours_required=hours
        )
    assert_invalid(err, "hours_required", "Community hours must be between 18 and 36")
    assert not CommunityCondition.objects.filter(contract__case=draft_case).exists()


@pytest.mark.parametrize("hours", [18, 36])
def test_community_hours_at_the_ends_of_the_range_are_accepted(draft_case, navigator, hours):
    condition = services.community_set(
        case_id=draft_case.pk, by=navigator, kind=CommunityKind.HOURS, hours_required=hours
    )
    assert condition.hours_required == hours


@pytest.mark.parametrize("days", [0, -1])
def test_gps_tag_ending_on_or_before_its_start_is_refused(draft_case, navigator, days):
    with pytest.raises(services.InvalidInput) as err:
        services.community_set(
            case_id=draft_case.pk,
            by=navigator,
            kind=CommunityKind.GPS_TAG,
            gps_starts_on=TODAY,
            gps_ends_on=TODAY + timedelta(days=days),
        )
    assert_invalid(err, "gps_ends_on", "The GPS tag end date must be after the start date")


def test_consent_dated_in_the_future_is_refused(draft_case, navigator, now):
    with pytest.raises(services.InvalidInput) as err:
        services.consent_record(
            case_id=draft_case.pk,
            by=navigator,
            method=ConsentMethod.IN_PERSON,
            given_on=TODAY + timedelta(days=1),
            now=now,
        )
    assert_invalid(err, "given_on", "The date of consent must be today or in the past")


def test_consent_dated_today_is_accepted(draft_case, navigator, now):
    contract = services.consent_record(
        case_id=draft_case.pk,
        by=navigator,
        method=ConsentMethod.IN_PERSON,
        given_on=TODAY,
        now=now,
    )
    assert contract.consent_given_on == TODAY


def test_offence_dated_in_the_future_is_refused(dm, team, now):
    tomorrow = factories.offence(committed_on=TODAY + timedelta(days=1))
    with pytest.raises(services.InvalidInput) as err:
        factories.open_case(dm=dm, team=team, now=now, offences=[tomorrow])
    assert_invalid(err, "committed_on", "The date of the offence must be today or in the past")
    assert not Case.objects.exists()


def test_unknown_offence_type_is_refused(dm, team, now):
    unknown = services.OffenceInput(
        offence_type_id=OffenceType.objects.order_by("-pk").first().pk + 1,
        committed_on=TODAY,
        has_victim=False,
    )
    with pytest.raises(services.InvalidInput) as err:
        factories.open_case(dm=dm, team=team, now=now, offences=[unknown])
    assert_invalid(err, "offence_type", "Select an offence from the list")
    assert not Arrest.objects.exists()  # the whole intake rolled back


def test_contract_starting_in_the_past_is_refused_naming_the_window(draft_case, navigator, now):
    factories.build_contract(draft_case, navigator=navigator, now=now)
    with pytest.raises(services.InvalidInput) as err:
        services.contract_sign(
            case_id=draft_case.pk, by=navigator, starts_on=TODAY - timedelta(days=1), now=now
        )
    assert err.value.field == "starts_on"
    assert err.value.message.startswith("The start date must be today or up to 14 days ahead")
    assert Case.objects.get(pk=draft_case.pk).state == "accepted"


def test_contract_starting_before_consent_is_refused(draft_case, navigator, now):
    factories.build_contract(draft_case, navigator=navigator, now=now)
    Contract.objects.filter(case=draft_case).update(consent_given_on=TODAY + timedelta(days=2))
    with pytest.raises(services.InvalidInput) as err:
        services.contract_sign(case_id=draft_case.pk, by=navigator, starts_on=TODAY, now=now)
    assert_invalid(err, "starts_on", "The contract cannot start before consent was given")
    assert Case.objects.get(pk=draft_case.pk).state == "accepted"


def test_signed_contract_ends_four_calendar_months_after_it_starts(draft_case, navigator, now):
    factories.build_contract(draft_case, navigator=navigator, now=now)
    services.contract_sign(case_id=draft_case.pk, by=navigator, starts_on=TODAY, now=now)
    contract = Contract.objects.get(case=draft_case)
    assert (contract.starts_on, contract.ends_on) == (TODAY, dates.contract_end(TODAY, 4))
    assert contract.ends_on == date(2026, 7, 2)


def log_hours(case, navigator, now, *, worked_on=TODAY, hours="2"):
    return services.hours_log(
        case_id=case.pk,
        by=navigator,
        worked_on=worked_on,
        hours=Decimal(hours),
        activity="Litter pick",
        now=now,
    )


def test_hours_worked_in_the_future_are_refused(active, navigator, now):
    with pytest.raises(services.InvalidInput) as err:
        log_hours(active, navigator, now, worked_on=TODAY + timedelta(days=1))
    assert_invalid(err, "worked_on", "The date worked must be today or in the past")


@pytest.mark.parametrize("hours", ["0", "-1", "12.5"])
def test_hours_session_outside_0_to_12_is_refused(active, navigator, now, hours):
    with pytest.raises(services.InvalidInput) as err:
        log_hours(active, navigator, now, hours=hours)
    assert_invalid(err, "hours", "Hours must be more than 0 and at most 12")


def test_hours_session_of_12_is_logged(active, navigator, now):
    assert log_hours(active, navigator, now, hours="12").hours == Decimal(12)


def test_victim_condition_must_match_whether_the_offence_has_a_victim(dm, navigator, team, now):
    with_victim = factories.accepted_case(dm=dm, team=team, navigator=navigator, now=now)
    services.contract_open(case_id=with_victim.pk, by=navigator)
    with pytest.raises(services.InvalidInput, match="The offence has a victim"):
        services.victim_condition_set(case_id=with_victim.pk, by=navigator, approach="no_victim")
    no_victim = factories.accepted_case(
        dm=dm,
        team=team,
        navigator=navigator,
        now=now,
        offences=[factories.offence("POSS-B")],  # possession: no identifiable victim
    )
    services.contract_open(case_id=no_victim.pk, by=navigator)
    with pytest.raises(services.InvalidInput, match="no identifiable victim"):
        services.victim_condition_set(case_id=no_victim.pk, by=navigator, approach="letter")
