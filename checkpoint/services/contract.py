"""Building and signing the contract: the four conditions, consent, start date."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction

from checkpoint import dates
from checkpoint.actors import Actor, user_of
from checkpoint.models import (
    APPROACH_FOR_PREFERENCE,
    TERMINAL_STATES,
    Case,
    CaseState,
    CommunityCondition,
    CommunityKind,
    ConsentMethod,
    Contract,
    Language,
    OffendingCondition,
    PathwayReferral,
    RestorativeApproach,
    RestorativePreference,
    SchemeVersion,
    ServiceProvider,
    VictimCondition,
    VictimWishes,
)
from checkpoint.permissions import Permission
from checkpoint.text import long_date

from .common import require_not_future, require_plain_text, require_text, resolve_now, today_of
from .errors import InvalidInput, TransitionBlocked
from .locking import lock_case
from .transitions import apply_transition
from .victims import current_wishes, notify_victims

# How far ahead of today a contract may be dated to start (e.g. signed on a Friday for Monday).
MAX_START_AHEAD_DAYS = 14
CONTRACT_RELATED = (
    "arrest",
    "contract__offending_condition",
    "contract__victim_condition",
    "contract__community_condition",
)


def _draft_contract(
    case_id: int, by: Actor, needs: Permission = Permission.BUILD_CONTRACT
) -> tuple[Case, Contract]:
    """Lock the case and return its unsigned contract (conditions change only before signing)."""
    case = lock_case(case_id, by=by, needs=needs, related=CONTRACT_RELATED)
    contract = getattr(case, "contract", None)
    if case.state != CaseState.ACCEPTED:
        raise TransitionBlocked(
            f"This case is now '{case.get_state_display()}': the contract can only be changed "
            "after the person accepts and before it is signed."
        )
    if contract is None:
        raise TransitionBlocked("Start the contract first, then add its conditions.")
    return case, contract


@transaction.atomic
def contract_open(*, case_id: int, by: Actor) -> Contract:
    """Start the contract for an accepted case, with the mandatory Offending condition."""
    case = lock_case(case_id, by=by, needs=Permission.BUILD_CONTRACT, related=("contract",))
    if case.state != CaseState.ACCEPTED:
        raise TransitionBlocked("A contract is built once the person has accepted the offer.")
    contract, created = Contract.objects.get_or_create(
        case=case, defaults={"created_by": user_of(by)}
    )
    if created:
        OffendingCondition.objects.create(contract=contract)
    return contract


@transaction.atomic
def victim_wishes_record(
    *,
    case_id: int,
    by: Actor,
    name: str,
    restorative_preference: str,
    keep_informed: bool,
    mobile: str = "",
    email: str = "",
    preferred_language: str = Language.ENGLISH,
    now: datetime | None = None,
) -> VictimWishes:
    """Record what the victim wants (DESIGN.md 1.1b), and the language of their updates."""
    now = resolve_now(now)
    case = lock_case(case_id, by=by, needs=Permission.BUILD_CONTRACT)
    if case.state in TERMINAL_STATES:
        raise TransitionBlocked(
            f"This case is now '{case.get_state_display()}': the victim's wishes are recorded "
            "while the case is open."
        )
    if restorative_preference not in RestorativePreference.values:
        raise InvalidInput("Select what the victim wants", field="restorative_preference")
    if keep_informed and not (mobile.strip() or email.strip()):
        raise InvalidInput(
            "To keep the victim informed, enter a mobile number or email", field="mobile"
        )
    if preferred_language not in Language.values:
        raise InvalidInput(
            "Select the language for the victim's updates", field="preferred_language"
        )
    return VictimWishes.objects.create(
        case=case,
        name=require_plain_text(
            require_text(name, field="name", message="Enter the victim's name"),
            field="name",
            what="The victim's name",
        ),
        restorative_preference=restorative_preference,
        keep_informed=keep_informed,
        mobile=mobile.strip(),
        email=email.strip(),
        preferred_language=preferred_language,
        recorded_on=today_of(now),
        recorded_by=user_of(by),
    )


@transaction.atomic
def victim_condition_set(
    *, case_id: int, by: Actor, approach: str, reason: str = ""
) -> VictimCondition:
    """Set the restorative approach; it must respect what the victim asked for, or say why
    not (``reason``: e.g. the victim has since agreed to meet)."""
    case, contract = _draft_contract(case_id, by)
    if approach not in RestorativeApproach.values:
        raise InvalidInput("Select the restorative approach", field="approach")
    _check_against_wishes(case, approach, reason)
    no_contact = case.victims.filter(
        restorative_preference=RestorativePreference.NO_CONTACT
    ).exists()
    if no_contact and approach not in VictimCondition.NOTHING_REQUIRED:
        raise InvalidInput(
            "The victim asked for no contact: choose 'Victim declined'", field="approach"
        )
    has_victim = case.arrest.offences.filter(has_victim=True).exists()
    if has_victim and approach == RestorativeApproach.NO_VICTIM:
        raise InvalidInput(
            "The offence has a victim: choose a restorative approach or 'Victim declined'",
            field="approach",
        )
    if not has_victim and approach != RestorativeApproach.NO_VICTIM:
        raise InvalidInput(
            "The offence has no identifiable victim: choose 'No identifiable victim'",
            field="approach",
        )
    condition, _ = VictimCondition.objects.update_or_create(
        contract=contract, defaults={"approach": approach, "approach_reason": reason.strip()}
    )
    return condition


def _check_against_wishes(case: Case, approach: str, reason: str) -> None:
    """The approach is the one the victim asked for, 'victim declined', or it comes with a
    reason (their latest recorded wishes decide; DESIGN.md 1.1b)."""
    asked = {
        APPROACH_FOR_PREFERENCE[RestorativePreference(w.restorative_preference)]
        for w in current_wishes(case)
        if w.restorative_preference != RestorativePreference.NO_CONTACT
    }
    if not asked or approach in asked or approach in VictimCondition.NOTHING_REQUIRED:
        return
    if not reason.strip():
        wanted = " or ".join(sorted(RestorativeApproach(a).label.lower() for a in asked))
        raise InvalidInput(
            f"The victim asked for a {wanted}: choose it, or say why the approach differs",
            field="reason",
        )


@transaction.atomic
def referral_add(
    *,
    case_id: int,
    by: Actor,
    provider_id: int,
    pathway_id: int,
    what: str,
    frequency: str,
    required_sessions: int,
) -> PathwayReferral:
    """Add a Pathway referral to a service from the directory."""
    _case, contract = _draft_contract(case_id, by)
    provider = ServiceProvider.objects.active().filter(pk=provider_id).first()
    if provider is None:
        raise InvalidInput("Select a service from the directory", field="provider")
    if not provider.pathways.filter(pk=pathway_id).exists():
        raise InvalidInput(f"{provider.name} does not offer that pathway", field="pathway")
    if not 1 <= required_sessions <= 100:
        raise InvalidInput("Required sessions must be between 1 and 100", field="required_sessions")
    return PathwayReferral.objects.create(
        contract=contract,
        provider=provider,
        pathway_id=pathway_id,
        what=require_text(what, field="what", message="Enter what the participant will do"),
        frequency=require_text(frequency, field="frequency", message="Enter how often"),
        required_sessions=required_sessions,
    )


@transaction.atomic
def community_set(
    *,
    case_id: int,
    by: Actor,
    kind: str,
    hours_required: int | None = None,
    gps_starts_on: date | None = None,
    gps_ends_on: date | None = None,
) -> CommunityCondition:
    """Set the Community condition: hours within the scheme's range, or a GPS tag period."""
    case, contract = _draft_contract(case_id, by)
    scheme = case.scheme_version
    values: dict[str, object] = {
        "kind": kind,
        "hours_required": None,
        "gps_starts_on": None,
        "gps_ends_on": None,
    }
    if kind == CommunityKind.HOURS:
        if hours_required is None or not scheme.hours_min <= hours_required <= scheme.hours_max:
            raise InvalidInput(
                f"Community hours must be between {scheme.hours_min} and {scheme.hours_max}",
                field="hours_required",
            )
        values["hours_required"] = hours_required
    elif kind == CommunityKind.GPS_TAG:
        _check_gps(scheme, gps_starts_on, gps_ends_on)
        values.update(gps_starts_on=gps_starts_on, gps_ends_on=gps_ends_on)
    else:
        raise InvalidInput("Select unpaid work or a GPS tag", field="kind")
    condition, _ = CommunityCondition.objects.update_or_create(contract=contract, defaults=values)
    return condition


