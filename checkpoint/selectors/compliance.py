"""Reads for the compliance screens: one event to resolve or withdraw, and re-arrest matches.

Each selector takes the requesting user and scopes through ``checkpoint.access``: a record of a
case out of the user's reach is reported as not found (``RecordNotFound``), like the case.
"""

from __future__ import annotations

from django.db.models import QuerySet

from checkpoint import access
from checkpoint.errors import RecordNotFound
from checkpoint.models import Case, ComplianceEvent, MatchStatus, RearrestMatch


def _visible_case_ids(user) -> QuerySet:
    return access.cases_visible_to(user).values("pk")


def compliance_event_get_for(user, case: Case, event_id: int) -> ComplianceEvent:
    """One compliance event of ``case``, or ``RecordNotFound`` when it is another case's."""
    try:
        return ComplianceEvent.objects.select_related("raised_by", "resolved_by").get(
            pk=event_id, case=case, case__in=_visible_case_ids(user)
        )
    except ComplianceEvent.DoesNotExist:
        raise RecordNotFound("Compliance event") from None


def _with_arrest(queryset: QuerySet) -> QuerySet:
    return queryset.select_related(
        "new_case__person", "new_case__arrest", "decided_by"
    ).prefetch_related("new_case__arrest__offences__offence_type")


def rearrest_get_for(user, case: Case, match_id: int) -> RearrestMatch:
    """One re-arrest match on the active ``case``, with the new arrest's person and offences.

    The navigator of the active case sees who custody arrested (name, date of birth, PNC ID,
    offence) to decide whether it is their participant, although the custody case itself is
    out of their reach."""
    try:
        return _with_arrest(RearrestMatch.objects.all()).get(
            pk=match_id, active_case=case, active_case__in=_visible_case_ids(user)
        )
    except RearrestMatch.DoesNotExist:
        raise RecordNotFound("Re-arrest") from None


def rearrest_pending_for(user, case: Case) -> list[RearrestMatch]:
    """The re-arrest matches of the active ``case`` awaiting the navigator, newest first."""
    return list(
        _with_arrest(
            RearrestMatch.objects.filter(
                active_case=case,
                active_case__in=_visible_case_ids(user),
                status=MatchStatus.PENDING,
            )
        )
    )


def rearrest_kinds_for_new_case(user, case: Case) -> list[str]:
    """How the newly opened ``case``'s person matched someone on a running contract (one
    kind per match), for custody's confirmation; nothing about the active case itself."""
    return list(
        RearrestMatch.objects.filter(new_case=case, new_case__in=_visible_case_ids(user))
        .order_by("kind")
        .values_list("kind", flat=True)
    )


def team_rearrests_pending_for(user) -> list[RearrestMatch]:
    """The supervisor's team's re-arrest matches awaiting a navigator, oldest first."""
    return list(
        RearrestMatch.objects.filter(
            active_case__in=access.team_cases_for(user).values("pk"),
            status=MatchStatus.PENDING,
        )
        .select_related("active_case__person", "active_case__navigator", "new_case")
        .order_by("found_at", "pk")
    )
