"""Printing the outcome letter or the prosecution file is a disclosure (DPA 2018 s.62): the
document opens only after the user says who it is for and why, and that is logged."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from checkpoint import roles, services
from checkpoint.models import AccessLog, DisclosureLog
from tests import factories
from tests.factories import DISCLOSURE, disclose

from .helpers import review_case, url

LETTER = "You have completed your Checkpoint contract"


@pytest.fixture
def exited(dm, team, navigator, supervisor):
    case = review_case(dm=dm, team=team, navigator=navigator)
    services.completion_sign_off(case_id=case.pk, by=supervisor, reason="All met")
    return case


@pytest.fixture
def sup_client(client, supervisor):
    client.force_login(supervisor)
    return client


def test_the_letter_asks_why_before_it_opens(sup_client, exited):
    page = sup_client.get(url("outcome-letter", exited)).content.decode()
    assert "Before you print the outcome letter" in page
    assert "Who is it for?" in page and "Why are you disclosing this?" in page
    assert LETTER not in page
    assert not DisclosureLog.objects.exists()


def test_a_missing_justification_is_an_error_and_nothing_is_disclosed(sup_client, exited):
    response = sup_client.post(url("outcome-letter", exited), {"recipient": "The participant"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body and "Enter why you are disclosing this" in body
    assert 'value="The participant"' in body  # what was typed is kept
    assert LETTER not in body
    assert not DisclosureLog.objects.exists()


def test_the_disclosure_is_logged_with_who_when_what_and_why(sup_client, exited, supervisor):
    letter = disclose(sup_client, url("outcome-letter", exited), justification="Posted to them")
    assert LETTER in letter.content.decode()
    log = DisclosureLog.objects.get()
    assert (log.user, log.case, log.person_id) == (supervisor, exited, exited.person_id)
    assert (log.kind, log.what) == ("outcome_letter", "outcome letter")
    assert log.recipient == DISCLOSURE["recipient"] and log.justification == "Posted to them"
    assert abs(log.at - timezone.now()) < timedelta(minutes=1)


def test_a_grant_is_the_users_own_for_that_case_and_expires(
    client, exited, supervisor, navigator, dm, team
):
    client.force_login(supervisor)
    granted = client.post(url("outcome-letter", exited), DISCLOSURE)["Location"]
    grant = {"disclosure": granted.split("disclosure=")[1]}
    assert LETTER in client.get(granted).content.decode()
    # The same grant on another person's letter asks again.
    other = review_case(dm=dm, team=team, navigator=navigator)
    services.completion_sign_off(case_id=other.pk, by=supervisor, reason="All met")
    assert LETTER not in client.get(url("outcome-letter", other), grant).content.decode()
    # Another user following the same link is asked for their own justification.
    client.force_login(navigator)
    assert LETTER not in client.get(granted).content.decode()
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        client.force_login(supervisor)
        assert LETTER not in client.get(granted).content.decode()
    assert DisclosureLog.objects.count() == 1


def test_a_case_out_of_reach_cannot_be_disclosed(client, exited, team):
    stranger = factories.make_user(roles.NAVIGATOR, team=team, username="stranger")
    client.force_login(stranger)
    assert client.post(url("outcome-letter", exited), DISCLOSURE).status_code == 404
    assert not DisclosureLog.objects.exists()
    assert not AccessLog.objects.filter(user=stranger).exists()
