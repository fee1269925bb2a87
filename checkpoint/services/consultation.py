"""The consultation log: who looked at whose record, and when (DPA 2018 s.62 requires logs of
consultation as well as of changes)."""

from __future__ import annotations

from checkpoint.actors import Actor, user_of
from checkpoint.models import AccessLog, Case
from checkpoint.permissions import Permission

from .locking import authorise


def consultation_record(*, by: Actor, case: Case, page: str, path: str) -> AccessLog:
    """Record that ``by`` consulted this person's record on ``page`` (a screen's name)."""
    authorise(by, Permission.CONSULT_CASE, case=case)
    return AccessLog.objects.create(
        user=user_of(by), person_id=case.person_id, case=case, page=page, path=path[:300]
    )
