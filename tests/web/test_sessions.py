"""Sessions end after 30 minutes idle and 10 hours signed in, and when the account is disabled."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session

from checkpoint import roles
from checkpoint.models import CaseNote
from tests import factories

START = factories.NOW


@pytest.fixture
def nav(db, team):
    return factories.make_user(roles.NAVIGATOR, team=team, username="session-nav")


def _signed_out(response, client, why: str) -> None:
    assert response.status_code == 302
    assert response.url == "/sign-in/?next=/caseload/"
    page = client.get(response.url)
    assert why in page.content.decode()
    assert client.get("/caseload/").status_code == 302  # still signed out


def test_a_session_idle_for_30_minutes_ends(client, nav):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(nav)
        clock.shift(timedelta(minutes=29))
        assert client.get("/caseload/").status_code == 200  # activity restarts the clock
        clock.shift(timedelta(minutes=29))
        assert client.get("/caseload/").status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get("/caseload/")
        _signed_out(response, client, "You have been signed out because you were inactive")


def test_a_session_ends_10_hours_after_sign_in_however_active(client, nav):
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(nav)
        for _ in range(29):  # 9 h 40 min of steady use
            clock.shift(timedelta(minutes=20))
            assert client.get("/caseload/").status_code == 200
        clock.shift(timedelta(minutes=21))
        response = client.get("/caseload/")
        _signed_out(response, client, "signed in for 10 hours")


def test_the_timeouts_come_from_settings(client, nav, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(nav)
        clock.shift(timedelta(minutes=6))
        response = client.get("/caseload/")
        _signed_out(response, client, "inactive for 5 minutes")


def test_a_form_posted_after_the_timeout_changes_nothing(client, nav, team, dm):
    case = factories.active_case(dm=dm, team=team, navigator=nav, now=START)
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(nav)
        clock.shift(timedelta(minutes=45))
        response = client.post(f"/cases/{case.reference}/notes/new/", {"text": "Late note"})
    assert response.status_code == 302
    assert response.url == "/sign-in/"
    assert not CaseNote.objects.filter(case=case).exists()


def _live_sessions_of(user) -> int:
    return sum(
        1 for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)
    )


def test_disabling_an_account_ends_all_its_sessions_at_once(client, nav, team):
    other = factories.make_user(roles.NAVIGATOR, team=team, username="session-other")
    second_device = type(client)()
    client.force_login(nav)
    second_device.force_login(nav)
    bystander = type(client)()
    bystander.force_login(other)
    assert _live_sessions_of(nav) == 2

    nav.is_active = False
    nav.save()

    assert _live_sessions_of(nav) == 0
    assert _live_sessions_of(other) == 1
    assert client.get("/caseload/").status_code == 302
    assert second_device.get("/caseload/").status_code == 302
    assert bystander.get("/caseload/").status_code == 200
