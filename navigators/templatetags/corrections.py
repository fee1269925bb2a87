"""Which correction links a case's lists show the signed-in user (``checkpoint.permissions``:
the services refuse anyway; this only keeps a link away from someone it would refuse)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from checkpoint import permissions
from checkpoint.models import Case
from checkpoint.permissions import Permission
from checkpoint.services.common import SCHEDULABLE_STATES
from checkpoint.text import display_name

register = template.Library()


@register.simple_tag(takes_context=True)
def correction_rights(context, case: Case) -> dict[str, bool]:
    """``records``: correct or withdraw hours, notes, referrals and the restorative outcome
    (once the case is closed, a supervisor only); ``contact``: change contact details;
    ``appointments``: cancel or move an appointment that has not happened."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"records": False, "contact": False, "appointments": False}
    records = permissions.allows(user, Permission.CORRECT_RECORD)
    if case.is_terminal:
        records = records and permissions.allows(user, Permission.CORRECT_CLOSED_RECORD)
    return {
        "records": records,
        "contact": permissions.allows(user, Permission.UPDATE_CONTACT_DETAILS),
        "appointments": case.state in SCHEDULABLE_STATES
        and permissions.allows(user, Permission.SUPERVISE_CONTRACT),
    }


@register.filter
def staff_name(user) -> str:
    """A member of staff as the case page names them (full name, else username)."""
    return display_name(user)


@register.filter
def withdrawn_as(record) -> str:
    """ "Corrected" for an entry replaced by a correction, "Withdrawn" for one withdrawn,
    "" for a current one (``replaced_by``: set by the case page's selector)."""
    if getattr(record, "withdrawn_at", None) is None:
        return ""
    return "Corrected" if getattr(record, "replaced_by", None) else "Withdrawn"


@register.simple_tag(takes_context=True)
def contact_details_url(context, case: Case, back: str = "") -> str:
    """The contact details page of ``case`` ("" when the user may not change them); ``back``:
    the page to return to after saving ("reminders")."""
    if not correction_rights(context, case)["contact"]:
        return ""
    url = reverse("navigators:contact-details", args=[case.reference])
    return f"{url}?from={back}" if back else url
