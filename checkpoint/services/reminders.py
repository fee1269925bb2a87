"""Participants' consent to reminders: they opt in with contact details, and may opt out at
any time (any pending reminders on that channel are cancelled in the same transaction)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from checkpoint.actors import Actor
from checkpoint.models import Person
from checkpoint.permissions import Permission
from notifications import outbox
from notifications.models import Channel

from .common import resolve_now, today_of
from .errors import InvalidInput
from .locking import authorise, lock_case


@transaction.atomic
def reminders_set(
    *, case_id: int, by: Actor, sms: bool, email: bool, now: datetime | None = None
) -> Person:
    """Record which reminder channels the participant agrees to (opt in or out).

    Staff record the participant's choice either way. The participant may opt out themselves
    at any time (DESIGN.md 2); starting a reminder is recorded by staff, who take the consent.
    """
    now = resolve_now(now)
    case = lock_case(case_id, by=by, needs=Permission.OPT_OUT_OF_REMINDERS)
    person = Person.objects.select_for_update().get(pk=case.person_id)
    if (sms and not person.sms_reminders) or (email and not person.email_reminders):
        authorise(by, Permission.SET_REMINDERS)
    if sms and not person.mobile:
        raise InvalidInput("Add a mobile number before choosing SMS reminders", field="sms")
    if email and not person.email:
        raise InvalidInput("Add an email address before choosing email reminders", field="email")
    stopped = [
        c
        for c, was, now_on in (
            (Channel.SMS, person.sms_reminders, sms),
            (Channel.EMAIL, person.email_reminders, email),
        )
        if was and not now_on
    ]
    person.sms_reminders, person.email_reminders = sms, email
    if sms or email:
        person.reminders_consent_on = today_of(now)
    person.save(
        update_fields=["sms_reminders", "email_reminders", "reminders_consent_on", "updated_at"]
    )
    if stopped:
        outbox.cancel_participant_messages(person.pk, stopped)
    if sms or email:
        # Reminders for appointments already booked (those already queued are not repeated).
        for appointment in case.appointments.filter(outcome="", starts_at__gt=now):
            appointment.case = case
            outbox.schedule_appointment_reminders(appointment, now=now)
    return person
