"""Render a message from its template in notifications/templates/notifications/.

A template's first line is ``Subject: ...`` (used for email; SMS sends the body only).
Messages to participants and victims never name the offence or say "police" in the SMS
preview beyond what they need: they may be read by someone else.

Message bodies are plain text, not HTML: an SMS or a Notify personalisation value is shown
exactly as written, so the templates are rendered by a Django template engine with
autoescaping off ("Mr Dáithí O'Shea" arrives as typed, not as ``O&#x27;Shea``). None of our
channels is HTML: GOV.UK Notify builds the HTML email itself and escapes what we give it. A
page that shows a body (the admin's outbox) escapes it there, as any text, never in the template.

Participant and victim messages are written in the recipient's language (English or Welsh,
``locale/cy/LC_MESSAGES/django.po``); staff messages are English.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.conf import settings
from django.template.backends.django import DjangoTemplates
from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime

WELSH = "cy"


def language_code(language: str | None) -> str:
    """The Django language to write in for a recorded preference ("en" or "cy")."""
    return WELSH if language == WELSH else settings.LANGUAGE_CODE


@contextmanager
def in_language(language: str | None) -> Iterator[None]:
    """Render participant-facing text in the recorded language: ``with in_language(
    person.preferred_language): ...`` (English, the default, for anything else)."""
    with translation.override(language_code(language)):
        yield


@cache
def text_engine() -> DjangoTemplates:
    """The project's templates, rendered as plain text (no autoescaping, no request)."""
    return DjangoTemplates(
        {
            "NAME": "plain_text",
            "DIRS": [],
            "APP_DIRS": True,
            "OPTIONS": {"autoescape": False},
        }
    )


def _revive(context: dict) -> dict:
    """JSON stores dates as ISO strings; turn them back into dates for |date filters."""
    revived = {}
    for key, value in context.items():
        if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-":
            parsed = parse_datetime(value) or parse_date(value)
            revived[key] = parsed or value
        else:
            revived[key] = value
    return revived


def render(template: str, context: dict, *, language: str | None = None) -> tuple[str, str]:
    """(subject, body) of a message, as plain text, in ``language`` ("cy" for Welsh)."""
    with in_language(language):
        text = text_engine().get_template(f"notifications/{template}.txt").render(_revive(context))
    first, _, rest = text.partition("\n")
    if not first.startswith("Subject: "):
        raise ValueError(f"Template {template} must start with a Subject: line")
    return first.removeprefix("Subject: ").strip(), rest.strip()
