"""Reminder consent on the case: opt in (with contact details) and out at any time."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from checkpoint import services
from notifications.models import Message, Status
from tests import factories


def _active_case(dm, team, navigator, **person):
    now = timezone.now() - timedelta(days=3)
    person = factories.PersonFactory(**person)
    offence = factories.offence(committed_on=now.date() - timedelta(days=10))
    case = factories.active_case(
        dm=dm, team=team, navigator=navigator, now=now, person=person, offences=[offence]
    )
    return case


def _book(case, navigator):
    return services.appointment_schedule(
        confirm=True,
        case_id=case.pk,
        by=navigator,
        kind="navigator",
        starts_at=timezone.now() + timedelta(days=5),
    )


def test_opting_out_cancels_pending_reminders(client, dm, team, navigator):
    case = _active_case(dm, team, navigator, mobile="07700 900123", sms_reminders=True)
    _book(case, navigator)
    assert Message.objects.filter(status=Status.PENDING).count() == 2  # 48 h and 2 h
    client.force_login(navigator)
    response = client.post(reverse("navigators:reminders", args=[case.reference]), {})
    assert response.status_code == 302
    case.person.refresh_from_db()
    assert not case.person.sms_reminders
    assert set(Message.objects.values_list("status", flat=True)) == {Status.CANCELLED}


def test_opting_in_schedules_reminders_for_booked_appointments(client, dm, team, navigator):
    case = _active_case(dm, team, navigator, email="p@example.org")
    _book(case, navigator)
    assert not Message.objects.exists()  # no consent yet
    client.force_login(navigator)
    client.post(reverse("navigators:reminders", args=[case.reference]), {"email": "on"})
    assert Message.objects.filter(channel="email", status=Status.PENDING).count() == 2


def test_sms_without_a_mobile_is_refused_with_a_message(client, dm, team, navigator):
    case = _active_case(dm, team, navigator, mobile="")
    client.force_login(navigator)
    response = client.post(reverse("navigators:reminders", args=[case.reference]), {"sms": "on"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Add a mobile number before choosing SMS reminders" in body
    assert 'name="sms" id="id_sms" value="on" checked' in body  # the choice is kept
