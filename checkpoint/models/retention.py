"""Retention (DESIGN.md 1.2; DPA 2018 s.39): cases due for review under the configured
policy, and the audit of what was erased, which itself holds no personal data."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone

from .base import choices_check
from .case import Case


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Awaiting review"
    MINIMISED = "minimised", "Personal data erased"


class RetentionReview(models.Model):
    """A closed case whose retention period has passed, listed by the scheduled review.

    One row per case (unique): running the review again lists nothing twice.
    """

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="retention_review")
    due_on = models.DateField()
    listed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [choices_check("status", ReviewStatus)]

    def __str__(self) -> str:
        return f"Retention review of case {self.case_id} ({self.status})"


class ErasureRecord(models.Model):
    """What the retention service erased: no name, reference or date of birth, only the case
    id, a keyed hash of its old reference (to answer "was CP-… erased?" by hashing again),
    the action, the rule applied, who confirmed it and when. Append-only (trigger on
    PostgreSQL, like the other audit tables)."""

    case_id_erased = models.BigIntegerField(db_index=True)
    reference_hash = models.CharField(max_length=64, db_index=True)
    action = models.CharField(max_length=20, default="minimised")
    rule = models.CharField(max_length=100, help_text="The retention rule that made it due.")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    rows_changed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"Case {self.case_id_erased} {self.action} at {self.at:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Erasure records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("Erasure records cannot be deleted.")
