"""The security log: pages refused to signed-in staff (403 and 404 on case screens), and the
alerts raised when one person is refused many times in a short while (issue 17 point 4).

Trying other people's caseloads leaves a trace: who asked for what, when, and why it was
refused. Both tables are append-only, like the other audit tables.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone

from .base import choices_check
from .case import Case


class RefusalReason(models.TextChoices):
    OUT_OF_REACH = "out_of_reach", "Case out of the user's reach"
    NO_SUCH_CASE = "no_such_case", "No case with this reference"
    NOT_FOUND = "not_found", "No such page or record"
    NOT_PERMITTED = "not_permitted", "The user's role may not use this page"


class RefusalLog(models.Model):
    """One row per refused request (403 or 404) by a signed-in user on a case screen (a URL
    naming a case, and the team and custody screens). Append-only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    page = models.CharField(max_length=80, blank=True, help_text="The screen (URL name).")
    status = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=20, choices=RefusalReason.choices)
    # The reference asked for, as asked (it may name no case); and the case, when one has it.
    case_reference = models.CharField(max_length=40, blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["user", "at"], name="refusallog_user_at_idx"),
            models.Index(fields=["at"], name="refusallog_at_idx"),
        ]
        constraints = [
            choices_check("reason", RefusalReason),
            models.CheckConstraint(
                condition=models.Q(status__in=[403, 404]), name="refusallog_status_403_404"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} refused {self.status} on {self.page or self.path}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Refusal log rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("Refusal log rows cannot be deleted.")


class RefusalAlert(models.Model):
    """A burst of refusals to one user: raised once per window (``REFUSAL_ALERT_THRESHOLD``
    refusals within ``REFUSAL_ALERT_WINDOW_MINUTES``), emailed to the administrators.
    Append-only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    first_at = models.DateTimeField(help_text="The first refusal counted in the burst.")
    refusals = models.PositiveIntegerField(help_text="Refusals in the window when raised.")
    window_minutes = models.PositiveIntegerField()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        indexes = [models.Index(fields=["user", "raised_at"], name="refusalalert_user_at_idx")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.refusals} refusals in {self.window_minutes} minutes"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Refusal alerts cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("Refusal alerts cannot be deleted.")
