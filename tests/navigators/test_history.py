"""The change history of case data (issue 7 point 3): who, when, before and after."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from checkpoint import roles, services
from checkpoint.models import AccessLog, Case, HoursLogEntry
from checkpoint.selectors.history import SYSTEM, case_history
from tests import factories


@pytest.fixture
def case(dm, team, navigator):
    start = timezone.now() - timedelta(days=3)
    offence = factories.offence(committed_on=start.date() - timedelta(days=10))
    return factories.active_case(
        dm=dm, team=team, navigator=navigator, now=start, offences=[offence]
    )


@pytest.fixture
def entry(case, navigator):
    return services.hours_log(
        case_id=case.pk,
        by=navigator,
        worked_on=case.contract.starts_on,
        hours=Decimal("2.25"),
        activity="Food bank shift",
        verified=False,
    )


def history_url(case: Case) -> str:
    return reverse("navigators:case-history", args=[case.reference])


def test_every_tracked_write_keeps_a_history_row(case, entry):
    assert case.history.filter(state="active").exists()
    assert case.person.history.filter(history_type="+").count() == 1
    assert case.arrest.offences.get().history.count() == 1  # bulk-created with history
    assert entry.history.get().history_type == "+"


def test_a_change_made_on_a_page_records_who_and_before_and_after(client, case, entry, navigator):
    client.force_login(navigator)
    verify = reverse("navigators:hours-verify", args=[case.reference, entry.pk])
    assert client.post(verify, {"verifier_name": "Sam Reed"}).status_code == 302
    latest = HoursLogEntry.history.filter(id=entry.pk).first()
    assert latest.history_type == "~" and latest.history_user == navigator

    body = client.get(history_url(case)).content.decode()
    assert f"Changed: Hours log entry #{entry.pk}" in body
    assert "Verifier name" in body and "Sam Reed" in body
    assert navigator.get_username() in body or escape(navigator.get_full_name()) in body
    assert AccessLog.objects.filter(page="navigators:case-history", user=navigator).count() == 1


def test_history_shows_state_changes_before_and_after(case):
    changes = [c for e in case_history(case) if e.what == f"Case #{case.pk}" for c in e.changes]
    assert any(
        c.label == "State" and (c.before, c.after) == ("Accepted", "Active") for c in changes
    )


def test_changes_without_a_signed_in_user_are_the_system(case, entry):
    # Services run by the scheduled work (and here, directly) have no request user.
    entries = case_history(case)
    assert entries and all(e.by == SYSTEM for e in entries if e.by_id is None)
    assert any(e.by_id is not None for e in entries)  # bulk inserts name the user given


def test_history_page_is_404_out_of_reach(client, case, dm, team):
    stranger = factories.make_user(roles.NAVIGATOR, team=team, username="other-nav")
    client.force_login(stranger)
    assert client.get(history_url(case)).status_code == 404


def test_history_page_queries_do_not_grow_with_the_history(client, case, navigator):
    client.force_login(navigator)
    client.get(history_url(case))
    with CaptureQueriesContext(connection) as small:
        assert client.get(history_url(case)).status_code == 200
    for day in range(3):
        services.hours_log(
            case_id=case.pk,
            by=navigator,
            worked_on=case.contract.starts_on + timedelta(days=day),
            hours=Decimal(1),
            activity="Gardening",
            verified=True,
        )
        services.note_add(case_id=case.pk, by=navigator, text=f"Note {day}")
    with CaptureQueriesContext(connection) as large:
        assert client.get(history_url(case)).status_code == 200
    assert len(large) == len(small)
