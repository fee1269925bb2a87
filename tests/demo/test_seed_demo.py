"""seed_demo builds every state, every role and a directory, and is idempotent."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from checkpoint import roles
from checkpoint.models import Case, CaseState, CaseTransition, ServiceProvider
from demo import journeys
from demo.staff import ACCOUNTS, DEMO_PASSWORD, demo_totp_key


def _authenticate(username):
    # django-axes needs the request to count failures by address.
    request = RequestFactory().post("/sign-in/")
    return authenticate(request, username=username, password=DEMO_PASSWORD)


@pytest.fixture
def small_plan(monkeypatch):
    """One case per state keeps the test quick; the full plan is the same code, ~300 times."""
    monkeypatch.setattr(journeys, "PLAN", dict.fromkeys(CaseState, 2))


def test_seed_demo_covers_every_state_and_role_and_is_idempotent(db, small_plan, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    states = set(Case.objects.values_list("state", flat=True))
    assert states == set(CaseState.values)
    for username, *_rest in ACCOUNTS:
        assert _authenticate(username) is not None, username
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        assert device.key == demo_totp_key()
    assert roles.has_role(_authenticate("supervisor"), roles.SUPERVISOR)
    assert ServiceProvider.objects.filter(women_only=True).exists()
    assert ServiceProvider.objects.filter(veteran_specific=True).exists()
    counts = (Case.objects.count(), CaseTransition.objects.count())
    call_command("seed_demo")
    assert (Case.objects.count(), CaseTransition.objects.count()) == counts


def test_seed_demo_refuses_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")


def test_demo_code_prints_the_code_the_demo_accounts_accept(db, settings, capsys):
    settings.DEBUG = True
    call_command("demo_code")
    code = capsys.readouterr().out.split()[0]
    device = TOTPDevice.objects.create(
        user=_demo_user(), name="Demo authenticator", key=demo_totp_key(), confirmed=True
    )
    assert device.verify_token(code)


def test_demo_code_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo_code")


def _demo_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("demo-code-user", password=DEMO_PASSWORD)
