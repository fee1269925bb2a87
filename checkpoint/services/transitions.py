"""The one path by which a case changes state.

``lock_case`` takes the row lock (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the
IMMEDIATE transaction already holds the database write lock) and checks the user can reach the
case. ``apply_transition`` checks the role permission and the guards, changes the state, saves
and writes the history row. Callers wrap both in one ``transaction.atomic`` block, so the state
and its history commit together or not at all.

Race guarded against: two people taking conflicting transitions on the same case at once.
The second waits for the first's lock, then sees the new state, and gets a message naming it;
``ConcurrentTransitionMixin`` is a second line of defence (compare-and-set on the state column).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from checkpoint import access
from checkpoint.models import Case, CaseState, CaseTransition

from .errors import CaseNotFound, NotPermitted, TransitionBlocked

logger = logging.getLogger(__name__)

# The only transition the scheduled work (by=None) may take: every decision is a person's.
SYSTEM_ACTIONS = {"begin_completion_review"}
SUPERVISOR_ACTIONS = {
    "continue_contract",
    "vary_contract",
    "terminate",
    "sign_off",
    "refer_for_prosecution",
}


def lock_case(case_id: int, *, by, related: tuple[str, ...] = ()) -> Case:
    """Lock a case for update and check ``by`` can reach it (``by=None``: the system)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_case must run inside transaction.atomic")
    queryset = Case.objects.select_for_update(of=("self",)).select_related(
        "scheme_version", *related
    )
    try:
        case = queryset.get(pk=case_id)
    except Case.DoesNotExist:
        raise CaseNotFound() from None
    # Reach is checked after the lock is granted, against the current data: a case reallocated
    # while this request waited for the lock is no longer this user's to change.
    if by is not None and not access.can_see_case(by, case):
        raise CaseNotFound()
    # Taking the lock means a write follows: bump the version that forms compare against
    # (optimistic locking). If the service then fails, the transaction rolls this back too.
    Case.objects.filter(pk=case.pk).update(lock_version=F("lock_version") + 1)
    case.lock_version += 1
    return case


def action_label(case: Case, action: str) -> str:
    method = getattr(case, action)
    transitions = method._django_fsm.transitions
    first = next(iter(transitions.values()))
    return first.custom.get("label", action.replace("_", " "))


def apply_transition(
    case: Case,
    action: str,
    *,
    by,
    at: datetime,
    reason: str = "",
    blockers: list[str] | None = None,
) -> CaseTransition:
    """Take transition ``action`` on a locked case and record it. ``by=None`` is the system.

    ``blockers`` are guard failures the caller computed with specific messages; the model's
    own ``conditions=`` still apply as a second check.
    """
    method = getattr(case, action)
    label = action_label(case, action)
    from_state = case.state
    if not can_proceed(method, check_conditions=False):
        raise TransitionBlocked(
            f"This case is now '{case.get_state_display()}', so '{label}' is not possible."
            + _last_change(case)
        )
    if by is None and action not in SYSTEM_ACTIONS:
        raise NotPermitted(f"'{label}' is a decision a person must take.")
    if by is not None and not _has_perm(method, by):
        raise NotPermitted(_permission_message(action, label))
    if blockers:
        raise TransitionBlocked(f"'{label}' is not possible yet.", problems=blockers)
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
        by=by,
        at=at,
        reason=reason,
    )
    logger.info("case %s: %s %s -> %s", case.pk, action, from_state, case.state)
    return record


def _has_perm(method, user) -> bool:
    meta = method._django_fsm
    return meta.has_transition_perm(method.__self__, meta.field.get_state(method.__self__), user)


def _permission_message(action: str, label: str) -> str:
    if action in SUPERVISOR_ACTIONS:
        return f"Only a supervisor can '{label}'."
    return f"Your role does not allow you to '{label}'."


def _last_change(case: Case) -> str:
    last = case.transitions.select_related("by").order_by("-at", "-pk").first()
    if last is None:
        return ""
    when = timezone.localtime(last.at).strftime("%H:%M on %d %B %Y")
    return f" It was changed to '{CaseState(last.to_state).label}' by {last.actor_label} at {when}."
