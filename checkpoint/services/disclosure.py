"""Disclosures (DPA 2018 s.62): a printed document or a downloaded report is shown only after
the user has said to whom and why, and that is logged first.
"""

from __future__ import annotations

import logging

from django.db import transaction

from checkpoint.models import Case, DisclosureKind, DisclosureLog

from .common import require_text

logger = logging.getLogger(__name__)


@transaction.atomic
def disclosure_record(
    *,
    by,
    kind: str,
    what: str,
    recipient: str,
    justification: str,
    case: Case | None = None,
) -> DisclosureLog:
    """Log a disclosure before it happens and return the row (its id grants the download).

    ``case`` comes from a user-scoped selector (the view has already decided reach); a report
    CSV has no case. ``what`` names the document or the report table and filters and must hold
    no personal data.
    """
    if kind not in DisclosureKind.values:
        raise ValueError(f"Unknown disclosure kind {kind!r}")
    log = DisclosureLog.objects.create(
        user=by,
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
    logger.info("disclosure %s: %s by user %s", log.pk, kind, by.pk)
    return log
