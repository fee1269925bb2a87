"""Reads shaped for screens. Every selector takes the requesting user, so access scoping cannot
be forgotten (``checkpoint.access``), and loads what its screen needs in a fixed number of
queries whatever the caseload size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce

from checkpoint import access, dates
from checkpoint.conditions import ConditionStatus
from checkpoint.errors import CaseNotFound
from checkpoint.models import (
    Appointment,
    Case,
    CaseNote,
    CaseState,
    CaseTransition,
    ComplianceEvent,
    ComplianceWarning,
    HoursLogEntry,
    Offence,
    PathwayReferral,
)
from checkpoint.models.case import deadline_near_q
from checkpoint.text import display_name, format_hours

CASELOAD_STATES = (
    CaseState.ACCEPTED,
    CaseState.ACTIVE,
    CaseState.BREACH_REVIEW,
    CaseState.COMPLETION_REVIEW,
)
REVIEW_STATES = (CaseState.BREACH_REVIEW, CaseState.COMPLETION_REVIEW)


def _hours_sum(*, verified: bool):
    rows = HoursLogEntry.objects.filter(
        community_condition__contract__case=OuterRef("pk"),
        verified_at__isnull=not verified,
        withdrawn_at__isnull=True,  # withdrawn or corrected entries do not count
    )
    total = rows.values("community_condition").annotate(total=Sum("hours")).values("total")
    return Coalesce(Subquery(total, output_field=DecimalField()), Value(Decimal(0)))


def caseload_for(user, *, now: datetime, states=None, search: str = "") -> QuerySet:
    """The user's own (and shared) cases for the caseload screen, most urgent first.

    Urgency: a prosecution deadline inside the scheme profile's warning window (or passed),
    then open compliance events, then cases awaiting a review, then everything else; ties by
    deadline and next appointment.
    """
    deadline_near = deadline_near_q(dates.local_date(now))
    # "My caseload" is the user's own cases and those shared with them; a supervisor's view of
    # the whole team is the team dashboard.
    queryset = access.cases_visible_to(user).filter(
        access.own_and_shared(user), state__in=list(states or CASELOAD_STATES)
    )
    queryset = _search(queryset, search)
    next_appointment = (
        Appointment.objects.filter(case=OuterRef("pk"), outcome="", starts_at__gte=now)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    open_events = (
        ComplianceEvent.objects.filter(case=OuterRef("pk"), resolved_at__isnull=True)
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        queryset.select_related("person", "scheme_version", "contract__community_condition")
        .annotate(
            next_appointment=Subquery(next_appointment),
            open_events=Coalesce(Subquery(open_events, output_field=IntegerField()), Value(0)),
            hours_verified=_hours_sum(verified=True),
            hours_self_reported=_hours_sum(verified=False),
            hours_required=F("contract__community_condition__hours_required"),
            urgency=SqlCase(
                When(deadline_near, then=Value(0)),
                When(open_events__gt=0, then=Value(1)),
                When(state__in=list(REVIEW_STATES), then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            ),
        )
        .order_by(
            "urgency",
            F("prosecution_deadline").asc(nulls_last=True),
            F("next_appointment").asc(nulls_last=True),
            "reference",
        )
    )


def _search(queryset: QuerySet, search: str) -> QuerySet:
    terms = search.split()
    if not terms:
        return queryset
    if len(terms) == 1 and terms[0].upper().startswith("CP-"):
        return queryset.filter(reference__iexact=terms[0])
    for term in terms:
        queryset = queryset.filter(
            Q(person__given_name__icontains=term)
            | Q(person__family_name__icontains=term)
            | Q(reference__icontains=term)
        )
    return queryset


def case_get_for(user, reference: str, *, related: tuple[str, ...] = ()) -> Case:
    """One case the user may see, by reference; ``CaseNotFound`` otherwise (a case out of
    reach is answered as one that does not exist)."""
    queryset = access.cases_visible_to(user).select_related(
        "person", "arrest", "scheme_version", "team", "navigator", *related
    )
    try:
        return queryset.get(reference=reference)
    except Case.DoesNotExist:
        raise CaseNotFound() from None


def _timeline_prefetches() -> list[Prefetch]:
    return [
        Prefetch(
            "appointments",
            to_attr="appointment_list",
            queryset=Appointment.objects.select_related(
                "referral__provider", "outcome_recorded_by"
            ),
        ),
        Prefetch(
            "compliance_events",
            to_attr="event_list",
            queryset=ComplianceEvent.objects.select_related("raised_by"),
        ),
        Prefetch("notes", to_attr="note_list", queryset=CaseNote.objects.select_related("author")),
        Prefetch(
            "transitions",
            to_attr="transition_list",
            queryset=CaseTransition.objects.select_related("by"),
        ),
        Prefetch(
            "warnings",
            to_attr="warning_list",
            queryset=ComplianceWarning.objects.select_related("issued_by"),
        ),
    ]


def case_detail_for(user, reference: str) -> Case:
    """Everything the case page shows, in a fixed number of queries."""
    case = case_get_for(
        user,
        reference,
        related=(
            "opened_by",
            "contract__offending_condition",
            "contract__victim_condition",
            "contract__community_condition",
            "outcome",
        ),
    )
    prefetch_related_objects(
        [case],
        Prefetch(
            "arrest__offences",
            to_attr="offence_list",
            queryset=Offence.objects.select_related("offence_type"),
        ),
        Prefetch("victims", to_attr="victim_list"),
        Prefetch("new_offences", to_attr="new_offence_list"),
        *_timeline_prefetches(),
    )
    contract = getattr(case, "contract", None)
    case.referral_list = (
        list(
            PathwayReferral.objects.filter(contract=contract).select_related("provider", "pathway")
        )
        if contract
        else []
    )
    if contract is not None:
        contract.consent_document_list = list(
            contract.consent_documents.select_related("uploaded_by")
        )
    community = getattr(contract, "community_condition", None) if contract else None
    case.hours_list = (
        list(community.hours_log.select_related("verified_by", "reported_by")) if community else []
    )
    return case


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    title: str
    by: str
    detail: str = ""


def case_timeline(case: Case) -> list[TimelineEntry]:
    """Transitions and recorded changes, newest first (from the prefetched lists)."""
    entries = [
        TimelineEntry(case.created_at, "Case opened in custody", display_name(case.opened_by))
    ]
    entries += [
        TimelineEntry(
            h.created_at,
            f"{format_hours(h.hours)} hours of community work logged",
            display_name(h.reported_by) or "The participant",
            f"{h.activity}, {h.worked_on:%d %b %Y}" + ("" if h.verified_at else " (self-reported)"),
        )
        for h in getattr(case, "hours_list", [])
    ]
    entries += [
        TimelineEntry(
            t.at,
            f"{CaseState(t.from_state).label} → {CaseState(t.to_state).label}",
            t.actor_label,
            t.reason,
        )
        for t in case.transition_list
    ]
    entries += [
        TimelineEntry(n.created_at, "Note added", display_name(n.author), n.text)
        for n in case.note_list
    ]
    entries += [
        TimelineEntry(
            e.raised_at,
            e.get_kind_display(),
            display_name(e.raised_by) if e.raised_by else "Scheduled check",
            e.detail,
        )
        for e in case.event_list
    ]
    entries += [
        TimelineEntry(w.recorded_at, "Warning issued", display_name(w.issued_by), w.reason)
        for w in case.warning_list
    ]
    entries += [
        TimelineEntry(
            a.outcome_recorded_at,
            f"Appointment outcome: {a.get_outcome_display()}",
            display_name(a.outcome_recorded_by),
            str(a),
        )
        for a in case.appointment_list
        if a.outcome and a.outcome_recorded_at  # both, by the model's constraint
    ]
    return sorted(entries, key=lambda e: e.at, reverse=True)


def changes_since(case_id: int, since: datetime) -> list[TimelineEntry]:
    """What changed on a case after ``since`` (for the optimistic-locking message)."""
    case = Case.objects.get(pk=case_id)
    prefetch_related_objects([case], *_timeline_prefetches())
    return [e for e in case_timeline(case) if e.at > since]


def condition_statuses(case: Case) -> list[ConditionStatus]:
    """The four conditions of a signed contract with their status and evidence
    (``checkpoint.conditions``); none for a case whose contract was never signed. ``case``
    comes from a user-scoped selector."""
    contract = getattr(case, "contract", None)
    if contract is None or contract.signed_at is None:
        return []
    return contract.condition_statuses()


def contract_progress(case: Case, today: date) -> dict | None:
    """Day x of y and hours done vs required, for the case page."""
    contract = getattr(case, "contract", None)
    if contract is None or contract.starts_on is None:
        return None
    day, total = dates.contract_day(contract.starts_on, contract.ends_on, today)
    current = [h for h in case.hours_list if not h.is_withdrawn]
    verified = sum((h.hours for h in current if h.verified_at), Decimal(0))
    reported = sum((h.hours for h in current if not h.verified_at), Decimal(0))
    return {"day": day, "of": total, "hours_verified": verified, "hours_self_reported": reported}
