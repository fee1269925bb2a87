"""Breach review: the evidence beside the recommendation, and each decision through the screen."""

from __future__ import annotations

import pytest

from checkpoint import roles
from checkpoint.models import BreachReview, Case, CaseState, SchemeVersion
from notifications.models import Message
from tests import factories

from .helpers import breach_case, live_case, lock, url


@pytest.fixture
def case(dm, team, navigator):
    return breach_case(dm=dm, team=team, navigator=navigator)


@pytest.fixture
def sup_client(client, supervisor):
    client.force_login(supervisor)
    return client


def decide(client, case, **data):
    return client.post(url("breach", case), {**lock(case), **data})


def test_the_page_shows_the_recommendation_and_the_compliance_history(sup_client, case):
    body = sup_client.get(url("breach", case)).content.decode()
    assert "Missed two sessions; suggest more hours" in body
    assert "The navigator's recommendation" in body
    assert "Compliance" in body
    assert "Continue the contract" in body and "Terminate the contract" in body


def test_continue_returns_the_case_to_active_and_emails_the_navigator(sup_client, case, navigator):
    response = decide(sup_client, case, decision="continue", reasons="First lapse; keep going")
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/"
    assert Case.objects.get(pk=case.pk).state == CaseState.ACTIVE
    review = BreachReview.objects.get(case=case)
    assert (review.decision, review.reasons) == ("continue", "First lapse; keep going")
    message = Message.objects.get(template="breach_decision")
    assert message.recipient == navigator.email
    assert message.context["decision"] == "Continue the contract"


def test_vary_adds_hours_within_the_range(sup_client, case):
    response = decide(sup_client, case, decision="vary", extra_hours="6", reasons="More hours")
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.ACTIVE
    assert case.contract.community_condition.hours_required == 30


def test_vary_beyond_the_maximum_is_refused_keeping_what_was_typed(sup_client, case):
    response = decide(sup_client, case, decision="vary", extra_hours="20", reasons="Lots more")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert "Community hours must stay between 18 and 36; this contract has 24" in body
    assert 'value="20"' in body and "Lots more" in body
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.BREACH_REVIEW
    assert case.contract.community_condition.hours_required == 24


def test_durham_profile_offers_no_extension(sup_client, case):
    body = sup_client.get(url("breach", case)).content.decode()
    assert "extend_days" not in body


def _allow_extensions(days: int) -> None:
    # Scheme versions are frozen once published; this changes the test's copy through SQL.
    SchemeVersion.objects.all().update(max_extension_days=days)


def test_vary_extends_the_end_date_when_the_profile_allows(sup_client, case):
    _allow_extensions(28)
    ends_on = case.contract.ends_on
    assert case.prosecution_deadline is None  # shoplifting here: no statutory time limit
    response = decide(sup_client, case, decision="vary", extend_days="7", reasons="Illness")
    assert response.status_code == 302
    assert (Case.objects.get(pk=case.pk).contract.ends_on - ends_on).days == 7


def test_an_extension_past_the_statutory_deadline_is_refused(sup_client, dm, team, navigator):
    # Harassment, alarm or distress (s.5) is summary-only: s.127 sets a 6-month deadline.
    case = breach_case(dm=dm, team=team, navigator=navigator, code="PO-S5")
    _allow_extensions(200)
    assert case.prosecution_deadline is not None
    too_far = (case.prosecution_deadline - case.contract.ends_on).days
    response = decide(sup_client, case, decision="vary", extend_days=str(too_far), reasons="x")
    body = response.content.decode()
    assert response.status_code == 200
    assert "the prosecution deadline is" in body
    assert "needs 14 days to be referred" in body
    assert Case.objects.get(pk=case.pk).state == CaseState.BREACH_REVIEW


def test_terminate_leads_to_the_prosecution_referral(sup_client, case):
    response = decide(sup_client, case, decision="terminate", reasons="Third missed session")
    assert response.status_code == 302
    assert response["Location"] == url("prosecution-refer", case)
    assert Case.objects.get(pk=case.pk).state == CaseState.TERMINATED
    page = sup_client.get(response["Location"]).content.decode()
    assert "Refer for prosecution" in page and "Compliance record" in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"reasons": "x"}, "Select your decision on the breach"),
        ({"decision": "continue"}, "Enter the reasons for your decision"),
        ({"decision": "vary", "extra_hours": "two", "reasons": "x"}, "Extra hours must be a"),
    ],
)
def test_bad_input_gets_a_specific_message(sup_client, case, data, message):
    response = decide(sup_client, case, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == CaseState.BREACH_REVIEW


def test_a_decision_on_a_case_that_changed_meanwhile_is_refused(sup_client, case, navigator):
    stale = lock(case)
    from checkpoint import services

    services.note_add(case_id=case.pk, by=navigator, text="Rang the participant")
    response = sup_client.post(
        url("breach", case), {**stale, "decision": "continue", "reasons": "Carry on"}
    )
    body = response.content.decode()
    assert "This case changed since you opened this page" in body
    assert Case.objects.get(pk=case.pk).state == CaseState.BREACH_REVIEW


def test_the_navigator_cannot_decide(client, case, navigator):
    client.force_login(navigator)
    assert client.get(url("breach", case)).status_code == 403
    response = client.post(url("breach", case), {**lock(case), "decision": "continue"})
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).state == CaseState.BREACH_REVIEW


def test_a_supervisor_of_another_team_gets_404(client, case):
    other = factories.make_user(roles.SUPERVISOR, team=factories.TeamFactory(name="West"))
    client.force_login(other)
    assert client.get(url("breach", case)).status_code == 404


def test_the_page_sends_back_to_the_case_when_there_is_no_breach(sup_client, dm, team, navigator):
    active = live_case(dm=dm, team=team, navigator=navigator)
    response = sup_client.get(url("breach", active))
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{active.reference}/"


def test_case_page_offers_the_decision_to_the_supervisor_only(client, case, supervisor, navigator):
    client.force_login(supervisor)
    assert url("breach", case) in client.get(f"/cases/{case.reference}/").content.decode()
    client.force_login(navigator)
    assert url("breach", case) not in client.get(f"/cases/{case.reference}/").content.decode()
