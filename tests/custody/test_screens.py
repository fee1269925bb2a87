"""The decision maker's custody screens: the list, opening a case, the assessment wizard, the
offer and the answer; who may use them; and the whole wizard end to end.

The screens act at the real current time, so cases built here use ``timezone.now()`` and
offence dates relative to today.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from checkpoint import dates, roles, services
from checkpoint.models import (
    AccessLog,
    AssessmentRule,
    Case,
    CaseState,
    EligibilityAssessment,
    OffenceType,
    Scheme,
    SchemeVersion,
)
from tests import factories

GOOD_FACTS = {
    "evidential_test_met": "yes",
    "admission": "admitted",
    "previous_convictions": "0",
    "custodial_sentence_likely": "no",
    "risk_band": "moderate",
    "risk_source": "Custody risk tool, reviewed by me",
    "risk_tool_score": "",
}


def _today() -> date:
    return timezone.localdate()


def _case(dm, team, *, code="THEFT-SHOP", days_ago=5, **kwargs) -> Case:
    return factories.open_case(
        dm=dm,
        team=team,
        now=timezone.now(),
        offences=[factories.offence(code, committed_on=_today() - timedelta(days=days_ago))],
        **kwargs,
    )


def _eligible(dm, team) -> Case:
    case = _case(dm, team)
    services.assessment_record(case_id=case.pk, by=dm, **factories.GOOD_FACTS)
    return services.assessment_decide(case_id=case.pk, by=dm, eligible=True)


def _offered(dm, team) -> Case:
    case = _eligible(dm, team)
    return services.case_offer(case_id=case.pk, by=dm)


def _url(name: str, case: Case) -> str:
    namespace = "navigators" if name in ("case", "case-history") else "custody"
    return reverse(f"{namespace}:{name}", args=[case.reference])


def _body(response) -> str:
    return html.unescape(response.content.decode())


def _lock(case: Case) -> dict:
    """The hidden optimistic-locking fields of a case form opened now."""
    version = Case.objects.get(pk=case.pk).lock_version
    return {"lock_version": version, "opened_at": timezone.now().isoformat()}


def _date(prefix: str, value: date) -> dict:
    return {
        f"{prefix}_day": value.day,
        f"{prefix}_month": value.month,
        f"{prefix}_year": value.year,
    }


def _open_data(team, **overrides) -> dict:
    today = _today()
    data = {
        "given_name": "Jordan",
        "family_name": "Example",
        **_date("date_of_birth", date(1996, 4, 12)),
        "pnc_id": "26/123456A",
        "sex": "male",
        "ethnicity": "B1",
        "veteran_status": "no",
        "mobile": "07700 900 982",
        "email": "jordan@example.com",
        "reminders": ["sms"],
        "custody_reference": "DU/004711/26",
        **_date("arrested_on", today - timedelta(days=1)),
        "arrested_time": "14:30",
        "station": "Durham custody suite",
        "offence_type": OffenceType.objects.get(code="THEFT-SHOP").pk,
        **_date("committed_on", today - timedelta(days=2)),
        "location": "Market Place, Durham",
        "has_victim": "yes",
        "gravity_score": "",
        "team": team.pk,
    }
    data.update(overrides)
    return data


def _assess_data(case: Case, **overrides) -> dict:
    return {**GOOD_FACTS, **_lock(case), **overrides}


def _assert_error_page(response, *messages: str) -> str:
    body = _body(response)
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert "There is a problem" in body
    for message in messages:
        assert message in body, message
    return body


# --- the custody list ----------------------------------------------------------------------


def test_custody_list_shows_custody_stage_cases_newest_first_with_next_steps(client, dm, team):
    assessed = _case(dm, team)
    eligible = _eligible(dm, team)
    offered = _offered(dm, team)
    accepted = _offered(dm, team)
    services.offer_accept(case_id=accepted.pk, by=dm)
    client.force_login(dm)
    response = client.get(reverse("custody:list"))
    body = _body(response)
    assert response.status_code == 200
    assert "Open a new case" in body and reverse("custody:case-new") in body
    assert "3 cases" in body
    assert accepted.reference not in body  # past the custody stage
    positions = [body.index(c.reference) for c in (offered, eligible, assessed)]
    assert positions == sorted(positions)  # newest first
    for text in ("Assessment</strong>", "Eligible</strong>", "Offered</strong>"):
        assert text in body
    assert _url("assessment", assessed) in body
    assert _url("offer", eligible) in body and "Record the offer" in body
    assert "Record the answer" in body
    assert "Theft from a shop" in body


def test_custody_list_links_an_assessed_case_to_its_decision(client, dm, team):
    case = _case(dm, team)
    services.assessment_record(case_id=case.pk, by=dm, **factories.GOOD_FACTS)
    client.force_login(dm)
    body = _body(client.get(reverse("custody:list")))
    assert "Decide eligibility" in body and _url("assessment-result", case) in body


def test_custody_list_filters_by_stage(client, dm, team):
    assessed = _case(dm, team)
    offered = _offered(dm, team)
    client.force_login(dm)
    body = _body(client.get(reverse("custody:list"), {"state": "offered"}))
    assert offered.reference in body and assessed.reference not in body
    assert "Show all custody stages" in body


def test_custody_list_query_count_does_not_grow(client, dm, team):
    client.force_login(dm)
    url = reverse("custody:list")
    _case(dm, team)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(4):
        _case(dm, team)
        _eligible(dm, team)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


# --- who may use the screens ------------------------------------------------------------------


@pytest.mark.parametrize("role", [roles.NAVIGATOR, roles.SUPERVISOR, roles.ANALYST])
@pytest.mark.parametrize("name", ["list", "case-new"])
def test_screens_without_a_case_refuse_other_roles(client, team, role, name):
    client.force_login(factories.make_user(role, team=team))
    response = client.get(reverse(f"custody:{name}"))
    assert response.status_code == 403
    assert "You cannot use this page" in _body(response)
    assert client.post(reverse("custody:case-new"), _open_data(team)).status_code == 403
    assert not Case.objects.exists()


def test_custody_screens_need_sign_in(client, dm, team):
    case = _case(dm, team)
    for url in (reverse("custody:list"), _url("assessment", case), _url("offer", case)):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["assessment", "assessment-result", "offer"])
@pytest.mark.parametrize("who", ["other_navigator", "analyst"])
def test_case_screens_are_404_for_users_who_cannot_see_the_case(client, dm, team, name, who):
    case = _offered(dm, team) if name == "offer" else _case(dm, team)
    if name == "assessment-result":
        services.assessment_record(case_id=case.pk, by=dm, **factories.GOOD_FACTS)
    role = roles.NAVIGATOR if who == "other_navigator" else roles.ANALYST
    user = factories.make_user(role, team=team)
    client.force_login(user)
    assert client.get(_url(name, case)).status_code == 404
    assert client.post(_url(name, case), {"decision-decision": "eligible"}).status_code == 404
    assert not AccessLog.objects.filter(user=user).exists()


@pytest.mark.parametrize("name", ["assessment", "assessment-result", "offer"])
def test_supervisor_who_can_see_the_case_is_refused_clearly(client, dm, supervisor, team, name):
    case = _eligible(dm, team) if name == "offer" else _case(dm, team)
    if name == "assessment-result":
        services.assessment_record(case_id=case.pk, by=dm, **factories.GOOD_FACTS)
    client.force_login(supervisor)
    assert client.get(_url("case", case)).status_code == 200  # their team's case
    response = client.get(_url(name, case))
    assert response.status_code == 403
    assert "Only a decision maker can" in _body(response)
    assert client.post(_url(name, case), {"step": "offer", **_lock(case)}).status_code == 403
    assert Case.objects.get(pk=case.pk).state == case.state
    assert not AccessLog.objects.filter(user=supervisor, page=f"custody:{name}").exists()


def test_case_page_links_the_decision_maker_to_the_assessment(client, dm, team):
    case = _case(dm, team)
    client.force_login(dm)
    body = _body(client.get(_url("case", case)))
    assert "Record the eligibility assessment" in body and _url("assessment", case) in body


# --- opening a case ---------------------------------------------------------------------------


def test_open_case_page_offers_the_catalogue_teams_and_prefer_not_to_say(client, dm, team):
    client.force_login(dm)
    response = client.get(reverse("custody:case-new"))
    body = _body(response)
    assert response.status_code == 200
    assert "<title>Open a new case" in body
    assert re.search(r'<select name="offence_type"[^>]*data-autocomplete', body)
    assert "Theft from a shop (THEFT-SHOP)" in body
    assert '<optgroup label="Black or Black British">' in body
    assert body.count("Prefer not to say") >= 3  # sex, ethnicity, veteran status
    assert f'<option value="{team.pk}">Durham North</option>' in body
    assert "The usual score for this offence" in body


def test_open_case_records_person_arrest_offence_and_goes_to_the_assessment(client, dm, team):
    client.force_login(dm)
    response = client.post(reverse("custody:case-new"), _open_data(team))
    case = Case.objects.select_related("person", "arrest").get()
    assert response.status_code == 302
    assert response.url == _url("assessment", case)
    person, arrest = case.person, case.arrest
    assert (person.given_name, person.family_name) == ("Jordan", "Example")
    assert (person.date_of_birth, person.pnc_id) == (date(1996, 4, 12), "26/123456A")
    assert (person.sex, person.ethnicity, person.veteran_status) == ("male", "B1", "no")
    assert (person.sms_reminders, person.email_reminders) == (True, False)
    assert person.reminders_consent_on == _today()
    assert arrest.custody_reference == "DU/004711/26"
    assert arrest.station == "Durham custody suite"
    yesterday = _today() - timedelta(days=1)
    assert arrest.arrested_at == datetime.combine(yesterday, time(14, 30), tzinfo=dates.LONDON)
    offence = arrest.offences.get()
    assert offence.offence_type.code == "THEFT-SHOP"
    assert offence.gravity_score == 2  # the catalogue's default for the offence type
    assert (offence.has_victim, offence.location) == (True, "Market Place, Durham")
    assert (case.state, case.team, case.opened_by) == (CaseState.ASSESSMENT, team, dm)


def test_open_case_keeps_a_chosen_gravity_score(client, dm, team):
    client.force_login(dm)
    client.post(reverse("custody:case-new"), _open_data(team, gravity_score="3"))
    assert Case.objects.get().arrest.offences.get().gravity_score == 3


def test_open_case_with_a_future_offence_date_keeps_everything_typed(client, dm, team):
    client.force_login(dm)
    tomorrow = _today() + timedelta(days=1)
    data = _open_data(team, **_date("committed_on", tomorrow), gravity_score="3")
    body = _assert_error_page(
        client.post(reverse("custody:case-new"), data),
        "The date the offence was committed must be today or in the past",
    )
    assert '<a href="#id_committed_on_0">' in body and 'id="id_committed_on_0"' in body
    assert not Case.objects.exists()
    for kept in (
        'value="Jordan"',
        'value="Example"',
        'value="26/123456A"',
        'value="DU/004711/26"',
        'value="14:30"',
        'value="Market Place, Durham"',
        'value="07700 900 982"',
        'value="jordan@example.com"',
        f'name="committed_on_day" id="id_committed_on_0" class="govuk-input '
        f'govuk-date-input__input govuk-input--width-2 govuk-input--error" inputmode="numeric" '
        f'value="{tomorrow.day}"',
        'value="B1" selected',
        f'value="{team.pk}" selected',
        f'value="{data["offence_type"]}" selected',
        'value="sms" checked',
        'value="3" checked',
        'value="male" checked',
        'value="no" checked',
    ):
        assert kept in body, kept


def test_open_case_with_an_unknown_offence_type_says_so(client, dm, team):
    client.force_login(dm)
    response = client.post(reverse("custody:case-new"), _open_data(team, offence_type="999999"))
    body = _assert_error_page(response, "Select an offence from the list")
    assert '<a href="#id_offence_type">' in body
    assert not Case.objects.exists()


def test_open_case_names_each_missing_answer(client, dm, team):
    client.force_login(dm)
    body = _assert_error_page(
        client.post(reverse("custody:case-new"), {}),
        "Enter the person's given name",
        "Enter the person's date of birth",
        "Select the person's sex, or 'Prefer not to say'",
        "Select the person's ethnicity, or 'Prefer not to say'",
        "Select whether the person has served in the armed forces, or 'Prefer not to say'",
        "Enter the custody reference",
        "Enter the date of the arrest",
        "Enter the time of the arrest",
        "Select the offence",
        "Enter the date the offence was committed",
        "Select whether there is an identifiable victim",
        "Select the team that will take the case",
    )
    assert "Enter the mobile" not in body  # optional fields stay optional


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"mobile": "", "reminders": ["sms"]}, "Enter a mobile number to send text message"),
        ({"email": "", "reminders": ["email"]}, "Enter an email address to send email reminders"),
        ({"mobile": "12345"}, "Enter a UK mobile number, like 07700 900 982"),
        ({"arrested_time": "25:10"}, "The time of the arrest must be a real time, like 14:30"),
        ({"date_of_birth_month": "13"}, "The person's date of birth must be a real date"),
        ("under_18", "must be 18 or over on the day of the arrest"),
        ("offence_after_arrest", "must be on or before the date of the arrest"),
        ("arrest_in_future", "The date of the arrest must be today or in the past"),
    ],
)
def test_open_case_checks_each_answer(client, dm, team, overrides, message):
    today = _today()
    if isinstance(overrides, str):  # dates relative to today, computed when the test runs
        overrides = {
            "under_18": _date("date_of_birth", today - timedelta(days=365 * 15)),
            "offence_after_arrest": _date("arrested_on", today - timedelta(days=3)),
            "arrest_in_future": _date("arrested_on", today + timedelta(days=1)),
        }[overrides]
    client.force_login(dm)
    response = client.post(reverse("custody:case-new"), _open_data(team, **overrides))
    _assert_error_page(response, message)
    assert not Case.objects.exists()


def test_open_case_shows_a_service_refusal_on_its_field(client, dm, team):
    existing = _case(dm, team)
    client.force_login(dm)
    data = _open_data(team, custody_reference=existing.arrest.custody_reference)
    response = client.post(reverse("custody:case-new"), data)
    body = _assert_error_page(response, "A case already exists for this custody reference")
    assert '<a href="#id_custody_reference">' in body
    assert Case.objects.count() == 1


# --- the assessment --------------------------------------------------------------------------


def test_assessment_page_shows_the_offence_and_the_facts_form(client, dm, team):
    case = _case(dm, team)
    client.force_login(dm)
    response = client.get(_url("assessment", case))
    body = _body(response)
    assert response.status_code == 200
    assert "Theft from a shop" in body and "Durham Checkpoint v1" in body
    for label in ("Is the evidential test met?", "No-comment interview", "Risk tool score"):
        assert label in body
    assert "Director of Public Prosecutions" not in body  # no indictable-only offence
    assert AccessLog.objects.filter(user=dm, case=case, page="custody:assessment").exists()


def test_assessment_asks_for_dpp_consent_for_an_indictable_only_offence(client, dm, team):
    case = _case(dm, team, code="PERVERTING")
    client.force_login(dm)
    assert "Director of Public Prosecutions" in _body(client.get(_url("assessment", case)))
    response = client.post(_url("assessment", case), _assess_data(case))
    _assert_error_page(response, "Select whether the DPP has consented")


def test_assessment_records_the_facts_and_shows_the_result(client, dm, team):
    case = _case(dm, team)
    client.force_login(dm)
    data = _assess_data(case, previous_convictions="2", risk_tool_score="12.5", admission="denied")
    response = client.post(_url("assessment", case), data)
    assert response.status_code == 302 and response.url == _url("assessment-result", case)
    assessment = EligibilityAssessment.objects.get(case=case)
    assert assessment.assessed_by == dm and assessment.admission == "denied"
    assert (assessment.previous_convictions, str(assessment.risk_tool_score)) == (2, "12.50")
    assert assessment.risk_source == "Custody risk tool, reviewed by me"
    assert assessment.dpp_consent is None and assessment.is_eligible is False
    failed = AssessmentRule.objects.get(assessment=assessment, outcome="failed")
    assert failed.code == "offence_admitted"


def test_assessment_with_bad_answers_keeps_what_was_typed(client, dm, team):
    case = _case(dm, team)
    client.force_login(dm)
    data = _assess_data(case, previous_convictions="two", risk_source="", risk_tool_score="x1")
    body = _assert_error_page(
        client.post(_url("assessment", case), data),
        "Previous convictions must be a whole number, like 2",
        "Enter where the risk band came from",
        "Risk tool score must be a number, like 12.5",
    )
    assert '<a href="#id_previous_convictions">' in body
    assert 'value="two"' in body and 'value="x1"' in body
    assert 'value="admitted" checked' in body and 'value="moderate" checked' in body
    assert not EligibilityAssessment.objects.exists()


def test_assessment_form_starts_from_the_last_assessment(client, dm, team):
    case = _case(dm, team)
    services.assessment_record(
        case_id=case.pk, by=dm, **{**factories.GOOD_FACTS, "previous_convictions": 4}
    )
    client.force_login(dm)
    body = _body(client.get(_url("assessment", case)))
    assert 'value="4"' in body and "Saving this form records a corrected assessment" in body


def test_assessment_of_a_decided_case_goes_to_the_result(client, dm, team):
    case = _eligible(dm, team)
    client.force_login(dm)
    response = client.post(_url("assessment", case), _assess_data(case))
    assert response.status_code == 302 and response.url == _url("assessment-result", case)
    assert EligibilityAssessment.objects.filter(case=case).count() == 1


# --- the result, overrides and the decision ----------------------------------------------------


def _assessed(dm, team, **facts) -> Case:
    case = _case(dm, team)
    services.assessment_record(case_id=case.pk, by=dm, **{**factories.GOOD_FACTS, **facts})
    return case


def test_result_lists_every_rule_with_its_reason_and_policy_version(client, dm, team):
    case = _assessed(dm, team, admission="denied")
    client.force_login(dm)
    response = client.get(_url("assessment-result", case))
    body = _body(response)
    assert response.status_code == 200
    assert "Judged under <strong>Durham Checkpoint v1</strong>" in body
    for rule in AssessmentRule.objects.filter(assessment__case=case):
        assert rule.label in body and rule.reason in body
    # Nine rules pass (the time limit among them); the admission fails.
    assert body.count("govuk-tag--green") == 9 and body.count("govuk-tag--red") == 1
    assert "Override this rule: Offence admitted" in body
    assert "You cannot record the person as eligible" in body


def test_result_without_an_assessment_sends_you_to_record_one(client, dm, team):
    case = _case(dm, team)
    client.force_login(dm)
    response = client.get(_url("assessment-result", case))
    assert response.status_code == 302 and response.url == _url("assessment", case)


def test_override_with_a_short_justification_is_refused_and_kept(client, dm, team):
    case = _assessed(dm, team, admission="denied")
    client.force_login(dm)
    prefix = "override-offence_admitted-"
    data = {
        "action": "override",
        "rule": "offence_admitted",
        f"{prefix}justification": "Seems fine",
        **{prefix + k: v for k, v in _lock(case).items()},
    }
    body = _assert_error_page(
        client.post(_url("assessment-result", case), data),
        "Explain the override in at least 20 characters",
    )
    assert f'<a href="#id_{prefix}justification">' in body
    assert "Seems fine</textarea>" in body
    assert '<details class="govuk-details" open>' in body
    assert AssessmentRule.objects.get(code="offence_admitted").outcome == "failed"


def test_override_records_the_justification(client, dm, team):
    case = _assessed(dm, team, admission="denied")
    client.force_login(dm)
    prefix = "override-offence_admitted-"
    justification = "Admitted on arrest to the officer; denial was on legal advice"
    data = {
        "action": "override",
        "rule": "offence_admitted",
        f"{prefix}justification": justification,
        **{prefix + k: v for k, v in _lock(case).items()},
    }
    response = client.post(_url("assessment-result", case), data)
    assert response.status_code == 302 and response.url == _url("assessment-result", case)
    rule = AssessmentRule.objects.get(code="offence_admitted")
    assert (rule.outcome, rule.override_justification, rule.overridden_by) == (
        "overridden",
        justification,
        dm,
    )
    body = _body(client.get(_url("assessment-result", case)))
    assert "Overridden</strong>" in body and justification in body
    assert "Every rule passed or was overridden" in body


def test_statutory_rule_says_it_cannot_be_overridden(client, dm, team):
    scheme = Scheme.objects.create(code="statutory-test", name="Statutory test")
    SchemeVersion.objects.create(
        scheme=scheme,
        version=1,
        effective_from=date(2020, 1, 1),
        published_at=timezone.now(),
        indictable_only_needs_dpp_consent=True,
    )
    case = _case(dm, team, code="PERVERTING", scheme_code="statutory-test")
    services.assessment_record(
        case_id=case.pk, by=dm, **{**factories.GOOD_FACTS, "dpp_consent": False}
    )
    client.force_login(dm)
    body = _body(client.get(_url("assessment-result", case)))
    assert "No override can lift this rule: the law requires the Director" in body
    assert "Override this rule: DPP consent" not in body
    prefix = "override-dpp_consent-"
    data = {
        "action": "override",
        "rule": "dpp_consent",
        f"{prefix}justification": "The DPP is expected to consent next week",
        **{prefix + k: v for k, v in _lock(case).items()},
    }
    response = client.post(_url("assessment-result", case), data)
    _assert_error_page(response, "cannot be overridden: the law requires the Director")


def test_evidential_test_not_met_offers_no_override_and_says_what_next(client, dm, team):
    case = _case(dm, team)
    facts = {**factories.GOOD_FACTS, "evidential_test_met": False}
    services.assessment_record(case_id=case.pk, by=dm, **facts)
    client.force_login(dm)
    body = _body(client.get(_url("assessment-result", case)))
    assert "Override this rule" not in body
    assert (
        "No override can lift this rule: without a realistic prospect of conviction there is "
        "no prosecution to defer." in body
    )
    assert "No override can lift it: record the person as not eligible" in body
    prefix = "override-evidential_test-"
    data = {
        "action": "override",
        "rule": "evidential_test",
        f"{prefix}justification": "The witness statement will arrive tomorrow",
        **{prefix + k: v for k, v in _lock(case).items()},
    }
    response = client.post(_url("assessment-result", case), data)
    _assert_error_page(response, "'Evidential test met' cannot be overridden")
    assert (
        Case.objects.get(pk=case.pk).latest_assessment().rules.get(code="evidential_test").outcome
        == "failed"
    )


def _decide(case, decision: str, reason: str = "") -> dict:
    return {
        "action": "decide",
        "decision-decision": decision,
        "decision-reason": reason,
        **{f"decision-{k}": v for k, v in _lock(case).items()},
    }


def test_deciding_eligible_with_failures_not_overridden_says_why(client, dm, team):
    case = _assessed(dm, team, admission="denied", previous_convictions=5)
    client.force_login(dm)
    response = client.post(_url("assessment-result", case), _decide(case, "eligible"))
    body = _assert_error_page(
        response,
        "Failed and not overridden: Offence admitted",
        "Failed and not overridden: At most 3 previous convictions",
    )
    assert '<a href="#id_decision-decision_0">' in body
    assert 'value="eligible" checked' in body
    assert Case.objects.get(pk=case.pk).state == CaseState.ASSESSMENT


def test_not_eligible_needs_a_reason_when_every_rule_passed(client, dm, team):
    case = _assessed(dm, team)
    client.force_login(dm)
    response = client.post(_url("assessment-result", case), _decide(case, "ineligible"))
    body = _assert_error_page(
        response, "Every rule passed: explain why the person is nevertheless not eligible"
    )
    assert '<a href="#id_decision-reason">' in body
    assert 'value="ineligible" checked' in body
    assert Case.objects.get(pk=case.pk).state == CaseState.ASSESSMENT


def test_not_eligible_is_recorded_and_returns_to_the_case(client, dm, team):
    case = _assessed(dm, team)
    client.force_login(dm)
    reason = "Further offences disclosed in interview"
    response = client.post(_url("assessment-result", case), _decide(case, "ineligible", reason))
    assert response.status_code == 302 and response.url == _url("case", case)
    case.refresh_from_db()
    assert case.state == CaseState.INELIGIBLE and case.closed_at is not None
    assert case.transitions.get().reason == reason
    body = _body(client.get(_url("assessment-result", case)))  # read-only now
    assert "Save the decision" not in body and "Judged under" in body


def test_decision_by_a_colleague_returns_to_the_custody_list(client, dm, team):
    case = _assessed(dm, team)
    colleague = factories.make_user(roles.DECISION_MAKER)
    client.force_login(colleague)
    reason = "Further offences disclosed in interview"
    response = client.post(_url("assessment-result", case), _decide(case, "ineligible", reason))
    # An ineligible case they did not open is out of their reach: no 404 after saving.
    assert response.status_code == 302 and response.url == reverse("custody:list")
    assert Case.objects.get(pk=case.pk).state == CaseState.INELIGIBLE


def test_eligible_decision_goes_to_the_offer(client, dm, team):
    case = _assessed(dm, team)
    client.force_login(dm)
    response = client.post(_url("assessment-result", case), _decide(case, "eligible"))
    assert response.status_code == 302 and response.url == _url("offer", case)
    assert Case.objects.get(pk=case.pk).state == CaseState.ELIGIBLE


def test_stale_decision_is_refused_with_what_changed(client, dm, team):
    case = _assessed(dm, team)
    client.force_login(dm)
    data = _decide(case, "eligible")
    services.assessment_record(
        case_id=case.pk, by=dm, **{**factories.GOOD_FACTS, "admission": "denied"}
    )
    body = _assert_error_page(
        client.post(_url("assessment-result", case), data), "This case changed since you opened"
    )
    assert Case.objects.get(pk=case.pk).state == CaseState.ASSESSMENT
    assert "govuk-tag--red" in body  # the page now shows the new assessment


# --- the offer and the answer -----------------------------------------------------------------


def test_offer_page_explains_and_records_the_offer(client, dm, team):
    case = _eligible(dm, team)
    client.force_login(dm)
    body = _body(client.get(_url("offer", case)))
    assert "taking part is voluntary" in body and "4 months" in body
    response = client.post(_url("offer", case), {"step": "offer", **_lock(case)})
    assert response.status_code == 302 and response.url == _url("offer", case)
    assert Case.objects.get(pk=case.pk).state == CaseState.OFFERED


def test_answer_lists_only_navigators_of_the_case_team(client, dm, navigator, supervisor, team):
    case = _offered(dm, team)
    elsewhere = factories.make_user(roles.NAVIGATOR, team=factories.TeamFactory(name="South"))
    client.force_login(dm)
    body = _body(client.get(_url("offer", case)))
    assert f'<option value="{navigator.pk}">{navigator.get_full_name()}</option>' in body
    assert f'<option value="{elsewhere.pk}"' not in body
    assert f'<option value="{supervisor.pk}"' not in body


def test_accepted_answer_allocates_the_navigator(client, dm, navigator, team):
    case = _offered(dm, team)
    client.force_login(dm)
    data = {"step": "answer", "answer": "accepted", "navigator": navigator.pk, **_lock(case)}
    response = client.post(_url("offer", case), data)
    assert response.status_code == 302 and response.url == _url("case", case)
    case.refresh_from_db()
    assert (case.state, case.navigator) == (CaseState.ACCEPTED, navigator)


def test_answer_refuses_a_navigator_of_another_team(client, dm, team):
    case = _offered(dm, team)
    elsewhere = factories.make_user(roles.NAVIGATOR, team=factories.TeamFactory(name="South"))
    client.force_login(dm)
    data = {"step": "answer", "answer": "accepted", "navigator": elsewhere.pk, **_lock(case)}
    _assert_error_page(client.post(_url("offer", case), data), "Select a navigator from the list")
    assert Case.objects.get(pk=case.pk).state == CaseState.OFFERED


def test_declined_answer_needs_the_reason_and_keeps_the_choice(client, dm, team):
    case = _offered(dm, team)
    client.force_login(dm)
    data = {"step": "answer", "answer": "declined", "reason": " ", **_lock(case)}
    body = _assert_error_page(
        client.post(_url("offer", case), data), "Enter the reason the person gave for declining"
    )
    assert '<a href="#id_reason">' in body and 'value="declined" checked' in body
    assert Case.objects.get(pk=case.pk).state == CaseState.OFFERED


def test_declined_answer_is_recorded_with_the_reason(client, dm, team):
    case = _offered(dm, team)
    client.force_login(dm)
    reason = "Wants to contest the charge in court"
    data = {"step": "answer", "answer": "declined", "reason": reason, **_lock(case)}
    response = client.post(_url("offer", case), data)
    assert response.status_code == 302 and response.url == _url("case", case)
    case.refresh_from_db()
    assert case.state == CaseState.DECLINED
    assert case.transitions.order_by("-pk").first().reason == reason


def test_offer_page_for_a_case_still_in_assessment_sends_you_back(client, dm, team):
    case = _case(dm, team)
    client.force_login(dm)
    response = client.get(_url("offer", case), follow=True)
    assert "There is no offer to record: this case is 'Assessment'" in _body(response)
    assert Case.objects.get(pk=case.pk).state == CaseState.ASSESSMENT


def test_a_second_offer_from_a_stale_page_is_refused(client, dm, team):
    case = _eligible(dm, team)
    client.force_login(dm)
    stale = {"step": "offer", **_lock(case)}
    services.case_offer(case_id=case.pk, by=dm)
    body = _assert_error_page(client.post(_url("offer", case), stale), "This case changed")
    assert "Eligible → Offered" in body


# --- the whole wizard -------------------------------------------------------------------------


def test_custody_wizard_end_to_end(client, dm, navigator, team):
    client.force_login(dm)
    response = client.post(reverse("custody:case-new"), _open_data(team))
    case = Case.objects.get()
    assert response.url == _url("assessment", case)

    client.get(response.url)
    response = client.post(_url("assessment", case), _assess_data(case, admission="denied"))
    assert response.url == _url("assessment-result", case)
    assert "govuk-tag--red" in _body(client.get(response.url))

    response = client.post(_url("assessment-result", case), _decide(case, "eligible"))
    _assert_error_page(response, "Failed and not overridden: Offence admitted")

    prefix = "override-offence_admitted-"
    justification = "Admitted the theft on arrest; the later denial was on advice"
    override = {
        "action": "override",
        "rule": "offence_admitted",
        f"{prefix}justification": justification,
        **{prefix + k: v for k, v in _lock(case).items()},
    }
    assert client.post(_url("assessment-result", case), override).status_code == 302

    response = client.post(_url("assessment-result", case), _decide(case, "eligible"))
    assert response.url == _url("offer", case)
    response = client.post(_url("offer", case), {"step": "offer", **_lock(case)})
    assert response.url == _url("offer", case)
    answer = {"step": "answer", "answer": "accepted", "navigator": navigator.pk, **_lock(case)}
    response = client.post(_url("offer", case), answer, follow=True)

    assert "the person accepted the offer" in _body(response)
    case.refresh_from_db()
    assert (case.state, case.navigator) == (CaseState.ACCEPTED, navigator)
    assert list(case.transitions.values_list("to_state", flat=True)) == [
        "eligible",
        "offered",
        "accepted",
    ]
    rule = AssessmentRule.objects.get(assessment__case=case, code="offence_admitted")
    assert (rule.outcome, rule.override_justification) == ("overridden", justification)
    client.force_login(navigator)
    assert client.get(_url("case", case)).status_code == 200  # now on their caseload
