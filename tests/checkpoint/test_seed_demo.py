"""seed_demo builds every state, every role and a directory, and is idempotent."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError

from checkpoint import roles
from checkpoint.demo import journeys
from checkpoint.demo.staff import ACCOUNTS, DEMO_PASSWORD
from checkpoint.models import Case, CaseState, CaseTransition, ServiceProvider


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
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None, username
    assert roles.has_role(
        authenticate(username="supervisor", password=DEMO_PASSWORD), roles.SUPERVISOR
    )
    assert ServiceProvider.objects.filter(women_only=True).exists()
    assert ServiceProvider.objects.filter(veteran_specific=True).exists()
    counts = (Case.objects.count(), CaseTransition.objects.count())
    call_command("seed_demo")
    assert (Case.objects.count(), CaseTransition.objects.count()) == counts


def test_seed_demo_refuses_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
