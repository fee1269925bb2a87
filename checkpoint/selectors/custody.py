"""Reads for the decision maker's custody screens.

Every selector takes the requesting user: case reads are scoped with ``checkpoint.access``;
reference data (the offence catalogue, teams) needs no scoping but keeps the same signature so
a screen never reads anything except through a selector.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from checkpoint import access, roles
from checkpoint.models import (
    AssessmentRule,
    Case,
    EligibilityAssessment,
    Offence,
    OffenceType,
    Team,
)
from checkpoint.selectors.search import CaseQuery, filter_cases


def custody_list_for(user, *, states=None, search: CaseQuery | str = "") -> QuerySet:
    """Custody-stage cases ``user`` can see, newest arrest first, with the offences shown,
    narrowed by a search (``checkpoint.selectors.search``).

    ``has_assessment`` tells the list whether the next step is the assessment or the decision.
    A fixed number of queries per page, whatever the number of cases.
    """
    wanted = [str(s) for s in (states or access.CUSTODY_STATES)]
    cases = access.cases_visible_to(user).filter(state__in=wanted)
    return (
        filter_cases(cases, search)
        .select_related("person", "arrest", "team", "scheme_version")
        .annotate(has_assessment=Exists(EligibilityAssessment.objects.filter(case=OuterRef("pk"))))
        .prefetch_related(
            Prefetch(
                "arrest__offences",
                to_attr="offence_list",
                queryset=Offence.objects.select_related("offence_type"),
            )
        )
        .order_by("-arrest__arrested_at", "-pk")
    )


def offence_types_for(user) -> QuerySet:
    """The offence catalogue, for the offence picker."""
    return OffenceType.objects.order_by("title", "code")


def teams_for(user) -> QuerySet:
    """The navigator teams a new case can be given to."""
    return Team.objects.order_by("name")


def navigators_for_case(user, case: Case) -> QuerySet:
    """Active users with the navigator role in the case's team (for allocation at acceptance)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=roles.NAVIGATOR,
            staff_profile__team_id=case.team_id,
        )
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


def case_offences(user, case: Case) -> list[Offence]:
    """The offences of a case the user can see, with their catalogue entries."""
    return list(
        Offence.objects.filter(
            arrest__case__in=access.cases_visible_to(user).filter(pk=case.pk)
        ).select_related("offence_type")
    )


def latest_assessment_for(user, case: Case) -> EligibilityAssessment | None:
    """The case's latest eligibility assessment with its rules, or None if none is recorded."""
    return (
        EligibilityAssessment.objects.filter(
            case__in=access.cases_visible_to(user).filter(pk=case.pk)
        )
        .select_related("scheme_version__scheme", "assessed_by")
        .prefetch_related(
            Prefetch(
                "rules",
                to_attr="rule_list",
                queryset=AssessmentRule.objects.select_related("overridden_by").order_by(
                    "position"
                ),
            )
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def case_visible_to(user, case: Case) -> bool:
    """Whether ``user`` can still see the case (a decision can move it out of their reach)."""
    return access.can_see_case(user, case)
