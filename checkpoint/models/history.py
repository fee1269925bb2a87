"""Change history of case data (DESIGN.md 1.2: "the history of every field of a case can be
shown").

Every creation, change and deletion of a tracked model writes a row to its ``Historical…``
table (django-simple-history): the full row as it was after the change, when, by whom
(``history_user``: the signed-in user of the request, through ``HistoryRequestMiddleware``;
empty when the scheduled work acted, shown as "System") and the kind of change (+ ~ -).
Before and after are consecutive rows of the same object.

Bulk inserts go through ``bulk_create_with_history`` so that they are recorded too. The
sweep's own set-based writes (compliance findings, the move to completion review) are recorded
as ``ComplianceEvent`` rows and ``CaseTransition`` rows, which are themselves append-only.

On PostgreSQL the history tables reject UPDATE, DELETE and TRUNCATE (migration
``0010_audit_tables_append_only``), except inside the retention service.
"""

from __future__ import annotations

from simple_history import register
from simple_history.utils import get_history_model_for_model

from .assessment import AssessmentRule, EligibilityAssessment, NeedItem, NeedsAssessment
from .case import Case, CaseNote, CaseShare
from .compliance import BreachReview, ComplianceEvent, ComplianceWarning, Outcome
from .consent import ConsentDocument
from .contract import (
    CommunityCondition,
    Contract,
    OffendingCondition,
    PathwayReferral,
    VictimCondition,
    VictimWishes,
)
from .offence import Arrest, Offence
from .person import Person
from .supervision import Appointment, HoursLogEntry, NewOffenceReport, RearrestMatch

# Model -> fields left out of its history (bookkeeping that changes on every edit).
TRACKED: dict[type, tuple[str, ...]] = {
    Person: ("search_name",),
    Arrest: (),
    Offence: (),
    Case: ("lock_version",),
    CaseNote: (),
    CaseShare: (),
    EligibilityAssessment: (),
    AssessmentRule: (),
    NeedsAssessment: (),
    NeedItem: (),
    VictimWishes: (),
    Contract: (),
    OffendingCondition: (),
    VictimCondition: (),
    CommunityCondition: (),
    PathwayReferral: (),
    ConsentDocument: (),
    Appointment: (),
    HoursLogEntry: (),
    NewOffenceReport: (),
    RearrestMatch: (),
    ComplianceEvent: (),
    ComplianceWarning: (),
    BreachReview: (),
    Outcome: (),
}

for _model, _excluded in TRACKED.items():
    register(
        _model,
        app="checkpoint",
        excluded_fields=list(_excluded),
        user_related_name="+",
    )


def history_tables() -> list[str]:
    """The database tables of the history models (for the append-only triggers)."""
    return sorted(get_history_model_for_model(model)._meta.db_table for model in TRACKED)
