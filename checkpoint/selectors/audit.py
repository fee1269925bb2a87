"""Reads for the administrator's audit screens: retention reviews and the logs' search.

Administrators only (the Administrator role, ``roles.AUDIT``, or a superuser): these screens
span every team. Anyone else is refused before anything is read.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from checkpoint import roles
from checkpoint.models import (
    AccessLog,
    Case,
    DisclosureLog,
    Person,
    RefusalAlert,
    RefusalLog,
    RetentionReview,
    ReviewStatus,
)
from checkpoint.text import search_key

REFUSAL = "Only an administrator can use the audit screens."


def require_administrator(user) -> None:
    if not (user.is_authenticated and user.is_active and user.has_perm(roles.AUDIT)):
        raise PermissionDenied(REFUSAL)


def retention_pending_for(user) -> QuerySet:
    """Cases listed by the retention review and awaiting an administrator's decision."""
    require_administrator(user)
    return (
        RetentionReview.objects.filter(status=ReviewStatus.PENDING)
        .select_related("case")
        .order_by("due_on", "pk")
    )


LOG_KINDS = {
    "access": "Consultations (page views)",
    "disclosure": "Disclosures",
    "history": "Changes to people and cases",
    "refusal": "Refusals (pages refused to staff)",
    "refusal_alert": "Refusal alerts (bursts)",
}


def _people_matching(text: str) -> list[int]:
    terms = text.split()
    if len(terms) == 1 and terms[0].upper().startswith(("CP-", "ERASED-")):
        return list(
            Case.objects.filter(reference__iexact=terms[0]).values_list("person_id", flat=True)
        )
    # Accent- and case-insensitive on every database: "Ni Bhriain" finds "Ní Bhriain", through
    # the folded name each person is saved with (Person.search_name, checkpoint.text.search_key).
    people = Person.objects.all()
    for term in search_key(text).split():
        people = people.filter(search_name__contains=term)
    return list(people.values_list("pk", flat=True)[:500])


def log_search_for(
    user, *, kind: str, person: str = "", username: str = "", start=None, end=None
) -> QuerySet:
    """One log, filtered by person (name or case reference), user and date range (inclusive,
    local dates), newest first. Administrators only."""
    require_administrator(user)
    if kind == "history":
        return _history_search(person=person, username=username, start=start, end=end)
    if kind in ("refusal", "refusal_alert"):
        return _refusal_search(kind, person=person, username=username, start=start, end=end)
    model, at = (DisclosureLog, "at") if kind == "disclosure" else (AccessLog, "at")
    rows = model.objects.select_related("user", "person", "case")
    if person:
        rows = rows.filter(person_id__in=_people_matching(person))
    if username:
        rows = rows.filter(user__username__iexact=username.strip())
    return _in_range(rows, at, start, end).order_by(f"-{at}", "-pk")


def _in_range(rows: QuerySet, at: str, start, end) -> QuerySet:
    if start:
        rows = rows.filter(**{f"{at}__date__gte": start})
    if end:
        rows = rows.filter(**{f"{at}__date__lte": end})
    return rows


def _history_search(*, person: str, username: str, start, end) -> QuerySet:
    """Changes to the case rows (state, navigator, team...) of the matching people."""
    rows = Case.history.select_related("history_user")
    if person:
        rows = rows.filter(person_id__in=_people_matching(person))
    if username:
        rows = rows.filter(history_user__username__iexact=username.strip())
    return _in_range(rows, "history_date", start, end).order_by("-history_date", "-history_id")


def _refusal_search(kind: str, *, person: str, username: str, start, end) -> QuerySet:
    """The security log (``checkpoint.services.refusals``): refusals, or the burst alerts.

    A refusal is found by the case reference asked for (even one no case has) or by the person
    of the case it named; an alert names no case, so a person search finds none."""
    rows: QuerySet
    if kind == "refusal_alert":
        rows = RefusalAlert.objects.select_related("user")
        if person:
            rows = rows.none()
        at = "raised_at"
    else:
        rows = RefusalLog.objects.select_related("user", "case")
        if person:
            rows = rows.filter(
                Q(case_reference__iexact=person.strip())
                | Q(case__person_id__in=_people_matching(person))
            )
        at = "at"
    if username:
        rows = rows.filter(user__username__iexact=username.strip())
    return _in_range(rows, at, start, end).order_by(f"-{at}", "-pk")
