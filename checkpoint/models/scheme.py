"""Scheme profiles: the configuration a force runs its diversion scheme under.

A ``Scheme`` (e.g. Durham Checkpoint, the PCSC Act 2022 diversionary caution) has numbered
``SchemeVersion`` rows holding durations, the hours range, which conditions are required and
the eligibility policy. A version is edited while it is a draft; once published it is frozen
(cases and assessments point at it), and a change of policy is a new version. Each case and
each eligibility assessment records the version it ran under, so changing the policy never
changes an old result.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Self

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from checkpoint import eligibility

from .base import TimeStamped


class RiskBand(models.TextChoices):
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    HIGH = "high", "High"


class ExcludedCategory(models.Model):
    """An offence category a scheme may exclude (serious violence, hate crime, ...)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "excluded categories"

    def __str__(self) -> str:
        return self.name


class Scheme(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def fixed_rules_default() -> list[str]:
    """A new profile fixes what the law fixes for every deferred prosecution."""
    return sorted(eligibility.ALWAYS_FIXED)


class SchemeVersionQuerySet(models.QuerySet["SchemeVersion"]):
    def published(self) -> Self:
        return self.filter(published_at__isnull=False)

    def current_for(self, scheme_code: str, today: date) -> SchemeVersion | None:
        """The newest published version of a scheme in force on ``today``."""
        return (
            self.published()
            .filter(scheme__code=scheme_code, effective_from__lte=today)
            .order_by("-effective_from", "-version")
            .first()
        )


class SchemeVersion(TimeStamped):
    """One version of a scheme profile. Frozen once published."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    effective_from = models.DateField()
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    change_note = models.TextField(blank=True, help_text="Why this version differs.")

    # Contract shape
    contract_months = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    hours_min = models.PositiveSmallIntegerField(default=18)
    hours_max = models.PositiveSmallIntegerField(default=36)
    gps_tag_allowed = models.BooleanField(default=True)
    gps_tag_max_days = models.PositiveSmallIntegerField(default=120)
    community_required = models.BooleanField(default=True)
    pathway_required = models.BooleanField(default=True)
    signed_consent_required = models.BooleanField(
        default=False, help_text="Consent must be a signed document, not in-person e-consent."
    )
    restorative_due_days = models.PositiveSmallIntegerField(
        default=56,
        help_text="Days after the contract starts by which the restorative outcome "
        "must be recorded.",
    )
    deadline_warning_days = models.PositiveSmallIntegerField(
        default=28, help_text="Warn on screens when a prosecution deadline is this close."
    )
    # A supervisor may extend a contract on a breach only if the profile allows it; 0 = never.
    max_extension_days = models.PositiveSmallIntegerField(
        default=0,
        help_text="Longest extension of the end date a supervisor may grant on a breach "
        "(0: extensions not allowed).",
    )

    # Eligibility policy (see checkpoint.eligibility for each rule)
    min_age = models.PositiveSmallIntegerField(
        null=True, blank=True, default=18, help_text="Minimum age at arrest; empty for none."
    )
    require_evidential_test = models.BooleanField(default=True)
    require_admission = models.BooleanField(default=True)
    accept_no_comment_interview = models.BooleanField(default=False)
    offence_within_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Leave empty for no limit."
    )
    max_gravity_score = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text="Leave empty for no limit.",
    )
    excluded_categories = models.ManyToManyField(ExcludedCategory, blank=True)
    max_previous_convictions = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Leave empty for no limit."
    )
    require_custody_unlikely = models.BooleanField(default=True)
    allow_risk_low = models.BooleanField(default=True)
    allow_risk_moderate = models.BooleanField(default=True)
    allow_risk_high = models.BooleanField(default=False)
    indictable_only_needs_dpp_consent = models.BooleanField(default=False)
    fixed_rules = models.JSONField(
        default=fixed_rules_default,
        blank=True,
        help_text="Eligibility rules no override may lift in this profile (rule codes). The "
        "evidential test, a time-barred offence and the minimum age are fixed in every profile.",
    )

    objects = SchemeVersionQuerySet.as_manager()

    class Meta:
        ordering = ["scheme", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "version"], name="schemeversion_unique"),
            models.CheckConstraint(
                condition=Q(hours_min__lte=models.F("hours_max")),
                name="schemeversion_hours_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(contract_months__gte=1) & Q(contract_months__lte=24),
                name="schemeversion_contract_months_range",
            ),
            models.CheckConstraint(
                condition=Q(max_gravity_score__isnull=True)
                | (Q(max_gravity_score__gte=1) & Q(max_gravity_score__lte=4)),
                name="schemeversion_gravity_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.name} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A published version is frozen: cases and assessments were judged under it. Changing
        # the policy means copying it as a new draft version (the admin has an action for it).
        if (
            self.pk is not None
            and type(self).objects.filter(pk=self.pk, published_at__isnull=False).exists()
        ):
            raise ValueError("A published scheme version cannot be changed; copy it as a draft.")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        unknown = set(self.fixed_rules or []) - eligibility.FIXABLE
        if unknown:
            raise ValidationError(
                {"fixed_rules": f"Not a rule that can be fixed: {', '.join(sorted(unknown))}"}
            )

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def allowed_risk_bands(self) -> frozenset[str]:
        flags = {
            RiskBand.LOW: self.allow_risk_low,
            RiskBand.MODERATE: self.allow_risk_moderate,
            RiskBand.HIGH: self.allow_risk_high,
        }
        return frozenset(str(band) for band, on in flags.items() if on)

    def policy(self) -> eligibility.Policy:
        """The pure eligibility policy of this version (one query for the categories)."""
        return eligibility.Policy(
            min_age=self.min_age,
            require_evidential_test=self.require_evidential_test,
            require_admission=self.require_admission,
            accept_no_comment_interview=self.accept_no_comment_interview,
            offence_within_months=self.offence_within_months,
            max_gravity_score=self.max_gravity_score,
            excluded_categories=frozenset(self.excluded_categories.values_list("code", flat=True)),
            max_previous_convictions=self.max_previous_convictions,
            require_custody_unlikely=self.require_custody_unlikely,
            allowed_risk_bands=self.allowed_risk_bands(),
            indictable_only_needs_dpp_consent=self.indictable_only_needs_dpp_consent,
            fixed_rules=frozenset(self.fixed_rules or ()),
        )
