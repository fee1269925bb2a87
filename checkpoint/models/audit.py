"""Logs of consultation and disclosure (DPA 2018 s.62): who looked at or disclosed whose
record, when, and (for a disclosure) to whom and why."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone

from .base import choices_check
from .case import Case
from .person import Person


class AccessLog(models.Model):
    """One row per page view that showed a person's record. Append-only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    page = models.CharField(max_length=80, help_text="The screen (URL name).")
    path = models.CharField(max_length=300)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["person", "at"], name="accesslog_person_at_idx"),
            models.Index(fields=["user", "at"], name="accesslog_user_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} viewed person {self.person_id} on {self.page}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Access log rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("Access log rows cannot be deleted.")


class DisclosureKind(models.TextChoices):
    OUTCOME_LETTER = "outcome_letter", "Outcome letter"
    PROSECUTION_FILE = "prosecution_file", "Prosecution file"
    REPORT_CSV = "report_csv", "Report download (CSV)"
    CONTRACT = "contract", "Contract"
    APPOINTMENT_LETTER = "appointment_letter", "Appointment letter"
    WARNING_LETTER = "warning_letter", "Warning letter"
    BREACH_LETTER = "breach_letter", "Breach decision letter"


class DisclosureLog(models.Model):
    """One row per disclosure (DPA 2018 s.62): who, when, what, to whom and why. Append-only.

    A document (outcome letter, prosecution file) names its case and person; a report CSV is
    aggregate and names neither, only the report, table and filters in ``what``.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=DisclosureKind.choices)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    what = models.CharField(max_length=300, help_text="The document, or report table and filters.")
    recipient = models.CharField(max_length=200)
    justification = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["person", "at"], name="disclosurelog_person_at_idx"),
            models.Index(fields=["user", "at"], name="disclosurelog_user_at_idx"),
        ]
        constraints = [
            choices_check("kind", DisclosureKind),
            models.CheckConstraint(
                condition=~models.Q(justification="") & ~models.Q(recipient=""),
                name="disclosurelog_justified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} disclosed {self.kind} ({self.what})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Disclosure log rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("Disclosure log rows cannot be deleted.")
