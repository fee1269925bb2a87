"""The navigator's needs assessment across the pathways (DESIGN.md 1.1 stage 3).

An assessment is never edited: each save writes a new ``NeedsAssessment`` with its items, so
the history of how a participant's needs changed is kept (DESIGN.md 1.2, nothing is silently
deleted). The latest one drives the suggested services.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from checkpoint.actors import Actor, user_of
from checkpoint.models import (
    SUPERVISED_STATES,
    Case,
    CaseState,
    NeedItem,
    NeedLevel,
    NeedsAssessment,
    Pathway,
)
from checkpoint.permissions import Permission

from .common import resolve_now, today_of
from .errors import InvalidInput, TransitionBlocked
from .locking import lock_case

logger = logging.getLogger(__name__)

# Needs are assessed once the person has agreed to take part, and while the contract runs.
# Custody-stage cases (assessment, eligible, offered) are not the navigator's yet; declined,
# withdrawn, terminated and closed cases have left the scheme.
NEEDS_STATES = frozenset({CaseState.ACCEPTED, *SUPERVISED_STATES})


@dataclass(frozen=True)
class NeedInput:
    """One pathway's need level and the navigator's notes on it."""

    pathway_id: int
    level: str
    notes: str = ""


def _check_state(case: Case) -> None:
    if case.state in NEEDS_STATES:
        return
    if case.state in (CaseState.ASSESSMENT, CaseState.ELIGIBLE, CaseState.OFFERED):
        raise TransitionBlocked("Needs are assessed once the person has accepted the offer.")
    raise TransitionBlocked(
        f"This case is '{case.get_state_display()}', so its needs can no longer be assessed."
    )


def _clean_items(items: list[NeedInput]) -> list[NeedInput]:
    if not items:
        raise InvalidInput("Select a need level for at least one pathway", field="levels")
    pathway_ids = [item.pathway_id for item in items]
    if len(set(pathway_ids)) != len(pathway_ids):
        raise InvalidInput("Give each pathway one need level only", field="levels")
    if Pathway.objects.filter(pk__in=pathway_ids).count() != len(pathway_ids):
        raise InvalidInput("Select pathways from the list", field="levels")
    for item in items:
        if item.level not in NeedLevel.values:
            raise InvalidInput("Select a need level from the list", field="levels")
    return items


@transaction.atomic
def needs_assessment_record(
    *, case_id: int, by: Actor, items: list[NeedInput], now: datetime | None = None
) -> NeedsAssessment:
    """Record a new needs assessment: a need level (and notes) for one or more pathways."""
    now = resolve_now(now)
    case = lock_case(case_id, by=by, needs=Permission.ASSESS_NEEDS)
    _check_state(case)
    items = _clean_items(items)
    assessment = NeedsAssessment.objects.create(
        case=case, assessed_by=user_of(by), assessed_on=today_of(now)
    )
    rows = [
        NeedItem(
            needs_assessment=assessment,
            pathway_id=item.pathway_id,
            level=item.level,
            notes=item.notes.strip(),
        )
        for item in items
    ]
    bulk_create_with_history(rows, NeedItem, default_user=user_of(by))
    logger.info("case %s: needs assessment %s recorded", case.pk, assessment.pk)
    return assessment
