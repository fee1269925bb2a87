"""Reads for the needs assessment screen: the pathways, the latest assessment, and the services
the directory suggests for the needs found (DESIGN.md 1.1 stage 3 and 3, service directory).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias, TypedDict

from django.db.models import Prefetch

from checkpoint import access
from checkpoint.models import (
    Case,
    NeedItem,
    NeedLevel,
    NeedsAssessment,
    Pathway,
    ServiceProvider,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Items(TypedDict):
    item_list: list[NeedItem]


# An assessment with its items prefetched (``Prefetch(to_attr="item_list")``).
AssessmentWithItems: TypeAlias = "WithAnnotations[NeedsAssessment, _Items]"

# A need at these levels suggests services; "No need" does not.
SUGGEST_LEVELS = (NeedLevel.HIGH, NeedLevel.MEDIUM, NeedLevel.LOW)


@dataclass(frozen=True)
class Suggestion:
    """Services in the directory for one pathway with a need."""

    item: NeedItem
    providers: list[ServiceProvider] = field(default_factory=list)


@dataclass(frozen=True)
class NeedsSummary:
    assessment: NeedsAssessment | None
    suggestions: list[Suggestion]


def pathway_list() -> list[Pathway]:
    """Every pathway (needs domain), in display order. Reference data, not personal."""
    return list(Pathway.objects.order_by("display_order", "name"))


def needs_assessment_latest_for(user, case: Case) -> AssessmentWithItems | None:
    """The latest needs assessment of a case the user can reach, with its items."""
    reachable = access.cases_visible_to(user, Case.objects.filter(pk=case.pk))
    return (
        NeedsAssessment.objects.filter(case__in=reachable)
        .select_related("assessed_by")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=NeedItem.objects.select_related("pathway").order_by(
                    "pathway__display_order", "pathway__name"
                ),
                to_attr="item_list",
            )
        )
        .order_by("-assessed_on", "-created_at", "-pk")
        .first()
    )


def providers_suited_to(person):
    """Active providers this person can use: women-only provision only for women, and
    veteran-specific provision only for veterans (both flagged on screen)."""
    providers = ServiceProvider.objects.active()
    if not person.is_woman:
        providers = providers.exclude(women_only=True)
    if not person.is_veteran:
        providers = providers.exclude(veteran_specific=True)
    return providers


def needs_summary_for(user, case: Case) -> NeedsSummary:
    """The latest assessment and, for each pathway with a need, the services to suggest.

    Highest needs first. Three queries whatever the size of the directory.
    """
    assessment = needs_assessment_latest_for(user, case)
    if assessment is None:
        return NeedsSummary(assessment=None, suggestions=[])
    needed = [item for item in assessment.item_list if item.level in SUGGEST_LEVELS]
    needed.sort(key=lambda item: SUGGEST_LEVELS.index(item.level))
    providers = list(
        providers_suited_to(case.person)
        .filter(pathways__in=[item.pathway_id for item in needed])
        .distinct()
        .prefetch_related("pathways")
        .order_by("name")
    )
    suggestions = [
        Suggestion(
            item=item,
            providers=[p for p in providers if item.pathway in p.pathways.all()],
        )
        for item in needed
    ]
    return NeedsSummary(assessment=assessment, suggestions=suggestions)
