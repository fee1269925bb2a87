"""Reads for the supervisor's allocation and handover screens (DESIGN.md 1.2: a
supervisor allocates within the team).

Every read is scoped to the team the user supervises (``checkpoint.access``): a case or a
navigator of another team is simply not found.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import F, OuterRef, QuerySet, Subquery

from checkpoint import access
from checkpoint.models import Case, CaseTransition
from checkpoint.services.allocation import ALLOCATABLE_STATES
from checkpoint.text import has_hidden_characters

from .team import _count_of, navigator_workloads

REFERENCE_MAX_LENGTH = Case._meta.get_field("reference").max_length or 20


def allocation_navigators_for(user, *, now: datetime, case: Case | None = None) -> list:
    """The navigators of the supervisor's team (or of ``case``'s team, the case having come
    from a user-scoped selector), each with their workload: ``open_cases`` (every case accepted
    and not yet closed) besides ``navigator_workloads``' counts; by name."""
    team_id = case.team_id if case is not None else access.supervised_team_id(user)
    if team_id is None:
        return []
    open_cases = Case.objects.filter(navigator=OuterRef("pk"), state__in=sorted(ALLOCATABLE_STATES))
    navigators = navigator_workloads(team_id, now=now).annotate(open_cases=_count_of(open_cases))
    return list(navigators.order_by("first_name", "last_name", "username"))


def _with_accepted_at(cases: QuerySet) -> QuerySet:
    accepted = CaseTransition.objects.filter(case=OuterRef("pk"), transition="accept_offer")
    return cases.annotate(accepted_at=Subquery(accepted.order_by("-at").values("at")[:1]))


def unallocated_cases_for(user, *, now: datetime) -> list[Case]:
    """The team's open cases with no navigator, longest waiting first (for the dashboard);
    ``waited_too_long`` on each accepted more than ``UNALLOCATED_ALERT_HOURS`` ago (the
    supervisors have been alerted by email: ``services.unallocated_alerts``)."""
    cases = access.team_cases_for(user).filter(
        navigator__isnull=True, state__in=sorted(ALLOCATABLE_STATES)
    )
    waiting = _with_accepted_at(cases.select_related("person"))
    found: list[Any] = list(  # Cases, with the annotation and the flag
        waiting.order_by(F("accepted_at").asc(nulls_first=True), "reference")
    )
    since = now - timedelta(hours=settings.UNALLOCATED_ALERT_HOURS)
    for case in found:
        case.waited_too_long = case.accepted_at is not None and case.accepted_at < since
    return found


def allocatable_cases_for(user, references: Iterable[str]) -> list[Case]:
    """Those of ``references`` that are the team's open cases (any other is left out)."""
    # A value no reference could be (NUL, which PostgreSQL refuses in a query; control
    # characters; longer than a reference) names no case.
    wanted = sorted(
        {
            r.strip().upper()
            for r in references
            if r.strip() and len(r) <= REFERENCE_MAX_LENGTH and not has_hidden_characters(r)
        }
    )
    if not wanted:
        return []
    cases = access.team_cases_for(user).filter(
        reference__in=wanted, state__in=sorted(ALLOCATABLE_STATES)
    )
    return list(cases.select_related("person", "navigator").order_by("reference"))


def team_open_cases_for(user, *, navigator_id: int | None = None) -> QuerySet:
    """The team's open cases, unallocated first, then by navigator and reference (the list the
    supervisor picks cases from to allocate or reallocate)."""
    cases = access.team_cases_for(user).filter(state__in=sorted(ALLOCATABLE_STATES))
    if navigator_id:
        cases = cases.filter(navigator_id=navigator_id)
    return cases.select_related("person", "navigator").order_by(
        F("navigator__first_name").asc(nulls_first=True), "navigator__last_name", "reference"
    )


def handover_caseload_for(user, navigator_id: int) -> tuple[User, list[Case]] | None:
    """A navigator of the supervisor's team and their open cases (None: not of the team)."""
    team_id = access.supervised_team_id(user)
    if team_id is None:
        return None
    navigator = (
        User.objects.filter(pk=navigator_id, staff_profile__team_id=team_id)
        .select_related("staff_profile")
        .first()
    )
    if navigator is None:
        return None
    cases = Case.objects.filter(navigator=navigator, state__in=sorted(ALLOCATABLE_STATES))
    return navigator, list(cases.select_related("person").order_by("reference"))
