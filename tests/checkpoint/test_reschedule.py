"""Moving an appointment (``appointment_reschedule``): the original kept, marked rescheduled with
the reason and a link to the new one; the new one booked under the booking rules. Dates are
fixed: the contract starts on Monday 2 March 2026."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from checkpoint import services
from checkpoint.models import Appointment, Person
from checkpoint.services import InvalidInput, NeedsConfirmation, TransitionBlocked
from notifications.models import Message
from tests import factories

LONDON = factories.LONDON
NOW = factories.NOW


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def case(dm, team, navigator):
    case = factories.active_case(dm=dm, team=team, navigator=navigator, now=NOW)
    Person.objects.filter(pk=case.person_id).update(mobile="07700 900123", sms_reminders=True)
    return case


def _book(case, navigator, when):
    return services.appointment_schedule(
        case_id=case.pk, by=navigator, kind="navigator", starts_at=when, now=NOW
    )


def test_a_moved_appointment_is_kept_with_why_and_the_new_one_gets_the_reminders(case, navigator):
    old = _book(case, navigator, at(date(2026, 3, 10)))
    moved = services.appointment_reschedule(
        appointment_id=old.pk,
        by=navigator,
        starts_at=at(date(2026, 3, 12), 14),
        reason="Participant at a job interview",
        now=NOW,
    )
    old.refresh_from_db()
    assert (old.outcome, old.outcome_notes) == ("rescheduled", "Participant at a job interview")
    assert old.rescheduled_to == moved.rescheduled_to
    assert old.rescheduled_to.starts_at == at(date(2026, 3, 12), 14)
    pending = Message.objects.filter(status="pending")
    assert set(pending.values_list("appointment_id", flat=True)) == {old.rescheduled_to.pk}
    assert Appointment.objects.filter(case=case).count() == 2  # nothing deleted


def test_moving_needs_a_reason_and_a_pending_appointment(case, navigator):
    old = _book(case, navigator, at(date(2026, 3, 10)))
    with pytest.raises(InvalidInput, match="Enter why the appointment is moved"):
        services.appointment_reschedule(
            appointment_id=old.pk,
            by=navigator,
            starts_at=at(date(2026, 3, 12)),
            reason=" ",
            now=NOW,
        )
    services.appointment_cancel(appointment_id=old.pk, by=navigator, reason="Booked twice")
    with pytest.raises(TransitionBlocked, match="cancelled"):
        services.appointment_reschedule(
            appointment_id=old.pk,
            by=navigator,
            starts_at=at(date(2026, 3, 12)),
            reason="Moved",
            now=NOW,
        )


def test_moving_an_appointment_a_little_is_no_clash_with_itself(case, navigator):
    old = _book(case, navigator, at(date(2026, 3, 10)))
    services.appointment_reschedule(
        appointment_id=old.pk,
        by=navigator,
        starts_at=at(date(2026, 3, 10), 10, 30),
        reason="Half an hour later",
        now=NOW,
    )


def test_moving_onto_another_appointment_or_a_bank_holiday_asks_to_confirm(case, navigator):
    other = _book(case, navigator, at(date(2026, 3, 12), 14))
    old = _book(case, navigator, at(date(2026, 3, 10)))
    with pytest.raises(NeedsConfirmation) as warned:
        services.appointment_reschedule(
            appointment_id=old.pk,
            by=navigator,
            starts_at=at(date(2026, 3, 12), 14, 30),
            reason="Moved",
            now=NOW,
        )
    assert warned.value.warnings == [
        f"It clashes with the participant's {other} ({case.reference})."
    ]
    old.refresh_from_db()
    assert old.outcome == ""  # nothing saved
    with pytest.raises(NeedsConfirmation, match="Check before you save"):
        services.appointment_reschedule(
            appointment_id=old.pk,
            by=navigator,
            starts_at=at(date(2026, 4, 3)),
            reason="Moved",
            now=NOW,
        )
    services.appointment_reschedule(
        appointment_id=old.pk,
        by=navigator,
        starts_at=at(date(2026, 4, 3)),
        reason="Moved",
        confirm=True,
        now=NOW,
    )
