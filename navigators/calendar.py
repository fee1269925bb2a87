"""A navigator's calendar: the iCalendar (RFC 5545) file of their appointments, and the secret
address their calendar app reads it from (``CalendarFeed``).

A calendar app cannot sign in, so the feed's address carries an unguessable token instead
(``secrets.token_urlsafe(32)``, 256 bits); resetting it replaces the token, and the old address
stops working at once. Whoever holds the address sees what the file holds, so it holds as
little as a diary entry can (DPA 2018 s.37, data minimisation): the kind of appointment, its
time, the participant's initials and the case reference. No name, no address or location, no
offence. The case page it links to needs a signed-in member of staff who may see the case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from icalendar import Calendar, Event  # type: ignore[import-untyped]  # no type hints

from checkpoint.models import Appointment, Person
from checkpoint.selectors.diary import ends_at

from .models import CalendarFeed, new_feed_token

PRODUCT_ID = "-//Checkpoint//Navigator diary//EN"


def initials(person: Person) -> str:
    """The participant as their diary entry names them: the first letter of each part of the
    name ("Siobhán Ní Bhriain" -> "SNB", "Liam O'Shea" -> "LO")."""
    parts = f"{person.given_name} {person.family_name}".replace("-", " ").split()
    return "".join(p[0].upper() for p in parts if p[0].isalpha())


def summary(appointment: Appointment) -> str:
    case = appointment.case
    return f"{appointment.get_kind_display()}: {initials(case.person)} ({case.reference})"


def calendar_file(appointments: Iterable[Appointment], *, now: datetime) -> bytes:
    """The appointments as an iCalendar file (times in UTC), initials and references only."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Checkpoint appointments")
    for appointment in appointments:
        event = Event()
        event.add("uid", _uid(appointment))
        event.add("dtstamp", now)
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", ends_at(appointment))
        event.add("summary", summary(appointment))
        event.add("url", str(settings.SITE_URL) + _case_path(appointment))
        if appointment.outcome:
            event.add("description", f"Outcome: {appointment.get_outcome_display()}")
        calendar.add_component(event)
    return calendar.to_ical()


def _uid(appointment: Appointment) -> str:
    # Stable per appointment (a calendar app updates the event in place), revealing nothing.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:appointment:{appointment.pk}".encode())
    return f"{digest.hexdigest()[:32]}@checkpoint"


def _case_path(appointment: Appointment) -> str:
    return reverse("navigators:case", args=[appointment.case.reference])


def feed_of(user) -> CalendarFeed | None:
    """The user's calendar feed, if they have set one up."""
    return CalendarFeed.objects.filter(user=user).first()


@transaction.atomic
def feed_reset(user) -> CalendarFeed:
    """Give the user a calendar address, or a new one: the old address stops working."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = new_feed_token()
        feed.save(update_fields=["token"])
    return feed


def feed_stop(user) -> None:
    """Stop the user's calendar feed: its address stops working."""
    CalendarFeed.objects.filter(user=user).delete()


def feed_user(token: str):
    """The active member of staff whose feed has this token, or None."""
    feed = (
        CalendarFeed.objects.filter(token=token, user__is_active=True)
        .select_related("user")
        .first()
    )
    return feed.user if feed else None
