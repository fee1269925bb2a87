"""Disclosures (DPA 2018 s.62): a printed document or a downloaded report is shown only after
the user has said to whom and why, and that is logged first.
"""

from __future__ import annotations

import logging

from django.db import transaction

from checkpoint.actors import Actor, user_of
from checkpoint.models import Case, DisclosureKind, DisclosureLog
from checkpoint.permissions import Permission

from .common import require_text
from .locking import authorise

logger = logging.getLogger(__name__)


@transaction.atomic
def disclosure_record(
    *,
    by: Actor,
    kind: str,
    what: str,
    recipient: str,
    justification: str,
    case: Case | None = None,
) -> DisclosureLog:
    """Log a disclosure before it happens and return the row (its id grants the download).

    A case document (``case`` given) needs the case in the user's reach and the role to print
    case documents; a report CSV (no case) needs the role to download reports. ``what`` names
    the document or the report table and filters and must hold no personal data.
    """
    if kind not in DisclosureKind.values:
        raise ValueError(f"Unknown disclosure kind {kind!r}")
    needs = Permission.DISCLOSE_REPORT if case is None else Permission.DISCLOSE_CASE_DOCUMENT
    authorise(by, needs, case=case)
    user = user_of(by)
    log = DisclosureLog.objects.create(
        user=user,
        kind=kind,
        case=case,
        person_id=case.person_id if case else None,
        what=what[:300],
        recipient=require_text(
            recipient, field="recipient", message="Enter who you are disclosing this to"
        )[:200],
        justification=require_text(
            justification, field="justification", message="Enter why you are disclosing this"
        ),
    )
    logger.info("disclosure %s: %s by user %s", log.pk, kind, user.pk)
    return log
