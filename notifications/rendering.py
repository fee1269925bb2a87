"""Render a message from its template in notifications/templates/notifications/.

A template's first line is ``Subject: ...`` (used for email; SMS sends the body only).
Messages to participants and victims never name the offence or say "police" in the SMS
preview beyond what they need: they may be read by someone else.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.dateparse import parse_date, parse_datetime


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


def render(template: str, context: dict) -> tuple[str, str]:
    text = render_to_string(f"notifications/{template}.txt", _revive(context))
    first, _, rest = text.partition("\n")
    if not first.startswith("Subject: "):
        raise ValueError(f"Template {template} must start with a Subject: line")
    return first.removeprefix("Subject: ").strip(), rest.strip()
