"""Locking a case before a write, and the checks that come with it, in one place.

``lock_case`` takes the row lock (``SELECT ... FOR NO KEY UPDATE`` on PostgreSQL; on SQLite
the IMMEDIATE transaction already holds the database write lock), then checks that the actor may
perform the service's permission on it (``authorise``: reach, then role) and moves the case's
version on. ``case_lock_expecting`` is the optimistic-locking check of a form: it locks the
case and refuses, naming what changed, when its version moved on since the form was opened.
Every service that writes to a case calls ``lock_case`` inside its ``transaction.atomic``.

Race guarded against: two people changing the same case at once. The second waits for the
first's lock, then sees the case as the first left it (its state, its version).

The lock is PostgreSQL's ``NO KEY UPDATE``: it excludes every other writer of the case row
(and the sweep's ``FOR UPDATE SKIP LOCKED`` passes the case by), but not the key-share lock
that a new row referring to the case takes for its foreign key (checked at commit, as Django's
foreign keys are deferred). So the sweep recording a finding on a case whose form a navigator
is saving does not wait for the navigator's transaction to end.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from checkpoint import access, permissions
from checkpoint.actors import Actor, require_actor
from checkpoint.models import Case
from checkpoint.permissions import Permission
from checkpoint.selectors import changes_since

from .errors import CaseNotFound, StaleEdit


def authorise(by: Actor, needs: Permission, *, case: Case | None = None) -> None:
    """Refuse unless ``by`` may perform ``needs`` (on ``case``, when given).

    ``CaseNotFound`` when the case is out of the actor's reach (checked first, so that a
    refusal never reveals that a case exists), ``NotPermitted`` when the actor's kind or role
    may not act.
    """
    require_actor(by)
    if case is not None and not access.reaches(by, case):
        raise CaseNotFound()
    permissions.require(by, needs)


def lock_case(
    case_id: int | None, *, by: Actor, needs: Permission, related: tuple[str, ...] = ()
) -> Case:
    """Lock a case for update and check that ``by`` may perform ``needs`` on it.

    Refuses with ``CaseNotFound`` (no such case, or out of the actor's reach) or
    ``NotPermitted`` (the actor's kind or role may not), before anything is changed.
    """
    case = _locked(case_id, related)
    # Reach is checked after the lock is granted, against the current data: a case reallocated
    # while this request waited for the lock is no longer this user's to change.
    authorise(by, needs, case=case)
    # Taking the lock means a write follows: bump the version that forms compare against
    # (optimistic locking). If the service then fails, the transaction rolls this back too.
    Case.objects.filter(pk=case.pk).update(lock_version=F("lock_version") + 1)
    case.lock_version += 1
    return case


def case_lock_expecting(*, case_id: int, by: Actor, version: int, opened_at: datetime) -> Case:
    """Lock the case a form edits and check it is still at ``version`` (the version the form
    was opened at, ``opened_at``). Call it first in the form's transaction, then the service.

    Raises ``StaleEdit`` naming what changed since (up to five changes, who and when), with
    the version a resubmission would now expect.
    """
    case = _locked(case_id, ())
    authorise(by, Permission.CONSULT_CASE, case=case)
    if case.lock_version == version:
        return case
    changes = changes_since(case.pk, opened_at)
    listed = (
        "; ".join(f"{c.title} ({c.by}, {timezone.localtime(c.at):%H:%M})" for c in changes[:5])
        or "its details were updated"
    )
    raise StaleEdit(
        f"This case changed since you opened this page: {listed}. "
        "Check the case, then save again if your change still applies.",
        current_version=case.lock_version,
    )


def _locked(case_id: int | None, related: tuple[str, ...]) -> Case:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("A case is locked inside transaction.atomic only.")
    queryset: QuerySet[Case] = Case.objects.select_for_update(
        of=("self",), no_key=True
    ).select_related("scheme_version", *related)
    try:
        return queryset.get(pk=case_id or 0)
    except Case.DoesNotExist:
        raise CaseNotFound() from None
