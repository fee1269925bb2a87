"""The transactional outbox (DESIGN.md section 2; issue 5 points 4 and 5).

Messages are rows written in the same transaction as their cause, then delivered by a worker
through the fake GOV.UK Notify gateway (``FakeNotifyGateway``, which records ``FakeDelivery``
rows and can be told to fail). Delivery is driven with an explicit ``now``.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from time_machine import travel

from checkpoint import roles, services
from checkpoint.actors import SYSTEM
from checkpoint.models import Appointment, RestorativePreference
from checkpoint.services.digest import staff_digest
from checkpoint.services.reminders import reminders_set
from checkpoint.tasks import staff_digest_task
from notifications import outbox
from notifications.gateway import (
    FakeNotifyGateway,
    GovNotifyGateway,
    PermanentDeliveryError,
    Receipt,
    TransientDeliveryError,
)
from notifications.models import Audience, Channel, FakeDelivery, Message, Status
from notifications.rendering import render
from notifications.tasks import deliver_outbox_task, reconcile_outbox_task
from tests import factories

from .helpers import Rollback, deliveries_by_reference, london, run_together

pytestmark = pytest.mark.django_db

START = factories.NOW  # Monday 2 March 2026, 10:00
MOBILE = "07700 900982"
EMAIL = "sam@example.org"
APPOINTMENT_AT = london(2026, 3, 5, 10)  # Thursday, three days after START


@pytest.fixture(autouse=True)
def no_real_notify(settings):
    settings.NOTIFY_API_KEY = ""  # never GOV.UK Notify from the tests


def participant_case(*, dm, team, navigator, sms=True, email=False):
    # A surname of its own: a generated one can be a word of the message ("Day" in Thursday),
    # and the test below looks for the surname in it.
    person = factories.PersonFactory(
        given_name="Sam", family_name="Ó Súilleabháin", mobile=MOBILE, email=EMAIL
    )
    case = factories.active_case(dm=dm, team=team, navigator=navigator, person=person)
    if sms or email:
        reminders_set(case_id=case.pk, by=navigator, sms=sms, email=email, now=START)
    return case


@pytest.fixture
def case(dm, team, navigator):
    return participant_case(dm=dm, team=team, navigator=navigator)


def book(case, navigator, starts_at=APPOINTMENT_AT, *, now=START) -> Appointment:
    return services.appointment_schedule(
        confirm=True,
        case_id=case.pk,
        by=navigator,
        kind="navigator",
        starts_at=starts_at,
        location="Aykley Heads",
        now=now,
    )


def reminders(appointment) -> list[tuple]:
    return sorted(
        Message.objects.filter(appointment=appointment).values_list(
            "dedupe_key", "channel", "recipient", "send_after", "status"
        )
    )


def staff_message(key: str, *, due=START, recipient="duty@example.police.uk") -> Message:
    outbox.enqueue(
        key=key,
        channel=Channel.EMAIL,
        audience=Audience.STAFF,
        recipient=recipient,
        template="deadline_alert",
        context={
            "reference": "CP-TEST-0001",
            "days_left": 7,
            "deadline": "2026-07-15",
            "state": "Active",
            "url": "http://testserver/cases/CP-TEST-0001/",
        },
        send_after=due,
    )
    return Message.objects.get(dedupe_key=key)


def status_of(message: Message) -> Message:
    message.refresh_from_db()
    return message


# --- Writing reminders with their cause -----------------------------------------------------
def test_booking_writes_48h_and_2h_reminders(case, navigator):
    appointment = book(case, navigator)

    assert reminders(appointment) == [
        (f"reminder:2h:appointment:{appointment.pk}:sms", "sms", MOBILE, london(2026, 3, 5, 8),
         "pending"),
        (f"reminder:48h:appointment:{appointment.pk}:sms", "sms", MOBILE,
         london(2026, 3, 3, 10), "pending"),
    ]  # fmt: skip
    message = Message.objects.filter(appointment=appointment).first()
    assert (message.audience, message.person_id, message.case_id) == (
        Audience.PARTICIPANT,
        case.person_id,
        case.pk,
    )
    assert message.next_attempt_at == message.send_after


def test_reminders_roll_back_with_the_booking(case, navigator):
    with pytest.raises(Rollback), transaction.atomic():
        book(case, navigator)
        assert Message.objects.count() == 2  # written inside the booking's transaction
        raise Rollback  # e.g. the view's transaction fails after the service returned

    assert Appointment.objects.count() == 0
    assert Message.objects.count() == 0


def test_booking_within_48_hours_writes_only_the_2h_reminder(case, navigator):
    appointment = book(case, navigator, START + timedelta(hours=24))
    assert [key.split(":")[1] for key, *_ in reminders(appointment)] == ["2h"]


def test_booking_within_2_hours_writes_none(case, navigator):
    appointment = book(case, navigator, START + timedelta(hours=1, minutes=59))
    assert reminders(appointment) == []


def test_no_consent_no_reminders(dm, team, navigator):
    case = participant_case(dm=dm, team=team, navigator=navigator, sms=False)
    assert reminders(book(case, navigator)) == []


def test_both_channels_with_consent_to_both(dm, team, navigator):
    case = participant_case(dm=dm, team=team, navigator=navigator, sms=True, email=True)
    rows = reminders(book(case, navigator))
    assert sorted((channel, recipient) for _k, channel, recipient, *_ in rows) == [
        ("email", EMAIL),
        ("email", EMAIL),
        ("sms", MOBILE),
        ("sms", MOBILE),
    ]


def test_consent_needs_contact_details(dm, team, navigator):
    person = factories.PersonFactory(mobile="", email="")
    case = factories.active_case(dm=dm, team=team, navigator=navigator, person=person)
    with pytest.raises(services.InvalidInput, match="Add a mobile number"):
        reminders_set(case_id=case.pk, by=navigator, sms=True, email=False, now=START)


def test_rescheduling_cancels_the_old_reminders_and_writes_new_ones(case, navigator):
    old = book(case, navigator)
    outbox.deliver_due(now=london(2026, 3, 3, 10, 1))  # the 48 h reminder has gone
    moved_to = london(2026, 3, 12, 14)

    services.appointment_record_outcome(
        appointment_id=old.pk,
        by=navigator,
        outcome="rescheduled",
        rescheduled_to=moved_to,
        now=london(2026, 3, 4, 9),
    )

    assert [status for *_, status in reminders(old)] == [Status.CANCELLED, Status.SENT]
    assert Message.objects.get(appointment=old, status=Status.CANCELLED).last_error == (
        "Appointment changed"
    )
    new = Appointment.objects.get(pk=Appointment.objects.get(pk=old.pk).rescheduled_to_id)
    assert [(send_after, status) for *_, send_after, status in reminders(new)] == [
        (london(2026, 3, 12, 12), Status.PENDING),
        (london(2026, 3, 10, 14), Status.PENDING),
    ]
    outbox.deliver_due(now=london(2026, 3, 12, 13))
    assert FakeDelivery.objects.count() == 3  # old 48 h, new 48 h and 2 h; never old 2 h


def test_opting_out_cancels_pending_reminders(case, navigator):
    appointment = book(case, navigator)

    reminders_set(case_id=case.pk, by=navigator, sms=False, email=False, now=START)

    assert {status for *_, status in reminders(appointment)} == {Status.CANCELLED}
    assert set(Message.objects.values_list("last_error", flat=True)) == {"Participant opted out"}
    assert outbox.deliver_due(now=london(2026, 3, 6)) == {
        "sent": 0,
        "retry": 0,
        "failed": 0,
        "cancelled": 0,
    }
    assert reminders(book(case, navigator, london(2026, 3, 9, 10))) == []


def test_opting_out_of_one_channel_keeps_the_other(dm, team, navigator):
    case = participant_case(dm=dm, team=team, navigator=navigator, sms=True, email=True)
    appointment = book(case, navigator)
    reminders_set(case_id=case.pk, by=navigator, sms=False, email=True, now=START)
    statuses = {(channel, status) for _k, channel, _r, _s, status in reminders(appointment)}
    assert statuses == {("sms", Status.CANCELLED), ("email", Status.PENDING)}


@pytest.mark.parametrize(
    "change",
    [
        {"sms_reminders": False},  # consent withdrawn outside the service (e.g. the admin)
        {"mobile": "07700 900123", "sms_reminders": True},  # the number changed
    ],
)
def test_message_without_consent_at_delivery_is_cancelled_not_sent(case, navigator, change):
    appointment = book(case, navigator)
    type(case.person).objects.filter(pk=case.person_id).update(**change)

    counts = outbox.deliver_due(now=london(2026, 3, 6))

    assert counts["cancelled"] == 2 and counts["sent"] == 0
    assert {status for *_, status in reminders(appointment)} == {Status.CANCELLED}
    assert set(Message.objects.values_list("last_error", flat=True)) == {
        "No consent for this channel now"
    }
    assert FakeDelivery.objects.count() == 0


def test_reminder_for_an_appointment_already_started_is_dropped_not_sent(case, navigator):
    # Issue 16 point 9: a worker down over the appointment (or a fresh start) must not send
    # "your appointment on Thursday" on Friday; the row says why it was not sent.
    appointment = book(case, navigator)

    counts = outbox.deliver_due(now=APPOINTMENT_AT + timedelta(minutes=1))

    assert counts == {"sent": 0, "retry": 0, "failed": 0, "cancelled": 2}
    assert {status for *_, status in reminders(appointment)} == {Status.CANCELLED}
    assert set(Message.objects.values_list("last_error", flat=True)) == {outbox.STALE_STARTED}
    assert FakeDelivery.objects.count() == 0


def test_only_the_reminders_still_ahead_of_the_appointment_are_sent(case, navigator):
    appointment = book(case, navigator)
    outbox.deliver_due(now=london(2026, 3, 5, 9))  # both due, the appointment one hour away

    assert {status for *_, status in reminders(appointment)} == {Status.SENT}


def test_reminder_for_a_cancelled_appointment_is_never_sent(case, navigator):
    appointment = book(case, navigator)
    # Cancelled behind the outbox's back (the service also cancels the rows; this is the
    # delivery-time guard for a row it missed).
    Appointment.objects.filter(pk=appointment.pk).update(
        cancelled_at=START, cancelled_by=navigator, cancel_reason="Participant in hospital"
    )

    outbox.deliver_due(now=london(2026, 3, 5, 9))

    assert set(Message.objects.values_list("last_error", flat=True)) == {outbox.STALE_CANCELLED}
    assert FakeDelivery.objects.count() == 0


# --- Delivery -------------------------------------------------------------------------------
def test_deliver_due_sends_only_due_messages_and_records_the_provider(case, navigator):
    appointment = book(case, navigator)
    moment = london(2026, 3, 3, 10, 1)

    assert outbox.deliver_due(now=moment)["sent"] == 1

    sent = Message.objects.get(appointment=appointment, status=Status.SENT)
    assert sent.dedupe_key.startswith("reminder:48h:")
    delivery = FakeDelivery.objects.get()
    assert (sent.provider_id, sent.provider_status, sent.sent_at, sent.attempts) == (
        delivery.provider_id,
        "delivered",
        moment,
        1,
    )
    assert (delivery.reference, delivery.channel, delivery.recipient) == (
        f"checkpoint-message-{sent.pk}",
        "sms",
        MOBILE,
    )
    assert delivery.body == (
        "Hello Sam, this is a reminder of your appointment on Thursday 5 March at 10:00, "
        "Aykley Heads. If you cannot attend, call your navigator on 0191 375 2000 before "
        "then. To stop these reminders, tell your navigator."
    )
    # An SMS may be read by someone else: no offence, no surname, no "police".
    offence = case.arrest.offences.get().offence_type.title
    for secret in (offence, "offence", "police", case.person.family_name, case.reference):
        assert secret.lower() not in (delivery.subject + delivery.body).lower(), secret
    pending = Message.objects.get(appointment=appointment, status=Status.PENDING)
    assert pending.dedupe_key.startswith("reminder:2h:") and pending.attempts == 0


def test_transient_failures_retry_with_backoff_then_give_up(fake_notify):
    message = staff_message("test:backoff")
    fake_notify.fail_next(len(outbox.BACKOFF) + 1)
    moment = START

    for attempt, step in enumerate(outbox.BACKOFF, start=1):
        assert outbox.deliver_due(now=moment)["retry"] == 1
        message = status_of(message)
        assert (message.status, message.attempts) == (Status.PENDING, attempt)
        assert message.next_attempt_at == moment + step
        assert message.last_error == "Fake Notify was told to fail"
        # Not retried before its time.
        assert not any(outbox.deliver_due(now=moment + step - timedelta(seconds=1)).values())
        moment += step

    assert outbox.deliver_due(now=moment)["failed"] == 1
    message = status_of(message)
    assert message.status == Status.FAILED
    assert message.attempts == len(outbox.BACKOFF) + 1
    assert message.last_error == "Gave up after retries: Fake Notify was told to fail"
    assert FakeDelivery.objects.count() == 0

    # An operator retries it (admin action): it goes on the next run.
    assert outbox.retry_failed([message.pk], now=moment) == 1
    assert outbox.deliver_due(now=moment)["sent"] == 1
    assert deliveries_by_reference() == {message.reference: 1}


def test_one_transient_failure_then_success(fake_notify):
    message = staff_message("test:blip")
    fake_notify.fail_next()
    outbox.deliver_due(now=START)
    assert outbox.deliver_due(now=START + timedelta(seconds=59))["sent"] == 0
    assert outbox.deliver_due(now=START + timedelta(minutes=1))["sent"] == 1
    message = status_of(message)
    assert (message.status, message.attempts, message.last_error) == (Status.SENT, 2, "")


def test_permanent_failure_fails_at_once_with_the_reason(fake_notify):
    message = staff_message("test:permanent")
    fake_notify.fail_next(permanent=True)

    assert outbox.deliver_due(now=START)["failed"] == 1

    message = status_of(message)
    assert (message.status, message.attempts) == (Status.FAILED, 1)
    assert message.last_error == "Fake Notify was told to fail"
    assert not any(outbox.deliver_due(now=START + timedelta(days=1)).values())


def test_delivering_twice_sends_once(case, navigator):
    book(case, navigator)
    later = london(2026, 3, 5, 9)  # both reminders due, the appointment not yet started
    first = outbox.deliver_due(now=later)
    second = outbox.deliver_due(now=later)
    assert (first["sent"], second["sent"]) == (2, 0)
    assert set(deliveries_by_reference().values()) == {1}


def test_celery_task_delivered_twice_sends_once(case, navigator):
    book(case, navigator)
    with travel(london(2026, 3, 5, 9), tick=False):
        assert deliver_outbox_task() == {"sent": 2, "retry": 0, "failed": 0, "cancelled": 0}
        assert not any(deliver_outbox_task().values())
    assert FakeDelivery.objects.count() == 2
    assert set(Message.objects.values_list("status", flat=True)) == {Status.SENT}


def test_task_delivers_in_batches_until_none_are_due():
    for i in range(5):
        staff_message(f"test:batch:{i}")
    real = outbox.deliver_due
    with mock.patch.object(
        outbox, "deliver_due", side_effect=lambda *, now: real(now=now, limit=2)
    ) as spy:
        assert deliver_outbox_task()["sent"] == 5
    assert spy.call_count == 4  # 2 + 2 + 1, then one that finds nothing


def test_worker_killed_mid_batch_loses_nothing_and_duplicates_nothing():
    messages = [staff_message(f"test:crash:{i}") for i in range(4)]
    gateway = FakeNotifyGateway()

    # The worker claims all four, sends two, then is killed before recording either.
    claimed = outbox._claim(START, limit=10)
    assert sorted(claimed) == sorted(m.pk for m in messages)
    for message in messages[:2]:
        gateway.send(
            channel=message.channel,
            to=message.recipient,
            subject="s",
            body="b",
            reference=message.reference,
        )

    # A new worker does not touch rows another may still be sending...
    assert not any(outbox.deliver_due(now=START + timedelta(minutes=5)).values())
    assert outbox.reconcile_stuck(now=START + timedelta(minutes=9)) == {"sent": 0, "requeued": 0}
    # ...until they are stuck: those the provider has are marked sent, the rest requeued.
    later = START + timedelta(minutes=11)
    assert outbox.reconcile_stuck(now=later) == {"sent": 2, "requeued": 2}
    assert outbox.deliver_due(now=later)["sent"] == 2

    assert deliveries_by_reference() == {m.reference: 1 for m in messages}
    for message in messages:
        message = status_of(message)
        assert message.status == Status.SENT
        assert FakeDelivery.objects.filter(
            reference=message.reference, provider_id=message.provider_id
        ).exists()


def test_reconcile_task_recovers_stuck_messages():
    staff_message("test:stuck")
    outbox._claim(START, limit=10)
    with travel(START + timedelta(minutes=11), tick=False):
        assert reconcile_outbox_task() == {"sent": 0, "requeued": 1}
        assert deliver_outbox_task()["sent"] == 1


class AcceptedThenTimedOut(FakeNotifyGateway):
    """Notify accepted the message but the response never arrived (a read timeout): the
    official client raises HTTPError 503 for a ReadTimeout, which the gateway classes as
    transient."""

    def send(self, **kwargs) -> Receipt:
        super().send(**kwargs)
        raise TransientDeliveryError("Request failed: read timed out")


def test_timeout_after_the_provider_accepted_does_not_send_twice():
    message = staff_message("test:timeout")
    outbox.deliver_due(now=START, gateway=AcceptedThenTimedOut())
    outbox.deliver_due(now=START + timedelta(minutes=1))
    assert status_of(message).status == Status.SENT
    assert deliveries_by_reference() == {message.reference: 1}


def test_retry_asks_the_provider_and_records_what_it_already_has():
    message = staff_message("test:timeout-recorded")
    outbox.deliver_due(now=START, gateway=AcceptedThenTimedOut())
    assert outbox.deliver_due(now=START + timedelta(minutes=1))["sent"] == 1
    message = status_of(message)
    delivery = FakeDelivery.objects.get(reference=message.reference)
    assert (message.provider_id, message.attempts) == (delivery.provider_id, 2)


class NotifyUnsure(FakeNotifyGateway):
    """The first send is accepted but times out; the next lookup times out too; sends work."""

    lookups = 0

    def send(self, **kwargs) -> Receipt:
        if not FakeDelivery.objects.filter(reference=kwargs["reference"]).exists():
            super().send(**kwargs)
            raise TransientDeliveryError("Request failed: read timed out")
        return super().send(**kwargs)

    def find(self, reference):
        NotifyUnsure.lookups += 1
        if NotifyUnsure.lookups == 1:
            raise TransientDeliveryError("Request failed: read timed out")
        return super().find(reference)


def test_retry_when_the_provider_cannot_say_whether_it_has_the_message_waits():
    message = staff_message("test:unsure")
    gateway = NotifyUnsure()
    outbox.deliver_due(now=START, gateway=gateway)  # accepted, but timed out
    outbox.deliver_due(now=START + timedelta(minutes=1), gateway=gateway)  # lookup times out
    outbox.deliver_due(now=START + timedelta(minutes=10), gateway=gateway)
    assert status_of(message).status == Status.SENT
    assert deliveries_by_reference() == {message.reference: 1}


# --- Two workers at once --------------------------------------------------------------------
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_delivering_at_once_send_each_message_once():
    messages = [staff_message(f"test:race:{i}", recipient=f"s{i}@example.org") for i in range(30)]

    def worker():
        totals = {"sent": 0, "retry": 0, "failed": 0, "cancelled": 0}
        while True:
            counts = outbox.deliver_due(now=START, limit=4)
            if not any(counts.values()):
                return totals
            for key, value in counts.items():
                totals[key] += value

    results = run_together({"worker-1": worker, "worker-2": worker, "worker-3": worker})

    assert sum(r.value["sent"] for r in results.values()) == 30
    assert deliveries_by_reference() == {m.reference: 1 for m in messages}
    assert set(Message.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}


# --- Victims kept informed ------------------------------------------------------------------
def test_victims_who_asked_are_told_at_contract_and_outcome(dm, team, navigator, supervisor):
    # A name no other text could contain, so "the participant is not named" can be checked.
    person = factories.PersonFactory(given_name="Zephyrine", family_name="Quillfeather")
    case = factories.accepted_case(dm=dm, team=team, navigator=navigator, person=person)

    def wishes(name, *, keep_informed, **contact):
        return services.victim_wishes_record(
            case_id=case.pk,
            by=navigator,
            name=name,
            restorative_preference=RestorativePreference.LETTER,
            keep_informed=keep_informed,
            now=START,
            **contact,
        )

    by_email = wishes("Corner Shop Ltd", keep_informed=True, email="manager@shop.example")
    by_sms = wishes("Alex Jones", keep_informed=True, mobile="07700 900555")
    wishes("Pat Smith", keep_informed=False, email="pat@example.org")

    factories.build_contract(case, navigator=navigator)
    services.contract_sign(case_id=case.pk, by=navigator, starts_on=START.date(), now=START)

    signed = Message.objects.filter(template="victim_contract_signed")
    # Both sides sorted: the keys hold primary keys, which sort as text ("wishes:10" first).
    assert sorted(signed.values_list("dedupe_key", "channel", "recipient", "audience")) == sorted(
        [
            (
                f"victim:contract_signed:wishes:{by_email.pk}",
                "email",
                "manager@shop.example",
                "victim",
            ),
            (f"victim:contract_signed:wishes:{by_sms.pk}", "sms", "07700 900555", "victim"),
        ]
    )

    end = london(2026, 7, 2, 12)
    factories.complete_conditions(case, navigator=navigator, now=end)
    services.completion_review_begin(case_id=case.pk, by=SYSTEM, now=end)
    services.completion_sign_off(case_id=case.pk, by=supervisor, reason="All met", now=end)

    outcome = Message.objects.filter(template="victim_outcome")
    assert sorted(outcome.values_list("recipient", flat=True)) == [
        "07700 900555",
        "manager@shop.example",
    ]
    assert not Message.objects.filter(recipient="pat@example.org").exists()

    outbox.deliver_due(now=end)
    assert (
        "runs until 2 July 2026"
        in FakeDelivery.objects.get(recipient="manager@shop.example", body__contains="agreed").body
    )
    assert FakeDelivery.objects.count() == 4
    for body in FakeDelivery.objects.values_list("body", flat=True):
        assert case.person.given_name not in body and case.person.family_name not in body
    assert FakeDelivery.objects.filter(body__contains="ended without a prosecution").count() == 2


def test_a_victims_latest_wishes_decide_and_one_address_is_told_once(
    dm, team, navigator, supervisor
):
    """Wishes recorded again replace the earlier ones for that victim: one message per address
    per event, and none to a victim who has since asked not to be kept informed."""
    case = factories.accepted_case(dm=dm, team=team, navigator=navigator)

    def wishes(name, *, keep_informed, **contact):
        return services.victim_wishes_record(
            case_id=case.pk,
            by=navigator,
            name=name,
            restorative_preference=RestorativePreference.LETTER,
            keep_informed=keep_informed,
            now=START,
            **contact,
        )

    wishes("Alex Jones", keep_informed=True, mobile="07700 900555")
    corrected = wishes("alex  JONES", keep_informed=True, mobile="07700 900556")
    wishes("Pat Smith", keep_informed=True, email="pat@example.org")
    wishes("Pat Smith", keep_informed=False)  # changed their mind
    shop = wishes("Corner Shop Ltd", keep_informed=True, email="owner@example.org")
    owner = wishes("Sam Owner", keep_informed=True, email="OWNER@example.org")  # same address

    factories.build_contract(case, navigator=navigator)
    services.contract_sign(case_id=case.pk, by=navigator, starts_on=START.date(), now=START)

    signed = Message.objects.filter(template="victim_contract_signed")
    # Both sides sorted: the keys hold primary keys, which sort as text ("wishes:10" before
    # "wishes:7"), so a fixed order on the right failed whenever the ids reached two digits.
    assert sorted(signed.values_list("dedupe_key", "recipient")) == sorted(
        [
            (f"victim:contract_signed:wishes:{corrected.pk}", "07700 900556"),
            (f"victim:contract_signed:wishes:{shop.pk}", "owner@example.org"),
        ]
    )
    assert not signed.filter(dedupe_key__endswith=f":{owner.pk}").exists()


def test_victim_told_of_a_prosecution_referral(dm, team, navigator, supervisor):
    case = factories.accepted_case(dm=dm, team=team, navigator=navigator)
    services.victim_wishes_record(
        case_id=case.pk,
        by=navigator,
        name="Corner Shop Ltd",
        restorative_preference=RestorativePreference.LETTER,
        keep_informed=True,
        email="manager@shop.example",
        now=START,
    )
    factories.build_contract(case, navigator=navigator)
    services.contract_sign(case_id=case.pk, by=navigator, starts_on=START.date(), now=START)
    later = START + timedelta(days=30)
    services.case_withdraw(case_id=case.pk, by=navigator, reason="Moved away", now=later)
    services.prosecution_refer(case_id=case.pk, by=supervisor, reason="Withdrew", now=later)

    message = Message.objects.get(template="victim_outcome")
    assert message.context["outcome"] == "prosecution_referred"
    _subject, body = render(message.template, message.context)
    assert "referred for prosecution" in body


# --- Staff morning digest -------------------------------------------------------------------
def test_staff_digest_is_one_message_per_navigator_per_day(dm, team, navigator, supervisor):
    second = factories.make_user(roles.NAVIGATOR, team=team, username="nav2")
    silent = factories.make_user(roles.NAVIGATOR, team=team, username="nav3")
    silent.email = ""
    silent.save()
    case = participant_case(dm=dm, team=team, navigator=navigator, sms=False)
    book(case, navigator, london(2026, 3, 3, 14, 30))  # today's appointment
    book(case, navigator, london(2026, 3, 2, 15))  # yesterday's, no outcome: overdue
    morning = london(2026, 3, 3, 7)

    staff_digest(by=SYSTEM, now=morning)
    staff_digest(by=SYSTEM, now=morning + timedelta(hours=2))  # a second run the same day

    digests = Message.objects.filter(template="staff_digest")
    assert sorted(digests.values_list("recipient", flat=True)) == sorted(
        [navigator.email, second.email]
    )  # navigators only, with an email; supervisors are not sent the digest
    mine = digests.get(user=navigator)
    assert mine.dedupe_key == f"digest:user:{navigator.pk}:2026-03-03"
    subject, body = render(mine.template, mine.context)
    assert subject == "Checkpoint: your day, Tuesday 3 March"
    assert f"- 14:30 {case.reference} navigator" in body
    assert f"- {case.reference}: appointment outcome to record" in body

    staff_digest(by=SYSTEM, now=morning + timedelta(days=1))
    assert digests.count() == 4


def test_staff_digest_task_runs_once_per_day(navigator):
    with travel(london(2026, 3, 3, 7), tick=False):
        staff_digest_task()
        staff_digest_task()
    assert Message.objects.filter(template="staff_digest").count() == 1


# --- GOV.UK Notify gateway: error classification --------------------------------------------
def notify_gateway(**kwargs) -> GovNotifyGateway:
    key = f"checkpoint-{uuid.uuid4()}-{uuid.uuid4()}"
    return GovNotifyGateway(
        api_key=key, sms_template_id=str(uuid.uuid4()), email_template_id=str(uuid.uuid4()),
        **kwargs,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("status", "error"),
    [(400, PermanentDeliveryError), (403, PermanentDeliveryError), (429, TransientDeliveryError),
     (500, TransientDeliveryError), (503, TransientDeliveryError)],
)  # fmt: skip
def test_notify_errors_are_classified(status, error):
    from notifications_python_client.errors import HTTPError

    response = mock.Mock(status_code=status)
    response.json.return_value = {"errors": [{"message": "phone_number Not a UK mobile"}]}
    gateway = notify_gateway()
    with (
        mock.patch.object(gateway.client, "send_sms_notification", side_effect=HTTPError(response)),
        pytest.raises(error),
    ):
        gateway.send(channel="sms", to=MOBILE, subject="s", body="b", reference="r")


def test_notify_that_hangs_is_a_transient_error_within_the_timeout(hung_server):
    import time

    gateway = notify_gateway(timeout=0.5)
    gateway.client.base_url = f"http://127.0.0.1:{hung_server}"
    started = time.monotonic()
    with pytest.raises(TransientDeliveryError):
        gateway.send(channel="email", to=EMAIL, subject="s", body="b", reference="r")
    assert time.monotonic() - started < 3


def test_notify_receives_our_reference_and_the_rendered_text():
    gateway = notify_gateway()
    with mock.patch.object(
        gateway.client, "send_email_notification", return_value={"id": "abc"}
    ) as send:
        receipt = gateway.send(
            channel="email", to=EMAIL, subject="Subj", body="Body", reference="checkpoint-1"
        )
    assert receipt == Receipt("abc", "created")
    assert send.call_args.kwargs["personalisation"] == {"subject": "Subj", "body": "Body"}
    assert send.call_args.kwargs["reference"] == "checkpoint-1"
