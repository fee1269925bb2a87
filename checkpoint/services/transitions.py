"""The one path by which a case changes state.

The service locks the case first (``checkpoint.services.locking.lock_case``: the row lock, and
the actor's reach and role). ``apply_transition`` checks the transition's own permission (the
same rules, ``checkpoint.permissions``) and the guards, changes the state, saves and writes the
history row. Callers wrap both in one ``transaction.atomic`` block, so the state and its
history commit together or not at all.

Race guarded against: two people taking conflicting transitions on the same case at once.
The second waits for the first's lock, then sees the new state, and gets a message naming it;
``ConcurrentTransitionMixin`` is a second line of defence (compare-and-set on the state column).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from checkpoint import permissions
from checkpoint.actors import Actor, staff_user
from checkpoint.blockers import Blocker
from checkpoint.models import Case, CaseState, CaseTransition

from .errors import NotPermitted, TransitionBlocked

logger = logging.getLogger(__name__)


def action_label(case: Case, action: str) -> str:
    method = getattr(case, action)
    transitions = method._django_fsm.transitions
    first = next(iter(transitions.values()))
    return str(first.custom.get("label", action.replace("_", " ")))


def apply_transition(
    case: Case,
    action: str,
    *,
    by: Actor,
    at: datetime,
    reason: str = "",
    blockers: Sequence[Blocker] = (),
) -> CaseTransition:
    """Take transition ``action`` on a locked case and record it.

    ``blockers`` are guard failures the caller computed, each with a specific message; the
    model's own ``conditions=`` still apply as a second check.
    """
    method = getattr(case, action)
    label = action_label(case, action)
    from_state = case.state
    if not can_proceed(method, check_conditions=False):
        raise TransitionBlocked(
            f"This case is now '{case.get_state_display()}', so '{label}' is not possible."
            + _last_change(case)
        )
    if not _has_perm(method, by):
        raise NotPermitted(permissions.refusal(by, permissions.TRANSITIONS[action]))
    if blockers:
        raise TransitionBlocked(
            f"'{label}' is not possible yet.", problems=[b.message for b in blockers]
        )
    try:
        method()
        case.save()
    except TransitionNotAllowed:
        raise TransitionBlocked(f"The conditions for '{label}' are not met.") from None
    except ConcurrentTransition:
        raise TransitionBlocked(
            "Someone else changed this case at the same moment. Reload it and try again."
        ) from None
    record = CaseTransition.objects.create(
        case=case,
        transition=action,
        from_state=from_state,
        to_state=case.state,
        by=staff_user(by),
        at=at,
        reason=reason,
    )
    logger.info("case %s: %s %s -> %s", case.pk, action, from_state, case.state)
    return record


def _has_perm(method: Any, actor: Actor) -> bool:
    meta = method._django_fsm
    return bool(
        meta.has_transition_perm(method.__self__, meta.field.get_state(method.__self__), actor)
    )


def _last_change(case: Case) -> str:
    last = case.transitions.select_related("by").order_by("-at", "-pk").first()
    if last is None:
        return ""
    when = timezone.localtime(last.at).strftime("%H:%M on %-d %B %Y")
    return f" It was changed to '{CaseState(last.to_state).label}' by {last.actor_label} at {when}."