def _check_gps(scheme: SchemeVersion, starts_on: date | None, ends_on: date | None) -> None:
    if not scheme.gps_tag_allowed:
        raise InvalidInput("This scheme does not use GPS tags", field="kind")
    if starts_on is None or ends_on is None:
        raise InvalidInput("Enter the dates the GPS tag is worn", field="gps_starts_on")
    if ends_on <= starts_on:
        raise InvalidInput("The GPS tag end date must be after the start date", field="gps_ends_on")
    if (ends_on - starts_on).days > scheme.gps_tag_max_days:
        raise InvalidInput(
            f"A GPS tag can be worn for at most {scheme.gps_tag_max_days} days",
            field="gps_ends_on",
        )


@transaction.atomic
def consent_record(
    *, case_id: int, by: Actor, method: str, given_on: date, now: datetime | None = None
) -> Contract:
    """Record the participant's agreement to the contract (signed form or in-person)."""
    today = today_of(resolve_now(now))
    case, contract = _draft_contract(case_id, by)
    if method not in ConsentMethod.values:
        raise InvalidInput("Select how consent was given", field="method")
    require_not_future(given_on, today=today, field="given_on", what="The date of consent")
    arrested_on = today_of(case.arrest.arrested_at)
    if given_on < arrested_on:
        raise InvalidInput(
            f"Consent cannot be dated before the arrest on {long_date(arrested_on)}",
            field="given_on",
        )
    contract.consent_method, contract.consent_given_on = method, given_on
    contract.consent_recorded_by = user_of(by)
    contract.save()
    return contract


