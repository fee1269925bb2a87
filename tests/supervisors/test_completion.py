"""Completion sign-off, the outcome letter, and termination to a prosecution file."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from checkpoint.models import AccessLog, Case, CaseState, DisclosureLog, Outcome, OutcomeKind
from tests.factories import disclose

from .helpers import live_case, lock, review_case, url


@pytest.fixture
def sup_client(client, supervisor):
    client.force_login(supervisor)
    return client


@pytest.fixture
def met(dm, team, navigator):
    return review_case(dm=dm, team=team, navigator=navigator)


@pytest.fixture
def unmet(dm, team, navigator):
    return review_case(dm=dm, team=team, navigator=navigator, met=False)


def decide(client, case, **data):
    return client.post(url("completion", case), {**lock(case), **data})


def test_the_page_shows_every_conditions_evidence(sup_client, met):
    body = sup_client.get(url("completion", met)).content.decode()
    for condition in ("Offending", "Victim", "Pathway", "Community"):
        assert f'<dt class="govuk-summary-list__key">{condition}</dt>' in body
    assert "24 of 24 hours verified" in body
    assert "No new offence reported" in body
    assert "cannot be signed off yet" not in body


def test_sign_off_exits_without_conviction_and_produces_the_letter(sup_client, met, supervisor):
    response = decide(sup_client, met, decision="sign_off", notes="All done well")
    assert response.status_code == 302
    assert response["Location"] == url("outcome-letter", met)
    case = Case.objects.get(pk=met.pk)
    assert case.state == CaseState.EXITED_NO_CONVICTION
    outcome = Outcome.objects.get(case=case)
    assert (outcome.kind, outcome.decided_by) == (OutcomeKind.EXITED_NO_CONVICTION, supervisor)

    asked = sup_client.get(response["Location"]).content.decode()
    assert "Why are you disclosing this?" in asked and "Dear " not in asked
    letter = disclose(sup_client, response["Location"])
    body = letter.content.decode()
    assert letter.status_code == 200
    assert "You have completed your Checkpoint contract" in body
    assert escape(case.person.full_name) in body
    assert "you have no conviction for it" in body
    assert "data-print" in body
    # Printing the letter is a disclosure of the person's record: it is logged, with why.
    disclosure = DisclosureLog.objects.get(case=case)
    assert (disclosure.user, disclosure.kind) == (supervisor, "outcome_letter")
    assert disclosure.justification == "Charging file"
    assert AccessLog.objects.filter(case=case, page="supervisors:outcome-letter").count() == 3


def test_sign_off_with_unmet_conditions_is_refused_listing_them(sup_client, unmet):
    page = sup_client.get(url("completion", unmet)).content.decode()
    assert "cannot be signed off yet" in page
    response = decide(sup_client, unmet, decision="sign_off")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert "Community condition not yet met: 0 of 24 hours verified" in body
    assert Case.objects.get(pk=unmet.pk).state == CaseState.COMPLETION_REVIEW


def test_terminate_needs_reasons(sup_client, unmet):
    response = decide(sup_client, unmet, decision="terminate", notes="kept")
    body = response.content.decode()
    assert "Enter the reasons for termination" in body
    assert "kept" in body
    assert Case.objects.get(pk=unmet.pk).state == CaseState.COMPLETION_REVIEW


def test_terminate_then_refer_produces_the_prosecution_file(sup_client, unmet):
    response = decide(sup_client, unmet, decision="terminate", reasons="Hours not done")
    assert response["Location"] == url("prosecution-refer", unmet)
    assert Case.objects.get(pk=unmet.pk).state == CaseState.TERMINATED

    form = sup_client.get(response["Location"]).content.decode()
    assert "Compliance record" in form and "Timeline" in form

    refer = sup_client.post(
        url("prosecution-refer", unmet), {**lock(unmet), "reason": "Contract failed"}
    )
    assert refer["Location"] == url("prosecution-file", unmet)
    case = Case.objects.get(pk=unmet.pk)
    assert case.state == CaseState.PROSECUTION_REFERRED
    file = disclose(sup_client, refer["Location"]).content.decode()
    assert f"Prosecution file: {case.reference}" in file
    assert "Contract failed" in file
    assert "Hours not done" in file  # the termination, in the timeline
    assert "Verified community hours: 0 of 24" in file or "0 of 24 hours verified" in file


def test_prosecution_referral_needs_a_reason(sup_client, unmet):
    decide(sup_client, unmet, decision="terminate", reasons="Hours not done")
    response = sup_client.post(url("prosecution-refer", unmet), {**lock(unmet), "reason": " "})
    assert "Enter the reason for the referral" in response.content.decode()
    assert Case.objects.get(pk=unmet.pk).state == CaseState.TERMINATED


def test_the_navigator_can_print_the_letter_but_not_sign_off(client, met, navigator, supervisor):
    client.force_login(navigator)
    assert client.get(url("completion", met)).status_code == 403
    assert decide(client, met, decision="sign_off").status_code == 403
    assert Case.objects.get(pk=met.pk).state == CaseState.COMPLETION_REVIEW
    client.force_login(supervisor)
    decide(client, met, decision="sign_off")
    client.force_login(navigator)
    assert disclose(client, url("outcome-letter", met)).status_code == 200


def test_no_letter_before_the_case_exits(sup_client, dm, team, navigator):
    active = live_case(dm=dm, team=team, navigator=navigator)
    response = sup_client.get(url("outcome-letter", active))
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{active.reference}/"


def test_the_page_and_the_sign_off_agree_on_a_referral_completed_without_attendance(
    sup_client, unmet
):
    """'Completed' at 0 of 4 sessions is not met, on the page and for the sign-off alike (the
    page once showed 'attended 0 of 4, completed' beside 'Met')."""
    contract = unmet.contract
    contract.referrals.update(status="completed")  # as an old record may hold it
    body = sup_client.get(url("completion", unmet)).content.decode()
    assert "attended 0 of 4, completed without the attendance" in body
    pathway = body[body.index(">Pathway</dt>") :]
    pathway = pathway[: pathway.index("</div>")]
    assert "Not yet met" in pathway and ">Met<" not in pathway
    assert "Pathway condition not yet met: 0 of 1 referral completed" in body
    response = decide(sup_client, unmet, decision="sign_off")
    assert "Pathway condition not yet met: 0 of 1 referral completed" in response.content.decode()
    assert Case.objects.get(pk=unmet.pk).state == CaseState.COMPLETION_REVIEW


def test_the_outcome_letter_lists_the_conditions_as_the_review_judged_them(sup_client, met):
    decide(sup_client, met, decision="sign_off", notes="All done")
    letter = disclose(sup_client, url("outcome-letter", met)).content.decode()
    assert "<li>Pathway: 1 of 1 referral completed</li>" in letter
    assert "<li>Community: 24 of 24 hours verified</li>" in letter
