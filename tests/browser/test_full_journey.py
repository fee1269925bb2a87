"""The whole process in a real browser, only by clicking and typing.

A decision maker opens a case in custody, records the eligibility assessment, decides the
person is eligible and records the offer and its acceptance. The navigator then assesses the
person's needs, builds and signs the contract, books an appointment, records that the person
attended and logs verified community hours. Each step is a screenshot in
test-artifacts/screenshots/test_full_journey_from_custody_to_community_hours/.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from checkpoint.models import Appointment, Case, HoursLogEntry
from tests import factories
from tests.browser.steps import (
    PROVIDER,
    dm_takes_the_case_to_acceptance,
    navigator_books_an_appointment,
    navigator_logs_hours,
    navigator_makes_the_contract,
    navigator_records_the_outcome,
)


def navigator_records_attendance(page, reference: str) -> None:
    # The only data shortcut in this test: an outcome can only be recorded once the
    # appointment has started, so move tomorrow's appointment an hour into the past.
    # (The journeys in test_journeys_*.py move the clock instead.)
    appointment = Appointment.objects.get(case__reference=reference)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() - timedelta(hours=1)
    )
    page.reload()
    navigator_records_the_outcome(page, "Attended")


def assert_final_state(reference: str, today, navigator) -> None:
    case = Case.objects.select_related("contract").get(reference=reference)
    assert case.state == "active"
    assert case.contract.starts_on == today
    assert case.contract.ends_on == case.contract.starts_on + relativedelta(months=4)
    (appointment,) = Appointment.objects.filter(case=case)
    assert appointment.outcome == "attended"
    (entry,) = HoursLogEntry.objects.filter(community_condition__contract__case=case)
    assert entry.hours == Decimal(3)
    assert entry.verified_by == navigator and entry.verified_at is not None
    history = list(case.transitions.values_list("from_state", "to_state"))
    assert history == [
        ("assessment", "eligible"),
        ("eligible", "offered"),
        ("offered", "accepted"),
        ("accepted", "active"),
    ]


@pytest.mark.slow(23)
def test_full_journey_from_custody_to_community_hours(page, people):
    factories.ServiceProviderFactory(name=PROVIDER, pathways=["drugs"])
    today = timezone.localdate()

    reference = dm_takes_the_case_to_acceptance(page, today, people["navigator"].get_full_name())
    navigator_makes_the_contract(page, today)

    navigator_books_an_appointment(page, today + timedelta(days=1))
    navigator_records_attendance(page, reference)
    navigator_logs_hours(page, today, 3, verified_total=3)

    assert_final_state(reference, today, people["navigator"])
