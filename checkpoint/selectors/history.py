"""The change history of one case, field by field (DESIGN.md 1.2: the history of every field
of a case can be shown).

Reads the django-simple-history tables of every tracked model that belongs to the case (the
person, the arrest and offences, the case, its contract and conditions, appointments, hours,
compliance, breach reviews, outcome, victims' wishes, notes, assessments, consent form scans)
and turns consecutive rows of the same object into "field: before -> after". A fixed number of
queries (one per model, one for the users), however long the history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from checkpoint.models import (
    Appointment,
    Arrest,
    AssessmentRule,
    BreachReview,
    Case,
    CaseAllocation,
    CaseNote,
    CaseShare,
    CommunityCondition,
    ComplianceEvent,
    ComplianceWarning,
    ConsentDocument,
    Contract,
    EligibilityAssessment,
    HoursLogEntry,
    NeedItem,
    NeedsAssessment,
    NewOffenceReport,
    Offence,
    OffendingCondition,
    Outcome,
    PathwayReferral,
    Person,
    VictimCondition,
    VictimWishes,
)
from checkpoint.text import display_name, long_date

SYSTEM = "System (scheduled work)"
KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}
# Bookkeeping columns that change with every save and say nothing to a reader.
# (A scan's stored name is random and says nothing either.)
HIDDEN_FIELDS = {"id", "created_at", "updated_at", "lock_version", "file"}
# Models reached from the case by the case id.
BY_CASE = (
    CaseNote,
    CaseShare,
    EligibilityAssessment,
    NeedsAssessment,
    VictimWishes,
    Contract,
    Appointment,
    NewOffenceReport,
    ComplianceEvent,
    ComplianceWarning,
    BreachReview,
    Outcome,
)
BY_CONTRACT = (
    OffendingCondition,
    VictimCondition,
    CommunityCondition,
    PathwayReferral,
    ConsentDocument,
)


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    at: datetime
    kind: str
    what: str
    by_id: int | None
    changes: list[FieldChange] = field(default_factory=list)
    by: str = SYSTEM
    # A correction (DESIGN.md 1.2): "Corrected", "Withdrawn" or "Cancelled" (its reason is
    # ``reason``); ``kept``: a withdrawn record's content, kept and shown struck through.
    correction: str = ""
    kept: list[FieldChange] = field(default_factory=list)
    reason: str = ""  # the reason given (an allocation's)


def _rows(model, **filters) -> list:
    return list(model.history.filter(**filters).order_by("id", "history_date", "history_id"))


def _collect(case: Case) -> list:
    """Every history row that belongs to the case, model by model."""
    rows = _rows(Person, id=case.person_id) + _rows(Case, id=case.pk)
    rows += _rows(Arrest, id=case.arrest_id) + _rows(Offence, arrest_id=case.arrest_id)
    by_case = {model: _rows(model, case_id=case.pk) for model in BY_CASE}
    for found in by_case.values():
        rows += found
    contract_ids = {r.id for r in by_case[Contract]}
    assessment_ids = {r.id for r in by_case[EligibilityAssessment]}
    needs_ids = {r.id for r in by_case[NeedsAssessment]}
    community_ids: set[int] = set()
    for model in BY_CONTRACT:
        found = _rows(model, contract_id__in=contract_ids) if contract_ids else []
        rows += found
        if model is CommunityCondition:
            community_ids = {r.id for r in found}
    if community_ids:
        rows += _rows(HoursLogEntry, community_condition_id__in=community_ids)
    if assessment_ids:
        rows += _rows(AssessmentRule, assessment_id__in=assessment_ids)
    if needs_ids:
        rows += _rows(NeedItem, needs_assessment_id__in=needs_ids)
    return rows


def _display(row, fld: models.Field) -> str:
    value = getattr(row, fld.attname)
    if value is None or value == "":
        return "—"
    if fld.choices:
        return str(dict(fld.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(fld, models.ForeignKey):
        return f"#{value}"
    # GOV.UK dates ("3 March 2026, 10:00"), not the ISO form str() gives.
    if isinstance(value, datetime):
        moment = timezone.localtime(value)
        return f"{long_date(moment.date())}, {moment:%H:%M}"
    if isinstance(value, date):
        return long_date(value)
    return str(value)


def _fields(row) -> list[models.Field]:
    original = row.instance_type._meta
    names = {f.name for f in original.concrete_fields} - HIDDEN_FIELDS
    return [f for f in row._meta.concrete_fields if f.name in names]


def _entry(row, previous) -> HistoryEntry:
    label = row.instance_type._meta.verbose_name.capitalize()
    changes = []
    for fld in _fields(row):
        after = _display(row, fld)
        before = _display(previous, fld) if previous is not None else "—"
        if before != after:
            changes.append(FieldChange(str(fld.verbose_name).capitalize(), before, after))
    entry = HistoryEntry(
        at=row.history_date,
        kind=KINDS.get(row.history_type, row.history_type),
        what=f"{label} #{row.id}",
        by_id=row.history_user_id,
        changes=changes,
    )
    if previous is not None:
        _mark_correction(entry, row, previous)
    return entry


# Field -> (how a change setting it is named, the field holding the reason).
WITHDRAWALS = {
    "withdrawn_at": ("Withdrawn", "withdrawal_reason"),
    "cancelled_at": ("Cancelled", "cancel_reason"),
}
# Bookkeeping of a withdrawal, left out of the content shown struck through.
WITHDRAWAL_FIELDS = {"withdrawn_at", "withdrawn_by", "withdrawal_reason", "corrects"}


def _mark_correction(entry: HistoryEntry, row, previous) -> None:
    """Name a correction: a withdrawal or cancellation (the record's content is kept, shown
    struck through), a referral withdrawn, or a change made with a reason (a correction in
    place: the values before are the originals, shown struck through)."""
    for name, (what, reason_field) in WITHDRAWALS.items():
        if getattr(previous, name, None) is None and getattr(row, name, None) is not None:
            entry.correction, entry.reason = what, getattr(row, reason_field)
            entry.kept = [
                FieldChange(str(f.verbose_name).capitalize(), "", _display(row, f))
                for f in _fields(row)
                if f.name not in WITHDRAWAL_FIELDS | set(WITHDRAWALS)
                and f.name != reason_field
                and _display(row, f) != "—"
            ]
            return
    reason = row.history_change_reason or ""
    withdrawn = getattr(row, "status", None) == "withdrawn"
    if withdrawn and getattr(previous, "status", None) != "withdrawn":
        entry.correction, entry.reason = "Withdrawn", reason
    elif reason and entry.changes:
        # Contact details are kept up to date rather than corrected (the old ones were right).
        entry.correction = "Updated" if row.instance_type is Person else "Corrected"
        entry.reason = reason


def _name_users(entries: list[HistoryEntry]) -> None:
    ids = {e.by_id for e in entries if e.by_id}
    users = get_user_model().objects.filter(pk__in=ids) if ids else []
    names = {u.pk: display_name(u) for u in users}
    for entry in entries:
        if entry.by_id:
            entry.by = names.get(entry.by_id, f"User #{entry.by_id}")


def case_history(case: Case) -> list[HistoryEntry]:
    """Every recorded change of the case's data, newest first, with before and after.

    ``case`` comes from a user-scoped selector (``case_get_for``): reach is decided there.
    """
    entries: list[HistoryEntry] = []
    previous: dict[tuple[Any, Any], Any] = {}  # (model, id) -> its previous history row
    for row in _collect(case):
        key = (row.instance_type, row.id)
        entry = _entry(row, previous.get(key))
        previous[key] = row
        if entry.changes or entry.kind != KINDS["~"]:
            entries.append(entry)
    entries += _allocation_entries(case)
    _name_users(entries)
    return sorted(entries, key=lambda e: e.at, reverse=True)


def _allocation_entries(case: Case) -> list[HistoryEntry]:
    """Each allocation of the case (``CaseAllocation``, append-only): to whom, from whom, by
    whom and why, in words rather than the case row's "Navigator: #12 -> #15"."""
    rows = CaseAllocation.objects.filter(case=case).select_related(
        "navigator", "previous_navigator"
    )
    entries = []
    for row in rows:
        to = display_name(row.navigator) or "nobody"
        kind, what = "Allocated", f"to {to}"
        if row.previous_navigator_id is not None:
            kind, what = "Reallocated", f"from {display_name(row.previous_navigator)} to {to}"
        entries.append(
            HistoryEntry(at=row.at, kind=kind, what=what, by_id=row.by_id, reason=row.reason)
        )
    return entries
