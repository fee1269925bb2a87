"""The caseload puts what needs action today first, and says why in its "Needs" column: a
prosecution deadline near, a new acceptance that still needs its contract, an outcome to
record, an open compliance event, hours to verify; then the rest."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from checkpoint import dates, selectors, services
from tests.supervisors.helpers import live_case_to_read


@pytest.fixture
def caseload(db, dm, team, navigator):
    """Six cases of one navigator, built so that each has one reason (or none) to be on top."""
    now = timezone.now()
    calm = [live_case_to_read(dm=dm, team=team, navigator=navigator) for _ in range(2)]
    needs_contract = live_case_to_read(dm=dm, team=team, navigator=navigator, trait="accepted")
    outcome = live_case_to_read(dm=dm, team=team, navigator=navigator)
    services.appointment_schedule(
        case_id=outcome.pk,
        by=navigator,
        kind="navigator",
        starts_at=now - timedelta(days=1),
        now=now - timedelta(days=2),
        confirm=True,
    )
    hours = live_case_to_read(dm=dm, team=team, navigator=navigator)
    services.hours_log(
        case_id=hours.pk,
        by=navigator,
        worked_on=dates.local_date(now) - timedelta(days=1),
        hours=Decimal(3),
        activity="Litter picking",
    )
    # A summary-only offence 170 days ago: its six-month deadline (s.127) is days away.
    deadline = live_case_to_read(
        dm=dm, team=team, navigator=navigator, days_ago=160, code="COMMON-ASSAULT"
    )
    return {
        "calm": calm,
        "needs_contract": needs_contract,
        "outcome": outcome,
        "hours": hours,
        "deadline": deadline,
    }


def _order(body: str) -> list[str]:
    return re.findall(r'href="/cases/(CP-[0-9A-Z-]+)/"', body)


def test_what_needs_action_today_comes_first_with_its_reason(client, navigator, caseload):
    client.force_login(navigator)
    body = client.get(reverse("navigators:caseload")).content.decode()
    order = _order(body)
    position = {key: order.index(caseload[key].reference) for key in caseload if key != "calm"}
    calm = [order.index(c.reference) for c in caseload["calm"]]
    assert position["deadline"] < position["needs_contract"] < position["outcome"]
    assert position["outcome"] < position["hours"] < min(calm), (position, calm)
    for reason in ["Needs a contract", "Outcome to record", "Hours to verify", "Deadline near"]:
        assert reason in body
    assert "Nothing today" in body  # the calm cases
    assert "what needs action today first" in body


def test_the_reasons_come_from_the_selector(navigator, caseload):
    cases = {c.reference: c for c in selectors.caseload_for(navigator, now=timezone.now())}
    urgency = {key: cases[caseload[key].reference].urgency for key in caseload if key != "calm"}
    assert urgency == {"deadline": 0, "needs_contract": 1, "outcome": 2, "hours": 4}
    assert {cases[c.reference].urgency for c in caseload["calm"]} == {9}
    assert cases[caseload["outcome"].reference].outcomes_due == 1
