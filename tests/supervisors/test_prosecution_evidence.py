"""The compliance record on the prosecution referral and the prosecution file: a terminated
case shows its contract's conditions, never "No contract was made" (issue 16, point 10)."""

from __future__ import annotations

import re

import pytest

from checkpoint import services
from tests import factories

from .helpers import live_case, url

pytestmark = pytest.mark.django_db


def visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def terminated(dm, team, navigator, supervisor):
    case = live_case(dm=dm, team=team, navigator=navigator)
    services.breach_refer(case_id=case.pk, by=navigator, recommendation="Missed sessions")
    services.breach_decide(case_id=case.pk, by=supervisor, decision="terminate", reasons="x")
    return case


def test_a_terminated_case_shows_its_contract_on_the_referral_page(client, supervisor, terminated):
    client.force_login(supervisor)
    text = visible(client.get(url("prosecution-refer", terminated)).content.decode())
    assert "Compliance record" in text
    assert "No contract was made" not in text and "never signed" not in text
    assert "hours verified" in text and "No new offence reported" in text


def test_the_prosecution_file_shows_the_contract_too(client, supervisor, terminated):
    services.prosecution_refer(case_id=terminated.pk, by=supervisor, reason="Contract failed")
    client.force_login(supervisor)
    granted = factories.disclose(client, url("prosecution-file", terminated))
    text = visible(granted.content.decode())
    assert "Prosecution file" in text
    assert "No contract was made" not in text and "hours verified" in text


def test_a_declined_case_says_no_contract_was_made(client, dm, team, supervisor):
    case = factories.eligible_case(dm=dm, team=team)
    services.case_offer(case_id=case.pk, by=dm, now=factories.NOW)
    services.offer_decline(case_id=case.pk, by=dm, reason="Does not want to take part")
    client.force_login(supervisor)
    text = visible(client.get(url("prosecution-refer", case)).content.decode())
    assert "No contract was made" in text
