"""The demo's dates are believable (issue 16, point 10): nothing is dated after the moment the
demo was built (no consent in the future), each case's timeline starts with the case being
opened and runs in order, and nobody is seen on a weekend or a bank holiday (the demo was
found with a session on Christmas Day).

The demo is built as on 8 January 2027, so that the running contracts span Christmas, Boxing
Day (a substitute holiday on Monday 28 December 2026) and New Year's Day."""

from __future__ import annotations

import random
from datetime import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

from checkpoint import dates, roles, selectors
from checkpoint.models import Appointment, Case, CaseState, Contract, HoursLogEntry
from demo import journeys
from demo.directory import ensure_directory
from demo.management.commands import seed_demo
from demo.staff import ensure_staff
from tests.conftest import data_for_the_module

BUILT_AT = datetime(2027, 1, 8, 8, 30, tzinfo=dates.LONDON)  # before the day's 09:00 steps
TODAY = BUILT_AT.date()
S = CaseState


class Soonest(random.Random):
    """Every random span at its lower end: each step as close to today as the demo allows
    (a case opened as late as it may be, its contract started the day after)."""

    def randint(self, a: int, b: int) -> int:
        return a


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    plan = dict.fromkeys(CaseState, 2) | {S.ACTIVE: 10, S.EXITED_NO_CONVICTION: 3}
    with data_for_the_module(django_db_blocker):
        with (
            pytest.MonkeyPatch.context() as patch,
            time_machine.travel(BUILT_AT, tick=False),
            override_settings(DEBUG=True),
        ):
            patch.setattr(journeys, "PLAN", plan)
            call_command("seed_demo", verbosity=0)
            cast = seed_demo.Command()._cast(ensure_staff(), ensure_directory())
            for index, target in enumerate(CaseState, start=1000):
                journeys.Journey(index, target, cast, Soonest(index), TODAY).build()
        yield


@pytest.fixture
def cases(demo, db):
    return list(Case.objects.all())


def test_no_consent_is_dated_after_the_day_the_demo_was_built(cases):
    given = list(
        Contract.objects.exclude(consent_given_on=None).values_list(
            "consent_given_on", "case__arrest__arrested_at"
        )
    )
    assert given, "the demo has contracts with consent"
    for consent_on, arrested_at in given:
        assert dates.local_date(arrested_at) <= consent_on <= TODAY


def _supervisor_of(team_id: int):
    return (
        get_user_model()
        .objects.filter(groups__name=roles.SUPERVISOR, staff_profile__team_id=team_id)
        .order_by("pk")
        .first()
    )


def test_each_timeline_starts_with_the_case_opened_and_nothing_is_in_the_future(cases):
    for case in cases:
        # As the case page shows it, to the case's navigator (or, before one, to the team's
        # supervisor: a decision maker keeps a case they opened for 30 days only).
        viewer = case.navigator or _supervisor_of(case.team_id)
        detail = selectors.case_detail_for(viewer, case.reference)
        timeline = selectors.case_timeline(detail)
        opened = [e for e in timeline if e.title == "Case opened in custody"]
        assert len(opened) == 1, case.reference
        first = min(timeline, key=lambda e: e.at)
        assert opened[0].at == first.at, (case.reference, first.title)
        assert all(e.at <= BUILT_AT for e in timeline), case.reference
        assert case.arrest.arrested_at < opened[0].at, case.reference


def test_nobody_is_seen_on_a_weekend_or_a_bank_holiday(cases):
    days = {dates.local_date(a.starts_at) for a in Appointment.objects.all()}
    assert {d for d in days if d.month in (12, 1)}, "the demo spans Christmas and New Year"
    assert not [d for d in days if d.weekday() >= 5 or dates.bank_holiday(d)]
    worked = set(HoursLogEntry.objects.values_list("worked_on", flat=True))
    assert worked and not [d for d in worked if dates.bank_holiday(d)]
