"""Which fields hold personal data, and what erasure leaves in their place (retention).

One table for the live models and their change-history twins: each row names a model, the
lookup from it to the case, and its personal fields. Free text becomes "[erased]" (empty text
stays empty, so the CHECK constraints that need a reason still hold); contact details become
empty; references become "ERASED-<id>". Kept: states, dates, counts, codes and the equality
fields (sex, ethnicity, veteran status, year of birth) that the reports aggregate.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Case as SqlCase
from django.db.models import CharField, Expression, Manager, Model, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Concat, TruncYear
from simple_history.utils import get_history_manager_for_model

from checkpoint.models import (
    Appointment,
    Arrest,
    AssessmentRule,
    BreachReview,
    Case,
    CaseAllocation,
    CaseNote,
    CaseShare,
    ComplianceEvent,
    ComplianceWarning,
    ConsentDocument,
    ContractCopy,
    EligibilityAssessment,
    HoursLogEntry,
    NeedItem,
    NewOffenceReport,
    Offence,
    Outcome,
    PathwayReferral,
    Person,
    RearrestMatch,
    ReviewStatus,
    VictimCondition,
    VictimWishes,
)
from checkpoint.models.history import TRACKED

ERASED = "[erased]"
TEXT, EMPTY, REFERENCE, FALSE = "text", "empty", "reference", "false"

SPEC = [
    (Case, "id", {"reference": REFERENCE}),
    (
        Arrest,
        "id",
        {"custody_reference": REFERENCE, "station": EMPTY, "arresting_officer": EMPTY},
    ),
    (Offence, "arrest_id", {"location": EMPTY, "description": TEXT}),
    (CaseNote, "case", {"text": TEXT, "withdrawal_reason": TEXT}),
    (CaseAllocation, "case", {"reason": TEXT}),
    (RearrestMatch, "active_case", {"reason": TEXT}),
    (CaseShare, "case", {"reason": TEXT}),
    (EligibilityAssessment, "case", {"risk_source": TEXT}),
    (AssessmentRule, "assessment__case", {"reason": TEXT, "override_justification": TEXT}),
    (NeedItem, "needs_assessment__case", {"notes": TEXT}),
    (
        VictimWishes,
        "case",
        {"name": TEXT, "mobile": EMPTY, "email": EMPTY, "keep_informed": FALSE},
    ),
    (VictimCondition, "contract__case", {"outcome_notes": TEXT, "approach_reason": TEXT}),
    # The scan itself is deleted when the erasure commits (``_erase_scans``).
    (ConsentDocument, "contract__case", {"original_filename": TEXT, "file": EMPTY}),
    (ContractCopy, "contract__case", {"email": EMPTY}),
    (PathwayReferral, "contract__case", {"what": TEXT}),
    (
        Appointment,
        "case",
        {"location": EMPTY, "outcome_notes": TEXT, "cancel_reason": TEXT},
    ),
    (
        HoursLogEntry,
        "community_condition__contract__case",
        {
            "activity": TEXT,
            "placement": EMPTY,
            "verifier_name": EMPTY,
            "withdrawal_reason": TEXT,
        },
    ),
    (NewOffenceReport, "case", {"description": TEXT, "reference": EMPTY}),
    (ComplianceEvent, "case", {"detail": TEXT, "resolution": TEXT}),
    (ComplianceWarning, "case", {"reason": TEXT}),
    (BreachReview, "case", {"recommendation": TEXT, "reasons": TEXT}),
    (Outcome, "case", {"notes": TEXT}),
]
PERSON_FIELDS = {
    "given_name": Value(ERASED),
    "family_name": Value(ERASED),
    "date_of_birth": TruncYear("date_of_birth"),  # the year stays, for age bands
    "pnc_id": Value(""),
    "mobile": Value(""),
    "email": Value(""),
    "address_line_1": Value(""),
    "address_line_2": Value(""),
    "town": Value(""),
    "county": Value(""),
    "postcode": Value(""),
    "interpreter_language": Value(""),
    "search_name": Value(""),
    "sms_reminders": Value(False),
    "email_reminders": Value(False),
    "reminders_consent_on": Value(None),
}


def _replacement(name: str, kind: str) -> Expression:
    if kind == TEXT:
        return SqlCase(When(**{name: ""}, then=Value("")), default=Value(ERASED))
    if kind == REFERENCE:
        return Concat(Value("ERASED-"), Cast("id", CharField()))
    if kind == FALSE:
        return Value(False)
    return Value("")


def erase_case_data(case: Case) -> int:
    """Erase the case's personal data in every live and history table; rows changed."""
    changed = _erase_scans(case)
    for model, lookup, fields in SPEC:
        values = {name: _replacement(name, kind) for name, kind in fields.items()}
        for manager in _managers(model):
            # The history tables have no reverse relations: the arrest is found by its id.
            key = case.arrest_id if model in (Arrest, Offence) else case.pk
            changed += manager.filter(**{lookup: key}).update(**_present(manager, values))
    changed += _erase_outbox(case)
    if not _person_has_other_live_cases(case):
        for manager in _managers(Person):
            fields = _present(manager, PERSON_FIELDS)
            changed += manager.filter(id=case.person_id).update(**fields)
    return changed


def _managers(model: type[Model]) -> list[Manager[Any]]:
    """The model's live rows, and its change history where it keeps one."""
    if model not in TRACKED:
        return [model._default_manager]
    return [model._default_manager, get_history_manager_for_model(model)]


def _present(manager: Manager[Any], values: dict[str, Any]) -> dict[str, Any]:
    """The values whose fields the manager's table has (a history may leave a field out)."""
    names = {f.name for f in manager.model._meta.get_fields()}
    return {name: value for name, value in values.items() if name in names}


def _erase_scans(case: Case) -> int:
    """Delete the files of the case's consent form scans once the erasure has committed (a
    rolled-back erasure keeps them); the rows lose their file names in ``SPEC``."""
    from checkpoint.uploads import private_storage

    names = list(
        ConsentDocument.objects.filter(contract__case=case)
        .exclude(file="")
        .values_list("file", flat=True)
    )

    def delete_files() -> None:
        for name in names:
            private_storage.delete(name)

    if names:
        transaction.on_commit(delete_files)
    return len(names)


def _erase_outbox(case: Case) -> int:
    """The case's messages (and the person's messages tied to no case), and what the fake
    gateway recorded of them: the development and demo stand-in for GOV.UK Notify keeps each
    message's recipient and body (names, addresses) in ``FakeDelivery``."""
    from notifications.models import FakeDelivery, Message

    messages = Message.objects.filter(Q(case=case) | Q(case__isnull=True, person=case.person_id))
    provider_ids = list(messages.exclude(provider_id="").values_list("provider_id", flat=True))
    changed = messages.update(recipient=ERASED, context={})
    changed += FakeDelivery.objects.filter(provider_id__in=provider_ids).update(
        recipient=ERASED, subject=_replacement("subject", TEXT), body=ERASED
    )
    return changed


def _person_has_other_live_cases(case: Case) -> bool:
    """A person with another case not yet erased keeps their details for that case."""
    others: QuerySet[Case] = Case.objects.filter(person_id=case.person_id).exclude(pk=case.pk)
    return others.exclude(retention_review__status=ReviewStatus.MINIMISED).exists()