@transaction.atomic
def contract_sign(*, case_id: int, by: Actor, starts_on: date, now: datetime | None = None) -> Case:
    """Sign the contract: it starts on ``starts_on`` and ends N calendar months later."""
    now = resolve_now(now)
    today = today_of(now)
    case, contract = _draft_contract(case_id, by, Permission.SIGN_CONTRACT)
    # The window the page's hint states: today, or up to MAX_START_AHEAD_DAYS days ahead.
    if not today <= starts_on <= today + timedelta(days=MAX_START_AHEAD_DAYS):
        raise InvalidInput(
            f"The start date must be today or up to {MAX_START_AHEAD_DAYS} days ahead, "
            f"between {long_date(today)} and "
            f"{long_date(today + timedelta(days=MAX_START_AHEAD_DAYS))}",
            field="starts_on",
        )
    if contract.consent_given_on and starts_on < contract.consent_given_on:
        raise InvalidInput("The contract cannot start before consent was given", field="starts_on")
    scheme = case.scheme_version
    contract.starts_on = starts_on
    contract.ends_on = dates.contract_end(starts_on, scheme.contract_months)
    contract.signed_at = now
    victim = getattr(contract, "victim_condition", None)
    if victim is not None and victim.due_on is None:
        victim.due_on = starts_on + timedelta(days=scheme.restorative_due_days)
    blockers = contract.blockers()
    apply_transition(case, "sign_contract", by=by, at=now, blockers=blockers)
    contract.save()
    if victim is not None:
        victim.save()
    notify_victims(case, event="contract_signed", now=now, ends_on=contract.ends_on.isoformat())
    return case
