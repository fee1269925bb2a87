"""Who may see and act on which case: role *and* relationship (DESIGN.md 1.2).

The one place that decides it. Selectors scope their querysets with ``cases_visible_to``;
services check ``reaches`` after locking a case (``checkpoint.services.locking``). A case out
of reach is reported as not found (the views turn that into a 404), so its existence is not
revealed.

- Administrators (superusers) reach every case, through the admin.
- Supervisors: the cases of their team.
- Navigators: cases assigned to them and cases explicitly shared with them.
- Decision makers: cases at a custody stage (assessment, eligible, offered, accepted) and the
  cases they opened, for ``DECISION_MAKER_OPENED_CASE_DAYS`` days (setting, default 30) after
  opening them. Once a case is allocated and supervised, its notes, compliance and pathway
  details are for the people working it, not for every decision maker.
- Analysts: no case at all; they see aggregate reports only.
- The scheduled work (``SYSTEM``) reaches every case; a ``Participant`` their own case only.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeAlias

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from checkpoint import roles
from checkpoint.actors import Actor, Participant, SystemActor
from checkpoint.models import Case, CaseShare, CaseState
from checkpoint.models.case import CaseQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# Whoever asks: a member of staff, or (on a screen, before sign-in) the anonymous user.
Viewer: TypeAlias = "User | AnonymousUser"

# The custody worklist (the decision maker's list of cases to assess and offer).
CUSTODY_STATES = (CaseState.ASSESSMENT, CaseState.ELIGIBLE, CaseState.OFFERED)
# What every decision maker reaches: the custody stages up to the offer's acceptance.
DECISION_MAKER_STATES = (*CUSTODY_STATES, CaseState.ACCEPTED)


def decision_maker_opened_since() -> datetime:
    """Cases a decision maker opened at or after this moment stay in their reach."""
    days = settings.DECISION_MAKER_OPENED_CASE_DAYS
    return timezone.now() - timedelta(days=days)


def _team_id(user: Viewer) -> int | None:
    profile = getattr(user, "staff_profile", None)
    return profile.team_id if profile else None


def case_scope(user: Viewer) -> Q | None:
    """A filter for the cases ``user`` may see, or None for no restriction."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    scope = Q(pk__in=[])
    if roles.has_role(user, roles.SUPERVISOR) and _team_id(user):
        scope |= Q(team_id=_team_id(user))
    if roles.has_role(user, roles.NAVIGATOR) or roles.has_role(user, roles.SUPERVISOR):
        scope |= own_and_shared(user)
    if roles.has_role(user, roles.DECISION_MAKER):
        scope |= Q(state__in=DECISION_MAKER_STATES) | Q(
            opened_by=user, created_at__gte=decision_maker_opened_since()
        )
    return scope


def own_and_shared(user: User) -> Q:
    """The user's own cases and those shared with them.

    The shared ids are read first (a person has few shares) so that the filter is an OR of two
    indexed columns; an OR across a join to the shares table would make PostgreSQL scan every
    case (590 ms at a million cases, bench/pages.py).
    """
    shared = getattr(user, "_checkpoint_shared_case_ids", None)
    if shared is None:
        shared = list(CaseShare.objects.filter(user=user).values_list("case_id", flat=True))
        user._checkpoint_shared_case_ids = shared  # type: ignore[attr-defined]  # per-request cache
    return Q(navigator=user) | Q(pk__in=shared) if shared else Q(navigator=user)


def cases_visible_to(user: Viewer, queryset: QuerySet[Case] | None = None) -> QuerySet[Case]:
    cases: QuerySet[Case] = Case.objects.all() if queryset is None else queryset
    scope = case_scope(user)
    if scope is None:
        return cases
    return cases.filter(scope)


def can_see_case(user: Viewer, case: Case) -> bool:
    return cases_visible_to(user, Case.objects.filter(pk=case.pk)).exists()


def reaches(actor: Actor, case: Case) -> bool:
    """Whether the case is within the actor's reach: staff as above, the scheduled work every
    case, a participant their own case only."""
    if isinstance(actor, SystemActor):
        return True
    if isinstance(actor, Participant):
        return case.person_id == actor.person_id
    return can_see_case(actor, case)


def supervised_team_id(user: Viewer) -> int | None:
    """The team whose dashboard this user may see: their own, if they supervise."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if not roles.has_role(user, roles.SUPERVISOR):
        return None
    return _team_id(user)


def team_cases_for(user: Viewer) -> CaseQuerySet:
    """The cases of the team a supervisor leads (none for anyone else).

    A plain ``team_id`` filter (served by the ``case_team_state_idx`` index) rather than the
    general scope, so the dashboard stays fast however many cases other teams hold.
    """
    team_id = supervised_team_id(user)
    if team_id is None:
        cases: CaseQuerySet = Case.objects.none()
    else:
        cases = Case.objects.filter(team_id=team_id)
    return cases
