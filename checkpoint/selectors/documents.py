"""What the participant's documents say: the contract's terms and the facts of each letter
(an appointment, a warning, a breach decision, the outcome), read for a case the user may see.

Each function takes a case already loaded through ``case_get_for`` (so within the user's
reach) and returns plain values; the documents themselves are written in the web shell
(``web/documents.py`` and ``web/templates/documents/``), in the person's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from checkpoint.deadlines import contract_dates
from checkpoint.models import (
    Appointment,
    BreachReview,
    Case,
    CommunityKind,
    ComplianceWarning,
    PathwayReferral,
    ReferralStatus,
)
from checkpoint.services.errors import RecordNotFound
from checkpoint.text import display_name


@dataclass(frozen=True)
class Contact:
    """Who writes to the participant and how to reach them."""

    name: str
    role: str
    team: str
    email: str
    phone: str


@dataclass(frozen=True)
class ReferralTerms:
    pathway: str
    provider: str
    provider_address: list[str]
    provider_phone: str
    provider_email: str
    what: str
    frequency: str
    required_sessions: int


@dataclass(frozen=True)
class ContractTerms:
    """The contract as the person agrees to it (a draft's dates are those proposed)."""

    starts_on: date | None
    ends_on: date | None
    months: int
    offences: list[str]
    offending_terms: str
    victim_approach: str  # a ``RestorativeApproach`` value, "" when not yet set
    victim_due_on: date | None
    referrals: list[ReferralTerms]
    community_kind: str  # a ``CommunityKind`` value, "" when none
    hours_required: int | None
    gps_starts_on: date | None
    gps_ends_on: date | None
    signed: bool


def navigator_contact(case: Case) -> Contact:
    """The case's navigator (or, before one is allocated, the team) as the person's contact."""
    navigator = case.navigator
    return Contact(
        name=display_name(navigator),
        role="navigator",
        team=case.team.name,
        email=navigator.email if navigator is not None else "",
        phone=settings.PARTICIPANT_CONTACT_PHONE,
    )


def staff_contact(user, case: Case, role: str) -> Contact:
    return Contact(
        name=display_name(user),
        role=role,
        team=case.team.name,
        email=getattr(user, "email", "") or "",
        phone=settings.PARTICIPANT_CONTACT_PHONE,
    )


def offence_titles(case: Case) -> list[str]:
    return [o.offence_type.title for o in case.arrest.offences.select_related("offence_type")]


def _referral_terms(referral: PathwayReferral) -> ReferralTerms:
    provider = referral.provider
    return ReferralTerms(
        pathway=referral.pathway.name,
        provider=provider.name,
        provider_address=[line.strip() for line in provider.address.splitlines() if line.strip()],
        provider_phone=provider.phone,
        provider_email=provider.email,
        what=referral.what,
        frequency=referral.frequency,
        required_sessions=referral.required_sessions,
    )


def contract_terms(case: Case, *, starts_on: date | None = None) -> ContractTerms:
    """The contract of ``case`` (``RecordNotFound`` without one). ``starts_on``: the start
    proposed on the check page before signing, the end worked out from it as signing would
    (a signed contract has its own dates)."""
    contract = getattr(case, "contract", None)
    if contract is None:
        raise RecordNotFound("Contract")
    ends_on = None
    if contract.starts_on is None and starts_on is not None:
        ends_on = contract_dates(
            starts_on=starts_on,
            months=case.scheme_version.contract_months,
            deadline=case.prosecution_deadline,
            warning_days=case.scheme_version.deadline_warning_days,
        ).ends_on
    offending = getattr(contract, "offending_condition", None)
    victim = getattr(contract, "victim_condition", None)
    community = getattr(contract, "community_condition", None)
    referrals = (
        contract.referrals.exclude(status__in=[ReferralStatus.WITHDRAWN, ReferralStatus.REPLACED])
        .select_related("provider", "pathway")
        .order_by("pk")
    )
    return ContractTerms(
        starts_on=contract.starts_on or starts_on,
        ends_on=contract.ends_on or ends_on,
        months=case.scheme_version.contract_months,
        offences=offence_titles(case),
        offending_terms=offending.terms if offending is not None else "",
        victim_approach=victim.approach if victim is not None else "",
        victim_due_on=victim.due_on if victim is not None else None,
        referrals=[_referral_terms(r) for r in referrals],
        community_kind=community.kind if community is not None else "",
        hours_required=(
            community.hours_required
            if community is not None and community.kind == CommunityKind.HOURS
            else None
        ),
        gps_starts_on=community.gps_starts_on if community is not None else None,
        gps_ends_on=community.gps_ends_on if community is not None else None,
        signed=contract.signed_at is not None,
    )


def appointment_for_letter(case: Case, appointment_id: int) -> Appointment:
    """One appointment of ``case`` (``RecordNotFound`` when it is another case's)."""
    appointment = (
        Appointment.objects.select_related("referral__provider", "referral__pathway")
        .filter(pk=appointment_id, case=case)
        .first()
    )
    if appointment is None:
        raise RecordNotFound("Appointment")
    return appointment


def appointment_letter_refusal(appointment: Appointment) -> str | None:
    """Why there is no letter for this appointment (a letter about it would mislead)."""
    if appointment.cancelled_at is not None:
        return "This appointment was cancelled, so there is no letter for it."
    if appointment.rescheduled_to_id is not None:
        return "This appointment was moved: print the letter for its new time."
    if appointment.outcome:
        return "This appointment has taken place, so there is no letter for it."
    return None


def warning_for_letter(case: Case, warning_id: int | None = None) -> ComplianceWarning:
    """One of the case's warnings (the latest by default), with the events it was about."""
    warnings = case.warnings.select_related("issued_by").prefetch_related("events")
    warning = warnings.filter(pk=warning_id).first() if warning_id else warnings.first()
    if warning is None:
        raise RecordNotFound("Warning")
    return warning


def breach_decision_for_letter(case: Case, review_id: int | None = None) -> BreachReview:
    """One of the case's decided breach reviews (the latest by default)."""
    reviews = case.breach_reviews.exclude(decision="").select_related("decided_by")
    review = reviews.filter(pk=review_id).first() if review_id else reviews.first()
    if review is None:
        raise RecordNotFound("Breach decision")
    return review
