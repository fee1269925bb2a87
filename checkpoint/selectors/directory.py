"""Reads for the service directory: local providers by pathway (DESIGN.md section 3).

The directory holds no personal data, but it is a staff tool: navigators, supervisors and
decision makers use it to refer well. Analysts see aggregate reports only.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from checkpoint import roles
from checkpoint.models import Pathway, ServiceProvider

DIRECTORY_ROLES = (roles.NAVIGATOR, roles.SUPERVISOR, roles.DECISION_MAKER)


def directory_available_to(user) -> bool:
    """Whether ``user`` may browse the directory (administrators keep it, so they may too)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or any(roles.has_role(user, role) for role in DIRECTORY_ROLES)


def pathway_list() -> list[Pathway]:
    """The pathways, in display order (reference data, the same for every user)."""
    return list(Pathway.objects.all())


def provider_list_for(
    user,
    *,
    pathway: str = "",
    search: str = "",
    women_only: bool = False,
    veteran_specific: bool = False,
) -> QuerySet:
    """Active providers matching the filters, by name; none for users without access.

    ``pathway`` is a pathway code; every word of ``search`` must appear in the name or
    the description.
    """
    if not directory_available_to(user):
        return ServiceProvider.objects.none()
    providers = ServiceProvider.objects.active()
    if pathway:
        providers = providers.filter(pathways__code=pathway)
    for term in search.split():
        providers = providers.filter(Q(name__icontains=term) | Q(description__icontains=term))
    if women_only:
        providers = providers.filter(women_only=True)
    if veteran_specific:
        providers = providers.filter(veteran_specific=True)
    return providers.distinct().order_by("name", "pk").prefetch_related("pathways")
