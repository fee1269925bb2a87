"""Offences and the arrest that brings a person to a decision maker."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from checkpoint import dates, eligibility

from .base import TimeStamped, choices_check
from .person import Person
from .scheme import ExcludedCategory


class OffenceClass(models.TextChoices):
    SUMMARY_ONLY = eligibility.SUMMARY_ONLY, "Summary only"
    EITHER_WAY = eligibility.EITHER_WAY, "Either way"
    INDICTABLE_ONLY = eligibility.INDICTABLE_ONLY, "Indictable only"


class OffenceType(models.Model):
    """An entry in the offence catalogue (e.g. a Home Office / CJS offence code)."""

    code = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    offence_class = models.CharField(max_length=20, choices=OffenceClass.choices)
    default_gravity_score = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    excluded_category = models.ForeignKey(
        ExcludedCategory, on_delete=models.PROTECT, null=True, blank=True
    )
    victim_usual = models.BooleanField(
        default=True, help_text="Offences of this type usually have an identifiable victim."
    )
    keywords = models.CharField(
        max_length=500,
        blank=True,
        help_text="Everyday names and synonyms the offence picker also matches, separated by "
        "commas (for example 'shoplifting' for theft from a shop).",
    )

    class Meta:
        ordering = ["title"]
        constraints = [
            choices_check("offence_class", OffenceClass),
            models.CheckConstraint(
                condition=Q(default_gravity_score__gte=1) & Q(default_gravity_score__lte=4),
                name="offencetype_gravity_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class Arrest(TimeStamped):
    """An arrest (or voluntary-attendance referral) that is assessed for diversion."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="arrests")
    custody_reference = models.CharField(max_length=40, unique=True)
    arrested_at = models.DateTimeField()
    station = models.CharField(max_length=100, blank=True)
    arresting_officer = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    # Set by the selectors (``Prefetch(to_attr=...)``); not a column.
    offence_list: list[Offence]

    class Meta:
        ordering = ["-arrested_at"]

    def __str__(self) -> str:
        return self.custody_reference


class Offence(models.Model):
    """One offence under assessment, as committed (date, place, victim, seriousness)."""

    arrest = models.ForeignKey(Arrest, on_delete=models.PROTECT, related_name="offences")
    offence_type = models.ForeignKey(OffenceType, on_delete=models.PROTECT, related_name="+")
    committed_on = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    has_victim = models.BooleanField()
    gravity_score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["committed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gravity_score__gte=1) & Q(gravity_score__lte=4),
                name="offence_gravity_range",
                violation_error_message="The gravity score must be between 1 and 4.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offence_type.title} on {self.committed_on:%-d %b %Y}"

    @property
    def offence_class(self) -> str:
        return self.offence_type.offence_class

    def prosecution_deadline(self) -> date | None:
        """s.127 MCA 1980 limit for summary-only offences; None otherwise."""
        return dates.prosecution_deadline(
            summary_only=self.offence_class == OffenceClass.SUMMARY_ONLY,
            committed_on=self.committed_on,
        )

    def facts(self) -> eligibility.OffenceFacts:
        category = self.offence_type.excluded_category
        return eligibility.OffenceFacts(
            title=self.offence_type.title,
            offence_class=self.offence_class,
            committed_on=self.committed_on,
            gravity_score=self.gravity_score,
            excluded_category=category.code if category else None,
            excluded_category_name=category.name if category else "",
        )
