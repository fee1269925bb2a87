"""Reads for the supervisor's screens: the team dashboard, the team's cases, review pages.

Every read is scoped to the supervisor's own team through ``checkpoint.access`` and runs in a
fixed number of queries whatever the size of the team or of the database (the team filter is
served by the ``case_team_state_idx`` index, so other teams' cases are never scanned).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from checkpoint import access, dates, roles
from checkpoint.models import (
    SUPERVISED_STATES,
    UNRESOLVED_STATES,
    Appointment,
    BreachReview,
    Case,
    CaseState,
    ComplianceEvent,
    Team,
)
from checkpoint.selectors.search import CaseQuery, filter_cases

# States a supervisor's team works in, in the order the dashboard lists them.
DASHBOARD_STATES = [
    CaseState.ASSESSMENT,
    CaseState.ELIGIBLE,
    CaseState.OFFERED,
    CaseState.ACCEPTED,
    CaseState.ACTIVE,
    CaseState.BREACH_REVIEW,
    CaseState.COMPLETION_REVIEW,
    CaseState.WITHDRAWN,
    CaseState.TERMINATED,
    CaseState.DECLINED,
    CaseState.EXITED_NO_CONVICTION,
    CaseState.PROSECUTION_REFERRED,
    CaseState.INELIGIBLE,
]


@dataclass
class TeamDashboard:
    team: Team | None
    today: date
    state_counts: list[tuple[CaseState, int]] = field(default_factory=list)
    breaches: list[Case] = field(default_factory=list)
    completions: list[Case] = field(default_factory=list)
    deadlines: list[Case] = field(default_factory=list)
    workloads: list = field(default_factory=list)
    unallocated: list[Case] = field(default_factory=list)
    unallocated_alert_hours: int = 0


def team_dashboard_for(user, *, now: datetime) -> TeamDashboard:
    """The supervisor's dashboard, in seven queries whatever the team's size."""
    today = dates.local_date(now)
    team_id = access.supervised_team_id(user)
    board = TeamDashboard(team=None, today=today)
    if team_id is None:
        return board
    board.team = Team.objects.get(pk=team_id)
    cases = access.team_cases_for(user)
    counts = dict(cases.order_by().values_list("state").annotate(n=Count("pk")))
    board.state_counts = [(s, counts[s]) for s in DASHBOARD_STATES if counts.get(s)]
    board.breaches = list(_open_breaches(cases))
    board.completions = list(
        cases.filter(state=CaseState.COMPLETION_REVIEW)
        .select_related("person", "navigator", "contract")
        .order_by("contract__ends_on", "reference")
    )
    board.deadlines = list(
        cases.in_states(UNRESOLVED_STATES)
        .deadline_near(today)
        .select_related("person", "navigator", "scheme_version")
        .order_by("prosecution_deadline", "reference")
    )
    for case in board.deadlines:
        case.deadline = case.deadline_status(today)
    board.workloads = list(navigator_workloads(team_id, now=now))
    from .allocation import unallocated_cases_for  # it builds on this module

    board.unallocated = unallocated_cases_for(user, now=now)
    board.unallocated_alert_hours = settings.UNALLOCATED_ALERT_HOURS
    return board


def _open_breaches(cases: QuerySet) -> QuerySet:
    review = BreachReview.objects.filter(case=OuterRef("pk"), decision="")
    return (
        cases.filter(state=CaseState.BREACH_REVIEW)
        .select_related("person", "navigator")
        .annotate(
            referred_at=Subquery(review.values("referred_at")[:1]),
            recommendation=Subquery(review.values("recommendation")[:1]),
        )
        .order_by(F("referred_at").asc(nulls_first=True), "reference")
    )


def navigator_workloads(team_id: int, *, now: datetime) -> QuerySet:
    """The team's navigators with their supervised cases, overdue outcomes and open events."""
    user_model = get_user_model()
    mine = Q(case__navigator=OuterRef("pk"))
    return (
        user_model.objects.filter(
            staff_profile__team_id=team_id, groups__name=roles.NAVIGATOR, is_active=True
        )
        .annotate(
            supervised=_count_of(
                Case.objects.filter(navigator=OuterRef("pk"), state__in=list(SUPERVISED_STATES))
            ),
            overdue=_count_of(
                Appointment.objects.filter(mine, outcome="", starts_at__lt=now).filter(
                    case__state__in=list(SUPERVISED_STATES)
                )
            ),
            open_events=_count_of(
                ComplianceEvent.objects.filter(mine, resolved_at__isnull=True).filter(
                    case__state__in=list(SUPERVISED_STATES)
                )
            ),
        )
        .order_by("-supervised", "last_name", "first_name", "username")
    )


def _count_of(queryset: QuerySet) -> Coalesce:
    """``SELECT count(*)`` of a correlated queryset, as an annotation."""
    counted = (
        queryset.order_by()
        .annotate(one=Value(1, output_field=IntegerField()))
        .values("one")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), Value(0))


def team_case_list_for(
    user, *, state: str = "", navigator_id: int | None = None, search: CaseQuery | str = ""
) -> QuerySet:
    """The team's cases for the team list, filtered by state, navigator and a search
    (``checkpoint.selectors.search``)."""
    queryset = access.team_cases_for(user).select_related("person", "navigator", "scheme_version")
    queryset = filter_cases(queryset, search)
    if state:
        queryset = queryset.filter(state=state)
    if navigator_id:
        queryset = queryset.filter(navigator_id=navigator_id)
    return queryset.order_by(Coalesce("prosecution_deadline", Value(date.max)), "reference")


def team_navigators_for(user) -> QuerySet:
    """The navigators of the supervisor's team (for filters)."""
    team_id = access.supervised_team_id(user)
    if team_id is None:  # not a supervisor of a team: nobody (not the navigators without one)
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(
            staff_profile__team_id=team_id, groups__name=roles.NAVIGATOR, is_active=True
        )
        .order_by("first_name", "last_name", "username")
    )


def count_attendance(case: Case) -> None:
    """Set ``referral.attended`` on each of the case's referrals, from its appointments.

    Works on the lists ``case_detail_for`` prefetched, so it costs no query.
    """
    attended: dict[int, int] = {}
    for appointment in case.appointment_list:
        if appointment.referral_id and appointment.outcome == "attended":
            attended[appointment.referral_id] = attended.get(appointment.referral_id, 0) + 1
    for referral in case.referral_list:
        referral.attended = attended.get(referral.pk, 0)
