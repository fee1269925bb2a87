"""Reads for the reports: aggregate counts from the summary tables, scoped to the user.

Every selector takes the requesting user and refuses users without the reports permission
(analysts and supervisors hold it), so a view cannot forget the check. Each is one
``GROUP BY`` query returning counts, never rows about people: the number of rows returned
depends on the number of groups (months, states, pathways), not on the number of cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from checkpoint import roles
from checkpoint.models import Pathway, ServiceProvider, Team

from .models import CaseFact, FactRefresh, ReferralDimension, ReferralFact, StateStay

REFUSAL = "Reports are for analysts and supervisors."
STAGES = ("assessed", "eligible", "offered", "accepted", "completed")


@dataclass(frozen=True)
class ReportFilters:
    """Cases whose arrest (local date) falls in [start, end], optionally one team's."""

    start: date | None = None
    end: date | None = None
    team_id: int | None = None


def reports_available_to(user) -> bool:
    """Whether ``user`` may see the aggregate reports."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm(roles.VIEW_REPORTS)
    )


def _require(user) -> None:
    if not reports_available_to(user):
        raise PermissionDenied(REFUSAL)


def _filtered(model, user, filters: ReportFilters) -> QuerySet:
    _require(user)
    rows = model.objects.order_by()
    if filters.start:
        rows = rows.filter(arrested_on__gte=filters.start)
    if filters.end:
        rows = rows.filter(arrested_on__lte=filters.end)
    if filters.team_id:
        rows = rows.filter(team_id=filters.team_id)
    return rows


def latest_refresh_for(user) -> FactRefresh | None:
    """When the summary tables were last rebuilt (None: never)."""
    _require(user)
    return FactRefresh.objects.order_by("-refreshed_at", "-pk").first()


def team_list_for(user) -> list[tuple[int, str]]:
    """Teams to filter by, as (id, name)."""
    _require(user)
    return list(Team.objects.order_by("name").values_list("pk", "name"))


def outcome_counts_for(user, filters: ReportFilters) -> list[dict]:
    """Outcomes counted by month decided, kind, accepted or not, and reoffending.

    Rows: ``month`` (first day), ``outcome_kind``, ``accepted``, ``reoffended``, ``n``.
    """
    return list(
        _filtered(CaseFact, user, filters)
        .exclude(outcome_kind="")
        .annotate(month=TruncMonth("decided_on"))
        .values("month", "outcome_kind", "accepted", "reoffended")
        .annotate(n=Count("pk"))
        .order_by("month", "outcome_kind")
    )


def funnel_counts_for(user, filters: ReportFilters, column: str) -> dict[str, dict[str, int]]:
    """For each group of ``column`` (sex, ethnic_group, age_band, veteran_status), how many
    assessed people reached each stage of the funnel."""
    if column not in ("sex", "ethnic_group", "age_band", "veteran_status"):
        raise ValueError(column)
    counts = (
        _filtered(CaseFact, user, filters)
        .filter(assessed=True)
        .values(column)
        .annotate(
            assessed=Count("pk"),
            **{stage: Count("pk", filter=Q(**{stage: True})) for stage in STAGES[1:]},
        )
    )
    return {row[column]: {stage: row[stage] for stage in STAGES} for row in counts}


def stay_histogram_for(user, filters: ReportFilters) -> dict[str, list[tuple[int, int]]]:
    """Per state, (hours, how many cases) pairs: the frequency table of time spent there."""
    rows = (
        _filtered(StateStay, user, filters)
        .values("state", "hours")
        .annotate(n=Count("pk"))
        .values_list("state", "hours", "n")
    )
    histogram: dict[str, list[tuple[int, int]]] = {}
    for state, hours, n in rows:
        histogram.setdefault(state, []).append((hours, n))
    return histogram


@dataclass(frozen=True)
class ReferralCounts:
    """People referred (and who completed a referral) per pathway and per provider."""

    pathways: list[tuple[str, int, int]]  # (name, referred, completed), in display order
    providers: list[tuple[str, int, int]]  # (name, referred, completed), by name


def referral_counts_for(user, filters: ReportFilters) -> ReferralCounts:
    """Counts of people per pathway (every pathway listed) and per provider (those used)."""
    rows = (
        _filtered(ReferralFact, user, filters)
        .values("dimension", "pathway_id", "provider_id")
        .annotate(referred=Count("pk"), completed=Count("pk", filter=Q(completed=True)))
    )
    by_pathway, by_provider = {}, {}
    for row in rows:
        if row["dimension"] == ReferralDimension.PATHWAY:
            by_pathway[row["pathway_id"]] = (row["referred"], row["completed"])
        else:
            by_provider[row["provider_id"]] = (row["referred"], row["completed"])
    pathways = [
        (name, *by_pathway.get(pk, (0, 0)))
        for pk, name in Pathway.objects.order_by("display_order", "name").values_list("pk", "name")
    ]
    providers = [
        (name, *by_provider[pk])
        for pk, name in ServiceProvider.objects.filter(pk__in=list(by_provider))
        .order_by("name")
        .values_list("pk", "name")
    ]
    return ReferralCounts(pathways, providers)
