"""Reads shaped for screens. Every selector takes the requesting user, so access scoping cannot
be forgotten (``checkpoint.access``), and loads what its screen needs in a fixed number of
queries whatever the caseload size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

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
    UNRESOLVED_STATES,
    Appointment,
    Case,
    CaseNote,
    CaseState,
    CaseTransition,
    ComplianceEvent,
    ComplianceWarning,
    EventStatus,
    HoursLogEntry,
    MatchStatus,
    Offence,
    PathwayReferral,
    RearrestMatch,
)
from checkpoint.models.case import deadline_near_q
from checkpoint.text import display_name, format_hours

from . import corrections
from . import search as search_selectors
from .search import CaseQuery

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


# Why a case is on top of the caseload today, most pressing first (``caseload_for``): the
# value of its ``urgency`` annotation, and what the caseload's "Needs" column says.
NEEDS_ACTION = {
    0: "Deadline near",
    1: "Needs a contract",
    2: "Outcome to record",
    3: "Open compliance event",
    4: "Hours to verify",
}
AWAITING_REVIEW = 5


def caseload_for(user, *, now: datetime, states=None, search: CaseQuery | str = "") -> QuerySet:
    """The user's own (and shared) cases for the caseload screen, what needs action today first.

    Needs action today (``NEEDS_ACTION``): a prosecution deadline inside the scheme profile's
    warning window (or passed); a case accepted onto the scheme that still needs its contract;
    an appointment whose outcome is not recorded; an open compliance event; hours waiting to
    be verified. Then cases awaiting a supervisor's review, then everything else; ties by
    deadline and next appointment. A search (``checkpoint.selectors.search``) with no state
    chosen looks through all the user's cases, closed ones too.
    """
    deadline_near = deadline_near_q(dates.local_date(now))
    # "My caseload" is the user's own cases and those shared with them; a supervisor's view of
    # the whole team is the team dashboard.
    queryset = access.cases_visible_to(user).filter(access.own_and_shared(user))
    query = search_selectors.parse_case_query(search) if isinstance(search, str) else search
    if states or query.empty:
        queryset = queryset.filter(state__in=list(states or CASELOAD_STATES))
    queryset = search_selectors.filter_cases(queryset, query)
    next_appointment = (
        Appointment.objects.filter(
            case=OuterRef("pk"), outcome="", cancelled_at__isnull=True, starts_at__gte=now
        )
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    open_events = (
        ComplianceEvent.objects.filter(case=OuterRef("pk"), resolved_at__isnull=True)
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    open_case = Q(state__in=list(CASELOAD_STATES))  # a closed case found by a search: no task
    outcomes_due = (
        Appointment.objects.filter(
            case=OuterRef("pk"), outcome="", cancelled_at__isnull=True, starts_at__lt=now
        )
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        queryset.select_related("person", "scheme_version", "contract__community_condition")
        .annotate(
            next_appointment=Subquery(next_appointment),
            open_events=Coalesce(Subquery(open_events, output_field=IntegerField()), Value(0)),
            outcomes_due=Coalesce(Subquery(outcomes_due, output_field=IntegerField()), Value(0)),
            hours_verified=_hours_sum(verified=True),
            hours_self_reported=_hours_sum(verified=False),
            hours_required=F("contract__community_condition__hours_required"),
            urgency=SqlCase(
                When(deadline_near & Q(state__in=list(UNRESOLVED_STATES)), then=Value(0)),
                When(state=CaseState.ACCEPTED, then=Value(1)),
                When(open_case & Q(outcomes_due__gt=0), then=Value(2)),
                When(open_case & Q(open_events__gt=0), then=Value(3)),
                When(open_case & Q(hours_self_reported__gt=0), then=Value(4)),
                When(state__in=list(REVIEW_STATES), then=Value(AWAITING_REVIEW)),
                default=Value(9),
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
                "referral__provider", "outcome_recorded_by", "cancelled_by", "rescheduled_to"
            ),
        ),
        Prefetch(
            "compliance_events",
            to_attr="event_list",
            queryset=ComplianceEvent.objects.select_related("raised_by", "resolved_by"),
        ),
        Prefetch(
            "notes",
            to_attr="note_list",
            queryset=CaseNote.objects.select_related("author", "withdrawn_by"),
        ),
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
        Prefetch(
            "rearrests",
            to_attr="pending_rearrest_list",
            queryset=RearrestMatch.objects.filter(status=MatchStatus.PENDING).select_related(
                "new_case__arrest"
            ),
        ),
        *_timeline_prefetches(),
    )
    # The participant's own non-compliance, apart from the tasks for staff (an outcome not yet
    # recorded): only the former is ever shown as a breach.
    case.participant_event_list = [e for e in case.event_list if not e.is_staff_task]
    staff_tasks = [e for e in case.event_list if e.is_staff_task]
    case.staff_task_list = [e for e in staff_tasks if e.status == EventStatus.OPEN]
    case.done_staff_task_list = [e for e in staff_tasks if e.status != EventStatus.OPEN]
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
        list(community.hours_log.select_related("verified_by", "reported_by", "withdrawn_by"))
        if community
        else []
    )
    # What was corrected or withdrawn, to show the original struck through.
    corrections.mark_replacements(case.hours_list)
    corrections.mark_replacements(case.note_list)
    corrections.earlier_versions(case, case.referral_list)
    return case


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    title: str
    by: str
    detail: str = ""
    # The note or hours entry shown (its withdrawal, if any, is shown with it), and which.
    record: Any = None
    kind: str = ""


def case_timeline(case: Case, *, staff_tasks: bool = True) -> list[TimelineEntry]:
    """Transitions and recorded changes, newest first (from the prefetched lists).

    ``staff_tasks=False`` leaves out the tasks for staff (an outcome not yet recorded), for the
    pages that judge the participant's conduct: the breach review and the prosecution file."""
    entries = [
        TimelineEntry(case.created_at, "Case opened in custody", display_name(case.opened_by))
    ]
    entries += [
        TimelineEntry(
            h.created_at,
            f"{format_hours(h.hours)} hours of community work logged",
            display_name(h.reported_by) or "The participant",
            f"{h.activity}, {h.worked_on:%-d %b %Y}"
            + ("" if h.verified_at else " (self-reported)"),
            record=h,
            kind="hours",
        )
        for h in getattr(case, "hours_list", [])
    ]
    entries += _withdrawals(getattr(case, "hours_list", []), "Hours entry")
    entries += _withdrawals(case.note_list, "Note")
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
        TimelineEntry(
            n.created_at,
            "Note added (a correction)" if n.corrects_id else "Note added",
            display_name(n.author),
            n.text,
            record=n,
            kind="note",
        )
        for n in case.note_list
    ]
    events = [e for e in case.event_list if staff_tasks or not e.is_staff_task]
    entries += [
        TimelineEntry(
            e.raised_at,
            f"Task for staff: {e.get_kind_display()}" if e.is_staff_task else e.get_kind_display(),
            display_name(e.raised_by) if e.raised_by else "Scheduled check",
            e.detail,
        )
        for e in events
    ]
    entries += [
        TimelineEntry(
            e.resolved_at,
            f"{e.get_kind_display()}: {e.get_status_display().lower()}"
            + (f" ({e.get_resolved_how_display().lower()})" if e.resolved_how else ""),
            display_name(e.resolved_by),
            e.resolution,
        )
        for e in events
        if e.resolved_at
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
    entries += [
        TimelineEntry(
            a.cancelled_at,
            "Appointment cancelled",
            display_name(a.cancelled_by),
            f"{a}: {a.cancel_reason}",
        )
        for a in case.appointment_list
        if a.cancelled_at
    ]
    return sorted(entries, key=lambda e: e.at, reverse=True)


def _withdrawals(records, what: str) -> list[TimelineEntry]:
    """An entry for each record withdrawn or corrected (``replaced_by``: the correction)."""
    return [
        TimelineEntry(
            r.withdrawn_at,
            f"{what} {'corrected' if getattr(r, 'replaced_by', None) else 'withdrawn'}",
            display_name(r.withdrawn_by),
            r.withdrawal_reason,
        )
        for r in records
        if r.withdrawn_at
    ]


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
