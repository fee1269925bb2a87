"""Reads for the contract builder: the case with its draft contract, the task list's statuses,
the services a referral can go to, and the victim's wishes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from checkpoint.blockers import Blocker, BlockerCode, has
from checkpoint.errors import RecordNotFound
from checkpoint.models import (
    APPROACH_FOR_PREFERENCE,
    Case,
    CommunityKind,
    ConsentDocument,
    Offence,
    PathwayReferral,
    RestorativeApproach,
    RestorativePreference,
    ServiceProvider,
    VictimWishes,
)
from checkpoint.text import display_name, long_date

from . import case_get_for
from .needs import providers_suited_to

CONTRACT_RELATED = (
    "contract__offending_condition",
    "contract__victim_condition",
    "contract__community_condition",
)


# The builder's pages a task leads to.
VICTIM, REFERRAL, COMMUNITY, CONSENT, SIGN = "victim", "referral", "community", "consent", "sign"

COMPLETED, INCOMPLETE, NOT_STARTED, CANNOT_START = (
    "Completed",
    "Incomplete",
    "Not yet started",
    "Cannot start yet",
)


@dataclass(frozen=True)
class Task:
    """One row of the builder's task list. ``page`` names the builder page that does it (the
    screen app maps it to a URL), or is None for a task with no page."""

    title: str
    status: str
    page: str | None
    hint: str = ""
    details: tuple[str, ...] = ()


def contract_builder_for(user, reference: str) -> Case:
    """A case the user can reach with its contract, conditions, referrals, offences and the
    victim's wishes (newest first) loaded, in a fixed number of queries; ``CaseNotFound``
    otherwise."""
    case = case_get_for(user, reference, related=CONTRACT_RELATED)
    prefetch_related_objects(
        [case],
        Prefetch(
            "victims",
            queryset=VictimWishes.objects.order_by("-created_at", "-pk"),
            to_attr="victim_list",
        ),
        Prefetch("arrest__offences", queryset=Offence.objects.all(), to_attr="offence_list"),
    )
    contract = getattr(case, "contract", None)
    if contract is not None:
        contract.consent_document_list = consent_documents_of(contract)
    case.referral_list = (
        list(
            PathwayReferral.objects.filter(contract=contract).select_related("provider", "pathway")
        )
        if contract
        else []
    )
    return case


def consent_documents_of(contract) -> list[ConsentDocument]:
    """The scans of the signed consent form, oldest first, with who uploaded them. The contract
    comes from a user-scoped selector: reach was decided there."""
    return list(contract.consent_documents.select_related("uploaded_by"))


def consent_document_get_for(user, case: Case, pk: int) -> ConsentDocument:
    """One scan of this case's consent form, or ``RecordNotFound``: ``case`` comes from
    ``case_get_for``
    (the user reaches it), and a scan of another case under this reference is not found."""
    try:
        return ConsentDocument.objects.get(pk=pk, contract__case=case)
    except ConsentDocument.DoesNotExist:
        raise RecordNotFound("Document") from None


def referral_providers(person) -> list[ServiceProvider]:
    """Active services this person can use, with the pathways each offers (referral form)."""
    return list(providers_suited_to(person).prefetch_related("pathways").order_by("name"))


def suggested_approach(case: Case) -> str | None:
    """The restorative approach the victim's recorded wishes point to (from ``victim_list``).

    Any victim who asked for no contact wins (the service refuses anything else); otherwise the
    latest wishes; with no victim at all among the offences, 'No identifiable victim'.
    """
    wishes = case.victim_list
    if any(w.restorative_preference == RestorativePreference.NO_CONTACT for w in wishes):
        return RestorativeApproach.VICTIM_DECLINED
    if wishes:
        return APPROACH_FOR_PREFERENCE.get(RestorativePreference(wishes[0].restorative_preference))
    offences = case.arrest.offence_list
    if offences and not any(o.has_victim for o in offences):
        return RestorativeApproach.NO_VICTIM
    return None


def contract_tasks(case: Case) -> list[Task]:
    """The builder's tasks and their statuses, from a case loaded by ``contract_builder_for``."""
    contract = getattr(case, "contract", None)
    if contract is None:
        return [Task(title, CANNOT_START, None) for title in _TITLES]
    blockers = contract.blockers()
    scheme = case.scheme_version
    tasks = [
        Task("Offending condition", COMPLETED, None, "Added when the contract was started"),
        _victim_task(contract, case.victim_list),
        _referral_task(case.referral_list, scheme.pathway_required),
        _community_task(contract, blockers),
        _consent_task(contract, blockers, scheme.signed_consent_required),
    ]
    if blockers:
        tasks.append(Task("Sign the contract", CANNOT_START, None))
    else:
        tasks.append(Task("Sign the contract", NOT_STARTED, SIGN))
    return tasks


