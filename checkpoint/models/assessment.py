"""Eligibility assessments (decision maker, in custody) and needs assessments (navigator)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from checkpoint import eligibility

from .base import TimeStamped, choices_check
from .case import Case
from .directory import Pathway
from .scheme import RiskBand, SchemeVersion


class Admission(models.TextChoices):
    ADMITTED = eligibility.Admission.ADMITTED, "Admitted the offence"
    NO_COMMENT = eligibility.Admission.NO_COMMENT, "No-comment interview"
    DENIED = eligibility.Admission.DENIED, "Denied the offence"


class RuleOutcome(models.TextChoices):
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    OVERRIDDEN = "overridden", "Overridden"


class EligibilityAssessment(TimeStamped):
    """The facts recorded in custody and the policy version they were judged under.

    Each rule's result is stored in ``AssessmentRule`` rows when the assessment is made, so a
    later change of policy never changes this assessment's result.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments")
    scheme_version = models.ForeignKey(SchemeVersion, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    evidential_test_met = models.BooleanField()
    admission = models.CharField(max_length=20, choices=Admission.choices)
    previous_convictions = models.PositiveSmallIntegerField()
    custodial_sentence_likely = models.BooleanField()
    risk_band = models.CharField(max_length=10, choices=RiskBand.choices)
    risk_source = models.CharField(
        max_length=200, help_text="Where the risk band came from (tool, officer judgement)."
    )
    risk_tool_score = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True, help_text="Advisory only."
    )
    dpp_consent = models.BooleanField(null=True, blank=True)
    is_eligible = models.BooleanField(
        help_text="Every rule passed or was overridden (kept in step by the services)."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            choices_check("admission", Admission),
            choices_check("risk_band", RiskBand),
        ]

    def __str__(self) -> str:
        return f"Assessment of {self.case} on {self.assessed_on}"


class AssessmentRule(models.Model):
    """One rule's result within an assessment, with any override and its justification."""

    assessment = models.ForeignKey(
        EligibilityAssessment, on_delete=models.PROTECT, related_name="rules"
    )
    code = models.CharField(
        max_length=30,
        choices=[(str(code), label) for code, label in eligibility.RULE_LABELS.items()],
    )
    label = models.CharField(max_length=120)
    outcome = models.CharField(max_length=12, choices=RuleOutcome.choices)
    reason = models.TextField()
    overridable = models.BooleanField(default=True)
    override_justification = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["assessment", "position"]
        constraints = [
            choices_check("outcome", RuleOutcome),
            models.UniqueConstraint(fields=["assessment", "code"], name="assessmentrule_unique"),
            models.CheckConstraint(
                condition=~Q(outcome=RuleOutcome.OVERRIDDEN)
                | (
                    ~Q(override_justification="")
                    & Q(overridden_by__isnull=False)
                    & Q(overridden_at__isnull=False)
                    & Q(overridable=True)
                ),
                name="assessmentrule_override_justified",
                violation_error_message="An override needs a justification and who made it.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.outcome}"


class NeedLevel(models.TextChoices):
    NONE = "none", "No need"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class NeedsAssessment(TimeStamped):
    """A navigator's assessment of the participant's needs across the pathways."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="needs_assessments")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField()

    class Meta:
        ordering = ["-assessed_on", "-pk"]


class NeedItem(models.Model):
    needs_assessment = models.ForeignKey(
        NeedsAssessment, on_delete=models.CASCADE, related_name="items"
    )
    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=10, choices=NeedLevel.choices)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["pathway__display_order"]
        constraints = [
            choices_check("level", NeedLevel),
            models.UniqueConstraint(fields=["needs_assessment", "pathway"], name="needitem_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.pathway}: {self.level}"
