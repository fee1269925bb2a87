"""Re-arrest detection on the screens (issue 16 point 6): custody opens a case for someone on a
running contract; custody is told, the active case shows the match, and its navigator confirms
it (a new offence is recorded) or dismisses it with a reason."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from checkpoint import services
from checkpoint.models import Case, MatchKind, MatchStatus, NewOffenceReport, RearrestMatch
from tests import factories
from tests.custody.test_screens import _open_data
from tests.supervisors.helpers import live_case

BORN = date(1996, 4, 12)


@pytest.fixture
def active(dm, team, navigator):
    """Siobhán Ní Bhriain on a running contract, PNC ID 26/123456A."""
    person = factories.PersonFactory(
        given_name="Siobhán", family_name="Ní Bhriain", date_of_birth=BORN, pnc_id="26/123456A"
    )
    return live_case(dm=dm, team=team, navigator=navigator, person=person)


def custody_opens(client, dm, team, **person) -> str:
    """The decision maker opens a case; returns the page they land on."""
    client.force_login(dm)
    response = client.post(reverse("custody:case-new"), _open_data(team, **person), follow=True)
    assert response.status_code == 200
    return response.content.decode()


def case_page(client, user, case: Case) -> str:
    client.force_login(user)
    return client.get(reverse("navigators:case", args=[case.reference])).content.decode()


def match_url(case: Case, match: RearrestMatch) -> str:
    return reverse("navigators:rearrest", args=[case.reference, match.pk])


def new_case() -> Case:
    return Case.objects.order_by("-pk").first()


def test_the_same_pnc_id_is_a_re_arrest(client, dm, team, navigator, active):
    landed = custody_opens(client, dm, team, given_name="Shiv", family_name="Brian")
    assert "This person is on an active Checkpoint contract (same PNC ID)" in landed
    assert "navigator and the team&#x27;s supervisors have been alerted" in landed
    assert active.reference not in landed  # custody learns nothing more of the active case
    match = RearrestMatch.objects.get(active_case=active)
    assert (match.kind, match.new_case) == (MatchKind.EXACT, new_case())
    body = case_page(client, navigator, active)
    assert f"Re-arrest: custody case {new_case().reference}, matched on PNC ID" in body
    assert match_url(active, match) in body


def test_the_same_name_and_birth_date_is_a_possible_re_arrest(client, dm, team, navigator, active):
    landed = custody_opens(
        client, dm, team, given_name="siobhan", family_name="NI BHRIAIN", pnc_id=""
    )
    assert "This person may be on an active Checkpoint contract" in landed
    match = RearrestMatch.objects.get(active_case=active)
    assert match.kind == MatchKind.POSSIBLE
    body = case_page(client, navigator, active)
    assert f"Possible re-arrest: custody case {new_case().reference}" in body
    assert "matched on name and date of birth" in body


def test_someone_else_is_not_a_match(client, dm, team, navigator, active):
    landed = custody_opens(
        client,
        dm,
        team,
        given_name="Siobhán",
        family_name="Ní Bhriain",
        pnc_id="",
        date_of_birth_day="13",
    )
    assert "Checkpoint contract" not in landed
    assert not RearrestMatch.objects.exists()
    assert "re-arrest" not in case_page(client, navigator, active).lower()


@pytest.fixture
def match(client, dm, team, active) -> RearrestMatch:
    custody_opens(client, dm, team, given_name="Siobhan", family_name="Ni Bhriain", pnc_id="")
    return RearrestMatch.objects.get(active_case=active)


def test_the_screen_compares_the_two_people(client, navigator, active, match):
    client.force_login(navigator)
    body = client.get(match_url(active, match)).content.decode()
    assert "Your participant" in body and "The person arrested" in body
    assert "Siobhán Ní Bhriain" in body and "Siobhan Ni Bhriain" in body
    assert "DU/004711/26" in body and "12 April 1996" in body


def test_confirming_records_the_new_offence(client, navigator, active, match):
    assert "No new offence reported" in case_page(client, navigator, active)
    response = client.post(
        match_url(active, match), {"same_person": "yes", "description": ""}, follow=True
    )
    body = response.content.decode()
    report = NewOffenceReport.objects.get(case=active)
    assert report.reference == "DU/004711/26"
    match.refresh_from_db()
    assert (match.status, match.report, match.decided_by) == (
        MatchStatus.CONFIRMED,
        report,
        navigator,
    )
    assert f"New offence recorded on this case (custody case {match.new_case.reference})" in body
    assert "What happens next" in body
    assert reverse("navigators:breach-refer", args=[active.reference]) in body
    assert "Possible re-arrest" not in body
    assert "No new offence reported" not in body


def test_dismissing_needs_a_reason(client, navigator, active, match):
    client.force_login(navigator)
    response = client.post(match_url(active, match), {"same_person": "no", "reason": " "})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Error: " in body and "Enter why it is not the same person" in body
    match.refresh_from_db()
    assert match.status == MatchStatus.PENDING
    reason = "Different middle name and address"
    response = client.post(match_url(active, match), {"same_person": "no", "reason": reason})
    assert response.status_code == 302
    match.refresh_from_db()
    assert (match.status, match.reason) == (MatchStatus.DISMISSED, reason)
    assert not NewOffenceReport.objects.exists()
    assert "re-arrest" not in case_page(client, navigator, active).lower()


def test_nothing_chosen_is_an_error(client, navigator, active, match):
    client.force_login(navigator)
    response = client.post(match_url(active, match), {})
    assert "Select yes if the person arrested is your participant" in response.content.decode()


def test_a_decided_match_is_not_decided_again(client, navigator, active, match):
    services.rearrest_dismiss(match_id=match.pk, by=navigator, reason="Not her")
    client.force_login(navigator)
    response = client.get(match_url(active, match), follow=True)
    assert "This re-arrest is already decided" in response.content.decode()
    response = client.post(match_url(active, match), {"same_person": "yes"})
    assert "already decided" in response.content.decode()
    assert not NewOffenceReport.objects.exists()


def test_the_team_dashboard_lists_pending_re_arrests(client, supervisor, active, match):
    client.force_login(supervisor)
    body = client.get(reverse("supervisors:dashboard")).content.decode()
    assert "Possible re-arrests awaiting the navigator (1)" in body
    assert active.reference in body and match.new_case.reference in body
