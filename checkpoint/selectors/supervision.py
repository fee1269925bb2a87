"""Reads for the day-to-day supervision screens (appointments, hours, compliance).

Each selector takes the requesting user and scopes through ``checkpoint.access``, so a record
of a case out of the user's reach is reported as not found (``RecordNotFound``), like the
case itself.
"""

from __future__ import annotations

from django.db.models import QuerySet

from checkpoint import access
from checkpoint.errors import RecordNotFound
from checkpoint.models import (
    Appointment,
    Case,
    ComplianceEvent,
    HoursLogEntry,
    OffenceType,
    PathwayReferral,
)


def _visible_case_ids(user) -> QuerySet:
    return access.cases_visible_to(user).values("pk")


def referral_list_for(user, case: Case) -> list[PathwayReferral]:
    """The case's Pathway referrals with their attendance (``attended``), for linking an
    appointment to one or recording how one ended."""
    return list(
        PathwayReferral.objects.filter(
            contract__case=case, contract__case__in=_visible_case_ids(user)
        ).with_attendance()
    )


def appointment_get_for(user, case: Case, appointment_id: int) -> Appointment:
    """One appointment of ``case``, or ``RecordNotFound`` when it belongs to another case."""
    try:
        return Appointment.objects.select_related("referral__provider").get(
            pk=appointment_id, case=case, case__in=_visible_case_ids(user)
        )
    except Appointment.DoesNotExist:
        raise RecordNotFound("Appointment") from None


def hours_entry_get_for(user, case: Case, entry_id: int) -> HoursLogEntry:
    """One hours log entry of ``case``, or ``RecordNotFound`` when it belongs to another case."""
    try:
        return HoursLogEntry.objects.get(
            pk=entry_id,
            community_condition__contract__case=case,
            community_condition__contract__case__in=_visible_case_ids(user),
        )
    except HoursLogEntry.DoesNotExist:
        raise RecordNotFound("Hours entry") from None


def hours_awaiting_verification_for(user, case: Case) -> list[HoursLogEntry]:
    """Self-reported hours of ``case`` that nobody has verified yet, oldest first."""
    return list(
        HoursLogEntry.objects.filter(
            community_condition__contract__case=case,
            community_condition__contract__case__in=_visible_case_ids(user),
            verified_at__isnull=True,
        ).order_by("worked_on", "pk")
    )


def open_event_list_for(user, case: Case) -> list[ComplianceEvent]:
    """The case's open findings about the participant's conduct, newest first: a warning
    concerns these (staff tasks, such as an outcome not yet recorded, are not conduct)."""
    return list(
        ComplianceEvent.objects.filter(case=case, case__in=_visible_case_ids(user))
        .open()
        .participant()
    )


def offence_type_list() -> list[OffenceType]:
    """The offence catalogue. Reference data, the same for every user."""
    return list(OffenceType.objects.order_by("title"))
