"""The contract and its four conditions, and the victim's wishes.

Conditions (DESIGN.md 1.1 stage 4):

- Offending (mandatory): no further offence during the contract.
- Victim (mandatory): a restorative approach if the victim wishes.
- Pathway: referrals to services that address the causes of offending.
- Community: unpaid work within the scheme's hours range, or a GPS tag for a period.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Count, Q, Sum

from checkpoint import conditions
from checkpoint.blockers import Blocker
from checkpoint.blockers import BlockerCode as B
from checkpoint.text import long_date

from .base import TimeStamped, choices_check
from .case import Case
from .directory import Pathway, ServiceProvider
from .person import Language

if TYPE_CHECKING:
    from .consent import ConsentDocument


class RestorativePreference(models.TextChoices):
    NO_CONTACT = "no_contact", "No contact"
    LETTER = "letter", "Letter of apology"
    FACE_TO_FACE = "face_to_face", "Face-to-face conference"
    SHUTTLE = "shuttle", "Shuttle (indirect) restorative justice"


class VictimWishes(TimeStamped):
    """What the victim wants: a restorative preference and whether to be kept informed."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="victims")
    name = models.CharField(max_length=150, help_text="Or the organisation, for business victims.")
    restorative_preference = models.CharField(max_length=20, choices=RestorativePreference.choices)
    keep_informed = models.BooleanField(default=False)
    mobile = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    # The language of the updates sent to them (English or Welsh).
    preferred_language = models.CharField(
        "Language for updates", max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name_plural = "victim wishes"
        constraints = [
            choices_check("restorative_preference", RestorativePreference),
            choices_check("preferred_language", Language),
            models.CheckConstraint(
                condition=Q(keep_informed=False) | ~Q(mobile="") | ~Q(email=""),
                name="victimwishes_informed_needs_contact",
                violation_error_message="To keep the victim informed, record a mobile or email.",
            ),
        ]

    def __str__(self) -> str:
        return f"Victim wishes for {self.case}"


class ConsentMethod(models.TextChoices):
    PAPER_SIGNED = "paper_signed", "Signed paper form (scanned)"
    IN_PERSON = "in_person", "In-person e-consent"


class Contract(TimeStamped):
    """The participant's contract. Dates are set when it is signed (the case becomes active)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="contract")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    consent_method = models.CharField(max_length=20, choices=ConsentMethod.choices, blank=True)
    consent_given_on = models.DateField(null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    # Set by the selectors on the contracts they return; not a column.
    consent_document_list: list[ConsentDocument]

    class Meta:
        constraints = [
            choices_check("consent_method", ConsentMethod, blank=True),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="contract_ends_after_start",
                violation_error_message="The contract must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(consent_given_on__isnull=True)
                | (~Q(consent_method="") & Q(consent_recorded_by__isnull=False)),
                name="contract_consent_complete",
                violation_error_message="Consent needs how it was given and who recorded it.",
            ),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True)
                | (Q(starts_on__isnull=False) & Q(consent_given_on__isnull=False)),
                name="contract_signed_needs_dates_and_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"Contract for {self.case}"

    @property
    def consent_recorded(self) -> bool:
        return self.consent_given_on is not None

    def blockers(self) -> list[Blocker]:
        """What stops this contract being signed, each with a code and a message a navigator
        can act on. Uses the related conditions (select them to keep this to a few queries).
        """
        scheme = self.case.scheme_version
        problems = []
        if not hasattr(self, "offending_condition"):
            problems.append(Blocker(B.OFFENDING_CONDITION_MISSING, "Add the Offending condition"))
        if not hasattr(self, "victim_condition"):
            problems.append(Blocker(B.VICTIM_CONDITION_MISSING, "Add the Victim condition"))
        if (
            scheme.pathway_required
            and not self.referrals.exclude(status=ReferralStatus.WITHDRAWN).exists()
        ):
            problems.append(
                Blocker(B.PATHWAY_REFERRAL_MISSING, "Add at least one Pathway referral")
            )
        problems += self._community_blockers(scheme)
        problems += self._consent_blockers(scheme)
        return problems

    def _community_blockers(self, scheme) -> list[Blocker]:
        community = getattr(self, "community_condition", None)
        if community is None:
            if scheme.community_required:
                return [Blocker(B.COMMUNITY_CONDITION_MISSING, "Add the Community condition")]
            return []
        hours = community.hours_required or 0
        if community.kind == CommunityKind.HOURS and not (
            scheme.hours_min <= hours <= scheme.hours_max
        ):
            message = f"Community hours must be between {scheme.hours_min} and {scheme.hours_max}"
            return [Blocker(B.COMMUNITY_HOURS_OUT_OF_RANGE, message)]
        return []

    def _consent_blockers(self, scheme) -> list[Blocker]:
        if not self.consent_recorded:
            return [Blocker(B.CONSENT_MISSING, "Record the participant's consent")]
        if scheme.signed_consent_required and self.consent_method != ConsentMethod.PAPER_SIGNED:
            return [
                Blocker(B.CONSENT_NOT_ON_SIGNED_FORM, "This scheme needs consent on a signed form")
            ]
        if scheme.signed_consent_required and not self.consent_documents.exists():
            # Scheme policy (signed_consent_required): the signed form itself is kept on file.
            return [Blocker(B.CONSENT_SCAN_MISSING, "Upload the scan of the signed consent form")]
        return []

    def condition_facts(self) -> conditions.ContractFacts:
        """The facts ``checkpoint.conditions`` judges the four conditions on (a few queries)."""
        scheme = self.case.scheme_version
        victim = getattr(self, "victim_condition", None)
        return conditions.ContractFacts(
            new_offences=tuple(
                conditions.NewOffenceFact(o.reported_on, o.description)
                for o in self.case.new_offences.order_by("reported_on", "pk")
            ),
            victim=victim.fact() if victim is not None else None,
            referrals=tuple(
                r.fact()
                for r in self.referrals.exclude(status=ReferralStatus.WITHDRAWN).with_attendance()
            ),
            pathway_required=scheme.pathway_required,
            community=(
                self.community_condition.fact() if hasattr(self, "community_condition") else None
            ),
            community_required=scheme.community_required,
        )

    def condition_statuses(self) -> list[conditions.ConditionStatus]:
        """Each condition with its status and evidence (``checkpoint.conditions``)."""
        return conditions.statuses(self.condition_facts())


class OffendingCondition(models.Model):
    """Mandatory: no further offence during the contract (reports in ``NewOffenceReport``)."""

    contract = models.OneToOneField(
        Contract, on_delete=models.CASCADE, related_name="offending_condition"
    )
    terms = models.TextField(default="Not to commit any further offence during the contract.")

    def __str__(self) -> str:
        return f"Offending condition ({self.contract})"


class RestorativeApproach(models.TextChoices):
    NO_VICTIM = "no_victim", "No identifiable victim"
    VICTIM_DECLINED = "victim_declined", "Victim declined a restorative approach"
    LETTER = "letter", "Letter of apology"
    FACE_TO_FACE = "face_to_face", "Face-to-face conference"
    SHUTTLE = "shuttle", "Shuttle restorative justice"


class RestorativeOutcome(models.TextChoices):
    PENDING = "pending", "Pending"
    COMPLETED = "completed", "Completed"
    VICTIM_WITHDREW = "victim_withdrew", "Victim withdrew"
    NOT_COMPLETED = "not_completed", "Not completed by the participant"


# What the victim asked for -> the restorative approach that honours it.
APPROACH_FOR_PREFERENCE = {
    RestorativePreference.NO_CONTACT: RestorativeApproach.VICTIM_DECLINED,
    RestorativePreference.LETTER: RestorativeApproach.LETTER,
    RestorativePreference.FACE_TO_FACE: RestorativeApproach.FACE_TO_FACE,
    RestorativePreference.SHUTTLE: RestorativeApproach.SHUTTLE,
}


class VictimCondition(models.Model):
    """Mandatory: take part in a restorative approach if the victim wishes."""

    contract = models.OneToOneField(
        Contract, on_delete=models.CASCADE, related_name="victim_condition"
    )
    approach = models.CharField(max_length=20, choices=RestorativeApproach.choices)
    due_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(
        max_length=20, choices=RestorativeOutcome.choices, default=RestorativeOutcome.PENDING
    )
    outcome_recorded_on = models.DateField(null=True, blank=True)
    outcome_notes = models.TextField(blank=True)
    approach_reason = models.TextField(
        blank=True, help_text="Why the approach differs from what the victim asked for."
    )

    NOTHING_REQUIRED = (RestorativeApproach.NO_VICTIM, RestorativeApproach.VICTIM_DECLINED)

    class Meta:
        constraints = [
            choices_check("approach", RestorativeApproach),
            choices_check("outcome", RestorativeOutcome),
            models.CheckConstraint(
                condition=Q(outcome=RestorativeOutcome.PENDING)
                | Q(outcome_recorded_on__isnull=False),
                name="victimcondition_outcome_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"Victim condition: {self.get_approach_display()}"

    def fact(self) -> conditions.VictimFact:
        return conditions.VictimFact(
            approach=self.get_approach_display(),
            nothing_required=self.approach in self.NOTHING_REQUIRED,
            outcome=self.outcome,
            outcome_label=self.get_outcome_display(),
        )


class ReferralStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    NOT_COMPLETED = "not_completed", "Not completed"
    REPLACED = "replaced", "Replaced by another referral"
    WITHDRAWN = "withdrawn", "Withdrawn (recorded in error)"

    @classmethod
    def closed_ok(cls) -> list[str]:
        return [cls.COMPLETED, cls.REPLACED]


class PathwayReferralQuerySet(models.QuerySet["PathwayReferral"]):
    def with_attendance(self) -> Self:
        """Each referral with ``attended``: its appointments recorded as attended."""
        return self.select_related("provider", "pathway").annotate(
            attended=Count("appointments", filter=Q(appointments__outcome="attended"))
        )


class PathwayReferral(TimeStamped):
    """A Pathway condition: a referral to a service, with the attendance required."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="referrals")
    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(ServiceProvider, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=200, help_text="What the participant will do.")
    frequency = models.CharField(max_length=100, help_text="How often, e.g. weekly.")
    required_sessions = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.ACTIVE
    )
    status_reason = models.TextField(
        blank=True,
        help_text="Why the referral counts as completed without its required attendance.",
    )

    objects = PathwayReferralQuerySet.as_manager()
    # Annotated by ``PathwayReferralQuerySet.with_attendance()``; not a column.
    attended: int

    class Meta:
        ordering = ["pk"]
        constraints = [
            choices_check("status", ReferralStatus),
            models.CheckConstraint(
                condition=Q(required_sessions__gte=1) & Q(required_sessions__lte=100),
                name="pathwayreferral_sessions_range",
                violation_error_message="Required sessions must be between 1 and 100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.what}"

    def fact(self) -> conditions.ReferralFact:
        """Needs ``attended`` (``PathwayReferral.objects.with_attendance()``)."""
        return conditions.ReferralFact(
            service=f"{self.provider.name} ({self.pathway.name})",
            required_sessions=self.required_sessions,
            attended=self.attended,
            status=self.status,
            status_label=self.get_status_display(),
            reason=self.status_reason,
        )


class CommunityKind(models.TextChoices):
    HOURS = "hours", "Unpaid voluntary work"
    GPS_TAG = "gps_tag", "GPS tag"


class CommunityCondition(models.Model):
    """Community: hours of unpaid work within the scheme's range, or a GPS tag period."""

    contract = models.OneToOneField(
        Contract, on_delete=models.CASCADE, related_name="community_condition"
    )
    kind = models.CharField(max_length=10, choices=CommunityKind.choices)
    hours_required = models.PositiveSmallIntegerField(null=True, blank=True)
    gps_starts_on = models.DateField(null=True, blank=True)
    gps_ends_on = models.DateField(null=True, blank=True)
    gps_completed_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            choices_check("kind", CommunityKind),
            models.CheckConstraint(
                condition=(
                    Q(kind=CommunityKind.HOURS)
                    & Q(hours_required__gte=1)
                    & Q(gps_starts_on__isnull=True)
                    & Q(gps_ends_on__isnull=True)
                )
                | (
                    Q(kind=CommunityKind.GPS_TAG)
                    & Q(hours_required__isnull=True)
                    & Q(gps_ends_on__gt=models.F("gps_starts_on"))
                ),
                name="communitycondition_shape",
                violation_error_message="Set either hours, or a GPS tag period that ends after "
                "it starts.",
            ),
        ]

    def __str__(self) -> str:
        starts, ends = self.gps_starts_on, self.gps_ends_on
        if self.kind == CommunityKind.GPS_TAG and starts and ends:
            return f"GPS tag {long_date(starts)} to {long_date(ends)}"
        return f"{self.hours_required} hours of unpaid work"

    def verified_hours(self) -> Decimal:
        total = self.hours_log.filter(
            verified_at__isnull=False, withdrawn_at__isnull=True
        ).aggregate(s=Sum("hours"))["s"]
        return total or Decimal(0)

    def fact(self) -> conditions.CommunityFact:
        if self.kind == CommunityKind.GPS_TAG:
            return conditions.CommunityFact(
                kind=self.kind,
                gps_starts_on=self.gps_starts_on,
                gps_ends_on=self.gps_ends_on,
                gps_completed_on=self.gps_completed_on,
            )
        sums = self.hours_log.filter(withdrawn_at__isnull=True).aggregate(
            verified=Sum("hours", filter=Q(verified_at__isnull=False)),
            reported=Sum("hours", filter=Q(verified_at__isnull=True)),
        )
        return conditions.CommunityFact(
            kind=self.kind,
            hours_required=self.hours_required,
            hours_verified=sums["verified"] or Decimal(0),
            hours_self_reported=sums["reported"] or Decimal(0),
        )
