"""Reads for the correction screens, and what was corrected, for the case page.

A record of the case is found only through the user's reach (``RecordNotFound`` otherwise, like
the case itself). Details changed in place (a referral's terms, the restorative outcome) keep
their earlier values in their change history (django-simple-history): ``earlier_versions``
reads them back, with the reason, who and when, so that the case page can show the original
struck through beside the corrected value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any

from django.contrib.auth import get_user_model
from simple_history.utils import get_history_manager_for_model

from checkpoint import access
from checkpoint.errors import RecordNotFound
from checkpoint.models import (
    Case,
    CaseNote,
    PathwayReferral,
    ReferralStatus,
    RestorativeOutcome,
    VictimCondition,
)
from checkpoint.text import display_name, long_date


@dataclass(frozen=True)
class EarlierVersion:
    """A value as it was before a correction (or a withdrawal), and why it changed."""

    text: str
    reason: str
    by: str
    at: datetime


def note_get_for(user, case: Case, note_id: int) -> CaseNote:
    """One note of ``case``, or ``RecordNotFound`` when it belongs to another case."""
    try:
        return CaseNote.objects.get(
            pk=note_id, case=case, case__in=access.cases_visible_to(user).values("pk")
        )
    except CaseNote.DoesNotExist:
        raise RecordNotFound("Note") from None


def referral_get_for(user, case: Case, referral_id: int) -> PathwayReferral:
    """One Pathway referral of ``case`` (with its provider), or ``RecordNotFound``."""
    try:
        return PathwayReferral.objects.select_related("provider").get(
            pk=referral_id,
            contract__case=case,
            contract__case__in=access.cases_visible_to(user).values("pk"),
        )
    except PathwayReferral.DoesNotExist:
        raise RecordNotFound("Referral") from None


def referral_terms(row) -> str:
    """A referral's terms as the case page shows them (a referral or one of its history rows)."""
    return f"{row.what}, {row.frequency}, {row.required_sessions} sessions required"


def restorative_result(row) -> str:
    """A restorative outcome as the case page shows it (the condition or a history row)."""
    label = dict(RestorativeOutcome.choices).get(row.outcome, row.outcome)
    dated = f" on {long_date(row.outcome_recorded_on)}" if row.outcome_recorded_on else ""
    return f"{label}{dated}"


def _earlier(
    rows: list, shown: Callable[[Any], str], counts: Callable[[Any], bool]
) -> list[tuple[Any, Any]]:
    """(row before, row after) for each change of what ``shown`` displays, where the value
    before ``counts`` (a pending outcome is not a value corrected)."""
    return [
        (before, after)
        for before, after in pairwise(rows)
        if counts(before) and shown(before) != shown(after)
    ]


def _names(ids: Iterable[int]) -> dict[int, str]:
    ids = set(ids)
    users = get_user_model().objects.filter(pk__in=ids) if ids else []
    return {u.pk: display_name(u) for u in users}


def _version(before, after, shown, names) -> EarlierVersion:
    return EarlierVersion(
        text=shown(before),
        reason=after.history_change_reason or "",
        by=names.get(after.history_user_id, "System (scheduled work)"),
        at=after.history_date,
    )


def _history_rows(model, ids: list[int]) -> dict[int, list]:
    """Each object's history rows, oldest first (one query)."""
    rows: dict[int, list] = {pk: [] for pk in ids}
    if ids:
        history = get_history_manager_for_model(model).filter(id__in=ids)
        for row in history.order_by("history_date", "history_id"):
            rows[row.id].append(row)
    return rows


def _withdrawn(rows: list) -> tuple[Any, Any] | None:
    """(row before, row after) of the referral's withdrawal, if it was withdrawn."""
    for before, after in pairwise(rows):
        if before.status != ReferralStatus.WITHDRAWN and after.status == ReferralStatus.WITHDRAWN:
            return before, after
    return None


def earlier_versions(case: Case, referrals: list[Any]) -> None:
    """Set ``earlier`` (the terms each correction replaced, oldest first) and ``withdrawal``
    (who withdrew it, when and why, or None) on each referral, and ``earlier`` on the case's
    Victim condition: the values the case page shows struck through.

    One query for the referrals' history; one for the Victim condition's once an outcome is
    recorded, and one for the names once something was corrected."""
    contract = getattr(case, "contract", None)
    # Typed loosely: the attributes set here are the case page's, added at run time.
    victim: Any = getattr(contract, "victim_condition", None)
    rows_of = _history_rows(PathwayReferral, [r.pk for r in referrals])
    changes = {pk: _earlier(rows, referral_terms, lambda row: True) for pk, rows in rows_of.items()}
    withdrawals = {pk: _withdrawn(rows) for pk, rows in rows_of.items()}
    victim_changes: list[tuple[Any, Any]] = []
    if victim is not None and victim.outcome != RestorativeOutcome.PENDING:
        victim_changes = _earlier(
            _history_rows(VictimCondition, [victim.pk])[victim.pk],
            restorative_result,
            lambda row: row.outcome != RestorativeOutcome.PENDING,
        )
    pairs = [*victim_changes, *(w for w in withdrawals.values() if w)]
    pairs += [pair for found in changes.values() for pair in found]
    names = _names({after.history_user_id for _, after in pairs if after.history_user_id})
    for referral in referrals:
        referral.earlier = [_version(b, a, referral_terms, names) for b, a in changes[referral.pk]]
        withdrawn = withdrawals[referral.pk]
        referral.withdrawal = withdrawn and EarlierVersion(
            text="",
            reason=withdrawn[1].status_reason,
            by=names.get(withdrawn[1].history_user_id, "System (scheduled work)"),
            at=withdrawn[1].history_date,
        )
    if victim is not None:
        victim.earlier = [_version(b, a, restorative_result, names) for b, a in victim_changes]


def mark_replacements(entries: list) -> None:
    """Set ``replaced_by`` on each entry (hours, notes) to the entry of the same list that
    corrects it, or None: a withdrawn entry with one was corrected, without one withdrawn."""
    by_original = {e.corrects_id: e for e in entries if e.corrects_id}
    for entry in entries:
        entry.replaced_by = by_original.get(entry.pk)