_TITLES = (
    "Offending condition",
    "Victim condition",
    "Pathway referrals",
    "Community condition",
    "Participant's consent",
    "Sign the contract",
)


def _victim_task(contract, wishes) -> Task:
    hint = (
        f"The victim asked for: {wishes[0].get_restorative_preference_display().lower()}"
        if wishes
        else "The victim's wishes are not recorded yet"
    )
    condition = getattr(contract, "victim_condition", None)
    if condition is None:
        return Task("Victim condition", NOT_STARTED, VICTIM, hint)
    return Task(
        "Victim condition",
        COMPLETED,
        VICTIM,
        condition.get_approach_display(),
    )


def _referral_task(referrals, required: bool) -> Task:
    details = tuple(
        f"{r.provider.name} ({r.pathway.name}): {r.what}, {r.frequency.lower()}, "
        f"{r.required_sessions} session{'s' if r.required_sessions != 1 else ''}"
        for r in referrals
    )
    hint = "" if required else "Optional in this scheme"
    status = COMPLETED if referrals else NOT_STARTED
    return Task("Pathway referrals", status, REFERRAL, hint, details)


def _community_task(contract, blockers: list[Blocker]) -> Task:
    condition = getattr(contract, "community_condition", None)
    if condition is None:
        return Task("Community condition", NOT_STARTED, COMMUNITY)
    out_of_range = has(blockers, BlockerCode.COMMUNITY_HOURS_OUT_OF_RANGE)
    if condition.kind == CommunityKind.HOURS:
        hint = f"{condition.hours_required} hours of unpaid work"
    else:
        hint = (
            f"GPS tag from {condition.gps_starts_on:%-d %B %Y} to {condition.gps_ends_on:%-d %B %Y}"
        )
    status = INCOMPLETE if out_of_range else COMPLETED
    return Task("Community condition", status, COMMUNITY, hint)


def _consent_task(contract, blockers: list[Blocker], signed_required: bool) -> Task:
    if has(blockers, BlockerCode.CONSENT_MISSING):
        hint = "This scheme needs consent on a signed form" if signed_required else ""
        return Task("Participant's consent", NOT_STARTED, CONSENT, hint)
    hint = f"{contract.get_consent_method_display()}, {long_date(contract.consent_given_on)}"
    if has(blockers, BlockerCode.CONSENT_NOT_ON_SIGNED_FORM):
        return Task(
            "Participant's consent",
            INCOMPLETE,
            CONSENT,
            "This scheme needs consent on a signed form",
        )
    scans = tuple(
        f"Scan: {d.original_filename} ({filesizeformat(d.size)}), uploaded by "
        f"{display_name(d.uploaded_by)} on "
        f"{long_date(timezone.localtime(d.uploaded_at).date())} at "
        f"{timezone.localtime(d.uploaded_at):%H:%M}"
        for d in getattr(contract, "consent_document_list", [])
    )
    if has(blockers, BlockerCode.CONSENT_SCAN_MISSING):
        hint = f"{hint}. Upload the scan of the signed consent form"
        return Task("Participant's consent", INCOMPLETE, CONSENT, hint)
    return Task("Participant's consent", COMPLETED, CONSENT, hint, scans)
