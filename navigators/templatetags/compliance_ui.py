"""Display helpers for the compliance partials: what the user may do with an event, and the
screen where a task for staff is done (``{% load compliance_ui %}``)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from checkpoint import permissions
from checkpoint.models import ComplianceEvent, ComplianceKind
from checkpoint.permissions import Permission
from web.params import parse_id

register = template.Library()

# The sweep's key for an appointment whose outcome is overdue (checkpoint/services/sweep.py).
MISSED_PREFIX = "missed:appointment:"


@register.filter
def may(user, permission: str) -> bool:
    """Whether the user's role allows ``permission`` (a ``checkpoint.permissions`` name); the
    screen and the service check again."""
    return permissions.allows(user, Permission(permission))


@register.simple_tag
def staff_task_action(event: ComplianceEvent, reference: str) -> dict | None:
    """The link that does a task for staff (recording the outcome it waits for), or None."""
    key = event.dedupe_key or ""
    if event.kind == ComplianceKind.MISSED_APPOINTMENT and key.startswith(MISSED_PREFIX):
        pk = parse_id(key.removeprefix(MISSED_PREFIX))
        if pk is not None:
            url = reverse("navigators:appointment-outcome", args=[reference, pk])
            return {"text": "Record the appointment's outcome", "href": url}
    if event.kind == ComplianceKind.RESTORATIVE_OVERDUE:
        url = reverse("navigators:restorative-outcome", args=[reference])
        return {"text": "Record the restorative outcome", "href": url}
    return None
