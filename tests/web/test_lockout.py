"""Repeated failed sign-ins lock out the username from that address (django-axes), and are
logged; passwords must be strong."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from checkpoint import roles
from tests import factories

PASSWORD = factories.PASSWORD


@pytest.fixture
def nav(db, team):
    user = factories.make_user(roles.NAVIGATOR, team=team, username="lock-nav")
    user.set_password(PASSWORD)
    user.save()
    return user


def _sign_in(client, password, address="10.0.0.1", username="lock-nav"):
    # As the sign-in page's form sends it (the page refuses multipart bodies).
    body = urlencode({"username": username, "password": password})
    return client.post(
        "/sign-in/", body, content_type="application/x-www-form-urlencoded", REMOTE_ADDR=address
    )


def test_five_failures_lock_the_username_from_that_address(password_only_client, nav, settings):
    client = password_only_client
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = _sign_in(client, "wrong-password-123")
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()
    locked = _sign_in(client, "wrong-password-123")
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "You cannot sign in for now" in body
    assert "try again in 30 minutes" in body
    assert "govuk-template" in body
    # Even the right password is refused while locked out.
    assert _sign_in(client, PASSWORD).status_code == 429
    assert AccessFailureLog.objects.filter(username="lock-nav").count() >= 5


def test_the_lockout_is_for_the_username_and_address_together(password_only_client, nav):
    for _ in range(5):
        _sign_in(password_only_client, "wrong-password-123", address="10.0.0.1")
    assert _sign_in(password_only_client, PASSWORD, address="10.0.0.1").status_code == 429
    # The same person from another address is not locked out by someone else's guessing.
    assert _sign_in(password_only_client, PASSWORD, address="10.0.0.2").status_code == 302


def test_the_lockout_ends_after_the_cool_off(password_only_client, nav):
    with time_machine.travel(factories.NOW, tick=False) as clock:
        for _ in range(5):
            _sign_in(password_only_client, "wrong-password-123")
        assert _sign_in(password_only_client, PASSWORD).status_code == 429
        clock.shift(timedelta(minutes=31))
        assert _sign_in(password_only_client, PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(password_only_client, nav):
    for _ in range(3):
        _sign_in(password_only_client, "wrong-password-123")
    assert _sign_in(password_only_client, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="lock-nav").exists()


@pytest.mark.parametrize(
    "password",
    ["Short-pass1", "password1234", "123456789012345", "lock-nav-2026"],
)
def test_weak_passwords_are_refused(nav, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=nav)


def test_a_long_uncommon_password_is_accepted(nav):
    validate_password("Tuesday-lantern-orbit-47", user=nav)
